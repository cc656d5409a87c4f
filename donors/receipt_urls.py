from django.urls import path

from . import receipt_views

app_name = "receipts"

urlpatterns = [
    path("<int:pk>/download/", receipt_views.ReceiptDownloadView.as_view(), name="download"),
    path("verify/<str:token>/", receipt_views.ReceiptVerifyView.as_view(), name="verify"),
]
