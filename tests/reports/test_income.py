"""Income of workshops by province: paid for donated orders and from the sales owners record, with the share that
went to workshops run by women heads of household; on the dashboard and in the thematic report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.persian import ui_number
from donors.services.funds import payout_record
from reports.income_selectors import income_rows, income_total
from reports.periods import DashboardPeriod
from reports.thematic_selectors import thematic_data
from tests import factories
from tests.reports.test_thematic_report import make_report, pdf_text

pytestmark = pytest.mark.django_db

RATE = 100_000  # rials a workshop is paid per accepted unit


def today() -> dt.date:
    return timezone.localdate()


def last_30_days() -> DashboardPeriod:
    return DashboardPeriod(today() - dt.timedelta(days=29), today())


def paid(workshop, units: int, coordinator) -> None:
    """The workshop is paid for ``units`` accepted units of a donated order, today."""
    quota = factories.QuotaFactory(workshop=workshop, quantity=units, piece_rate_rials=RATE)
    factories.fund_order(quota.order, units * RATE)
    quota.produced_units = quota.collected_units = quota.accepted_units = units
    quota.save(update_fields=["produced_units", "collected_units", "accepted_units"])
    payout_record(quota=quota, units=units, actor=coordinator)


def sold(workshop, amount: int, days_ago: int = 1):
    return factories.SaleRecordFactory(
        workshop=workshop, amount_rials=amount, sold_on=today() - dt.timedelta(days=days_ago)
    )


@pytest.fixture
def world(coordinator, national_coordinator):
    tehran = factories.province("tehran")
    isfahan = factories.province("isfahan")
    woman_headed = factories.WorkshopFactory(province=tehran, is_woman_head_of_household=True)
    other = factories.WorkshopFactory(province=tehran, is_woman_head_of_household=False)
    in_isfahan = factories.WorkshopFactory(province=isfahan, is_woman_head_of_household=True)
    paid(woman_headed, 30, national_coordinator)  # 3,000,000
    paid(other, 10, national_coordinator)  # 1,000,000
    paid(in_isfahan, 5, national_coordinator)  # 500,000
    sold(woman_headed, 2_000_000)
    sold(other, 6_000_000)
    sold(other, 9_000_000, days_ago=60)  # before the period
    sold(in_isfahan, 700_000)
    return {"tehran": tehran, "isfahan": isfahan}


def test_income_counts_payouts_and_sales_in_the_workshops_province_with_the_women_headed_share(
    world, national_coordinator
):
    rows = {row.name: row for row in income_rows(user=national_coordinator, period=last_30_days())}

    tehran = rows[str(world["tehran"])]
    assert (tehran.donated_rials, tehran.donated_women_rials) == (4_000_000, 3_000_000)
    assert (tehran.sales_rials, tehran.sales_women_rials) == (8_000_000, 2_000_000)
    assert tehran.total_rials == 12_000_000
    assert (tehran.donated_women_percent, tehran.sales_women_percent, tehran.total_women_percent) == (75, 25, 42)
    isfahan = rows[str(world["isfahan"])]
    assert (isfahan.donated_rials, isfahan.sales_rials, isfahan.total_women_percent) == (500_000, 700_000, 100)


def test_a_sale_dated_before_the_period_is_not_counted(world, national_coordinator):
    earlier = DashboardPeriod(today() - dt.timedelta(days=90), today() - dt.timedelta(days=31))

    rows = income_rows(user=national_coordinator, period=earlier)

    assert [(row.name, row.sales_rials, row.donated_rials) for row in rows] == [(str(world["tehran"]), 9_000_000, 0)]


def test_a_coordinator_sees_only_her_provinces_income(world, coordinator):
    rows = income_rows(user=coordinator, period=last_30_days())

    assert [row.name for row in rows] == [str(world["tehran"])]
    assert income_total(rows).total_rials == 12_000_000


def test_the_donated_income_is_the_dashboards_paid_to_workshops(world, coordinator, client_for):
    context = client_for(coordinator).get(reverse("reports:dashboard")).context

    assert context["income_total"].donated_rials == context["figures"].income_paid_rials == 4_000_000


def test_the_dashboard_shows_the_income_table_in_persian_digits(world, coordinator, client_for):
    page = client_for(coordinator).get(reverse("reports:dashboard")).content.decode()

    assert 'data-testid="income-table"' in page
    for figure in ("۴٬۰۰۰٬۰۰۰", "۸٬۰۰۰٬۰۰۰", "۱۲٬۰۰۰٬۰۰۰", "۴۲٪"):
        assert figure in page, figure
    assert "۷۰۰٬۰۰۰" not in page  # Isfahan's sales are not hers


def test_the_dashboard_says_so_when_no_income_was_recorded(coordinator, client_for):
    page = client_for(coordinator).get(reverse("reports:dashboard")).content.decode()

    assert 'data-testid="income-empty"' in page


def test_the_thematic_report_and_the_dashboard_show_the_same_income(world, coordinator, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dashboard = client_for(coordinator).get(reverse("reports:dashboard")).context["income_rows"]
    period = last_30_days()
    report = thematic_data(user_or_scope=coordinator, province=None, start=period.start, end=period.end)

    assert [(r.name, r.donated_rials, r.sales_rials, r.total_women_percent) for r in report.income] == [
        (r.name, r.donated_rials, r.sales_rials, r.total_women_percent) for r in dashboard
    ]
    text = pdf_text(make_report(coordinator, start=period.start, end=period.end))
    for figure in (4_000_000, 8_000_000, 12_000_000):
        assert ui_number(figure) in text, figure
    assert "۴۲٪" in text


def test_the_income_table_needs_three_queries_however_many_sales_and_provinces(
    world, national_coordinator, django_assert_max_num_queries
):
    for province_code in ("fars", "alborz", "qom"):
        for _sale in range(5):
            sold(factories.WorkshopFactory(province=factories.province(province_code)), 1_000)

    # One grouped query per figure (payouts, sales) and one for the province names.
    with django_assert_max_num_queries(3):
        rows = income_rows(user=national_coordinator, period=last_30_days())

    assert len(rows) == 5
