from django.urls import path

from . import allocation_views
from . import order_views as views

app_name = "orders"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("new/", views.OrderCreateView.as_view(), name="create"),
    path("allocation/", allocation_views.AllocationDeskView.as_view(), name="allocation"),
    path("allocation/<int:pk>/", allocation_views.AllocationRunView.as_view(), name="allocation-run"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="detail"),
    path("<int:pk>/<slug:action>/", views.OrderActionView.as_view(), name="action"),
]
