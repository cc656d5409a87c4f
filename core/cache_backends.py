"""A Redis cache that keeps the site up when Redis is down.

Hamdeli uses the cache only for counters that slow down guessing (wrong
passwords, wrong delivery codes); sessions live in the database. When Redis
is unreachable, Django's own Redis cache raises on every call and each login
page would answer 500. This backend logs the outage and answers as an empty
cache instead: reads find nothing, writes are dropped, a counter cannot be
incremented. The throttles then let attempts through until Redis is back — a
deliberate choice: during an outage every owner being locked out is worse than
a few minutes without the guessing limit (passwords are still checked).
"""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("hamdeli.cache")


def _degrading(name: str, answer_when_down):
    """``RedisCache.<name>`` that logs a Redis error and returns what an empty cache would."""
    method = getattr(RedisCache, name)

    def degrading(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            logger.warning("cache unavailable (%s): %s", name, exc)
            return answer_when_down(*args, **kwargs)

    degrading.__name__ = name
    return degrading


def _key_not_found(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache is unavailable).")


class DegradingRedisCache(RedisCache):
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
