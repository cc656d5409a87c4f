"""Filter of the coordinator's payout batch list. Dates are typed in Jalali; range ends are included."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters_base import ActiveCountMixin, JalaliDateFilter
from core.models import Province
from core.scoping import scope_by_province

from .models import PayoutBatch, PayoutBatchStatus


class PayoutBatchFilter(ActiveCountMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PayoutBatchStatus.choices, empty_label=_("All"))
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="provinces", queryset=Province.objects.none(), empty_label=_("All")
    )
    period_from = JalaliDateFilter(label=_("Period ends on or after"), field_name="period_end", lookup_expr="gte")
    period_to = JalaliDateFilter(label=_("Period starts on or before"), field_name="period_start", lookup_expr="lte")

    class Meta:
        model = PayoutBatch
        fields = ["status", "province"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].queryset = scope_by_province(Province.objects.all(), user, field="pk")
