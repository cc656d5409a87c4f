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


class DegradingRedisCache(RedisCache):
    def _unavailable(self, operation: str, exc: Exception) -> None:
        logger.warning("cache unavailable (%s): %s", operation, exc)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            self._unavailable("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            self._unavailable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as exc:
            self._unavailable("has_key", exc)
            return False

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            self._unavailable("add", exc)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            self._unavailable("set", exc)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as exc:
            self._unavailable("set_many", exc)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as exc:
            self._unavailable("touch", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            self._unavailable("incr", exc)
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).") from exc

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as exc:
            self._unavailable("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError as exc:
            self._unavailable("delete_many", exc)

    def clear(self):
        try:
            return super().clear()
        except RedisError as exc:
            self._unavailable("clear", exc)
