"""End-to-end allocation benchmark: a synthetic country in a throwaway database, then one commit.

    .venv/bin/python bench/allocation.py --workshops 10000 --orders 2000 [--database postgres://root@127.0.0.1/]
        [--scenario normal|tight] [--demand-ratio 3] [--replan-under-locks]

Without ``--database`` it uses a throwaway SQLite file; with a PostgreSQL server URL it creates (and
drops) a database ``hamdeli_bench_<pid>`` there (``--database-prefix`` names it otherwise).

Scenarios: ``normal`` is the everyday country (orders due in 7-62 days, demand well below capacity);
``tight`` is a scarce one: orders due in 7-21 days with mixed priorities, and each product's demand
``--demand-ratio`` (default 3) times the sewing time the verified workshops have until the last due
date, counted in working days x units per day, a workshop's days split evenly between its products.

Prints one JSON line: counts; the seconds (below); allocated and unmet units; the engine's objective,
bounds and priority figures; the measured demand ratio; and the peak memory (MB) of the process, after
the build and at the end.

A commit plans first with nothing locked, then locks, re-reads, re-checks that plan and writes it in one
transaction (solving again there only when the data changed in between). The seconds:

- ``seconds_build_data``: creating the country (not part of any target);
- ``seconds_plan_unlocked``: the plan made before the locks, no transaction open; its parts
  ``seconds_load`` (reading demand and supply) and ``seconds_solve`` (the engine), the rest reading the
  orders, the quotas due for release and the plan's workshops, and ``check_plan`` on the whole plan;
- ``seconds_locked``, also ``seconds_commit``: the transaction, from asking for the locks until COMMIT
  returned; its parts ``seconds_lock`` (advisory and row locks, releases of quotas far behind pace),
  ``seconds_reload_locked`` (demand and supply read again under the locks), ``seconds_lock_workshops``
  (the plan's workshop rows), ``seconds_recheck_locked`` (``check_plan`` on the fresh data, for the
  orders and workshops that read differently from the plan's), ``seconds_replan_locked``
  (solving again under the locks: 0 unless ``replanned_under_locks``), ``seconds_write`` (the quotas and
  their audit rows) and ``seconds_commit_other`` (the rest: COMMIT itself, progress);
- ``seconds_notify``: the owners' notifications, run after the commit (in bulk; in-process here);
- ``seconds_total``: end to end, from the start of the unlocked plan until the notifications are done.

``--replan-under-locks`` measures the fallback: between the plan and the locks it cuts the rate of one
workshop of the plan to one unit a day, so the re-check refuses the plan and the commit solves again
under the locks (``replanned_under_locks`` is then true).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NORMAL, TIGHT = "normal", "tight"
DEFAULT_TIGHT_RATIO = 3.0
TIGHT_DUE_DAYS = (7, 21)
TIGHT_PRIORITY_SHARES = {"urgent": 0.3, "high": 0.3, "normal": 0.4}
# Copied through from the engine's plan stats when it reports them.
PLAN_STATS = (
    "full_model_bound",
    "bound_is_valid",
    "bound_note",
    "plan_from",
    "urgent_units_asked",
    "urgent_units_served",
    "urgent_units_possible",
    "high_units_asked",
    "high_units_served",
    "high_units_possible",
    "normal_units_asked",
    "normal_units_served",
    "priority_weights",
    "pricing_converged",
    "pricing_rounds",
)


def configure(database: str | None, prefix: str = "hamdeli_bench_") -> str | None:
    """Point Django at a throwaway database; returns the admin URL to drop it afterwards."""
    # The bench times our code, not the console: no line per SMS or per eager task.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if database and database.startswith("postgres"):
        import psycopg

        name = f"{prefix}{os.getpid()}"
        base = database.rstrip("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        return base
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    return None


def drop(base: str | None) -> None:
    if base is None:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{os.environ["DATABASE_URL"].rsplit("/", 1)[1]}"')


def build_workshops(workshops: int, rng: random.Random) -> list:
    """Owners, workshops (90% verified), one to three products each, a closed week for one in ten."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from core.models import City, Product, Province, Role, User
    from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

    today = timezone.localdate()
    provinces = list(Province.objects.order_by("pk"))
    cities = {p.pk: list(City.objects.filter(province=p)) for p in provinces}
    products = list(Product.objects.order_by("code"))
    password = make_password(None)

    owners = User.objects.bulk_create(
        [
            User(mobile=f"091{n:08d}", full_name=f"owner {n}", role=Role.WORKSHOP_OWNER, password=password)
            for n in range(workshops)
        ],
        batch_size=2000,
    )
    shops = []
    for n, owner in enumerate(owners):
        province = provinces[n % len(provinces)]
        shops.append(
            Workshop(
                owner=owner,
                name=f"workshop {n}",
                national_id=f"{n:010d}",
                province=province,
                city=rng.choice(cities[province.pk]),
                address="-",
                status=WorkshopStatus.VERIFIED if rng.random() < 0.9 else WorkshopStatus.PENDING,
                is_woman_head_of_household=rng.random() < 0.3,
            )
        )
    shops = Workshop.objects.bulk_create(shops, batch_size=2000)
    capacities, closed = [], []
    for shop in shops:
        for product in rng.sample(products, rng.randint(1, 3)):
            rate = rng.randint(150, 600) if product.kind == "mask" else rng.randint(8, 40)
            capacities.append(WorkshopCapacity(workshop=shop, product=product, units_per_day=rate))
        if rng.random() < 0.1:
            start = today + dt.timedelta(days=rng.randint(1, 30))
            closed.append(
                WorkshopUnavailability(workshop=shop, start_date=start, end_date=start + dt.timedelta(days=5))
            )
    WorkshopCapacity.objects.bulk_create(capacities, batch_size=5000)
    WorkshopUnavailability.objects.bulk_create(closed, batch_size=5000)
    return shops


