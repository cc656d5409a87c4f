from django.urls import path

from ..views import deliveries as views

app_name = "deliveries"

urlpatterns = [
    path("", views.DeliveryListView.as_view(), name="list"),
    path("ready/", views.ReadyToDeliverView.as_view(), name="ready"),
    path("new/<int:health_center_pk>/", views.DeliveryCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DeliveryDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DeliveryEditView.as_view(), name="edit"),
    path("<int:pk>/<slug:action>/", views.DeliveryActionView.as_view(), name="action"),
]
