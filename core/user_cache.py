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
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache

# A backstop only (see above): a row changed by hand in SQL is seen again within this long.
USER_CACHE_TTL = timedelta(minutes=5)
_KEY = "hamdeli:user:{pk}"


def enabled() -> bool:
    """True when every web process shares the cache (``CACHE_URL`` set)."""
    return bool(getattr(settings, "CACHE_URL", ""))


def _key(pk: object) -> str:
    return _KEY.format(pk=pk)


def cached_user(pk: object, load: Callable[[object], object | None]):
    """The user with primary key ``pk``: from the shared cache, else ``load(pk)`` (kept for the next request)."""
    if not enabled():
        return load(pk)
    user = cache.get(_key(pk))
    if user is None:
        user = load(pk)
        if user is not None:
            cache.set(_key(pk), user, USER_CACHE_TTL.total_seconds())
    return user


def forget(pks: Iterable[object]) -> None:
    """Drop the cached copies of these users (called wherever their rows change)."""
    if enabled():
        cache.delete_many([_key(pk) for pk in pks])


def forget_saved(sender, instance, **kwargs) -> None:
    """``post_save`` / ``post_delete`` receiver."""
    forget([instance.pk])
