"""The allocation engine against the database: load, preview, commit.

``production.allocation`` is pure (plain values in, a plan out). This module turns
orders, workshops and active quotas into those values, explains the plan in
Persian, and writes it as offered quotas in one transaction:

- what is "releasable but unallocated" comes from ``orders.funding`` (the
  confirmed-funds seam) less what active quotas already cover, so running
  twice never allocates the same unit twice;
- a commit first releases the remainders of quotas far behind pace
  (``production.services.rebalance``), then locks: a PostgreSQL advisory lock for the whole
  allocation plus the scope's order rows (on SQLite the IMMEDIATE transaction
  already serialises writers), and only then reads the demand, so two
  concurrent commits cannot over-allocate;
- before writing it locks the plan's workshop rows and drops the allocations
  of any workshop suspended meanwhile (a suspension locks the same row first).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from core.models import Product, Province, User
from crisis.selectors import severity_lookup
from orders.funding import unallocated_releasable_units, with_unit_totals
from orders.models import Order, OrderStatus
from workshops.calendar import WorkCalendar
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

from ..allocation import allocate
from ..allocation.checker import check_plan
from ..allocation.model import Allocation, ExistingLoad, Options, OrderDemand, Plan, WorkshopSupply
from ..models import Quota, QuotaStatus
from .offer_writes import offers_write
from .rebalance import Release, quota_release_remainder, releases_due

# Orders whose funded part may still be split into quotas.
ALLOCATABLE_ORDER_STATUSES = (OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION)
ADVISORY_LOCK_KEY = 1_405_001  # any constant shared by every allocation commit
Progress = Callable[[int, str], None]


def _no_progress(percent: int, message: str) -> None:
    return None


@dataclass
class AllocationResult:
    """A plan with the database objects it talks about, ready to show or to write."""

    plan: Plan
    today: dt.date
    orders: dict[int, Order]
    workshops: dict[int, Workshop]
    releases: list[Release] = field(default_factory=list)
    skipped_orders: list[Order] = field(default_factory=list)  # due date already passed
    violations: list[str] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)  # written by a commit
    # Planned for a workshop suspended while the commit ran: not written, the units wait for the next run.
    dropped: list[Allocation] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    severities: dict[int, int] = field(default_factory=dict)  # order id -> crisis level the engine weighed
    # Preview only: order id -> units the crisis levels gave (+) or took (-) against the same run without them.
    severity_effect: dict[int, int] = field(default_factory=dict)


def quota_due_date(order: Order) -> dt.date:
    """A quota is due the delivery lead time before the order is needed."""
    return order.needed_by - dt.timedelta(days=settings.HAMDELI_DELIVERY_LEAD_DAYS)


def orders_in_scope(provinces: Iterable[Province] | None):
    orders = Order.objects.filter(status__in=ALLOCATABLE_ORDER_STATUSES)
    if provinces is not None:
        orders = orders.filter(health_center__province__in=list(provinces))
    return orders.order_by("pk")


def _orders_with_totals(provinces: Iterable[Province] | None) -> list[Order]:
    """The scope's orders with their allocated units summed in the same query (one query, not one per order)."""
    return list(
        with_unit_totals(orders_in_scope(provinces)).select_related(
            "health_center__province", "health_center__city", "product"
        )
    )


def _demands(orders: list[Order], today: dt.date, extra_units: dict[int, int]) -> tuple[list[OrderDemand], list[Order]]:
    demands, skipped = [], []
    # The crisis level in force today at each order's health center: the higher of its city's and province's.
    severity_at = severity_lookup(today)
    for order in orders:
        units = unallocated_releasable_units(order) + extra_units.get(order.pk, 0)
        if units <= 0:
            continue
        due = quota_due_date(order)
        if due <= today:
            skipped.append(order)  # stale: the coordinator extends or cancels it first
            continue
        demands.append(
            OrderDemand(
                order_id=order.pk,
                product_id=order.product_id,
                province_id=order.health_center.province_id,
                city_id=order.health_center.city_id,
                units=units,
                due_date=due,
                priority=order.priority,
                severity=severity_at(order.health_center.province_id, order.health_center.city_id),
                partial=units < order.quantity,
            )
        )
    return demands, skipped


