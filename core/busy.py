"""Lock timeouts become a polite "busy, try again" page (HTTP 409) instead of a server error.

When two people change the same thing at once, the second request waits for the
first one's row lock. PostgreSQL gives up after ``DATABASE_LOCK_TIMEOUT_MS``
(SQLSTATE 55P03, ``LockNotAvailable``), or ends one of two transactions waiting
for each other (40P01, ``DeadlockDetected``); SQLite says "database is locked"
after its busy timeout. Either way the service's ``transaction.atomic`` has already rolled
everything back by the time the exception reaches this middleware, so nothing
half-done was saved and asking the user to try again is the whole answer.
"""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LOCK_NOT_AVAILABLE = "55P03"
DEADLOCK_DETECTED = "40P01"
RETRY_AFTER_SECONDS = 5


def is_lock_timeout(exc: BaseException) -> bool:
    """True for "someone else holds the lock" errors; False for every other database failure (those stay 500s)."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in (LOCK_NOT_AVAILABLE, DEADLOCK_DETECTED):
        return True
    return "database is locked" in str(exc).lower()


def busy_response(request: HttpRequest) -> HttpResponse:
    """The 409 page, with a link back to the page the user was on."""
    try:
        content = render_to_string("409.html", {"retry_path": request.path}, request=request)
    except Exception:  # the page must not fail where it replaces a failure: fall back to plain words
        logger.exception("Could not render the busy page")
        content = _("Someone else is changing this right now. Nothing was saved; please try again in a moment.")
        return HttpResponse(content, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, status=409)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class BusyMiddleware:
    """Answers a view's lock timeout with :func:`busy_response`; other exceptions pass through untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_lock_timeout(exception):
            return None
        logger.warning("Lock timeout on %s %s: answered 409 busy", request.method, request.path)
        return busy_response(request)
