"""Verified workshops that have waited two weeks without a single offer: the coordinator should look at them.

A workshop counts when it is verified, has been verified (and registered)
for at least ``IDLE_DAYS`` days, and no quota was offered to it in those
days. "Verified since" is read from the audit log (the last status change),
since the workshop row keeps only its current status.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from core.models import AuditLog
from workshops.models import Workshop, WorkshopStatus

from .models import Quota

IDLE_DAYS = 14


def without_offers(workshops: QuerySet[Workshop], *, days: int = IDLE_DAYS, now: dt.datetime | None = None):
    """``workshops`` narrowed to the verified ones with no offer in the last ``days`` days, verified before them."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    recent_offer = Quota.objects.filter(workshop=OuterRef("pk"), offered_at__gte=since)
    recent_status = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Workshop),
        object_id=Cast(OuterRef("pk"), CharField()),
        action="workshop.status",
        created_at__gte=since,
    )
    return workshops.filter(status=WorkshopStatus.VERIFIED, created_at__lt=since).exclude(
        Exists(recent_offer) | Exists(recent_status)
    )
