from django.urls import path

from . import dashboard_views

app_name = "reports"

urlpatterns: list = [
    path("", dashboard_views.DashboardView.as_view(), name="dashboard"),
]
