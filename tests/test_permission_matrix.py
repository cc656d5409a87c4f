"""Every URL of the project × every role gives the answer its access rule promises.

The URL list is read from the URL conf, so a new URL fails ``test_every_url_is_classified`` (and every role's
test) until it is added to ``MATRIX`` below with the answer each role should get:

- ``LOGIN``: 302 to the login page (anonymous visitors of a members-only page);
- ``FORBIDDEN``: 403 (a logged-in user whose role may not use the page);
- ``NOT_FOUND``: 404 (another user's or another province's object: its existence is not revealed);
- ``OK``: 2xx, or a redirect that is not to the login page (PDF and CSV downloads count).

POST-only action URLs are probed twice: GET must answer 405 to whoever passes the access check, and an empty POST
must give the same access decision (login / 403 / 404); for allowed roles an empty POST must be neither 403/404 nor
a server error. Every object in the seeded world is in Tehran and belongs to the owner, the donor, the staff's
health center or the Tehran coordinator; the other owner, the other donor and the Isfahan coordinator must never
see it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.models import AuditLog, Role
from donors.models import Pledge
from donors.receipts.tokens import verify_token
from donors.services.pledges import pledge_confirm
from fulfilment.models.deliveries import DeliveryLine, DeliveryStatus, Pickup, PickupLine, SheetBatch, SheetBatchStatus
from fulfilment.receiving_links import confirmation_url
from orders.models import OrderStatus
from payouts.models import PayoutBatch
from production.models import OutputReport
from production.models.allocation_runs import AllocationRun, AllocationRunStatus
from reports.models import ThematicReport, ThematicReportStatus
from workshops.models import WorkshopChangeRequest, WorkshopUnavailability

from . import factories

LOGIN, FORBIDDEN, NOT_FOUND, OK = "LOGIN", "FORBIDDEN", "NOT_FOUND", "OK"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"

ROLES = (
    "anonymous",
    "owner",
    "other_owner",
    "donor",
    "other_donor",
    "staff",
    "other_coordinator",
    "coordinator",
    "superuser",
)

# URL prefixes with their own tests (the admin) or that are Django's own (language switch, media files).
SKIPPED_PREFIXES = ("admin/", "i18n/", "media/", "static/")


# --- The world ------------------------------------------------------------------------------------------------


def build_world(media_root) -> SimpleNamespace:
    """One object of every kind, all in Tehran, owned by the owner / donor / staff's center / Tehran coordinator."""
    today = timezone.localdate()
    tehran = factories.province("tehran")
    w = SimpleNamespace()
    w.coordinator = factories.CoordinatorFactory()
    w.other_coordinator = factories.CoordinatorFactory(provinces=[factories.province("isfahan")])
    w.superuser = factories.CoordinatorFactory(is_superuser=True, is_national=True, provinces=[])
    w.center = factories.HealthCenterFactory()
    w.staff = factories.HealthCenterStaffFactory(health_center=w.center)
    w.workshop = factories.WorkshopFactory()
    w.change_request = WorkshopChangeRequest.objects.create(
        workshop=w.workshop, new_city=factories.capital("fars"), requested_by=w.workshop.owner
    )
    w.owner = w.workshop.owner
    w.other_owner = factories.WorkshopFactory(province=factories.province("isfahan")).owner
    w.donor = factories.DonorFactory().user
    w.other_donor = factories.DonorFactory().user
    w.anonymous = None

    # An open order of the center with money still missing (so it is on the giving board), made by the coordinator.
    w.order = factories.OrderFactory(health_center=w.center, created_by=w.coordinator, status=OrderStatus.OPEN)
    w.quota = factories.QuotaFactory(
        order=w.order,
        workshop=w.workshop,
        produced_units=30,
        collected_units=30,
        accepted_units=30,
        delivered_units=20,
    )
    w.output_report = OutputReport.objects.create(
        quota=w.quota, report_date=today, quantity=30, idempotency_key=uuid.uuid4(), reported_by=w.owner
    )
    w.pickup = Pickup.objects.create(workshop=w.workshop, pickup_date=today, recorded_by=w.coordinator)
    PickupLine.objects.create(pickup=w.pickup, quota=w.quota, collected_units=30, accepted_units=30)
    # A planned delivery (the coordinator's pages) and a dispatched one (what the receiver confirms).
    w.delivery = factories.DeliveryFactory(health_center=w.center, created_by=w.coordinator)
    DeliveryLine.objects.create(delivery=w.delivery, quota=w.quota, units=10)
    w.dispatched = factories.DeliveryFactory(
        health_center=w.center, created_by=w.coordinator, status=DeliveryStatus.DISPATCHED
    )
    DeliveryLine.objects.create(delivery=w.dispatched, quota=w.quota, units=10)
    w.unavailability = WorkshopUnavailability.objects.create(
        workshop=w.workshop, start_date=today + dt.timedelta(days=40), end_date=today + dt.timedelta(days=42)
    )
    w.collector = factories.UserFactory(role=Role.COLLECTOR, provinces=[tehran])

    # The donor's confirmed pledge (with its receipt) to the order, and a campaign.
    pledge = factories.PledgeFactory(donor=w.donor.donor, order=w.order, amount_rials=1_000_000)
    pledge_confirm(
        pledge=pledge,
        actor=w.coordinator,
        amount_received_rials=1_000_000,
        bank_reference="MATRIX-1",
        received_on=today,
    )
    w.pledge = Pledge.objects.get(pk=pledge.pk)
    w.receipt = w.pledge.receipt
    w.campaign = factories.CampaignFactory(created_by=w.coordinator)

    w.payout_batch = PayoutBatch.objects.create(
        number="PAY-1405-900001", period_start=today - dt.timedelta(days=30), period_end=today, created_by=w.coordinator
    )
    w.payout_batch.provinces.set([tehran])
    w.sheet_batch = SheetBatch.objects.create(
        planned_date=today + dt.timedelta(days=1),
        province_code="tehran",
        status=SheetBatchStatus.DONE,
        file=ContentFile(b"%PDF-1.4 matrix", name="sheets-matrix.pdf"),
        created_by=w.coordinator,
    )
    w.thematic_report = ThematicReport.objects.create(
        province=tehran,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        status=ThematicReportStatus.DONE,
        pdf=ContentFile(b"%PDF-1.4 matrix", name="thematic-matrix.pdf"),
        created_by=w.coordinator,
    )
    w.allocation_run = AllocationRun.objects.create(
        created_by=w.coordinator, province_codes=["tehran"], dry_run=True, status=AllocationRunStatus.DONE, result={}
    )
    return w


