from django.urls import reverse

from core.models import Role

from .. import factories


def test_user_logs_in_with_mobile_number_typed_in_persian_digits(client, db):
    factories.UserFactory(mobile="09121234567", role=Role.DONOR)
    response = client.post(reverse("login"), {"username": "۰۹۱۲۱۲۳۴۵۶۷", "password": factories.TEST_PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_wrong_password_gives_a_clear_message_and_no_login(client, db, settings):
    factories.UserFactory(mobile="09121234567")
    response = client.post(reverse("login"), {"username": "09121234567", "password": "nope"})
    assert response.status_code == 200
    assert "شماره تلفن همراه یا گذرواژه نادرست است" in response.text
    assert 'value="09121234567"' in response.text  # what she typed is kept
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "09121234567", "password": "nope"})
    assert "The mobile number or password is not correct." in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_demo_accounts_cannot_log_in_when_debug_is_off(client, db, settings):
    settings.DEBUG = False
    factories.UserFactory(mobile="09121234500", is_demo=True)
    response = client.post(reverse("login"), {"username": "09121234500", "password": factories.TEST_PASSWORD})
    assert not response.wsgi_request.user.is_authenticated


def test_demo_accounts_can_log_in_while_developing(client, db, settings):
    settings.DEBUG = True
    factories.UserFactory(mobile="09121234501", is_demo=True)
    response = client.post(reverse("login"), {"username": "09121234501", "password": factories.TEST_PASSWORD})
    assert response.wsgi_request.user.is_authenticated


def test_logout_is_a_post_and_returns_home(client_for, owner):
    client = client_for(owner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_language_switch_sets_english_and_back_to_persian(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en" dir="ltr">' in response.text
    response = client.post(reverse("set_language"), {"language": "fa", "next": "/"}, follow=True)
    assert '<html lang="fa" dir="rtl">' in response.text


def test_home_page_is_persian_and_right_to_left_by_default(client, db):
    response = client.get(reverse("home"))
    assert '<html lang="fa" dir="rtl">' in response.text
    assert "fonts/vazirmatn/Vazirmatn-Regular-subset.woff2" in response.text  # the small Persian font, preloaded


def test_a_phone_set_to_english_still_gets_persian_until_the_user_switches(client, db):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fa" dir="rtl">' in response.text
