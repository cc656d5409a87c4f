from django.urls import path

from ..views import public as views

app_name = "showcase"

urlpatterns = [
    path("", views.ShowcaseView.as_view(), name="list"),
    path("<int:pk>/", views.ShowcaseDetailView.as_view(), name="detail"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
]
