"""Cached sessions that bring the signed-in user's cached row in the same Redis round trip.

A signed-in page read the session from Redis, then (knowing the user's id
only from it) the user's row (``core.user_cache``): two round trips one after
the other, about a tenth of a millisecond each, on every page (issue 20's
signed-in floor). Each web process remembers which user a session key
belonged to the last time it read it; the next read of that session asks
Redis for both keys at once (``get_many``). The remembered id only chooses
which key to fetch: the user comes from the session read in that same round
trip, and a copy of another user's row is simply not used. The copy is handed
to ``core.user_cache.cached_user`` for this request only (a context variable,
emptied when the request ends), so it is never older than the session read
with it, and every change to a user still drops the cached copy first.

Used only with a shared cache (``CACHE_URL``, settings); the database stays
the original of every session, as with Django's ``cached_db``.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from . import user_cache

# Session keys whose user this process has seen; a guess for the next read, so a bound and a reset are enough.
_USER_OF_SESSION: dict[str, str] = {}
REMEMBERED_SESSIONS = 50_000


class SessionStore(CachedDBStore):
    def load(self):
        user_key = None
        guessed = _USER_OF_SESSION.get(self.session_key) if self.session_key else None
        keys = [self.cache_key]
        if guessed is not None:
            user_key = user_cache.cache_key(guessed)
            keys.append(user_key)
        try:
            found = self._cache.get_many(keys)
        except Exception:  # an invalid key, as cached_db does for get(): read the database instead
            found = {}
        data = found.get(self.cache_key)
        if data is None:
            data = super().load()  # the database's copy, put back into the cache
        user_id = data.get(SESSION_KEY)
        if user_id is not None:
            if len(_USER_OF_SESSION) >= REMEMBERED_SESSIONS:
                _USER_OF_SESSION.clear()
            _USER_OF_SESSION[self.session_key] = str(user_id)
            if guessed == str(user_id) and found.get(user_key) is not None:
                user_cache.prefetched(user_id, found[user_key])
        return data
