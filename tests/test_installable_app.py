"""The owner's pages install as an app: the manifest and the service worker are served as browsers need them.

The worker is served from the site root (its scope must cover ``/workshop/``), never from a stale cache, with the
static names Django gives (hashed in production); only the owner's own pages say they may be kept on the phone.
"""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse

from core.offline import OFFLINE_COPY_HEADER
from core.security import STRICT_HEADER
from tests import factories

pytestmark = pytest.mark.django_db

MANIFEST_LINK = re.compile(r'<link rel="manifest" href="/manifest.webmanifest">')


def test_the_service_worker_is_javascript_served_from_the_root_and_never_from_a_stale_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "{%" not in body and "&quot;" not in body  # rendered, and not HTML-escaped
    # It keeps the files the page names, by the names Django gives them, and knows the owner's pages.
    assert json.dumps(static("js/offline-report.js")) in body
    assert json.dumps(reverse("quotas:inbox")) in body


@override_settings(STORAGES={"staticfiles": {"BACKEND": "tests.test_installable_app.HashedNames"}})
def test_the_service_worker_keeps_the_hashed_static_names_of_production(client):
    body = client.get("/sw.js").content.decode()
    assert "/static/js/offline-report.0123456789ab.js" in body
    assert '"/static/js/offline-report.js"' not in body


class HashedNames:
    """A stand-in for the manifest storage: every name hashed, as after collectstatic."""

    def url(self, name):
        if not name:
            raise ValueError("Missing staticfiles manifest entry for ''")  # as the real one does
        stem, _, ext = name.rpartition(".")
        return f"/static/{stem}.0123456789ab.{ext}"


def test_the_manifest_is_persian_right_to_left_and_opens_on_the_quota_inbox(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "همدلی"
    assert (manifest["lang"], manifest["dir"]) == ("fa", "rtl")
    assert manifest["start_url"] == reverse("quotas:inbox")
    assert manifest["theme_color"] == "#0f766e"
    assert {icon["type"] for icon in manifest["icons"]} == {"image/svg+xml", "image/png"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]


def test_the_owners_pages_link_the_manifest_and_may_be_kept_on_her_phone_under_the_strict_policy(client):
    quota = factories.QuotaFactory()
    client.force_login(quota.workshop.owner)
    for path in ("/", reverse("quotas:inbox"), reverse("quotas:detail", args=[quota.pk]), reverse("quotas:history")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert MANIFEST_LINK.search(response.content.decode()), path
        assert response[OFFLINE_COPY_HEADER] == "owner", path
        # The worker, the manifest and the script are same-origin files: default-src/script-src 'self' allow them.
        assert response["Content-Security-Policy"] == STRICT_HEADER
    detail = client.get(reverse("quotas:detail", args=[quota.pk])).content.decode()
    assert "data-offline-report" in detail and 'id="offline-queue"' in detail
    assert "روی گوشی شما ذخیره شد" in detail  # "saved on your phone", in Persian for the script to show


def test_a_coordinators_pages_are_never_marked_to_be_kept_on_a_phone(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/")  # her home: the same address as the owner's, with private figures
    assert response.status_code == 200
    assert OFFLINE_COPY_HEADER not in response


def test_the_csp_allows_the_worker_and_the_manifest_from_the_site_itself():
    directives = dict(part.split(" ", 1) for part in STRICT_HEADER.split("; "))
    # No worker-src or manifest-src: both fall back to 'self' (worker-src through script-src, manifest-src through
    # default-src); /sw.js and /manifest.webmanifest are on the site itself.
    assert "worker-src" not in directives and "manifest-src" not in directives
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
