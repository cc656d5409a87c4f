"""The mock bank's addresses (/mock-bank/), mounted only when ONLINE_GIVING_GATEWAY=mock."""

from django.urls import path

from ..online import mock_bank as views

app_name = "mock-bank"

urlpatterns = [
    path("", views.root, name="root"),
    path("pg/v4/payment/request.json", views.request_json, name="request"),
    path("pg/StartPay/<str:authority>", views.start_pay, name="start-pay"),
    path("pg/v4/payment/verify.json", views.verify_json, name="verify"),
]
