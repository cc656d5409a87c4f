"""How much of an order reached the health center, read from the deliveries' confirmations.

Three figures per order:

- *on deliveries*: units on deliveries that are not cancelled (sent or about to be);
- *received* and *rejected*: what the receivers counted and refused on the
  deliveries they answered (confirmed or disputed);
- *delivered*: received less rejected — what the health center actually
  accepted. The order is fully delivered when this reaches its quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from orders.models import Order
from production.models import Quota

from ..models import Delivery, DeliveryLine, DeliveryStatus

# Deliveries whose receiver has answered: their received/rejected figures are final.
ANSWERED_STATUSES = (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED)


@dataclass(frozen=True)
class DeliveryProgress:
    quantity: int
    on_deliveries: int
    received: int
    rejected: int

    @property
    def delivered(self) -> int:
        """Accepted by the health center: received less rejected on answered deliveries."""
        return self.received - self.rejected

    @property
    def is_fully_delivered(self) -> bool:
        return self.delivered >= self.quantity

    @property
    def is_partly_delivered(self) -> bool:
        return 0 < self.delivered < self.quantity

    @property
    def percent(self) -> int:
        return min(100, self.delivered * 100 // self.quantity) if self.quantity else 0


def _order_lines(order: Order) -> QuerySet[DeliveryLine]:
    return DeliveryLine.objects.filter(quota__order=order)


def delivered_units_of(order: Order) -> int:
    """Units of ``order`` the receivers accepted (received less rejected on confirmed or disputed deliveries)."""
    totals = (
        _order_lines(order)
        .filter(delivery__status__in=ANSWERED_STATUSES)
        .aggregate(received=Coalesce(Sum("received_units"), 0), rejected=Coalesce(Sum("rejected_units"), 0))
    )
    return totals["received"] - totals["rejected"]


def order_delivery_progress(order: Order) -> DeliveryProgress:
    lines = _order_lines(order)
    on_deliveries = lines.exclude(delivery__status=DeliveryStatus.CANCELLED).aggregate(total=Coalesce(Sum("units"), 0))[
        "total"
    ]
    answered = lines.filter(delivery__status__in=ANSWERED_STATUSES).aggregate(
        received=Coalesce(Sum("received_units"), 0), rejected=Coalesce(Sum("rejected_units"), 0)
    )
    return DeliveryProgress(
        quantity=order.quantity,
        on_deliveries=on_deliveries,
        received=answered["received"],
        rejected=answered["rejected"],
    )


def order_deliveries(order: Order) -> list[Delivery]:
    """The deliveries carrying units of ``order`` (newest first), each with ``order_units``: this order's part."""
    deliveries = (
        Delivery.objects.filter(lines__quota__order=order)
        .annotate(order_units=Sum("lines__units"))
        .order_by("-planned_date", "-id")
    )
    return list(deliveries)


def order_page_deliveries(order: Order, allocated_units: int) -> dict:
    """The order page's part from fulfilment (registered with ``orders.selectors`` by ``fulfilment.apps``): the
    delivery progress, and the deliveries each with the link a coordinator and a health center's staff follow."""
    deliveries = order_deliveries(order)
    for delivery in deliveries:
        delivery.coordinator_url = reverse("deliveries:detail", kwargs={"pk": delivery.pk})
        delivery.center_url = reverse("receiving:center-confirm", kwargs={"pk": delivery.pk})
    return {"delivery_progress": order_delivery_progress(order), "deliveries": deliveries}


def _per_order_sum(expression, which: Q) -> Coalesce:
    lines = DeliveryLine.objects.filter(which, quota__order=OuterRef("pk"))
    total = lines.order_by().values("quota__order").annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def with_delivered_units(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Annotate orders with ``on_delivery_units`` and ``delivered_units`` (received less rejected).

    Subqueries rather than joins, so the sums stay right next to other
    annotations (``with_funding``) on the same list.
    """
    answered = Q(delivery__status__in=ANSWERED_STATUSES)
    return queryset.annotate(
        on_delivery_units=_per_order_sum(F("units"), ~Q(delivery__status=DeliveryStatus.CANCELLED)),
        delivered_units=_per_order_sum(F("received_units") - F("rejected_units"), answered),
    )


def quota_delivery_lines(quota: Quota) -> QuerySet[DeliveryLine]:
    """The delivery lines of ``quota`` on deliveries that are not cancelled, oldest first, for traces.

    Each line has its delivery (code, date, status, health center) loaded; on
    an answered delivery ``received_units - rejected_units`` is what reached
    the health center.
    """
    return (
        DeliveryLine.objects.filter(quota=quota)
        .exclude(delivery__status=DeliveryStatus.CANCELLED)
        .select_related("delivery", "delivery__health_center")
        .order_by("delivery__planned_date", "delivery__id")
    )
