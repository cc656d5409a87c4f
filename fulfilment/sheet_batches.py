"""The work inside a sheet batch: plan its parts, render them side by side, join the part files into one PDF.

A batch of a province's day can be 500 sheets; one worker process renders
about three a second. So the batch's task (``tasks.sheet_batch_render``) splits
the deliveries into parts of ``PART_SIZE`` and queues helper tasks; it and every
helper then loop: take the next queued part, render its sheets, write them to
a part file on disk, mark the part done. Whoever marks the last part done joins
the part files into the batch's PDF, streaming it to disk (pypdf), so no process
holds more than one part's sheets.

- The batch's task works on the parts itself, so a batch keeps moving (and
  beating) even when the helpers wait behind other work in the queue; a helper
  that starts late finds no part left and returns.
- A part is taken by one conditional UPDATE (queued -> running), so a task
  delivered twice takes other parts, never the same one: no page is printed
  twice. Parts carry the batch's claim: after the sweep queued the batch again
  (its heartbeat went stale), tasks of the old claim find no part, and their
  progress writes raise ``ClaimLost``.
- Progress (``done``) is added with F() expressions every ``PROGRESS_EVERY``
  sheets by whichever process rendered them; each write is also the batch's
  heartbeat. A failing sheet is named in ``failures`` and the others still print.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.jalali import file_date
from core.task_claims import ClaimLost, heartbeat

from . import delivery_sheet
from .models import Delivery, SheetBatch, SheetBatchPart, SheetBatchPartStatus, SheetBatchStatus

logger = logging.getLogger("fulfilment.tasks")

# Sheets per part: small enough that a part's laid-out sheets fit in memory and the last part ends soon after
# the others, large enough that a part's fonts and file are shared by a few sheets.
PART_SIZE = 10
# The batch's progress moves at least this often (in sheets) from each process.
PROGRESS_EVERY = 2


def batch_file_name(batch: SheetBatch) -> str:
    return f"sheets-{file_date(batch.planned_date)}-{batch.province_code or 'all'}-{batch.pk}.pdf"


def claim_token(claimed: datetime) -> str:
    """The batch's claim as a task argument (tasks take ids and strings)."""
    return claimed.isoformat()


def work_root(batch_id: int) -> Path:
    """Part files of every claim of the batch; under MEDIA_ROOT, which every worker machine shares."""
    return Path(settings.MEDIA_ROOT) / "sheets" / "parts" / str(batch_id)


def work_dir(batch_id: int, claimed: datetime) -> Path:
    return work_root(batch_id) / claimed.strftime("%Y%m%dT%H%M%S%f")


def part_path(batch_id: int, claimed: datetime, index: int) -> Path:
    return work_dir(batch_id, claimed) / f"part-{index:05d}.pdf"


