"""The allocation engine against the database: load, preview, commit.

``production.allocation`` is pure (plain values in, a plan out). This module turns
orders, workshops and active quotas into those values (``allocation_inputs``),
explains the plan in Persian, and writes it as offered quotas in one transaction:

- what is "releasable but unallocated" comes from ``orders.funding`` (the
  confirmed-funds seam) less what active quotas already cover, so running
  twice never allocates the same unit twice;
- a commit plans first with no transaction and no lock held, as a preview does
  (the releases of quotas far behind pace counted as done): on a scarce country
  solving takes seconds, and nothing else that needs these orders should wait
  for it;
- then, in one transaction, it releases the remainders of quotas far behind
  pace (``production.services.rebalance``) and locks: a PostgreSQL advisory lock
  for the whole allocation plus the scope's order rows (on SQLite the IMMEDIATE
  transaction already serialises writers); it reads the demand and the supply
  again under those locks and re-checks the plan against them with the
  independent checker (``check_plan``: every hard rule, on the fresh values,
  wherever they differ from the plan's: ``allocation_recheck``). A
  plan the fresh data refuses (a refund, another commit, a capacity cut, a new
  date...) is thrown away and the run solves again under the locks, as it did
  before; so two concurrent commits cannot over-allocate whatever happened
  between the plan and the locks;
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

from django.db import connection, transaction
from django.utils import timezone

from core.models import Product, Province, User
from orders.models import Order
from workshops.models import Workshop, WorkshopStatus

from ..allocation import allocate
from ..allocation.checker import check_plan
from ..allocation.model import Allocation, OrderDemand, Plan, WorkshopSupply
from ..models import Quota, QuotaStatus
from .allocation_inputs import (
    ALLOCATABLE_ORDER_STATUSES,  # noqa: F401  (re-exported: it was defined here)
    engine_options,
    order_demands,
    orders_in_scope,
    orders_with_totals,
    quota_due_date,  # noqa: F401  (re-exported)
    workshop_supplies,
)
from .allocation_recheck import reasons_to_plan_again
from .offer_writes import offers_write
from .rebalance import Release, quota_release_remainder, releases_due

ADVISORY_LOCK_KEY = 1_405_001  # any constant shared by every allocation commit
Progress = Callable[[int, str], None]
Hook = Callable[[], None]


def _no_progress(percent: int, message: str) -> None:
    return None


def _today() -> dt.date:
    """The allocation's day; read again under a commit's locks, since the plan may have been made before midnight."""
    return timezone.localdate()


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
    # Commit only: the plan made before the locks did not hold on the data read under them, so it was solved again
    # there; ``replan_reasons`` are the first of the checker's objections (or the change of date).
    replanned_under_locks: bool = False
    replan_reasons: list[str] = field(default_factory=list)
    # The demand and supply the plan was made from (a commit re-checks it where they read differently under its locks).
    planned_from: tuple[list[OrderDemand], list[WorkshopSupply]] = field(default=([], []), repr=False)


def _inputs(
    orders: list[Order], today: dt.date, releases: list[Release], *, releases_pending: bool
) -> tuple[list[OrderDemand], list[Order], list[WorkshopSupply]]:
    """The engine's demand (and the orders skipped as past due) and supply, read now."""
    # Before the releases are written (a preview, a commit's plan before its locks) count their units as free.
    extra: dict[int, int] = {}
    if releases_pending:
        for release in releases:
            extra[release.quota.order_id] = extra.get(release.quota.order_id, 0) + release.units
    demands, skipped = order_demands(orders, today, extra)
    return demands, skipped, workshop_supplies({d.product_id for d in demands}, today)


def _plan(
    orders: list[Order],
    today: dt.date,
    releases: list[Release],
    progress: Progress,
    *,
    releases_pending: bool,
    explain_severity: bool = False,
    check: bool = True,
) -> AllocationResult:
    started = time.perf_counter()
    demands, skipped, supplies = _inputs(orders, today, releases, releases_pending=releases_pending)
    result = _solve(
        orders, today, releases, (demands, skipped, supplies), progress, explain_severity=explain_severity, check=check
    )
    result.seconds["load"] = time.perf_counter() - started - result.seconds["solve"] - result.seconds["after_solve"]
    return result