def _order_context():
    from core.models import City, HealthCenter, Province, Role, User

    provinces = list(Province.objects.order_by("pk"))
    coordinator = User.objects.create(mobile="09120000999", full_name="bench", role=Role.COORDINATOR, is_national=True)
    centers = HealthCenter.objects.bulk_create(
        [
            HealthCenter(
                name=f"center {p.code}",
                kind="hospital",
                province=p,
                city=City.objects.filter(province=p)[0],
                address="-",
                phone="0",
                contact_person="-",
            )
            for p in provinces
        ]
    )
    return coordinator, centers


def build_orders(orders: int, rng: random.Random) -> list:
    """Today's country: products, sizes, due dates (7-62 days) and priorities drawn at random."""
    from django.utils import timezone

    from core.models import Product
    from orders.models import Order, OrderPriority, OrderStatus

    today = timezone.localdate()
    products = list(Product.objects.order_by("code"))
    coordinator, centers = _order_context()
    new_orders = []
    for n in range(orders):
        product = rng.choice(products)
        quantity = rng.choice([2000, 5000, 10000]) if product.kind == "mask" else rng.choice([100, 250, 500])
        new_orders.append(
            Order(
                number=f"ORD-BENCH-{n:06d}",
                health_center=rng.choice(centers),
                product=product,
                quantity=quantity,
                unit_cost_rials=product.unit_cost_rials,
                needed_by=today + dt.timedelta(days=rng.randint(7, 62)),
                priority=rng.choice(list(OrderPriority)),
                status=OrderStatus.FUNDED,
                created_by=coordinator,
            )
        )
    return Order.objects.bulk_create(new_orders, batch_size=2000)


