"""Issue 20: with a shared cache (Redis), a signed-in page reads its session and user without the database, and
every way a session or a user ends or changes is seen on the very next page, Redis outages included."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import cache_backends
from core.models import Role, User

from .. import factories
from .test_redis_outage import REDIS_SERVER, RedisServer

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None and not os.environ.get("CI"), reason="redis-server is not installed (CI installs it)"
)

MOBILE = "09125550000"


@pytest.fixture
def shared_cache(tmp_path, settings, db):
    """What production's ``CACHE_URL`` turns on: the Redis cache, cached sessions and cached users."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHE_URL = server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.DegradingRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "core.sessions"
    yield server
    server.stop()


def logged_in(client, user: User):
    client.cookies["hamdeli_language"] = "en"
    response = client.post(reverse("login"), {"username": user.mobile, "password": factories.TEST_PASSWORD})
    assert response.status_code == 302
    return client


def second_tab(client):
    """Another browser tab (or another web process) holding the same session cookie."""
    other = Client()
    for name, morsel in client.cookies.items():
        other.cookies[name] = morsel.value  # a copy: the logout's expired cookie reaches only the tab that logged out
    return other


def page_is_signed_in(client) -> bool:
    response = client.get(reverse("quotas:inbox"))
    return response.status_code == 200


def session_or_user_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"django_session"' in q["sql"] or 'FROM "core_user"' in q["sql"]]


def test_with_a_shared_cache_a_signed_in_page_reads_neither_session_nor_user_from_the_database(client, shared_cache):
    owner = factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)
    logged_in(client, owner)
    assert page_is_signed_in(client)  # the first page after login keeps the user in the cache

    with CaptureQueriesContext(connection) as queries:
        assert page_is_signed_in(client)

    assert session_or_user_queries(queries.captured_queries) == []


def test_without_a_shared_cache_sessions_stay_in_the_database_only():
    """A per-process cache would keep a session alive in one process after a logout in another."""
    probe = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hamdeli.settings", "CACHE_URL": ""}
    without = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"], env=env, capture_output=True, text=True
    )
    env["CACHE_URL"] = "redis://127.0.0.1:6379/9"
    with_redis = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"], env=env, capture_output=True, text=True
    )
    assert without.stdout.strip() == "django.contrib.sessions.backends.db", without.stderr
    assert with_redis.stdout.strip() == "core.sessions", with_redis.stderr


def test_a_logout_in_one_tab_signs_the_same_session_out_in_every_other_tab(client, shared_cache):
    owner = factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)
    logged_in(client, owner)
    other = second_tab(client)
    assert page_is_signed_in(other)

    client.post(reverse("logout"))

    assert not page_is_signed_in(other)


def test_a_password_changed_by_an_admin_signs_her_out_on_the_next_page(client, shared_cache):
    owner = factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)
    logged_in(client, owner)
    assert page_is_signed_in(client)

    owner.set_password("a-new-password-1405")
    owner.save()

    assert not page_is_signed_in(client)


def test_a_user_deactivated_by_a_bulk_update_is_signed_out_on_the_next_page(client, shared_cache):
    owner = factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)
    logged_in(client, owner)
    assert page_is_signed_in(client)

    User.objects.filter(pk=owner.pk).update(is_active=False)

    assert not page_is_signed_in(client)


def test_a_logout_while_redis_hangs_stays_a_logout_once_redis_answers_again(client, shared_cache, monkeypatch):
    monkeypatch.setattr(cache_backends, "OUTAGE_PAUSE", 0.0)  # ask Redis again at once once it answers
    owner = factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)
    logged_in(client, owner)
    other = second_tab(client)
    assert page_is_signed_in(other)  # the session is in Redis now

    with shared_cache.hung():
        client.post(reverse("logout"))  # the database forgets the session; Redis cannot be told

    assert not page_is_signed_in(other)  # Redis still holds the old copy: it must not count


def test_with_redis_hung_signed_in_pages_pay_one_socket_timeout_not_one_per_cache_call(client, shared_cache):
    owner = factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)
    logged_in(client, owner)
    assert page_is_signed_in(client)

    with shared_cache.hung():
        started = time.monotonic()
        signed_in = [page_is_signed_in(client) for _ in range(4)]
        elapsed = time.monotonic() - started

    assert signed_in == [True] * 4  # the session and the user come from the database meanwhile
    # Session, user and banner reads on four pages would be 12 timeouts of a second; the pause makes it one.
    assert elapsed < 4


def test_cache_calls_reuse_one_redis_client_instead_of_building_one_per_call(shared_cache):
    """Django builds a ``redis.Redis`` per call (about 0.3 ms each); core.cache_backends keeps one per pool."""
    from django.core.cache import cache

    cache.set("probe", 1)
    client = cache._cache.get_client(write=True)
    assert cache.get("probe") == 1
    assert cache._cache.get_client(write=True) is client


def test_a_signed_in_page_reads_her_session_and_her_user_in_one_round_trip_to_redis(client, shared_cache, monkeypatch):
    """Two round trips one after the other (session, then the user it names) were a tenth of every page's floor."""
    from django.core.cache import cache

    owner = factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)
    logged_in(client, owner)
    assert page_is_signed_in(client)  # this process learns whose session it is, the cache holds both copies
    redis_client = cache._cache.get_client()
    commands = []
    original = redis_client.execute_command

    def counted(*args, **kwargs):
        commands.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(redis_client, "execute_command", counted)

    with CaptureQueriesContext(connection) as queries:
        assert page_is_signed_in(client)

    assert commands == ["MGET"]
    assert session_or_user_queries(queries.captured_queries) == []


def test_a_user_copy_read_with_one_session_is_never_used_for_another_users_session(client, shared_cache):
    from core.sessions import SessionStore

    first = factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)
    second = factories.UserFactory(mobile="09127777777", role=Role.WORKSHOP_OWNER, full_name="صاحب دوم")
    logged_in(client, first)
    assert page_is_signed_in(client)
    session_key = client.cookies["sessionid"].value
    # The same session key now belongs to the second user: this process's remembered guess is wrong.
    store = SessionStore(session_key)
    store["_auth_user_id"] = str(second.pk)
    store["_auth_user_hash"] = second.get_session_auth_hash()
    store.save()

    response = client.get(reverse("quotas:inbox"))

    assert response.wsgi_request.user == second


def test_a_made_up_session_cookie_of_three_thousand_characters_is_simply_not_signed_in(client, shared_cache):
    # As WSGI hands over a cookie's UTF-8 bytes (latin-1): a right-to-left override, markup and 3,000 characters.
    client.cookies["sessionid"] = ("\u202e<script>" + "x" * 3000).encode().decode("latin-1")

    response = client.get(reverse("quotas:inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