def _solve(
    orders: list[Order],
    today: dt.date,
    releases: list[Release],
    inputs: tuple[list[OrderDemand], list[Order], list[WorkshopSupply]],
    progress: Progress,
    *,
    explain_severity: bool = False,
    check: bool = True,
    percent: int = 40,
) -> AllocationResult:
    demands, skipped, supplies = inputs
    progress(percent, "solving")
    started = time.perf_counter()
    options = engine_options()
    plan = allocate(demands, supplies, today=today, options=options)
    solved = time.perf_counter()
    violations = check_plan(plan, demands, supplies, today=today, min_quota=options.min_quota) if check else []
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
        seconds={"solve": solved - started, "after_solve": time.perf_counter() - solved},
        severities={demand.order_id: demand.severity for demand in demands},
        severity_effect=severity_effect,
        planned_from=(demands, supplies),
    )


def _severity_effect(plan: Plan, demands, supplies, today: dt.date, options) -> dict[int, int]:
    """Per order, the units the crisis levels gave (+) or took (−): the same run planned again as if every
    place were white. A preview only (twice the solving; a commit keeps its solving short)."""
    calm = allocate([dataclasses.replace(d, severity=0) for d in demands], supplies, today=today, options=options)
    given: dict[int, int] = defaultdict(int)
    for allocation in plan.allocations:
        given[allocation.order_id] += allocation.units
    for allocation in calm.allocations:
        given[allocation.order_id] -= allocation.units
    return {order_id: units for order_id, units in given.items() if units}


def _plan_without_locks(
    provinces: list[Province] | None, today: dt.date, progress: Progress, *, explain_severity: bool, check: bool
) -> AllocationResult:
    """A plan from the data as it is now, nothing locked or written: the releases due are counted as done."""
    progress(5, "loading")
    orders = orders_with_totals(provinces)
    active = Quota.objects.filter(order__in=orders, status=QuotaStatus.ACCEPTED).select_related("workshop")
    releases = releases_due(active, today)
    return _plan(
        orders, today, releases, progress, releases_pending=True, explain_severity=explain_severity, check=check
    )


def allocation_preview(
    *, provinces: Iterable[Province] | None, today: dt.date | None = None, progress: Progress = _no_progress
) -> AllocationResult:
    """What a commit would do now, without writing anything."""
    provinces = list(provinces) if provinces is not None else None
    return _plan_without_locks(provinces, today or _today(), progress, explain_severity=True, check=True)


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


def allocation_commit(
    *,
    actor: User | None,
    provinces: Iterable[Province] | None,
    today: dt.date | None = None,
    progress: Progress = _no_progress,
    after_plan: Callable[[AllocationResult], None] | None = None,
    before_write: Hook | None = None,
) -> AllocationResult:
    """Plan with nothing locked; then, in one transaction, release what is far behind, lock, re-check the plan
    against the data read under the locks (solving again there if it no longer holds) and offer its quotas.

    ``result.seconds``: ``plan_unlocked`` (the plan before the locks; ``load`` and ``solve`` are its parts),
    ``locked`` (from asking for the locks to COMMIT; ``lock``, ``reload``, ``lock_workshops``, ``recheck``,
    ``replan`` and ``write`` are its parts), ``after_commit`` (what ran on commit in this process: queuing the
    owners' messages) and ``total``.

    Test hooks: ``after_plan(early)`` runs between the plan made before the locks (``early``) and the locks
    (a test changes the world there); ``before_write()`` runs after the plan to write is settled and its
    workshops are locked, before any quota is written (the concurrency tests park a thread there).
    """
    started = time.perf_counter()
    provinces = list(provinces) if provinces is not None else None
    # Checked here, outside the locks, so that under them only what changed meanwhile needs checking again.
    early = _plan_without_locks(provinces, today or _today(), progress, explain_severity=False, check=True)
    planned = time.perf_counter()
    if after_plan is not None:
        after_plan(early)
    progress(60, "locking")  # before the transaction: the run's page shows it while the commit waits for the lock
    marks: dict[str, float] = {}
    with transaction.atomic():
        # Registered first, so it runs the moment COMMIT returns, before the owners' messages are queued.
        transaction.on_commit(lambda: marks.setdefault("committed", time.perf_counter()))
        locking = time.perf_counter()
        result = _commit_under_locks(
            early,
            actor=actor,
            provinces=provinces,
            today=today or _today(),
            progress=progress,
            before_write=before_write,
        )
    finished = time.perf_counter()
    committed = marks.get("committed", finished)  # inside an outer transaction (tests): this block's end
    result.seconds.update(
        plan_unlocked=planned - started,
        locked=committed - locking,
        after_commit=finished - committed,
        total=finished - started,
    )
    return result


