"""Batch printing: every delivery sheet of one day (in one province or all of the requester's) in one PDF.

The Celery task ``sheet_batch_render`` claims the batch, splits its sheets into
parts and queues ``sheet_batch_help`` tasks, so several worker processes render
parts side by side (``sheet_batches`` says how); progress is saved every few
sheets for the batch page. A sheet that fails is named in ``failures`` and
skipped, the others still make the file. Without a broker (tests, ``make run``)
the task renders every part itself, in-process.
"""

from __future__ import annotations

import logging
from datetime import datetime

from celery import current_app, shared_task
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.outbox import enqueue, enqueue_many
from core.scoping import scope_by_province
from core.task_claims import ClaimLost, claim, queued_twin

from . import sheet_batches
from .models import Delivery, DeliveryStatus, SheetBatch, SheetBatchStatus
from .sheet_batches import batch_file_name  # noqa: F401 - re-exported: callers name it from here

logger = logging.getLogger(__name__)


def batch_deliveries(*, user, planned_date, province_code: str = "") -> QuerySet[Delivery]:
    """Deliveries a batch prints: not cancelled, planned on the day, in the province (or all of the user's)."""
    deliveries = scope_by_province(Delivery.objects.all(), user, "health_center__province").filter(
        planned_date=planned_date
    )
    if province_code:
        deliveries = deliveries.filter(health_center__province__code=province_code)
    return deliveries.exclude(status=DeliveryStatus.CANCELLED).order_by(
        "health_center__province__name_fa", "health_center__name", "code"
    )


@transaction.atomic
def sheet_batch_request(
    *, user, planned_date, province_code: str = "", language: str = "fa"
) -> tuple[SheetBatch, bool]:
    """Record a batch and queue its rendering once the row is committed (the worker must be able to read it).

    The same request while the same person's identical batch is still queued or
    running returns that batch (``created`` False): a request retried after a
    slow answer (the broker hung) must not render the day twice.
    """
    wanted = {"created_by": user, "planned_date": planned_date, "province_code": province_code, "language": language}
    in_progress = (SheetBatchStatus.QUEUED, SheetBatchStatus.RUNNING)
    existing = queued_twin(SheetBatch, requester=user, in_progress=in_progress, wanted=wanted)
    if existing is not None:
        return existing, False
    batch = SheetBatch.objects.create(**wanted)
    enqueue(sheet_batch_render, batch.pk, obj=batch)
    return batch, True


def sheet_batch_start(*, user, planned_date, province_code: str = "", language: str = "fa") -> SheetBatch:
    """``sheet_batch_request`` for callers that only need the batch."""
    batch, _created = sheet_batch_request(
        user=user, planned_date=planned_date, province_code=province_code, language=language
    )
    return batch


# Helper tasks queued per batch besides the batch's own: with two worker processes one helps at once; more
# help on bigger installations, and on a small one a helper that starts late finds no part left and returns.
HELPERS = 3


# Named as before the split of orders, so queued tasks still find it.
@shared_task(name="orders.sheet_tasks.sheet_batch_render", acks_late=True)
def sheet_batch_render(batch_id: int) -> None:
    """Render a queued batch; a second delivery of the same task (or a finished batch) does nothing."""
    claimed = claim(SheetBatch, batch_id, queued=SheetBatchStatus.QUEUED, running=SheetBatchStatus.RUNNING)
    if not claimed:
        return
    batch = SheetBatch.objects.select_related("created_by").get(pk=batch_id)
    deliveries = batch_deliveries(
        user=batch.created_by, planned_date=batch.planned_date, province_code=batch.province_code
    )
    try:
        parts = sheet_batches.plan_parts(batch_id, claimed, list(deliveries.values_list("pk", flat=True)))
    except ClaimLost:
        logger.warning("sheet batch %s was queued again before it started; stopping", batch_id)
        return
    if not parts:
        SheetBatch.objects.filter(pk=batch_id, claimed_at=claimed).update(
            status=SheetBatchStatus.DONE, finished_at=timezone.now()
        )
        return
    helpers = min(HELPERS, parts - 1)
    if helpers and not current_app.conf.task_always_eager:
        token = sheet_batches.claim_token(claimed)
        with transaction.atomic():
            enqueue_many(sheet_batch_help, [(batch_id, token)] * helpers, objs=[batch] * helpers)
    sheet_batches.work_on_parts(batch_id, claimed)


@shared_task(name="fulfilment.tasks.sheet_batch_help", acks_late=True)
def sheet_batch_help(batch_id: int, claim_token: str) -> None:
    """Render the batch's parts that nobody has taken yet (none left, or another claim's batch: nothing)."""
    sheet_batches.work_on_parts(batch_id, datetime.fromisoformat(claim_token))
