from django.urls import path

from ..views import supply as views

app_name = "supply"

urlpatterns = [
    path("workshops/", views.WorkshopListView.as_view(), name="workshop-list"),
    path("workshops/<int:pk>/", views.WorkshopDetailView.as_view(), name="workshop-detail"),
    path("workshops/<int:pk>/status/<slug:action>/", views.WorkshopStatusView.as_view(), name="workshop-status"),
    path("workshops/<int:pk>/notes/", views.WorkshopNoteView.as_view(), name="workshop-note"),
    path("supply/", views.SupplySummaryView.as_view(), name="summary"),
]
