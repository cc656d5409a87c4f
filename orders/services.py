"""Write operations on orders: creation, approval, the lifecycle, confirmed funds, extending and cancelling.

Every function is keyword-only, runs in one transaction, locks the order row
(``select_for_update``) before reading what it checks, and writes the audit
trail (``core.audit.log_action``). Coordinators act only on orders of their
provinces (``PermissionDenied`` otherwise; views turn an out-of-scope order
into 404 before getting here).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import change_status, log_action
from core.bounds import check_order_value
from core.models import HealthCenter, Product, User
from core.permissions import is_health_center_scoped, user_can
from core.scoping import scope_by_province
from core.sequences import next_number
from core.validators import required_reason
from orders import funding

from . import open_work
from .models import Order, OrderPriority, OrderStatus
from .models.orders import UNFULFILLED_STATUSES

# The order lifecycle; anything not listed here is refused. The single source of truth for status changes:
# - requested -> open: a coordinator approves a health center's request (or cancels it: "reject");
# - open -> funded: the first confirmed money in the donors' ledger (``order_mark_funded_if_needed``);
# - funded -> in production: the first accepted quota (``order_mark_in_production_if_needed``);
# - in production -> delivered -> closed: the deliveries feature, then the coordinator closes it;
# - any state that is not final -> cancelled, with a reason.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.REQUESTED: {OrderStatus.OPEN, OrderStatus.CANCELLED},
    OrderStatus.OPEN: {OrderStatus.FUNDED, OrderStatus.CANCELLED},
    OrderStatus.FUNDED: {OrderStatus.IN_PRODUCTION, OrderStatus.CANCELLED},
    OrderStatus.IN_PRODUCTION: {OrderStatus.DELIVERED, OrderStatus.CANCELLED},
    OrderStatus.DELIVERED: {OrderStatus.CLOSED, OrderStatus.CANCELLED},
    OrderStatus.CLOSED: set(),
    OrderStatus.CANCELLED: set(),
}

# Money can reach an order once a coordinator has approved it and until it is closed or cancelled.
FUNDABLE_STATUSES = (OrderStatus.OPEN, OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION, OrderStatus.DELIVERED)


def can_transition(order: Order, status: OrderStatus | str) -> bool:
    return OrderStatus(status) in ALLOWED_TRANSITIONS[order.status]


def delivery_lead_days() -> int:
    """Days between a quota's due date and the order's needed-by date (``HAMDELI_DELIVERY_LEAD_DAYS``)."""
    return getattr(settings, "HAMDELI_DELIVERY_LEAD_DAYS", 2)


def _is_coordinator(user: User | None) -> bool:
    return user_can(user, "manage_orders")


def _check_coordinator_scope(order: Order, actor: User | None) -> None:
    """Only a coordinator of the order's province (or a national one) may act; ``None`` is the system."""
    if actor is None:
        return
    if not _is_coordinator(actor):
        raise PermissionDenied
    in_scope = scope_by_province(Order.objects.filter(pk=order.pk), actor, field="health_center__province")
    if not in_scope.exists():
        raise PermissionDenied


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("product", "health_center").get(pk=order.pk)


def _refuse_transition(order: Order, status: OrderStatus) -> ValidationError:
    return ValidationError(
        _("An order cannot go from %(old)s to %(new)s.") % {"old": order.get_status_display(), "new": status.label}
    )


def _move(order: Order, status: OrderStatus, actor: User | None, note: str = "", action: str = "order.status") -> None:
    """Change the (locked) order's status after checking ``ALLOWED_TRANSITIONS``; audited."""
    if status not in ALLOWED_TRANSITIONS[order.status]:
        raise _refuse_transition(order, status)
    change_status(order, status, actor=actor, action=action, note=note)


# --- Creation and approval ----------------------------------------------------------------------------------


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
    status: OrderStatus | str | None = None,
) -> Order:
    """Record a health center's need with a fresh ``ORD-<Jalali year>-<n>`` number.

    A coordinator creates orders for health centers of her provinces; they
    start ``open`` (visible for funding). Health-center staff create orders for
    their own center; they start ``requested`` until a coordinator approves
    them. ``status`` may force ``requested`` or ``open`` (demo data, imports).
    The unit cost, and so the budget, is fixed now.
    """
    if is_health_center_scoped(created_by):
        if health_center.pk != created_by.health_center_id:
            raise PermissionDenied
        initial = OrderStatus.REQUESTED
    elif _is_coordinator(created_by):
        if not scope_by_province(HealthCenter.objects.filter(pk=health_center.pk), created_by).exists():
            raise PermissionDenied
        initial = OrderStatus.OPEN
    else:
        raise PermissionDenied
    if status is not None:
        initial = OrderStatus(status)
        if initial not in (OrderStatus.REQUESTED, OrderStatus.OPEN):
            raise ValidationError(_("A new order starts as requested or open."))
    if not health_center.is_active:
        raise ValidationError({"health_center": _("This health center is not active.")})
    if not product.is_active:
        raise ValidationError({"product": _("This product is not offered any more.")})
    order = Order(
        health_center=health_center,
        product=product,
        quantity=quantity,
        needed_by=needed_by,
        priority=OrderPriority(priority),
        status=initial,
        note=note,
        created_by=created_by,
        unit_cost_rials=product.unit_cost_rials,
    )
    order.full_clean(exclude=["number"])
    check_order_value(quantity=quantity, unit_cost_rials=product.unit_cost_rials)
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
def order_approve(*, order: Order, actor: User) -> Order:
    """A coordinator accepts a health center's request: requested -> open (visible for funding)."""
    _check_coordinator_scope(order, actor)
    order = _locked(order)
    if order.status != OrderStatus.REQUESTED:
        raise ValidationError(
            _("Only a requested order can be approved; this one is %(status)s.")
            % {"status": order.get_status_display()}
        )
    _move(order, OrderStatus.OPEN, actor, action="order.approve")
    return order


