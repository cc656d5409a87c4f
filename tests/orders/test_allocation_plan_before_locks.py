"""A commit plans before it takes its locks, and writes that plan only if it still holds on the data read under them.

The world is changed in the ``after_plan`` hook, between the plan and the
locks: a refund, a second commit, a capacity cut, a cancelled order, a new day.
Each time the commit re-checks the plan on the fresh data, finds it broken,
solves again under the locks and writes only what is funded and fits. When
nothing changed, the quotas written are exactly the plan made before the locks,
solved once. (The same races with real threads and locks are in
``test_allocation_hole_races.py`` and ``test_allocation_concurrency.py`` on PostgreSQL.)
"""

import datetime as dt

from django.utils import timezone

from donors.integrity import integrity_problems
from donors.services.pledges import pledge_refund
from orders.funding import allocated_units, releasable_units
from orders.models import Order, OrderStatus
from production.allocation_report import summarize
from production.models import Quota, QuotaStatus
from production.services import allocation as allocation_service
from production.services.allocation import allocation_commit
from workshops.calendar import WorkCalendar
from workshops.models import Workshop, WorkshopCapacity

from .. import factories

TODAY = timezone.localdate()
MASK = "surgical-mask-3ply"


def _funded_order(units: int, days: int = 30) -> Order:
    return factories.funded_order(units=units, product_code=MASK, days=days)


def _maker(rate: int) -> Workshop:
    return factories.maker(rate=rate, product_code=MASK)


def _written() -> list[tuple[int, int, int, dt.date]]:
    return sorted(Quota.objects.values_list("order_id", "workshop_id", "quantity", "due_date"))


def _planned(plan) -> list[tuple[int, int, int, dt.date]]:
    return sorted((a.order_id, a.workshop_id, a.units, a.due_date) for a in plan.allocations)


def _count_solves(monkeypatch) -> list[int]:
    solves = []
    real_allocate = allocation_service.allocate

    def allocate(*args, **kwargs):
        solves.append(1)
        return real_allocate(*args, **kwargs)

    monkeypatch.setattr(allocation_service, "allocate", allocate)
    return solves


def test_when_nothing_changes_before_the_locks_the_quotas_written_are_the_plan_made_before_them_solved_once(
    db, coordinator, monkeypatch
):
    first, second = _funded_order(units=300), _funded_order(units=2000, days=20)
    _maker(rate=50), _maker(rate=80)
    solves = _count_solves(monkeypatch)
    early = []
    result = allocation_commit(actor=coordinator, provinces=None, after_plan=early.append)
    assert len(solves) == 1
    assert not result.replanned_under_locks
    assert _written() == _planned(early[0].plan) == _planned(result.plan)
    assert {order for order, *_ in _written()} == {first.pk, second.pk}
    assert summarize(result)["replanned_under_locks"] is False


def test_a_refund_between_the_plan_and_the_locks_makes_the_commit_plan_again_and_offer_only_what_is_still_funded(
    db, coordinator, monkeypatch
):
    order, workshop = _funded_order(units=100), _maker(rate=100)
    solves = _count_solves(monkeypatch)

    def refund_40_units(early):
        assert _planned(early.plan) == [(order.pk, workshop.pk, 100, order.needed_by - dt.timedelta(days=2))]
        pledge_refund(pledge=order.pledges.get(), amount=order.unit_cost_rials * 40, actor=coordinator, reason="خیر")

    result = allocation_commit(actor=coordinator, provinces=None, after_plan=refund_40_units)
    assert len(solves) == 2
    assert result.replanned_under_locks
    assert "only 60 may be" in result.replan_reasons[0]
    assert [(quota.workshop, quota.quantity) for quota in Quota.objects.all()] == [(workshop, 60)]
    assert allocated_units(order) == releasable_units(order) == 60
    assert integrity_problems() == []
    summary = summarize(result)
    assert summary["replanned_under_locks"] is True
    assert summary["totals"]["allocated_units"] == 60


def test_a_second_commit_between_the_plan_and_the_locks_leaves_the_first_nothing_to_offer_twice(db, coordinator):
    order = _funded_order(units=300)
    _maker(rate=100), _maker(rate=100)
    second = []

    def another_coordinator_commits(early):
        assert early.plan.allocated_units() == 300
        second.append(allocation_commit(actor=coordinator, provinces=None))

    first = allocation_commit(actor=coordinator, provinces=None, after_plan=another_coordinator_commits)
    assert first.replanned_under_locks and not second[0].replanned_under_locks
    assert first.quotas == []
    assert sum(Quota.objects.values_list("quantity", flat=True)) == allocated_units(order) == 300


