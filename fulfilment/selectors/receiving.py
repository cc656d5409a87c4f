"""Reads behind the receiver's pages: the delivery a link or a code opens, its lines, a center's deliveries."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from ..models import Delivery, DeliveryLine


def delivery_to_answer(pk: int) -> Delivery:
    """The delivery a signed link names, with its health center (the page shows where it went)."""
    return Delivery.objects.select_related("health_center").get(pk=pk)


def delivery_with_short_code(code: str) -> Delivery | None:
    """The delivery whose sheet prints ``code``, or None."""
    return Delivery.objects.filter(short_code=code).first()


def lines_to_answer(delivery: Delivery) -> list[DeliveryLine]:
    """The delivery's lines in the order the sheet prints them, with each one's product."""
    return list(delivery.lines.select_related("quota__order__product").order_by("id"))


def center_deliveries(health_center_id: int | None) -> QuerySet[Delivery]:
    """Every delivery to the staff's own health center; another center's is simply not in it (404)."""
    return Delivery.objects.filter(health_center_id=health_center_id)


def center_delivery_list(health_center_id: int | None) -> QuerySet[Delivery]:
    """The center's deliveries for its list, newest first, with ``total_units``."""
    return (
        center_deliveries(health_center_id).annotate(total_units=Sum("lines__units")).order_by("-planned_date", "-id")
    )


def center_delivery_to_answer(health_center_id: int | None) -> QuerySet[Delivery]:
    """The center's deliveries as the in-app confirmation page opens one (with the health center)."""
    return center_deliveries(health_center_id).select_related("health_center")
