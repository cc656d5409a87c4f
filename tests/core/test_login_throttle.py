"""Repeated wrong passwords lock one mobile number from one address for a while."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core import login_throttle
from core.client_ip import client_ip
from core.forms_auth import LOCKED_MESSAGE
from core.models import AuditLog, Role

from .. import factories

MOBILE = "09121234567"
ENGLISH_MESSAGE = "Too many failed attempts: logging in with this number is blocked for 15 minutes."


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return factories.UserFactory(mobile=MOBILE, role=Role.DONOR)


def attempt(client, password, *, mobile=MOBILE, **meta):
    return client.post(reverse("login"), {"username": mobile, "password": password}, **meta)


def fail(client, times, *, mobile=MOBILE, **meta):
    for _ in range(times):
        response = attempt(client, "wrong-password", mobile=mobile, **meta)
        assert not response.wsgi_request.user.is_authenticated
    return response


def test_five_wrong_passwords_lock_the_number_even_for_the_right_password_in_english(client, user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fail(client, 4)
    fifth = attempt(client, "wrong-password")
    assert ENGLISH_MESSAGE in fifth.text
    response = attempt(client, factories.TEST_PASSWORD)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert ENGLISH_MESSAGE in response.text


def test_the_lock_message_is_shown_in_persian_with_persian_digits(client, user):
    fail(client, 5)
    response = attempt(client, factories.TEST_PASSWORD)
    assert not response.wsgi_request.user.is_authenticated
    with translation.override("fa"):
        # The lead's catalog gives «به دلیل تلاش‌های ناموفق زیاد، ورود با این شماره برای ۱۵ دقیقه بسته شد.»
        expected = str(LOCKED_MESSAGE) % {"minutes": "۱۵"}
    assert expected in response.text
    assert "۱۵" in expected


def test_four_wrong_passwords_do_not_lock_and_a_success_resets_the_count(client, user):
    fail(client, 4)
    assert attempt(client, factories.TEST_PASSWORD).wsgi_request.user.is_authenticated
    client.logout()
    fail(client, 4)  # counted from zero again: four more failures are still not a lock
    assert attempt(client, factories.TEST_PASSWORD).wsgi_request.user.is_authenticated


def test_another_number_from_the_same_address_is_not_locked(client, user):
    other = factories.UserFactory(mobile="09127654321")
    fail(client, 5)
    response = attempt(client, factories.TEST_PASSWORD, mobile=other.mobile)
    assert response.wsgi_request.user == other


def test_the_same_number_from_another_address_is_not_locked(client, user):
    fail(client, 5, REMOTE_ADDR="203.0.113.7")
    response = attempt(client, factories.TEST_PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert response.wsgi_request.user == user


def test_the_number_typed_in_persian_digits_counts_as_the_same_number(client, user):
    fail(client, 5, mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert not attempt(client, factories.TEST_PASSWORD).wsgi_request.user.is_authenticated


def test_a_forged_forwarded_for_header_does_not_escape_the_lock_by_default(client, user):
    for n in range(5):
        attempt(client, "wrong-password", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = attempt(client, factories.TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert not response.wsgi_request.user.is_authenticated


def test_behind_one_trusted_proxy_the_address_it_appended_is_the_client(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client may invent the first entry; the proxy appends the real address last.
    fail(client, 5, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    locked = attempt(client, factories.TEST_PASSWORD, HTTP_X_FORWARDED_FOR="5.6.7.8, 203.0.113.7")
    assert not locked.wsgi_request.user.is_authenticated
    elsewhere = attempt(client, factories.TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.9")
    assert elsewhere.wsgi_request.user == user


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "not-an-address", "192.0.2.1"),
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
    ],
)
def test_client_ip_trusts_only_the_configured_number_of_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_lock_ends_after_the_lockout_minutes(client, user):
    fail(client, 5)
    assert not attempt(client, factories.TEST_PASSWORD).wsgi_request.user.is_authenticated
    later = login_throttle._now() + 15 * 60 + 1
    with mock.patch.object(login_throttle, "_now", return_value=later):
        assert attempt(client, factories.TEST_PASSWORD).wsgi_request.user == user


def test_the_limits_come_from_settings(client, user, settings):
    settings.LOGIN_MAX_FAILURES = 2
    settings.LOGIN_LOCKOUT_MINUTES = 3
    settings.LANGUAGE_CODE = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fail(client, 2)
    response = attempt(client, factories.TEST_PASSWORD)
    assert not response.wsgi_request.user.is_authenticated
    assert "blocked for 3 minutes" in response.text


def test_each_lockout_writes_one_audit_entry_for_the_account(client, user):
    fail(client, 5)
    attempt(client, factories.TEST_PASSWORD)
    attempt(client, "wrong-password")
    entries = AuditLog.objects.filter(action=login_throttle.LOCKED_ACTION)
    assert entries.count() == 1
    assert entries.get().object_id == str(user.pk)
    assert "127.0.0.1" in entries.get().note


def test_an_unknown_number_is_locked_too_so_the_lock_reveals_no_account(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = fail(client, 5, mobile="09129999999")
    assert ENGLISH_MESSAGE in response.text
    assert not AuditLog.objects.filter(action=login_throttle.LOCKED_ACTION).exists()
