"""Scheduled notifications about production: the owners' evening reminder and the due-soon alerts.

Beat runs them daily (rows made by migration ``0009_notification_schedules`` and
``manage.py notification_schedules``). Running one twice on a day sends nothing
new: every message has a per-day or per-quota dedupe key.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from core.models import Role, User
from core.notifications.schedules import DailySchedule
from workshops.models import WorkshopStatus

from .models import OutputReport, Quota, QuotaStatus
from .notifications import notify_output_reminder, notify_quota_due_soon
from .quota_selectors import quota_progress

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 2

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


def unfinished_quotas() -> QuerySet[Quota]:
    return Quota.objects.filter(status=QuotaStatus.ACCEPTED, produced_units__lt=F("quantity") - F("released_units"))


def owners_to_remind(day: dt.date) -> QuerySet[User]:
    """Owners of a verified workshop with an accepted, unfinished quota, no output report for ``day``, not opted out."""
    reported = OutputReport.objects.filter(report_date=day, quota__workshop__owner=OuterRef("pk"))
    active = unfinished_quotas().filter(workshop__owner=OuterRef("pk"))
    return (
        User.objects.filter(
            role=Role.WORKSHOP_OWNER,
            is_active=True,
            reminders_opt_out=False,
            workshop__status=WorkshopStatus.VERIFIED,
        )
        .filter(Exists(active))
        .exclude(Exists(reported))
        .select_related("workshop")
        .prefetch_related("workshop__unavailable_ranges")
        .order_by("pk")
    )


@shared_task(acks_late=True)
def owner_daily_reminders() -> int:
    """19:00: remind owners who have not reported today (not on their days off); returns messages recorded."""
    today = timezone.localdate()
    recorded = 0
    for owner in owners_to_remind(today):
        if not owner.workshop.work_calendar().is_working_day(today):
            continue
        with transaction.atomic():
            recorded += len(notify_output_reminder(owner, today))
    return recorded


@shared_task(acks_late=True)
def quota_due_soon_alerts() -> int:
    """Quotas due in two days and behind pace: the owner and the coordinators hear once per quota.

    Returns how many quotas are behind (a second run on the same day finds them again but sends nothing).
    """
    today = timezone.localdate()
    quotas = (
        unfinished_quotas()
        .filter(due_date=today + dt.timedelta(days=DUE_SOON_DAYS))
        .select_related("order", "workshop__owner")
        .prefetch_related("workshop__unavailable_ranges")
        .order_by("pk")
    )
    alerted = 0
    for quota in quotas:
        if quota_progress(quota, today).behind:
            with transaction.atomic():
                notify_quota_due_soon(quota)
            alerted += 1
    return alerted
