"""Work whose worker died mid-task is not left "running" forever: the sweep queues it again after the time limit."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from core.task_claims import ClaimLost, claim, heartbeat
from core.tasks import outbox_flush
from fulfilment.models import SheetBatch, SheetBatchStatus
from production.models import AllocationRun, AllocationRunStatus
from production.services.allocation_runs import start_run
from production.tasks import run_allocation
from reports.models import ThematicReport, ThematicReportStatus
from reports.tasks import thematic_report_start

from .. import factories

LONG_AGO = dt.timedelta(minutes=32)  # the hard time limit is 30 minutes


def died_while_running(model, pk: int, *, running: str, claimed_ago: dt.timedelta) -> None:
    """As if a worker had claimed the row ``claimed_ago`` and then been killed."""
    model.objects.filter(pk=pk).update(status=running, claimed_at=timezone.now() - claimed_ago)


def test_an_allocation_run_whose_worker_died_is_run_again_after_the_time_limit(
    coordinator, django_capture_on_commit_callbacks
):
    order = factories.OrderFactory(quantity=100, status="open")
    factories.fund_order(order)
    factories.WorkshopCapacityFactory(units_per_day=50)
    run = start_run(user=coordinator, province_codes=[], dry_run=False)
    died_while_running(AllocationRun, run.pk, running=AllocationRunStatus.RUNNING, claimed_ago=dt.timedelta(0))

    run_allocation(run.pk)  # the broker hands the message to another worker at once: the fresh claim stands
    run.refresh_from_db()
    assert run.status == AllocationRunStatus.RUNNING

    AllocationRun.objects.filter(pk=run.pk).update(claimed_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        counts = outbox_flush()

    run.refresh_from_db()
    assert counts["requeued"] == 1
    assert run.status == AllocationRunStatus.DONE
    assert order.quotas.get().quantity == 100


def test_work_still_inside_its_time_limit_is_left_to_its_worker(coordinator, django_capture_on_commit_callbacks):
    report = ThematicReport.objects.create(
        created_by=coordinator, period_start=timezone.localdate(), period_end=timezone.localdate()
    )
    died_while_running(
        ThematicReport, report.pk, running=ThematicReportStatus.RUNNING, claimed_ago=dt.timedelta(minutes=20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = outbox_flush()

    report.refresh_from_db()
    assert counts["requeued"] == 0
    assert (report.status, report.pdf.name) == (ThematicReportStatus.RUNNING, "")


def test_a_sheet_batch_whose_worker_died_is_rendered_again(coordinator, django_capture_on_commit_callbacks):
    day = timezone.localdate() + dt.timedelta(days=2)
    factories.DeliveryLineFactory(delivery__planned_date=day, delivery__created_by=coordinator)
    batch = SheetBatch.objects.create(created_by=coordinator, planned_date=day, province_code="tehran")
    died_while_running(SheetBatch, batch.pk, running=SheetBatchStatus.RUNNING, claimed_ago=LONG_AGO)

    with django_capture_on_commit_callbacks(execute=True):
        outbox_flush()

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done) == (SheetBatchStatus.DONE, 1, 1)
    assert batch.file.name.endswith(".pdf")


def silent_for(seconds: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def a_batch_running(coordinator, *, heartbeat_ago: float) -> SheetBatch:
    """A batch of one sheet that a worker claimed ten minutes ago and last touched ``heartbeat_ago`` seconds ago."""
    day = timezone.localdate() + dt.timedelta(days=2)
    factories.DeliveryLineFactory(delivery__planned_date=day, delivery__created_by=coordinator)
    batch = SheetBatch.objects.create(created_by=coordinator, planned_date=day, province_code="tehran")
    SheetBatch.objects.filter(pk=batch.pk).update(
        status=SheetBatchStatus.RUNNING, claimed_at=silent_for(600), heartbeat_at=silent_for(heartbeat_ago)
    )
    return batch


def batch_page(client_for, coordinator, batch) -> str:
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    return client.get(reverse("sheets:batch-detail", args=[batch.pk])).content.decode()


def test_a_batch_whose_worker_stopped_beating_is_queued_again_within_minutes_and_its_page_says_restarting(
    client_for, coordinator, settings, django_capture_on_commit_callbacks
):
    batch = a_batch_running(coordinator, heartbeat_ago=settings.HAMDELI_TASK_HEARTBEAT_TIMEOUT + 30)
    assert "Restarting." in batch_page(client_for, coordinator, batch)  # before the sweep comes by

    with django_capture_on_commit_callbacks(execute=False) as handing_over:
        counts = outbox_flush()

    batch.refresh_from_db()
    assert counts["requeued"] == 1
    assert (batch.status, batch.restarts) == (SheetBatchStatus.QUEUED, 1)
    page = batch_page(client_for, coordinator, batch)
    assert "Restarting." in page
    assert "stopped before finishing" in page

    for hand_over in handing_over:  # the broker takes it and a worker renders the batch
        hand_over()
    batch.refresh_from_db()
    assert (batch.status, batch.done) == (SheetBatchStatus.DONE, 1)
    assert "Restarting." not in batch_page(client_for, coordinator, batch)


def test_a_batch_whose_worker_is_still_beating_is_left_to_it(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    batch = a_batch_running(coordinator, heartbeat_ago=30)

    with django_capture_on_commit_callbacks(execute=True):
        counts = outbox_flush()

    batch.refresh_from_db()
    assert (counts["requeued"], batch.status, batch.restarts) == (0, SheetBatchStatus.RUNNING, 0)
    page = batch_page(client_for, coordinator, batch)
    assert 'data-testid="batch-progress"' in page
    assert "Restarting." not in page


def test_a_worker_that_was_only_frozen_stops_once_its_work_was_queued_again(
    coordinator, settings, django_capture_on_commit_callbacks
):
    report = ThematicReport.objects.create(
        created_by=coordinator, period_start=timezone.localdate(), period_end=timezone.localdate()
    )
    claimed_at = claim(ThematicReport, report.pk, queued=ThematicReportStatus.QUEUED, running="running")
    ThematicReport.objects.filter(pk=report.pk).update(
        heartbeat_at=silent_for(settings.HAMDELI_TASK_HEARTBEAT_TIMEOUT + 30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox_flush()  # queued again, and made by the new delivery
    report.refresh_from_db()
    assert report.status == ThematicReportStatus.DONE

    with pytest.raises(ClaimLost):  # the frozen worker wakes up at its next step
        heartbeat(ThematicReport, report.pk, claimed_at=claimed_at, progress=50)
    report.refresh_from_db()
    assert (report.status, report.progress) == (ThematicReportStatus.DONE, 100)


def handed_over(report: ThematicReport, *, seconds_ago: float) -> None:
    """Its message reached the broker ``seconds_ago`` (and, as after a Redis restart, never got to a worker)."""
    when = silent_for(seconds_ago)
    OutboxMessage.objects.filter(args=[report.pk]).update(created_at=when, sent_at=when)


def report_page(client_for, coordinator, report) -> str:
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    return client.get(reverse("reports:thematic-detail", args=[report.pk])).content.decode()


def test_work_handed_to_the_broker_but_never_started_is_sent_again_after_the_deadline_and_its_page_says_delayed(
    client_for, coordinator, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # handed over, then lost inside Redis
        report = thematic_report_start(
            user=coordinator, province=None, period_start=timezone.localdate(), period_end=timezone.localdate()
        )
    handed_over(report, seconds_ago=settings.HAMDELI_TASK_START_DEADLINE + 60)
    page = report_page(client_for, coordinator, report)
    assert "Background work is delayed." in page
    assert "It is being sent again" in page

    with django_capture_on_commit_callbacks(execute=True):
        counts = outbox_flush()

    report.refresh_from_db()
    assert counts["resent"] == 1
    assert report.status == ThematicReportStatus.DONE
    assert OutboxMessage.objects.filter(object_key=f"reports.thematicreport:{report.pk}").count() == 2


def test_work_handed_over_a_minute_ago_is_left_to_wait_for_a_worker(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = thematic_report_start(
            user=coordinator, province=None, period_start=timezone.localdate(), period_end=timezone.localdate()
        )
    handed_over(report, seconds_ago=60)

    with django_capture_on_commit_callbacks(execute=True):
        counts = outbox_flush()

    report.refresh_from_db()
    assert (counts["resent"], report.status) == (0, ThematicReportStatus.QUEUED)
    assert "Background work is delayed." not in report_page(client_for, coordinator, report)


def test_the_outbox_flush_command_also_queues_again_a_batch_whose_worker_stopped_beating(
    client_for, coordinator, settings, django_capture_on_commit_callbacks
):
    batch = a_batch_running(coordinator, heartbeat_ago=settings.HAMDELI_TASK_HEARTBEAT_TIMEOUT + 30)
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("outbox_flush", stdout=output)

    batch.refresh_from_db()
    assert (batch.status, batch.restarts) == (SheetBatchStatus.DONE, 1)
    assert "queued again after a dead worker 1" in output.getvalue()
