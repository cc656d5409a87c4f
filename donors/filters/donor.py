"""The public funding board: orders that still need money, with their gap computed as pledging computes it."""

from __future__ import annotations

import functools

import django_filters
from django.db.models import BigIntegerField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from core.filters_base import ModelChoiceFilter
from core.forms import LocalizedIntegerField
from core.models import Product, Province
from core.widgets import FastSelect
from orders.models import Order, OrderPriority, OrderStatus
from orders.urgency import MOST_URGENT_FIRST, with_urgency

from ..ledger.selectors import order_applied_funds_expression
from ..models import Pledge, PledgeStatus

BOARD_STATUSES = (OrderStatus.OPEN, OrderStatus.FUNDED)  # the statuses pledge_create accepts


def with_open_gap(queryset):
    """Annotate ``gap``: the SQL twin of ``donors.services.pledges.order_open_gap_rials``.

    budget − funds in the ledger − pledges not yet received, never below zero; the
    board therefore offers exactly what ``pledge_create`` will accept. The units a
    gap pays for are ``gap_units`` below, worked out on the rows shown only.
    """
    waiting = (
        Pledge.objects.filter(order=OuterRef("pk"), status=PledgeStatus.PLEDGED)
        .order_by()
        .values("order")
        .annotate(total=Sum("amount_rials"))
        .values("total")
    )
    waiting_total = Coalesce(
        Subquery(waiting, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField()
    )
    budget = F("quantity") * F("unit_cost_rials")
    return queryset.annotate(
        gap=Greatest(
            budget - order_applied_funds_expression() - waiting_total, Value(0), output_field=BigIntegerField()
        )
    )


def gap_units(order: Order) -> int:
    """Whole units the order's ``gap`` pays for (what ``gap / unit cost`` truncated gave in SQL; the gap is ≥ 0)."""
    return order.gap // order.unit_cost_rials


@functools.cache
def _board_orders() -> QuerySet[Order]:
    # Resolving the gap's three subqueries costs about as much as running the query, so it is done once per
    # process; callers get a fresh clone each time (like a view's class-level ``queryset``). Nothing here depends
    # on the request or the day; the urgency (the day's crisis severity) is added per call.
    return with_open_gap(
        Order.objects.filter(status__in=BOARD_STATUSES).select_related("product", "health_center__province")
    ).filter(gap__gt=0)


def board_orders() -> QuerySet[Order]:
    """Open and funded orders with money still missing, most urgent first (priority and severity: orders.urgency)."""
    return with_urgency(_board_orders().all()).order_by(*MOST_URGENT_FIRST)


class RialFilter(django_filters.NumberFilter):
    field_class = LocalizedIntegerField


class BoardFilter(django_filters.FilterSet):
    province = ModelChoiceFilter(
        label=_("Province"),
        field_name="health_center__province",
        queryset=Province.objects.all(),
        empty_label=_("All"),
        widget=FastSelect,
    )
    product = ModelChoiceFilter(
        label=_("Product"), queryset=Product.objects.filter(is_active=True), empty_label=_("All"), widget=FastSelect
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=OrderPriority.choices, empty_label=_("All"), widget=FastSelect
    )
    gap_min = RialFilter(label=_("Missing at least (rials)"), field_name="gap", lookup_expr="gte")
    gap_max = RialFilter(label=_("Missing at most (rials)"), field_name="gap", lookup_expr="lte")

    class Meta:
        model = Order
        fields = ["province", "product", "priority"]
