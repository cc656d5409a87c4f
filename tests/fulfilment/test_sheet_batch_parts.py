"""A batch of delivery sheets rendered in parts by several worker processes, joined into one PDF on disk."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.task_claims import claim, requeue_abandoned
from fulfilment import delivery_sheet, sheet_batches
from fulfilment import tasks as sheet_tasks
from fulfilment.models import SheetBatch, SheetBatchPart, SheetBatchStatus
from fulfilment.tasks import sheet_batch_help, sheet_batch_render, sheet_batch_start
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _small_parts(settings, tmp_path, monkeypatch):
    """Parts of two sheets, so a handful of deliveries makes several parts; files in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(sheet_batches, "PART_SIZE", 2)


@pytest.fixture
def five_sheets(coordinator):
    """Five one-line deliveries in Tehran on DAY, in the order a batch prints them (center name, then code)."""
    deliveries = [
        factories.DeliveryLineFactory(
            delivery__planned_date=DAY,
            delivery__created_by=coordinator,
            delivery__health_center=factories.HealthCenterFactory(name=f"مرکز {n}"),
        ).delivery
        for n in range(5)
    ]
    return sorted(deliveries, key=lambda delivery: (delivery.health_center.name, delivery.code))


def short_codes_in(batch: SheetBatch, deliveries) -> list[str]:
    """The deliveries' short codes in the order their pages come in the batch's file."""
    with batch.file.open("rb") as handle:
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]
    return [next(d.short_code for d in deliveries if d.short_code in text) for text in pages]


def planned(coordinator) -> tuple[SheetBatch, dt.datetime]:
    """A batch claimed and split into parts, as the batch's task leaves it before it renders (helpers queued)."""
    batch = sheet_batch_start(user=coordinator, planned_date=DAY, province_code="tehran")
    claimed = claim(SheetBatch, batch.pk, queued=SheetBatchStatus.QUEUED, running=SheetBatchStatus.RUNNING)
    ids = list(sheet_tasks.batch_deliveries(user=coordinator, planned_date=DAY).values_list("pk", flat=True))
    sheet_batches.plan_parts(batch.pk, claimed, ids)
    return batch, claimed


def test_a_batch_in_parts_prints_every_sheet_once_in_the_batchs_order_into_one_file_on_disk(coordinator, five_sheets):
    batch = sheet_batch_start(user=coordinator, planned_date=DAY, province_code="tehran")
    sheet_batch_render(batch.pk)
    batch.refresh_from_db()

    assert (batch.status, batch.total, batch.done, batch.failures) == (SheetBatchStatus.DONE, 5, 5, [])
    assert short_codes_in(batch, five_sheets) == [d.short_code for d in five_sheets]
    assert batch.file.path.startswith(str(sheet_batches.settings.MEDIA_ROOT))
    # The parts and their files are gone once joined.
    assert not SheetBatchPart.objects.exists()
    assert not sheet_batches.work_root(batch.pk).exists()


def test_the_progress_moves_at_least_every_ten_sheets(coordinator, monkeypatch):
    for _ in range(23):
        factories.DeliveryLineFactory(delivery__planned_date=DAY, delivery__created_by=coordinator)
    monkeypatch.setattr(sheet_batches, "PART_SIZE", 12)
    seen = []
    real = sheet_batches.record_progress

    def record(batch_id, claimed, **kwargs):
        real(batch_id, claimed, **kwargs)
        seen.append(SheetBatch.objects.get(pk=batch_id).done)

    monkeypatch.setattr(sheet_batches, "record_progress", record)
    monkeypatch.setattr(delivery_sheet, "delivery_sheet_document", lambda delivery, *, language: _blank_page())
    batch = sheet_batch_start(user=coordinator, planned_date=DAY, province_code="tehran")
    sheet_batch_render(batch.pk)

    steps = [after - before for before, after in zip([0, *seen], seen, strict=False)]
    assert seen[-1] == 23 and max(steps) <= 10


def _blank_page():
    from core.pdf import PdfKit

    return PdfKit().document("<p>sheet</p>")


def test_a_failing_sheet_in_one_part_costs_neither_its_part_nor_the_others(coordinator, five_sheets, monkeypatch):
    broken = five_sheets[2]
    real = delivery_sheet.delivery_sheet_document

    def render(delivery, *, language="fa"):
        if delivery.pk == broken.pk:
            raise RuntimeError("font cache is corrupt")
        return real(delivery, language=language)

    monkeypatch.setattr(delivery_sheet, "delivery_sheet_document", render)
    batch = sheet_batch_start(user=coordinator, planned_date=DAY, province_code="tehran")
    sheet_batch_render(batch.pk)
    batch.refresh_from_db()

    assert (batch.status, batch.total, batch.done) == (SheetBatchStatus.DONE, 5, 4)
    assert batch.failures == [{"code": broken.code, "error": "font cache is corrupt"}]
    assert short_codes_in(batch, five_sheets) == [d.short_code for d in five_sheets if d != broken]


