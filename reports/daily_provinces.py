"""The province a raw row's daily figures are keyed by, read for ``reports.daily_tracking``'s marks: the related
objects the service already loaded first, else one small query. None: the row is not found (any more), and the
caller recomputes whole days instead."""

from __future__ import annotations

from core.models import HealthCenter
from fulfilment.models import Delivery, Pickup
from orders.models import Order
from production.models import Quota
from workshops.models import Workshop


def center_province(center_id: int | None) -> int | None:
    return HealthCenter.objects.filter(pk=center_id).values_list("province", flat=True).first()


def workshop_province(workshop_id: int | None) -> int | None:
    return Workshop.objects.filter(pk=workshop_id).values_list("province", flat=True).first()


def order_province(order: Order) -> int | None:
    if Order.health_center.is_cached(order):
        return order.health_center.province_id
    return center_province(order.health_center_id)


def orders_provinces(orders: list) -> set[int | None]:
    """The provinces of the health centers of ``orders`` (instances or ids)."""
    provinces = {order_province(order) for order in orders if isinstance(order, Order)}
    ids = {order for order in orders if not isinstance(order, Order)}
    found = dict(Order.objects.filter(pk__in=ids).values_list("pk", "health_center__province")) if ids else {}
    return provinces | {found.get(pk) for pk in ids}


def quota_order_province(quota: Quota) -> int | None:
    """Its order's health center's province (the key of its allocated units)."""
    return orders_provinces([quota.order if Quota.order.is_cached(quota) else quota.order_id]).pop()


def quota_workshop(quota_id: int | None, quota: Quota | None = None) -> tuple[int | None, int | None]:
    """The quota's workshop and its province (the key of its output)."""
    if quota is not None and Quota.workshop.is_cached(quota):
        return quota.workshop_id, quota.workshop.province_id
    found = Quota.objects.filter(pk=quota_id).values_list("workshop", "workshop__province").first()
    return found or (None, None)


def delivery_province(delivery: Delivery) -> int | None:
    if Delivery.health_center.is_cached(delivery):
        return delivery.health_center.province_id
    return center_province(delivery.health_center_id)


def pickup_province(pickup: Pickup) -> int | None:
    if Pickup.workshop.is_cached(pickup):
        return pickup.workshop.province_id
    return workshop_province(pickup.workshop_id)