def sewing_capacity(last_due: dt.date) -> tuple[dict[int, float], dict[int, float]]:
    """Per product: units and workshop-days the verified workshops have from tomorrow until ``last_due``.

    A workshop's working days (its weekdays, less its closed ranges) are split evenly between the
    products it makes, so the days of all products add up to the country's sewing time once.
    """
    from django.utils import timezone

    from workshops.calendar import WorkCalendar
    from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    verified = Workshop.objects.filter(status=WorkshopStatus.VERIFIED)
    rates: dict[int, dict[int, int]] = defaultdict(dict)
    for workshop_id, product_id, per_day in WorkshopCapacity.objects.filter(
        workshop__in=verified, units_per_day__gt=0
    ).values_list("workshop_id", "product_id", "units_per_day"):
        rates[workshop_id][product_id] = per_day
    closed: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for workshop_id, start, end in WorkshopUnavailability.objects.filter(workshop__in=verified).values_list(
        "workshop_id", "start_date", "end_date"
    ):
        closed[workshop_id].append((start, end))
    units: dict[int, float] = defaultdict(float)
    days: dict[int, float] = defaultdict(float)
    for workshop_id, weekdays in verified.values_list("pk", "working_weekdays"):
        made = rates.get(workshop_id)
        if not made:
            continue
        working = WorkCalendar(weekdays, tuple(closed[workshop_id])).working_days(tomorrow, last_due)
        share = working / len(made)
        for product_id, per_day in made.items():
            units[product_id] += per_day * share
            days[product_id] += share
    return dict(units), dict(days)


def build_tight_orders(orders: int, ratio: float, rng: random.Random) -> list:
    """A scarce country: orders due in 7-21 days, mixed priorities, each product's demand ``ratio`` x capacity."""
    from django.conf import settings
    from django.utils import timezone

    from core.models import Product
    from orders.models import Order, OrderStatus

    today = timezone.localdate()
    products = list(Product.objects.order_by("code"))
    coordinator, centers = _order_context()
    lead = dt.timedelta(days=settings.HAMDELI_DELIVERY_LEAD_DAYS)
    capacity, _ = sewing_capacity(today + dt.timedelta(days=TIGHT_DUE_DAYS[1]) - lead)
    priorities, shares = zip(*TIGHT_PRIORITY_SHARES.items(), strict=True)
    drafts = []
    for _n in range(orders):
        drafts.append(
            {
                "product": rng.choice(products),
                "weight": rng.uniform(0.5, 1.5),
                "needed_by": today + dt.timedelta(days=rng.randint(*TIGHT_DUE_DAYS)),
                "priority": rng.choices(priorities, weights=shares)[0],
                "center": rng.choice(centers),
            }
        )
    weight_of: dict[int, float] = defaultdict(float)
    for draft in drafts:
        weight_of[draft["product"].pk] += draft["weight"]
    new_orders = []
    for n, draft in enumerate(drafts):
        product = draft["product"]
        demand = ratio * capacity.get(product.pk, 0.0)
        quantity = max(settings.HAMDELI_MIN_QUOTA_UNITS, round(demand * draft["weight"] / weight_of[product.pk]))
        new_orders.append(
            Order(
                number=f"ORD-BENCH-{n:06d}",
                health_center=draft["center"],
                product=product,
                quantity=quantity,
                unit_cost_rials=product.unit_cost_rials,
                needed_by=draft["needed_by"],
                priority=draft["priority"],
                status=OrderStatus.FUNDED,
                created_by=coordinator,
            )
        )
    return Order.objects.bulk_create(new_orders, batch_size=2000)


