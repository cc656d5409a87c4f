"""Every page carries a strict Content-Security-Policy, refuses framing and has no inline script or style.

The main pages are found from the URL configuration (every route without
parameters, plus an order, a delivery and the receiving link) and opened as
each role, so a page added later is checked too.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Role
from core.security import ADMIN_HEADER, STRICT_HEADER
from fulfilment.models import DeliveryStatus
from fulfilment.receiving_links import confirmation_path
from orders.models import OrderStatus
from tests import factories

pytestmark = pytest.mark.django_db

STRICT_DIRECTIVES = [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]
# Not pages: downloads, redirects, JSON, the admin (checked separately) and the log-out/language POSTs.
SKIPPED_PREFIXES = ("/admin/", "/i18n/", "/healthz", "/favicon", "/static/", "/media/")


def parameterless_paths() -> list[str]:
    paths = []

    def walk(patterns, prefix: str, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
                if "<" in str(entry.pattern) or "(?P" in str(entry.pattern):
                    continue
                try:
                    paths.append(reverse(namespace + entry.name))
                except Exception:  # noqa: S112 - a pattern that needs arguments after all
                    continue

    walk(get_resolver().url_patterns, "", "")
    return sorted({p for p in paths if not p.startswith(SKIPPED_PREFIXES) and "logout" not in p})


@pytest.fixture
def world(coordinator):
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100, product=factories.product())
    delivery = factories.DeliveryFactory(health_center=order.health_center, status=DeliveryStatus.DISPATCHED)
    quota = factories.QuotaFactory(
        order=order, produced_units=30, collected_units=30, accepted_units=30, delivered_units=30
    )
    factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=30)
    owner = quota.workshop.owner
    return {
        "order": order,
        "delivery": delivery,
        "owner": owner,
        "staff": factories.HealthCenterStaffFactory(health_center=order.health_center),
        "donor": factories.UserFactory(role=Role.DONOR),
        "collector": factories.UserFactory(role=Role.COLLECTOR, provinces=[factories.province()]),
        "coordinator": coordinator,
        "receiving_path": confirmation_path(delivery),  # signed with the time: make it once
    }


class PageAudit(HTMLParser):
    """Collects inline scripts, inline styles and POST forms without a CSRF token."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open_post_form = False
        self.form_has_token = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.problems.append(f'style="…" on <{tag}>')
        if any(name.startswith("on") for name in attributes):
            self.problems.append(f"inline event handler on <{tag}>")
        if tag == "style":
            self.problems.append("<style> block")
        if tag == "script" and not attributes.get("src"):
            self.problems.append("<script> without src")
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self.open_post_form, self.form_has_token = True, False
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken" and attributes.get("value"):
            self.form_has_token = True

    def handle_endtag(self, tag):
        if tag == "form" and self.open_post_form:
            if not self.form_has_token:
                self.problems.append("POST form without csrfmiddlewaretoken")
            self.open_post_form = False


def audit(response) -> list[str]:
    parser = PageAudit()
    parser.feed(response.content.decode())
    parser.close()
    if "javascript:" in response.content.decode():
        parser.problems.append("javascript: URL")
    return parser.problems


def rendered_pages(client, world):
    """(who, path, response) for every main page that answers 200 with HTML to someone."""
    detail_paths = [
        reverse("orders:detail", kwargs={"pk": world["order"].pk}),
        world["receiving_path"],
    ]
    paths = parameterless_paths() + detail_paths
    for who in ("anonymous", "coordinator", "owner", "staff", "donor", "collector"):
        client.logout()
        if who != "anonymous":
            client.force_login(world[who])
        for path in paths:
            response = client.get(path)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                yield who, path, response


def test_the_main_pages_have_no_inline_script_or_style_and_every_post_form_has_a_csrf_token(client, world):
    checked, problems = set(), []
    for who, path, response in rendered_pages(client, world):
        checked.add(path)
        problems += [f"{path} as {who}: {problem}" for problem in audit(response)]
        if response.headers.get("Content-Security-Policy") != STRICT_HEADER:
            problems.append(f"{path} as {who}: missing or relaxed Content-Security-Policy")
        if response.headers.get("X-Frame-Options") != "DENY":
            problems.append(f"{path} as {who}: X-Frame-Options is not DENY")
    assert not problems, "\n".join(problems)
    # The pages the issue names were really opened, not skipped for an error.
    for path in [
        reverse("home"),
        reverse("login"),
        reverse("orders:list"),
        reverse("orders:detail", kwargs={"pk": world["order"].pk}),
        reverse("reports:dashboard"),
        world["receiving_path"],
        reverse("receiving:enter-code"),
    ]:
        assert path in checked
    assert len(checked) >= 20


@pytest.mark.parametrize("page", ["home", "login", "order", "dashboard", "receiving"])
def test_key_pages_send_the_strict_policy_and_refuse_framing(client_for, world, page):
    client = client_for(world["coordinator"])
    path = {
        "home": reverse("home"),
        "login": reverse("login"),
        "order": reverse("orders:detail", kwargs={"pk": world["order"].pk}),
        "dashboard": reverse("reports:dashboard"),
        "receiving": world["receiving_path"],
    }[page]
    if page == "login":
        client.logout()
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    for directive in STRICT_DIRECTIVES:
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_login_form_and_the_receiving_form_carry_a_csrf_token(client, world):
    for path in [reverse("login"), world["receiving_path"]]:
        page = client.get(path).content.decode()
        assert re.search(r'<form method="post"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', page), path


def test_a_post_without_csrf_token_is_refused(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "09121234567", "password": "x"})
    assert response.status_code == 403


def test_the_admin_keeps_scripts_to_its_own_files_but_may_use_inline_styles(client_for, db):
    admin = factories.UserFactory(mobile="09120000009", is_staff=True, is_superuser=True)
    response = client_for(admin).get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == ADMIN_HEADER
    assert "script-src 'self';" in ADMIN_HEADER
    assert response.headers["X-Frame-Options"] == "DENY"


def test_downloads_are_not_given_a_page_policy(client, db):
    response = client.get(reverse("healthz"))
    assert "Content-Security-Policy" not in response.headers


def test_the_production_profile_sends_cookies_only_over_https_and_hides_them_from_scripts():
    from tests.core.test_settings import PRODUCTION_ENV, run_django

    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "X_FRAME_OPTIONS",
        "TRUSTED_PROXY_COUNT",
    ]
    script = f"from django.conf import settings; print([getattr(settings, n) for n in {names!r}])"
    result = run_django(["shell", "-c", script], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str([True, True, True, True, "Lax", "Lax", "DENY", 0])


def test_a_cache_url_that_is_not_redis_stops_the_process():
    from tests.core.test_settings import run_django

    result = run_django(["check"], CACHE_URL="memcached://cache:11211")
    assert result.returncode != 0
    assert "CACHE_URL='memcached://cache:11211' is not a redis:// address" in result.stderr
