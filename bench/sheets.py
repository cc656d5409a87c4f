"""Batch printing end to end: a province's day of delivery sheets through a real Celery worker, against WeasyPrint.

Builds a throwaway PostgreSQL database (a small ``bench/world.py`` world, or the
full one with ``--thematic``), adds ``--sheets`` planned deliveries of one
province on one day (``bench/sheets_world.py``), then:

1. *Floor*: WeasyPrint alone rendering one representative sheet (the first of
   the batch) from its finished HTML and CSS strings to PDF bytes, median of
   ``--floor-runs``, in this process before the worker starts. ``floor_s`` is a
   standalone render (new font configuration, CSS parsed each time: what one
   sheet costs on its own); ``floor_warm_s`` reuses both (the least WeasyPrint
   can take per sheet).
2. Starts ``celery -A hamdeli worker --pool prefork --concurrency 2`` on its own
   Redis database (``--broker``), requests the batch through the service as the
   page does, and polls the batch row every ``--poll`` seconds: its progress
   (rendered + failed sheets, what the progress bar shows) and the resident memory
   of the worker's processes (parent and children, from /proc).
3. Reports wall time per sheet against the floor, the largest step of the
   progress bar between two observed moves, peak memory, the file's size and
   pages, and whether each target holds (≤ 1.5x the floor per sheet, progress
   at least every 10 sheets, peak ≤ 500 MB).

``--thematic`` also builds the full world (``world.FULL_SIZES``) and times the
thematic report of all provinces over the world's 60 days through the same
worker (target ≤ 30 s); ``--profile`` then profiles it in this process and
prints where the time goes to stderr. Prints one JSON document.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import itertools
import json
import os
import platform
import pstats
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness

SHEET_TARGET_RATIO = 1.5
PROGRESS_TARGET_SHEETS = 10
MEMORY_TARGET_MB = 500
THEMATIC_TARGET_S = 30.0


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# --- The worker -------------------------------------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants (prefork children), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def memory_mb(pids: list[int]) -> dict[int, tuple[float, float, str]]:
    """Per process: (RSS, PSS, command) in MB, from /proc. PSS splits the pages a prefork child still shares
    with its parent (copy on write) between them, so the PSS of a process tree adds up to the memory it uses;
    its RSS counts those shared pages once per process."""
    sizes = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line and not line[0].isdigit())
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace")[:60]
        except OSError:
            continue
        kb = {key: int(value.split()[0]) for key, value in fields.items() if key in ("Rss", "Pss")}
        if "Rss" in kb:
            sizes[pid] = (kb["Rss"] / 1024, kb.get("Pss", kb["Rss"]) / 1024, command)
    return sizes


class Worker:
    """``celery -A hamdeli worker`` with the bench's environment, in its own process group."""

    def __init__(self, concurrency: int):
        self.concurrency = concurrency
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the worker writes it until __exit__
            prefix="hamdeli-bench-celery-", suffix=".log", delete=False
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Worker:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and celery
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "hamdeli",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(self.concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=harness.ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the worker exited ({self.process.returncode}); see {self.log.name}")
            if " ready." in Path(self.log.name).read_text(errors="replace"):
                return self
            time.sleep(0.2)
        raise SystemExit(f"the worker was not ready within 90 s; see {self.log.name}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def errors_in_log(self) -> list[str]:
        text = Path(self.log.name).read_text(errors="replace")
        return [line for line in text.splitlines() if "Traceback" in line or "ERROR" in line][:10]


# --- The floor --------------------------------------------------------------------------------------------------


def sheet_sources(delivery, language: str = "fa") -> tuple[str, str]:
    """The sheet's finished HTML and CSS, exactly as the batch renders them."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from fulfilment.delivery_sheet import STYLESHEET_TEMPLATE, delivery_sheet_context, sheet_deliveries

    (delivery,) = sheet_deliveries([delivery.pk])
    with translation.override(language):
        context = delivery_sheet_context(delivery)
        return (
            render_to_string("orders/pdf/delivery_sheet.html", context),
            render_to_string(STYLESHEET_TEMPLATE, {"persian": context["persian"]}),
        )


def weasyprint_floor(html: str, css: str, runs: int) -> dict[str, list[float]]:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from core.pdf import STATIC_BASE_URL, StaticOnlyURLFetcher

    def standalone() -> bytes:
        fetcher, fonts = StaticOnlyURLFetcher(), FontConfiguration()
        sheet_css = CSS(string=css, base_url=STATIC_BASE_URL, url_fetcher=fetcher, font_config=fonts)
        return HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf(
            stylesheets=[sheet_css], font_config=fonts
        )

    fetcher, fonts = StaticOnlyURLFetcher(), FontConfiguration()
    warm_css = CSS(string=css, base_url=STATIC_BASE_URL, url_fetcher=fetcher, font_config=fonts)

    def warm() -> bytes:
        return HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf(
            stylesheets=[warm_css], font_config=fonts
        )

    standalone(), warm()  # imports and caches of the first call are not the floor
    timings: dict[str, list[float]] = {"standalone": [], "warm": []}
    for _ in range(runs):
        for name, render in (("standalone", standalone), ("warm", warm)):
            started = time.perf_counter()
            render()
            timings[name].append(time.perf_counter() - started)
    return timings


# --- The batch --------------------------------------------------------------------------------------------------


def run_batch(*, user, day, province_code: str, worker: Worker, poll: float, timeout: float) -> dict:
    from pypdf import PdfReader

    from fulfilment.models import SheetBatch, SheetBatchStatus
    from fulfilment.tasks import sheet_batch_request

    started = time.perf_counter()
    batch, _created = sheet_batch_request(user=user, planned_date=day, province_code=province_code, language="fa")
    observed = [(0.0, 0)]  # (seconds, sheets processed) at every move of the progress bar
    peak_rss, peak_pss, peak_each, first_move = 0.0, 0.0, {}, None
    finished = False
    while time.perf_counter() - started < timeout:
        status, done, failures = SheetBatch.objects.filter(pk=batch.pk).values_list("status", "done", "failures")[0]
        sizes = memory_mb(process_tree(worker.process.pid))
        peak_rss = max(peak_rss, sum(rss for rss, _pss, _command in sizes.values()))
        peak_pss = max(peak_pss, sum(pss for _rss, pss, _command in sizes.values()))
        for pid, (rss, _pss, command) in sizes.items():
            peak_each[pid] = (max(peak_each.get(pid, (0.0,))[0], rss), command)
        processed = done + len(failures)
        if processed != observed[-1][1]:
            observed.append((time.perf_counter() - started, processed))
            first_move = first_move or observed[-1][0]
        if status in (SheetBatchStatus.DONE, SheetBatchStatus.FAILED):
            finished = True
            break
        time.sleep(poll)
    wall = time.perf_counter() - started
    batch.refresh_from_db()
    result = {
        "batch": batch.pk,
        "status": batch.status,
        "finished": finished,
        "sheets": batch.total,
        "rendered": batch.done,
        "failed": len(batch.failures),
        "wall_s": round(wall, 2),
        "first_progress_after_s": round(first_move or 0, 2),
        "progress_moves": len(observed) - 1,
        "progress_largest_step_sheets": max((b[1] - a[1] for a, b in itertools.pairwise(observed)), default=0),
        "peak_pss_mb_worker_tree": round(peak_pss, 1),
        "peak_rss_mb_worker_tree_counting_shared_pages_per_process": round(peak_rss, 1),
        "peak_rss_mb_per_process": sorted(
            ([round(rss, 1), command] for rss, command in peak_each.values()), reverse=True
        )[:6],
        "processes_seen": len(peak_each),
    }
    if batch.file:
        path = Path(batch.file.path)
        result["file_bytes"] = path.stat().st_size
        result["file_pages"] = len(PdfReader(path).pages)
    return result


# --- The thematic report ----------------------------------------------------------------------------------------


def run_thematic(*, user, days: int, timeout: float) -> dict:
    from django.utils import timezone

    from reports.models import ThematicReport, ThematicReportStatus
    from reports.tasks import thematic_report_request

    today = timezone.localdate()
    started = time.perf_counter()
    report, _created = thematic_report_request(
        user=user, province=None, period_start=today - dt.timedelta(days=days - 1), period_end=today, language="fa"
    )
    while time.perf_counter() - started < timeout:
        status = ThematicReport.objects.filter(pk=report.pk).values_list("status", flat=True)[0]
        if status in (ThematicReportStatus.DONE, ThematicReportStatus.FAILED):
            break
        time.sleep(0.1)
    wall = time.perf_counter() - started
    report.refresh_from_db()
    return {
        "report": report.pk,
        "status": report.status,
        "period_days": days,
        "wall_s": round(wall, 2),
        "pdf_bytes": report.pdf.size if report.pdf else 0,
        "message": getattr(report, "message", ""),
        "target_s": THEMATIC_TARGET_S,
        "ratio_to_target": round(wall / THEMATIC_TARGET_S, 2),
        "within_target": report.status == ThematicReportStatus.DONE and wall <= THEMATIC_TARGET_S,
    }


def profile_thematic(*, user, days: int, top: int = 30) -> None:
    """The report's work in this process under cProfile; the slowest calls to stderr."""
    from django.utils import timezone

    from reports import tasks as report_tasks
    from reports.models import ThematicReport

    today = timezone.localdate()
    report = ThematicReport.objects.create(
        created_by=user, province=None, period_start=today - dt.timedelta(days=days - 1), period_end=today
    )
    report = ThematicReport.objects.select_related("province", "created_by").get(pk=report.pk)
    report_tasks._progress = lambda report, percent: None  # not claimed: no heartbeat to write
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(report_tasks._generate, report)
    print(f"thematic report in-process: {time.perf_counter() - started:.2f} s", file=sys.stderr)
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(top)
    print(stream.getvalue(), file=sys.stderr)


# --- Main -------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--floor-runs", type=int, default=15)
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between two looks at the batch")
    parser.add_argument("--world-scale", type=float, default=0.02, help="world under the day (without --thematic)")
    parser.add_argument("--thematic", action="store_true", help="full world, and time the thematic report")
    parser.add_argument("--thematic-days", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="with --thematic: profile the report in-process")
    parser.add_argument("--skip-sheets", action="store_true", help="with --thematic: the report only")
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/hamdeli_bench_sheets")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/7", help="a Redis database of the bench's own")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()

    media = tempfile.mkdtemp(prefix="hamdeli-bench-sheets-media-")
    os.environ.update({"CELERY_BROKER_URL": args.broker, "MEDIA_ROOT": media, "CACHE_URL": ""})
    harness.prepare_database(args.database_url)
    harness.setup_django()
    harness.migrate()
    import redis

    redis.Redis.from_url(args.broker).flushdb()  # the bench's own database: tasks of an earlier run

    from bench import sheets_world, world

    actors = world.ensure_actors()
    built = time.perf_counter()
    sizes = world.scaled(1.0 if args.thematic else args.world_scale)
    world.grow_world(**sizes, batch=1, actors=actors)
    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=10)  # after every day the world plans deliveries on
    province_code, count = sheets_world.add_sheet_day(count=args.sheets, day=day, actors=actors)
    world_s = time.perf_counter() - built

    result: dict = {
        "benchmark": "bench/sheets.py",
        "measured_at": now_utc(),
        "machine": f"{os.cpu_count()} cores ({platform.machine()}), shared; load average at start "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "world": {**sizes, "sheet_day_deliveries": count, "province": province_code, "build_s": round(world_s, 1)},
    }
    if not args.skip_sheets:
        from fulfilment.models import Delivery
        from fulfilment.tasks import batch_deliveries

        first = batch_deliveries(user=actors.coordinator, planned_date=day, province_code=province_code).first()
        html, css = sheet_sources(Delivery.objects.get(pk=first.pk))
        before = weasyprint_floor(html, css, args.floor_runs)
    with Worker(args.concurrency) as worker:
        if not args.skip_sheets:
            batch = run_batch(
                user=actors.coordinator,
                day=day,
                province_code=province_code,
                worker=worker,
                poll=args.poll,
                timeout=args.timeout,
            )
            per_sheet = batch["wall_s"] / max(1, batch["sheets"])
            # The machine is shared: half the floor's runs before the batch and half after it (the worker idle),
            # so a change of load during the run weighs on both sides of the ratio.
            after = weasyprint_floor(html, css, args.floor_runs)
            floor = {name: statistics.median(before[name] + after[name]) for name in before}
            result["sheets"] = {
                **batch,
                "worker_processes": args.concurrency,
                "per_sheet_s": round(per_sheet, 4),
                "floor_s": round(floor["standalone"], 4),
                "floor_warm_s": round(floor["warm"], 4),
                "floor_runs": 2 * args.floor_runs,
                "floor_s_before_after": [
                    round(statistics.median(before["standalone"]), 4),
                    round(statistics.median(after["standalone"]), 4),
                ],
                "ratio": round(per_sheet / floor["standalone"], 3),
                "ratio_to_warm_floor": round(per_sheet / floor["warm"], 3),
                "targets": {
                    "per_sheet_within_1_5x_floor": batch["finished"]
                    and per_sheet <= SHEET_TARGET_RATIO * floor["standalone"],
                    "progress_every_10_sheets": batch["progress_largest_step_sheets"] <= PROGRESS_TARGET_SHEETS,
                    "peak_memory_within_500_mb": batch["peak_pss_mb_worker_tree"] <= MEMORY_TARGET_MB,
                    "one_page_per_sheet": batch.get("file_pages") == batch["rendered"],
                },
            }
        if args.thematic:
            result["thematic"] = {
                "measured_at": now_utc(),
                **run_thematic(user=actors.coordinator, days=args.thematic_days, timeout=args.timeout),
            }
        result["worker_errors"] = worker.errors_in_log()
    if args.thematic and args.profile:
        profile_thematic(user=actors.coordinator, days=args.thematic_days)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    sheet_targets = result.get("sheets", {}).get("targets", {})
    ok = all(sheet_targets.values()) and result.get("thematic", {}).get("within_target", True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
