from django.urls import path

from ..views import pickups as views

app_name = "pickups"

urlpatterns = [
    path("", views.PickupListView.as_view(), name="list"),
    path("to-collect/", views.CollectableWorkshopsView.as_view(), name="workshops"),
    path("<int:workshop_pk>/new/", views.PickupRecordView.as_view(), name="record"),
    path("<int:pk>/", views.PickupDetailView.as_view(), name="detail"),
    path("collectors/", views.CollectorsView.as_view(), name="collectors"),
    path("collectors/<int:pk>/revoke/", views.CollectorRevokeView.as_view(), name="collector-revoke"),
]
