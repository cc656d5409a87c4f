"""The signed-in user without a database round trip on every page, where a shared cache makes that safe.

Every signed-in request reads the session and then the user's row. With a
cache that all web processes share (``CACHE_URL``: Redis), the session is kept
there too (``cached_db`` sessions, settings) and so is the user's row, here.
With only a per-process cache (the embedded default) neither is cached: a
logout, a password change or a deactivation seen by one process would stay
unseen by the others until the entry expired.

Every way a user's row changes drops the cached copy in the same breath:
``save()`` and ``delete()`` (signals, connected in ``CoreConfig.ready``), a
queryset ``update()`` on users (``UserQuerySet``). Her provinces are not in
the copy (a many-to-many relation is read from its table when asked). The expiry is a backstop for a change made
outside Django (SQL by hand), not the mechanism.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache

# A backstop only (see above): a row changed by hand in SQL is seen again within this long.
USER_CACHE_TTL = timedelta(minutes=5)
_KEY = "hamdeli:user:{pk}"
# The copy ``core.sessions`` read together with this request's session: (user id, user), this request only.
_prefetched: ContextVar[tuple[str, object] | None] = ContextVar("hamdeli_prefetched_user", default=None)


def enabled() -> bool:
    """True when every web process shares the cache (``CACHE_URL`` set)."""
    return bool(getattr(settings, "CACHE_URL", ""))


def cache_key(pk: object) -> str:
    return _KEY.format(pk=pk)


def prefetched(pk: object, user: object) -> None:
    """Hand over the copy of user ``pk`` read in the same round trip as the session (``core.sessions``)."""
    _prefetched.set((str(pk), user))


def forget_prefetched(**kwargs) -> None:
    """``request_finished`` receiver: a copy read for one request is never used by a later one."""
    _prefetched.set(None)


def cached_user(pk: object, load: Callable[[object], object | None]):
    """The user with primary key ``pk``: from the shared cache, else ``load(pk)`` (kept for the next request)."""
    if not enabled():
        return load(pk)
    handed_over = _prefetched.get()
    _prefetched.set(None)  # used once
    if handed_over is not None and handed_over[0] == str(pk):
        return handed_over[1]
    user = cache.get(cache_key(pk))
    if user is None:
        user = load(pk)
        if user is not None:
            cache.set(cache_key(pk), user, USER_CACHE_TTL.total_seconds())
    return user


def forget(pks: Iterable[object]) -> None:
    """Drop the cached copies of these users (called wherever their rows change)."""
    if enabled():
        pks = [str(pk) for pk in pks]
        handed_over = _prefetched.get()
        if handed_over is not None and handed_over[0] in pks:
            _prefetched.set(None)
        cache.delete_many([cache_key(pk) for pk in pks])


def forget_saved(sender, instance, **kwargs) -> None:
    """``post_save`` / ``post_delete`` receiver."""
    forget([instance.pk])
