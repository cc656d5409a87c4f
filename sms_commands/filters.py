"""Filters of the SMS log: a number or words, what the message did, the days it came (Jalali, both ends included)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters_base import ActiveCountMixin, JalaliDateFilter, searched_text
from core.persian import normalize_text
from core.validators import normalize_mobile
from core.widgets import FastSelect

from .models import InboundMessage, Outcome


class MessageLogFilter(ActiveCountMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or text"), method="filter_text")
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Outcome.choices, empty_label=_("All"), widget=FastSelect
    )
    date_from = JalaliDateFilter(label=_("Received, from"), field_name="received_at__date", lookup_expr="gte")
    date_to = JalaliDateFilter(label=_("Received, to"), field_name="received_at__date", lookup_expr="lte")

    class Meta:
        model = InboundMessage
        fields = ["q", "outcome"]

    def filter_text(self, queryset, name, value):
        latin = searched_text(value)[:100]
        if not latin:
            return queryset
        typed = normalize_text(value.strip())[:100]
        # A number typed as 0912…, +98912… or in Persian digits finds the sender; words are kept as people text
        # them (often Persian digits), so both spellings are looked for.
        return queryset.filter(
            Q(sender__icontains=normalize_mobile(latin))
            | Q(sender__icontains=latin)
            | Q(text__icontains=typed)
            | Q(text__icontains=latin)
        )
