"""Sign-up says whether a number is registered, so one address may only post it so often."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Role

from .. import factories

TAKEN = "09121234567"
TOO_MANY = "Too many attempts from your network. Please try again in 60 minutes."


@pytest.fixture
def english(client, settings, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    factories.UserFactory(mobile=TAKEN, role=Role.DONOR)
    return client


def probe(client, url_name, mobile=TAKEN, **meta):
    data = {"mobile": mobile, "full_name": "مریم", "password1": "x", "password2": "y", "kind": "individual"}
    return client.post(reverse(url_name), data, **meta)


@pytest.mark.parametrize("url_name", ["workshops:signup", "giving:signup"])
def test_an_address_probing_numbers_at_sign_up_is_stopped_after_twenty_posts(english, url_name):
    for _ in range(20):
        assert "already registered" in probe(english, url_name).text
    response = probe(english, url_name)
    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert "already registered" not in response.text


def test_workshop_and_donor_sign_up_share_one_count(english, settings):
    settings.SIGNUP_MAX_PER_ADDRESS = 4
    for _ in range(2):
        probe(english, "workshops:signup")
        probe(english, "giving:signup")
    assert probe(english, "workshops:signup").status_code == 429
    assert probe(english, "giving:signup").status_code == 429


def test_another_address_may_still_sign_up(english, settings):
    settings.SIGNUP_MAX_PER_ADDRESS = 1
    probe(english, "workshops:signup")
    assert probe(english, "workshops:signup").status_code == 429
    assert probe(english, "workshops:signup", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_the_sign_up_page_itself_still_opens_and_the_refusal_is_in_persian(client, db, settings):
    settings.SIGNUP_MAX_PER_ADDRESS = 1
    probe(client, "giving:signup")
    assert client.get(reverse("giving:signup")).status_code == 200
    response = probe(client, "giving:signup")
    assert "لطفاً ۶۰ دقیقهٔ دیگر دوباره تلاش کنید" in response.text
