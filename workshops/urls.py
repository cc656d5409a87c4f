from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("workshop/register/", views.WorkshopRegisterView.as_view(), name="register"),
    path("workshop/bank/", views.BankView.as_view(), name="bank"),
    path("workshop/profile/", views.ProfileView.as_view(), name="profile"),
    path("workshop/capacity/", views.CapacityView.as_view(), name="capacity"),
    path("workshop/availability/", views.AvailabilityView.as_view(), name="availability"),
    path(
        "workshop/availability/<int:pk>/remove/",
        views.AvailabilityRemoveView.as_view(),
        name="availability-remove",
    ),
]