def test_a_helper_delivered_twice_prints_no_page_twice(coordinator, five_sheets):
    batch, claimed = planned(coordinator)
    token = sheet_batches.claim_token(claimed)

    sheet_batch_help(batch.pk, token)  # takes every part, joins the file
    sheet_batch_help(batch.pk, token)  # the same message again: no part left
    batch.refresh_from_db()

    assert (batch.status, batch.done) == (SheetBatchStatus.DONE, 5)
    assert short_codes_in(batch, five_sheets) == [d.short_code for d in five_sheets]


def test_a_part_taken_by_one_process_is_not_taken_by_another(coordinator, five_sheets):
    batch, claimed = planned(coordinator)
    first = sheet_batches.take_part(batch.pk, claimed)
    second = sheet_batches.take_part(batch.pk, claimed)
    assert (first.index, second.index) == (0, 1)

    # A second delivery of the helper while the first still renders part 0 takes only what is left.
    sheet_batch_help(batch.pk, sheet_batches.claim_token(claimed))
    batch.refresh_from_db()
    assert batch.status == SheetBatchStatus.RUNNING  # parts 0 and 1 are still someone else's
    for part in (first, second):
        rendered = sheet_batches.render_part(batch, part, claimed)
        if sheet_batches.finish_part(batch.pk, claimed, part, rendered):
            sheet_batches.join_parts(batch.pk, claimed)
    batch.refresh_from_db()

    assert (batch.status, batch.done) == (SheetBatchStatus.DONE, 5)
    assert short_codes_in(batch, five_sheets) == [d.short_code for d in five_sheets]


def test_after_the_sweep_queued_a_silent_batch_again_the_old_claims_helpers_do_nothing(
    coordinator, five_sheets, settings
):
    batch, old_claim = planned(coordinator)
    old_part = sheet_batches.take_part(batch.pk, old_claim)
    stale = timezone.now() - dt.timedelta(seconds=settings.HAMDELI_TASK_HEARTBEAT_TIMEOUT + 1)
    SheetBatch.objects.filter(pk=batch.pk).update(heartbeat_at=stale)
    assert requeue_abandoned() == 1

    sheet_batch_render(batch.pk)  # the new delivery renders the whole batch again, from fresh parts
    sheet_batch_help(batch.pk, sheet_batches.claim_token(old_claim))  # a helper of the old claim: nothing left
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.restarts) == (SheetBatchStatus.DONE, 5, 5, 1)
    assert short_codes_in(batch, five_sheets) == [d.short_code for d in five_sheets]

    # The old claim's worker wakes up with its part: its progress and its part are refused.
    with pytest.raises(sheet_batches.ClaimLost):
        sheet_batches.render_part(batch, old_part, old_claim)
    batch.refresh_from_db()
    assert batch.done == 5


def test_the_batchs_task_queues_helpers_with_a_broker_and_works_alone_without(coordinator, five_sheets, monkeypatch):
    queued = []
    monkeypatch.setattr(sheet_tasks, "enqueue_many", lambda task, calls, **kwargs: queued.extend(calls))
    monkeypatch.setitem(sheet_tasks.current_app.conf, "task_always_eager", False)
    monkeypatch.setattr(sheet_batches, "work_on_parts", lambda batch_id, claimed: None)
    batch = sheet_batch_start(user=coordinator, planned_date=DAY, province_code="tehran")

    sheet_batch_render(batch.pk)

    batch.refresh_from_db()
    token = sheet_batches.claim_token(batch.claimed_at)
    assert queued == [(batch.pk, token)] * 2  # three parts: the task itself and two helpers
    assert SheetBatchPart.objects.filter(batch=batch).count() == 3


def test_a_day_without_sheets_is_done_at_once_without_a_file(coordinator):
    factories.DeliveryLineFactory(delivery__planned_date=DAY + dt.timedelta(days=1), delivery__created_by=coordinator)
    batch = sheet_batch_start(user=coordinator, planned_date=DAY, province_code="tehran")
    sheet_batch_render(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.file.name) == (SheetBatchStatus.DONE, 0, "")


def test_a_part_whose_file_cannot_be_written_names_its_sheets_and_the_other_parts_still_print(
    coordinator, five_sheets, monkeypatch
):
    from core import pdf

    real = pdf.write_documents
    writes = []

    def write(documents, target=None):
        writes.append(len(documents))
        if len(writes) == 2:  # the second part (sheets 3 and 4)
            raise OSError("disk full")
        return real(documents, target)

    monkeypatch.setattr(pdf, "write_documents", write)
    batch = sheet_batch_start(user=coordinator, planned_date=DAY, province_code="tehran")
    sheet_batch_render(batch.pk)
    batch.refresh_from_db()

    lost = five_sheets[2:4]
    assert (batch.status, batch.total, batch.done) == (SheetBatchStatus.DONE, 5, 3)
    assert batch.failures == [{"code": delivery.code, "error": "disk full"} for delivery in lost]
    assert short_codes_in(batch, five_sheets) == [d.short_code for d in five_sheets if d not in lost]
