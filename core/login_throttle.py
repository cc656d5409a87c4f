"""Login lockout: too many wrong passwords for one mobile number from one address.

Counted per (normalized mobile number, client IP) in Django's cache, so a
guesser cannot lock a worker out of her account from another network, and one
address trying many numbers is slowed on each of them. After
``LOGIN_MAX_FAILURES`` failures within ``LOGIN_LOCKOUT_MINUTES`` the pair is
locked for ``LOGIN_LOCKOUT_MINUTES``: even the right password is refused (it is
not even checked, so the lock gives no hint whether a guess was right). A
successful login clears the count.

The lock-until time is stored in the value (not only as the cache timeout) so
the check does not depend on how a cache backend expires keys, and tests can
move the clock through ``_now``. Production needs a cache shared by all web
processes (``CACHE_URL``), or each process counts on its own.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from .audit import log_action

LOCKED_ACTION = "login.locked"


def max_failures() -> int:
    return getattr(settings, "LOGIN_MAX_FAILURES", 5)


def lockout_minutes() -> int:
    return getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15)


def _now() -> float:
    return time.time()


def _key(kind: str, mobile: str, ip: str) -> str:
    # Hashed: cache keys must be short and free of odd characters whatever was typed.
    digest = hashlib.sha256(f"{mobile}|{ip}".encode()).hexdigest()[:32]
    return f"login-throttle:{kind}:{digest}"


def is_locked(mobile: str, ip: str) -> bool:
    locked_until = cache.get(_key("locked", mobile, ip))
    return locked_until is not None and locked_until > _now()


def record_failure(mobile: str, ip: str) -> bool:
    """Count one wrong password; returns True when this failure locked the pair."""
    window = lockout_minutes() * 60
    failures_key = _key("failures", mobile, ip)
    # The window starts with the first failure; add() does nothing when the counter exists already.
    cache.add(failures_key, 0, timeout=window)
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add() and incr()
        cache.set(failures_key, 1, timeout=window)
        failures = 1
    if failures < max_failures():
        return False
    locked_key = _key("locked", mobile, ip)
    if not is_locked(mobile, ip):
        cache.delete(locked_key)  # an expired lock the backend still holds
    # The lock now stands for these failures; after it ends the count starts again from zero.
    cache.delete(failures_key)
    if not cache.add(locked_key, _now() + window, timeout=window):
        return False  # another request locked it first: one audit entry per lockout
    _audit_lockout(mobile, ip, failures)
    return True


def reset(mobile: str, ip: str) -> None:
    cache.delete_many([_key("failures", mobile, ip), _key("locked", mobile, ip)])


def _audit_lockout(mobile: str, ip: str, failures: int) -> None:
    user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: mobile}).first()
    if user is None:
        return  # no account behind the number: nothing to protect, nothing to attach the entry to
    log_action(
        actor=None,
        obj=user,
        action=LOCKED_ACTION,
        changes={"login_locked": [False, True]},
        note=f"{failures} failed logins from {ip}; locked for {lockout_minutes()} minutes",
    )
