from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="upload"),
    path("template/<slug:kind>.<slug:fmt>", views.ImportTemplateView.as_view(), name="template"),
    path("<int:pk>/", views.ImportPreviewView.as_view(), name="preview"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
]
