"""Why units stay unmet: one reason code per order, with the facts the Persian sentence needs."""

import datetime as dt

from production.allocation import (
    BELOW_MINIMUM,
    CAPACITY_TAKEN,
    NO_FREE_CAPACITY_BEFORE,
    NO_MAKER,
    NO_MAKER_IN_TIME,
    NOT_WORTH_IT,
    PARTLY_MET,
    ExistingLoad,
    Options,
    OrderDemand,
    Weights,
    WorkshopSupply,
    allocate,
)
from workshops.calendar import DEFAULT_WEEKDAY_MASK, WorkCalendar

TODAY = dt.date(2026, 11, 28)  # a Saturday
MASK, GOWN = 1, 2
TEHRAN, ISFAHAN = 1, 2
TEHRAN_CITY, ISFAHAN_CITY = 10, 20
SAT_TO_THU = WorkCalendar(DEFAULT_WEEKDAY_MASK)
DUE = TODAY + dt.timedelta(days=5)  # Thursday: 5 working days from tomorrow


def order(order_id, units, due=DUE, product=MASK, priority="normal"):
    return OrderDemand(order_id, product, TEHRAN, TEHRAN_CITY, units, due, priority)


def workshop(workshop_id, rates, calendar=SAT_TO_THU, loads=(), province=TEHRAN, city=TEHRAN_CITY):
    return WorkshopSupply(workshop_id, province, city, rates, calendar, False, tuple(loads))


def reasons(orders, workshops, **options):
    plan = allocate(orders, workshops, today=TODAY, options=Options(**options))
    return {item.order_id: item for item in plan.unmet}


def test_an_order_nobody_makes_is_unmet_with_no_maker():
    unmet = reasons([order(1, 40, product=GOWN)], [workshop(1, {MASK: 100})])[1]
    assert unmet.reason == NO_MAKER
    assert unmet.units == 40
    assert unmet.params == {
        "product_id": GOWN,
        "province_id": TEHRAN,
        "due_date": DUE,
        "units": 40,
        "met": 0,
        "unmet": 40,
        "makers": 0,
        "priority": "normal",
        "partial": False,
    }


def test_makers_closed_until_after_the_due_date_give_no_maker_in_time():
    closed = WorkCalendar(DEFAULT_WEEKDAY_MASK, ((TODAY, DUE),))
    unmet = reasons([order(1, 40)], [workshop(1, {MASK: 100}, calendar=closed)])[1]
    assert unmet.reason == NO_MAKER_IN_TIME
    assert unmet.params["makers"] == 1


def test_makers_whose_time_is_taken_by_quotas_they_hold_give_no_free_capacity_before():
    busy = [ExistingLoad(MASK, 500, DUE)]
    unmet = reasons([order(1, 40)], [workshop(1, {MASK: 100}, loads=busy)])[1]
    assert unmet.reason == NO_FREE_CAPACITY_BEFORE
    assert unmet.params["due_date"] == DUE


def test_capacity_running_out_gives_partly_met_with_what_was_met():
    unmet = reasons([order(1, 800)], [workshop(1, {MASK: 100})])[1]
    assert unmet.reason == PARTLY_MET
    assert (unmet.params["met"], unmet.params["units"], unmet.params["unmet"]) == (500, 800, 300)


def test_capacity_given_to_a_more_urgent_order_gives_capacity_taken():
    result = reasons([order(1, 500, priority="urgent"), order(2, 100)], [workshop(1, {MASK: 100})])
    assert list(result) == [2]
    assert result[2].reason == CAPACITY_TAKEN
    assert result[2].params["met"] == 0


def test_room_too_small_for_a_minimum_quota_gives_below_minimum():
    # Each workshop has room for 8 masks by tomorrow; quotas must have at least 10.
    tomorrow = TODAY + dt.timedelta(days=1)
    unmet = reasons([order(1, 16, due=tomorrow)], [workshop(1, {MASK: 8}), workshop(2, {MASK: 8})])[1]
    assert unmet.reason == BELOW_MINIMUM
    assert unmet.params["min_quota"] == 10
    assert unmet.params["largest_room"] == 8


def test_a_remainder_smaller_than_the_minimum_with_only_small_room_left_gives_below_minimum():
    # 505 masks: workshop 1 makes 500 by the due date, workshop 2 has room for 8 only.
    tomorrow = TODAY + dt.timedelta(days=1)
    workshops = [workshop(1, {MASK: 100}), workshop(2, {MASK: 8}, loads=[ExistingLoad(MASK, 32, tomorrow)])]
    unmet = reasons([order(1, 505)], workshops)[1]
    assert unmet.reason == BELOW_MINIMUM
    assert (unmet.params["met"], unmet.params["unmet"]) == (500, 5)


def test_an_order_below_the_minimum_that_fits_nowhere_whole_gives_below_minimum():
    tomorrow = TODAY + dt.timedelta(days=1)
    unmet = reasons([order(1, 7, due=tomorrow)], [workshop(1, {MASK: 4}), workshop(2, {MASK: 4})])[1]
    assert unmet.reason == BELOW_MINIMUM


def test_units_costing_more_to_place_than_to_leave_unmet_give_not_worth_it():
    far = workshop(1, {MASK: 100}, province=ISFAHAN, city=ISFAHAN_CITY)
    weights = Weights(priority={"urgent": 1000.0, "high": 300.0, "normal": 3.0})
    unmet = reasons([order(1, 40)], [far], weights=weights)[1]
    assert unmet.reason == NOT_WORTH_IT


def test_orders_fully_met_have_no_reason_and_reasons_are_sorted_by_order():
    result = reasons(
        [order(3, 40, product=GOWN), order(1, 100), order(2, 40, product=GOWN)],
        [workshop(1, {MASK: 100})],
    )
    assert list(result) == [2, 3]
