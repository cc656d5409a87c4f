"""Reads behind the pickup pages: what is in the user's provinces, and what is still to collect."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from core.models import User
from core.scoping import scope_by_province
from production.models import Quota
from workshops.models import Workshop

from ..models import Pickup
from ..services.collection import COLLECTABLE_STATUSES, collectors_in_scope


def _total(field: str):
    return Coalesce(Sum(f"lines__{field}"), Value(0), output_field=IntegerField())


def pickups_in_scope(user: User) -> QuerySet[Pickup]:
    """Pickups at workshops of the user's provinces, with their line totals."""
    pickups = Pickup.objects.select_related("workshop__province", "workshop__city", "recorded_by")
    return (
        scope_by_province(pickups, user, "workshop__province")
        .annotate(
            total_collected=_total("collected_units"),
            total_accepted=_total("accepted_units"),
            total_rejected=_total("rejected_units"),
            line_count=Count("lines"),
        )
        .order_by("-pickup_date", "-pk")
    )  # aggregates drop Meta.ordering; paging needs a stable order


def pickup_for_user(user: User, pk: int) -> Pickup:
    try:
        return pickups_in_scope(user).get(pk=pk)
    except Pickup.DoesNotExist:
        raise Http404 from None


def pickup_lines(pickup: Pickup):
    return pickup.lines.select_related("quota__order__product").order_by("id")


def collectable_quotas(workshop: Workshop) -> QuerySet[Quota]:
    """The workshop's quotas with produced units not yet collected: one row each on the pickup form."""
    return (
        Quota.objects.filter(
            workshop=workshop, status__in=COLLECTABLE_STATUSES, produced_units__gt=F("collected_units")
        )
        .select_related("order__product")
        .annotate(collectable=F("produced_units") - F("collected_units"))
        .order_by("due_date", "pk")
    )


def workshops_to_collect_from(user: User) -> QuerySet[Workshop]:
    """Workshops of the user's provinces holding produced units not yet collected, most waiting first."""
    waiting = Coalesce(
        Sum(
            F("quotas__produced_units") - F("quotas__collected_units"),
            filter=Q(quotas__status__in=COLLECTABLE_STATUSES),
        ),
        Value(0),
        output_field=IntegerField(),
    )
    workshops = scope_by_province(Workshop.objects.select_related("province", "city", "owner"), user)
    return workshops.annotate(collectable=waiting).filter(collectable__gt=0).order_by("-collectable", "name")


def workshop_to_collect_for_user(user: User, pk: int) -> Workshop:
    try:
        return scope_by_province(Workshop.objects.select_related("province", "city", "owner"), user).get(pk=pk)
    except Workshop.DoesNotExist:
        raise Http404 from None


def collector_in_scope(actor: User, pk: int) -> User | None:
    """One active collector with a province the coordinator covers (``collectors_in_scope``), or None."""
    return collectors_in_scope(actor).filter(pk=pk).first()
