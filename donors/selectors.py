from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import BigIntegerField, Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Province
from core.permissions import user_can
from core.scoping import sees_all_provinces

from .ledger.models import LedgerEntry
from .ledger.selectors import campaign_received_expression
from .models import Campaign, Donor, Pledge, PledgeStatus


def pledges_of_user(user) -> QuerySet[Pledge]:
    return Pledge.objects.select_related("order__product", "order__health_center", "campaign", "receipt").filter(
        donor__user=user
    )


def pledge_sent_with(user, submission_key: uuid.UUID) -> Pledge | None:
    """The donor's pledge a form with ``submission_key`` already made (a double tap or a resend), or None."""
    return Pledge.objects.filter(donor__user=user, submission_key=submission_key).first()


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


def pledge_entries(pledge: Pledge) -> QuerySet[LedgerEntry]:
    """The ledger entries of one pledge, oldest first, with who wrote each (the pledge page)."""
    return LedgerEntry.objects.filter(pledge=pledge).select_related("created_by").order_by("created_at")


# --- Campaigns ------------------------------------------------------------------------------------------------


def running_campaigns(today: dt.date | None = None) -> QuerySet[Campaign]:
    """Campaigns open for pledges today, the one ending soonest first (the board and the pledge pages)."""
    today = today or timezone.localdate()
    return Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on", "pk")


def running_campaigns_with_received() -> list[Campaign]:
    """``running_campaigns`` with ``received`` (``ledger.campaign_received``) read in the same query."""
    return list(running_campaigns().annotate(received=campaign_received_expression()))


def campaigns_newest_first() -> list[Campaign]:
    return list(Campaign.objects.order_by("-starts_on", "-id"))


def campaign_by_pk(pk: int) -> Campaign:
    """Any campaign (campaigns are not bound to a province); ``Campaign.DoesNotExist`` otherwise (404)."""
    return Campaign.objects.get(pk=pk)


def campaign_pledges(campaign: Campaign, limit: int = 50):
    """The campaign's newest pledges with their donors (its page lists ``limit`` of them)."""
    return campaign.pledges.select_related("donor__user").order_by("-created_at", "-id")[:limit]


def campaign_applications(campaign: Campaign) -> QuerySet[LedgerEntry]:
    """The campaign's money applied to orders, oldest first: the entries with the order and who applied it."""
    return (
        LedgerEntry.objects.filter(from_campaign=campaign)
        .select_related("to_order", "created_by")
        .order_by("created_at")
    )


# --- Donors ---------------------------------------------------------------------------------------------------


def _donor_sum(side: str) -> Coalesce:
    totals = (
        LedgerEntry.objects.filter(**{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(total=Sum("amount_rials"))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


def donor_list() -> QuerySet[Donor]:
    """Every donor with ``given_rials`` (``ledger.donor_given``: given net of refunds) and ``pledge_count``."""
    return (
        Donor.objects.select_related("user")
        .annotate(
            given_rials=_donor_sum("from_donor") - _donor_sum("to_donor"),
            pledge_count=Count("pledges", distinct=True),
        )
        .order_by("user__full_name", "pk")
    )
