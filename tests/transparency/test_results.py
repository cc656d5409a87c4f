"""The public results page: the dashboard's figures for everyone, with no group smaller than five described."""

import datetime as dt
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from production.models import OutputReport
from reports.dashboard import Figures, dashboard_figures
from transparency.privacy import MoneyDay, protected_days, protected_rows
from transparency.selectors import campaign_period, public_results

from .. import factories

# --- The rules (no database) ----------------------------------------------------------------------------------


def rows(**workshops: int) -> list[Figures]:
    return [Figures(name=name, workshops_active=count, produced_units=10 * count) for name, count in workshops.items()]


def merge(merged: list[Figures]) -> Figures:
    total = Figures(name="other")
    for row in merged:
        total.add(row)
    return total


def people(row: Figures) -> int:
    return row.workshops_active


def test_a_province_with_fewer_than_five_workshops_is_merged_with_the_smallest_until_five():
    shown, other = protected_rows(rows(tehran=9, alborz=5, qom=2, yazd=0), people=people, merge=merge)
    assert [row.name for row in shown] == ["tehran", "yazd"]  # yazd describes no workshop
    assert (other.workshops_active, other.produced_units) == (7, 70)  # qom with alborz, the smallest shown


def test_fewer_than_five_workshops_in_all_are_not_shown_even_merged():
    shown, other = protected_rows(rows(qom=2, yazd=2), people=people, merge=merge)
    assert (shown, other) == ([], None)


def test_rows_of_five_or_more_are_shown_as_they_are():
    shown, other = protected_rows(rows(tehran=5, fars=6), people=people, merge=merge)
    assert ([row.name for row in shown], other) == (["tehran", "fars"], None)


def day(n: int, donors=(), received=0, workshops=(), paid=0) -> MoneyDay:
    date = dt.date(2026, 12, n)
    return MoneyDay(date, date, received, frozenset(donors), paid, frozenset(workshops))


def test_days_join_until_five_donors_and_a_small_last_span_joins_the_one_before():
    spans = protected_days(
        [day(1, {1, 2}, 200), day(2, {3, 4, 5}, 300), day(3, {6, 7, 8, 9, 10}, 500), day(4, {11}, 100)]
    )
    assert [(s.first.day, s.last.day, s.received_rials) for s in spans] == [(1, 2, 500), (3, 4, 600)]


def test_money_from_fewer_than_five_donors_in_all_is_not_shown_at_all():
    assert protected_days([day(1, {1, 2}, 200), day(2, {3}, 50)]) == []


# --- The page -------------------------------------------------------------------------------------------------


def produced_by(province_code: str, workshops: int) -> list:
    made = []
    for _ in range(workshops):
        quota = factories.QuotaFactory(workshop=factories.WorkshopFactory(province=factories.province(province_code)))
        OutputReport.objects.create(
            quota=quota,
            report_date=timezone.localdate(),
            quantity=10,
            idempotency_key=uuid.uuid4(),
            reported_by=quota.workshop.owner,
        )
        made.append(quota.workshop)
    return made


@pytest.mark.django_db
def test_anyone_sees_need_and_production_with_small_provinces_merged_and_no_name(client):
    tehran = produced_by("tehran", 6)
    produced_by("alborz", 5)
    isfahan = produced_by("isfahan", 2)
    response = client.get(reverse("transparency:results"))
    assert response.status_code == 200
    page = response.content.decode()
    results = response.context["results"]
    assert [row.workshops_active for row in results.production_rows] == [6]
    assert results.production_other.workshops_active == 7
    assert 'data-testid="production-other"' in page
    for workshop in [*tehran, *isfahan]:
        assert workshop.name not in page and workshop.owner.full_name not in page


@pytest.mark.django_db
def test_money_is_shown_only_once_five_donors_gave_and_donor_names_never(client):
    pledges = [factories.PledgeFactory(amount_rials=5_000_000) for _ in range(4)]
    for pledge in pledges:
        factories.fund_order(pledge.order, 5_000_000)
    results = public_results(campaign_period())
    assert results.received_rials is None and results.money_days == []

    factories.fund_order(factories.OrderFactory(), 5_000_000)  # a fifth donor
    cache.clear()  # the page shows figures up to five minutes old
    page = client.get(reverse("transparency:results")).content.decode()
    results = public_results(campaign_period())
    assert results.received_rials == 25_000_000
    assert pledges[0].donor.user.full_name not in page


@pytest.mark.django_db
def test_refunds_and_money_held_show_once_five_donors_stand_behind_them(coordinator):
    from donors.services.pledges import pledge_refund

    orders = [factories.fund_order(factories.OrderFactory(), 5_000_000) for _ in range(5)]
    pledge = orders[0].pledges.get()
    pledge_refund(pledge=pledge, actor=coordinator, amount=1_000_000, reason="دوبار واریز شد")
    results = public_results(campaign_period())
    assert (results.received_rials, results.refunded_rials, results.held_rials) == (25_000_000, 1_000_000, 24_000_000)
    assert [row.demand_units for row in results.product_rows] == [5_000]  # need by product, nobody sewed yet


@pytest.mark.django_db
def test_the_public_total_is_the_dashboards_for_every_province(national_coordinator):
    produced_by("tehran", 5)
    factories.fund_order(factories.OrderFactory(quantity=300), 2_000_000)
    period = campaign_period()
    public = public_results(period).total
    dashboard = dashboard_figures(user=national_coordinator, period=period)
    assert (public.demand_units, public.produced_units, public.releasable_units) == (
        dashboard.demand_units,
        dashboard.produced_units,
        dashboard.releasable_units,
    )


@pytest.mark.django_db
def test_a_second_visit_within_minutes_reads_the_cache(client, django_assert_max_num_queries):
    produced_by("tehran", 5)
    client.get(reverse("transparency:results"))
    with django_assert_max_num_queries(1):  # the campaign's first day only
        assert client.get(reverse("transparency:results")).status_code == 200


@pytest.mark.django_db
def test_a_period_typed_in_persian_digits_is_read_and_nonsense_falls_back(client):
    response = client.get(reverse("transparency:results"), {"from": "۱۴۰۵/۰۹/۰۱", "to": "<b>x</b>"})
    assert response.status_code == 200
    assert response.context["results"].period.start == dt.date(2026, 11, 22)
