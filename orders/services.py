"""Write operations on orders. The orders issue adds funding, allocation and staleness."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import HealthCenter, Product, User
from core.sequences import next_number

from .models import Order, OrderPriority, OrderStatus

# The order lifecycle; anything not listed here is refused.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.REQUESTED: {OrderStatus.OPEN, OrderStatus.CANCELLED},
    OrderStatus.OPEN: {OrderStatus.FUNDED, OrderStatus.CANCELLED},
    OrderStatus.FUNDED: {OrderStatus.IN_PRODUCTION, OrderStatus.CANCELLED},
    OrderStatus.IN_PRODUCTION: {OrderStatus.DELIVERED, OrderStatus.CANCELLED},
    OrderStatus.DELIVERED: {OrderStatus.CLOSED},
    OrderStatus.CLOSED: set(),
    OrderStatus.CANCELLED: set(),
}


@transaction.atomic
def order_create(
    *,
    health_center: HealthCenter,
    product: Product,
    quantity: int,
    needed_by: dt.date,
    created_by: User,
    priority: OrderPriority | str = OrderPriority.NORMAL,
    note: str = "",
) -> Order:
    """Record a health center's need; it starts as ``requested`` with a fresh ``ORD-<year>-<n>`` number."""
    order = Order(
        health_center=health_center,
        product=product,
        quantity=quantity,
        needed_by=needed_by,
        priority=OrderPriority(priority),
        note=note,
        created_by=created_by,
    )
    order.full_clean(exclude=["number"])
    order.number = next_number("ORD")
    order.save()
    log_action(
        actor=created_by,
        obj=order,
        action="order.create",
        changes={"quantity": [None, quantity], "status": [None, order.status]},
    )
    return order


@transaction.atomic
def order_set_status(*, order: Order, status: OrderStatus | str, actor: User, reason: str = "") -> Order:
    """Move an order along its lifecycle; cancelling requires a reason."""
    status = OrderStatus(status)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if status not in ALLOWED_TRANSITIONS[order.status]:
        raise ValidationError(
            _("An order cannot go from %(old)s to %(new)s.") % {"old": order.get_status_display(), "new": status.label}
        )
    if status == OrderStatus.CANCELLED and not reason.strip():
        raise ValidationError(_("Give a reason for cancelling the order."))
    old = order.status
    order.status = status
    order.save(update_fields=["status"])
    log_action(actor=actor, obj=order, action="order.status", changes={"status": [old, status.value]}, note=reason)
    return order
