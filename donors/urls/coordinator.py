from django.urls import path

from ..views import coordinator as views
from ..views import statements

app_name = "donations"

urlpatterns = [
    path("", views.PledgeListView.as_view(), name="pledge-list"),
    path("<int:pk>/", views.PledgeDetailView.as_view(), name="pledge-detail"),
    path("<int:pk>/<slug:action>/", views.PledgeActionView.as_view(), name="pledge-action"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/fill/", views.CampaignFillView.as_view(), name="campaign-fill"),
    path("move/", views.FundsMoveView.as_view(), name="funds-move"),
    path("donors/", views.DonorListView.as_view(), name="donor-list"),
    path("statements/", statements.StatementUploadView.as_view(), name="statement-upload"),
    path("statements/<int:pk>/", statements.StatementDetailView.as_view(), name="statement-detail"),
    path("statements/<int:pk>/confirm/", statements.StatementConfirmView.as_view(), name="statement-confirm"),
]
