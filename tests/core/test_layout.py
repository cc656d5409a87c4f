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