# --- The classification ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """How to probe one URL name and what each role must get."""

    expected: dict[str, str]
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda w: {})
    post_only: bool = False
    # A one-button action (no form): an empty POST from an allowed role performs it, so it may write an audit entry.
    empty_post_acts: bool = False


def answers(default: str, **per_role: str) -> dict[str, str]:
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: per_role.get(role, default) for role in ROLES}


def public() -> dict[str, str]:
    return answers(OK)


def members(**per_role: str) -> dict[str, str]:
    """Any logged-in user."""
    return answers(OK, anonymous=LOGIN, **per_role)


def coordinators_list() -> dict[str, str]:
    """A coordinator page without an object (a list or a form): her own provinces' rows."""
    return answers(FORBIDDEN, anonymous=LOGIN, coordinator=OK, other_coordinator=OK, superuser=OK)


def coordinators_object() -> dict[str, str]:
    """A coordinator page about a Tehran object: 404 for the Isfahan coordinator."""
    return answers(FORBIDDEN, anonymous=LOGIN, coordinator=OK, other_coordinator=NOT_FOUND, superuser=OK)


def owners_page(superuser: str = FORBIDDEN) -> dict[str, str]:
    return answers(FORBIDDEN, anonymous=LOGIN, owner=OK, other_owner=OK, superuser=superuser)


def owners_object(superuser: str = NOT_FOUND) -> dict[str, str]:
    return answers(FORBIDDEN, anonymous=LOGIN, owner=OK, other_owner=NOT_FOUND, superuser=superuser)


def donors_page(superuser: str = FORBIDDEN) -> dict[str, str]:
    return answers(FORBIDDEN, anonymous=LOGIN, donor=OK, other_donor=OK, superuser=superuser)


def pk(attribute: str) -> Callable[[SimpleNamespace], dict]:
    return lambda w: {"pk": getattr(w, attribute).pk}


