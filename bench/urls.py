"""The project's URLs plus two floors every page is compared with.

- ``/bench/empty/``: an empty Django view, the issue's floor (middleware only, no database).
- ``/bench/signed-in/``: the cheapest page a signed-in user can get: the session and user
  lookups plus the site layout (``base.html``: header, menu, footer) with nothing in it.
  Every real page pays this much before it shows a single row.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from hamdeli.urls import urlpatterns as project_urlpatterns

LAYOUT_ONLY = engines["django"].from_string('{% extends "base.html" %}')


def empty(request):
    return HttpResponse("ok")


@login_required
def signed_in(request):
    return HttpResponse(LAYOUT_ONLY.render({}, request))


urlpatterns = [
    path("bench/empty/", empty, name="bench-empty"),
    path("bench/signed-in/", signed_in, name="bench-signed-in"),
    *project_urlpatterns,
]
