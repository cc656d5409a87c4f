"""The project's table template (django_tables2/hamdeli.html with {% table_rows %}) writes the markup of
django-tables2's bootstrap5-responsive template, only faster: same cells, attributes, links, empty text and
page links, whitespace aside. (The box around the table and the pager's labels are our own: a focusable
scroll box, page numbers in the page's digits, arrows that follow the reading direction.)"""

import datetime as dt
import re

import django_tables2 as tables
import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2 import RequestConfig

from core.models import HealthCenter
from core.tables import HealthCenterTable, NumberColumn
from core.templatetags.table_rows import SignatureCache
from tests.factories import HealthCenterFactory

STOCK = "django_tables2/bootstrap5-responsive.html"


def squeezed(html: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def render(table_class, data, template_name, query="", **kwargs) -> str:
    request = RequestFactory().get("/list/" + query)
    table = table_class(data, template_name=template_name, **kwargs)
    RequestConfig(request, paginate={"per_page": 3}).configure(table)
    return table.as_html(request)


def table_and_page_links(html: str) -> tuple[str, list[str]]:
    table = re.search(r"<table.*</table>", html, re.S).group(0)
    return squeezed(table), re.findall(r'href="([^"]*)"', html.split("</table>", 1)[1])


def assert_same_markup(table_class, data, query="", **kwargs):
    ours = render(table_class, data, settings.DJANGO_TABLES2_TEMPLATE, query, **kwargs)
    stock = render(table_class, data, STOCK, query, **kwargs)
    assert table_and_page_links(ours) == table_and_page_links(stock)
    return ours


class Everything(tables.Table):
    """Columns exercising what a cell can be: render methods of every signature, links, defaults, attrs."""

    name = tables.Column(linkify=lambda record: f"/thing/{record['id']}/", attrs={"a": {"class": "go"}})
    plain = tables.Column(default="—")
    number = NumberColumn()
    html = tables.Column()
    when = tables.Column()
    kwargs_only = tables.Column(accessor="id", empty_values=())
    per_row = tables.Column(accessor="id", attrs={"td": {"data-id": lambda record: record["id"], "class": "x"}})
    nested = tables.Column(accessor="id", attrs={"td": {"data": {"v": lambda value: value}}})
    templated = tables.TemplateColumn("<em>{{ record.name }}</em>", orderable=False)
    localized = tables.Column(accessor="number", localize=True)
    unlocalized = tables.Column(accessor="number", localize=False)
    missing = tables.Column(accessor="no__such__thing")

    class Meta:
        attrs = {"class": "table everything", "thead": {"class": "head"}, "tbody": {"id": "body"}}
        row_attrs = {
            "data-row": lambda record: record["id"],
            "class": lambda record: "odd-one" if record["id"] % 2 else "",
        }
        empty_text = "Nothing <here>"

    def render_html(self, value):
        return format_html("<b>{}</b>", value)

    def render_kwargs_only(self, **kwargs):
        return f"{kwargs['record']['id']}/{kwargs['bound_column'].name}"

    def get_column_class_names(self, classes_set, bound_column):
        return {*super().get_column_class_names(classes_set, bound_column), f"col-{bound_column.name}"}


ROWS = [
    {
        "id": index,
        "name": f"Row <{index}> & co",
        "plain": None if index % 3 == 0 else f"p{index}",
        "number": 1234 * index,
        "html": mark_safe("<i>safe</i>") if index % 2 else "<script>x</script>",
        "when": dt.date(2026, 1, index),
    }
    for index in range(1, 9)
]


@pytest.mark.parametrize("query", ["", "?page=2", "?page=3&sort=-name", "?sort=plain&x=%3C%3E", "?page=99"])
def test_same_markup_as_the_stock_template(query):
    html = assert_same_markup(Everything, ROWS, query)
    assert "pagination" in html
    if query != "?page=99":  # past the end: django-tables2 shows the last page
        assert 'data-row="' in html and 'data-id="' in html and 'class="col-name"' in html


def test_same_markup_for_an_empty_table_with_and_without_empty_text():
    html = assert_same_markup(Everything, [])
    assert "Nothing &lt;here&gt;" in html

    class Quiet(Everything):
        class Meta(Everything.Meta):
            empty_text = None

    assert_same_markup(Quiet, [])


def test_same_markup_with_excluded_columns_and_a_footer():
    class WithFooter(Everything):
        number = NumberColumn(footer="sum")

    assert_same_markup(WithFooter, ROWS, exclude=("html", "templated"))


@pytest.mark.django_db
def test_same_markup_for_a_model_table_with_choices_and_foreign_keys():
    for _ in range(4):
        HealthCenterFactory()
    html = assert_same_markup(HealthCenterTable, HealthCenter.objects.select_related("province", "city"), "?sort=city")
    assert str(HealthCenter.objects.first().get_kind_display()) in html


def test_signature_cache_calls_like_django_tables2():
    calls = SignatureCache()
    available = {"value": 1, "record": "r", "table": "t"}

    def wants_value(value):
        return ("value", value)

    def wants_everything(**kwargs):
        return sorted(kwargs)

    def wants_missing(value, nonsense):
        return "called"

    assert calls.call(wants_value, available) == ("value", 1)
    assert calls.call(wants_value, {"value": 2}) == ("value", 2)  # cached signature, fresh arguments
    assert calls.call(wants_everything, available) == ["record", "table", "value"]
    assert calls.call(wants_missing, available) is None
