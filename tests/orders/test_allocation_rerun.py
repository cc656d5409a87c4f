"""A second allocation run on an order that already has quotas: no quota below the minimum size (issue 15)."""

import datetime as dt

from django.utils import timezone

from orders.allocation_report import summarize
from orders.allocation_service import allocation_commit
from orders.models import OrderStatus, Quota
from workshops.models import WorkshopCapacity

from .. import factories

TODAY = timezone.localdate()
MASK = "surgical-mask-3ply"


def _maker(rate: int):
    workshop = factories.WorkshopFactory()
    WorkshopCapacity.objects.create(workshop=workshop, product=factories.product(MASK), units_per_day=rate)
    return workshop


def test_a_re_run_leaves_a_remainder_below_the_minimum_waiting_instead_of_offering_a_one_unit_quota(db, coordinator):
    order = factories.fund_order(
        factories.OrderFactory(
            product=factories.product(MASK),
            quantity=4400,
            status=OrderStatus.FUNDED,
            needed_by=TODAY + dt.timedelta(days=20),
        )
    )
    holder = _maker(rate=500)
    factories.QuotaFactory(order=order, workshop=holder, quantity=4399, due_date=TODAY + dt.timedelta(days=15))
    _maker(rate=500)
    result = allocation_commit(actor=coordinator, provinces=None)
    assert result.quotas == []
    assert Quota.objects.filter(order=order).count() == 1
    [entry] = [entry for entry in summarize(result)["orders"] if entry["order_id"] == order.pk]
    assert (entry["unmet_units"], entry["unmet_reason"]) == (1, "BELOW_MINIMUM")


def test_an_order_smaller_than_the_minimum_as_a_whole_still_gets_its_one_quota(db, coordinator):
    order = factories.fund_order(
        factories.OrderFactory(
            product=factories.product(MASK),
            quantity=6,
            status=OrderStatus.FUNDED,
            needed_by=TODAY + dt.timedelta(days=20),
        )
    )
    _maker(rate=500)
    result = allocation_commit(actor=coordinator, provinces=None)
    assert [(quota.order_id, quota.quantity) for quota in result.quotas] == [(order.pk, 6)]


def test_the_preview_says_a_small_remainder_waits_and_that_urgent_orders_come_first(db):
    from django.utils import translation

    from orders.allocation_report import unmet_sentence

    with translation.override("en"):
        waiting = unmet_sentence("BELOW_MINIMUM", {"unmet": 1, "min_quota": 10, "partial": True, "met": 0})
        urgent = unmet_sentence("CAPACITY_TAKEN", {"priority": "urgent", "product_id": factories.product(MASK).pk})
    assert "they wait until more of the order is funded" in waiting
    assert urgent.endswith("Urgent orders come first: this time went only to other urgent orders.")
    with translation.override("fa"):
        assert "سفارش‌های فوری مقدم‌اند" in unmet_sentence("CAPACITY_TAKEN", {"priority": "urgent"})
