"""The daily notification jobs as django-celery-beat rows, created idempotently.

Used by the data migrations of the apps that own the jobs (with historical
models) and by ``manage.py notification_schedules`` (with the real ones). Rows
are found by name: an existing row keeps whatever a coordinator changed in the
admin (time, enabled) unless ``reset`` is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

SCHEDULE_TIMEZONE = "Asia/Tehran"


@dataclass(frozen=True)
class DailySchedule:
    name: str  # the PeriodicTask's unique name, shown in the admin
    task: str  # the Celery task's registered name
    hour: int | str  # or a crontab field such as "*" (every hour)
    minute: int | str = 0  # or "*/10" (every ten minutes)
    description: str = ""


def ensure_daily_schedules(
    schedules, *, crontab_model, periodic_task_model, periodic_tasks_model=None, reset: bool = False
) -> list[str]:
    """Create the missing PeriodicTasks (and their Tehran-time crontabs); return the names created or reset."""
    touched = []
    for schedule in schedules:
        crontab, _ = crontab_model.objects.get_or_create(
            minute=str(schedule.minute),
            hour=str(schedule.hour),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=SCHEDULE_TIMEZONE,
        )
        defaults = {"task": schedule.task, "crontab": crontab, "description": schedule.description, "enabled": True}
        task, created = periodic_task_model.objects.get_or_create(name=schedule.name, defaults=defaults)
        if created:
            touched.append(schedule.name)
        elif reset:
            for field, value in defaults.items():
                setattr(task, field, value)
            task.interval = task.solar = task.clocked = None
            task.save()
            touched.append(schedule.name)
    if touched and periodic_tasks_model is not None:
        # Tell a running beat to reload (the model's save signal does this only for the real model, not in migrations).
        periodic_tasks_model.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return touched
