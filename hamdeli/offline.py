"""The installable app: its web app manifest and its service worker, both served from the site root.

The worker must be served from ``/`` (not ``/static/``) for its scope to cover
the owner's pages, and it is rendered as a template so the static files it
keeps on the phone are named as ``{% static %}`` names them: with hashed names
in production, a changed file is a new name and so a new worker, which drops
the old copies. See ``templates/offline/sw.js`` and ``static/js/offline-report.js``.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from core.offline import OFFLINE_COPY_HEADER

THEME_COLOUR = "#0f766e"  # --brand in static/css/app.css
BACKGROUND_COLOUR = "#f7f9fb"  # --bg in static/css/app.css
# What a cached owner page needs to work offline; other static files (fonts) are kept when first fetched.
PRECACHED_STATIC = ["css/app.css", "css/offline.css", "js/offline-report.js", "favicon.svg", "icons/app-icon-192.png"]


def owner_page_prefixes() -> list[str]:
    """The URL prefixes the worker may keep copies of ("/" itself only exactly: the owner's home)."""
    return [reverse("quotas:inbox"), reverse("quotas:history")]


def _worker_context() -> dict:
    precache = []
    for name in PRECACHED_STATIC:
        try:
            precache.append(static(name))
        except ValueError:  # not in the manifest (renamed without collectstatic): the worker still works
            continue
    return {
        # A new static name (a changed file) makes a new worker, which clears the old static copies.
        "version": hashlib.sha256("\n".join(precache).encode()).hexdigest()[:12],
        "precache": json.dumps(precache),
        "owner_prefixes": json.dumps(owner_page_prefixes()),
        "home": json.dumps(reverse("home")),
        "static_prefix": json.dumps(settings.STATIC_URL),
        "login": json.dumps(reverse("login")),
        "logout": json.dumps(reverse("logout")),
        "copy_header": json.dumps(OFFLINE_COPY_HEADER),
    }


@require_safe
def service_worker(request):
    response = HttpResponse(
        render_to_string("offline/sw.js", _worker_context()), content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker at each visit; it must not be served a stale one by a cache.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def web_manifest(request):
    with translation.override("fa"):
        name = gettext("Hamdeli")
    manifest = {
        "name": name,
        "short_name": name,
        "lang": "fa",
        "dir": "rtl",
        "id": reverse("quotas:inbox"),
        "start_url": reverse("quotas:inbox"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("icons/app-icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("icons/app-icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("icons/app-icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("icons/app-icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "max-age=3600"
    return response
