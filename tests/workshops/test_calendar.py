"""Working days and the time-shared capacity rule, on plain values (no database)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from workshops.calendar import (
    DEFAULT_WEEKDAY_MASK,
    FRIDAY,
    SATURDAY,
    THURSDAY,
    WEEK_ORDER,
    Load,
    WorkCalendar,
    loads_at_risk,
    mask_from_weekdays,
    weekdays_from_mask,
)

TODAY = dt.date(2026, 11, 28)  # a Saturday (7 Azar 1405)
SUNDAY_AFTER = dt.date(2026, 11, 29)
NEXT_SATURDAY = dt.date(2026, 12, 5)  # Sunday..Thursday + Saturday: 6 working days from tomorrow
GOWN, MASK = 1, 2


def test_the_iranian_week_starts_on_saturday_and_the_default_is_saturday_to_thursday():
    assert TODAY.weekday() == SATURDAY
    assert WEEK_ORDER[0] == SATURDAY and WEEK_ORDER[-1] == FRIDAY
    assert weekdays_from_mask(DEFAULT_WEEKDAY_MASK) == list(WEEK_ORDER[:-1])


def test_working_days_count_only_the_chosen_weekdays():
    full_week = WorkCalendar(DEFAULT_WEEKDAY_MASK)
    assert full_week.working_days(SUNDAY_AFTER, NEXT_SATURDAY) == 6  # Friday off
    two_days = WorkCalendar(mask_from_weekdays([SATURDAY, THURSDAY]))
    assert two_days.working_days(SUNDAY_AFTER, NEXT_SATURDAY) == 2
    assert two_days.working_days(TODAY, TODAY) == 1


def test_working_days_skip_closed_ranges_with_both_ends_included():
    closed = ((dt.date(2026, 11, 30), dt.date(2026, 12, 1)),)  # Monday and Tuesday off
    calendar = WorkCalendar(DEFAULT_WEEKDAY_MASK, closed)
    assert calendar.working_days(SUNDAY_AFTER, NEXT_SATURDAY) == 4
    assert not calendar.is_working_day(dt.date(2026, 11, 30))
    assert not calendar.is_working_day(dt.date(2026, 12, 4))  # a Friday
    assert calendar.is_working_day(dt.date(2026, 12, 2))


def test_working_days_are_zero_when_the_range_is_empty():
    assert WorkCalendar(DEFAULT_WEEKDAY_MASK).working_days(NEXT_SATURDAY, SUNDAY_AFTER) == 0


def at_risk(loads, rates, closed=()):
    return loads_at_risk(calendar=WorkCalendar(DEFAULT_WEEKDAY_MASK, closed), rates=rates, loads=loads, today=TODAY)


def test_a_schedule_that_exactly_fits_the_working_days_is_not_at_risk():
    loads = [Load("gowns", NEXT_SATURDAY, GOWN, 60)]  # 60 / 10 a day = 6 days of 6
    assert at_risk(loads, {GOWN: 10}) == []


def test_a_schedule_one_unit_too_big_is_at_risk():
    loads = [Load("gowns", NEXT_SATURDAY, GOWN, 61)]
    assert at_risk(loads, {GOWN: 10}) == ["gowns"]


def test_days_off_can_put_a_fitting_schedule_at_risk():
    loads = [Load("gowns", NEXT_SATURDAY, GOWN, 60)]
    assert at_risk(loads, {GOWN: 10}, closed=((dt.date(2026, 12, 1), dt.date(2026, 12, 1)),)) == ["gowns"]


def test_time_is_shared_between_products_so_two_quotas_that_fit_alone_may_not_fit_together():
    gowns = Load("gowns", dt.date(2026, 12, 2), GOWN, 30)  # 3 days, due Wednesday (4 working days)
    masks = Load("masks", NEXT_SATURDAY, MASK, 400)  # 4 days, due Saturday (6 working days)
    rates = {GOWN: 10, MASK: 100}
    assert at_risk([gowns], rates) == []
    assert at_risk([masks], rates) == []
    assert at_risk([gowns, masks], rates) == ["masks"]  # 3 + 4 = 7 days > 6


def test_a_quota_of_a_product_whose_capacity_was_removed_is_at_risk():
    loads = [Load("gowns", NEXT_SATURDAY, GOWN, 10), Load("masks", NEXT_SATURDAY, MASK, 1)]
    assert at_risk(loads, {GOWN: 10}) == ["masks"]
    assert at_risk(loads, {GOWN: 10, MASK: 0}) == ["masks"]


def test_finished_quotas_take_no_time():
    loads = [Load("done", SUNDAY_AFTER, GOWN, 0), Load("gowns", NEXT_SATURDAY, GOWN, 60)]
    assert at_risk(loads, {GOWN: 10}) == []


def test_at_risk_quotas_are_listed_earliest_due_first():
    late = Load("late", NEXT_SATURDAY, MASK, 1)
    early = Load("early", SUNDAY_AFTER, MASK, 1)
    assert at_risk([late, early], {GOWN: 10}) == ["early", "late"]


@settings(max_examples=300, deadline=None)
@given(
    mask=st.integers(min_value=0, max_value=0x7F),
    first=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)),
    span=st.integers(min_value=-3, max_value=120),
    closed=st.lists(
        st.tuples(
            st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2028, 1, 31)),
            st.integers(min_value=-2, max_value=40),
        ),
        max_size=4,
    ),
)
def test_working_days_are_the_working_days_counted_one_by_one(mask, first, span, closed):
    calendar = WorkCalendar(mask, tuple((start, start + dt.timedelta(days=length)) for start, length in closed))
    last = first + dt.timedelta(days=span)
    one_by_one = sum(
        calendar.is_working_day(first + dt.timedelta(days=offset)) for offset in range((last - first).days + 1)
    )
    assert calendar.working_days(first, last) == one_by_one
