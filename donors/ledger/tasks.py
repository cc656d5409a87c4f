"""The nightly seal of the ledger's past days (``donors.ledger.seals``)."""

from __future__ import annotations

from celery import shared_task

from core.notifications.schedules import DailySchedule

from .seals import ledger_seal_days as seal

# Created with the daily notifications' schedules by ``manage.py notification_schedules``.
SCHEDULES = (
    DailySchedule(
        name="Ledger: seal yesterday",
        task="donors.ledger.tasks.ledger_seal_days",
        hour=0,
        minute=40,
        description="00:40 Tehran: fingerprints the past days' ledger entries, each day chained to the one before.",
    ),
)


@shared_task(name="donors.ledger.tasks.ledger_seal_days", acks_late=True)
def ledger_seal_days() -> int:
    return seal()
