"""Every login path counts against the same lockout: the admin login, the main login, and per address too."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.models import Role

from .. import factories

MOBILE = "09121234567"
LOCKED = "Too many failed attempts: logging in with this number is blocked for 15 minutes."
ADDRESS_LOCKED = "Too many failed attempts from your network: logging in is blocked for 15 minutes."


@pytest.fixture
def coordinator_user(db):
    return factories.CoordinatorFactory(mobile=MOBILE, is_staff=True)


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def admin_login(client, password, mobile=MOBILE, **meta):
    return client.post(reverse("admin:login"), {"username": mobile, "password": password}, **meta)


def main_login(client, password, mobile=MOBILE, **meta):
    return client.post(reverse("login"), {"username": mobile, "password": password}, **meta)


def test_wrong_passwords_at_the_admin_login_lock_the_number_there_and_at_the_main_login(english, coordinator_user):
    for _ in range(5):
        response = admin_login(english, "wrong-password")
        assert not response.wsgi_request.user.is_authenticated
    refused_in_admin = admin_login(english, factories.TEST_PASSWORD)
    assert not refused_in_admin.wsgi_request.user.is_authenticated
    assert LOCKED in refused_in_admin.text
    refused_on_site = main_login(english, factories.TEST_PASSWORD)
    assert not refused_on_site.wsgi_request.user.is_authenticated
    assert LOCKED in refused_on_site.text


def test_a_lock_earned_at_the_main_login_also_closes_the_admin_login(english, coordinator_user):
    for _ in range(5):
        main_login(english, "wrong-password")
    response = admin_login(english, factories.TEST_PASSWORD)
    assert not response.wsgi_request.user.is_authenticated
    assert LOCKED in response.text


def test_failures_at_both_logins_add_up(english, coordinator_user):
    for _ in range(3):
        main_login(english, "wrong-password")
    for _ in range(2):
        admin_login(english, "wrong-password")
    assert not main_login(english, factories.TEST_PASSWORD).wsgi_request.user.is_authenticated


def test_the_admin_login_takes_the_number_in_persian_digits(client, coordinator_user):
    response = admin_login(client, factories.TEST_PASSWORD, mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert response.status_code == 302
    assert response.wsgi_request.user == coordinator_user


def test_the_admin_login_still_refuses_accounts_without_admin_access(client, db):
    factories.UserFactory(mobile="09127654321", role=Role.DONOR)
    response = admin_login(client, factories.TEST_PASSWORD, mobile="09127654321")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_one_address_spraying_guesses_at_many_numbers_is_locked_for_every_number(english, coordinator_user):
    numbers = [f"0912000{n:04d}" for n in range(5)]
    for number in numbers:
        for _ in range(4):  # below the per-number limit on each
            main_login(english, "wrong-password", mobile=number)
    refused = main_login(english, factories.TEST_PASSWORD)
    assert not refused.wsgi_request.user.is_authenticated
    assert ADDRESS_LOCKED in refused.text
    assert ADDRESS_LOCKED in admin_login(english, factories.TEST_PASSWORD).text
    elsewhere = main_login(english, factories.TEST_PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert elsewhere.wsgi_request.user == coordinator_user


def test_the_per_address_limit_comes_from_settings(english, coordinator_user, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for number in ["09120000001", "09120000002", "09120000003"]:
        main_login(english, "wrong-password", mobile=number)
    response = main_login(english, factories.TEST_PASSWORD)
    assert ADDRESS_LOCKED in response.text


def test_the_address_lock_is_shown_in_persian_with_persian_digits(client, coordinator_user, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    main_login(client, "wrong-password", mobile="09120000001")
    main_login(client, "wrong-password", mobile="09120000002")
    response = main_login(client, factories.TEST_PASSWORD)
    assert "به دلیل تلاش‌های ناموفق زیاد از شبکهٔ شما، ورود برای ۱۵ دقیقه بسته شد." in response.text


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_the_number_box_takes_a_number_typed_with_spaces_and_a_country_code(client, db, url_name):
    # Django's login form caps the box at the model's 11 characters: a phone then cut "۰۹۱۲ ۳۴۵ ۶۷۸۹" short.
    response = client.get(reverse(url_name))
    maxlength = int(re.search(r'name="username"[^>]*maxlength="(\d+)"', response.text).group(1))
    assert maxlength >= len("+98 912 345 6789")
