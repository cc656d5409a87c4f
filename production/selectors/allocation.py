"""Reads behind the allocation desk: which runs a coordinator may read, and the names a run's plan shows."""

from __future__ import annotations

from core.scoping import sees_all_provinces
from core.selectors import province_codes_of

from ..models import AllocationRun

# How many recent runs the desk looks through for a coordinator who does not see all provinces.
RECENT_RUNS_SCANNED = 200


def _run_readable(run: AllocationRun, user, province_codes: set[str]) -> bool:
    if run.created_by_id == user.pk:
        return True
    return bool(run.province_codes) and set(run.province_codes) <= province_codes


def run_visible_to(run: AllocationRun, user) -> bool:
    """Her own runs, and colleagues' runs whose provinces she all covers; national coordinators see every run.

    A run's page lists the orders and workshops of its provinces, so a run that
    reaches one province she does not cover (or the whole country) is not hers to read.
    """
    if sees_all_provinces(user):
        return True
    return _run_readable(run, user, set(province_codes_of(user)))


def allocation_run_for(user, pk: int) -> AllocationRun:
    """One run the coordinator may read; ``AllocationRun.DoesNotExist`` otherwise (404 in the view)."""
    run = AllocationRun.objects.get(pk=pk)
    if not run_visible_to(run, user):
        raise AllocationRun.DoesNotExist
    return run


def runs_visible_to(user, *, limit: int = 10) -> list[AllocationRun]:
    """Her most recent readable runs, newest first (the scope test is on a JSON list, so it is done here)."""
    runs = AllocationRun.objects.order_by("-created_at", "-pk")
    if sees_all_provinces(user):
        return list(runs[:limit])
    codes = set(province_codes_of(user))
    return [run for run in runs[:RECENT_RUNS_SCANNED] if _run_readable(run, user, codes)][:limit]
