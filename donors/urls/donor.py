from django.urls import path

from ..views import donor as views
from ..views.payment import PledgePayView

app_name = "giving"

urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("pledge/order/<int:pk>/", views.OrderPledgeView.as_view(), name="pledge-order"),
    path("pledge/campaign/<int:pk>/", views.CampaignPledgeView.as_view(), name="pledge-campaign"),
    path("mine/", views.MyGivingView.as_view(), name="mine"),
    path("mine/<int:pk>/pay/", PledgePayView.as_view(), name="pledge-pay"),
]