def plan_parts(batch_id: int, claimed: datetime, delivery_ids: list[int]) -> int:
    """Record the parts of this claim (those of an earlier claim are dropped); returns how many."""
    with transaction.atomic():
        SheetBatchPart.objects.filter(batch_id=batch_id).delete()
        SheetBatchPart.objects.bulk_create(
            [
                SheetBatchPart(
                    batch_id=batch_id,
                    claimed_at=claimed,
                    index=index,
                    delivery_ids=delivery_ids[start : start + PART_SIZE],
                )
                for index, start in enumerate(range(0, len(delivery_ids), PART_SIZE))
            ]
        )
        heartbeat(SheetBatch, batch_id, claimed_at=claimed, total=len(delivery_ids), done=0, failures=[])
    # Files an earlier claim left (its worker died mid-way) are of no use to this one.
    shutil.rmtree(work_root(batch_id), ignore_errors=True)
    return -(-len(delivery_ids) // PART_SIZE)


def take_part(batch_id: int, claimed: datetime) -> SheetBatchPart | None:
    """The next queued part of this claim, now running for the caller; None when none is left."""
    queued = SheetBatchPart.objects.filter(batch_id=batch_id, claimed_at=claimed, status=SheetBatchPartStatus.QUEUED)
    for pk in queued.order_by("index").values_list("pk", flat=True):
        taken = SheetBatchPart.objects.filter(pk=pk, status=SheetBatchPartStatus.QUEUED).update(
            status=SheetBatchPartStatus.RUNNING
        )
        if taken:  # else another process took it between the read and the UPDATE: try the next one
            return SheetBatchPart.objects.get(pk=pk)
    return None


def record_progress(batch_id: int, claimed: datetime, *, rendered: int, failures: list[dict]) -> None:
    """Add this process's sheets to the batch's count (and heartbeat); raises ``ClaimLost`` if it is not ours."""
    if not failures:
        heartbeat(SheetBatch, batch_id, claimed_at=claimed, done=F("done") + rendered)
        return
    with transaction.atomic():  # the failure list is read and extended under the row's lock
        batch = SheetBatch.objects.select_for_update().filter(pk=batch_id, claimed_at=claimed).first()
        if batch is None:
            raise ClaimLost(f"SheetBatch {batch_id} was queued again while this task was silent")
        heartbeat(
            SheetBatch, batch_id, claimed_at=claimed, done=F("done") + rendered, failures=batch.failures + failures
        )


def render_part(batch: SheetBatch, part: SheetBatchPart, claimed: datetime) -> int:
    """Render the part's sheets into its part file; returns how many are in it."""
    from core.pdf import write_documents

    deliveries = delivery_sheet.sheet_deliveries(part.delivery_ids)
    documents, codes = [], []
    rendered, failures = 0, []
    for position, delivery in enumerate(deliveries, start=1):
        try:
            documents.append(delivery_sheet.delivery_sheet_document(delivery, language=batch.language))
            codes.append(delivery.code)
            rendered += 1
        except Exception as exc:  # one bad sheet must not cost the others
            logger.exception("sheet %s of batch %s failed", delivery.code, batch.pk)
            failures.append({"code": delivery.code, "error": str(exc)[:300] or exc.__class__.__name__})
        if position % PROGRESS_EVERY == 0 or position == len(deliveries):
            record_progress(batch.pk, claimed, rendered=rendered, failures=failures)
            rendered, failures = 0, []
    if not documents:
        return 0
    path = part_path(batch.pk, claimed, part.index)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        write_documents(documents, partial)
    except Exception as exc:  # the part's sheets were laid out but cannot be written: name them all
        logger.exception("part %s of sheet batch %s could not be written", part.index, batch.pk)
        error = str(exc)[:300] or exc.__class__.__name__
        lost = [{"code": code, "error": error} for code in codes]
        record_progress(batch.pk, claimed, rendered=-len(documents), failures=lost)
        return 0
    os.replace(partial, path)  # a part file is whole or absent
    return len(documents)


def finish_part(batch_id: int, claimed: datetime, part: SheetBatchPart, rendered: int) -> bool:
    """Mark the part done; True when it was the batch's last one (the caller then joins the files).

    Under the batch's row lock, so of two processes finishing the last two parts
    exactly one sees none left.
    """
    with transaction.atomic():
        if not SheetBatch.objects.select_for_update().filter(pk=batch_id, claimed_at=claimed).exists():
            raise ClaimLost(f"SheetBatch {batch_id} was queued again while this task was silent")
        SheetBatchPart.objects.filter(pk=part.pk, status=SheetBatchPartStatus.RUNNING).update(
            status=SheetBatchPartStatus.DONE, rendered=rendered
        )
        unfinished = SheetBatchPart.objects.filter(batch_id=batch_id, claimed_at=claimed).exclude(
            status=SheetBatchPartStatus.DONE
        )
        return not unfinished.exists()


def work_on_parts(batch_id: int, claimed: datetime) -> None:
    """Take and render parts until none is queued; join the file if this process finished the last part."""
    batch = SheetBatch.objects.get(pk=batch_id)
    try:
        while (part := take_part(batch_id, claimed)) is not None:
            rendered = render_part(batch, part, claimed)
            if finish_part(batch_id, claimed, part, rendered):
                join_parts(batch_id, claimed)
                return
    except ClaimLost:
        logger.warning("sheet batch %s was queued again while this worker was silent; stopping", batch_id)


def _in_delivery_order(failures: list[dict], batch_id: int, claimed: datetime) -> list[dict]:
    """Failures as the sheets come in the file (processes record them as they happen)."""
    if len(failures) < 2:
        return failures
    ids = [
        pk
        for part in SheetBatchPart.objects.filter(batch_id=batch_id, claimed_at=claimed).order_by("index")
        for pk in part.delivery_ids
    ]
    codes = dict(Delivery.objects.filter(pk__in=ids).values_list("pk", "code"))
    position = {codes.get(pk): n for n, pk in enumerate(ids)}
    return sorted(failures, key=lambda failure: position.get(failure["code"], len(ids)))


def join_parts(batch_id: int, claimed: datetime) -> None:
    """Join the part files, in order, into the batch's PDF (streamed to disk) and mark the batch finished."""
    from pypdf import PdfWriter

    batch = SheetBatch.objects.get(pk=batch_id)
    parts = SheetBatchPart.objects.filter(batch_id=batch_id, claimed_at=claimed, rendered__gt=0).order_by("index")
    files = [part_path(batch_id, claimed, index) for index in parts.values_list("index", flat=True)]
    if files:
        joined = work_dir(batch_id, claimed) / "joined.pdf"
        writer = PdfWriter()
        for path in files:
            writer.append(str(path))
        with joined.open("wb") as handle:
            writer.write(handle)
        writer.close()
        with joined.open("rb") as handle:
            batch.file.save(batch_file_name(batch), File(handle), save=False)
    status = SheetBatchStatus.FAILED if batch.total and not files else SheetBatchStatus.DONE
    finished = SheetBatch.objects.filter(pk=batch_id, claimed_at=claimed).update(
        file=batch.file.name or "",
        status=status,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        failures=_in_delivery_order(batch.failures, batch_id, claimed),
    )
    SheetBatchPart.objects.filter(batch_id=batch_id, claimed_at=claimed).delete()
    if finished:
        shutil.rmtree(work_root(batch_id), ignore_errors=True)
        return
    if batch.file:
        batch.file.delete(save=False)  # queued again meanwhile: the new claim makes its own
    shutil.rmtree(work_dir(batch_id, claimed), ignore_errors=True)
