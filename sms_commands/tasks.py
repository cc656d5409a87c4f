from __future__ import annotations

from celery import shared_task


@shared_task(name="sms_commands.tasks.inbox_poll")
def inbox_poll() -> dict[str, int]:
    """The gateway's inbox read once, for a django-celery-beat schedule where the gateway cannot post to us."""
    from .inbox import inbox_poll as poll

    return poll()
