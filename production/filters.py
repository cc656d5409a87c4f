"""Filters of the coordinator's workshop list.

Two ranges are not plain columns:

- **daily capacity** (``capacity_min``/``capacity_max``): units per working
  day of the chosen product; when no product is chosen, the units per day of
  all the workshop's products added up (a workshop without capacity has 0).
- **utilisation** (``utilisation_min``/``utilisation_max``, in whole percent):
  the working days already committed over the next ``SUPPLY_WINDOW_DAYS`` days
  divided by the workshop's working days in them (``production.supply``); it can be
  above 100 when a workshop is overbooked. It is computed in Python, once, for
  the workshops left by the other filters; ``self.loads`` keeps the result so
  the table does not compute it again.

Both ranges include their ends.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.filters_base import ActiveCountMixin, ModelChoiceFilter, searched_text, yes_no_filter
from core.forms import LocalizedIntegerField
from core.models import City, Product, Province
from core.scoping import scope_by_province
from core.widgets import FastSelect
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus

from .selectors.supply import utilisation_percent, without_offers
from .supply import workshop_loads


class IntegerFilter(django_filters.Filter):
    """A whole number typed with Persian or Latin digits (text input, numeric keyboard)."""

    field_class = LocalizedIntegerField


class WorkshopFilter(ActiveCountMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or mobile"), method="filter_search")
    province = ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.none(), empty_label=_("All"), widget=FastSelect
    )
    city = ModelChoiceFilter(label=_("City"), queryset=City.objects.none(), empty_label=_("All"), widget=FastSelect)
    product = ModelChoiceFilter(
        label=_("Makes product"),
        queryset=Product.objects.all(),
        empty_label=_("All"),
        widget=FastSelect,
        method="filter_product",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=WorkshopStatus.choices, empty_label=_("All"), widget=FastSelect
    )
    head_of_household = yes_no_filter(_("Woman head of household"), "filter_head_of_household", widget=FastSelect)
    no_offer = django_filters.ChoiceFilter(
        label=_("No offer for two weeks"),
        choices=[("yes", _("Yes"))],
        empty_label=_("All"),
        widget=FastSelect,
        method="filter_no_offer",
    )
    capacity_min = IntegerFilter(label=_("Daily capacity from"), method="filter_later", min_value=0)
    capacity_max = IntegerFilter(label=_("Daily capacity to"), method="filter_later", min_value=0)
    utilisation_min = IntegerFilter(label=_("Utilisation (%) from"), method="filter_later", min_value=0)
    utilisation_max = IntegerFilter(label=_("Utilisation (%) to"), method="filter_later", min_value=0)

    class Meta:
        model = Workshop
        fields = ["q", "province", "city", "product", "status", "head_of_household", "no_offer"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        provinces = scope_by_province(Province.objects.all(), user, field="pk")
        self.filters["province"].queryset = provinces
        # Only cities where her workshops are: a short list on a phone.
        cities = City.objects.filter(pk__in=self.queryset.values("city")) if self.queryset is not None else City.objects
        self.filters["city"].queryset = cities.order_by("province__name_fa", "name_fa")
        self.filters["product"].queryset = Product.objects.filter(is_active=True)
        self.loads = None
        self.form.fields["capacity_min"].help_text = _(
            "Units per day of the chosen product; with no product chosen, all products added up."
        )
        self.form.fields["utilisation_min"].help_text = _(
            "Working days already committed to quotas ÷ working days; above 100 means overbooked."
        )

    # --- one-column filters -------------------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        text = searched_text(value)
        if not text:
            return queryset
        matches = Q(name__icontains=text) | Q(owner__full_name__icontains=text)
        digits = "".join(char for char in text if char.isdigit())
        if digits and len(digits) >= 4:
            matches |= Q(owner__mobile__contains=digits.removeprefix("0"))
        return queryset.filter(matches)

    def filter_product(self, queryset, name, product):
        return queryset.filter(Exists(WorkshopCapacity.objects.filter(workshop=OuterRef("pk"), product=product)))

    def filter_head_of_household(self, queryset, name, value):
        return queryset.filter(is_woman_head_of_household=(value == "yes"))

    def filter_no_offer(self, queryset, name, value):
        return without_offers(queryset) if value == "yes" else queryset

    def filter_later(self, queryset, name, value):
        return queryset  # applied in filter_queryset, which knows the chosen product

    # --- ranges ---------------------------------------------------------------------------------------------

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        product = data.get("product")
        if product is not None:
            rate = WorkshopCapacity.objects.filter(workshop=OuterRef("pk"), product=product).values("units_per_day")
            queryset = queryset.annotate(
                product_capacity=Coalesce(Subquery(rate, output_field=IntegerField()), Value(0))
            )
            capacity = "product_capacity"
        else:
            capacity = "capacity_total"
        if data.get("capacity_min") is not None:
            queryset = queryset.filter(**{f"{capacity}__gte": data["capacity_min"]})
        if data.get("capacity_max") is not None:
            queryset = queryset.filter(**{f"{capacity}__lte": data["capacity_max"]})
        low, high = data.get("utilisation_min"), data.get("utilisation_max")
        if low is not None or high is not None:
            self.loads = workshop_loads(queryset)
            keep = [
                pk
                for pk, load in self.loads.items()
                if (low is None or utilisation_percent(load) >= low)
                and (high is None or utilisation_percent(load) <= high)
            ]
            queryset = queryset.filter(pk__in=keep)
        return queryset
