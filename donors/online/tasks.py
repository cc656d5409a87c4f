"""The periodic check of online payments left pending (no callback came, or the bank timed out on verify)."""

from __future__ import annotations

from celery import shared_task

from core.notifications.schedules import DailySchedule

# Created by migrate (donors/migrations/0017) and by ``manage.py notification_schedules``.
SCHEDULES = (
    DailySchedule(
        name="Online giving: ask the bank about pending payments",
        task="donors.online.tasks.online_payments_recheck",
        hour="*",
        minute="*/10",
        description="Every 10 minutes: pending online payments are verified again, then paid, or expired after "
        "ONLINE_GIVING_EXPIRE_MINUTES.",
    ),
)


@shared_task(name="donors.online.tasks.online_payments_recheck")
def online_payments_recheck() -> dict[str, int]:
    from .selectors import payments_to_recheck
    from .services import payment_recheck

    counts: dict[str, int] = {}
    for payment in payments_to_recheck():
        status = payment_recheck(payment).status
        counts[status] = counts.get(status, 0) + 1
    return counts
