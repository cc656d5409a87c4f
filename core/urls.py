from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("health-centers/", views.HealthCenterListView.as_view(), name="healthcenter-list"),
    path("health-centers/<int:pk>/", views.HealthCenterDetailView.as_view(), name="healthcenter-detail"),
]
