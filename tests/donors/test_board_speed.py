"""The funding board's speed-ups show the same thing as before: one query for a page and its count,
``gap_units`` worked out in Python, and the filter's ``<select>``s written without templates."""

import pytest
from django import forms
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Province
from core.pagination import PageAndCountPaginator
from core.persian import group_thousands
from core.widgets import FastSelect
from donors.filters.donor import BoardFilter, board_orders, gap_units
from donors.views.donor import BOARD_PAGE_SIZE

from .. import factories

# --- The filter form ----------------------------------------------------------------------------------------


def _with_template_selects(filterset: BoardFilter) -> BoardFilter:
    for field in filterset.form.fields.values():
        if isinstance(field.widget, FastSelect):
            template_select = forms.Select(attrs=field.widget.attrs)
            template_select.choices = field.widget.choices
            field.widget = template_select
    return filterset


@pytest.mark.parametrize("data", [{}, {"priority": "urgent", "gap_min": "۱۰۰"}, {"province": "tehran-pk"}])
def test_the_board_filter_form_is_the_same_html_as_with_djangos_select(db, data):
    data = {**data}
    if data.get("province") == "tehran-pk":
        data["province"] = str(factories.province("tehran").pk)
    factories.product()
    quick = BoardFilter(data=data, queryset=board_orders()).form.as_p()
    templated = _with_template_selects(BoardFilter(data=data, queryset=board_orders())).form.as_p()
    assert "<option" in quick
    assert quick == templated


# --- PageAndCountPaginator ------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_page", [1, 4, 10])
def test_page_and_count_paginator_gives_the_pages_and_count_djangos_paginator_gives(db, per_page):
    factories.province("tehran")
    factories.province("isfahan")
    rows = Province.objects.order_by("name_fa", "pk")
    plain = Paginator(rows, per_page)
    for number in plain.page_range:
        quick = PageAndCountPaginator(rows, per_page)
        page = quick.page(number)
        assert list(page.object_list) == list(plain.page(number).object_list)
        assert (quick.count, quick.num_pages) == (plain.count, plain.num_pages)
        assert (page.has_next(), page.has_previous()) == (plain.page(number).has_next(), number > 1)


def test_page_and_count_paginator_reads_page_and_count_in_one_query(db):
    factories.province("tehran")
    total = Province.objects.count()
    paginator = PageAndCountPaginator(Province.objects.order_by("pk"), 2)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(1)
        assert paginator.count == total
        list(page)
    assert len(captured) == 1


def test_page_and_count_paginator_counts_a_distinct_query_apart(db):
    factories.province("tehran")
    rows = Province.objects.distinct().order_by("pk")
    first_two, total = list(rows[:2]), rows.count()
    paginator = PageAndCountPaginator(rows, 2)
    with CaptureQueriesContext(connection) as captured:
        assert list(paginator.page(1)) == first_two
        assert paginator.count == total
    assert len(captured) == 2  # the count, then the page


def test_page_and_count_paginator_refuses_a_page_past_the_end_and_allows_an_empty_first_page(db):
    factories.province("tehran")
    rows = Province.objects.order_by("pk")
    with pytest.raises(EmptyPage):
        PageAndCountPaginator(rows, 2).page(Province.objects.count() + 5)
    empty = PageAndCountPaginator(rows.none(), 2)
    assert list(empty.page(1)) == []
    assert empty.count == 0
    with pytest.raises(EmptyPage):
        PageAndCountPaginator(rows.none(), 2, allow_empty_first_page=False).page(1)


# --- The board's pages --------------------------------------------------------------------------------------------


def test_the_boards_second_page_and_a_page_past_the_end(client, db):
    product = factories.product()
    orders = [factories.OrderFactory(product=product) for _ in range(BOARD_PAGE_SIZE + 2)]
    first = client.get(reverse("giving:board"))
    second = client.get(reverse("giving:board"), {"page": 2})
    assert first.context["paginator"].count == second.context["paginator"].count == len(orders)
    shown = list(first.context["orders"]) + list(second.context["orders"])
    assert shown == list(board_orders())
    assert len(second.context["orders"]) == 2
    assert client.get(reverse("giving:board"), {"page": "last"}).context["page_obj"].number == 2
    assert client.get(reverse("giving:board"), {"page": 3}).status_code == 404


def test_the_board_costs_the_same_queries_for_one_order_as_for_a_full_page_and_more(client, db):
    product = factories.product()

    def queries_with(count: int) -> int:
        while board_orders().count() < count:
            factories.OrderFactory(product=product)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("giving:board")).status_code == 200
        return len(captured)

    assert queries_with(1) == queries_with(BOARD_PAGE_SIZE + 3)


def test_gap_units_are_the_whole_units_the_gap_pays_for(client, db):
    order = factories.OrderFactory(quantity=1000)
    factories.PledgeFactory(order=order, amount_rials=order.unit_cost_rials * 100 + 1)  # leaves 899.99… units
    shown = board_orders().get(pk=order.pk)
    assert gap_units(shown) == 899
    page = client.get(reverse("giving:board")).content.decode()
    assert f"<dd>{group_thousands(899, persian=True)}</dd>" in page