def test_a_capacity_cut_between_the_plan_and_the_locks_never_offers_a_workshop_more_than_it_can_now_make(
    db, coordinator
):
    order = _funded_order(units=6000, days=30)  # more than both workshops can make by its due date
    cut, other = _maker(rate=100), _maker(rate=100)

    def cut_to_ten_a_day(early):
        assert {a.workshop_id for a in early.plan.allocations} == {cut.pk, other.pk}
        WorkshopCapacity.objects.filter(workshop=cut).update(units_per_day=10)

    result = allocation_commit(actor=coordinator, provinces=None, after_plan=cut_to_ten_a_day)
    assert result.replanned_under_locks
    offered = dict(Quota.objects.values_list("workshop", "quantity"))
    # Quotas are due 28 days from today: at most 27 working days from tomorrow, at 10 a day now.
    assert 0 < offered[cut.pk] <= 270
    assert offered[other.pk] == 10 * offered[cut.pk]  # the same calendar: each makes all it can by then
    assert sum(offered.values()) <= releasable_units(order)


def test_an_order_cancelled_between_the_plan_and_the_locks_gets_no_quota(db, coordinator):
    cancelled, kept = _funded_order(units=300), _funded_order(units=300)
    _maker(rate=100)

    def cancel(early):
        assert {a.order_id for a in early.plan.allocations} == {cancelled.pk, kept.pk}
        Order.objects.filter(pk=cancelled.pk).update(status=OrderStatus.CANCELLED)

    result = allocation_commit(actor=coordinator, provinces=None, after_plan=cancel)
    assert result.replanned_under_locks
    assert list(Quota.objects.values_list("order", "quantity")) == [(kept.pk, 300)]


def test_an_order_that_became_slower_to_sew_is_checked_with_everything_else_its_workshop_was_given(db, coordinator):
    small, large = _funded_order(units=100), _funded_order(units=2000)
    workshop = _maker(rate=100)
    WorkshopCapacity.objects.create(workshop=workshop, product=factories.product("isolation-gown"), units_per_day=10)

    def switch_to_gowns(early):
        assert _planned(early.plan) == [
            (small.pk, workshop.pk, 100, small.needed_by - dt.timedelta(days=2)),
            (large.pk, workshop.pk, 2000, large.needed_by - dt.timedelta(days=2)),
        ]
        # 100 gowns take 10 days alone, which fits; with the 2,000 masks' 20 days they do not.
        Order.objects.filter(pk=small.pk).update(product=factories.product("isolation-gown"))

    result = allocation_commit(actor=coordinator, provinces=None, after_plan=switch_to_gowns)
    assert result.replanned_under_locks
    offered = dict(Quota.objects.values_list("order", "quantity"))
    working_days = WorkCalendar(workshop.working_weekdays).working_days(
        TODAY + dt.timedelta(days=1), small.needed_by - dt.timedelta(days=2)
    )
    assert offered.get(small.pk, 0) / 10 + offered.get(large.pk, 0) / 100 <= working_days


def test_money_that_arrives_while_the_plan_is_made_waits_for_the_next_run_instead_of_solving_again(
    db, coordinator, monkeypatch
):
    planned = _funded_order(units=300)
    _maker(rate=100)
    late = factories.OrderFactory(
        product=factories.product(MASK), quantity=200, status=OrderStatus.FUNDED, needed_by=TODAY + dt.timedelta(30)
    )
    solves = _count_solves(monkeypatch)
    result = allocation_commit(actor=coordinator, provinces=None, after_plan=lambda early: factories.fund_order(late))
    # The plan still holds on the data read under the locks: it is written as made, and the new units wait.
    assert len(solves) == 1 and not result.replanned_under_locks
    assert list(Quota.objects.values_list("order", "quantity")) == [(planned.pk, 300)]
    allocation_commit(actor=coordinator, provinces=None)
    assert Quota.objects.get(order=late).quantity == 200


def test_a_plan_made_before_midnight_is_made_again_for_the_new_day_under_the_locks(db, coordinator, monkeypatch):
    _funded_order(units=300)
    _maker(rate=100)
    solves = _count_solves(monkeypatch)

    def midnight_passes(early):
        monkeypatch.setattr(allocation_service, "_today", lambda: TODAY + dt.timedelta(days=1))

    result = allocation_commit(actor=coordinator, provinces=None, after_plan=midnight_passes)
    assert len(solves) == 2
    assert result.replanned_under_locks and "day changed" in result.replan_reasons[0]
    assert result.today == TODAY + dt.timedelta(days=1)
    assert sum(Quota.objects.values_list("quantity", flat=True)) == 300


def test_units_a_late_quota_releases_under_the_locks_go_where_the_plan_before_the_locks_sent_them(
    db, coordinator, monkeypatch
):
    order = _funded_order(units=120, days=40)
    late = factories.quota_far_behind_pace(order)
    other = _maker(rate=50)
    solves = _count_solves(monkeypatch)
    result = allocation_commit(actor=coordinator, provinces=None)
    # The plan counted the release as done; under the locks it is, so the plan holds as it was made.
    assert len(solves) == 1 and not result.replanned_under_locks
    late.refresh_from_db()
    assert late.released_units == 110
    assert list(Quota.objects.filter(status=QuotaStatus.OFFERED).values_list("workshop", "quantity")) == [
        (other.pk, 110)
    ]
