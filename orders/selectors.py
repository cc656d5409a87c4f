"""Reads behind the order pages: who sees which orders, staleness, the parts other rooms add, and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.audit import HistoryEntry, audit_history, field_labeller, value_reader
from core.permissions import is_health_center_scoped
from core.scoping import scope_by_province

from .funding import with_unit_totals
from .models import Order, OrderStatus
from .models.orders import UNFULFILLED_STATUSES
from .urgency import with_urgency

HISTORY_LIMIT = 50


def orders_in_scope(user) -> QuerySet[Order]:
    return scope_by_province(
        Order.objects.select_related("health_center", "product"), user, field="health_center__province"
    )


def orders_in_scope_with_status(user, *statuses: str) -> QuerySet[Order]:
    """The coordinator's orders in one of ``statuses`` (the home page counts requested, open and active ones)."""
    return orders_in_scope(user).filter(status__in=statuses)


def orders_of_health_center(health_center_id: int) -> QuerySet[Order]:
    return Order.objects.select_related("product").filter(health_center_id=health_center_id)


def is_health_center_staff(user) -> bool:
    return is_health_center_scoped(user)


def orders_for_user(user) -> QuerySet[Order]:
    """Coordinators: orders of their provinces' health centers; staff: their own center's; anyone else: none."""
    if is_health_center_staff(user):
        return Order.objects.select_related("health_center", "product").filter(health_center_id=user.health_center_id)
    return orders_in_scope(user)


# --- Stale demand -------------------------------------------------------------------------------------------


def stale_condition(today: dt.date | None = None) -> Q:
    """Needed-by date passed while still waiting for goods (not delivered, closed or cancelled)."""
    today = today or timezone.localdate()
    return Q(needed_by__lt=today, status__in=UNFULFILLED_STATUSES)


def stale_orders(queryset: QuerySet[Order], today: dt.date | None = None) -> QuerySet[Order]:
    return queryset.filter(stale_condition(today))


def is_stale(order: Order, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return order.needed_by < today and order.status in UNFULFILLED_STATUSES


def with_stale_flag(queryset: QuerySet[Order], today: dt.date | None = None) -> QuerySet[Order]:
    return queryset.annotate(
        stale=Case(When(stale_condition(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def order_list(user, today: dt.date | None = None) -> QuerySet[Order]:
    """The user's orders ready for the list: ``allocated``, ``produced``, ``stale`` and the urgency (crisis severity
    included, ``orders.urgency``) annotated, no query per row."""
    orders = with_unit_totals(orders_for_user(user).select_related("health_center__province"))
    return with_urgency(with_stale_flag(orders, today), today)


def order_for_user(user, pk: int) -> Order:
    """One order the user may see; ``Order.DoesNotExist`` outside her scope (the view turns it into 404)."""
    return with_unit_totals(orders_for_user(user).select_related("health_center__province", "created_by")).get(pk=pk)


# --- Parts of the order page from the rooms above ----------------------------------------------------------

# The order page also shows the order's quotas (production) and deliveries (fulfilment), which orders may not
# import: each of those rooms registers a reader of its part when Django starts (its AppConfig.ready). A part takes
# the order and its allocated units and returns entries of the page's context.
OrderPagePart = Callable[[Order, int], dict[str, Any]]
_order_page_parts: list[OrderPagePart] = []


def register_order_page_part(part: OrderPagePart) -> None:
    if part not in _order_page_parts:
        _order_page_parts.append(part)


def order_page_parts(order: Order, allocated_units: int) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _order_page_parts:
        context.update(part(order, allocated_units))
    return context


# --- Audit trail --------------------------------------------------------------------------------------------

ACTION_LABELS = {
    "order.create": gettext_lazy("Created"),
    "order.approve": gettext_lazy("Approved"),
    "order.status": gettext_lazy("Status changed"),
    "order.funds": gettext_lazy("Confirmed funds recorded"),
    "order.funded": gettext_lazy("Funded"),
    "order.in_production": gettext_lazy("Production started"),
    "order.extend": gettext_lazy("Needed-by date extended"),
    "order.cancel": gettext_lazy("Cancelled"),
    "order.close": gettext_lazy("Closed"),
}

EXTRA_LABELS = {
    "quotas_cancelled": gettext_lazy("Open quotas cancelled"),
    "quotas_moved": gettext_lazy("Open quotas given a new due date"),
}


def order_history(order: Order, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The order's audit-log entries, newest first, in words and values a person can read."""
    return audit_history(
        order,
        action_labels=ACTION_LABELS,
        label=field_labeller(Order, EXTRA_LABELS),
        readable=value_reader(statuses=OrderStatus, date_fields=["needed_by"]),
        limit=limit,
    )
