"""Hard constraints of the allocation engine, one by one, on hand-made instances (no database).

Each rule is checked twice: the engine's plan keeps it, and the independent
checker flags a hand-written plan that breaks it.
"""

import datetime as dt

import pytest

from production.allocation import Allocation, ExistingLoad, Options, OrderDemand, WorkshopSupply, allocate, check_plan
from workshops.calendar import DEFAULT_WEEKDAY_MASK, WorkCalendar

TODAY = dt.date(2026, 11, 28)  # a Saturday; Friday is the day off
MASK, GOWN = 1, 2
TEHRAN, ISFAHAN = 1, 2
TEHRAN_CITY, ISFAHAN_CITY = 10, 20
SAT_TO_THU = WorkCalendar(DEFAULT_WEEKDAY_MASK)


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


# Working days from tomorrow (Sunday): day(5) (Thursday) -> 5, day(7) (Saturday) -> 6, day(11) -> 10, day(12) -> 11.


DUE = day(12)


def order(order_id, units, due=DUE, product=MASK, province=TEHRAN, city=TEHRAN_CITY, priority="normal"):
    return OrderDemand(order_id, product, province, city, units, due, priority)


def workshop(workshop_id, rates, province=TEHRAN, city=TEHRAN_CITY, calendar=SAT_TO_THU, woman_head=False, loads=()):
    return WorkshopSupply(workshop_id, province, city, rates, calendar, woman_head, tuple(loads))


def units_of(plan) -> dict[tuple[int, int], int]:
    return {(a.order_id, a.workshop_id): a.units for a in plan.allocations}


def test_a_workshop_only_gets_the_products_it_declared():
    workshops = [workshop(1, {MASK: 100}), workshop(2, {GOWN: 10})]
    orders = [order(1, 300, product=MASK), order(2, 40, product=GOWN)]
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 300, (2, 2): 40}
    assert check_plan(plan, orders, workshops, today=TODAY) == []


def test_the_checker_flags_a_quota_for_a_product_the_workshop_never_declared():
    workshops = [workshop(1, {MASK: 100})]
    orders = [order(1, 40, product=GOWN)]
    problems = check_plan([Allocation(1, 1, 40, day(12))], orders, workshops, today=TODAY)
    assert any("has not declared product 2" in problem for problem in problems)


def test_a_suspended_workshop_left_out_of_the_input_gets_nothing_and_the_checker_flags_a_plan_that_uses_it():
    verified = workshop(1, {MASK: 100})
    orders = [order(1, 300)]
    plan = allocate(orders, [verified], today=TODAY)
    assert {a.workshop_id for a in plan.allocations} == {1}
    problems = check_plan([Allocation(1, 99, 300, day(12))], orders, [verified], today=TODAY)
    assert problems == [
        "quota of order 1 at workshop 99: the workshop is not in the input (not verified or out of scope)"
    ]


def test_a_workshop_never_gets_more_than_its_working_days_allow():
    workshops = [workshop(1, {MASK: 100})]
    orders = [order(1, 1000, due=day(5))]  # 5 working days: 500 masks
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 500}
    assert plan.unmet[0].units == 500


def test_the_checker_flags_a_plan_that_overruns_a_workshops_time():
    workshops = [workshop(1, {MASK: 100})]
    orders = [order(1, 1000, due=day(5))]
    problems = check_plan([Allocation(1, 1, 501, day(5))], orders, workshops, today=TODAY)
    assert len(problems) == 1 and "works 5 days from tomorrow" in problems[0]


def test_quotas_already_held_reduce_the_free_time():
    held = ExistingLoad(MASK, 300, day(3))
    workshops = [workshop(1, {MASK: 100}, loads=[held])]
    orders = [order(1, 1000, due=day(5))]
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 200}
    assert check_plan([Allocation(1, 1, 201, day(5))], orders, workshops, today=TODAY) != []


def test_a_quota_held_due_later_still_needs_its_days_before_its_own_due_date():
    # 6 working days until day(7); the held quota needs 4 of them, so new work due by day(5) gets at most 2.
    held = ExistingLoad(MASK, 400, day(7))
    workshops = [workshop(1, {MASK: 100}, loads=[held])]
    orders = [order(1, 1000, due=day(5))]
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 200}
    assert check_plan(plan, orders, workshops, today=TODAY) == []
    assert check_plan([Allocation(1, 1, 300, day(5))], orders, workshops, today=TODAY) != []


def test_a_date_already_overbooked_takes_no_new_work_due_by_then_but_later_work_still_fits():
    held = ExistingLoad(MASK, 700, day(5))  # 7 days of work in 5 working days: already at risk
    workshops = [workshop(1, {MASK: 100}, loads=[held])]
    orders = [order(1, 100, due=day(5)), order(2, 1000, due=day(11))]  # 10 working days by day(11)
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(2, 1): 300}
    assert check_plan([Allocation(1, 1, 10, day(5))], orders, workshops, today=TODAY) != []


def test_closed_days_are_not_working_days():
    closed = WorkCalendar(DEFAULT_WEEKDAY_MASK, ((day(2), day(3)),))  # Monday and Tuesday off
    workshops = [workshop(1, {MASK: 100}, calendar=closed)]
    orders = [order(1, 1000, due=day(5))]
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 300}


def test_working_weekdays_come_from_the_workshops_own_week():
    three_days = WorkCalendar((1 << 5) | (1 << 6) | (1 << 0))  # Saturday, Sunday, Monday
    workshops = [workshop(1, {MASK: 100}, calendar=three_days)]
    orders = [order(1, 1000, due=day(7))]  # Sunday, Monday, Saturday
    assert units_of(allocate(orders, workshops, today=TODAY)) == {(1, 1): 300}


