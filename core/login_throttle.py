"""Login lockout: too many wrong passwords for one mobile number from one address, or from one address at all.

Every password check goes through here, because ``core.auth.MobileNumberBackend``
calls it: the main login page, ``/admin/login/`` and the current-password check
of the change page all count against the same limits.

Counted per (normalized mobile number, client IP) in Django's cache, so a
guesser cannot lock a worker out of her account from another network, and one
address trying many numbers is slowed on each of them. After
``LOGIN_MAX_FAILURES`` failures within ``LOGIN_LOCKOUT_MINUTES`` the pair is
locked for ``LOGIN_LOCKOUT_MINUTES``: even the right password is refused (it is
not even checked, so the lock gives no hint whether a guess was right). A
successful login clears the count. Beside it, ``LOGIN_MAX_FAILURES_PER_ADDRESS``
failures from one address, whatever the numbers, lock that address for every
number: otherwise one address could spray a few guesses at each of thousands.

A password reset by SMS code clears every lock of the number (``clear_number``):
pair keys carry a per-number generation, so bumping it retires them all without
knowing the addresses.

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
from .rate_limit import count_in_window

LOCKED_ACTION = "login.locked"
NUMBER = "number"
ADDRESS = "address"


def max_failures() -> int:
    return getattr(settings, "LOGIN_MAX_FAILURES", 5)


def lockout_minutes() -> int:
    return getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15)


def max_failures_per_address() -> int:
    return getattr(settings, "LOGIN_MAX_FAILURES_PER_ADDRESS", 20)


def _now() -> float:
    return time.time()


def _digest(text: str) -> str:
    # Hashed: cache keys must be short and free of odd characters whatever was typed.
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _generation_key(mobile: str) -> str:
    return f"login-throttle:generation:{_digest(mobile)}"


def _key(kind: str, mobile: str, ip: str) -> str:
    generation = cache.get(_generation_key(mobile), 0)
    return f"login-throttle:{kind}:{_digest(f'{mobile}|{ip}|{generation}')}"


def _address_key(kind: str, ip: str) -> str:
    return f"login-throttle:address-{kind}:{_digest(ip)}"


def _is_lock_live(key: str) -> bool:
    locked_until = cache.get(key)
    return locked_until is not None and locked_until > _now()


def lock_reason(mobile: str, ip: str) -> str | None:
    """``ADDRESS`` when the address is locked for every number, ``NUMBER`` when only this pair is, else None."""
    if ip and _is_lock_live(_address_key("locked", ip)):
        return ADDRESS
    if _is_lock_live(_key("locked", mobile, ip)):
        return NUMBER
    return None


def is_locked(mobile: str, ip: str) -> bool:
    return lock_reason(mobile, ip) is not None


def _lock(failures_key: str, locked_key: str, window: int) -> bool:
    """Turn the failures behind ``failures_key`` into a lock; False when another request locked it first."""
    if not _is_lock_live(locked_key):
        cache.delete(locked_key)  # an expired lock the backend still holds
    # The lock now stands for these failures; after it ends the count starts again from zero.
    cache.delete(failures_key)
    return cache.add(locked_key, _now() + window, timeout=window)


def record_failure(mobile: str, ip: str) -> bool:
    """Count one wrong password; returns True when this failure locked the pair or the address."""
    window = lockout_minutes() * 60
    address_locked = False
    if ip:
        address_failures_key = _address_key("failures", ip)
        if count_in_window(address_failures_key, window) >= max_failures_per_address():
            address_locked = _lock(address_failures_key, _address_key("locked", ip), window)
    failures_key = _key("failures", mobile, ip)
    failures = count_in_window(failures_key, window)
    if failures < max_failures():
        return address_locked
    if not _lock(failures_key, _key("locked", mobile, ip), window):
        return address_locked  # another request locked it first: one audit entry per lockout
    _audit_lockout(mobile, ip, failures)
    return True


def reset(mobile: str, ip: str) -> None:
    """A right password: this pair starts counting from zero (the address's count stays)."""
    cache.delete_many([_key("failures", mobile, ip), _key("locked", mobile, ip)])


def clear_number(mobile: str) -> None:
    """Forget every count and lock of ``mobile``, from every address: its owner proved herself by SMS."""
    count_in_window(_generation_key(mobile), None)  # a new generation: every older key is left behind


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
