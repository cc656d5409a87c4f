"""The showcase's filters: the province of the workshop and a product she makes."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters_base import ActiveCountMixin, ModelChoiceFilter
from core.widgets import FastSelect

from .models import Listing
from .selectors import listable_products, showcase_provinces


class ShowcaseFilter(ActiveCountMixin, django_filters.FilterSet):
    province = ModelChoiceFilter(
        label=_("Province"),
        field_name="workshop__province",
        queryset=showcase_provinces(),
        empty_label=_("All"),
        widget=FastSelect,
    )
    product = ModelChoiceFilter(
        label=_("Product"), field_name="products", queryset=listable_products(), empty_label=_("All"), widget=FastSelect
    )

    class Meta:
        model = Listing
        fields = ["province", "product"]
