from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from core.models import Province
from core.scoping import scope_by_province

from .models import Workshop, WorkshopStatus, WorkshopUnavailability


def workshop_of_owner(user) -> Workshop | None:
    """The workshop a workshop owner runs, with capacities, or None before she registers one."""
    return (
        Workshop.objects.select_related("province", "city")
        .prefetch_related("capacities__product")
        .filter(owner=user)
        .first()
    )


def workshops_in_scope(user) -> QuerySet[Workshop]:
    return scope_by_province(Workshop.objects.select_related("province", "city"), user)


def verified_workshops(user) -> QuerySet[Workshop]:
    """The coordinator's workshops that may receive quotas (verified, not pending nor suspended)."""
    return workshops_in_scope(user).filter(status=WorkshopStatus.VERIFIED)


def workshops_waiting_for_verification(user, province: Province | None = None) -> QuerySet[Workshop]:
    """Registered workshops a coordinator has not verified yet (status pending), in her provinces.

    The one definition behind every count of them: the home card, the dashboard's action list, the 08:00
    digest and the workshop list filtered to "pending" all show these rows. Suspended workshops are not
    waiting for verification (they were verified, then stopped). ``province``: the dashboard's filter.
    """
    workshops = workshops_in_scope(user).filter(status=WorkshopStatus.PENDING)
    if province is not None:
        workshops = workshops.filter(province=province)
    return workshops


def days_off_of(workshop: Workshop) -> QuerySet[WorkshopUnavailability]:
    """The workshop's closed periods; another workshop's are simply not in it (404 when the owner removes one)."""
    return WorkshopUnavailability.objects.filter(workshop=workshop)


def days_off_from(workshop: Workshop, today: dt.date) -> QuerySet[WorkshopUnavailability]:
    """The workshop's current and future closed periods, soonest first (the owner's days-off page)."""
    return days_off_of(workshop).filter(end_date__gte=today).order_by("start_date", "pk")
