from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [
    path("", views.PublicResultsView.as_view(), name="results"),
]

# The coordinator's API tokens (/coordinator/api-tokens/, namespace "api-tokens"; hamdeli/urls.py includes them).
token_urlpatterns = [
    path("", views.ApiTokenListView.as_view(), name="list"),
    path("<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="revoke"),
]
