"""(Re)create the beat schedules of the daily notifications; safe to run any number of times."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask, PeriodicTasks

from core.notifications.schedules import ensure_daily_schedules
from core.outbox import FLUSH_SCHEDULE_NAME, ensure_flush_schedule
from production.notification_tasks import SCHEDULES as ORDER_SCHEDULES

from ...ledger.tasks import SCHEDULES as LEDGER_SCHEDULES
from ...notification_tasks import SCHEDULES as DONOR_SCHEDULES
from ...online.tasks import SCHEDULES as ONLINE_SCHEDULES


class Command(BaseCommand):
    help = (
        "Create the missing periodic tasks of the daily notifications (owner reminders, due-soon alerts, "
        "coordinator digest) and the ledger's nightly seal, in Tehran time, and the every-minute outbox sweep. "
        "Existing ones keep their admin edits unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Put existing schedules back to their defaults.")

    def handle(self, *args, reset=False, **options):
        schedules = ORDER_SCHEDULES + DONOR_SCHEDULES + LEDGER_SCHEDULES + ONLINE_SCHEDULES + _upper_room_schedules()
        touched = ensure_daily_schedules(
            schedules,
            crontab_model=CrontabSchedule,
            periodic_task_model=PeriodicTask,
            periodic_tasks_model=PeriodicTasks,
            reset=reset,
        )
        for schedule in schedules:
            state = ("reset" if reset else "created") if schedule.name in touched else "already there"
            self.stdout.write(f"{schedule.name} ({_when(schedule)} Tehran): {state}")
        created = ensure_flush_schedule(
            interval_model=IntervalSchedule, periodic_task_model=PeriodicTask, periodic_tasks_model=PeriodicTasks
        )
        self.stdout.write(f"{FLUSH_SCHEDULE_NAME} (every minute): {'created' if created else 'already there'}")


def _upper_room_schedules() -> tuple:
    """Schedules of rooms above this one (the SMS inbox poll), named on their AppConfig as ``beat_schedules``."""
    found = ()
    for config in apps.get_app_configs():
        if path := getattr(config, "beat_schedules", ""):
            found += tuple(import_string(path))
    return found


def _when(schedule) -> str:
    """``00:40`` for a daily job, the crontab fields (``* */10``) for a repeating one."""
    if isinstance(schedule.hour, int) and isinstance(schedule.minute, int):
        return f"{schedule.hour:02d}:{schedule.minute:02d}"
    return f"hour {schedule.hour}, minute {schedule.minute}"
