"""Beat reads the SMS gateway's inbox every minute (a no-op without SMS_GATEWAY_INBOX_URL)."""

from django.db import migrations

from core.notifications.schedules import DailySchedule, ensure_daily_schedules

# Written out, not imported from sms_commands.tasks, so this migration keeps meaning what it meant.
SCHEDULES = (
    DailySchedule(
        name="SMS: read the gateway's inbox",
        task="sms_commands.tasks.inbox_poll",
        hour="*",
        minute="*",
        description="Every minute: messages kept in the gateway's inbox are read and done once each "
        "(SMS_GATEWAY_INBOX_URL; without it the task does nothing).",
    ),
)


def create_schedule(apps, schema_editor):
    ensure_daily_schedules(
        SCHEDULES,
        crontab_model=apps.get_model("django_celery_beat", "CrontabSchedule"),
        periodic_task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
        periodic_tasks_model=apps.get_model("django_celery_beat", "PeriodicTasks"),
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULES[0].name).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sms_commands", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
