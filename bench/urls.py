"""The project's URLs plus ``/bench/empty/``: the floor every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from hamdeli.urls import urlpatterns as project_urlpatterns


def empty(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/empty/", empty, name="bench-empty"), *project_urlpatterns]
