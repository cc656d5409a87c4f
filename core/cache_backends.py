"""A Redis cache that keeps the site up when Redis is down.

Hamdeli keeps in the cache the counters that slow down guessing (wrong
passwords, wrong delivery codes) and copies of what every page reads: the
session (``cached_db``: the database keeps the original), the signed-in user
(``core.user_cache``) and the background-work banner. When Redis is
unreachable, Django's own Redis cache raises on every call and each page would
answer 500. This backend logs the outage and answers as an empty cache
instead: reads find nothing (sessions and users come from the database), writes
are dropped, a counter cannot be incremented. The throttles then let attempts
through until Redis is back — a deliberate choice: during an outage every owner
being locked out is worse than a few minutes without the guessing limit
(passwords are still checked).

Two more rules keep that safe and quick:

- After a failure the process does not ask Redis again for ``OUTAGE_PAUSE``
  seconds: a hung Redis would otherwise cost every page a socket timeout per
  cache call (session, user, banner).
- A write or delete dropped during an outage may have left a stale copy in
  Redis (a logout whose session stays cached, a password change whose old user
  row stays cached). So the first call that reaches Redis again after a dropped
  write empties this cache database first; everything in it is a copy or a
  throttle counter, so nothing is lost but a few minutes of the guessing limit.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("hamdeli.cache")


# Seconds without asking Redis after a failure (see the module docstring).
OUTAGE_PAUSE = 5.0
# Calls that change what Redis holds: dropping one may leave a stale copy behind.
WRITES = frozenset({"add", "set", "set_many", "touch", "incr", "delete", "delete_many", "clear"})


class _Outage:
    """Per process and cache location: until when Redis is not asked, and whether a write was dropped."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.paused_until = 0.0
        self.dropped_write = False


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


def _degrading(name: str, answer_when_down):
    """``RedisCache.<name>`` that logs a Redis error and returns what an empty cache would."""
    method = getattr(RedisCache, name)
    is_write = name in WRITES

    def degrading(self, *args, **kwargs):
        outage = self._hamdeli_outage
        if time.monotonic() < outage.paused_until:
            if is_write:
                outage.dropped_write = True
            return answer_when_down(*args, **kwargs)
        try:
            if outage.dropped_write:
                with outage.lock:
                    if outage.dropped_write:
                        RedisCache.clear(self)  # stale copies may be left from the outage (module docstring)
                        outage.dropped_write = False
                        logger.warning("cache reachable again: emptied it, writes were dropped during the outage")
            return method(self, *args, **kwargs)
        except RedisError as exc:
            outage.paused_until = time.monotonic() + OUTAGE_PAUSE
            if is_write:
                outage.dropped_write = True
            logger.warning("cache unavailable (%s): %s", name, exc)
            return answer_when_down(*args, **kwargs)

    degrading.__name__ = name
    return degrading


def _key_not_found(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache is unavailable).")


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool instead of making one per call.

    ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call; with redis-py 5 that
    costs about 0.3 ms, as much as the round trip, and a signed-in page makes two or three calls (session,
    user, banner). A ``redis.Redis`` takes a connection from its pool for each command, so one per pool is safe
    to share between threads. ``tests/core/test_signed_in_cache.py`` pins that calls reuse it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        # Shared by every thread's instance of this cache in the process (Django makes one per thread).
        self._hamdeli_outage = _outage(str(server))

    get = _degrading("get", lambda key, default=None, version=None: default)
    get_many = _degrading("get_many", lambda *args, **kwargs: {})
    has_key = _degrading("has_key", lambda *args, **kwargs: False)
    add = _degrading("add", lambda *args, **kwargs: False)
    set = _degrading("set", lambda *args, **kwargs: None)
    set_many = _degrading("set_many", lambda data, *args, **kwargs: list(data))
    touch = _degrading("touch", lambda *args, **kwargs: False)
    incr = _degrading("incr", _key_not_found)  # as for a missing counter: callers start it again
    delete = _degrading("delete", lambda *args, **kwargs: False)
    delete_many = _degrading("delete_many", lambda *args, **kwargs: None)
    clear = _degrading("clear", lambda *args, **kwargs: None)
