"""The coordinators' morning digest: how many things wait for them in their provinces.

Lives in ``donors`` because it counts pledges, the highest layer it needs.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.models import Role, User
from core.notifications.schedules import DailySchedule
from core.scoping import scope_by_province
from crisis.selectors import provinces_in_crisis
from fulfilment.selectors.deliveries import disputed_deliveries
from production.models import Quota
from production.selectors.quotas import quotas_behind_pace
from workshops.selectors import workshops_waiting_for_verification

from .notifications import notify_coordinator_digest
from .selectors import pledges_waiting

SCHEDULES = (
    DailySchedule(
        name="Coordinators: morning digest",
        task="donors.notification_tasks.coordinator_daily_digest",
        hour=8,
        description="08:00 Tehran: counts of workshops, pledges, deliveries and quotas waiting for each coordinator.",
    ),
)


def coordinator_action_counts(coordinator: User, today: dt.date) -> dict[str, int]:
    """The coordinator's to-do list in numbers, within her provinces (all of them for a national coordinator).

    Each count is the selector that the home card, the dashboard and the list behind them read, so the digest
    never says a number her pages do not show.
    """
    quotas = scope_by_province(Quota.objects.all(), coordinator, "workshop__province")
    return {
        "workshops": workshops_waiting_for_verification(coordinator).count(),
        "pledges": pledges_waiting(coordinator).count(),
        "disputed": disputed_deliveries(coordinator).count(),
        "behind": len(quotas_behind_pace(quotas, today)),
    }


def coordinators_for_digest():
    return User.objects.filter(role=Role.COORDINATOR, is_active=True, reminders_opt_out=False).order_by("pk")


@shared_task(acks_late=True)
def coordinator_daily_digest() -> int:
    """08:00: one digest per coordinator with something waiting; nothing when her list is empty."""
    today = timezone.localdate()
    recorded = 0
    for coordinator in coordinators_for_digest():
        counts = coordinator_action_counts(coordinator, today)
        if not any(counts.values()):
            continue
        with transaction.atomic():
            crisis = provinces_in_crisis(coordinator, today)
            recorded += len(notify_coordinator_digest(coordinator, today, counts, crisis))
    return recorded
