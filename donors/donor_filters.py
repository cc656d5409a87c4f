"""The public funding board: orders that still need money, with their gap computed as pledging computes it."""

from __future__ import annotations

import django_filters
from django.db.models import BigIntegerField, Case, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from core.forms import LocalizedIntegerField
from core.models import Product, Province
from orders.models import Order, OrderPriority, OrderStatus

from .ledger import order_applied_funds_expression
from .models import Pledge, PledgeStatus

BOARD_STATUSES = (OrderStatus.OPEN, OrderStatus.FUNDED)  # the statuses pledge_create accepts
PRIORITY_RANK = {OrderPriority.URGENT: 0, OrderPriority.HIGH: 1, OrderPriority.NORMAL: 2}


def with_open_gap(queryset):
    """Annotate ``gap`` and ``gap_units``: the SQL twin of ``donors.services.order_open_gap_rials``.

    budget − funds in the ledger − pledges not yet received, never below zero; the
    board therefore offers exactly what ``pledge_create`` will accept.
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
    ).annotate(gap_units=F("gap") / F("unit_cost_rials"))


def board_orders():
    """Open and funded orders with money still missing, most urgent first."""
    rank = Case(
        *(When(priority=priority, then=Value(value)) for priority, value in PRIORITY_RANK.items()),
        default=Value(9),
        output_field=IntegerField(),
    )
    return (
        with_open_gap(
            Order.objects.filter(status__in=BOARD_STATUSES).select_related(
                "product", "health_center__province", "health_center__city"
            )
        )
        .filter(gap__gt=0)
        .annotate(priority_rank=rank)
        .order_by("priority_rank", "needed_by", "pk")
    )


class RialFilter(django_filters.NumberFilter):
    field_class = LocalizedIntegerField


class BoardFilter(django_filters.FilterSet):
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        field_name="health_center__province",
        queryset=Province.objects.all(),
        empty_label=_("All"),
    )
    product = django_filters.ModelChoiceFilter(
        label=_("Product"), queryset=Product.objects.filter(is_active=True), empty_label=_("All")
    )
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=OrderPriority.choices, empty_label=_("All"))
    gap_min = RialFilter(label=_("Missing at least (rials)"), field_name="gap", lookup_expr="gte")
    gap_max = RialFilter(label=_("Missing at most (rials)"), field_name="gap", lookup_expr="lte")

    class Meta:
        model = Order
        fields = ["province", "product", "priority"]
