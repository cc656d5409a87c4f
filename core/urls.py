from django.urls import path

from . import notification_views, views

app_name = "core"

urlpatterns = [
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("health-centers/", views.HealthCenterListView.as_view(), name="healthcenter-list"),
    path("health-centers/<int:pk>/", views.HealthCenterDetailView.as_view(), name="healthcenter-detail"),
    path(
        "account/notifications/",
        notification_views.NotificationSettingsView.as_view(),
        name="notification-settings",
    ),
]
