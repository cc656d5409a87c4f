from django.urls import path

from . import views

app_name = "orders"

# hamdeli/urls.py adds the allocation desk's pages (production.urls.allocation) to this namespace.
urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("new/", views.OrderCreateView.as_view(), name="create"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="detail"),
    path("<int:pk>/<slug:action>/", views.OrderActionView.as_view(), name="action"),
]
