"""The workshop owner's quota pages, mounted at ``workshop/`` (namespace ``quotas``)."""

from django.urls import path

from ..views import owner as owner_views

app_name = "quotas"

urlpatterns = [
    path("quotas/", owner_views.QuotaInboxView.as_view(), name="inbox"),
    path("quotas/<int:pk>/", owner_views.QuotaDetailView.as_view(), name="detail"),
    path("quotas/<int:pk>/accept/", owner_views.QuotaAcceptView.as_view(), name="accept"),
    path("quotas/<int:pk>/decline/", owner_views.QuotaDeclineView.as_view(), name="decline"),
    path("quotas/<int:pk>/reports/<int:report_pk>/correct/", owner_views.OutputCorrectView.as_view(), name="correct"),
    path("history/", owner_views.OutputHistoryView.as_view(), name="history"),
]
