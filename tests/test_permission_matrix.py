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
from core.permissions import CAPABILITIES
from core.permissions import ROLES as DECLARED_ROLES
from donors.models import BankStatement, Pledge
from donors.receipts.tokens import verify_token
from donors.services.pledges import pledge_confirm
from fulfilment.models.deliveries import DeliveryLine, DeliveryStatus, Pickup, PickupLine, SheetBatch, SheetBatchStatus
from fulfilment.receiving_links import confirmation_url
from orders.models import OrderStatus
from payouts.models import PayoutBatch
from production.models import OutputReport
from production.models.allocation_runs import AllocationRun, AllocationRunStatus
from reports.models import ThematicReport, ThematicReportStatus
from transparency.services import api_token_issue
from workshops.models import DirectoryImport, WorkshopChangeRequest, WorkshopUnavailability

from . import factories

LOGIN, FORBIDDEN, NOT_FOUND, OK = "LOGIN", "FORBIDDEN", "NOT_FOUND", "OK"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"

# Who probes each URL: a user of a role of ``core.permissions.ROLES`` (the "other_" ones are in Isfahan or own
# nothing of the world below), a superuser, or an anonymous visitor. ``test_every_role_probes_every_url`` asks
# for a user of every declared role, so a new role gets its column here.
SUPERUSER = "superuser"
ACTORS: dict[str, str | None] = {
    "anonymous": None,
    "owner": Role.WORKSHOP_OWNER,
    "other_owner": Role.WORKSHOP_OWNER,
    "donor": Role.DONOR,
    "other_donor": Role.DONOR,
    "staff": Role.HEALTH_CENTER_STAFF,
    "collector": Role.COLLECTOR,
    "other_coordinator": Role.COORDINATOR,
    "coordinator": Role.COORDINATOR,
    "superuser": SUPERUSER,
}
ROLES = tuple(ACTORS)

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
    w.bank_statement = BankStatement.objects.create(
        uploaded_by=w.coordinator, file_name="statement.csv", file_sha256="0" * 64
    )

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
    w.api_token = api_token_issue(owner=w.coordinator, name="matrix").token
    w.directory_import = DirectoryImport.objects.create(
        uploaded_by=w.coordinator, kind="workshops", file_name="workshops.csv", file_sha256="0" * 64, content=b""
    )
    # The owner's published showcase listing with two photos (one for the public, one she may remove) and a
    # buyer's inquiry to it.
    w.listing = factories.ListingFactory(workshop=w.workshop)
    w.listing_photo = factories.ListingPhotoFactory(listing=w.listing)
    w.spare_listing_photo = factories.ListingPhotoFactory(listing=w.listing)
    w.inquiry = factories.InquiryFactory(listing=w.listing)
    # A sale the owner recorded today (so she may still remove it).
    w.sale_record = factories.SaleRecordFactory(workshop=w.workshop)
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


def holds(actor: str, capability: str) -> bool:
    """Whether the declaration (``core.permissions.CAPABILITIES``) gives ``capability`` to this actor's role."""
    rule = CAPABILITIES[capability]
    role = ACTORS[actor]
    if role == SUPERUSER:
        return rule.superuser
    # The world's coordinators are provincial (Tehran, Isfahan): national decisions are not theirs.
    return role in rule.roles and not rule.national_only


def allowed(capability: str, *, scoped: bool = False, **per_role: str) -> dict[str, str]:
    """A page behind ``capability``: OK to the actors whose role has it, 403 to the other users, login for visitors.

    ``scoped``: the page is about one object of the world (in Tehran, the owner's, the donor's), so an "other_"
    actor who has the capability gets 404 instead: the object is not in her scope.
    """
    expected = {}
    for actor in ROLES:
        if ACTORS[actor] is None:
            expected[actor] = LOGIN
        elif not holds(actor, capability):
            expected[actor] = FORBIDDEN
        else:
            expected[actor] = NOT_FOUND if scoped and actor.startswith("other_") else OK
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return expected | per_role


def pk(attribute: str) -> Callable[[SimpleNamespace], dict]:
    return lambda w: {"pk": getattr(w, attribute).pk}


