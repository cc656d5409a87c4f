"""The dashboard's faster paths give the same answers as the plain ones they replace.

- working days counted by table look-up equal a day-by-day count;
- ``behind_by`` (for lists of thousands of quotas) agrees with ``pace``;
- ``moment_range`` / ``left_in`` pick the same rows as filtering on the local date;
- ``figure_rows`` equals ``province_rows`` and ``product_rows``, and the action lists' window count
  equals a plain count.
"""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from fulfilment.models import DeliveryLine
from orders.models import Order
from production.selectors.quotas import behind_by, pace
from reports.dashboard import figure_rows, product_rows, province_rows
from reports.dashboard_actions import action_lists
from reports.periods import DashboardPeriod, moment_range
from reports.selectors import left_in, left_on_expression
from tests import factories
from tests.reports.test_dashboard import at, days_ago, world  # noqa: F401  (the dashboard tests' fixture)
from workshops.calendar import WorkCalendar
from workshops.models import WorkshopStatus

days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))
masks = st.integers(min_value=0, max_value=127)
closed_ranges = st.lists(st.tuples(days, st.integers(min_value=-3, max_value=40)), max_size=4).map(
    lambda pairs: tuple((start, start + dt.timedelta(days=length)) for start, length in pairs)
)


def day_by_day(calendar: WorkCalendar, first: dt.date, last: dt.date) -> int:
    return sum(calendar.is_working_day(first + dt.timedelta(days=n)) for n in range((last - first).days + 1))


@settings(max_examples=300, deadline=None)
@given(mask=masks, closed=closed_ranges, first=days, length=st.integers(min_value=-3, max_value=400))
def test_working_days_by_table_look_up_equal_a_day_by_day_count(mask, closed, first, length):
    calendar = WorkCalendar(mask, closed)
    last = first + dt.timedelta(days=length)
    assert calendar.working_days(first, last) == day_by_day(calendar, first, last)


@settings(max_examples=300, deadline=None)
@given(
    mask=masks,
    closed=closed_ranges,
    started=days,
    due_in=st.integers(min_value=-10, max_value=120),
    today_in=st.integers(min_value=-10, max_value=150),
    target=st.integers(min_value=0, max_value=5000),
    produced=st.integers(min_value=0, max_value=5000),
)
def test_behind_by_agrees_with_pace(mask, closed, started, due_in, today_in, target, produced):
    values = {
        "calendar": WorkCalendar(mask, closed),
        "started": started,
        "due_date": started + dt.timedelta(days=due_in),
        "target_units": target,
        "produced_units": produced,
        "today": started + dt.timedelta(days=today_in),
    }
    progress = pace(**values)
    assert behind_by(**values) == (progress.expected_by_now if progress.behind else None)


def test_moment_range_picks_the_same_rows_as_the_local_date(db):
    period = DashboardPeriod(days_ago(10), days_ago(5))
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min))
    moments = [start - dt.timedelta(seconds=1), start, at(days_ago(7)), end - dt.timedelta(seconds=1), end]
    for moment in moments:
        order = factories.OrderFactory()
        Order.objects.filter(pk=order.pk).update(created_at=moment)
    by_date = set(Order.objects.filter(created_at__date__range=(period.start, period.end)).values_list("pk"))
    by_moment = set(Order.objects.filter(moment_range("created_at", period)).values_list("pk"))
    assert by_moment == by_date and len(by_moment) == 3


@pytest.mark.usefixtures("world")
def test_left_in_picks_the_lines_whose_left_on_day_is_in_the_period():
    for period in (
        DashboardPeriod.default(),
        DashboardPeriod(days_ago(0), days_ago(0)),
        DashboardPeriod(days_ago(60), days_ago(1)),
    ):
        by_day = set(
            DeliveryLine.objects.annotate(day=left_on_expression())
            .filter(day__range=(period.start, period.end))
            .values_list("pk")
        )
        assert set(DeliveryLine.objects.filter(left_in(period)).values_list("pk")) == by_day
    assert DeliveryLine.objects.filter(left_in(DashboardPeriod.default())).exists()
    # Lines still planned have no day and are never in a period.
    assert DeliveryLine.objects.annotate(day=left_on_expression()).filter(day__isnull=True).exists()


@pytest.mark.usefixtures("world")
def test_figure_rows_equal_the_province_and_the_product_rows(national_coordinator):
    for period in (DashboardPeriod.default(), DashboardPeriod(days_ago(60), days_ago(35))):
        provinces, products = figure_rows(user=national_coordinator, period=period)
        assert provinces == province_rows(user=national_coordinator, period=period)
        assert products == product_rows(user=national_coordinator, period=period)
        assert provinces and products


def test_the_action_lists_totals_count_every_matching_row(coordinator, db):
    for _ in range(13):
        factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    lists = {item.key: item for item in action_lists(user=coordinator)}
    assert (lists["workshops"].total, len(lists["workshops"].items)) == (13, 10)
    assert lists["disputed"].total == 0 and lists["disputed"].items == []
