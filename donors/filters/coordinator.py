"""Filters of the coordinator's pledge and donor lists. Dates are typed in Jalali; range ends are included."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters_base import ActiveCountMixin, JalaliDateFilter, searched_text
from core.forms import LocalizedIntegerField
from core.persian import normalize_text, to_latin_digits

from ..models import Campaign, Donor, DonorKind, Pledge, PledgeStatus


class AmountFilter(django_filters.NumberFilter):
    field_class = LocalizedIntegerField


class PledgeFilter(ActiveCountMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PledgeStatus.choices, empty_label=_("All"))
    reference = django_filters.CharFilter(label=_("Pledge reference"), method="filter_reference")
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order")
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Donor kind"), field_name="donor__kind", choices=DonorKind.choices, empty_label=_("All")
    )
    amount_min = AmountFilter(label=_("Amount at least (rials)"), field_name="amount_rials", lookup_expr="gte")
    amount_max = AmountFilter(label=_("Amount at most (rials)"), field_name="amount_rials", lookup_expr="lte")
    pledged_from = JalaliDateFilter(label=_("Pledged from"), field_name="created_at", lookup_expr="date__gte")
    pledged_to = JalaliDateFilter(label=_("Pledged until"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Pledge
        fields = ["status", "reference", "order", "campaign", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["campaign"].queryset = Campaign.objects.order_by("-starts_on", "-id")

    def filter_reference(self, queryset, name, value):
        # Read out or typed from the donor's bank slip: Persian or Latin digits, perhaps with spaces.
        text = "".join(ch for ch in to_latin_digits(value) if ch.isdigit())
        return queryset.filter(reference__startswith=text) if text else queryset

    def filter_order(self, queryset, name, value):
        text = searched_text(value).upper()
        return queryset.filter(order__number__icontains=text) if text else queryset


class DonorFilter(ActiveCountMixin, django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), method="filter_name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DonorKind.choices, empty_label=_("All"))

    class Meta:
        model = Donor
        fields = ["name", "kind"]

    def filter_name(self, queryset, name, value):
        text = normalize_text(value.strip())
        return queryset.filter(user__full_name__icontains=text) if text else queryset