@transaction.atomic
def order_reject(*, order: Order, actor: User, reason: str) -> Order:
    """A coordinator turns a health center's request down: requested -> cancelled, with a reason."""
    _check_coordinator_scope(order, actor)
    if _locked(order).status != OrderStatus.REQUESTED:
        raise ValidationError(_("Only a requested order can be rejected; cancel it instead."))
    return order_cancel(order=order, actor=actor, reason=reason)


# --- Lifecycle ----------------------------------------------------------------------------------------------


@transaction.atomic
def order_set_status(*, order: Order, status: OrderStatus | str, actor: User | None, reason: str = "") -> Order:
    """Move an order along ``ALLOWED_TRANSITIONS``; cancelling requires a reason and cancels its open quotas.

    The pages use the named services (approve, funds, close, cancel); this one
    is for walking the lifecycle directly (demo data, later features).
    """
    status = OrderStatus(status)
    if status == OrderStatus.CANCELLED:
        return order_cancel(order=order, actor=actor, reason=reason)
    _check_coordinator_scope(order, actor)
    order = _locked(order)
    _move(order, status, actor, note=reason)
    return order


@transaction.atomic
def order_close(*, order: Order, actor: User, note: str = "") -> Order:
    """A coordinator closes a delivered order: delivered -> closed."""
    _check_coordinator_scope(order, actor)
    order = _locked(order)
    if order.status != OrderStatus.DELIVERED:
        raise ValidationError(_("Only a delivered order can be closed."))
    _move(order, OrderStatus.CLOSED, actor, note=note, action="order.close")
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor: User | None, reason: str) -> Order:
    """Cancel an order that is not closed or cancelled yet, saying why; its open quotas follow.

    Offered quotas, and accepted quotas not fully produced, become cancelled
    with the same reason. Produced units stay on the quota: the workshop keeps
    the credit for what it made. Fully produced quotas are left as they are.
    """
    reason = required_reason(reason, _("Give a reason for cancelling the order."))
    _check_coordinator_scope(order, actor)
    order = _locked(order)
    if OrderStatus.CANCELLED not in ALLOWED_TRANSITIONS[order.status]:
        raise _refuse_transition(order, OrderStatus.CANCELLED)
    cancelled = open_work.cancel_open_work(order, actor, reason)  # production's quotas (quotas_cancel_with_order)
    old_status = order.status
    order.status = OrderStatus.CANCELLED
    order.save(update_fields=["status"])
    changes = {"status": [old_status, order.status]}
    if cancelled:
        changes["quotas_cancelled"] = [None, cancelled]
    log_action(actor=actor, obj=order, action="order.cancel", changes=changes, note=reason)
    return order


@transaction.atomic
def order_mark_in_production_if_needed(order: Order, *, actor: User | None = None) -> Order:
    """funded -> in production once the order has an accepted quota; otherwise nothing changes.

    Called by the quota services when an owner accepts a quota (the owner is
    the ``actor``), so no coordinator scope is checked here.
    """
    order = _locked(order)
    if order.status != OrderStatus.FUNDED:
        return order
    if not open_work.is_being_made(order):
        return order
    _move(order, OrderStatus.IN_PRODUCTION, actor, action="order.in_production")
    return order


# --- Funds --------------------------------------------------------------------------------------------------


@transaction.atomic
def order_mark_funded_if_needed(order: Order, *, actor: User | None = None) -> Order:
    """open -> funded once confirmed money has reached the order; otherwise nothing changes.

    Called by the donors' services right after they write a ledger entry that
    brings money to the order (a confirmed pledge, campaign money applied,
    funds moved in), inside the same transaction.
    """
    order = _locked(order)
    if order.status == OrderStatus.OPEN and funding.confirmed_funds_rials(order) > 0:
        _move(order, OrderStatus.FUNDED, actor, action="order.funded")
    return order


# --- Stale demand -------------------------------------------------------------------------------------------


@transaction.atomic
def order_extend(*, order: Order, needed_by: dt.date, actor: User, reason: str) -> Order:
    """Give an order that is still waiting for goods a later needed-by date; its open quotas follow.

    The new date must be after today and after the current one. Open quotas
    (offered, or accepted and not fully produced) get the due date
    ``needed_by - HAMDELI_DELIVERY_LEAD_DAYS`` (never before today), each
    change audited on the quota.
    """
    reason = required_reason(reason, _("Give a reason for extending the order."))
    _check_coordinator_scope(order, actor)
    order = _locked(order)
    if order.status not in UNFULFILLED_STATUSES:
        raise ValidationError(_("A %(status)s order cannot be extended.") % {"status": order.get_status_display()})
    today = timezone.localdate()
    if needed_by <= today:
        raise ValidationError({"needed_by": _("The new date must be in the future.")})
    if needed_by <= order.needed_by:
        raise ValidationError({"needed_by": _("The new date must be later than the current needed-by date.")})
    due_date = max(needed_by - dt.timedelta(days=delivery_lead_days()), today)
    moved = open_work.move_open_work(order, due_date, actor, reason)  # production's quotas (quotas_follow_order)
    old = order.needed_by
    order.needed_by = needed_by
    order.save(update_fields=["needed_by"])
    changes = {"needed_by": [old, needed_by]}
    if moved:
        changes["quotas_moved"] = [None, moved]
    log_action(actor=actor, obj=order, action="order.extend", changes=changes, note=reason)
    return order
