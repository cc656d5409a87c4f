"""The allocation engine against the database: load, preview, commit.

``orders.allocation`` is pure (plain values in, a plan out). This module turns
orders, workshops and active quotas into those values, explains the plan in
Persian, and writes it as offered quotas in one transaction:

- what is "releasable but unallocated" comes from ``orders.funding`` (the
  confirmed-funds seam) less what active quotas already cover, so running
  twice never allocates the same unit twice;
- a commit first releases the remainders of quotas far behind pace
  (``orders.rebalance``), then locks: a PostgreSQL advisory lock for the whole
  allocation plus the scope's order rows (on SQLite the IMMEDIATE transaction
  already serialises writers), and only then reads the demand, so two
  concurrent commits cannot over-allocate.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from core.audit import log_actions
from core.models import Product, Province, User
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus

from .allocation import allocate
from .allocation.checker import check_plan
from .allocation.model import ExistingLoad, Options, OrderDemand, Plan, WorkshopSupply
from .funding import unallocated_releasable_units
from .models import Order, OrderStatus, Quota, QuotaStatus
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
    seconds: dict[str, float] = field(default_factory=dict)


def quota_due_date(order: Order) -> dt.date:
    """A quota is due the delivery lead time before the order is needed."""
    return order.needed_by - dt.timedelta(days=settings.HAMDELI_DELIVERY_LEAD_DAYS)


def orders_in_scope(provinces: Iterable[Province] | None):
    orders = Order.objects.filter(status__in=ALLOCATABLE_ORDER_STATUSES).select_related(
        "health_center__province", "health_center__city", "product"
    )
    if provinces is not None:
        orders = orders.filter(health_center__province__in=list(provinces))
    return orders.order_by("pk")


def _demands(orders: list[Order], today: dt.date, extra_units: dict[int, int]) -> tuple[list[OrderDemand], list[Order]]:
    demands, skipped = [], []
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
            )
        )
    return demands, skipped


def _supplies(product_ids: set[int], today: dt.date) -> tuple[list[WorkshopSupply], dict[int, Workshop]]:
    """Every verified workshop that makes one of the products, with its calendar and current load."""
    active = Quota.objects.filter(
        status__in=(QuotaStatus.OFFERED, QuotaStatus.ACCEPTED),
        produced_units__lt=F("quantity") - F("released_units"),
    ).select_related("order")
    workshops = (
        Workshop.objects.filter(status=WorkshopStatus.VERIFIED, capacities__product_id__in=product_ids)
        .distinct()
        .prefetch_related(
            "unavailable_ranges",
            Prefetch("capacities", queryset=WorkshopCapacity.objects.all()),
            Prefetch("quotas", queryset=active, to_attr="active_quotas"),
        )
        .order_by("pk")
    )
    supplies, by_id = [], {}
    for workshop in workshops:
        by_id[workshop.pk] = workshop
        loads = tuple(
            ExistingLoad(product_id=q.order.product_id, units=q.remaining_units, due_date=q.due_date)
            for q in workshop.active_quotas
            if q.due_date > today
        )
        supplies.append(
            WorkshopSupply(
                workshop_id=workshop.pk,
                province_id=workshop.province_id,
                city_id=workshop.city_id,
                rates=workshop.daily_rates(),
                calendar=workshop.work_calendar(),
                woman_head=workshop.is_woman_head_of_household,
                loads=loads,
            )
        )
    return supplies, by_id


def engine_options() -> Options:
    return Options(min_quota=settings.HAMDELI_MIN_QUOTA_UNITS)


def _plan(
    orders: list[Order],
    today: dt.date,
    releases: list[Release],
    progress: Progress,
    *,
    releases_pending: bool,
) -> AllocationResult:
    started = time.perf_counter()
    # In a preview the releases are not written yet: count their units as free anyway.
    extra = {}
    if releases_pending:
        for release in releases:
            extra[release.quota.order_id] = extra.get(release.quota.order_id, 0) + release.units
    demands, skipped = _demands(orders, today, extra)
    supplies, workshops = _supplies({d.product_id for d in demands}, today)
    loaded = time.perf_counter()
    progress(40, "solving")
    options = engine_options()
    plan = allocate(demands, supplies, today=today, options=options)
    solved = time.perf_counter()
    violations = check_plan(plan, demands, supplies, today=today, options=options)
    return AllocationResult(
        plan=plan,
        today=today,
        orders={order.pk: order for order in orders},
        workshops=workshops,
        releases=releases,
        skipped_orders=skipped,
        violations=violations,
        seconds={"load": loaded - started, "solve": solved - loaded},
    )


def allocation_preview(
    *, provinces: Iterable[Province] | None, today: dt.date | None = None, progress: Progress = _no_progress
) -> AllocationResult:
    """What a commit would do now, without writing anything."""
    today = today or timezone.localdate()
    progress(5, "loading")
    orders = list(orders_in_scope(provinces))
    active = Quota.objects.filter(order__in=orders, status=QuotaStatus.ACCEPTED).select_related("workshop")
    releases = releases_due(active, today)
    return _plan(orders, today, releases, progress, releases_pending=True)


def _lock_allocation(orders_qs) -> list[Order]:
    if settings.HAMDELI_ALLOCATION_LOCKING:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        return list(orders_qs.select_for_update(of=("self",)))
    return list(orders_qs)


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

    ``before_write`` is a test hook: it runs after the plan is made and before
    anything is written (the concurrency tests park a thread there).
    """
    today = today or timezone.localdate()
    provinces = list(provinces) if provinces is not None else None
    progress(5, "locking")
    orders = _lock_allocation(orders_in_scope(provinces))
    active = Quota.objects.filter(order__in=orders, status=QuotaStatus.ACCEPTED).select_related("workshop")
    releases = releases_due(active, today)
    for release in releases:
        quota_release_remainder(quota=release.quota, actor=actor, reason=release.reason)
    result = _plan(orders, today, releases, progress, releases_pending=False)
    if result.violations:  # never write a plan the independent checker refuses
        raise RuntimeError("allocation plan violates constraints: " + "; ".join(result.violations[:5]))
    if before_write is not None:
        before_write()
    progress(80, "writing")
    started = time.perf_counter()
    result.quotas = _write_quotas(result, actor)
    result.seconds["write"] = time.perf_counter() - started
    progress(100, "done")
    return result


def _write_quotas(result: AllocationResult, actor: User | None) -> list[Quota]:
    """Offered quotas for the plan, with their audit entries, in bulk."""
    quotas = [
        Quota(
            order=result.orders[allocation.order_id],  # objects, not ids: str(quota) in the audit needs no query
            workshop=result.workshops[allocation.workshop_id],
            quantity=allocation.units,
            due_date=allocation.due_date,
            piece_rate_rials=result.orders[allocation.order_id].product.piece_rate_rials,
            status=QuotaStatus.OFFERED,
        )
        for allocation in result.plan.allocations
    ]
    created = Quota.objects.bulk_create(quotas)  # PostgreSQL and SQLite >= 3.35 return the new ids
    log_actions(
        actor=actor,
        objs=created,
        action="quota.offer",
        changes=lambda quota: {"quantity": [None, quota.quantity]},
        note="allocation",
    )
    return created


def product_names() -> dict[int, Product]:
    return {product.pk: product for product in Product.objects.all()}
