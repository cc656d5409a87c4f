from django.urls import path

from ..views import batches as views

app_name = "payouts"

urlpatterns = [
    path("", views.PayoutBatchListView.as_view(), name="list"),
    path("new/", views.PayoutBatchCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PayoutBatchDetailView.as_view(), name="detail"),
    path("<int:pk>/bank.csv", views.PayoutBatchBankCsvView.as_view(), name="bank-csv"),
    path("<int:pk>/<slug:action>/", views.PayoutBatchActionView.as_view(), name="action"),
]
