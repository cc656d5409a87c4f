"""The daily notification jobs are in beat's schedule after migrate, in Tehran time, editable in the admin."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

pytestmark = pytest.mark.django_db

EXPECTED = {
    "Owners: evening output reminder": ("orders.notification_tasks.owner_daily_reminders", "19"),
    "Quotas due in 2 days and behind pace": ("orders.notification_tasks.quota_due_soon_alerts", "9"),
    "Coordinators: morning digest": ("donors.notification_tasks.coordinator_daily_digest", "8"),
}


def schedules():
    return {
        task.name: (task.task, task.crontab.hour)
        for task in PeriodicTask.objects.select_related("crontab").filter(name__in=EXPECTED)
    }


def test_the_daily_jobs_are_scheduled_in_tehran_time_after_migrate():
    assert schedules() == EXPECTED
    for task in PeriodicTask.objects.select_related("crontab").filter(name__in=EXPECTED):
        assert task.enabled
        assert str(task.crontab.timezone) == "Asia/Tehran"
        assert (task.crontab.minute, task.crontab.day_of_week) == ("0", "*")


def test_every_schedule_names_a_celery_task_that_exists():
    import donors.notification_tasks  # noqa: F401
    import production.notification_tasks  # noqa: F401
    from hamdeli.celery import app

    for task_name, _ in EXPECTED.values():
        assert task_name in app.tasks


def test_the_command_is_idempotent_and_recreates_a_deleted_schedule():
    crontabs = CrontabSchedule.objects.count()
    output = io.StringIO()
    call_command("notification_schedules", stdout=output)
    assert schedules() == EXPECTED and CrontabSchedule.objects.count() == crontabs
    # The three daily jobs, the ledger seal, the online payments' recheck, the SMS inbox poll, the outbox sweep.
    assert output.getvalue().count("already there") == 7

    PeriodicTask.objects.filter(name="Coordinators: morning digest").delete()
    call_command("notification_schedules", stdout=io.StringIO())
    assert schedules() == EXPECTED and PeriodicTask.objects.filter(name__in=EXPECTED).count() == 3


def test_the_command_keeps_a_time_changed_in_the_admin_unless_asked_to_reset():
    task = PeriodicTask.objects.get(name="Owners: evening output reminder")
    task.crontab = CrontabSchedule.objects.create(minute="30", hour="20", timezone="Asia/Tehran")
    task.save()
    call_command("notification_schedules", stdout=io.StringIO())
    assert PeriodicTask.objects.get(pk=task.pk).crontab.hour == "20"
    call_command("notification_schedules", "--reset", stdout=io.StringIO())
    assert PeriodicTask.objects.get(pk=task.pk).crontab.hour == "19"


def test_the_schedules_are_listed_in_the_admin(client):
    from tests import factories

    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True, role="coordinator", is_national=True))
    response = client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    assert response.status_code == 200
    for name in EXPECTED:
        assert name in response.text
