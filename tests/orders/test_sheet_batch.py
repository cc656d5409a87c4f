"""Batch printing: all of a day's delivery sheets in one PDF, made by a Celery task with progress on a page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fulfilment import delivery_sheet
from fulfilment.models import DeliveryStatus, SheetBatch, SheetBatchStatus
from fulfilment.tasks import sheet_batch_render, sheet_batch_start
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 1)  # ۱۰ آذر ۱۴۰۵


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def tehran_day(coordinator):
    """Three one-line deliveries in Tehran on DAY, plus a cancelled one, one on another day and one in Isfahan."""
    deliveries = [
        factories.DeliveryLineFactory(delivery__planned_date=DAY, delivery__created_by=coordinator).delivery
        for _ in range(3)
    ]
    factories.DeliveryLineFactory(
        delivery__planned_date=DAY, delivery__status=DeliveryStatus.CANCELLED, delivery__cancel_reason="لغو"
    )
    factories.DeliveryLineFactory(delivery__planned_date=DAY + dt.timedelta(days=1))
    factories.DeliveryLineFactory(
        delivery__planned_date=DAY,
        delivery__health_center=factories.HealthCenterFactory(province=factories.province("isfahan")),
    )
    return deliveries


def start(user, **kwargs) -> SheetBatch:
    batch = sheet_batch_start(user=user, planned_date=DAY, **kwargs)
    sheet_batch_render(batch.pk)
    batch.refresh_from_db()
    return batch


def test_a_batch_merges_the_days_sheets_of_the_coordinators_provinces(coordinator, tehran_day):
    batch = start(coordinator, province_code="tehran")
    assert batch.status == SheetBatchStatus.DONE
    assert (batch.total, batch.done, batch.failures) == (3, 3, [])
    assert batch.finished_at is not None
    with batch.file.open("rb") as handle:
        pages = page_texts(handle.read())
    assert len(pages) == 3  # one page per one-line sheet; not the cancelled one, not Isfahan, not the next day
    for delivery in tehran_day:
        assert sum(delivery.short_code in text for text in pages) == 1


def test_an_empty_province_means_all_of_the_coordinators_provinces(coordinator, tehran_day):
    assert start(coordinator).total == 3


def test_one_failing_sheet_is_named_and_the_others_are_still_in_the_file(coordinator, tehran_day, monkeypatch):
    broken = tehran_day[1]
    real = delivery_sheet.delivery_sheet_document

    def render(delivery, *, language="fa"):
        if delivery.pk == broken.pk:
            raise RuntimeError("font cache is corrupt")
        return real(delivery, language=language)

    monkeypatch.setattr(delivery_sheet, "delivery_sheet_document", render)
    batch = start(coordinator, province_code="tehran")
    assert batch.status == SheetBatchStatus.DONE
    assert (batch.total, batch.done) == (3, 2)
    assert batch.failures == [{"code": broken.code, "error": "font cache is corrupt"}]
    with batch.file.open("rb") as handle:
        text = "".join(page_texts(handle.read()))
    assert broken.short_code not in text
    assert all(delivery.short_code in text for delivery in tehran_day if delivery != broken)


def test_a_batch_where_every_sheet_fails_is_marked_failed(coordinator, tehran_day, monkeypatch):
    def render(delivery, *, language="fa"):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(delivery_sheet, "delivery_sheet_document", render)
    batch = start(coordinator, province_code="tehran")
    assert batch.status == SheetBatchStatus.FAILED
    assert len(batch.failures) == 3 and not batch.file


def test_running_the_task_twice_changes_nothing(coordinator, tehran_day, monkeypatch):
    batch = start(coordinator, province_code="tehran")
    first_file, finished = batch.file.name, batch.finished_at
    calls = []
    monkeypatch.setattr(delivery_sheet, "delivery_sheet_document", lambda *args, **kwargs: calls.append(1))
    sheet_batch_render(batch.pk)
    batch.refresh_from_db()
    assert (batch.file.name, batch.finished_at, batch.done, batch.total) == (first_file, finished, 3, 3)
    assert calls == []


def test_the_batch_is_queued_after_commit_from_the_page_and_shows_progress_then_the_download(
    client_for, coordinator, tehran_day, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("sheets:batch-create"), {"planned_date": "۱۴۰۵/۰۹/۱۰", "province": ""})
    batch = SheetBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("sheets:batch-detail", args=[batch.pk])
    waiting = client.get(response["Location"])
    assert b'http-equiv="refresh"' in waiting.content and b"batch-progress" in waiting.content

    for callback in callbacks:
        callback()
    done = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in done.content
    assert reverse("sheets:batch-download", args=[batch.pk]).encode() in done.content
    download = client.get(reverse("sheets:batch-download", args=[batch.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert len(page_texts(b"".join(download.streaming_content))) == 3


def test_failures_are_listed_by_delivery_code_on_the_batch_page(client_for, coordinator, tehran_day):
    batch = SheetBatch.objects.create(
        created_by=coordinator,
        planned_date=DAY,
        status=SheetBatchStatus.DONE,
        total=3,
        done=2,
        failures=[{"code": tehran_day[0].code, "error": "boom"}],
    )
    page = client_for(coordinator).get(reverse("sheets:batch-detail", args=[batch.pk]))
    assert b"batch-failures" in page.content
    assert "boom" in page.content.decode()


def test_a_day_without_deliveries_is_refused_by_the_form(client_for, coordinator):
    response = client_for(coordinator).post(reverse("sheets:batch-create"), {"planned_date": "1405/09/10"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not SheetBatch.objects.exists()


def test_a_batch_and_its_file_are_only_for_their_requester(client_for, coordinator, other_coordinator, tehran_day):
    batch = start(coordinator, province_code="tehran")
    other = client_for(other_coordinator)
    assert other.get(reverse("sheets:batch-detail", args=[batch.pk])).status_code == 404
    assert other.get(reverse("sheets:batch-download", args=[batch.pk])).status_code == 404
    assert batch not in other.get(reverse("sheets:batch-list")).context["batches"]


def test_a_colleague_of_the_same_province_finds_the_batch_but_not_one_of_all_the_requesters_provinces(
    client_for, coordinator, tehran_day
):
    tehran_batch = start(coordinator, province_code="tehran")
    all_mine = start(coordinator)  # "all my provinces": sheets of provinces a colleague may not cover
    colleague = client_for(factories.CoordinatorFactory())

    assert colleague.get(reverse("sheets:batch-detail", args=[tehran_batch.pk])).status_code == 200
    assert list(colleague.get(reverse("sheets:batch-list")).context["batches"]) == [tehran_batch]
    assert colleague.get(reverse("sheets:batch-detail", args=[all_mine.pk])).status_code == 404


def test_another_provinces_batch_holds_none_of_her_sheets(other_coordinator, tehran_day):
    batch = start(other_coordinator)
    assert batch.total == 1  # the Isfahan delivery only


def test_the_delivery_sheet_page_is_scoped(client_for, coordinator, other_coordinator, tehran_day):
    delivery = tehran_day[0]
    url = reverse("sheets:delivery-sheet", args=[delivery.pk])
    response = client_for(coordinator).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{delivery.code}.pdf"' in response["Content-Disposition"]
    assert client_for(other_coordinator).get(url).status_code == 404


def test_health_center_staff_print_their_own_deliveries_only(client, tehran_day):
    delivery = tehran_day[0]
    staff = factories.HealthCenterStaffFactory(health_center=delivery.health_center)
    stranger = factories.HealthCenterStaffFactory()
    client.force_login(staff)
    assert client.get(reverse("sheets:delivery-sheet", args=[delivery.pk])).status_code == 200
    client.force_login(stranger)
    assert client.get(reverse("sheets:delivery-sheet", args=[delivery.pk])).status_code == 404


def test_workshop_owners_cannot_open_the_printing_desk(client_for, owner, tehran_day):
    client = client_for(owner)
    assert client.get(reverse("sheets:delivery-sheet", args=[tehran_day[0].pk])).status_code == 403
    assert client.get(reverse("sheets:batch-list")).status_code == 403
    assert client.get(reverse("sheets:batch-create")).status_code == 403
