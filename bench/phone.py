"""Phone benchmark: the owner's pages in Chromium at 360 px over a throttled slow-3G line; prints JSON.

    .venv/bin/python bench/phone.py [--database-url postgres://root@127.0.0.1:5432/hamdeli_phone]

Builds the demo world (``seed_demo``) in a throwaway PostgreSQL database,
collects the static files as production does (hashed names, pre-compressed by
WhiteNoise), starts gunicorn with the production profile and signs the demo
owner in. Each page (her home, her quota inbox, one accepted quota) is loaded
in a fresh browser context with an empty cache (first visit), then once more in
the same context (repeat visit), through ``bench/slow_link.py``: a proxy on the
wire at 400 kbit/s down and up with a 400 ms round trip (Chromium's own
emulation would miss the service worker's traffic, see that module).

Reported per visit: kilobytes the phone downloaded (``kb``: every byte the
proxy carried down, HTTP headers included, until the line has been quiet for
a second: fonts, the service worker and what it keeps count) and uploaded,
the responses the page itself saw (a diagnosis), and the time until the page
is usable, taken as the later of the first contentful paint and
DOMContentLoaded (the text is shown styled and the report form answers), with
the load event beside it.
Targets (issue 18): first visit at most 80 KB and 2.5 s, repeat visit at most
10 KB and 1 s. Chromium is /usr/bin/chromium unless ``--chromium`` says otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import front, harness
from bench.slow_link import SlowLink

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


def wait_until_quiet(link: SlowLink, quiet_s: float = 1.0, timeout_s: float = 30.0) -> None:
    """Until the line has carried nothing for ``quiet_s`` (the service worker may still be filling its cache)."""
    deadline = time.monotonic() + timeout_s
    last, last_change = link.counters(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = link.counters()
        if now != last:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change >= quiet_s:
            return


def visit(page, cdp, link: SlowLink, url: str) -> dict:
    """Load ``url`` once; bytes counted on the wire, the page's own responses listed for diagnosis."""
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}

    def finished(event):
        sizes[event["requestId"]] = event["encodedDataLength"]

    def responded(event):
        urls[event["requestId"]] = event["response"]["url"].split("/", 3)[-1]

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.responseReceived", responded)
    down_before, up_before = link.counters()
    started = time.perf_counter()
    response = page.goto(url, wait_until="load")
    wait_until_quiet(link)
    wall_ms = (time.perf_counter() - started) * 1000
    down, up = (after - before for after, before in zip(link.counters(), (down_before, up_before), strict=True))
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.responseReceived", responded)
    timing = page.evaluate(USABLE_SCRIPT)
    usable = max(timing["dcl"], timing["fcp"] or 0)
    return {
        "status": response.status if response else None,
        "kb": round(down / 1000, 1),
        "bytes_down": down,
        "bytes_up": up,
        "usable_ms": round(usable),
        "load_ms": round(timing["load"]),
        "until_quiet_ms": round(wall_ms),
        "page_saw": {"/" + urls.get(key, "?"): int(size) for key, size in sizes.items()},
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


def measure(browser, link: SlowLink, cookies: list[dict], path: str) -> dict:
    base_url = f"http://127.0.0.1:{link.port}"
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="fa-IR", base_url=base_url)
    context.add_cookies(cookies)  # cookies belong to the host, not the port: the login holds through the proxy
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        first = visit(page, cdp, link, base_url + path)
        repeat = visit(page, cdp, link, base_url + path)
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
    parser.add_argument(
        "--no-nginx", action="store_true", help="talk to gunicorn directly (no keep-alive, static files by WhiteNoise)"
    )
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
    use_nginx = front.available() and not args.no_nginx
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(harness.Server(workers=args.workers))
        entry_port = server.port
        if use_nginx:
            from django.conf import settings

            entry_port = stack.enter_context(front.Front(server.port, Path(settings.STATIC_ROOT))).port
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=args.chromium)
        try:
            cookies = signed_in_cookies(browser, f"http://127.0.0.1:{entry_port}")
            for name, path in pages:
                # A fresh line per page: its counters and its queue start empty.
                with SlowLink(entry_port, DOWN_BYTES_PER_SECOND, UP_BYTES_PER_SECOND, ROUND_TRIP_MS) as link:
                    result = measure(browser, link, cookies, path)
                results.append({"page": name, "path": path, **result, "met": verdict(result)})
        finally:
            browser.close()
        errors = server.errors_in_log()

    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "network": {
            "how": "bench/slow_link.py, a proxy on the wire (page and service worker alike)",
            "down_kbit_s": DOWN_BYTES_PER_SECOND * 8 // 1000,
            "up_kbit_s": UP_BYTES_PER_SECOND * 8 // 1000,
            "round_trip_ms": ROUND_TRIP_MS,
        },
        "server": "nginx (bench/front.py, as deploy/nginx.conf without TLS) -> gunicorn"
        if use_nginx
        else "gunicorn directly (WhiteNoise serves static files)",
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
