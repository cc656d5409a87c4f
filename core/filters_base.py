"""Shared pieces of the list pages' FilterSets."""

import django_filters
import django_filters.fields
from django import forms


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
