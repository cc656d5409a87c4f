"""The address a request really came from, for rate limits and lockouts.

``X-Forwarded-For`` is written by whoever sends the request, so it is read only
when the site is configured to sit behind its own reverse proxies
(``TRUSTED_PROXY_COUNT``). Each proxy appends the address it saw, so with N of
our proxies in front the Nth address from the end is the one the outermost
proxy received the request from; everything before it may be invented.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """``REMOTE_ADDR``, or the address our own proxy appended to ``X-Forwarded-For`` when it is trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted_proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted_proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < trusted_proxies:
        return remote  # the request did not pass through all our proxies: nothing to trust
    candidate = forwarded[-trusted_proxies]
    return candidate if _valid_ip(candidate) else remote
