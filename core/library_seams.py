"""Every place the application leans on a library's private or undocumented internals, one function each.

Each one is here because the public API would cost a page noticeably more time, or gives no way to
ask the question at all (CONTRIBUTING, "Library internals", says which and why). Nothing outside
this module touches these internals, and ``tests/core/test_library_seams.py`` pins the exact
behaviour each function relies on, so a library upgrade that changes it fails there, by name,
instead of quietly changing a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.template.base import render_value_in_context as _render_value_in_context
from django.utils.translation import trans_real

# --- Django: cached properties (Paginator.count) -------------------------------------------------------------


def cached_property_is_filled(obj: object, name: str) -> bool:
    """Whether the ``cached_property`` ``name`` of ``obj`` has been computed (or filled) already.

    Django's ``cached_property`` keeps its value in the instance's ``__dict__`` under its own name;
    there is no public way to ask whether it has run.
    """
    return name in vars(obj)


def fill_cached_property(obj: object, name: str, value: Any) -> None:
    """Give the ``cached_property`` ``name`` of ``obj`` its value, so it is never computed (a count we know)."""
    vars(obj)[name] = value


# --- Django: querysets ------------------------------------------------------------------------------------------


def is_distinct_or_combined(queryset: QuerySet) -> bool:
    """Whether the queryset has ``distinct()`` or is a ``union``/``intersection``/``difference``.

    Such a query's rows are not one per row of its FROM, so a ``COUNT(*) OVER ()`` would miscount them.
    """
    return bool(queryset.query.distinct or queryset.query.combinator)


def is_sliced(queryset: QuerySet) -> bool:
    """Whether the queryset was sliced (``[a:b]``), which forbids changing its ordering."""
    return queryset.query.is_sliced


def has_annotation(queryset: QuerySet, name: str) -> bool:
    """Whether ``annotate()`` (or ``alias()``) added ``name`` to the queryset (a filter may or may not have)."""
    return name in queryset.query.annotations


# --- Django: translation ----------------------------------------------------------------------------------------


def catalogue_gettext(language: str, message: str) -> str:
    """``message`` from ``language``'s catalogue, activating nothing.

    ``translation.override`` is no substitute: leaving it activates the language that was active,
    and where none was (``deactivate_all``), ``get_language()`` reports ``LANGUAGE_CODE``, so the
    caller would find a real catalogue active afterwards.
    """
    return trans_real.translation(language).gettext(message)


# --- Django: templates ------------------------------------------------------------------------------------------


def render_value_in_context(value: Any, context) -> str:
    """``{{ value }}`` as a template prints it in ``context``: localized, then escaped when autoescape is on."""
    return _render_value_in_context(value, context)


# --- django-tables2 ---------------------------------------------------------------------------------------------


def cell_through_accessor(row, bound_column, render: Callable[..., Any]) -> Any:
    """A cell as ``BoundRow.get_cell`` makes it, but rendered by ``render(bound_column, value)``.

    django-tables2's own accessor, ``get_FOO_display`` (choices), empty-value and default logic
    (``BoundRow._get_and_render_with``); ``render`` is called only for a value that is not empty.
    The public ``get_cell`` calls ``inspect.signature`` on the render method for every cell, which
    doubles the time of a list page's rows (4.3 ms against 9-14 ms for 25 rows of 12 columns).
    """
    return row._get_and_render_with(bound_column, render_func=render, default=bound_column.default)
