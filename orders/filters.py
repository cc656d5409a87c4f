"""Filters of the order list. Dates are typed in Jalali; both ends of the needed-by range are included."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters_base import HealthCenterFilterSet, JalaliDateFilter, ModelChoiceFilter, searched_text, yes_no_filter
from core.models import Product
from core.widgets import FastSelect

from .models import Order, OrderPriority, OrderStatus
from .selectors import is_health_center_staff, stale_condition


class OrderFilter(HealthCenterFilterSet):
    q = django_filters.CharFilter(label=_("Order number"), method="filter_number")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OrderStatus.choices, empty_label=_("All"), widget=FastSelect
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=OrderPriority.choices, empty_label=_("All"), widget=FastSelect
    )
    product = ModelChoiceFilter(
        label=_("Product"), queryset=Product.objects.none(), empty_label=_("All"), widget=FastSelect
    )
    stale = yes_no_filter(_("Stale"), "filter_stale", widget=FastSelect)
    needed_from = JalaliDateFilter(label=_("Needed by, from"), field_name="needed_by", lookup_expr="gte")
    needed_to = JalaliDateFilter(label=_("Needed by, to"), field_name="needed_by", lookup_expr="lte")

    class Meta:
        model = Order
        fields = ["q", "status", "priority", "product", "province", "health_center", "stale"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        self.filters["product"].queryset = Product.objects.order_by("code")
        if is_health_center_staff(user):
            # Their own center only: province and center would offer a single choice.
            del self.filters["province"]
            del self.filters["health_center"]
        else:
            self.scope_health_centers(user)

    def filter_number(self, queryset, name, value):
        text = searched_text(value).upper()
        return queryset.filter(number__icontains=text) if text else queryset

    def filter_stale(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(stale_condition())
        return queryset.exclude(stale_condition())
