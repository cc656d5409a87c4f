"""Around the allocation engine: work a workshop still owes, a workshop suspended while a commit runs, and a
re-run's remainder below the minimum quota.

The races themselves (a suspension and a commit at the same moment) are in
``test_allocation_hole_races.py`` on PostgreSQL; here the suspension is slipped
in between planning and writing in one thread.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from orders.models import Order, OrderStatus
from production.allocation_report import summarize, unmet_sentence
from production.models import AllocationRun, AllocationRunStatus, Quota, QuotaStatus
from production.services import allocation as allocation_service
from production.services.allocation import allocation_commit
from workshops.models import Workshop, WorkshopStatus

from .. import factories

TODAY = timezone.localdate()
MASK = "surgical-mask-3ply"


def _funded_order(units: int, days: int = 12) -> Order:
    return factories.funded_order(units=units, product_code=MASK, days=days)


def _maker(rate: int) -> Workshop:
    return factories.maker(rate=rate, product_code=MASK)


def _owes(workshop: Workshop, *, units: int, due_date: dt.date) -> Quota:
    """An accepted quota of another (unfunded) order with ``units`` still to make, on pace so nothing is released."""
    other = factories.OrderFactory(product=factories.product(MASK), status=OrderStatus.IN_PRODUCTION)
    return factories.QuotaFactory(
        order=other, workshop=workshop, quantity=100, produced_units=100 - units, due_date=due_date
    )


def _offered_units(result) -> dict[int, int]:
    return {allocation.workshop_id: allocation.units for allocation in result.plan.allocations}


def test_work_a_workshop_still_owes_on_overdue_or_due_today_quotas_leaves_it_fewer_new_units(db, coordinator):
    _funded_order(units=5000)  # far more than the three workshops can make: every free day is used
    free, overdue, due_today = _maker(rate=10), _maker(rate=10), _maker(rate=10)
    _owes(overdue, units=30, due_date=TODAY - dt.timedelta(days=3))  # three days of work, already late
    _owes(due_today, units=20, due_date=TODAY)
    offered = _offered_units(allocation_commit(actor=coordinator, provinces=None))
    assert offered[free.pk] - offered[overdue.pk] == 30
    assert offered[free.pk] - offered[due_today.pk] == 20


def _suspend_after_planning(monkeypatch, workshop: Workshop) -> None:
    """What another coordinator's suspension looks like to a commit that read the workshop as verified."""
    real_plan = allocation_service._plan

    def plan_then_suspend(*args, **kwargs):
        result = real_plan(*args, **kwargs)
        Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.SUSPENDED)
        return result

    monkeypatch.setattr(allocation_service, "_plan", plan_then_suspend)


def test_a_workshop_suspended_after_the_plan_was_made_is_offered_nothing(db, coordinator, monkeypatch):
    order = _funded_order(units=300, days=30)
    workshop = _maker(rate=100)
    _suspend_after_planning(monkeypatch, workshop)
    result = allocation_commit(actor=coordinator, provinces=None)
    assert not Quota.objects.exists()
    assert result.quotas == []
    assert [(a.order_id, a.workshop_id, a.units) for a in result.dropped] == [(order.pk, workshop.pk, 300)]
    summary = summarize(result)
    assert summary["dropped"] == [
        {
            "order_id": order.pk,
            "number": order.number,
            "workshop_id": workshop.pk,
            "workshop": workshop.name,
            "units": 300,
        }
    ]
    assert summary["totals"]["dropped_units"] == 300
    assert summary["totals"]["allocated_units"] == 0


def test_the_units_dropped_for_a_suspended_workshop_go_to_another_one_on_the_next_run(db, coordinator, monkeypatch):
    _funded_order(units=300, days=30)
    suspended = _maker(rate=100)
    with monkeypatch.context() as patch:
        _suspend_after_planning(patch, suspended)
        allocation_commit(actor=coordinator, provinces=None)
    other = _maker(rate=100)
    allocation_commit(actor=coordinator, provinces=None)
    quota = Quota.objects.get()
    assert (quota.workshop, quota.quantity, quota.status) == (other, 300, QuotaStatus.OFFERED)


def test_the_run_page_lists_the_units_not_offered_because_the_workshop_was_suspended(client_for, coordinator):
    order, workshop = _funded_order(units=300, days=30), _maker(rate=100)
    dropped = {"order_id": order.pk, "number": order.number, "workshop_id": workshop.pk, "workshop": workshop.name}
    run = AllocationRun.objects.create(
        created_by=coordinator,
        province_codes=["tehran"],
        dry_run=False,
        status=AllocationRunStatus.DONE,
        result={"totals": {}, "orders": [], "dropped": [{**dropped, "units": 300}]},
    )
    page = client_for(coordinator).get(reverse("orders:allocation-run", args=[run.pk])).content.decode()
    assert "پیشنهاد نشد: کارگاه در میانهٔ تخصیص تعلیق شد" in page
    assert workshop.name in page
    assert "۳۰۰" in page


def test_a_re_run_leaves_a_remainder_below_the_minimum_waiting_instead_of_offering_a_one_unit_quota(db, coordinator):
    order = _funded_order(units=4400, days=20)
    holder = _maker(rate=500)
    factories.QuotaFactory(order=order, workshop=holder, quantity=4399, due_date=TODAY + dt.timedelta(days=15))
    _maker(rate=500)
    result = allocation_commit(actor=coordinator, provinces=None)
    assert result.quotas == []
    assert Quota.objects.filter(order=order).count() == 1
    [entry] = [entry for entry in summarize(result)["orders"] if entry["order_id"] == order.pk]
    assert (entry["unmet_units"], entry["unmet_reason"]) == (1, "BELOW_MINIMUM")


def test_an_order_smaller_than_the_minimum_as_a_whole_still_gets_its_one_quota(db, coordinator):
    order = _funded_order(units=6, days=20)
    _maker(rate=500)
    result = allocation_commit(actor=coordinator, provinces=None)
    assert [(quota.order_id, quota.quantity) for quota in result.quotas] == [(order.pk, 6)]


def test_the_preview_says_a_small_remainder_waits_and_that_urgent_orders_come_first(db):
    with translation.override("en"):
        waiting = unmet_sentence("BELOW_MINIMUM", {"unmet": 1, "min_quota": 10, "partial": True, "met": 0})
        urgent = unmet_sentence("CAPACITY_TAKEN", {"priority": "urgent", "product_id": factories.product(MASK).pk})
    assert "they wait until more of the order is funded" in waiting
    assert urgent.endswith("Urgent orders come first: this time went only to other urgent orders.")
    with translation.override("fa"):
        assert "سفارش‌های فوری مقدم‌اند" in unmet_sentence("CAPACITY_TAKEN", {"priority": "urgent"})
