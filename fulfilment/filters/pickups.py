"""Filters of the pickup list and of "where to collect". Dates are typed in Jalali; both ends are included."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.filters_base import ActiveCountMixin, JalaliDateFilter, searched_text, yes_no_filter
from core.models import City, Province
from core.scoping import scope_by_province
from workshops.models import Workshop

from ..models import Pickup, PickupLine


def _scoped_places(filterset, user) -> None:
    provinces = scope_by_province(Province.objects.all(), user, field="pk")
    filterset.filters["province"].queryset = provinces
    filterset.filters["city"].queryset = (
        City.objects.filter(province__in=provinces).select_related("province").order_by("province__name_fa", "name_fa")
    )


class PickupFilter(ActiveCountMixin, django_filters.FilterSet):
    workshop = django_filters.CharFilter(label=_("Workshop name"), method="filter_workshop")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="workshop__province", queryset=Province.objects.none(), empty_label=_("All")
    )
    city = django_filters.ModelChoiceFilter(
        label=_("City"), field_name="workshop__city", queryset=City.objects.none(), empty_label=_("All")
    )
    rejections = yes_no_filter(_("Has rejections"), "filter_rejections")
    date_from = JalaliDateFilter(label=_("From"), field_name="pickup_date", lookup_expr="gte")
    date_to = JalaliDateFilter(label=_("To"), field_name="pickup_date", lookup_expr="lte")

    class Meta:
        model = Pickup
        fields = ["workshop", "province", "city", "rejections"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        _scoped_places(self, request.user)

    def filter_workshop(self, queryset, name, value):
        text = searched_text(value)
        return queryset.filter(workshop__name__icontains=text) if text else queryset

    def filter_rejections(self, queryset, name, value):
        rejected = Exists(PickupLine.objects.filter(pickup=OuterRef("pk"), rejected_units__gt=0))
        return queryset.filter(rejected) if value == "yes" else queryset.exclude(rejected)


class CollectableWorkshopFilter(ActiveCountMixin, django_filters.FilterSet):
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.none(), empty_label=_("All")
    )
    city = django_filters.ModelChoiceFilter(label=_("City"), queryset=City.objects.none(), empty_label=_("All"))

    class Meta:
        model = Workshop
        fields = ["province", "city"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        _scoped_places(self, request.user)