def test_time_is_shared_between_two_products():
    # 5 working days: 300 masks take 3 days, 20 gowns take 2; one more gown would not fit.
    workshops = [workshop(1, {MASK: 100, GOWN: 10})]
    orders = [order(1, 300, due=day(5)), order(2, 21, due=day(5), product=GOWN, priority="urgent")]
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 290, (2, 1): 21}
    assert check_plan(plan, orders, workshops, today=TODAY) == []
    assert check_plan([Allocation(1, 1, 300, day(5)), Allocation(2, 1, 21, day(5))], orders, workshops, today=TODAY)


def test_work_due_later_may_use_earlier_days_but_work_due_earlier_may_not_use_later_ones():
    workshops = [workshop(1, {MASK: 100})]
    orders = [order(1, 800, due=day(5), priority="urgent"), order(2, 800, due=day(11))]  # 5 and 10 working days
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 500, (2, 1): 500}


def test_an_order_never_gets_more_than_its_releasable_units():
    workshops = [workshop(1, {MASK: 100}), workshop(2, {MASK: 100})]
    orders = [order(1, 150)]
    plan = allocate(orders, workshops, today=TODAY)
    assert sum(units_of(plan).values()) == 150
    problems = check_plan(
        [Allocation(1, 1, 100, day(12)), Allocation(1, 2, 60, day(12))], orders, workshops, today=TODAY
    )
    assert problems == ["order 1: 160 units allocated, only 150 may be"]


def test_no_quota_is_below_the_minimum_size():
    # Each workshop has room for 8 masks only: two quotas of 8 would break the minimum of 10.
    workshops = [workshop(1, {MASK: 8}), workshop(2, {MASK: 8})]
    orders = [order(1, 16, due=day(1))]
    plan = allocate(orders, workshops, today=TODAY)
    assert plan.allocations == ()
    problems = check_plan([Allocation(1, 1, 8, day(1)), Allocation(1, 2, 8, day(1))], orders, workshops, today=TODAY)
    assert len(problems) == 2 and all("below the minimum of 10" in problem for problem in problems)


def test_the_minimum_quota_size_is_a_setting():
    workshops = [workshop(1, {MASK: 8}), workshop(2, {MASK: 8})]
    orders = [order(1, 16, due=day(1))]
    plan = allocate(orders, workshops, today=TODAY, options=Options(min_quota=5))
    assert units_of(plan) == {(1, 1): 8, (1, 2): 8}
    assert check_plan(plan, orders, workshops, today=TODAY, min_quota=5) == []


def test_an_order_smaller_than_the_minimum_gets_one_quota_of_exactly_its_units():
    workshops = [workshop(1, {MASK: 100})]
    orders = [order(1, 7)]
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 7}
    assert check_plan(plan, orders, workshops, today=TODAY) == []


def test_an_order_smaller_than_the_minimum_is_never_split_nor_cut():
    workshops = [workshop(1, {MASK: 4}), workshop(2, {MASK: 4})]  # room for 4 each by tomorrow
    orders = [order(1, 7, due=day(1))]
    plan = allocate(orders, workshops, today=TODAY)
    assert plan.allocations == ()
    split = [Allocation(1, 1, 4, day(1)), Allocation(1, 2, 3, day(1))]
    assert "may only get one quota of all of them" in check_plan(split, orders, workshops, today=TODAY)[0]
    assert check_plan([Allocation(1, 1, 4, day(1))], orders, workshops, today=TODAY) != []


def test_a_remainder_below_the_minimum_is_placed_by_moving_units_to_a_new_minimum_quota():
    # Workshop 1 (same city) has room for 300 by day(11), workshop 2 (other province) for plenty: 301 masks.
    workshops = [workshop(1, {MASK: 30}), workshop(2, {MASK: 100}, province=ISFAHAN, city=ISFAHAN_CITY)]
    orders = [order(1, 301, due=day(11))]
    plan = allocate(orders, workshops, today=TODAY)
    assert units_of(plan) == {(1, 1): 291, (1, 2): 10}
    assert check_plan(plan, orders, workshops, today=TODAY) == []


def test_no_quota_has_zero_units_and_the_checker_refuses_one():
    workshops = [workshop(1, {MASK: 100}), workshop(2, {MASK: 100})]
    orders = [order(1, 10), order(2, 0)]
    plan = allocate(orders, workshops, today=TODAY)
    assert all(a.units > 0 for a in plan.allocations)
    assert (
        "a quota needs at least one whole unit"
        in check_plan([Allocation(1, 1, 0, day(12))], orders, workshops, today=TODAY)[0]
    )


def test_every_quota_is_due_on_its_orders_quota_due_date():
    workshops = [workshop(1, {MASK: 100})]
    orders = [order(1, 100, due=day(9)), order(2, 100, due=day(12))]
    plan = allocate(orders, workshops, today=TODAY)
    assert {(a.order_id, a.due_date) for a in plan.allocations} == {(1, day(9)), (2, day(12))}
    assert "due" in check_plan([Allocation(1, 1, 100, day(12))], orders, workshops, today=TODAY)[0]


def test_nothing_is_due_today_or_earlier():
    workshops = [workshop(1, {MASK: 100})]
    orders = [order(1, 100, due=TODAY), order(2, 100, due=day(-3))]
    assert allocate(orders, workshops, today=TODAY).allocations == ()


def test_the_same_id_twice_in_the_input_is_refused():
    with pytest.raises(ValueError, match="duplicate order id"):
        allocate([order(1, 10), order(1, 20)], [workshop(1, {MASK: 100})], today=TODAY)
