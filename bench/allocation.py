"""End-to-end allocation benchmark: a synthetic country in a throwaway database, then one commit.

    .venv/bin/python bench/allocation.py --workshops 10000 --orders 2000 [--database postgres://root@127.0.0.1/]

Without ``--database`` it uses a throwaway SQLite file; with a PostgreSQL server URL it creates (and
drops) a database ``hamdeli_bench_<pid>`` there. Prints one JSON line: counts, seconds for build
(data creation, not part of the target), load, solve, write and total, allocated and unmet units,
objective, LP bound and the peak memory (MB) of the process.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def configure(database: str | None) -> str | None:
    """Point Django at a throwaway database; returns the admin URL to drop it afterwards."""
    if database and database.startswith("postgres"):
        import psycopg

        name = f"hamdeli_bench_{os.getpid()}"
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


def build_country(workshops: int, orders: int, seed: int = 1405) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from core.models import City, HealthCenter, Product, Province, Role, User
    from donors.models import Donor, EntryKind, LedgerEntry, Pledge, PledgeStatus
    from orders.models import Order, OrderPriority, OrderStatus
    from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

    rng = random.Random(seed)
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

    coordinator = User.objects.create(mobile="09120000999", full_name="bench", role=Role.COORDINATOR, is_national=True)
    centers = HealthCenter.objects.bulk_create(
        [
            HealthCenter(
                name=f"center {p.code}",
                kind="hospital",
                province=p,
                city=cities[p.pk][0],
                address="-",
                phone="0",
                contact_person="-",
            )
            for p in provinces
        ]
    )
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
    Order.objects.bulk_create(new_orders, batch_size=2000)
    # Every order is paid in full by one donor: confirmed funds are read from the ledger.
    donor_user = User.objects.create(mobile="09124000999", full_name="bench donor", role=Role.DONOR)
    donor = Donor.objects.create(user=donor_user)
    received_on = timezone.localdate()
    pledges = Pledge.objects.bulk_create(
        [
            Pledge(
                donor=donor,
                order=order,
                amount_rials=order.budget_rials,
                status=PledgeStatus.RECEIVED,
                received_amount_rials=order.budget_rials,
                bank_reference=f"BENCH-{n}",
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=10000)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--database", help="PostgreSQL server URL, e.g. postgres://root@127.0.0.1:5432")
    args = parser.parse_args()

    base = configure(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamdeli.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from orders.allocation_service import allocation_commit
    from orders.models import Order
    from workshops.models import Workshop

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build_country(args.workshops, args.orders)
        built = time.perf_counter()
        result = allocation_commit(actor=None, provinces=None)
        finished = time.perf_counter()
        plan = result.plan
        print(
            json.dumps(
                {
                    "database": connection.vendor,
                    "workshops": Workshop.objects.count(),
                    "orders": Order.objects.count(),
                    "eligible_pairs": plan.stats.get("eligible_pairs"),
                    "pairs_in_lp": plan.stats.get("pairs") or plan.stats.get("variables"),
                    "seconds_build_data": round(built - started, 2),
                    "seconds_load": round(result.seconds.get("load", 0), 3),
                    "seconds_solve": round(result.seconds.get("solve", 0), 3),
                    "seconds_write": round(result.seconds.get("write", 0), 3),
                    "seconds_total": round(finished - built, 3),
                    "allocated_units": plan.allocated_units(),
                    "unmet_units": plan.unmet_units(),
                    "quotas": len(plan.allocations),
                    "objective": round(float(plan.objective), 2),
                    "lp_bound": round(float(plan.lp_bound), 2),
                    "gap_percent": round(100 * (plan.objective - plan.lp_bound) / abs(plan.lp_bound), 4)
                    if plan.lp_bound
                    else 0.0,
                    "violations": len(result.violations),
                    "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                }
            )
        )
    finally:
        drop(base)


if __name__ == "__main__":
    main()
