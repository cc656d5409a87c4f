"""The one declaration of roles and capabilities (core/permissions.py) is complete and is what the code reads.

tests/test_permission_matrix.py checks the HTTP answer of every URL for a user of every role; these tests check
the declaration itself: every role is in it, every capability guards some page, the menus link only to pages
their role may open, and templates ask only for capabilities that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from core.models import Role, User
from core.permissions import (
    CAPABILITIES,
    ROLES,
    SUPERUSER_MENU_ROLE,
    is_health_center_scoped,
    menu_for,
    sees_all_provinces,
    user_can,
)
from core.roles import ROLE_GROUP_NAMES, ROLE_PERMISSIONS
from core.scoping import PROVINCE_SCOPED_ROLES, RoleRequiredMixin

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def view_classes(resolver: URLResolver | None = None) -> list[type]:
    """The class of every class-based view in the URL conf (the admin's included: they have no capability)."""
    classes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            classes += view_classes(pattern)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "view_class"):
            classes.append(pattern.callback.view_class)
    return classes


def guarded_views() -> list[type]:
    return [view for view in view_classes() if issubclass(view, RoleRequiredMixin)]


def test_every_role_is_declared():
    assert set(ROLES) == set(Role.values), "declare the role's access in core/permissions.py ROLES"


def test_every_role_may_do_something():
    holders = {role for capability in CAPABILITIES.values() for role in capability.roles}
    assert not set(Role.values) - holders, "a role that no capability names sees only public pages"


def test_every_guarded_view_declares_a_known_capability():
    views = guarded_views()
    assert len(views) > 50  # the URL walk still finds them
    for view in views:
        assert view.capability in CAPABILITIES, f"{view.__module__}.{view.__qualname__} needs a capability"
        assert not hasattr(view, "allowed_roles"), f"{view.__qualname__}: allowed_roles is no longer read"


def test_every_capability_guards_some_view():
    used = {view.capability for view in guarded_views()}
    assert not set(CAPABILITIES) - used, "a capability no view asks for: remove it or use it"


def test_a_misspelt_capability_fails_at_import():
    with pytest.raises(ImproperlyConfigured):
        type("BrokenView", (RoleRequiredMixin,), {"capability": "manage_everything"})


@pytest.mark.parametrize("role", Role.values)
def test_the_menu_links_only_to_pages_the_role_may_open(role):
    for link in ROLES[role].menu:
        view = resolve(reverse(link.url_name)).func.view_class
        capability = getattr(view, "capability", None) if issubclass(view, RoleRequiredMixin) else None
        assert link.capability == capability, f"{link.url_name}: the menu says {link.capability}, the view {capability}"
        if capability:
            assert role in CAPABILITIES[capability].roles, f"{role}'s menu links to {link.url_name} ({capability})"


def test_the_superusers_menu_links_only_to_pages_she_may_open():
    for link in ROLES[SUPERUSER_MENU_ROLE].menu:
        assert link.capability is None or CAPABILITIES[link.capability].superuser, link.url_name


def test_templates_ask_only_for_declared_capabilities():
    asked = set()
    for path in TEMPLATES.rglob("*.html"):
        asked |= set(re.findall(r"\bcan\.(\w+)", path.read_text(encoding="utf-8")))
    assert asked, "the pattern still finds them"
    assert not asked - set(CAPABILITIES)


def test_user_can_reads_roles_and_the_superuser_flag():
    coordinator = User(role=Role.COORDINATOR)
    collector = User(role=Role.COLLECTOR)
    superuser = User(role=Role.COORDINATOR, is_superuser=True)
    assert user_can(coordinator, "manage_payouts") and not user_can(collector, "manage_payouts")
    assert user_can(collector, "record_pickups")
    assert user_can(superuser, "confirm_receipt")  # superuser=True: any page of any role's but...
    assert not user_can(superuser, "give")  # ...the pages about one's own giving or workshop
    assert not user_can(AnonymousUser(), "record_pickups") and not user_can(None, "record_pickups")
    with pytest.raises(KeyError):
        user_can(coordinator, "manage_everything")


def test_the_superuser_gets_the_coordinators_menu_and_visitors_none():
    assert menu_for(User(role=Role.DONOR, is_superuser=True)) == ROLES[Role.COORDINATOR].menu
    assert menu_for(AnonymousUser()) == ()


def test_scope_reads_the_declaration():
    assert sees_all_provinces(User(role=Role.COORDINATOR, is_national=True))
    assert not sees_all_provinces(User(role=Role.COLLECTOR, is_national=True))  # only coordinators may be national
    assert sees_all_provinces(User(role=Role.DONOR, is_superuser=True)) and not sees_all_provinces(AnonymousUser())
    assert is_health_center_scoped(User(role=Role.HEALTH_CENTER_STAFF))
    assert not is_health_center_scoped(User(role=Role.HEALTH_CENTER_STAFF, is_superuser=True))
    assert not is_health_center_scoped(User(role=Role.COORDINATOR)) and not is_health_center_scoped(AnonymousUser())


def test_groups_and_scope_read_the_declaration():
    assert ROLE_GROUP_NAMES[Role.COLLECTOR] == "collectors"
    assert "core.view_auditlog" in ROLE_PERMISSIONS[Role.COORDINATOR] and ROLE_PERMISSIONS[Role.DONOR] == []
    assert PROVINCE_SCOPED_ROLES == (Role.COORDINATOR, Role.COLLECTOR)
