"""Issue 20: the site layout is worked out once per process (core/templatetags/layout.py); what a reader sees
must not depend on who was served first."""

from __future__ import annotations

from django.urls import reverse

from core.models import Role
from core.permissions import menu_for

from .. import factories


def page(client, language: str) -> str:
    client.cookies["hamdeli_language"] = language
    return client.get(reverse("home")).content.decode()


def test_the_footer_and_the_visitor_links_follow_the_language_of_each_page(client, db):
    assert "Received a delivery?" in page(client, "en")
    persian = page(client, "fa")
    assert "Received a delivery?" not in persian
    assert "ثبت" in persian or "ورود" in persian  # the visitor links in Persian
    assert "Received a delivery?" in page(client, "en")


def test_each_role_sees_its_own_menu_even_after_another_role_was_served(client, db):
    national = factories.CoordinatorFactory(is_national=True)
    owner = factories.UserFactory(role=Role.WORKSHOP_OWNER)

    client.force_login(national)
    coordinator_page = page(client, "en")
    client.force_login(owner)
    owner_page = page(client, "en")

    for link in menu_for(national):
        assert f'href="{reverse(link.url_name)}"' in coordinator_page
    owner_only = {reverse(link.url_name) for link in menu_for(owner)}
    coordinator_only = {reverse(link.url_name) for link in menu_for(national)} - owner_only
    assert coordinator_only
    for url in coordinator_only:
        assert f'href="{url}"' not in owner_page
    for url in owner_only:
        assert f'href="{url}"' in owner_page


def test_a_provincial_coordinator_does_not_get_the_national_coordinators_menu(client, db):
    national = factories.CoordinatorFactory(is_national=True)
    provincial = factories.CoordinatorFactory()
    client.force_login(national)
    national_page = page(client, "en")
    client.force_login(provincial)
    provincial_page = page(client, "en")

    national_only = {reverse(link.url_name) for link in menu_for(national)} - {
        reverse(link.url_name) for link in menu_for(provincial)
    }
    assert national_only  # e.g. the crisis severity page
    for url in national_only:
        assert f'href="{url}"' in national_page
        assert f'href="{url}"' not in provincial_page


def test_two_owners_served_one_after_the_other_each_see_their_own_escaped_name_and_a_working_logout(client, db):
    first = factories.UserFactory(role=Role.WORKSHOP_OWNER, full_name="مریم <b>احمدی</b>")
    second = factories.UserFactory(role=Role.WORKSHOP_OWNER, full_name="زهرا \u202eکریمی & دختران")

    client.force_login(first)
    first_page = page(client, "fa")
    client.force_login(second)
    second_page = page(client, "fa")

    assert "مریم &lt;b&gt;احمدی&lt;/b&gt;" in first_page and "<b>احمدی" not in first_page
    assert "کریمی &amp; دختران" in second_page
    assert "مریم" not in second_page  # the header is shared by kind of user, the name is not
    assert second_page.count('name="csrfmiddlewaretoken"') == 2  # the logout form and the language switch
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("quotas:inbox")).status_code == 302  # signed out
