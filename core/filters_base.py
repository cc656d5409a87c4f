"""Shared pieces of the list pages' FilterSets."""

import django_filters
import django_filters.fields
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import JalaliDateField
from .models import HealthCenter, Province
from .persian import normalize_text, to_latin_digits
from .scoping import scope_by_province
from .widgets import FastSelect


class ActiveCountMixin:
    """For FilterSets on phone pages: how many filters are set, and whether the panel must open for errors."""

    @property
    def active_count(self) -> int:
        if not self.is_bound or not self.form.is_valid():
            return 0
        return sum(value not in (None, "") for value in self.form.cleaned_data.values())

    @property
    def has_errors(self) -> bool:
        return self.is_bound and bool(self.form.errors)


class _FetchedChoices(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # One plain query: Django's iterator() opens a server-side cursor on PostgreSQL (DECLARE, FETCH,
        # CLOSE: three round trips), which costs more than the rows for a list of a few hundred options.
        for obj in self.queryset.all():
            yield self.choice(obj)


class FetchedModelChoiceIterator(django_filters.fields.ModelChoiceIterator, _FetchedChoices):
    """django-filter's iterator (empty and null choices) over options fetched with one plain query."""


class FetchedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = FetchedModelChoiceIterator


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``django_filters.ModelChoiceFilter`` whose options are fetched with one plain query (same options)."""

    field_class = FetchedModelChoiceField


class JalaliDateFilter(django_filters.DateFilter):
    """A date typed in Jalali. Its box shows an example: a year's first day on a lower bound, its last on an upper."""

    field_class = JalaliDateField

    @property
    def field(self):
        if not hasattr(self, "_field"):
            example = "۱۴۰۵/۰۱/۰۱" if self.lookup_expr.endswith("gte") else "۱۴۰۵/۱۲/۲۹"
            super().field.widget.attrs["placeholder"] = example
        return self._field


def yes_no_filter(label, method: str, **kwargs) -> django_filters.ChoiceFilter:
    """A question answered yes, no or "all" (not asked); ``method`` is given "yes" or "no"."""
    return django_filters.ChoiceFilter(
        label=label, choices=[("yes", _("Yes")), ("no", _("No"))], empty_label=_("All"), method=method, **kwargs
    )


def searched_text(value: str) -> str:
    """What was typed in a search box as the database holds it: Latin digits, Persian letters, no outer spaces."""
    return normalize_text(to_latin_digits(value.strip()))


class HealthCenterFilterSet(ActiveCountMixin, django_filters.FilterSet):
    """Filters of a list of health centers' records (orders, deliveries): by province and by center."""

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

    def scope_health_centers(self, user) -> None:
        """Offer only the provinces and centers ``user`` may see."""
        self.filters["province"].queryset = scope_by_province(Province.objects.all(), user, field="pk")
        self.filters["health_center"].queryset = scope_by_province(HealthCenter.objects.all(), user).order_by(
            "province__name_fa", "name"
        )
