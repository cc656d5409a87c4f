from django.urls import path

from ..views import owner as views
from ..views import sale_records

app_name = "my-listing"

urlpatterns = [
    path("", views.ListingEditView.as_view(), name="edit"),
    path("photos/", views.PhotoAddView.as_view(), name="photo-add"),
    path("photos/<int:pk>/remove/", views.PhotoRemoveView.as_view(), name="photo-remove"),
    path("revoke/", views.RevokeView.as_view(), name="revoke"),
    path("inquiries/", views.InquiryListView.as_view(), name="inquiries"),
    path("inquiries/<int:pk>/", views.InquiryDetailView.as_view(), name="inquiry"),
    path("sales/", sale_records.SaleListView.as_view(), name="sales"),
    path("sales/<int:pk>/delete/", sale_records.SaleDeleteView.as_view(), name="sale-delete"),
]
