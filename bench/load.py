"""Load test: the evening peak, workshop owners reporting output at once through the real form; prints JSON.

    .venv/bin/python bench/load.py [--owners 200] [--duration 60] [--workers 5] \\
        [--no-access-log] [--without-daily-tracking] \\
        [--database-url postgres://root@127.0.0.1:5432/hamdeli_load]

Drops and recreates the database, migrates it, builds a background world
(``--scale``; by default just large enough for the owners) and gives each of
``--owners`` workshop owners one accepted quota (every tenth one small, so
its owner soon reports past the 5% tolerance and is refused by the form).
Then gunicorn serves the site as deployed (``deploy/gunicorn.conf.py``:
``--workers`` sync workers, by default 2 x cores + 1 like the deployment;
its access log on, one line per request to stdout, unless ``--no-access-log``)
and ``wrk`` (``bench/load.lua``) loads it with one thread and one connection
per owner, each with the owner's own session, CSRF cookie and quota, with
no pause between requests: the most the owners can push through (a closed
loop, so latency is about owners / throughput). There is no paced mode: wrk
would hold each connection open and idle during the pause, and a sync
gunicorn worker that accepted it would wait for the request (in production
nginx buffers requests in front of gunicorn).

Two wrk runs on the same server, with the same connections and duration:
``/bench/empty/`` (an empty Django view, the floor) and then the reports.
A report is one POST of the quota form (1-3 units, a fresh idempotency key:
the form takes any new UUID, so no page is fetched first); its latency is
wrk's, from the request written to the response read. The owner's browser
would then follow the redirect to the quota page: that GET is not counted.

Outcomes of the posts are counted apart in Lua: ``recorded`` (302 back to
the quota), ``refused_with_form_error`` (200, the form shown again with its
error, e.g. over the quota), ``busy_409`` (the polite "try again" page),
other 4xx, 5xx and wrk's socket errors. The CPU time of wrk, of gunicorn
(master and workers, including recycled ones) and of PostgreSQL (all its
processes: other users of the machine too) is read from ``/proc`` around
each run. Afterwards ``integrity_check`` and ``ledger_check`` run against the
same database, and every report answered as recorded must be stored (by its
idempotency key; at most one per connection more, in flight when wrk stopped).
Exits non-zero if a check fails, a 5xx, socket error or unexpected answer
occurred, nothing was recorded, or the stored reports differ.
``--without-daily-tracking`` is a diagnosis, not the deployment: the reports
room's recomputation of the day after each commit is switched off in the
workers (``bench/apps.py``) and the daily figures are rebuilt before the checks.
Target (issue 20): 350 reports/s (ten times a national peak of 35/s) with p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import runpy
import shutil
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness
from bench.procstat import children, machine_busy_seconds, postgres_cpu_seconds, tree_cpu_seconds

LUA_SCRIPT = Path(__file__).resolve().with_name("load.lua")
TARGET_REPORTS_PER_S = 350
TARGET_P95_MS = 300
RESULT_PREFIX = "HAMDELI_LOAD_RESULT "
CORES = multiprocessing.cpu_count()


@dataclass
class Owner:
    cookie: str
    csrf: str
    path: str


def write_owners_file(owners: list[Owner], directory: str) -> str:
    """The owners' cookies, CSRF tokens and quota paths as a Lua table for bench/load.lua."""
    lines = ["return {"]
    for owner in owners:
        lines.append(
            f"  {{cookie={json.dumps(owner.cookie)}, csrf={json.dumps(owner.csrf)}, path={json.dumps(owner.path)}}},"
        )
    lines.append("}")
    path = Path(directory) / "owners.lua"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run_wrk(
    wrk: str,
    port: int,
    mode: str,
    owners_file: str,
    connections: int,
    duration: float,
    gunicorn_pid: int,
) -> dict:
    """One wrk run (one thread and connection per owner); its outcomes, latency and who used the CPU."""
    env = {
        **os.environ,
        "HAMDELI_LOAD_MODE": mode,
        "HAMDELI_LOAD_OWNERS": owners_file,
        "HAMDELI_LOAD_TAG": str(random.randrange(1, 2**31 - 1)),
        "HAMDELI_LOAD_KEYS": str(Path(owners_file).parent),
    }
    command = [
        wrk,
        f"--threads={connections}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        "--timeout=30s",
        f"--script={LUA_SCRIPT}",
        f"http://127.0.0.1:{port}/",
    ]
    workers_before = children(gunicorn_pid)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    gunicorn_before, postgres_before, machine_before = (
        tree_cpu_seconds(gunicorn_pid),
        postgres_cpu_seconds(),
        machine_busy_seconds(),
    )
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - wrk itself
    wall = time.monotonic() - started
    # gunicorn replaces a worker after max_requests (deploy/gunicorn.conf.py): each new one imports Django again.
    workers_started = len(children(gunicorn_pid) - workers_before)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    gunicorn_s = tree_cpu_seconds(gunicorn_pid) - gunicorn_before
    postgres_s = postgres_cpu_seconds() - postgres_before
    machine_s = machine_busy_seconds() - machine_before
    # Only wrk was waited for in between, so the children's rusage grew by wrk's CPU alone.
    wrk_s = (children_after.ru_utime - children_before.ru_utime) + (children_after.ru_stime - children_before.ru_stime)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(lines[-1][len(RESULT_PREFIX) :])
    seconds = raw["duration_us"] / 1e6
    capacity = wall * CORES

    def share(cpu_s: float) -> float:
        return round(cpu_s / capacity, 3)

    return {
        "seconds": round(seconds, 1),
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["latency_us"]["p50"] / 1000, 1),
        "p95_ms": round(raw["latency_us"]["p95"] / 1000, 1),
        "p99_ms": round(raw["latency_us"]["p99"] / 1000, 1),
        "max_ms": round(raw["latency_us"]["max"] / 1000, 1),
        "outcomes": {name: n for name, n in sorted(raw["outcomes"].items()) if n and name != "queries"},
        "sql_queries_per_request": round(raw["outcomes"]["queries"] / max(raw["requests"], 1), 1),
        "socket_errors": raw["socket_errors"],
        "gunicorn_workers_replaced": workers_started,
        "cpu_share_of_machine": {
            "wrk": share(wrk_s),
            "gunicorn": share(gunicorn_s),
            "postgresql": share(postgres_s),
            "everything_busy": share(machine_s),
            "cores": CORES,
        },
        "cpu_ms_per_request": {
            "gunicorn": round(gunicorn_s * 1000 / max(raw["requests"], 1), 2),
            "postgresql": round(postgres_s * 1000 / max(raw["requests"], 1), 2),
            "wrk": round(wrk_s * 1000 / max(raw["requests"], 1), 2),
        },
    }


