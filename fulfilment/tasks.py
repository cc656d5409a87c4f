"""Batch printing: every delivery sheet of one day (in one province or all of the requester's) in one PDF.

The Celery task ``sheet_batch_render`` renders the sheets one by one, saving
its progress after each so the batch page can show it; a sheet that fails is
named in ``failures`` and skipped, the others still make the file.
"""

from __future__ import annotations

import io
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.jalali import file_date
from core.outbox import enqueue
from core.scoping import scope_by_province
from core.task_claims import ClaimLost, claim, heartbeat, queued_twin

from .delivery_sheet import delivery_sheet_pdf
from .models import Delivery, DeliveryStatus, SheetBatch, SheetBatchStatus

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


def merge_pdfs(documents: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for document in documents:
        writer.append(io.BytesIO(document))
    output = io.BytesIO()
    writer.write(output)
    writer.close()
    return output.getvalue()


def batch_file_name(batch: SheetBatch) -> str:
    return f"sheets-{file_date(batch.planned_date)}-{batch.province_code or 'all'}-{batch.pk}.pdf"


# Named as before the split of orders, so queued tasks still find it.
@shared_task(name="orders.sheet_tasks.sheet_batch_render", acks_late=True)
def sheet_batch_render(batch_id: int) -> None:
    """Render a queued batch; a second delivery of the same task (or a finished batch) does nothing."""
    claimed = claim(SheetBatch, batch_id, queued=SheetBatchStatus.QUEUED, running=SheetBatchStatus.RUNNING)
    if not claimed:
        return
    batch = SheetBatch.objects.select_related("created_by").get(pk=batch_id)
    deliveries = list(
        batch_deliveries(user=batch.created_by, planned_date=batch.planned_date, province_code=batch.province_code)
    )
    SheetBatch.objects.filter(pk=batch_id).update(total=len(deliveries), done=0, failures=[])
    rendered: list[bytes] = []
    failures: list[dict] = []
    for delivery in deliveries:
        try:
            rendered.append(delivery_sheet_pdf(delivery, language=batch.language))
        except Exception as exc:  # one bad sheet must not cost the others
            logger.exception("sheet %s of batch %s failed", delivery.code, batch_id)
            failures.append({"code": delivery.code, "error": str(exc)[:300] or exc.__class__.__name__})
        try:
            # Each sheet is also a heartbeat: a batch that stops beating is queued again by the sweep.
            heartbeat(SheetBatch, batch_id, claimed_at=claimed, done=len(rendered), failures=failures)
        except ClaimLost:
            logger.warning("sheet batch %s was queued again while this worker was silent; stopping", batch_id)
            return
    batch.refresh_from_db()
    if rendered:
        batch.file.save(batch_file_name(batch), ContentFile(merge_pdfs(rendered)), save=False)
    batch.status = SheetBatchStatus.FAILED if deliveries and not rendered else SheetBatchStatus.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["file", "status", "finished_at"])
