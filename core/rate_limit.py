"""Fixed-window limits on how often one address (or one number) may do something: sign up, ask for a code.

A counter per (scope, key) lives in Django's cache for ``window`` seconds from
its first hit. Keys are hashed, so whatever was typed makes a short, safe key.
Like the login lockout this needs a cache shared by all web processes in
production (``CACHE_URL``); with Redis away the cache answers empty and the
limits are off for a while, never the pages.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from .client_ip import client_ip
from .persian import ui_number


def _key(scope: str, key: str) -> str:
    return f"rate-limit:{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def count_in_window(cache_key: str, seconds: int | None) -> int:
    """Add one to the counter at ``cache_key`` and return it; the window starts with the first count.

    The one counter behind every limit here and the login lockout (``core.login_throttle``); ``None``
    keeps the counter until it is deleted.
    """
    cache.add(cache_key, 0, timeout=seconds)  # does nothing when the counter exists already
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired or evicted between add() and incr()
        cache.set(cache_key, 1, timeout=seconds)
        return 1


def hit(scope: str, key: str, *, limit: int, window_minutes: int) -> bool:
    """Count one attempt; True while it is within ``limit`` attempts per ``window_minutes``."""
    return count_in_window(_key(scope, key), window_minutes * 60) <= limit


def signup_limit() -> int:
    return getattr(settings, "SIGNUP_MAX_PER_ADDRESS", 20)


def signup_window_minutes() -> int:
    return getattr(settings, "SIGNUP_WINDOW_MINUTES", 60)


def too_many_attempts(request, *, minutes: int):
    """The 429 page: what happened and when to try again, in the UI's digits."""
    message = _("Too many attempts from your network. Please try again in %(minutes)s minutes.") % {
        "minutes": ui_number(minutes)
    }
    return render(request, "registration/too_many_attempts.html", {"message": message}, status=429)


def _signup_post_throttle(post):
    @functools.wraps(post)
    def wrapped(request, *args, **kwargs):
        minutes = signup_window_minutes()
        if not hit("signup", client_ip(request), limit=signup_limit(), window_minutes=minutes):
            return too_many_attempts(request, minutes=minutes)
        return post(request, *args, **kwargs)

    return wrapped


def signup_throttle(view_class):
    """Class decorator: limit a sign-up view's posts per address, since each answers whether a number is taken.

    Workshop and donor sign-up share one count, so switching forms does not help.
    """
    return method_decorator(_signup_post_throttle, name="post")(view_class)
