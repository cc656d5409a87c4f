from django.urls import path

from ..views import review as views

app_name = "listings"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="list"),
    path("export.<str:fmt>", views.ExportView.as_view(), name="export"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="detail"),
    path("<int:pk>/<slug:action>/", views.ReviewActionView.as_view(), name="action"),
]
