"""A write recomputes the daily figures of only the (day, province) keys it touched: the other provinces' stored rows
stay as they were, and everything stays equal to a recomputation from the raw rows."""

import datetime as dt
import random

import pytest
from django.db import connection

from donors.services.funds import payout_record
from fulfilment.services.collection import PickupLineInput, pickup_record
from orders.models import OrderStatus
from reports import daily_tracking
from reports.daily_figures import Days, rebuild, recompute, refresh
from reports.models import DailyActivity, DailyFigure
from tests import factories
from tests.reports.test_daily_figures import random_world, report, stored, stored_equals_raw
from tests.reports.test_dashboard import at, days_ago, in_the_past
from workshops.models import Workshop

YESTERDAY = days_ago(1)


@pytest.fixture(autouse=True)
def _nothing_pending(db):
    setattr(connection, daily_tracking.PENDING, None)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def provinces(national_coordinator):
    """Tehran and Isfahan, each with a funded order of yesterday and a quota (offered today) whose workshop of the
    same province reported 50 units yesterday; everything stored."""
    quotas = {}
    for code in ("tehran", "isfahan"):
        province = factories.province(code)
        center = factories.HealthCenterFactory(province=province)
        with in_the_past(YESTERDAY):
            order = factories.OrderFactory(health_center=center, quantity=400, status=OrderStatus.OPEN)
            factories.fund_order(order, 100 * order.unit_cost_rials)
        workshop = factories.WorkshopFactory(province=province)
        quota = factories.QuotaFactory(order=order, workshop=workshop, quantity=200, responded_at=at(days_ago(30)))
        report(quota, 50, YESTERDAY)
        quota.refresh_from_db()
        quotas[code] = quota
    rebuild()
    setattr(connection, daily_tracking.PENDING, None)  # what the setup marked is stored by the rebuild
    return quotas


def rows_of(code: str) -> tuple[dict, dict]:
    """The stored figure and activity rows of a province, by id."""
    province = factories.province(code)
    figures = {row["id"]: row for row in DailyFigure.objects.filter(province=province).values()}
    activity = {row["id"]: row for row in DailyActivity.objects.filter(province=province).values()}
    return figures, activity


def test_a_pickup_in_tehran_leaves_the_stored_figures_of_isfahan_untouched(provinces, committed, national_coordinator):
    isfahan = rows_of("isfahan")
    assert {row["day"] for row in isfahan[0].values()} >= {YESTERDAY, days_ago(0)}  # Isfahan has figures both days
    quota = provinces["tehran"]
    line = PickupLineInput(
        quota=quota, collected_units=30, accepted_units=28, rejected_units=2, reject_reason="stitching"
    )
    committed(pickup_record, workshop=quota.workshop, pickup_date=YESTERDAY, lines=[line], actor=national_coordinator)
    assert stored("accepted_units", YESTERDAY) == 28
    assert rows_of("isfahan") == isfahan  # the same rows, not deleted and written again
    assert stored_equals_raw()


def test_a_donation_to_an_isfahan_order_leaves_the_stored_figures_of_tehran_untouched(provinces, committed):
    tehran = rows_of("tehran")
    order = provinces["isfahan"].order
    funded = stored("funded_rials")
    committed(factories.fund_order, order=order, amount_rials=10 * order.unit_cost_rials)
    assert stored("funded_rials") - funded == 10 * order.unit_cost_rials
    assert rows_of("tehran") == tehran
    assert stored_equals_raw()


def test_a_workshop_moved_to_another_province_takes_its_figures_there(provinces, committed, national_coordinator):
    quota = provinces["tehran"]
    line = PickupLineInput(quota=quota, collected_units=30, accepted_units=30, rejected_units=0)
    committed(pickup_record, workshop=quota.workshop, pickup_date=YESTERDAY, lines=[line], actor=national_coordinator)
    committed(payout_record, quota=quota, units=10, actor=national_coordinator)
    workshop = quota.workshop
    workshop.province, workshop.city = factories.province("isfahan"), factories.capital("isfahan")
    committed(workshop.save)

    def supply(code: str, day: dt.date) -> tuple:
        rows = DailyFigure.objects.filter(day=day, province=factories.province(code))
        return tuple(sum(getattr(row, name) for row in rows) for name in ("produced_units", "accepted_units"))

    assert supply("tehran", YESTERDAY) == (0, 0)
    assert supply("isfahan", YESTERDAY) == (100, 30)  # its 50 and Isfahan's own workshop's 50 units
    assert set(DailyActivity.objects.filter(workshop=workshop).values_list("province", flat=True)) == {
        factories.province("isfahan").pk
    }
    assert stored_equals_raw()  # both provinces, every figure, as a recomputation gives them


def test_a_pickup_whose_workshop_moved_before_its_commit_is_counted_in_the_new_province(
    provinces, national_coordinator, django_capture_on_commit_callbacks
):
    quota = provinces["tehran"]
    line = PickupLineInput(quota=quota, collected_units=30, accepted_units=30, rejected_units=0)
    with django_capture_on_commit_callbacks() as callbacks:  # its commit's recomputation waits
        pickup_record(workshop=quota.workshop, pickup_date=days_ago(2), lines=[line], actor=national_coordinator)
    # Meanwhile a move committed and recomputed the days it had read (the report's, not this pickup's) in both
    # provinces.
    isfahan = factories.province("isfahan")
    Workshop.objects.filter(pk=quota.workshop_id).update(province=isfahan, city=factories.capital("isfahan"))
    refresh(Days.of([YESTERDAY]), frozenset({quota.workshop.province_id, isfahan.pk}))
    for callback in callbacks:
        callback()
    assert DailyFigure.objects.get(day=days_ago(2), accepted_units=30).province == isfahan
    assert stored_equals_raw()


@pytest.mark.parametrize("seed", [4, 5])
def test_recomputing_one_province_gives_exactly_its_share_of_the_whole_recomputation(seed, national_coordinator):
    random_world(random.Random(seed), national_coordinator)
    everything, activity = recompute(Days())
    some_days = Days.of([days_ago(n) for n in range(0, 70, 3)])
    for code in ("tehran", "isfahan"):
        province = factories.province(code).pk
        for days in (Days(), some_days):
            figures, rows = recompute(days, frozenset({province}))
            assert figures == {k: v for k, v in everything.items() if k[1] == province and k[0] in days}
            assert rows == {row for row in activity if row[3] == province and row[0] in days}