def _supplies(product_ids: set[int], today: dt.date) -> list[WorkshopSupply]:
    """Every verified workshop that makes one of the products, with its calendar and current load.

    Read as plain rows (four queries, no model instances): a country has tens of
    thousands of workshops and this runs inside the allocation's lock.
    """
    verified = Workshop.objects.filter(status=WorkshopStatus.VERIFIED).filter(
        Exists(WorkshopCapacity.objects.filter(workshop=OuterRef("pk"), product_id__in=product_ids))
    )
    rows = list(
        verified.order_by("pk").values_list(
            "pk", "province_id", "city_id", "working_weekdays", "is_woman_head_of_household"
        )
    )
    rates: dict[int, dict[int, int]] = defaultdict(dict)
    for workshop_id, product_id, per_day in WorkshopCapacity.objects.filter(workshop__in=verified).values_list(
        "workshop_id", "product_id", "units_per_day"
    ):
        rates[workshop_id][product_id] = per_day
    closed: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for workshop_id, start, end in WorkshopUnavailability.objects.filter(
        workshop__in=verified, end_date__gt=today
    ).values_list("workshop_id", "start_date", "end_date"):
        closed[workshop_id].append((start, end))
    loads: dict[int, list[ExistingLoad]] = defaultdict(list)
    for workshop_id, product_id, quantity, released, produced, due in Quota.objects.filter(
        workshop__in=verified,
        status__in=(QuotaStatus.OFFERED, QuotaStatus.ACCEPTED),
        produced_units__lt=F("quantity") - F("released_units"),
        # Overdue and due-today quotas too: their units are still owed and take the workshop's first days
        # (the engine counts a load due before tomorrow from day 0).
    ).values_list("workshop_id", "order__product_id", "quantity", "released_units", "produced_units", "due_date"):
        loads[workshop_id].append(
            ExistingLoad(product_id=product_id, units=quantity - released - produced, due_date=due)
        )
    return [
        WorkshopSupply(
            workshop_id=workshop_id,
            province_id=province_id,
            city_id=city_id,
            rates=rates[workshop_id],
            calendar=WorkCalendar(weekdays, tuple(sorted(closed[workshop_id]))),
            woman_head=woman_head,
            loads=tuple(loads[workshop_id]),
        )
        for workshop_id, province_id, city_id, weekdays, woman_head in rows
    ]


def engine_options() -> Options:
    return Options(min_quota=settings.HAMDELI_MIN_QUOTA_UNITS)


def _plan(
    orders: list[Order],
    today: dt.date,
    releases: list[Release],
    progress: Progress,
    *,
    releases_pending: bool,
    explain_severity: bool = False,
) -> AllocationResult:
    started = time.perf_counter()
    # In a preview the releases are not written yet: count their units as free anyway.
    extra = {}
    if releases_pending:
        for release in releases:
            extra[release.quota.order_id] = extra.get(release.quota.order_id, 0) + release.units
    demands, skipped = _demands(orders, today, extra)
    supplies = _supplies({d.product_id for d in demands}, today)
    loaded = time.perf_counter()
    progress(40, "solving")
    options = engine_options()
    plan = allocate(demands, supplies, today=today, options=options)
    solved = time.perf_counter()
    violations = check_plan(plan, demands, supplies, today=today, min_quota=options.min_quota)
    severity_effect = {}
    if explain_severity and any(demand.severity for demand in demands):
        severity_effect = _severity_effect(plan, demands, supplies, today, options)
    # Model instances only for the workshops the plan names (names for the report, objects for the quotas).
    workshops = Workshop.objects.in_bulk({allocation.workshop_id for allocation in plan.allocations})
    return AllocationResult(
        plan=plan,
        today=today,
        orders={order.pk: order for order in orders},
        workshops=workshops,
        releases=releases,
        skipped_orders=skipped,
        violations=violations,
        seconds={"load": loaded - started, "solve": solved - loaded},
        severities={demand.order_id: demand.severity for demand in demands},
        severity_effect=severity_effect,
    )


def _severity_effect(plan: Plan, demands, supplies, today: dt.date, options: Options) -> dict[int, int]:
    """Per order, the units the crisis levels gave (+) or took (−): the same run planned again as if every
    place were white. A preview only (twice the solving; a commit runs inside the orders' locks)."""
    calm = allocate([dataclasses.replace(d, severity=0) for d in demands], supplies, today=today, options=options)
    given: dict[int, int] = defaultdict(int)
    for allocation in plan.allocations:
        given[allocation.order_id] += allocation.units
    for allocation in calm.allocations:
        given[allocation.order_id] -= allocation.units
    return {order_id: units for order_id, units in given.items() if units}


