"""Beat schedule of the coordinators' morning digest (donors.notification_tasks), in Tehran time.

The schedule is written out here, not imported, so this migration keeps
meaning what it meant when it was written.
"""

from django.db import migrations

from core.notifications.schedules import DailySchedule, ensure_daily_schedules

SCHEDULES = (
    DailySchedule(
        name="Coordinators: morning digest",
        task="donors.notification_tasks.coordinator_daily_digest",
        hour=8,
        description="08:00 Tehran: counts of workshops, pledges, deliveries and quotas waiting for each coordinator.",
    ),
)


def create_schedules(apps, schema_editor):
    ensure_daily_schedules(
        SCHEDULES,
        crontab_model=apps.get_model("django_celery_beat", "CrontabSchedule"),
        periodic_task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
        periodic_tasks_model=apps.get_model("django_celery_beat", "PeriodicTasks"),
    )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[schedule.name for schedule in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0006_payout_batches"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
