"""Work whose worker died mid-task is not left "running" forever: the sweep queues it again after the time limit."""

import datetime as dt

from django.utils import timezone

from core.tasks import outbox_flush
from orders.allocation_views import start_run
from orders.models import AllocationRun, AllocationRunStatus, SheetBatch, SheetBatchStatus
from orders.tasks import run_allocation
from reports.models import ThematicReport, ThematicReportStatus

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
