"""Notifications about production sent by tasks: an allocation run's offers, the evening reminder, due-soon alerts.

An allocation run queues ``quota_offers_notify`` in its own transaction (one
outbox message for the whole run); once the run commits, that one task records
every owner's message and queues their sending in bulk, outside the run's
transaction and its locks. Beat runs the other two daily (rows made by migration
``0009_notification_schedules`` and ``manage.py notification_schedules``).
Running any of them twice sends nothing new: every message has a per-run,
per-day or per-quota dedupe key.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from core.models import Role, User
from core.notifications.schedules import DailySchedule
from core.outbox import enqueue
from workshops.models import WorkshopStatus

from .models import OutputReport, Quota, QuotaStatus
from .notifications import notify_output_reminder, notify_quota_due_soon, notify_quotas_offered
from .selectors.quotas import quota_progress

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


QUOTAS_PER_QUERY = 2000


def id_ranges(ids: Iterable[int]) -> str:
    """``"4-2987,2990"``: a run's quota ids in a few characters (one INSERT gives them consecutive ids)."""
    spans: list[list[int]] = []
    for pk in sorted(set(ids)):
        if spans and pk == spans[-1][1] + 1:
            spans[-1][1] = pk
        else:
            spans.append([pk, pk])
    return ",".join(str(first) if first == last else f"{first}-{last}" for first, last in spans)


# An announcement handed over longer ago than this is no longer rescued (its offers are old news by then).
RESCUE_WINDOW = dt.timedelta(days=1)
# Enough of a run's first quotas to find one of its messages: each owner's message names her first quota.
PROBE_QUOTAS = 200


def resend_lost_offer_announcements(handed_over_before: dt.datetime) -> int:
    """Send again a run's announcement that reached the broker long ago and never ran (Redis lost it).

    The task leaves no queued row to sweep, so its trace is what it writes: a run
    none of whose first quotas has a ``quota.offered`` message was never
    announced. The task is idempotent (dedupe keys), so a slow first delivery
    that runs after all costs nothing but a query.
    """
    from django.contrib.contenttypes.models import ContentType

    from core.models import Notification, OutboxMessage

    newest: dict[str, dt.datetime | None] = {}
    for args, sent_at in (
        OutboxMessage.objects.filter(task_name=quota_offers_notify.name, created_at__gte=timezone.now() - RESCUE_WINDOW)
        .order_by("created_at", "pk")
        .values_list("args", "sent_at")
    ):
        newest[args[0]] = sent_at  # oldest first: the last (a resend, say) wins
    quota_type = ContentType.objects.get_for_model(Quota)
    resent = 0
    for quota_ids, sent_at in newest.items():
        if sent_at is None or sent_at >= handed_over_before:
            continue  # not handed over yet (the outbox sweep sends it), or may still be waiting in the queue
        probe = ids_from_ranges(quota_ids)[:PROBE_QUOTAS]
        announced = Notification.objects.filter(
            event="quota.offered", content_type=quota_type, object_id__in=[str(pk) for pk in probe]
        )
        if announced.exists() or not Quota.objects.filter(pk__in=probe).exists():
            continue
        with transaction.atomic():
            enqueue(quota_offers_notify, quota_ids, robust=True)
        logger.warning(
            "allocation offers %s: announced to the broker at %s but never ran; sent again", quota_ids, sent_at
        )
        resent += 1
    return resent


def ids_from_ranges(text: str) -> list[int]:
    ids: list[int] = []
    for span in filter(None, text.split(",")):
        first, _, last = span.partition("-")
        ids.extend(range(int(first), int(last or first) + 1))
    return ids


def queue_offer_notifications(quotas: list[Quota]) -> None:
    """Inside an allocation run's transaction: one outbox message that tells all the run's owners after it commits.

    It rolls back with the run (nothing is recorded or sent), and a broker outage
    leaves it in the outbox for the sweep, like any other task.
    """
    if quotas:
        enqueue(quota_offers_notify, id_ranges(quota.pk for quota in quotas), robust=True)


# Named as before the split of orders, so queued tasks and beat schedules still find it.
@shared_task(name="orders.notification_tasks.quota_offers_notify", acks_late=True)
def quota_offers_notify(quota_ids: str) -> int:
    """After an allocation run commits: one message per owner for all its offers, recorded and queued in bulk.

    Every quota of the run counts, whatever happened to it since: the dedupe keys
    then come out the same on a second delivery of this task, which records nothing.
    Returns how many messages were recorded now.
    """
    ids = ids_from_ranges(quota_ids)
    quotas: list[Quota] = []
    for start in range(0, len(ids), QUOTAS_PER_QUERY):
        quotas.extend(
            Quota.objects.filter(pk__in=ids[start : start + QUOTAS_PER_QUERY])
            .select_related("order__product", "workshop__owner")
            .order_by("pk")
        )
    with transaction.atomic():
        return len(notify_quotas_offered(quotas))


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


# Named as before the split of orders, so queued tasks and beat schedules still find it.
@shared_task(name="orders.notification_tasks.owner_daily_reminders", acks_late=True)
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


# Named as before the split of orders, so queued tasks and beat schedules still find it.
@shared_task(name="orders.notification_tasks.quota_due_soon_alerts", acks_late=True)
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
