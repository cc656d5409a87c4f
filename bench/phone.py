"""Phone benchmark: the owner's pages in Chromium at 360 px over a throttled slow-3G line; prints JSON.

    .venv/bin/python bench/phone.py [--database-url postgres://root@127.0.0.1:5432/hamdeli_phone]

Builds the demo world (``seed_demo``) in a throwaway PostgreSQL database,
collects the static files as production does (hashed names, pre-compressed by
WhiteNoise), starts gunicorn with the production profile and signs the demo
owner in. Each page (her home, her quota inbox, one accepted quota) is loaded
in a fresh browser context with an empty cache (first visit), then once more in
the same context (repeat visit), with Chromium's network emulation at
400 kbit/s down and up and 400 ms round trip (DevTools protocol
``Network.emulateNetworkConditions``: the latency is added to every request).

Reported per visit: bytes transferred (the encoded size of every response,
headers included, until the network is idle: fonts and the service worker's
own downloads count), requests, and the time until the page is usable, taken
as the later of the first contentful paint and DOMContentLoaded (the text is
shown styled and the report form answers), with the load event beside it.
Targets (issue 18): first visit at most 80 KB and 2.5 s, repeat visit at most
10 KB and 1 s. Chromium is /usr/bin/chromium unless ``--chromium`` says otherwise.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness

DOWN_BYTES_PER_SECOND = 400_000 // 8
UP_BYTES_PER_SECOND = 400_000 // 8
ROUND_TRIP_MS = 400
TARGETS = {"first": {"kb": 80, "usable_ms": 2500}, "repeat": {"kb": 10, "usable_ms": 1000}}
PHONE_VIEWPORT = {"width": 360, "height": 740}
DEMO_OWNER_MOBILE = "09122000001"
BENCH_PASSWORD = "phone-bench-only-1405"  # noqa: S105 - a throwaway bench database

USABLE_SCRIPT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: paint ? paint.startTime : null};
}"""


def owner_pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    from core.models import User
    from production.models import Quota, QuotaStatus

    owner = User.objects.get(mobile=DEMO_OWNER_MOBILE)
    # Demo accounts sign in only while DEBUG is on (core/auth.py); the bench runs the production profile.
    owner.is_demo = False
    owner.set_password(BENCH_PASSWORD)
    owner.save(update_fields=["is_demo", "password"])
    quota = Quota.objects.filter(workshop__owner=owner, status=QuotaStatus.ACCEPTED).order_by("pk").first()
    if quota is None:
        raise SystemExit("The demo owner has no accepted quota; seed_demo changed?")
    return [
        ("owner home", reverse("home")),
        ("owner quota inbox", reverse("quotas:inbox")),
        ("owner quota page", reverse("quotas:detail", args=[quota.pk])),
    ]


def visit(page, cdp, url: str) -> dict:
    """Load ``url`` once; bytes and requests counted from the DevTools protocol's network events."""
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}

    def finished(event):
        sizes[event["requestId"]] = event["encodedDataLength"]

    def responded(event):
        urls[event["requestId"]] = event["response"]["url"].split("/", 3)[-1]

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.responseReceived", responded)
    started = time.perf_counter()
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    wall_ms = (time.perf_counter() - started) * 1000
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.responseReceived", responded)
    timing = page.evaluate(USABLE_SCRIPT)
    usable = max(timing["dcl"], timing["fcp"] or 0)
    return {
        "status": response.status if response else None,
        "bytes": int(sum(sizes.values())),
        "kb": round(sum(sizes.values()) / 1000, 1),
        "requests": len(sizes),
        "usable_ms": round(usable),
        "load_ms": round(timing["load"]),
        "until_network_idle_ms": round(wall_ms),
        "responses": {"/" + urls.get(key, "?"): int(size) for key, size in sizes.items()},
    }


def signed_in_cookies(browser, base_url: str) -> list[dict]:
    """The demo owner signs in through the login page once, at full speed; each measured context reuses the cookies."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="fa-IR", base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", DEMO_OWNER_MOBILE)
        page.fill("#id_password", BENCH_PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state("load")
        if "/accounts/login/" in page.url:
            raise SystemExit("The demo owner could not sign in; see the login page.")
        return context.cookies()
    finally:
        context.close()


def measure(browser, base_url: str, cookies: list[dict], path: str) -> dict:
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="fa-IR", base_url=base_url)
    context.add_cookies(cookies)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": ROUND_TRIP_MS,
                "downloadThroughput": DOWN_BYTES_PER_SECOND,
                "uploadThroughput": UP_BYTES_PER_SECOND,
            },
        )
        first = visit(page, cdp, base_url + path)
        repeat = visit(page, cdp, base_url + path)
        return {"first": first, "repeat": repeat}
    finally:
        context.close()


def verdict(result: dict) -> dict:
    met = {}
    for kind, target in TARGETS.items():
        met[kind] = result[kind]["kb"] <= target["kb"] and result[kind]["usable_ms"] <= target["usable_ms"]
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/hamdeli_phone")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    # Production's static files: hashed names (cached for a year), compressed copies beside them.
    harness.BENCH_ENV["STATIC_MANIFEST"] = "1"
    harness.prepare_database(args.database_url)
    harness.setup_django()
    harness.migrate()
    # The demo world (its accounts' password is published, so seed_demo wants DEBUG on), then the static files.
    for command, overrides in ((("seed_demo",), {"DEBUG": "1"}), (("collectstatic", "--noinput", "-v", "0"), {})):
        code, output = harness.manage(*command, env_overrides=overrides)
        if code:
            raise SystemExit(f"{' '.join(command)} failed:\n{output}")

    from playwright.sync_api import sync_playwright

    pages = owner_pages()
    results = []
    with harness.Server(workers=args.workers) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium)
        base_url = f"http://127.0.0.1:{server.port}"
        try:
            cookies = signed_in_cookies(browser, base_url)
            for name, path in pages:
                result = measure(browser, base_url, cookies, path)
                results.append({"page": name, "path": path, **result, "met": verdict(result)})
        finally:
            browser.close()
        errors = server.errors_in_log()

    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "network": {
            "down_kbit_s": DOWN_BYTES_PER_SECOND * 8 // 1000,
            "up_kbit_s": UP_BYTES_PER_SECOND * 8 // 1000,
            "round_trip_ms": ROUND_TRIP_MS,
        },
        "viewport": PHONE_VIEWPORT,
        "targets": TARGETS,
        "pages": results,
        "all_met": all(all(row["met"].values()) for row in results),
        "server_errors": errors,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["all_met"] and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