MATRIX: dict[str, Entry] = {
    # Public pages.
    "home": Entry(public()),
    "transparency:results": Entry(public()),
    # The open-data API (django-ninja; no interactive docs, so its root is 404 for everyone).
    "open-data-v1:api-root": Entry(answers(NOT_FOUND)),
    "open-data-v1:openapi-json": Entry(public()),
    "open-data-v1:need": Entry(public()),
    "open-data-v1:need_csv": Entry(public()),
    "open-data-v1:provinces": Entry(public()),
    "open-data-v1:products": Entry(public()),
    # With a coordinator's token only (a session is not a token): 401 for everyone probing without one.
    "open-data-v1:province_order_list": Entry(answers("HTTP 401")),
    "open-data-v1:province_quota_list": Entry(answers("HTTP 401")),
    "open-data-v1:province_delivery_list": Entry(answers("HTTP 401")),
    # Coordinator: her API tokens (a national one sees and revokes everyone's).
    "api-tokens:list": Entry(allowed("use_open_data_api")),
    "api-tokens:revoke": Entry(
        allowed("use_open_data_api", scoped=True), kwargs=pk("api_token"), post_only=True, empty_post_acts=True
    ),
    "healthz": Entry(public()),
    # The installable app's worker and manifest (hamdeli/offline.py): files every visitor's browser may fetch.
    "service-worker": Entry(public()),
    "web-manifest": Entry(public()),
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
    "core:healthcenter-list": Entry(allowed("manage_health_centers")),
    "core:healthcenter-detail": Entry(allowed("see_health_center", scoped=True), kwargs=pk("center")),
    "core:notification-settings": Entry(members()),
    # Workshop owner: her own workshop (the superuser has none: these pages are about one's own workshop).
    "workshops:register": Entry(allowed("run_workshop")),
    "workshops:bank": Entry(allowed("run_workshop")),
    "workshops:profile": Entry(allowed("run_workshop")),
    "workshops:capacity": Entry(allowed("run_workshop")),
    "workshops:availability": Entry(allowed("run_workshop")),
    "workshops:availability-remove": Entry(
        allowed("run_workshop", scoped=True), kwargs=pk("unavailability"), post_only=True, empty_post_acts=True
    ),
    "quotas:inbox": Entry(allowed("report_output")),
    "quotas:detail": Entry(allowed("report_output", scoped=True), kwargs=pk("quota")),
    "quotas:accept": Entry(allowed("report_output", scoped=True), kwargs=pk("quota"), post_only=True),
    "quotas:decline": Entry(allowed("report_output", scoped=True), kwargs=pk("quota")),
    "quotas:correct": Entry(
        allowed("report_output", scoped=True),
        kwargs=lambda w: {"pk": w.quota.pk, "report_pk": w.output_report.pk},
        post_only=True,
    ),
    "quotas:history": Entry(allowed("report_output")),
    "my-payouts:list": Entry(allowed("see_earnings")),
    # Coordinator: supply.
    "supply:workshop-list": Entry(allowed("supervise_workshops")),
    "supply:workshop-detail": Entry(allowed("supervise_workshops", scoped=True), kwargs=pk("workshop")),
    "supply:workshop-status": Entry(
        allowed("supervise_workshops", scoped=True),
        kwargs=lambda w: {"pk": w.workshop.pk, "action": "suspend"},
        post_only=True,
    ),
    "supply:workshop-note": Entry(allowed("supervise_workshops", scoped=True), kwargs=pk("workshop"), post_only=True),
    "supply:summary": Entry(allowed("supervise_workshops")),
    "workshops:change-requests": Entry(allowed("supervise_workshops")),
    "workshops:change-request-decide": Entry(
        allowed("supervise_workshops", scoped=True), kwargs=pk("change_request"), post_only=True
    ),
    # Coordinator: workshops and health centers from a spreadsheet; an upload is its uploader's.
    "workshops:imports:upload": Entry(allowed("import_directory")),
    "workshops:imports:template": Entry(
        allowed("import_directory"), kwargs=lambda w: {"kind": "workshops", "fmt": "csv"}
    ),
    "workshops:imports:preview": Entry(allowed("import_directory", scoped=True), kwargs=pk("directory_import")),
    "workshops:imports:confirm": Entry(
        allowed("import_directory", scoped=True), kwargs=pk("directory_import"), post_only=True
    ),
    # Coordinator: donations.
    "donations:pledge-list": Entry(allowed("manage_donations")),
    "donations:pledge-detail": Entry(allowed("manage_donations", scoped=True), kwargs=pk("pledge")),
    "donations:pledge-action": Entry(
        allowed("manage_donations", scoped=True),
        kwargs=lambda w: {"pk": w.pledge.pk, "action": "refund"},
        post_only=True,
    ),
    # Campaigns are national: every coordinator may see and fill them.
    "donations:campaign-list": Entry(allowed("manage_donations")),
    "donations:campaign-detail": Entry(allowed("manage_donations"), kwargs=pk("campaign")),
    "donations:campaign-fill": Entry(allowed("manage_donations"), kwargs=pk("campaign"), post_only=True),
    "donations:funds-move": Entry(allowed("manage_donations")),
    "donations:donor-list": Entry(allowed("manage_donations")),
    "donations:statement-upload": Entry(allowed("manage_donations")),
    "donations:statement-detail": Entry(allowed("manage_donations", scoped=True), kwargs=pk("bank_statement")),
    "donations:statement-confirm": Entry(
        allowed("manage_donations", scoped=True), kwargs=pk("bank_statement"), post_only=True
    ),
    # Coordinator: payouts.
    "payouts:list": Entry(allowed("manage_payouts")),
    "payouts:create": Entry(allowed("manage_payouts")),
    "payouts:detail": Entry(allowed("manage_payouts", scoped=True), kwargs=pk("payout_batch")),
    "payouts:bank-csv": Entry(allowed("manage_payouts", scoped=True), kwargs=pk("payout_batch")),
    "payouts:action": Entry(
        allowed("manage_payouts", scoped=True),
        kwargs=lambda w: {"pk": w.payout_batch.pk, "action": "cancel"},
        post_only=True,
    ),
    # Coordinator (and collectors): pickups.
    "pickups:list": Entry(allowed("record_pickups")),
    "pickups:workshops": Entry(allowed("record_pickups")),
    "pickups:record": Entry(allowed("record_pickups", scoped=True), kwargs=lambda w: {"workshop_pk": w.workshop.pk}),
    "pickups:detail": Entry(allowed("record_pickups", scoped=True), kwargs=pk("pickup")),
    "pickups:collectors": Entry(allowed("appoint_collectors")),
    "pickups:collector-revoke": Entry(
        allowed("appoint_collectors", scoped=True), kwargs=pk("collector"), post_only=True, empty_post_acts=True
    ),
    # Coordinator: deliveries.
    "deliveries:list": Entry(allowed("plan_deliveries")),
    "deliveries:ready": Entry(allowed("plan_deliveries")),
    "deliveries:create": Entry(
        allowed("plan_deliveries", scoped=True), kwargs=lambda w: {"health_center_pk": w.center.pk}
    ),
    "deliveries:detail": Entry(allowed("plan_deliveries", scoped=True), kwargs=pk("delivery")),
    "deliveries:edit": Entry(allowed("plan_deliveries", scoped=True), kwargs=pk("delivery")),
    "deliveries:action": Entry(
        allowed("plan_deliveries", scoped=True),
        kwargs=lambda w: {"pk": w.delivery.pk, "action": "cancel"},
        post_only=True,
    ),
    # Sheets: the delivery sheet is also the receiving center's; a batch is its requester's.
    "sheets:delivery-sheet": Entry(allowed("read_delivery_sheets", scoped=True), kwargs=pk("delivery")),
    "sheets:pickup-sheet": Entry(allowed("record_pickups")),
    "sheets:batch-list": Entry(allowed("print_sheets")),
    "sheets:batch-create": Entry(allowed("print_sheets")),
    "sheets:batch-detail": Entry(allowed("print_sheets", scoped=True), kwargs=pk("sheet_batch")),
    "sheets:batch-download": Entry(allowed("print_sheets", scoped=True), kwargs=pk("sheet_batch")),
    # Receiving in the app: the staff of the receiving center.
    "receiving:center-list": Entry(allowed("confirm_receipt")),
    # A superuser may confirm, but no delivery is hers (she has no health center).
    "receiving:center-confirm": Entry(allowed("confirm_receipt", superuser=NOT_FOUND), kwargs=pk("dispatched")),
    # Donors.
    "giving:pledge-order": Entry(allowed("give"), kwargs=pk("order")),
    "giving:pledge-campaign": Entry(allowed("give"), kwargs=pk("campaign")),
    "giving:mine": Entry(allowed("give")),
    "giving:pledge-pay": Entry(allowed("give", scoped=True), kwargs=pk("pledge")),
    # Online giving: a donor as herself, a visitor as a guest (mobile number); other roles' accounts are not donors'.
    "online:give-order": Entry(allowed("give", anonymous=OK, other_donor=OK), kwargs=pk("order")),
    "online:give-campaign": Entry(allowed("give", anonymous=OK, other_donor=OK), kwargs=pk("campaign")),
    "online:callback": Entry(answers(NOT_FOUND)),  # no authority named: a payment we do not know
    "online:result": Entry(answers(NOT_FOUND), kwargs=lambda w: {"key": "not-a-payment"}),
    # The mock bank (mounted in tests and development only): the bank's pages, nobody's account.
    # The SMS gateway's callback: a wrong secret in the URL is 404 to everyone; the coordinator's message log.
    "sms-inbound": Entry(answers(NOT_FOUND), kwargs=lambda w: {"secret": "not-the-secret"}, post_only=True),
    "sms:log": Entry(allowed("read_sms_log")),
    # Crisis severity: the national coordinator's (and a superuser's) alone.
    "severity:board": Entry(allowed("declare_severity")),
    "severity:import": Entry(allowed("declare_severity"), post_only=True),
    "severity:template": Entry(allowed("declare_severity")),
    "mock-bank:root": Entry(public()),
    "mock-bank:request": Entry(public(), post_only=True),
    "mock-bank:start-pay": Entry(answers(NOT_FOUND), kwargs=lambda w: {"authority": "A-not-a-payment"}),
    "mock-bank:verify": Entry(public(), post_only=True),
    # Sales: the public showcase and its photos (probed before the owner's pages: her "revoke" hides the listing).
    "showcase:list": Entry(public()),
    "showcase:detail": Entry(public(), kwargs=pk("listing")),
    "showcase:photo": Entry(public(), kwargs=pk("listing_photo")),
    # Workshop owner: her own listing, photos, consent and buyers' inquiries (another owner's inquiry is 404).
    "my-listing:edit": Entry(allowed("list_workshop")),
    "my-listing:photo-add": Entry(allowed("list_workshop"), post_only=True),
    "my-listing:photo-remove": Entry(
        allowed("list_workshop", scoped=True), kwargs=pk("spare_listing_photo"), post_only=True, empty_post_acts=True
    ),
    "my-listing:revoke": Entry(allowed("list_workshop"), post_only=True, empty_post_acts=True),
    "my-listing:inquiries": Entry(allowed("list_workshop")),
    "my-listing:inquiry": Entry(allowed("list_workshop", scoped=True), kwargs=pk("inquiry")),
    "my-listing:sales": Entry(allowed("list_workshop")),
    "my-listing:sale-delete": Entry(
        allowed("list_workshop", scoped=True), kwargs=pk("sale_record"), post_only=True, empty_post_acts=True
    ),
    # Coordinator: review of her provinces' listings and the marketplace export.
    "listings:list": Entry(allowed("review_listings")),
    "listings:export": Entry(allowed("review_listings"), kwargs=lambda w: {"fmt": "csv"}),
    "listings:detail": Entry(allowed("review_listings", scoped=True), kwargs=pk("listing")),
    "listings:action": Entry(
        allowed("review_listings", scoped=True),
        kwargs=lambda w: {"pk": w.listing.pk, "action": "return"},
        post_only=True,
    ),
    # Orders: coordinators and the staff of the ordering center.
    "orders:list": Entry(allowed("request_orders")),
    "orders:create": Entry(allowed("request_orders")),
    "orders:allocation": Entry(allowed("run_allocation")),
    # A run is its requester's.
    "orders:allocation-run": Entry(allowed("run_allocation", scoped=True), kwargs=pk("allocation_run")),
    "orders:detail": Entry(allowed("request_orders", scoped=True), kwargs=pk("order")),
    "orders:action": Entry(
        allowed("manage_orders", scoped=True), kwargs=lambda w: {"pk": w.order.pk, "action": "cancel"}, post_only=True
    ),
    # Receipts: the donor's own, or a coordinator's of her provinces.
    "receipts:download": Entry(
        answers(NOT_FOUND, anonymous=LOGIN, donor=OK, coordinator=OK, superuser=OK), kwargs=pk("receipt")
    ),
    # Reports.
    "reports:dashboard": Entry(allowed("read_reports")),
    "reports:thematic-list": Entry(allowed("read_reports")),
    "reports:thematic-create": Entry(allowed("read_reports")),
    "reports:thematic-detail": Entry(allowed("read_reports", scoped=True), kwargs=pk("thematic_report")),
    "reports:thematic-download": Entry(
        allowed("read_reports", scoped=True), kwargs=lambda w: {"pk": w.thematic_report.pk, "kind": "pdf"}
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


def test_every_role_probes_every_url():
    """A new role in core.permissions needs a user in the world and its column in ACTORS."""
    missing = set(DECLARED_ROLES) - set(ACTORS.values())
    assert not missing, f"add a user of {sorted(missing)} to build_world and ACTORS"


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


def test_collector_gets_the_expected_answer_from_every_url(client, world):
    _check("collector", client, world)


def test_other_coordinator_gets_the_expected_answer_from_every_url(client, world):
    _check("other_coordinator", client, world)


def test_coordinator_gets_the_expected_answer_from_every_url(client, world):
    _check("coordinator", client, world)


def test_superuser_gets_the_expected_answer_from_every_url(client, world):
    _check("superuser", client, world)