MATRIX: dict[str, Entry] = {
    # Public pages.
    "home": Entry(public()),
    "healthz": Entry(public()),
    "login": Entry(public()),
    # Django's LogoutView is POST-only; logging out is allowed to anyone (a visitor is simply sent on).
    "logout": Entry(answers(OK), post_only=True),
    "password_change": Entry(members()),
    "password_reset": Entry(public()),
    "password_reset_code": Entry(public()),
    "core:product-list": Entry(public()),
    "workshops:signup": Entry(public()),
    "giving:board": Entry(public()),
    "giving:signup": Entry(public()),
    "receiving:enter-code": Entry(public()),
    "receiving:confirm": Entry(
        public(), kwargs=lambda w: {"token": confirmation_url(w.dispatched).rstrip("/").split("/")[-1]}
    ),
    "receipts:verify": Entry(public(), kwargs=lambda w: {"token": verify_token(w.receipt)}),
    # Health centers.
    "core:healthcenter-list": Entry(coordinators_list()),
    "core:healthcenter-detail": Entry(
        answers(FORBIDDEN, anonymous=LOGIN, staff=OK, coordinator=OK, other_coordinator=NOT_FOUND, superuser=OK),
        kwargs=pk("center"),
    ),
    "core:notification-settings": Entry(members()),
    # Workshop owner: her own workshop (the superuser has none: these pages are about one's own workshop).
    "workshops:register": Entry(owners_page()),
    "workshops:bank": Entry(owners_page()),
    "workshops:profile": Entry(owners_page()),
    "workshops:capacity": Entry(owners_page()),
    "workshops:availability": Entry(owners_page()),
    "workshops:availability-remove": Entry(
        owners_object(superuser=FORBIDDEN), kwargs=pk("unavailability"), post_only=True, empty_post_acts=True
    ),
    "quotas:inbox": Entry(owners_page()),
    "quotas:detail": Entry(owners_object(superuser=FORBIDDEN), kwargs=pk("quota")),
    "quotas:accept": Entry(owners_object(superuser=FORBIDDEN), kwargs=pk("quota"), post_only=True),
    "quotas:decline": Entry(owners_object(superuser=FORBIDDEN), kwargs=pk("quota")),
    "quotas:correct": Entry(
        owners_object(superuser=FORBIDDEN),
        kwargs=lambda w: {"pk": w.quota.pk, "report_pk": w.output_report.pk},
        post_only=True,
    ),
    "quotas:history": Entry(owners_page()),
    "my-payouts:list": Entry(owners_page()),
    # Coordinator: supply.
    "supply:workshop-list": Entry(coordinators_list()),
    "supply:workshop-detail": Entry(coordinators_object(), kwargs=pk("workshop")),
    "supply:workshop-status": Entry(
        coordinators_object(), kwargs=lambda w: {"pk": w.workshop.pk, "action": "suspend"}, post_only=True
    ),
    "supply:workshop-note": Entry(coordinators_object(), kwargs=pk("workshop"), post_only=True),
    "supply:summary": Entry(coordinators_list()),
    "workshops:change-requests": Entry(coordinators_list()),
    "workshops:change-request-decide": Entry(coordinators_object(), kwargs=pk("change_request"), post_only=True),
    # Coordinator: donations.
    "donations:pledge-list": Entry(coordinators_list()),
    "donations:pledge-detail": Entry(coordinators_object(), kwargs=pk("pledge")),
    "donations:pledge-action": Entry(
        coordinators_object(), kwargs=lambda w: {"pk": w.pledge.pk, "action": "refund"}, post_only=True
    ),
    # Campaigns are national: every coordinator may see and fill them.
    "donations:campaign-list": Entry(coordinators_list()),
    "donations:campaign-detail": Entry(coordinators_list(), kwargs=pk("campaign")),
    "donations:campaign-fill": Entry(coordinators_list(), kwargs=pk("campaign"), post_only=True),
    "donations:funds-move": Entry(coordinators_list()),
    "donations:donor-list": Entry(coordinators_list()),
    # Coordinator: payouts.
    "payouts:list": Entry(coordinators_list()),
    "payouts:create": Entry(coordinators_list()),
    "payouts:detail": Entry(coordinators_object(), kwargs=pk("payout_batch")),
    "payouts:bank-csv": Entry(coordinators_object(), kwargs=pk("payout_batch")),
    "payouts:action": Entry(
        coordinators_object(), kwargs=lambda w: {"pk": w.payout_batch.pk, "action": "cancel"}, post_only=True
    ),
    # Coordinator (and collectors): pickups.
    "pickups:list": Entry(coordinators_list()),
    "pickups:workshops": Entry(coordinators_list()),
    "pickups:record": Entry(coordinators_object(), kwargs=lambda w: {"workshop_pk": w.workshop.pk}),
    "pickups:detail": Entry(coordinators_object(), kwargs=pk("pickup")),
    "pickups:collectors": Entry(coordinators_list()),
    "pickups:collector-revoke": Entry(
        coordinators_object(), kwargs=pk("collector"), post_only=True, empty_post_acts=True
    ),
    # Coordinator: deliveries.
    "deliveries:list": Entry(coordinators_list()),
    "deliveries:ready": Entry(coordinators_list()),
    "deliveries:create": Entry(coordinators_object(), kwargs=lambda w: {"health_center_pk": w.center.pk}),
    "deliveries:detail": Entry(coordinators_object(), kwargs=pk("delivery")),
    "deliveries:edit": Entry(coordinators_object(), kwargs=pk("delivery")),
    "deliveries:action": Entry(
        coordinators_object(), kwargs=lambda w: {"pk": w.delivery.pk, "action": "cancel"}, post_only=True
    ),
    # Sheets: the delivery sheet is also the receiving center's; a batch is its requester's.
    "sheets:delivery-sheet": Entry(
        answers(FORBIDDEN, anonymous=LOGIN, staff=OK, coordinator=OK, other_coordinator=NOT_FOUND, superuser=OK),
        kwargs=pk("delivery"),
    ),
    "sheets:pickup-sheet": Entry(coordinators_list()),
    "sheets:batch-list": Entry(coordinators_list()),
    "sheets:batch-create": Entry(coordinators_list()),
    "sheets:batch-detail": Entry(coordinators_object(), kwargs=pk("sheet_batch")),
    "sheets:batch-download": Entry(coordinators_object(), kwargs=pk("sheet_batch")),
    # Receiving in the app: the staff of the receiving center.
    "receiving:center-list": Entry(answers(FORBIDDEN, anonymous=LOGIN, staff=OK, superuser=OK)),
    "receiving:center-confirm": Entry(
        answers(FORBIDDEN, anonymous=LOGIN, staff=OK, superuser=NOT_FOUND), kwargs=pk("dispatched")
    ),
    # Donors.
    "giving:pledge-order": Entry(donors_page(), kwargs=pk("order")),
    "giving:pledge-campaign": Entry(donors_page(), kwargs=pk("campaign")),
    "giving:mine": Entry(donors_page()),
    "giving:pledge-pay": Entry(
        answers(FORBIDDEN, anonymous=LOGIN, donor=OK, other_donor=NOT_FOUND), kwargs=pk("pledge")
    ),
    # Orders: coordinators and the staff of the ordering center.
    "orders:list": Entry(
        answers(FORBIDDEN, anonymous=LOGIN, staff=OK, coordinator=OK, other_coordinator=OK, superuser=OK)
    ),
    "orders:create": Entry(
        answers(FORBIDDEN, anonymous=LOGIN, staff=OK, coordinator=OK, other_coordinator=OK, superuser=OK)
    ),
    "orders:allocation": Entry(coordinators_list()),
    # A run is its requester's.
    "orders:allocation-run": Entry(coordinators_object(), kwargs=pk("allocation_run")),
    "orders:detail": Entry(
        answers(FORBIDDEN, anonymous=LOGIN, staff=OK, coordinator=OK, other_coordinator=NOT_FOUND, superuser=OK),
        kwargs=pk("order"),
    ),
    "orders:action": Entry(
        coordinators_object(), kwargs=lambda w: {"pk": w.order.pk, "action": "cancel"}, post_only=True
    ),
    # Receipts: the donor's own, or a coordinator's of her provinces.
    "receipts:download": Entry(
        answers(NOT_FOUND, anonymous=LOGIN, donor=OK, coordinator=OK, superuser=OK), kwargs=pk("receipt")
    ),
    # Reports.
    "reports:dashboard": Entry(coordinators_list()),
    "reports:thematic-list": Entry(coordinators_list()),
    "reports:thematic-create": Entry(coordinators_list()),
    "reports:thematic-detail": Entry(coordinators_object(), kwargs=pk("thematic_report")),
    "reports:thematic-download": Entry(
        coordinators_object(), kwargs=lambda w: {"pk": w.thematic_report.pk, "kind": "pdf"}
    ),
}


