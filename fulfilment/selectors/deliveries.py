"""Reads behind the delivery desk: what is ready to deliver, the deliveries a coordinator sees, one delivery."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from core.audit import HistoryEntry, audit_history, field_labeller, value_reader
from core.models import HealthCenter, Province
from core.scoping import scope_by_province
from core.selectors import health_centers_in_scope
from production.models import Quota

from ..models import Delivery, DeliveryLine, DeliveryStatus
from .receiving import center_deliveries

DELIVERABLE = ExpressionWrapper(F("accepted_units") - F("delivered_units"), output_field=IntegerField())


def deliverable_quotas(health_center: HealthCenter) -> QuerySet[Quota]:
    """Quotas of ``health_center``'s orders with accepted units not yet on a delivery (``deliverable_units``)."""
    return (
        Quota.objects.filter(order__health_center=health_center)
        .annotate(deliverable_units=DELIVERABLE)
        .filter(deliverable_units__gt=0)
        .select_related("order__product", "workshop__city")
        .order_by("order__number", "pk")
    )


def ready_health_centers(user) -> QuerySet[HealthCenter]:
    """Health centers in the user's scope with accepted-undelivered units: ``ready_units``, ``ready_orders``."""
    ready = Q(orders__quotas__accepted_units__gt=F("orders__quotas__delivered_units"))
    return (
        health_centers_in_scope(user)
        .annotate(
            ready_units=Coalesce(
                Sum(
                    F("orders__quotas__accepted_units") - F("orders__quotas__delivered_units"),
                    filter=ready,
                    output_field=IntegerField(),
                ),
                0,
            ),
            ready_orders=Count("orders", filter=ready, distinct=True),
        )
        .filter(ready_units__gt=0)
        .order_by("province__name_fa", "name")
    )


def deliveries_in_scope(user) -> QuerySet[Delivery]:
    return scope_by_province(
        Delivery.objects.select_related("health_center__province", "health_center__city"),
        user,
        field="health_center__province",
    )


def disputed_deliveries(user, province: Province | None = None) -> QuerySet[Delivery]:
    """Deliveries the receiver disputed, waiting for the coordinator: the one definition behind every count of them.

    The home card, the dashboard's action list, the 08:00 digest and the delivery list filtered to "disputed"
    (what the card's link opens) all show these rows. ``province``: the dashboard's province filter.
    """
    deliveries = deliveries_in_scope(user).filter(status=DeliveryStatus.DISPUTED)
    if province is not None:
        deliveries = deliveries.filter(health_center__province=province)
    return deliveries


# A health center can answer a delivery once it is on its way: a planned one (its sheet printed the day before)
# has not left yet, and ``fulfilment.services.receiving`` refuses to confirm it.
CENTER_CAN_CONFIRM_STATUSES = (DeliveryStatus.DISPATCHED, DeliveryStatus.DELIVERED)


def deliveries_to_confirm(health_center_id: int | None) -> QuerySet[Delivery]:
    """Deliveries waiting for the health center's confirmation: those its staff can confirm *now*.

    Dispatched or marked delivered, not yet answered. Planned deliveries are not in it (the staff cannot
    act on them until they leave), nor confirmed, disputed or cancelled ones. The staff's home card counts
    these, and each of them is a delivery the receiving pages let her confirm.
    """
    return center_deliveries(health_center_id).filter(status__in=CENTER_CAN_CONFIRM_STATUSES)


def delivery_planned_with(submission_key) -> Delivery | None:
    """The delivery a form with ``submission_key`` already planned (a double tap or a resend), or None."""
    return Delivery.objects.filter(submission_key=submission_key).first()


def _per_delivery(aggregate) -> Coalesce:
    lines = DeliveryLine.objects.filter(delivery=OuterRef("pk")).order_by().values("delivery")
    return Coalesce(Subquery(lines.annotate(result=aggregate).values("result"), output_field=IntegerField()), 0)


def delivery_list(user) -> QuerySet[Delivery]:
    """The user's deliveries with ``total_units`` and ``line_count`` (no query per row).

    Correlated subqueries rather than a join and GROUP BY: the page's count
    then needs no join, and PostgreSQL adds up the lines of the page's 25 rows
    only (unless the list is sorted by one of the totals).
    """
    totals = deliveries_in_scope(user).annotate(
        total_units=_per_delivery(Sum("units")), line_count=_per_delivery(Count("pk"))
    )
    return totals.order_by("-planned_date", "-pk")  # the paginator needs a stable order


def delivery_for_user(user, pk: int) -> Delivery:
    """One delivery the user may see; ``Delivery.DoesNotExist`` outside her scope (404 in the view)."""
    return deliveries_in_scope(user).select_related("created_by").get(pk=pk)


def delivery_lines(delivery: Delivery) -> list[DeliveryLine]:
    lines = delivery.lines.select_related("quota__order__product", "quota__workshop__city")
    return list(lines.order_by("quota__order__number", "pk"))


@dataclass(frozen=True)
class LineTotals:
    units: int
    received: int | None
    rejected: int | None


def line_totals(lines: list[DeliveryLine]) -> LineTotals:
    confirmed = lines and all(line.received_units is not None for line in lines)
    return LineTotals(
        units=sum(line.units for line in lines),
        received=sum(line.received_units for line in lines) if confirmed else None,
        rejected=sum(line.rejected_units or 0 for line in lines) if confirmed else None,
    )


def is_confirmed(delivery: Delivery) -> bool:
    return delivery.status in (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED)


# --- Audit trail --------------------------------------------------------------------------------------------

ACTION_LABELS = {
    "delivery.created": gettext_lazy("Planned"),
    "delivery.updated": gettext_lazy("Details changed"),
    "delivery.dispatched": gettext_lazy("Dispatched"),
    "delivery.delivered": gettext_lazy("Marked delivered"),
    "delivery.confirmed": gettext_lazy("Confirmed by the receiver"),
    "delivery.disputed": gettext_lazy("Disputed by the receiver"),
    "delivery.cancelled": gettext_lazy("Cancelled"),
}

EXTRA_LABELS = {"units": gettext_lazy("Units")}


def delivery_history(delivery: Delivery, limit: int = 50) -> list[HistoryEntry]:
    return audit_history(
        delivery,
        action_labels=ACTION_LABELS,
        label=field_labeller(Delivery, EXTRA_LABELS),
        readable=value_reader(statuses=DeliveryStatus, date_fields=["planned_date"]),
        limit=limit,
    )
