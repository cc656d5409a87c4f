"""Background work goes through the outbox: a broker outage delays it, never loses it, never breaks the page."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import FLUSH_SCHEDULE_NAME, flush, work_delayed
from hamdeli.celery import app
from reports.models import ThematicReport, ThematicReportStatus
from reports.tasks import thematic_report_generate, thematic_report_start

from .. import factories
from ..brokers import broker_at

# Nothing listens on port 9 (discard) here: connecting is refused at once, like a stopped Redis.
UNREACHABLE_BROKER = "redis://127.0.0.1:9/0"


@pytest.fixture
def broker_down():
    """Tasks go to a real (non-eager) broker that is not running, as in production with Redis stopped."""
    with broker_at(UNREACHABLE_BROKER):
        yield


def request_report(user) -> ThematicReport:
    today = timezone.localdate()
    return thematic_report_start(
        user=user, province=factories.province("tehran"), period_start=today - dt.timedelta(days=30), period_end=today
    )


def test_without_a_broker_the_queued_work_runs_at_once_and_is_marked_sent(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(coordinator)

    report.refresh_from_db()
    assert report.status == ThematicReportStatus.DONE
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args) == ("reports.tasks.thematic_report_generate", [report.pk])
    assert message.sent_at is not None
    assert not work_delayed(report)


def test_work_requested_in_a_transaction_that_rolls_back_is_never_sent(coordinator, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        request_report(coordinator)
        raise RuntimeError("the page failed after requesting the report")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert not ThematicReport.objects.exists()


def test_with_the_broker_down_the_request_is_saved_and_its_task_waits_in_the_outbox(
    coordinator, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(coordinator)

    report.refresh_from_db()
    assert report.status == ThematicReportStatus.QUEUED
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error
    assert work_delayed(report)


def test_the_report_page_tells_the_coordinator_that_background_work_is_delayed(
    client_for, coordinator, broker_down, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:thematic-create"),
            {
                "province": factories.province("tehran").pk,
                "period_start": (today - dt.timedelta(days=30)).isoformat(),
                "period_end": today.isoformat(),
                "language": "en",
            },
        )

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Background work is delayed." in page
    assert "will start by itself" in page


def test_a_page_whose_work_reached_the_queue_shows_no_delay_notice(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(coordinator)
    report.status = ThematicReportStatus.RUNNING  # as if the worker were still busy with it
    report.save(update_fields=["status"])

    page = client_for(coordinator).get(reverse("reports:thematic-detail", args=[report.pk])).content.decode()

    assert 'data-testid="thematic-progress"' in page
    assert 'data-testid="work-delayed"' not in page


def test_the_sweep_leaves_the_work_waiting_while_the_broker_is_still_down(
    coordinator, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_report(coordinator)

    counts = flush(grace=dt.timedelta(0))

    assert (counts["sent"], counts["waiting"]) == (0, 1)
    assert OutboxMessage.objects.get().attempts == 2
    with pytest.raises(CommandError, match="still waiting"):
        call_command("outbox_flush")


def test_the_sweep_sends_the_waiting_work_once_the_broker_is_back(
    coordinator, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(coordinator)
    app.conf.task_always_eager = True  # the broker is back (an eager app stands in for it here)

    counts = flush(grace=dt.timedelta(0))

    assert (counts["sent"], counts["waiting"]) == (1, 0)
    report.refresh_from_db()
    assert report.status == ThematicReportStatus.DONE
    assert not work_delayed(report)


def test_the_sweep_does_not_resend_work_a_request_is_still_handing_over(
    coordinator, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_report(coordinator)

    assert flush()["sent"] == 0  # younger than the grace period: its own request may still be sending it
    assert OutboxMessage.objects.get().attempts == 1


def test_a_task_delivered_twice_by_the_sweep_makes_the_report_once(
    coordinator, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(coordinator)
    app.conf.task_always_eager = True
    flush(grace=dt.timedelta(0))
    report.refresh_from_db()
    first_file = report.pdf.name

    thematic_report_generate(report.pk)  # the broker hands the same message over again

    report.refresh_from_db()
    assert report.pdf.name == first_file


def test_old_sent_messages_are_deleted_and_waiting_ones_are_kept(coordinator):
    old = timezone.now() - dt.timedelta(days=8)
    # A notification that no longer exists: sending it is harmless and does nothing.
    sent = OutboxMessage.objects.create(task_name="core.tasks.notification_send", args=[0])
    waiting = OutboxMessage.objects.create(task_name="core.tasks.notification_send", args=[0])
    OutboxMessage.objects.filter(pk=sent.pk).update(created_at=old, sent_at=old)
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=old)
    app.conf.task_always_eager, saved = True, app.conf.task_always_eager
    try:
        counts = flush()
    finally:
        app.conf.task_always_eager = saved

    assert counts["pruned"] == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert OutboxMessage.objects.get().sent_at is not None  # the old waiting one was sent by this sweep


def test_beat_runs_the_sweep_every_minute(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name=FLUSH_SCHEDULE_NAME)
    assert task.task == "core.tasks.outbox_flush"
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (60, "seconds")


def test_a_notification_waits_in_the_outbox_when_the_broker_is_down(
    owner, broker_down, django_capture_on_commit_callbacks
):
    from core.models import Notification, NotificationStatus
    from core.notifications import notify

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(recipient=owner, event="test", text="سلام", dedupe_key="outbox-test")

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.QUEUED
    assert work_delayed(notification)
    assert Notification.objects.count() == 1


def test_coordinators_see_a_banner_on_every_page_while_work_has_waited_over_a_minute(
    client_for, coordinator, owner, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        request_report(coordinator)
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    assert "has not been reachable since" not in client.get(reverse("home")).content.decode()  # just queued

    # Five minutes pass (the clock moves, not the rows: the banner keeps the oldest waiting message in the cache).
    five_minutes_later = timezone.now() + dt.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: five_minutes_later)

    assert "Background work is delayed: the job queue has not been reachable since" in (
        client.get(reverse("orders:list")).content.decode()
    )
    owner_page = client_for(owner).get(reverse("home")).content.decode()
    assert 'data-testid="background-delayed"' not in owner_page  # owners are not bothered with it


def test_the_banner_is_read_once_and_costs_coordinators_no_query_on_the_next_pages(
    client_for, coordinator, django_assert_num_queries
):
    from core.outbox import oldest_waiting

    OutboxMessage.objects.create(task_name="core.tasks.outbox_flush", args=[])
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert oldest_waiting() is not None  # read from the rows, then kept
    with django_assert_num_queries(0):
        assert oldest_waiting() is not None


def test_a_hand_over_that_fails_after_the_banner_was_read_shows_the_banner_without_waiting_for_the_cache(
    client_for, coordinator, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    assert "has not been reachable since" not in client.get(reverse("home")).content.decode()  # nothing waits: kept
    with django_capture_on_commit_callbacks(execute=True):
        request_report(coordinator)  # the broker is down: the message waits, and the kept "nothing waits" is dropped
    five_minutes_later = timezone.now() + dt.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: five_minutes_later)

    assert "Background work is delayed" in client.get(reverse("home")).content.decode()


def test_the_banner_goes_away_on_the_next_page_once_the_waiting_work_is_sent(
    client_for, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from core.outbox import send

    message = OutboxMessage.objects.create(task_name="core.tasks.outbox_flush", args=[])
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    assert "Background work is delayed" in client.get(reverse("home")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        send(message.pk)  # eager here: marked sent, then run

    assert "Background work is delayed" not in client.get(reverse("home")).content.decode()
