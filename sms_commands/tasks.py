from __future__ import annotations

from celery import shared_task

from core.notifications.schedules import DailySchedule

# Created by migrate (sms_commands/migrations/0002) and by ``manage.py notification_schedules``, which finds
# them through SmsCommandsConfig.beat_schedules (that command lives in a lower room and may not import this one).
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


@shared_task(name="sms_commands.tasks.inbox_poll")
def inbox_poll() -> dict[str, int]:
    """The gateway's inbox read once, for a django-celery-beat schedule where the gateway cannot post to us."""
    from .inbox import inbox_poll as poll

    return poll()