def allocation_preview(
    *, provinces: Iterable[Province] | None, today: dt.date | None = None, progress: Progress = _no_progress
) -> AllocationResult:
    """What a commit would do now, without writing anything."""
    today = today or timezone.localdate()
    progress(5, "loading")
    orders = _orders_with_totals(provinces)
    active = Quota.objects.filter(order__in=orders, status=QuotaStatus.ACCEPTED).select_related("workshop")
    releases = releases_due(active, today)
    return _plan(orders, today, releases, progress, releases_pending=True, explain_severity=True)


def _lock_allocation(orders_qs) -> None:
    """Serialise allocation commits, and funding changes of the scope's orders, until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A commit runs in a Celery task, not a page: it may wait for the previous commit longer than
            # the short lock timeout that keeps pages responsive (DATABASE_LOCK_TIMEOUT_MS).
            cursor.execute("SET LOCAL lock_timeout = '300s'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
    list(orders_qs.select_for_update().values_list("pk", flat=True))


def _lock_workshops(workshop_ids: Iterable[int]) -> dict[int, str]:
    """The workshops' current statuses, their rows locked (by id) until this transaction ends.

    A suspension locks the workshop row before it cancels the workshop's open
    quotas, so it waits for a commit holding the row and then cancels what the
    commit offered, or the commit waits for it and sees the new status.
    """
    rows = Workshop.objects.filter(pk__in=sorted(set(workshop_ids))).order_by("pk").select_for_update()
    return dict(rows.values_list("pk", "status"))


def _drop_unverified(result: AllocationResult) -> None:
    """Lock the plan's workshops and take out the allocations of those no longer verified.

    The plan was made from statuses read before these locks; a workshop
    suspended since then gets no quota, and its units simply stay unallocated
    for the next run (``result.dropped`` lists them for the report).
    """
    statuses = _lock_workshops(allocation.workshop_id for allocation in result.plan.allocations)
    kept, dropped = [], []
    for allocation in result.plan.allocations:
        verified = statuses.get(allocation.workshop_id) == WorkshopStatus.VERIFIED
        (kept if verified else dropped).append(allocation)
    if dropped:
        result.plan = dataclasses.replace(result.plan, allocations=tuple(kept))
        result.dropped = dropped


@transaction.atomic
def allocation_commit(
    *,
    actor: User | None,
    provinces: Iterable[Province] | None,
    today: dt.date | None = None,
    progress: Progress = _no_progress,
    before_write: Callable[[], None] | None = None,
) -> AllocationResult:
    """Release what is far behind, then offer the plan's quotas, all in one transaction.

    ``before_write`` is a test hook: it runs after the plan is made and its
    workshops are locked, before any quota is written (the concurrency tests
    park a thread there).
    """
    today = today or timezone.localdate()
    provinces = list(provinces) if provinces is not None else None
    progress(5, "locking")
    scope = orders_in_scope(provinces)
    _lock_allocation(scope)
    active = Quota.objects.filter(order__in=scope, status=QuotaStatus.ACCEPTED).select_related("workshop")
    releases = releases_due(active, today)
    # Workshop rows before their quota rows, as a suspension takes them: the two never wait on each other.
    _lock_workshops(release.quota.workshop_id for release in releases)
    for release in releases:
        quota_release_remainder(quota=release.quota, actor=actor, reason=release.reason)
    # Read the demand only now: under the locks and after the releases.
    result = _plan(_orders_with_totals(provinces), today, releases, progress, releases_pending=False)
    if result.violations:  # never write a plan the independent checker refuses
        raise RuntimeError("allocation plan violates constraints: " + "; ".join(result.violations[:5]))
    _drop_unverified(result)
    if before_write is not None:
        before_write()
    progress(80, "writing")
    started = time.perf_counter()
    result.quotas = _write_quotas(result, actor)
    result.seconds["write"] = time.perf_counter() - started
    progress(100, "done")
    return result


def _write_quotas(result: AllocationResult, actor: User | None) -> list[Quota]:
    """Offered quotas for the plan, with their audit entries, in bulk; the owners hear after the commit."""
    return offers_write(
        allocations=result.plan.allocations, orders=result.orders, workshops=result.workshops, actor=actor
    )


def product_names() -> dict[int, Product]:
    return {product.pk: product for product in Product.objects.all()}
