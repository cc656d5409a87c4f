from django.urls import path

from ..views import receiving as receiving_views

app_name = "receiving"

# The receiver's pages (mounted at receive/). "center/..." comes before "<str:token>/" so it is never read as a token.
urlpatterns = [
    path("", receiving_views.EnterCodeView.as_view(), name="enter-code"),
    path("center/", receiving_views.CenterDeliveryListView.as_view(), name="center-list"),
    path("center/<int:pk>/", receiving_views.CenterConfirmView.as_view(), name="center-confirm"),
    path("<str:token>/", receiving_views.ConfirmByLinkView.as_view(), name="confirm"),
]
