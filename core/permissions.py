"""What each role may see and do, declared once.

``CAPABILITIES`` names what a person does ("record pickups", "give") and says which roles may do it and whether a
superuser may; ``ROLES`` says, for each role, its Django group and admin permissions (``core.roles``), whether
its provinces bound what it sees (``core.scoping``) and its links in the site menu. Everything else reads these
two tables:

- views declare ``capability = "..."`` on ``core.scoping.RoleRequiredMixin`` (403 without it);
- services ask ``user_can(actor, "...")`` for the same capability as the view that calls them;
- templates read ``can.<capability>`` (``core.context_processors.access``) and draw the menu with
  ``{% site_menu_links %}`` (``core/templatetags/layout.py``, once per kind of user);
- ``tests/test_permission_matrix.py`` takes its roles from here and checks the real HTTP answers of every URL.

A new role is a ``Role`` choice (core/models/accounts.py and its migration), a ``RoleAccess`` below and its
name in the capabilities it gets; see CONTRIBUTING.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Role


@dataclass(frozen=True)
class Capability:
    roles: frozenset[str]
    # False on pages about one's own workshop or giving: a superuser has none, so an empty page would mislead.
    superuser: bool = True
    # Decisions for the whole country (crisis severity): a provincial coordinator may not take them.
    national_only: bool = False


def _capability(*roles: str, superuser: bool = True, national_only: bool = False) -> Capability:
    return Capability(roles=frozenset(roles), superuser=superuser, national_only=national_only)


COORDINATOR = Role.COORDINATOR
COLLECTOR = Role.COLLECTOR
STAFF = Role.HEALTH_CENTER_STAFF
OWNER = Role.WORKSHOP_OWNER
DONOR = Role.DONOR

# Province-bound objects behind a capability are still filtered by ``scope_by_province`` (see ROLES): having a
# capability opens the page, the scope decides which rows are on it (another province's object is a 404).
CAPABILITIES: dict[str, Capability] = {
    # Coordinators.
    "read_reports": _capability(COORDINATOR),  # the dashboard and thematic reports
    "supervise_workshops": _capability(COORDINATOR),  # verify, suspend, note, decide change requests, supply
    "manage_health_centers": _capability(COORDINATOR),  # the health-center list
    "manage_orders": _capability(COORDINATOR),  # approve, cancel, close an order
    "run_allocation": _capability(COORDINATOR),
    "appoint_collectors": _capability(COORDINATOR),
    "plan_deliveries": _capability(COORDINATOR),
    "print_sheets": _capability(COORDINATOR),  # batches of delivery sheets
    "manage_donations": _capability(COORDINATOR),  # pledges, campaigns, funds, donors
    "manage_payouts": _capability(COORDINATOR),
    "use_open_data_api": _capability(COORDINATOR),  # tokens for her provinces' rows in the open-data API
    "read_sms_log": _capability(COORDINATOR),  # the inbound text messages of her provinces (sms_commands)
    "declare_severity": _capability(COORDINATOR, national_only=True),  # crisis levels of provinces and cities
    "import_directory": _capability(COORDINATOR),  # workshops and health centers from a spreadsheet, her provinces'
    "review_listings": _capability(COORDINATOR),  # publish or return showcase listings, marketplace export (sales)
    # Shared by coordinators and the people working with them.
    "request_orders": _capability(COORDINATOR, STAFF),  # staff: their own center's orders
    "see_health_center": _capability(COORDINATOR, STAFF),  # staff: their own center
    "read_delivery_sheets": _capability(COORDINATOR, STAFF),  # staff: their own center's deliveries
    "record_pickups": _capability(COORDINATOR, COLLECTOR),  # with the route sheet
    # Health-center staff.
    "confirm_receipt": _capability(STAFF),  # a superuser reaches the list, but no delivery is hers to confirm
    # Workshop owners: pages about one's own workshop.
    "run_workshop": _capability(OWNER, superuser=False),  # register, bank, profile, capacity, days off
    "report_output": _capability(OWNER, superuser=False),  # quota offers, output reports, history
    "see_earnings": _capability(OWNER, superuser=False),  # one's own payouts
    "list_workshop": _capability(OWNER, superuser=False),  # one's own showcase listing and buyers' inquiries
    # Donors: pages about one's own giving.
    "give": _capability(DONOR, superuser=False),
}


@dataclass(frozen=True)
class MenuLink:
    url_name: str
    label: str
    # The link is only shown to whom the page lets in (tests/core/test_permissions.py checks the menus).
    capability: str | None = None


@dataclass(frozen=True)
class RoleAccess:
    group: str  # the Django group mirroring the role (core.roles)
    # app_label.codename; coordinators use the admin for reference data (cities, health centers).
    admin_permissions: tuple[str, ...] = ()
    # ``provinces`` bound what she sees (``scope_by_province``); a national one sees every province.
    province_scoped: bool = False
    may_be_national: bool = False  # only coordinators may carry ``is_national`` (a database check)
    # She sees only her own health center's orders, deliveries and page (``user.health_center``).
    health_center_scoped: bool = False
    menu: tuple[MenuLink, ...] = ()


# In the order the groups were always created in (core.roles), so a fresh database numbers them as before.
ROLES: dict[str, RoleAccess] = {
    COORDINATOR: RoleAccess(
        group="coordinators",
        admin_permissions=(
            "core.view_province",
            "core.view_city",
            "core.add_city",
            "core.change_city",
            "core.view_product",
            "core.view_healthcenter",
            "core.add_healthcenter",
            "core.change_healthcenter",
            "core.view_auditlog",
            "workshops.view_workshop",
            "workshops.view_workshopcapacity",
            "workshops.view_workshopunavailability",
            "workshops.view_workshopnote",
            "orders.view_order",
            "production.view_quota",
            "production.view_outputreport",
            "production.view_allocationrun",
            "donors.view_donor",
            "donors.view_pledge",
            "donors.view_campaign",
            "donors.view_ledgerentry",
        ),
        province_scoped=True,
        may_be_national=True,
        menu=(
            MenuLink("reports:dashboard", _("Dashboard"), "read_reports"),
            MenuLink("orders:list", _("Orders"), "request_orders"),
            MenuLink("supply:workshop-list", _("Workshops"), "supervise_workshops"),
            MenuLink("supply:summary", _("Supply"), "supervise_workshops"),
            MenuLink("orders:allocation", _("Allocation"), "run_allocation"),
            MenuLink("core:healthcenter-list", _("Health centers"), "manage_health_centers"),
            MenuLink("workshops:imports:upload", _("Import from a spreadsheet"), "import_directory"),
            MenuLink("pickups:workshops", _("Pickups"), "record_pickups"),
            MenuLink("deliveries:list", _("Deliveries"), "plan_deliveries"),
            MenuLink("sheets:batch-list", _("Printing"), "print_sheets"),
            MenuLink("donations:pledge-list", _("Donations"), "manage_donations"),
            MenuLink("payouts:list", _("Payouts"), "manage_payouts"),
            MenuLink("sms:log", _("SMS messages"), "read_sms_log"),
            MenuLink("severity:board", _("Crisis severity"), "declare_severity"),
            MenuLink("listings:list", _("Showcase listings"), "review_listings"),
        ),
    ),
    OWNER: RoleAccess(
        group="workshop owners",
        menu=(
            MenuLink("quotas:inbox", _("My quotas"), "report_output"),
            MenuLink("quotas:history", _("History"), "report_output"),
            MenuLink("my-payouts:list", _("Payouts"), "see_earnings"),
            MenuLink("my-listing:edit", _("My showcase"), "list_workshop"),
            MenuLink("my-listing:sales", _("My sales"), "list_workshop"),
        ),
    ),
    DONOR: RoleAccess(
        group="donors",
        menu=(
            MenuLink("giving:board", _("Funding board")),  # a public page
            MenuLink("giving:mine", _("My giving"), "give"),
        ),
    ),
    STAFF: RoleAccess(
        group="health-center staff",
        health_center_scoped=True,
        menu=(
            MenuLink("orders:list", _("My orders"), "request_orders"),
            MenuLink("orders:create", _("New request"), "request_orders"),
            MenuLink("receiving:center-list", _("Deliveries"), "confirm_receipt"),
        ),
    ),
    # Appointed by a coordinator for some of her provinces; collectors use no admin page.
    COLLECTOR: RoleAccess(
        group="collectors",
        province_scoped=True,
        menu=(
            MenuLink("pickups:workshops", _("Where to collect"), "record_pickups"),
            MenuLink("pickups:list", _("My pickups"), "record_pickups"),
            MenuLink("sheets:pickup-sheet", _("Route sheet"), "record_pickups"),
        ),
    ),
}

# A superuser gets the coordinator's menu whatever her role (``User.is_coordinator`` is true for her).
SUPERUSER_MENU_ROLE = COORDINATOR


def user_can(user, capability: str) -> bool:
    """Whether ``user`` (anonymous included) has ``capability``; an unknown name is a programming error."""
    rule = CAPABILITIES[capability]
    if user is None or not user.is_authenticated:
        return False
    if rule.national_only and not sees_all_provinces(user):
        return False
    return user.role in rule.roles or (user.is_superuser and rule.superuser)


class _PublicAggregates:
    """The reader of the public results page: every province, but only ever figures added up (``transparency``)."""

    is_authenticated = False
    is_superuser = False


PUBLIC_AGGREGATES = _PublicAggregates()


def sees_all_provinces(user) -> bool:
    """Superusers and national coordinators: no province bounds what they see."""
    if user is PUBLIC_AGGREGATES:
        return True
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    access = ROLES.get(user.role)
    return bool(access is not None and access.may_be_national and user.is_national)


def is_province_scoped(user) -> bool:
    """Whether the user's ``provinces`` bound what she sees (when she does not see them all)."""
    access = ROLES.get(user.role) if user.is_authenticated else None
    return bool(access is not None and access.province_scoped)


def is_health_center_scoped(user) -> bool:
    """Whether the user sees only her own health center's rows (a superuser never is: she sees everything)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    access = ROLES.get(user.role)
    return bool(access is not None and access.health_center_scoped)


def menu_for(user) -> tuple[MenuLink, ...]:
    """The user's links in the site menu, in order (none for anonymous visitors: base.html has theirs)."""
    if not user.is_authenticated:
        return ()
    role = SUPERUSER_MENU_ROLE if user.is_superuser else user.role
    # Each link only for whom its page lets in (a provincial coordinator has no national decisions in hers).
    return tuple(link for link in ROLES[role].menu if not link.capability or user_can(user, link.capability))


class Can:
    """``can.<capability>`` in templates; the user is read only when a template asks."""

    def __init__(self, user_source):
        self._user_source = user_source

    def __getitem__(self, capability: str) -> bool:
        if capability not in CAPABILITIES:
            raise KeyError(capability)  # the template sees "" (false); tests/core/test_permissions.py names it
        return user_can(self._user_source(), capability)
