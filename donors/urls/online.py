from django.urls import path

from ..views import online as views

app_name = "online"

urlpatterns = [
    path("order/<int:pk>/", views.GiveToOrderView.as_view(), name="give-order"),
    path("campaign/<int:pk>/", views.GiveToCampaignView.as_view(), name="give-campaign"),
    path("callback/", views.CallbackView.as_view(), name="callback"),
    path("result/<str:key>/", views.ResultView.as_view(), name="result"),
]
