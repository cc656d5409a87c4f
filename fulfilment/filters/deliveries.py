"""Filters of the delivery list. Dates are typed in Jalali; both ends of the planned-date range are included."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters_base import ActiveCountMixin, ModelChoiceFilter
from core.forms import JalaliDateField
from core.models import HealthCenter, Province
from core.persian import normalize_text, to_latin_digits
from core.scoping import scope_by_province
from core.widgets import FastSelect

from ..models import Delivery, DeliveryStatus


class JalaliDateFilter(django_filters.DateFilter):
    field_class = JalaliDateField


class DeliveryFilter(ActiveCountMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Delivery number or code"), method="filter_code")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DeliveryStatus.choices, empty_label=_("All"), widget=FastSelect
    )
    province = ModelChoiceFilter(
        label=_("Province"),
        field_name="health_center__province",
        queryset=Province.objects.none(),
        empty_label=_("All"),
        widget=FastSelect,
    )
    health_center = ModelChoiceFilter(
        label=_("Health center"), queryset=HealthCenter.objects.none(), empty_label=_("All"), widget=FastSelect
    )
    date_from = JalaliDateFilter(label=_("Planned date, from"), field_name="planned_date", lookup_expr="gte")
    date_to = JalaliDateFilter(label=_("Planned date, to"), field_name="planned_date", lookup_expr="lte")

    class Meta:
        model = Delivery
        fields = ["q", "status", "province", "health_center"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        self.filters["province"].queryset = scope_by_province(Province.objects.all(), user, field="pk")
        self.filters["health_center"].queryset = scope_by_province(HealthCenter.objects.all(), user).order_by(
            "province__name_fa", "name"
        )
        self.form.fields["date_from"].widget.attrs["placeholder"] = "۱۴۰۵/۰۱/۰۱"
        self.form.fields["date_to"].widget.attrs["placeholder"] = "۱۴۰۵/۱۲/۲۹"

    def filter_code(self, queryset, name, value):
        text = normalize_text(to_latin_digits(value.strip())).upper()
        if not text:
            return queryset
        return queryset.filter(Q(code__icontains=text) | Q(short_code__icontains=text))
