"""Pins the library internals core.library_seams relies on: an upgrade that changes one fails here, by name."""

import django_tables2 as tables
import pytest
from django.core.paginator import Paginator
from django.db.models import Value
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe
from django_tables2 import RequestConfig
from django_tables2.utils import call_with_appropriate

from core import library_seams
from core.models import Province

# --- Django: Paginator.count is a cached_property kept in the instance ---------------------------------------


class Uncountable(list):
    def count(self):  # Paginator.count asks object_list.count() first
        raise AssertionError("counted although the count was given")


def test_paginator_count_is_filled_only_once_computed():
    paginator = Paginator([1, 2, 3], 2)
    assert not library_seams.cached_property_is_filled(paginator, "count")
    assert paginator.count == 3
    assert library_seams.cached_property_is_filled(paginator, "count")


def test_a_filled_paginator_count_is_used_without_counting():
    paginator = Paginator(Uncountable([1, 2, 3]), 2)
    library_seams.fill_cached_property(paginator, "count", 3)
    assert library_seams.cached_property_is_filled(paginator, "count")
    assert (paginator.count, paginator.num_pages, list(paginator.page(2))) == (3, 2, [3])


# --- Django: what a queryset says about itself -----------------------------------------------------------------


def test_distinct_and_combined_querysets_are_told_apart():
    rows = Province.objects.all()
    assert not library_seams.is_distinct_or_combined(rows)
    assert not library_seams.is_distinct_or_combined(rows.filter(code="x").order_by("pk"))
    assert library_seams.is_distinct_or_combined(rows.distinct())
    assert library_seams.is_distinct_or_combined(rows.union(rows))
    assert library_seams.is_distinct_or_combined(rows.intersection(rows))
    assert library_seams.is_distinct_or_combined(rows.difference(rows))


def test_sliced_querysets_are_told_apart():
    rows = Province.objects.order_by("pk")
    assert not library_seams.is_sliced(rows)
    assert not library_seams.is_sliced(rows.filter(code="x"))
    assert library_seams.is_sliced(rows[:5])
    assert library_seams.is_sliced(rows[5:])


def test_annotations_are_seen_by_name():
    rows = Province.objects.all()
    assert not library_seams.has_annotation(rows, "extra")
    assert library_seams.has_annotation(rows.annotate(extra=Value(1)), "extra")
    assert library_seams.has_annotation(rows.alias(extra=Value(1)), "extra")
    assert library_seams.has_annotation(rows.annotate(extra=Value(1)).filter(extra=1).order_by("pk"), "extra")


# --- Django: a catalogue read without activating it -------------------------------------------------------------


@pytest.mark.parametrize("active", [None, "en", "fa"])
def test_catalogue_gettext_translates_and_leaves_the_active_language_alone(active):
    with translation.override(active):
        before = translation.get_language()
        assert library_seams.catalogue_gettext("fa", "Province") == "استان"
        assert translation.get_language() == before
        assert translation.gettext("Province") == {None: "Province", "en": "Province", "fa": "استان"}[active]


# --- Django: {{ value }} ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["a & <b>", mark_safe("<i>x</i>"), 1234567, 1.5, None, ["x"]])
@pytest.mark.parametrize("autoescape", [True, False])
def test_render_value_in_context_prints_as_the_template_engine_does(value, autoescape):
    context = Context({"value": value}, autoescape=autoescape)
    template = Template("{{ value }}")
    context.template = template
    assert library_seams.render_value_in_context(value, context) == template.render(context)


# --- django-tables2: a cell through its accessor ----------------------------------------------------------------


class Cells(tables.Table):
    """Accessors that resolve, miss, follow a relation, use choices, and a default for empty values."""

    name_fa = tables.Column()
    code = tables.Column(default="—")
    missing = tables.Column(accessor="no__such__thing", default="?")
    kind = tables.Column(accessor="kind")
    shouted = tables.Column(accessor="name_fa")

    def render_shouted(self, value, record, bound_row, table):
        return f"{value.upper()}!{record.pk}:{bound_row.record is record}:{table is self}"


def _rows(data):
    table = Cells(data)
    RequestConfig(RequestFactory().get("/"), paginate=False).configure(table)
    return table, list(table.rows)


def test_cell_through_accessor_gives_what_get_cell_gives():
    records = [
        Province(pk=1, name_fa="tehran", code="th"),
        Province(pk=2, name_fa="qom", code=""),
    ]
    for record in records:
        record.kind = "capital" if record.pk == 1 else None
    table, rows = _rows(records)

    def render(bound_column, value=None):
        kwargs = {"value": value, "record": row.record, "bound_row": row, "table": table}
        return call_with_appropriate(bound_column.render, kwargs)

    for row in rows:
        for column in table.columns:
            assert library_seams.cell_through_accessor(row, column, render) == row.get_cell(column.name)


def test_cell_through_accessor_calls_render_only_for_values_that_are_not_empty():
    table, (row,) = _rows([{"name_fa": "", "code": None, "kind": "k"}])
    seen = []

    def render(bound_column, value=None):
        seen.append((bound_column.name, value))
        return value

    cells = {column.name: library_seams.cell_through_accessor(row, column, render) for column in table.columns}
    assert cells == {"name_fa": "—", "code": "—", "missing": "?", "kind": "k", "shouted": "—"}
    assert seen == [("kind", "k")]
