"""Page benchmark: the main pages of a large world in PostgreSQL, under gunicorn with 2 workers; prints JSON.

    .venv/bin/python bench/pages.py [--scale 1.0] [--database-url postgres://root@127.0.0.1:5432/hamdeli_bench]

Drops and recreates the database, migrates it and builds a small world
(``--small-scale``, default 0.002: a few rows of every kind, less than a
page of every list), starts gunicorn (``deploy/gunicorn.conf.py``, 2 sync workers,
``bench.settings``: the production profile plus a query counter) and records
each page's SQL query count. Then it grows the same world to ``--scale``
(1.0 = 10,000 workshops, 2,000 orders, 200,000 output reports, 5,000
deliveries), and times every page over ``--requests`` requests (after a short
warm-up) next to two floors measured in the same run (issue 20):

- the empty view ``/bench/empty/`` without a session: the middleware only, no
  database and no cache (with the coordinator's cookie it reads the session
  and the user; that is reported too, as ``empty_view_signed_in``);
- the signed-in floor ``/bench/signed-in/``: the session, the user and the site
  layout with nothing in it, what every signed-in page pays before its first row.

Targets: the signed-in floor at most 2x the empty view; every page's median at
most 3x the signed-in floor; every page's query count the same on both worlds.
The gunicorn workers share a Redis cache as deployed (``CACHE_URL``, see
bench/harness.py). Then ``integrity_check`` and ``ledger_check`` run on the built world.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness

# (name, URL name, who looks at it)
PAGES = [
    ("workshop list", "supply:workshop-list", "coordinator"),
    ("order list", "orders:list", "coordinator"),
    ("funding board", "giving:board", "donor"),
    ("dashboard", "reports:dashboard", "coordinator"),
    ("delivery list", "deliveries:list", "coordinator"),
    ("owner quota inbox", "quotas:inbox", "owner"),
    # Issue 17: the public results page (cached five minutes) and the open-data API; no login.
    ("public results", "transparency:results", "anonymous"),
    ("open data: need", "open-data-v1:need", "anonymous"),
]
FLOOR_PATH = "/bench/empty/"
# What any signed-in page costs before it shows a row: the pages' floor since issue 20.
SIGNED_IN_FLOOR_PATH = "/bench/signed-in/"
SIGNED_IN_FLOOR_TARGET_RATIO = 2.0  # signed-in floor / empty view
P50_TARGET_RATIO = 3.0  # page / signed-in floor


def measure(port: int, path: str, cookie: str, count: int, warmup: int = 3) -> dict:
    for _ in range(warmup):
        harness.request(port, "GET", path, cookie=cookie)
    samples, queries, statuses = [], Counter(), Counter()
    for _ in range(count):
        response = harness.request(port, "GET", path, cookie=cookie)
        samples.append(response.ms)
        queries[response.queries] += 1
        statuses[response.status] += 1
    return {
        "status": statuses.most_common(1)[0][0] if len(statuses) == 1 else dict(statuses),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(harness.percentile(samples, 0.95), 1),
        "queries": queries.most_common(1)[0][0],
        "queries_seen": sorted(q for q in queries if q is not None),
    }


def query_counts(port: int, paths: dict[str, tuple[str, str]], repeat: int = 3) -> dict[str, int | None]:
    counts = {}
    for name, (path, cookie) in paths.items():
        seen = Counter(harness.request(port, "GET", path, cookie=cookie).queries for _ in range(repeat))
        counts[name] = seen.most_common(1)[0][0]
    return counts


def world_sizes() -> dict[str, int]:
    from donors.models import Campaign
    from fulfilment.models import Delivery, DeliveryLine, Pickup
    from orders.models import Order
    from production.models import OutputReport, Quota
    from workshops.models import Workshop

    models = {
        "workshops": Workshop,
        "orders": Order,
        "quotas": Quota,
        "output_reports": OutputReport,
        "pickups": Pickup,
        "deliveries": Delivery,
        "delivery_lines": DeliveryLine,
        "campaigns": Campaign,
    }
    return {name: model.objects.count() for name, model in models.items()}


def analyze() -> None:
    """Fresh planner statistics, as autovacuum would have gathered on a real server after the bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the large world (1.0 = the issue's)")
    parser.add_argument("--small-scale", type=float, default=0.002, help="size of the small world")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/hamdeli_bench")
    args = parser.parse_args()

    started = time.perf_counter()
    harness.prepare_database(args.database_url)
    harness.setup_django()
    harness.migrate()
    migrated = time.perf_counter()

    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from bench import world

    actors = world.ensure_actors()
    small = world.scaled(args.small_scale)
    world.grow_world(**small, batch=1, actors=actors)
    analyze()
    small_built = time.perf_counter()
    small_sizes = world_sizes()
    cookies = {  # with a CSRF cookie, as a browser holds one after its first page (bench/harness.py)
        "coordinator": harness.session_cookie(actors.coordinator, csrf=True),
        "donor": harness.session_cookie(actors.donor.user, csrf=True),
        "owner": harness.session_cookie(actors.owner, csrf=True),
        "anonymous": f"{settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}",
    }
    paths = {name: (reverse(url_name), cookies[who]) for name, url_name, who in PAGES}

    with harness.Server(workers=args.workers) as server:
        queries_small = query_counts(server.port, paths)

        grow_started = time.perf_counter()
        full = world.scaled(args.scale)
        world.grow_world(
            **{key: max(0, full[key] - small[key]) for key in full},
            batch=2,
            actors=actors,
            owner_quota_statuses=("offered", "accepted", "accepted", "accepted", "cancelled"),
            campaigns=3,
        )
        analyze()
        grown = time.perf_counter()
        large_sizes = world_sizes()

        floor = measure(server.port, FLOOR_PATH, "", args.requests)
        empty_signed_in = measure(server.port, FLOOR_PATH, cookies["coordinator"], args.requests)
        signed_in_floor = measure(server.port, SIGNED_IN_FLOOR_PATH, cookies["coordinator"], args.requests)
        pages = []
        for name, url_name, who in PAGES:
            path, cookie = paths[name]
            result = measure(server.port, path, cookie, args.requests)
            queries_large = query_counts(server.port, {name: (path, cookie)})[name]
            ratio = result["p50_ms"] / floor["p50_ms"] if floor["p50_ms"] else None
            signed_in_ratio = result["p50_ms"] / signed_in_floor["p50_ms"] if signed_in_floor["p50_ms"] else None
            independent = queries_small[name] == queries_large and len(result["queries_seen"]) == 1
            pages.append(
                {
                    "page": name,
                    "url_name": url_name,
                    "url": path,
                    "as": who,
                    **result,
                    "queries_small": queries_small[name],
                    "queries_large": queries_large,
                    "query_count_independent": independent,
                    "ratio_p50_to_floor": round(ratio, 2) if ratio else None,
                    "ratio_p50_to_signed_in_floor": round(signed_in_ratio, 2) if signed_in_ratio else None,
                    "p50_within_target": bool(signed_in_ratio and signed_in_ratio <= P50_TARGET_RATIO),
                }
            )
        floor_after = measure(server.port, FLOOR_PATH, "", args.requests)
        signed_in_floor_after = measure(server.port, SIGNED_IN_FLOOR_PATH, cookies["coordinator"], args.requests)
        server_errors = server.errors_in_log()

    integrity_code, integrity_output = harness.manage("integrity_check")
    ledger_code, ledger_output = harness.manage("ledger_check")
    signed_in_ratio_to_floor = (
        round(signed_in_floor["p50_ms"] / floor["p50_ms"], 2) if floor["p50_ms"] and signed_in_floor["p50_ms"] else None
    )
    result = {
        "database": args.database_url,
        "gunicorn_workers": args.workers,
        "requests_per_page": args.requests,
        "scale": args.scale,
        "world_small": small_sizes,
        "world_large": large_sizes,
        "seconds": {
            "migrate": round(migrated - started, 1),
            "build_small": round(small_built - migrated, 1),
            "grow_to_large": round(grown - grow_started, 1),
        },
        "floor": {"url": FLOOR_PATH, "session": "none", **floor},
        "floor_after_pages": {"p50_ms": floor_after["p50_ms"], "p95_ms": floor_after["p95_ms"]},
        "empty_view_signed_in": {"url": FLOOR_PATH, "session": "coordinator", **empty_signed_in},
        "signed_in_floor": {
            "url": SIGNED_IN_FLOOR_PATH,
            **signed_in_floor,
            "ratio_p50_to_floor": signed_in_ratio_to_floor,
            "after_pages": {"p50_ms": signed_in_floor_after["p50_ms"], "p95_ms": signed_in_floor_after["p95_ms"]},
        },
        "pages": pages,
        "targets": {
            "signed_in_floor_at_most_2x_empty_view": bool(
                signed_in_ratio_to_floor and signed_in_ratio_to_floor <= SIGNED_IN_FLOOR_TARGET_RATIO
            ),
            "queries_independent_of_rows": all(p["query_count_independent"] for p in pages),
            "p50_at_most_3x_signed_in_floor": all(p["p50_within_target"] for p in pages),
            "all_pages_200": all(p["status"] == 200 for p in pages),
            "missed": {
                p["page"]: [
                    *(["query count grows with rows"] if not p["query_count_independent"] else []),
                    *(
                        [f"p50 is {p['ratio_p50_to_signed_in_floor']}x the signed-in floor"]
                        if not p["p50_within_target"]
                        else []
                    ),
                ]
                for p in pages
                if not (p["query_count_independent"] and p["p50_within_target"])
            },
        },
        "integrity_check": {"passed": integrity_code == 0, "output": integrity_output[-2000:]},
        "ledger_check": {"passed": ledger_code == 0, "output": ledger_output[-2000:]},
        "server_errors_in_log": server_errors[:20],
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if integrity_code == 0 and ledger_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