def _commit_under_locks(
    early: AllocationResult,
    *,
    actor: User | None,
    provinces: list[Province] | None,
    today: dt.date,
    progress: Progress,
    before_write: Hook | None,
) -> AllocationResult:
    """The commit's transaction: lock, release, re-read, re-check ``early`` (or solve again), write."""
    started = time.perf_counter()
    scope = orders_in_scope(provinces)
    _lock_allocation(scope)
    active = Quota.objects.filter(order__in=scope, status=QuotaStatus.ACCEPTED).select_related("workshop")
    releases = releases_due(active, today)
    # Workshop rows before their quota rows, as a suspension takes them: the two never wait on each other.
    _lock_workshops(release.quota.workshop_id for release in releases)
    for release in releases:
        quota_release_remainder(quota=release.quota, actor=actor, reason=release.reason)
    locked = time.perf_counter()
    # The demand and supply the quotas are written against: read under the locks and after the releases.
    orders = orders_with_totals(provinces)
    inputs = _inputs(orders, today, releases, releases_pending=False)
    demands, skipped, supplies = inputs
    read = time.perf_counter()
    # Orders of the early plan that left the scope meanwhile keep their objects: its report may still name them.
    fresh = {order.pk: order for order in orders}
    result = dataclasses.replace(
        early, today=today, orders={**early.orders, **fresh}, releases=releases, skipped_orders=skipped, seconds={}
    )
    _drop_unverified(result)
    workshops_locked = time.perf_counter()
    reasons = reasons_to_plan_again(
        result.plan,
        today=today,
        planned_on=early.today,
        planned_from=early.planned_from,
        planned_violations=early.violations,
        demands=demands,
        supplies=supplies,
        min_quota=engine_options().min_quota,
    )
    checked = time.perf_counter()
    if reasons:
        # Never write a plan the fresh data refuses: plan again here, exactly as if nothing had been planned before.
        result = _solve(orders, today, releases, inputs, progress, percent=65)
        if result.violations:  # never write a plan the independent checker refuses
            raise RuntimeError("allocation plan violates constraints: " + "; ".join(result.violations[:5]))
        _drop_unverified(result)
        result.replanned_under_locks, result.replan_reasons = True, reasons[:5]
    replanned = time.perf_counter()
    if before_write is not None:
        before_write()
    progress(80, "writing")
    writing = time.perf_counter()
    result.quotas = _write_quotas(result, actor)
    result.seconds = {
        "load": early.seconds["load"],  # of the plan made before the locks
        "solve": early.seconds["solve"],
        "lock": locked - started,  # the advisory and row locks, and the releases
        "reload": read - locked,
        "lock_workshops": workshops_locked - read,  # the plan's workshop rows, and dropping the suspended ones
        "recheck": checked - workshops_locked,
        "replan": replanned - checked,  # solving again under the locks (0 when the plan held)
        "write": time.perf_counter() - writing,
    }
    progress(100, "done")
    return result


def _write_quotas(result: AllocationResult, actor: User | None) -> list[Quota]:
    """Offered quotas for the plan, with their audit entries, in bulk; the owners hear after the commit."""
    return offers_write(
        allocations=result.plan.allocations, orders=result.orders, workshops=result.workshops, actor=actor
    )


def product_names() -> dict[int, Product]:
    return {product.pk: product for product in Product.objects.all()}
