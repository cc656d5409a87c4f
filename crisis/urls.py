from django.urls import path

from . import views

app_name = "severity"

# Mounted at coordinator/severity/ by hamdeli/urls.py.
urlpatterns = [
    path("", views.SeverityBoardView.as_view(), name="board"),
    path("import/", views.SeverityImportView.as_view(), name="import"),
    path("template.csv", views.SeverityTemplateView.as_view(), name="template"),
]
