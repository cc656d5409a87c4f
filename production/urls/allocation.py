"""The coordinator's allocation desk, mounted at ``orders/`` in the ``orders`` namespace (names kept from before the
split: ``orders:allocation``, ``orders:allocation-run``); hamdeli/urls.py adds these patterns to orders.urls'."""

from django.urls import path

from ..views import allocation as views

urlpatterns = [
    path("allocation/", views.AllocationDeskView.as_view(), name="allocation"),
    path("allocation/<int:pk>/", views.AllocationRunView.as_view(), name="allocation-run"),
]
