"""Load test: workshop owners reporting output at the same time through the real form; prints JSON.

    .venv/bin/python bench/load.py [--owners 200] [--duration 60] \\
        [--database-url postgres://root@127.0.0.1:5432/hamdeli_load]

Drops and recreates the database, migrates it, builds a background world
(``--scale``; by default just large enough for the owners) and gives each of
``--owners`` workshop owners one accepted quota (every tenth one small, so
its owner soon reports past the 5% tolerance and is refused by the form).
Then gunicorn (``deploy/gunicorn.conf.py``, ``--workers`` sync workers) serves
the site and one thread per owner, logged in through a session, repeats for
``--duration`` seconds: open the quota page (the form and its CSRF token),
post a day's output (1-3 units). No pause between requests: this is the most
the owners can push through.

Outcomes of the posts are counted apart: ``recorded`` (302 back to the
quota), ``refused_with_form_error`` (200, the form shown again with its
error, e.g. over the quota), ``busy_409`` (the polite "try again" page),
other 4xx, 5xx and connection errors. Afterwards ``integrity_check`` and
``ledger_check`` run against the same database, and the reports stored are
compared with the posts answered as recorded. Exits non-zero if a check
fails, a 5xx or connection error occurred, or the stored reports differ.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(rb'name="idempotency_key" value="([^"]+)"')
FORM_ERROR = re.compile(rb'class="[^"]*errorlist')


class Tally:
    """What every owner thread saw, merged under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.outcomes: Counter = Counter()
        self.all_ms: list[float] = []
        self.post_ms: list[float] = []

    def add(self, status: int | str, ms: float | None, *, post: bool, outcome: str | None = None) -> None:
        with self.lock:
            self.statuses[str(status)] += 1
            if ms is not None:
                self.all_ms.append(ms)
                if post:
                    self.post_ms.append(ms)
            if outcome:
                self.outcomes[outcome] += 1


def owner_loop(port: int, cookie: str, quota_id: int, deadline: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    jar = dict(part.split("=", 1) for part in cookie.split("; "))
    path = f"/workshop/quotas/{quota_id}/"

    def send(method: str, body: bytes | None = None, headers: dict | None = None) -> harness.Response | None:
        cookies = "; ".join(f"{name}={value}" for name, value in jar.items())
        try:
            response = harness.request(port, method, path, cookie=cookies, body=body, headers=headers, timeout=120)
        except OSError as error:
            tally.add(
                f"connection error: {type(error).__name__}",
                None,
                post=method == "POST",
                outcome="connection_errors" if method == "POST" else None,
            )
            return None
        jar.update(response.cookies)
        return response

    while time.monotonic() < deadline:
        page = send("GET")
        if page is None:
            continue
        tally.add(page.status, page.ms, post=False)
        csrf, key = CSRF_INPUT.search(page.body), KEY_INPUT.search(page.body)
        if page.status != 200 or not csrf or not key:
            continue
        if time.monotonic() >= deadline:
            break
        form = {
            "csrfmiddlewaretoken": csrf.group(1).decode(),
            "quantity": str(rng.randint(1, 3)),
            "report_date": "",
            "note": "",
            "idempotency_key": key.group(1).decode(),
        }
        posted = send(
            "POST",
            urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}{path}"},
        )
        if posted is None:
            continue
        if posted.status in (301, 302, 303):
            outcome = "recorded"
        elif posted.status == 200 and FORM_ERROR.search(posted.body):
            outcome = "refused_with_form_error"
        elif posted.status == 200:
            outcome = "answered_200_without_form_error"
        elif posted.status == 409:
            outcome = "busy_409"
        elif posted.status >= 500:
            outcome = "server_errors_5xx"
        else:
            outcome = f"other_{posted.status}"
        tally.add(posted.status, posted.ms, post=True, outcome=outcome)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/hamdeli_load")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--scale", type=float, default=None, help="background world (default: enough for the owners)")
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else max(0.02, args.owners * 2.5 / 10_000)

    started = time.perf_counter()
    harness.prepare_database(args.database_url)
    harness.setup_django()
    harness.migrate()

    from bench import world
    from core.models import User
    from production.models import OutputReport

    actors = world.ensure_actors()
    world.grow_world(**world.scaled(scale), batch=1, actors=actors)
    pairs = world.add_load_quotas(owners=args.owners, actors=actors)
    users = User.objects.in_bulk([mobile for mobile, _ in pairs], field_name="mobile")
    sessions = [(harness.session_cookie(users[mobile]), quota_id) for mobile, quota_id in pairs]
    quota_ids = [quota_id for _, quota_id in pairs]
    reports_before = OutputReport.objects.filter(quota_id__in=quota_ids).count()
    prepared = time.perf_counter()

    tally = Tally()
    with harness.Server(workers=args.workers) as server:
        load_started = time.monotonic()
        deadline = load_started + args.duration
        threads = [
            threading.Thread(target=owner_loop, args=(server.port, cookie, quota_id, deadline, tally, n), daemon=True)
            for n, (cookie, quota_id) in enumerate(sessions)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - load_started
        server_errors = server.errors_in_log()

    reports_stored = OutputReport.objects.filter(quota_id__in=quota_ids).count() - reports_before
    integrity_code, integrity_output = harness.manage("integrity_check")
    ledger_code, ledger_output = harness.manage("ledger_check")

    requests = sum(tally.statuses.values())
    server_errors_5xx = sum(n for status, n in tally.statuses.items() if status.isdigit() and int(status) >= 500)
    connection_errors = sum(n for status, n in tally.statuses.items() if not status.isdigit())
    posts = sum(tally.outcomes.values())
    result = {
        "database": args.database_url,
        "gunicorn_workers": args.workers,
        "owners": args.owners,
        "duration_s": round(elapsed, 1),
        "setup_s": round(prepared - started, 1),
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "reports_posted": posts,
        "reports_recorded_per_s": round(tally.outcomes["recorded"] / elapsed, 1),
        "p50_ms": round(statistics.median(tally.all_ms), 1) if tally.all_ms else None,
        "p95_ms": round(harness.percentile(tally.all_ms, 0.95), 1) if tally.all_ms else None,
        "post_p50_ms": round(statistics.median(tally.post_ms), 1) if tally.post_ms else None,
        "post_p95_ms": round(harness.percentile(tally.post_ms, 0.95), 1) if tally.post_ms else None,
        "statuses": dict(sorted(tally.statuses.items())),
        "post_outcomes": dict(sorted(tally.outcomes.items())),
        "errors": {
            "server_errors_5xx": server_errors_5xx,
            "connection_errors": connection_errors,
            "busy_409": tally.outcomes["busy_409"],
            "refused_with_form_error": tally.outcomes["refused_with_form_error"],
        },
        "reports_stored": reports_stored,
        "reports_stored_match_recorded": reports_stored == tally.outcomes["recorded"],
        "integrity_check": {"passed": integrity_code == 0, "output": integrity_output[-2000:]},
        "ledger_check": {"passed": ledger_code == 0, "output": ledger_output[-2000:]},
        "server_errors_in_log": server_errors[:20],
    }
    ok = (
        integrity_code == 0
        and ledger_code == 0
        and server_errors_5xx == 0
        and connection_errors == 0
        and result["reports_stored_match_recorded"]
    )
    result["passed"] = ok
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
