"""``{% table_rows table %}``: the ``<tbody>`` rows of a django-tables2 table, rendered in Python.

Used by ``templates/django_tables2/hamdeli.html`` (``DJANGO_TABLES2_TEMPLATE``).
The stock template renders every cell through the template engine and, per
cell, lets django-tables2 call ``inspect.signature`` on the render method and
build the ``th``, ``td`` and footer attributes of the column; on a 25-row list
that was most of the page's time. This tag produces the same markup as the
stock row loop (``<tr {{ row.attrs }}>``, ``<td {{ column.attrs.td }}>``, the
cell as ``{{ cell }}`` would print it, the empty text row) but looks each
render method's signature up once per table, and builds only the ``td``
attributes of a cell. Cells still go through django-tables2's own
accessor/choices/empty-value logic, which is private to django-tables2: it is
reached only through ``core.library_seams.cell_through_accessor``, and
tests/core/test_tables_render.py compares this markup with the stock
template's, so an upgrade that changes it shows up there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.template.loader import get_template
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.utils import AttributeDict, computed_values, signature

from core.library_seams import cell_through_accessor, render_value_in_context

register = template.Library()


class SignatureCache:
    """``django_tables2.utils.call_with_appropriate`` with each function's signature looked up once."""

    def __init__(self) -> None:
        self._signatures: dict[Callable, tuple[tuple[str, ...], str | None]] = {}

    def call(self, fn: Callable, kwargs: dict[str, Any]) -> Any:
        try:
            args, kwargs_name = self._signatures[fn]
        except KeyError:
            args, kwargs_name = self._signatures[fn] = signature(fn)
        if kwargs_name:
            return fn(**kwargs)
        # Same rule as call_with_appropriate: a wanted argument that is missing means no call at all.
        if any(arg not in kwargs for arg in args):
            return None
        return fn(**{arg: kwargs[arg] for arg in args})


def render_arguments(table, row, bound_column, value) -> dict[str, Any]:
    """The keyword arguments django-tables2 documents for a column's ``render`` method (and ``linkify``)."""
    return {
        "value": value,
        "record": row.record,
        "column": bound_column.column,
        "bound_column": bound_column,
        "bound_row": row,
        "table": table,
    }


def cell_content(table, row, bound_column, signatures: SignatureCache) -> Any:
    """What ``BoundRow.get_cell`` returns for this column, with the render method's signature cached."""

    def call_render(bound_column, value=None):
        kwargs = render_arguments(table, row, bound_column, value)
        content = signatures.call(bound_column.render, kwargs)
        return bound_column.link(content, **kwargs) if bound_column.link else content

    return cell_through_accessor(row, bound_column, call_render)


def _declared_td_attrs(table, bound_column) -> dict:
    attrs = dict(table.attrs)
    attrs.update(dict(bound_column.column.attrs))
    return attrs.get("td", attrs.get("cell", {}))


def td_attrs(table, bound_column) -> AttributeDict:
    """``bound_column.attrs["td"]`` without also computing the ``th`` and footer attributes."""
    kwargs = {"table": table, "bound_column": bound_column}
    if (
        getattr(bound_column, "current_record", None) is not None
        and getattr(bound_column, "current_value", None) is not None
    ):
        kwargs.update({"record": bound_column.current_record, "value": bound_column.current_value})
    td = AttributeDict(computed_values(_declared_td_attrs(table, bound_column), kwargs=kwargs))
    td["class"] = bound_column.get_td_class(td)
    return td


def _computed_per_row(attrs: dict) -> bool:
    return any(callable(value) or (isinstance(value, dict) and _computed_per_row(value)) for value in attrs.values())


def td_attrs_html(table, bound_column, cache: dict) -> str:
    """``{{ column.attrs.td.as_html }}``; the same for every row unless an attribute is computed per row.

    (``Table.get_column_class_names`` is per column, by django-tables2's contract, so it may be cached.)
    """
    try:
        return cache[bound_column.name]
    except KeyError:
        pass
    html = td_attrs(table, bound_column).as_html()
    if not _computed_per_row(_declared_td_attrs(table, bound_column)):
        cache[bound_column.name] = html
    return html


def _as_in_template(value: Any, context) -> Any:
    """The value a template variable would resolve to: callables are called, as ``Variable`` does."""
    if callable(value) and not getattr(value, "do_not_call_in_templates", False):
        if getattr(value, "alters_data", False):
            return context.template.engine.string_if_invalid
        try:
            return value()
        except TypeError:
            return context.template.engine.string_if_invalid
    return value


def cell_html(bound_column, cell: Any, context) -> str:
    """The cell as the stock template prints it, honouring ``Column.localize``."""
    cell = _as_in_template(cell, context)
    if bound_column.localize is None:
        return render_value_in_context(cell, context)
    return render_value_in_context((localize if bound_column.localize else unlocalize)(cell), context)


@register.simple_tag(takes_context=True)
def table_rows(context, table) -> SafeString:
    columns = list(table.columns)
    signatures = SignatureCache()
    td_cache: dict[str, str] = {}
    parts: list[str] = []
    for row in table.paginated_rows:
        parts.append(format_html("<tr {}>", row.attrs.as_html()))
        for column in columns:
            # As BoundRow.items() does: callable td attrs may read the current record and value.
            column.current_value = cell_content(table, row, column, signatures)
            column.current_record = row.record
            parts.append(
                format_html(
                    "<td {}>{}</td>",
                    td_attrs_html(table, column, td_cache),
                    # Escaped (or not, with autoescape off) exactly as {{ cell }} would be.
                    mark_safe(cell_html(column, column.current_value, context)),  # noqa: S308
                )
            )
        parts.append("</tr>")
    if not parts and table.empty_text:
        parts.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text))
    return mark_safe("\n".join(parts))  # noqa: S308 -- parts are format_html output


@register.simple_tag(takes_context=True)
def render_table_inline(context, table) -> SafeString:
    """``{% render_table table %}`` rendered inside the page's own context.

    django-tables2's tag renders the table template with a new request context,
    which runs every context processor a second time (for coordinators, one more
    query for the background-work banner). The table template only needs
    ``table`` and ``request``, both in the page's context already.
    """
    template = get_template(table.template_name)
    table.context = context  # as render_table does, for TemplateColumn
    try:
        table.before_render(context.get("request"))
        with context.push(table=table):
            return template.template.render(context)
    finally:
        del table.context
