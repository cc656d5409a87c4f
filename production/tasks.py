"""Celery tasks of the production app: thin adapters that take ids and call services."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.models import Province
from core.task_claims import ClaimLost, claim, heartbeat

# Celery's autodiscovery imports only ``<app>.tasks``: import the other task modules so workers register them.
from . import notification_tasks  # noqa: F401
from .allocation_report import summarize
from .models import AllocationRun, AllocationRunStatus
from .services.allocation import allocation_commit, allocation_preview

logger = logging.getLogger(__name__)


# Named as before the split of orders, so queued tasks still find it.
@shared_task(name="orders.tasks.run_allocation", acks_late=True)
def run_allocation(run_id: int) -> None:
    """Run a queued allocation preview or commit; a second delivery of the same run does nothing."""
    claimed = claim(
        AllocationRun, run_id, queued=AllocationRunStatus.QUEUED, running=AllocationRunStatus.RUNNING, progress=1
    )
    if not claimed:
        return  # already running or finished (the broker delivered it twice)
    run = AllocationRun.objects.select_related("created_by").get(pk=run_id)
    provinces = list(Province.objects.filter(code__in=run.province_codes)) if run.province_codes else None

    def progress(percent: int, message: str) -> None:
        # Every step is also a heartbeat: a run that stops beating is queued again by the sweep.
        heartbeat(AllocationRun, run_id, claimed_at=claimed, progress=percent, message=message)

    try:
        if run.dry_run:
            result = allocation_preview(provinces=provinces, progress=progress)
        else:
            result = allocation_commit(actor=run.created_by, provinces=provinces, progress=progress)
    except ClaimLost:
        logger.warning("allocation run %s was queued again while this worker was silent; stopping", run_id)
        return  # the commit rolled back; the new delivery does the run
    except Exception as exc:
        logger.exception("allocation run %s failed", run_id)
        AllocationRun.objects.filter(pk=run_id).update(
            status=AllocationRunStatus.FAILED, message=str(exc)[:400], finished_at=timezone.now()
        )
        return
    with transaction.atomic():
        AllocationRun.objects.filter(pk=run_id).update(
            status=AllocationRunStatus.DONE,
            progress=100,
            message="",
            result=summarize(result),
            finished_at=timezone.now(),
        )