def make_owners(pairs: list[tuple[str, int]]) -> list[Owner]:
    """Each owner's signed-in session and a CSRF cookie of her own, the way a browser holds them."""
    from django.conf import settings

    from core.models import User

    users = User.objects.in_bulk([mobile for mobile, _ in pairs], field_name="mobile")
    rng = random.SystemRandom()
    owners = []
    for mobile, quota_id in pairs:
        # The CSRF middleware takes the unmasked 32-character secret in the form as well as a masked token.
        csrf = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))
        cookie = f"{harness.session_cookie(users[mobile])}; {settings.CSRF_COOKIE_NAME}={csrf}"
        owners.append(Owner(cookie=cookie, csrf=csrf, path=f"/workshop/quotas/{quota_id}/"))
    return owners


def _max_requests() -> str:
    """What the deployment's gunicorn settings say (read from the file, not repeated here)."""
    config = runpy.run_path(str(Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"))
    return f"{config['max_requests']} +- {config['max_requests_jitter']} (a worker is replaced after so many requests)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=200, help="owners = wrk threads = connections")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load, for each of the two runs")
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/hamdeli_load")
    parser.add_argument(
        "--workers", type=int, default=CORES * 2 + 1, help="gunicorn sync workers (deployment: 2 x cores + 1)"
    )
    parser.add_argument("--scale", type=float, default=None, help="background world (default: enough for the owners)")
    parser.add_argument(
        "--no-access-log",
        action="store_true",
        help="gunicorn without its access log (the deployment writes one line per request to stdout)",
    )
    parser.add_argument(
        "--without-daily-tracking",
        action="store_true",
        help="diagnosis, not the deployment: the reports room's daily figures not recomputed after each commit "
        "(bench/apps.py)",
    )
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk", help="the wrk binary (Debian package wrk)")
    args = parser.parse_args()
    if not shutil.which(args.wrk):
        raise SystemExit("wrk is missing: sh deploy/system_packages.sh test (or apt-get install wrk).")
    scale = args.scale if args.scale is not None else max(0.02, args.owners * 2.5 / 10_000)

    started = time.perf_counter()
    harness.prepare_database(args.database_url)
    harness.setup_django()
    harness.migrate()

    from bench import world
    from production.models import OutputReport

    actors = world.ensure_actors()
    world.grow_world(**world.scaled(scale), batch=1, actors=actors)
    pairs = world.add_load_quotas(owners=args.owners, actors=actors)
    owners = make_owners(pairs)
    quota_ids = [quota_id for _, quota_id in pairs]
    reports_before = list(OutputReport.objects.filter(quota_id__in=quota_ids).values_list("pk", flat=True))
    prepared = time.perf_counter()

    if args.without_daily_tracking:
        os.environ["HAMDELI_BENCH_DAILY_TRACKING"] = "0"  # read by bench/settings.py in the gunicorn workers
    with tempfile.TemporaryDirectory(prefix="hamdeli-load-") as directory:
        owners_file = write_owners_file(owners, directory)
        with harness.Server(workers=args.workers, access_log=not args.no_access_log) as server:
            began_utc = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            run = (args.wrk, server.port)
            load = (owners_file, args.owners, args.duration, server.process.pid)
            empty = run_wrk(*run, "empty", *load)
            reports = run_wrk(*run, "report", *load)
            ended_utc = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            server_errors = server.errors_in_log()

        recorded_keys = {line for keys in Path(directory).glob("*.keys") for line in keys.read_text().split() if line}
    stored_keys = {
        str(key)
        for key in OutputReport.objects.filter(quota_id__in=quota_ids)
        .exclude(pk__in=reports_before)
        .values_list("idempotency_key", flat=True)
    }
    reports_stored = len(stored_keys)
    # wrk stops with one request in flight per connection: those may be stored without their 302 being read.
    recorded_not_stored = len(recorded_keys - stored_keys)
    stored_not_answered = len(stored_keys - recorded_keys)
    stored_match = recorded_not_stored == 0 and stored_not_answered <= args.owners
    rebuilt = None
    if args.without_daily_tracking:
        # The figures of the reports just made were not kept up to date: recompute them before the check.
        rebuilt = harness.manage("rebuild_daily_figures")
    integrity_code, integrity_output = harness.manage("integrity_check")
    ledger_code, ledger_output = harness.manage("ledger_check")

    outcomes = reports["outcomes"]
    recorded = outcomes.get("recorded", 0)
    reports_per_s = round(recorded / reports["seconds"], 1)
    unexpected = {
        name: n for name, n in outcomes.items() if name not in ("recorded", "refused_with_form_error", "busy_409")
    }
    socket_errors = {name: n for run_ in (empty, reports) for name, n in run_["socket_errors"].items() if n}
    empty_unexpected = {name: n for name, n in empty["outcomes"].items() if name != "ok_200"}
    target_met = reports_per_s >= TARGET_REPORTS_PER_S and reports["p95_ms"] <= TARGET_P95_MS
    result = {
        "measured_utc": [began_utc, ended_utc],
        "database": args.database_url,
        "load_generator": f"wrk, bench/load.lua: {args.owners} threads x 1 connection, one owner each, no pause",
        "report_is": "one POST of the quota form answered 302 (recorded); latency from request written to response "
        "read, per request; the redirect's GET is not made",
        "gunicorn": {
            "workers": args.workers,
            "worker_class": "sync",
            "config": "deploy/gunicorn.conf.py",
            "access_log": "off (--no-access-log)"
            if args.no_access_log
            else "on, as deployed: one line per request to stdout (here gunicorn's log file)",
            "max_requests": _max_requests(),
        },
        "daily_figures_tracking": "off (diagnosis: --without-daily-tracking)"
        if args.without_daily_tracking
        else "as in the code (reports.daily_tracking, if present)",
        "pacing": "none: each owner sends her next report as soon as the last is answered (a closed loop: "
        "latency is about owners / throughput)",
        "cache": os.environ.get("CACHE_URL"),  # bench/harness.py: the shared Redis cache, as deployed
        "owners": args.owners,
        "connections": args.owners,
        "duration_s": args.duration,
        "setup_s": round(prepared - started, 1),
        "reports_per_s": reports_per_s,
        "report_p50_ms": reports["p50_ms"],
        "report_p95_ms": reports["p95_ms"],
        "target": {
            "reports_per_s_floor": TARGET_REPORTS_PER_S,
            "reports_per_s_ratio": round(reports_per_s / TARGET_REPORTS_PER_S, 2),
            "p95_ms_ceiling": TARGET_P95_MS,
            "p95_ratio": round(reports["p95_ms"] / TARGET_P95_MS, 2),
            "met": target_met,
        },
        "empty_view": {
            "requests_per_s": empty["requests_per_s"],
            "p50_ms": empty["p50_ms"],
            "p95_ms": empty["p95_ms"],
        },
        "reports_per_s_to_empty_view_ratio": round(reports_per_s / empty["requests_per_s"], 3),
        "wrk_cpu_share": {
            "empty": empty["cpu_share_of_machine"]["wrk"],
            "report": reports["cpu_share_of_machine"]["wrk"],
        },
        "report_run": reports,
        "empty_run": empty,
        "reports_stored": reports_stored,
        "reports_stored_match_recorded": {
            "passed": stored_match,
            "rule": "every report answered 302 is stored (by its idempotency key); at most one per connection "
            "more is stored (in flight when wrk stopped)",
            "answered_recorded": recorded,
            "recorded_not_stored": recorded_not_stored,
            "stored_without_answer_read": stored_not_answered,
        },
        "integrity_check": {
            "passed": integrity_code == 0,
            "output": integrity_output[-2000:],
            "after_rebuild_daily_figures": None
            if rebuilt is None
            else {"exit": rebuilt[0], "output": rebuilt[1][-500:]},
        },
        "ledger_check": {"passed": ledger_code == 0, "output": ledger_output[-2000:]},
        "server_errors_in_log": server_errors[:20],
    }
    ok = (
        integrity_code == 0
        and ledger_code == 0
        and recorded > 0
        and not unexpected
        and not socket_errors
        and not empty_unexpected
        and stored_match
        and len(recorded_keys) == recorded
    )
    result["passed"] = ok
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
