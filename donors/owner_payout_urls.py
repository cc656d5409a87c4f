from django.urls import path  # noqa: F401

app_name = "my-payouts"

urlpatterns: list = []
