"""Stale demand: an order whose needed-by date has passed without full delivery is flagged and filtered."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, OrderStatus
from orders.selectors import is_stale, order_list, stale_orders

from .. import factories

TODAY = dt.date(2026, 3, 7)
YESTERDAY = TODAY - dt.timedelta(days=1)


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


@pytest.mark.parametrize(
    "status", [OrderStatus.REQUESTED, OrderStatus.OPEN, OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION]
)
def test_an_order_still_waiting_for_goods_after_its_needed_by_date_is_stale(db, status):
    order = factories.OrderFactory(status=status, needed_by=YESTERDAY)
    assert is_stale(order, TODAY)
    assert list(stale_orders(Order.objects.all(), TODAY)) == [order]


@pytest.mark.parametrize("status", [OrderStatus.DELIVERED, OrderStatus.CLOSED, OrderStatus.CANCELLED])
def test_delivered_closed_and_cancelled_orders_are_never_stale(db, status):
    order = factories.OrderFactory(status=status, needed_by=YESTERDAY)
    assert not is_stale(order, TODAY)
    assert not stale_orders(Order.objects.all(), TODAY).exists()


def test_an_order_needed_today_is_not_stale_yet(db):
    order = factories.OrderFactory(needed_by=TODAY)
    assert not is_stale(order, TODAY)
    assert not stale_orders(Order.objects.all(), TODAY).exists()


def test_the_list_marks_each_order_stale_or_not(coordinator):
    stale = factories.OrderFactory(needed_by=YESTERDAY)
    fresh = factories.OrderFactory(needed_by=TODAY + dt.timedelta(days=3))
    flags = dict(order_list(coordinator, TODAY).values_list("pk", "stale"))
    assert flags == {stale.pk: True, fresh.pk: False}


def test_stale_orders_show_a_badge_in_the_list_and_on_their_page(client_for, coordinator):
    today = timezone.localdate()
    stale = factories.OrderFactory(needed_by=today - dt.timedelta(days=3))
    factories.OrderFactory(needed_by=today + dt.timedelta(days=3))
    client = english(client_for(coordinator))
    listing = client.get(reverse("orders:list"))
    assert listing.text.count(">Stale</span>") == 1
    page = client.get(reverse("orders:detail", kwargs={"pk": stale.pk}))
    assert "Stale: needed-by date passed" in page.text
    assert "Extend the order with a new date, or cancel it" in page.text


def test_the_stale_filter_keeps_only_stale_or_only_current_orders(client_for, coordinator):
    today = timezone.localdate()
    stale = factories.OrderFactory(needed_by=today - dt.timedelta(days=3))
    current = factories.OrderFactory(needed_by=today + dt.timedelta(days=3))
    delivered_late = factories.OrderFactory(needed_by=today - dt.timedelta(days=3), status=OrderStatus.DELIVERED)
    client = client_for(coordinator)
    only_stale = client.get(reverse("orders:list"), {"stale": "yes"})
    assert [row.pk for row in only_stale.context["table"].page.object_list.data] == [stale.pk]
    not_stale = client.get(reverse("orders:list"), {"stale": "no"})
    assert {row.pk for row in not_stale.context["table"].page.object_list.data} == {current.pk, delivered_late.pk}
