from django.urls import path

from . import views

app_name = "sms"

# The coordinator's log (mounted at coordinator/sms/); the gateway's callback is mounted by hamdeli/urls.py at
# sms/inbound/<secret>/, outside the coordinator's prefix.
urlpatterns = [
    path("", views.MessageLogView.as_view(), name="log"),
]
