"""A request sent again after a slow answer (Redis hung, the browser gave up) does not make the work twice."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.jalali import format_short
from core.models import OutboxMessage
from fulfilment.models import SheetBatch, SheetBatchStatus
from reports.models import ThematicReport, ThematicReportStatus

from .. import factories
from ..brokers import broker_at


@pytest.fixture
def broker_down():
    """Nothing listens on port 9: every hand-over fails and the work waits in the outbox."""
    with broker_at("redis://127.0.0.1:9/0"):
        yield


def report_form() -> dict:
    return {"province": factories.province("tehran").pk, "period_start": "۱۴۰۵/۰۸/۰۱", "period_end": "۱۴۰۵/۰۸/۳۰"}


def post_twice(client, url: str, data: dict, capture) -> list:
    responses = []
    for _ in range(2):
        with capture(execute=True):
            responses.append(client.post(url, data, follow=True))
    return responses


def test_a_report_request_sent_twice_while_the_first_waits_gives_the_same_report(
    client_for, coordinator, broker_down, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    url = reverse("reports:thematic-create")

    first, second = post_twice(client, url, {**report_form(), "language": "en"}, django_capture_on_commit_callbacks)

    report = ThematicReport.objects.get()
    assert (
        first.redirect_chain[-1][0]
        == second.redirect_chain[-1][0]
        == reverse("reports:thematic-detail", args=[report.pk])
    )
    assert "The same report is already being prepared" in second.content.decode()
    assert OutboxMessage.objects.count() == 1


def test_a_different_or_finished_report_is_a_new_request(
    client_for, coordinator, broker_down, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    url = reverse("reports:thematic-create")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**report_form(), "language": "en"})
        client.post(url, {**report_form(), "language": "fa"})  # another language: another report
    ThematicReport.objects.update(status=ThematicReportStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**report_form(), "language": "en"})  # asked again after it was made: made again

    assert ThematicReport.objects.count() == 3


def test_a_sheet_batch_request_sent_twice_while_the_first_waits_gives_the_same_batch(
    client_for, coordinator, broker_down, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    day = timezone.localdate() + dt.timedelta(days=1)
    factories.DeliveryLineFactory(delivery__planned_date=day, delivery__created_by=coordinator)

    first, second = post_twice(
        client,
        reverse("sheets:batch-create"),
        {"planned_date": format_short(day), "province": ""},
        django_capture_on_commit_callbacks,
    )

    batch = SheetBatch.objects.get()
    assert batch.status == SheetBatchStatus.QUEUED
    assert (
        first.redirect_chain[-1][0] == second.redirect_chain[-1][0] == reverse("sheets:batch-detail", args=[batch.pk])
    )
    assert "The same sheets are already being prepared" in second.content.decode()
    assert "Background work is delayed." in second.content.decode()
