"""Content-Security-Policy on every HTML page.

Hamdeli's pages have no inline scripts or styles (everything is in
``static/``), so the policy allows only the site's own files: an injected
``<script>`` or ``style="…"`` does nothing. ``frame-ancestors 'none'`` repeats
``X-Frame-Options: DENY`` for browsers that read only the CSP.

The Django admin is the one exception: some of its templates put a ``<style>``
block in the page (e.g. the change list without actions) and its widgets set
``style="…"`` attributes, so under ``/admin/`` inline styles are allowed.
Scripts stay ``'self'`` there too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
ADMIN_POLICY = {**POLICY, "style-src": "'self' 'unsafe-inline'"}


def _header(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


STRICT_HEADER = _header(POLICY)
ADMIN_HEADER = _header(ADMIN_POLICY)


def _admin_prefix() -> str | None:
    return _admin_prefix_under(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=8)
def _admin_prefix_under(script_prefix: str, urlconf: str) -> str | None:
    """Reversed once per process, script prefix and URL configuration: every HTML answer asks (a reverse() costs
    about 30 µs)."""
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "text/html" not in response.get("Content-Type", ""):
            return response  # downloads, JSON, PDFs: nothing a policy would restrict
        admin_prefix = _admin_prefix()
        is_admin = admin_prefix is not None and request.path.startswith(admin_prefix)
        response.headers.setdefault("Content-Security-Policy", ADMIN_HEADER if is_admin else STRICT_HEADER)
        # Django's SecurityMiddleware sets this too (SECURE_CROSS_ORIGIN_OPENER_POLICY); kept for clarity.
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
