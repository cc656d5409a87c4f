"""Beat schedule of the production notifications (orders.notification_tasks), in Tehran time.

The schedules are written out here, not imported, so this migration keeps
meaning what it meant when it was written.
"""

from django.db import migrations

from core.notifications.schedules import DailySchedule, ensure_daily_schedules

SCHEDULES = (
    DailySchedule(
        name="Owners: evening output reminder",
        task="orders.notification_tasks.owner_daily_reminders",
        hour=19,
        description="19:00 Tehran: owners with an active quota who have not reported today's output.",
    ),
    DailySchedule(
        name="Quotas due in 2 days and behind pace",
        task="orders.notification_tasks.quota_due_soon_alerts",
        hour=9,
        description="09:00 Tehran: tells the owner and the province's coordinators.",
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
        ("orders", "0008_delivery_submission_key"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
