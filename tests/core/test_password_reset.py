"""A user who forgot her password gets a one-time code by SMS and chooses a new one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core import login_throttle
from core.models import AuditLog, PasswordResetCode, Role
from core.notifications import backends
from core.password_reset import RESET_ACTION
from core.persian import to_latin_digits

from .. import factories

MOBILE = "09121234567"
NEW_PASSWORD = "new-gown-pass-1405"
SAME_ANSWER = "If this number has an account, a code is on its way by SMS."


@pytest.fixture(autouse=True)
def empty_outbox():
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def user(db):
    return factories.UserFactory(mobile=MOBILE, role=Role.WORKSHOP_OWNER)


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """``ask(mobile)`` posts the number on the first page, running what waits for the commit (the SMS)."""

    def ask_for_code(mobile=MOBILE, **meta):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("password_reset"), {"mobile": mobile}, follow=True, **meta)

    return ask_for_code


def code_in_last_sms() -> str:
    digits = re.search(r"[0-9۰-۹]{6}", backends.outbox[-1].text).group()
    return to_latin_digits(digits)


def set_password(client, code, *, mobile=MOBILE, password=NEW_PASSWORD, again=None, **meta):
    data = {"mobile": mobile, "code": code, "new_password1": password, "new_password2": again or password}
    return client.post(reverse("password_reset_code"), data, **meta)


def logs_in(client, password, mobile=MOBILE) -> bool:
    response = client.post(reverse("login"), {"username": mobile, "password": password})
    return response.wsgi_request.user.is_authenticated


def test_the_login_page_offers_workshop_sign_up_donor_sign_up_and_forgot_password(client, db):
    response = client.get(reverse("login"))
    assert reverse("workshops:signup") in response.text
    assert reverse("giving:signup") in response.text
    assert reverse("password_reset") in response.text
    assert "گذرواژه را فراموش کرده‌اید؟" in response.text


def test_a_user_resets_her_password_with_the_code_sent_by_sms_in_persian(client, user, ask):
    response = ask("۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert response.redirect_chain[-1][0] == reverse("password_reset_code")
    assert [message.to for message in backends.outbox] == [MOBILE]
    sms = backends.outbox[0].text
    assert "همدلی" in sms and "۱۰ دقیقه" in sms
    assert 'value="09121234567"' in response.text  # the number is carried to the second step
    code = code_in_last_sms()
    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = set_password(client, persian_code, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "گذرواژه تازه‌تان ثبت شد" in response.text
    assert logs_in(client, NEW_PASSWORD)
    client.logout()
    assert not logs_in(client, factories.TEST_PASSWORD)


def test_an_unknown_number_gets_the_same_answer_and_no_sms(english, user, ask):
    known = ask(MOBILE)
    unknown = ask("09129999999")
    assert SAME_ANSWER in known.text and SAME_ANSWER in unknown.text
    assert known.redirect_chain == unknown.redirect_chain
    assert [message.to for message in backends.outbox] == [MOBILE]
    wrong = set_password(english, "123456", mobile="09129999999")
    assert "The code is not correct or has expired." in wrong.text


def test_the_code_is_kept_only_as_a_hash(client, user, ask):
    ask()
    code = code_in_last_sms()
    row = PasswordResetCode.objects.get(user=user)
    assert code not in row.code_hash
    assert code not in "".join(AuditLog.objects.values_list("note", flat=True))


def test_an_expired_code_is_refused(english, user, ask):
    ask()
    PasswordResetCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = set_password(english, code_in_last_sms())
    assert "The code is not correct or has expired." in response.text
    assert logs_in(english, factories.TEST_PASSWORD)


def test_five_wrong_codes_spend_the_code_so_even_the_right_one_then_fails(english, user, ask):
    ask()
    code = code_in_last_sms()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert "The code is not correct" in set_password(english, wrong).text
    response = set_password(english, code)
    assert "The code is not correct or has expired." in response.text
    assert not logs_in(english, NEW_PASSWORD)


def test_asking_again_retires_the_older_code(english, user, ask):
    ask()
    first = code_in_last_sms()
    ask()
    second = code_in_last_sms()
    if first != second:
        assert "The code is not correct" in set_password(english, first).text
    assert set_password(english, second).status_code == 302


def test_a_weak_new_password_is_refused_and_the_code_still_works(english, user, ask):
    ask()
    code = code_in_last_sms()
    response = set_password(english, code, password="1234", again="1234")
    assert "This password is too short. It must contain at least 8 characters." in response.text
    assert set_password(english, code).status_code == 302


def test_a_number_may_ask_three_codes_an_hour_then_gets_the_same_refusal_as_an_unknown_one(english, user, ask):
    for _ in range(3):
        ask(MOBILE)
        ask("09129999999")
    refused_known, refused_unknown = ask(MOBILE), ask("09129999999")
    assert "Too many codes were asked for. Please try again in 60 minutes." in refused_known.text
    assert "Too many codes were asked for. Please try again in 60 minutes." in refused_unknown.text
    assert len(backends.outbox) == 3


def test_one_address_may_ask_ten_codes_an_hour_whatever_the_numbers(english, db, ask):
    for n in range(10):
        ask(f"0912000{n:04d}")
    response = ask("09120009999")
    assert "Too many codes were asked for." in response.text
    other_address = ask("09120009999", REMOTE_ADDR="198.51.100.9")
    assert SAME_ANSWER in other_address.text


def test_the_reset_ends_her_other_sessions(client, user, ask, django_capture_on_commit_callbacks):
    from django.test import Client

    phone = Client()
    phone.force_login(user)
    assert phone.get(reverse("password_change")).status_code == 200
    ask()
    set_password(client, code_in_last_sms())
    response = phone.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_reset_clears_the_login_lockout_of_the_number_and_is_audited(client, user, ask):
    for _ in range(5):
        logs_in(client, "wrong-password")
    assert login_throttle.is_locked(MOBILE, "127.0.0.1")
    ask()
    set_password(client, code_in_last_sms())
    assert logs_in(client, NEW_PASSWORD)
    entry = AuditLog.objects.get(action=RESET_ACTION)
    assert entry.object_id == str(user.pk)
    assert NEW_PASSWORD not in str(entry.changes) + entry.note


def test_the_reset_pages_work_in_english_too(english, user):
    assert "Forgot your password?" in english.get(reverse("password_reset")).text
    assert "Code from the SMS" in english.get(reverse("password_reset_code")).text