def fund_orders(new_orders: list) -> None:
    """Every order is paid in full by one donor: confirmed funds are read from the ledger."""
    from django.utils import timezone

    from bench.world import fresh_references
    from core.models import Role, User
    from donors.models import Donor, EntryKind, LedgerEntry, Pledge, PledgeStatus

    coordinator = User.objects.get(mobile="09120000999")
    donor_user = User.objects.create(mobile="09124000999", full_name="bench donor", role=Role.DONOR)
    donor = Donor.objects.create(user=donor_user)
    received_on = timezone.localdate()
    # References unique within the batch (each Pledge()'s own default checks only the database).
    references = fresh_references(len(new_orders))
    pledges = Pledge.objects.bulk_create(
        [
            Pledge(
                donor=donor,
                order=order,
                amount_rials=order.budget_rials,
                status=PledgeStatus.RECEIVED,
                received_amount_rials=order.budget_rials,
                bank_reference=f"BENCH-{n}",
                reference=references[n],
                received_on=received_on,
            )
            for n, order in enumerate(new_orders)
        ],
        batch_size=2000,
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                kind=EntryKind.RECEIVED,
                amount_rials=pledge.amount_rials,
                from_donor=donor,
                to_order=pledge.order,
                pledge=pledge,
                created_by=coordinator,
            )
            for pledge in pledges
        ],
        batch_size=2000,
    )


def build_country(
    workshops: int, orders: int, seed: int = 1405, *, scenario: str = NORMAL, demand_ratio: float | None = None
) -> None:
    rng = random.Random(seed)
    build_workshops(workshops, rng)
    if scenario == TIGHT:
        new_orders = build_tight_orders(orders, demand_ratio or DEFAULT_TIGHT_RATIO, rng)
    else:
        new_orders = build_orders(orders, rng)
    fund_orders(new_orders)


def measured_demand_ratio() -> tuple[float, dict[str, float]]:
    """Demand over capacity in sewing time until the last quota due date: overall, and per product code.

    Each product's units are turned into workshop-days at its capacity-weighted mean rate, so masks
    (hundreds a day) and gowns (tens a day) add up in the one unit they share.
    """
    from django.conf import settings
    from django.db.models import Max, Sum

    from core.models import Product
    from orders.models import Order

    orders = Order.objects.all()
    last_needed = orders.aggregate(last=Max("needed_by"))["last"]
    if last_needed is None:
        return 0.0, {}
    units, days = sewing_capacity(last_needed - dt.timedelta(days=settings.HAMDELI_DELIVERY_LEAD_DAYS))
    codes = dict(Product.objects.values_list("pk", "code"))
    demand_days, by_product = 0.0, {}
    for product_id, demand in orders.values_list("product_id").annotate(units=Sum("quantity")):
        if not units.get(product_id):
            continue
        ratio = demand / units[product_id]
        by_product[codes[product_id]] = round(ratio, 3)
        demand_days += ratio * days[product_id]
    total_days = sum(days.values())
    return (round(demand_days / total_days, 3) if total_days else 0.0), by_product


def peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed_commit(*, replan: bool = False) -> tuple:
    """The allocation commit (plan, then the locked transaction) and the notifications it queued; end to end.

    The service times its own parts (``result.seconds``): ``locked`` ends the moment COMMIT returns,
    ``after_commit`` is what ran on commit in this process, the owners' notifications.
    """
    from production.services.allocation import allocation_commit
    from workshops.models import WorkshopCapacity

    def cut_a_capacity(early) -> None:
        if early.plan.allocations:
            workshop_id = early.plan.allocations[0].workshop_id
            WorkshopCapacity.objects.filter(workshop_id=workshop_id).update(units_per_day=1)

    started = time.perf_counter()
    result = allocation_commit(actor=None, provinces=None, after_plan=cut_a_capacity if replan else None)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=10000)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--database", help="PostgreSQL server URL, e.g. postgres://root@127.0.0.1:5432")
    parser.add_argument(
        "--database-prefix", default="hamdeli_bench_", help="the throwaway database's name, before the pid"
    )
    parser.add_argument("--scenario", choices=(NORMAL, TIGHT), default=NORMAL)
    parser.add_argument(
        "--demand-ratio",
        type=float,
        help=f"tight: demand / sewing capacity per product (default {DEFAULT_TIGHT_RATIO:g}); implies --scenario tight",
    )
    parser.add_argument(
        "--replan-under-locks",
        action="store_true",
        help="cut one planned workshop's rate between the plan and the locks: measures the commit solving again",
    )
    args = parser.parse_args()
    scenario = TIGHT if args.demand_ratio is not None else args.scenario

    base = configure(args.database, args.database_prefix)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamdeli.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from core.models import Notification
    from orders.models import Order
    from workshops.models import Workshop

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build_country(args.workshops, args.orders, scenario=scenario, demand_ratio=args.demand_ratio)
        built = time.perf_counter()
        memory_after_build = peak_memory_mb()
        result, seconds_total = timed_commit(replan=args.replan_under_locks)
        memory_at_end = peak_memory_mb()
        plan = result.plan
        ratio, ratio_by_product = measured_demand_ratio()
        seconds = {key: round(value, 3) for key, value in result.seconds.items()}
        locked_parts = ("lock", "reload", "lock_workshops", "recheck", "replan", "write")
        print(
            json.dumps(
                {
                    "database": connection.vendor,
                    "scenario": scenario,
                    "demand_ratio": (args.demand_ratio or DEFAULT_TIGHT_RATIO) if scenario == TIGHT else None,
                    "demand_ratio_measured": ratio,  # this builder's measure (days split evenly between products)
                    "demand_ratio_engine": plan.stats.get("demand_ratio"),  # the engine's, which decides "scarce"
                    "demand_ratio_by_product": ratio_by_product,
                    "workshops": Workshop.objects.count(),
                    "orders": Order.objects.count(),
                    "eligible_pairs": plan.stats.get("eligible_pairs"),
                    "pairs_in_lp": plan.stats.get("pairs") or plan.stats.get("variables"),
                    "seconds_build_data": round(built - started, 2),
                    "seconds_plan_unlocked": seconds["plan_unlocked"],
                    "seconds_load": seconds["load"],
                    "seconds_solve": seconds["solve"],
                    "seconds_locked": seconds["locked"],
                    "seconds_commit": seconds["locked"],  # the locked transaction (before 2026-12-08: plan included)
                    "seconds_lock": seconds["lock"],
                    "seconds_reload_locked": seconds["reload"],
                    "seconds_lock_workshops": seconds["lock_workshops"],
                    "seconds_recheck_locked": seconds["recheck"],
                    "seconds_replan_locked": seconds["replan"],
                    "seconds_write": seconds["write"],
                    "seconds_commit_other": round(
                        result.seconds["locked"] - sum(result.seconds[part] for part in locked_parts), 3
                    ),
                    "seconds_notify": seconds["after_commit"],
                    "seconds_total": round(seconds_total, 3),
                    "replanned_under_locks": result.replanned_under_locks,
                    "replan_reasons": result.replan_reasons[:2],
                    "allocated_units": plan.allocated_units(),
                    "unmet_units": plan.unmet_units(),
                    "quotas": len(plan.allocations),
                    "owners_notified": Notification.objects.filter(event="quota.offered")
                    .values("recipient")
                    .distinct()
                    .count(),
                    "notifications": Notification.objects.filter(event="quota.offered").count(),
                    "objective": round(float(plan.objective), 2),
                    "lp_bound": round(float(plan.lp_bound), 2),  # of the LP over the pairs the engine kept
                    # Against the full model's bound (every eligible pair), never the pruned LP's optimum.
                    "gap_percent": round(100 * plan.stats["gap"], 4),
                    "gap_to_full_model_bound": plan.stats["gap"],
                    **{key: plan.stats.get(key) for key in PLAN_STATS},
                    "violations": len(result.violations),
                    "peak_memory_mb_after_build": memory_after_build,
                    "peak_memory_mb": memory_at_end,
                }
            )
        )
    finally:
        drop(base)


if __name__ == "__main__":
    main()