# --- Walking the URL conf -------------------------------------------------------------------------------------


def project_url_names(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[str]:
    """Every named URL of the project as ``namespace:name``, recursing into includes; unnamed ones as their route."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.lstrip("^").startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            names += project_url_names(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                if route == "favicon.ico":  # a redirect to a static file, for browsers that ask for it
                    continue
                names.append(route)
            else:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def outcome(response) -> str:
    status = response.status_code
    if status == 302 and urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL):
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return METHOD_NOT_ALLOWED
    if 200 <= status < 400:
        return OK
    return f"HTTP {status}"


def mismatches_for(role: str, client, world: SimpleNamespace) -> list[str]:
    user = getattr(world, role)
    problems = []
    for name in project_url_names():
        entry = MATRIX.get(name)
        if entry is None:
            problems.append(f"classify {name} in tests/test_permission_matrix.py")
            continue
        url = reverse(name, kwargs=entry.kwargs(world))
        expected = entry.expected[role]
        probes = [("get", expected)]
        if entry.post_only:
            # The access check comes first; past it, GET is simply not a method of an action URL.
            probes = [("get", expected if expected in (LOGIN, FORBIDDEN) else METHOD_NOT_ALLOWED), ("post", expected)]
        elif expected in (LOGIN, FORBIDDEN):
            # A page's form must refuse whom the page refuses (not only its GET).
            probes.append(("post", expected))
        for method, wanted in probes:
            if user is not None:
                client.force_login(user)  # again each time: the logout probe ends the session
            audit_entries = AuditLog.objects.count()
            try:
                response = getattr(client, method)(url)
                got = outcome(response)
                _close(response)  # downloads are file responses
            except Exception as error:  # a server error: report it with the others instead of stopping
                got = f"{type(error).__name__}: {error}"[:200]
            if got != wanted:
                problems.append(f"{method.upper()} {url} ({name}): expected {wanted}, got {got}")
            elif AuditLog.objects.count() != audit_entries and not entry.empty_post_acts:
                problems.append(f"{method.upper()} {url} ({name}): an empty request changed something (audited)")
    return problems


def _close(response) -> None:
    """Close a response's files without the end-of-request signal, as the test client does: that signal would
    close the database connection, which on PostgreSQL ends the test's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(tmp_path)


def test_every_url_is_classified():
    missing = [name for name in project_url_names() if name not in MATRIX]
    assert not missing, "\n".join(f"classify {name} in tests/test_permission_matrix.py" for name in missing)


def test_the_matrix_has_no_stale_entries():
    stale = set(MATRIX) - set(project_url_names())
    assert not stale, f"these URL names no longer exist: {sorted(stale)}"


def _check(role, client, world):
    problems = mismatches_for(role, client, world)
    assert not problems, f"{role} got unexpected answers:\n" + "\n".join(problems)


def test_anonymous_gets_the_expected_answer_from_every_url(client, world):
    _check("anonymous", client, world)


def test_owner_gets_the_expected_answer_from_every_url(client, world):
    _check("owner", client, world)


def test_other_owner_gets_the_expected_answer_from_every_url(client, world):
    _check("other_owner", client, world)


def test_donor_gets_the_expected_answer_from_every_url(client, world):
    _check("donor", client, world)


def test_other_donor_gets_the_expected_answer_from_every_url(client, world):
    _check("other_donor", client, world)


def test_staff_gets_the_expected_answer_from_every_url(client, world):
    _check("staff", client, world)


def test_other_coordinator_gets_the_expected_answer_from_every_url(client, world):
    _check("other_coordinator", client, world)


def test_coordinator_gets_the_expected_answer_from_every_url(client, world):
    _check("coordinator", client, world)


def test_superuser_gets_the_expected_answer_from_every_url(client, world):
    _check("superuser", client, world)
