from django.urls import path

from . import dashboard_views, thematic_views

app_name = "reports"

urlpatterns: list = [
    path("", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("thematic/", thematic_views.ThematicReportListView.as_view(), name="thematic-list"),
    path("thematic/new/", thematic_views.ThematicReportCreateView.as_view(), name="thematic-create"),
    path("thematic/<int:pk>/", thematic_views.ThematicReportDetailView.as_view(), name="thematic-detail"),
    path(
        "thematic/<int:pk>/<str:kind>/",
        thematic_views.ThematicReportDownloadView.as_view(),
        name="thematic-download",
    ),
]
