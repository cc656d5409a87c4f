"""Changing one's own password, and choosing her own when a coordinator or an admin set it."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from core import login_throttle
from core.auth import ForcePasswordChangeMiddleware
from core.models import AuditLog, Role, User
from core.password_reset import CHANGE_ACTION
from fulfilment.services.collection import collector_appoint

from .. import factories

NEW_PASSWORD = "my-own-pass-1405"


@pytest.fixture
def donor(db):
    return factories.UserFactory(mobile="09121234567", role=Role.DONOR)


@pytest.fixture
def english(settings):
    def switch(client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return switch


def change(client, old=factories.TEST_PASSWORD, new=NEW_PASSWORD, again=None, **meta):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(reverse("password_change"), data, **meta)


def logs_in(mobile, password) -> bool:
    client = Client()
    return client.post(reverse("login"), {"username": mobile, "password": password}).wsgi_request.user.is_authenticated


def test_a_signed_in_user_changes_her_password_and_stays_signed_in(client_for, donor):
    client = client_for(donor)
    response = change(client, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "گذرواژهٔ شما تغییر کرد." in response.text
    assert response.wsgi_request.user == donor
    assert logs_in(donor.mobile, NEW_PASSWORD)
    assert not logs_in(donor.mobile, factories.TEST_PASSWORD)
    entry = AuditLog.objects.get(action=CHANGE_ACTION)
    assert entry.object_id == str(donor.pk) and NEW_PASSWORD not in str(entry.changes)


def test_the_change_ends_her_other_sessions(client_for, donor):
    phone = Client()
    phone.force_login(donor)
    change(client_for(donor))
    response = phone.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_wrong_current_password_is_refused_and_counts_toward_the_lockout(client_for, donor, english):
    client = english(client_for(donor))
    response = change(client, old="not-my-password")
    assert "Your old password was entered incorrectly." in response.text
    for _ in range(4):
        change(client, old="not-my-password")
    locked = change(client)
    assert "logging in with this number is blocked for 15 minutes" in locked.text
    assert login_throttle.is_locked(donor.mobile, "127.0.0.1")
    assert not logs_in(donor.mobile, factories.TEST_PASSWORD)


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_signed_in_menu_links_to_change_password(client_for, donor):
    assert reverse("password_change") in client_for(donor).get(reverse("home")).text


def test_the_password_rules_are_shown_with_persian_digits_in_persian(client_for, donor):
    response = client_for(donor).get(reverse("password_change"))
    assert "گذرواژه باید دست‌کم ۸ نویسه داشته باشد." in response.text
    too_short = change(client_for(donor), new="kot1", again="kot1")
    assert "دست‌کم ۸ نویسه" in too_short.text
    assert "8" not in too_short.text.split("errorlist")[1].split("</ul>")[0]
    with translation.override("en"):
        assert "at least 8 characters" in str(password_validators_help_text_html())


def test_a_new_collector_must_choose_her_own_password_at_first_login(client, coordinator):
    collector = collector_appoint(
        actor=coordinator, mobile="09127654321", full_name="علی جمع‌آور", provinces=[factories.province()]
    )
    response = client.post(
        reverse("login"), {"username": collector.mobile, "password": collector.temporary_password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "گذرواژهٔ شما را هماهنگ‌کننده داده است" in response.text
    assert "old_password" not in response.text  # she has just typed it
    assert client.get(reverse("pickups:workshops"))["Location"] == reverse("password_change")
    same = change(client, old="", new=collector.temporary_password)
    assert "گذرواژه‌ای غیر از گذرواژه‌ای که به شما داده شده بود" in same.text
    done = change(client, old="", follow=True)
    assert done.redirect_chain[-1][0] == reverse("home")
    assert client.get(reverse("pickups:workshops")).status_code == 200
    assert not User.objects.get(pk=collector.pk).must_change_password


def test_a_user_who_must_change_her_password_may_still_log_out_and_load_static_files(client, db):
    user = factories.UserFactory(role=Role.DONOR, must_change_password=True)
    # The middleware itself: fetching a static file through the test client closes its database connection.
    middleware = ForcePasswordChangeMiddleware(lambda request: HttpResponse("served"))
    request = RequestFactory().get("/static/css/app.css")
    request.user = user
    assert middleware(request).content == b"served"
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    client.post(reverse("logout"))
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_an_admin_who_adds_a_user_or_sets_her_password_makes_her_choose_her_own(client, db):
    admin_user = factories.UserFactory(role=Role.COORDINATOR, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "mobile": "09121110000",
            "full_name": "کاربر تازه",
            "role": Role.DONOR,
            "usable_password": "true",
            "password1": "given-pass-1405",
            "password2": "given-pass-1405",
        },
    )
    assert response.status_code == 302, response.text[:3000]
    added = User.objects.get(mobile="09121110000")
    assert added.must_change_password
    added.must_change_password = False
    added.save()
    response = client.post(
        reverse("admin:auth_user_password_change", args=[added.pk]),
        {"password1": "another-given-1405", "password2": "another-given-1405", "usable_password": "true"},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.must_change_password
    assert AuditLog.objects.filter(action="password.set_by_other", object_id=str(added.pk)).count() == 2


@pytest.mark.parametrize("url_name", ["workshops:signup", "giving:signup", "password_reset_code"])
def test_sign_up_and_reset_pages_state_the_length_rule_with_persian_digits(client, db, url_name):
    response = client.get(reverse(url_name))
    assert "گذرواژه باید دست‌کم ۸ نویسه داشته باشد." in response.text
    assert "دست‌کم 8" not in response.text
