from django.urls import path

from . import coordinator_views as views

app_name = "donations"

urlpatterns = [
    path("", views.PledgeListView.as_view(), name="pledge-list"),
    path("<int:pk>/", views.PledgeDetailView.as_view(), name="pledge-detail"),
    path("<int:pk>/<slug:action>/", views.PledgeActionView.as_view(), name="pledge-action"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("donors/", views.DonorListView.as_view(), name="donor-list"),
]
