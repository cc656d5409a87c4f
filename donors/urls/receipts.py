from django.urls import path

from ..views import receipts as views

app_name = "receipts"

urlpatterns = [
    path("<int:pk>/download/", views.ReceiptDownloadView.as_view(), name="download"),
    path("verify/<str:token>/", views.ReceiptVerifyView.as_view(), name="verify"),
]
