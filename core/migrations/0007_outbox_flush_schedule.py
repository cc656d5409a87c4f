"""Beat runs ``outbox_flush`` every minute, so work queued while Redis was down is sent once it is back."""

from django.db import migrations

SCHEDULE_NAME = "Background work: send what waited for the broker"


def create_schedule(apps, schema_editor):
    from core.outbox import ensure_flush_schedule

    ensure_flush_schedule(
        interval_model=apps.get_model("django_celery_beat", "IntervalSchedule"),
        periodic_task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
        periodic_tasks_model=apps.get_model("django_celery_beat", "PeriodicTasks"),
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
