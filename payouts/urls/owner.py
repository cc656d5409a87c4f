from django.urls import path

from ..views import owner as views

app_name = "my-payouts"

urlpatterns = [
    path("", views.OwnerPayoutListView.as_view(), name="list"),
]
