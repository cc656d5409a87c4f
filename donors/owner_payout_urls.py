from django.urls import path

from . import owner_payout_views as views

app_name = "my-payouts"

urlpatterns = [
    path("", views.OwnerPayoutListView.as_view(), name="list"),
]
