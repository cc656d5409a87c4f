from django.urls import include, path

from . import change_views, views

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
    # Coordinator: changes of province or Sheba that verified workshops asked for.
    path("coordinator/workshop-changes/", change_views.PendingChangesView.as_view(), name="change-requests"),
    path(
        "coordinator/workshop-changes/<int:pk>/",
        change_views.DecideChangeView.as_view(),
        name="change-request-decide",
    ),
    # Coordinator: workshops and health centers from a spreadsheet (workshops/imports).
    path("coordinator/imports/", include("workshops.imports.urls")),
]
