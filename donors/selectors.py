from __future__ import annotations

from django.db.models import Q, QuerySet

from core.models import Province
from core.permissions import user_can
from core.scoping import sees_all_provinces

from .models import Pledge, PledgeStatus


def pledges_of_user(user) -> QuerySet[Pledge]:
    return Pledge.objects.select_related("order__product", "order__health_center", "campaign", "receipt").filter(
        donor__user=user
    )


def pledges_in_scope(user) -> QuerySet[Pledge]:
    """Pledges to orders of the coordinator's provinces, and every campaign pledge.

    Campaigns are not bound to a province, so every coordinator sees (and may
    confirm) their pledges; national coordinators and superusers see everything.
    """
    pledges = Pledge.objects.select_related("donor__user", "order__health_center__province", "campaign")
    if sees_all_provinces(user):
        return pledges
    if not user_can(user, "manage_donations"):  # past the line above: a provincial coordinator
        return pledges.none()
    return pledges.filter(Q(order__health_center__province__in=user.provinces.values("pk")) | Q(campaign__isnull=False))


def pledges_waiting(user, province: Province | None = None) -> QuerySet[Pledge]:
    """Pledges waiting for this coordinator's confirmation: the one definition behind every count of them.

    The pledge list, the home card, the dashboard's action list and the 08:00 digest all read this.
    With ``province`` (the dashboard's province filter) only that province's order pledges remain:
    campaigns have no province.
    """
    pledges = pledges_in_scope(user).filter(status=PledgeStatus.PLEDGED)
    if province is not None:
        pledges = pledges.filter(order__health_center__province=province)
    return pledges
