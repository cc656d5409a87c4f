"""Filters of the delivery list. Dates are typed in Jalali; both ends of the planned-date range are included."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters_base import HealthCenterFilterSet, JalaliDateFilter, searched_text
from core.widgets import FastSelect

from ..models import Delivery, DeliveryStatus


class DeliveryFilter(HealthCenterFilterSet):
    q = django_filters.CharFilter(label=_("Delivery number or code"), method="filter_code")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DeliveryStatus.choices, empty_label=_("All"), widget=FastSelect
    )
    date_from = JalaliDateFilter(label=_("Planned date, from"), field_name="planned_date", lookup_expr="gte")
    date_to = JalaliDateFilter(label=_("Planned date, to"), field_name="planned_date", lookup_expr="lte")

    class Meta:
        model = Delivery
        fields = ["q", "status", "province", "health_center"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.scope_health_centers(request.user)

    def filter_code(self, queryset, name, value):
        text = searched_text(value).upper()
        if not text:
            return queryset
        return queryset.filter(Q(code__icontains=text) | Q(short_code__icontains=text))
