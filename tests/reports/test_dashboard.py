"""The coordinator dashboard: figures equal a recomputation from raw rows, scoping, periods, query counts, the page."""

import csv
import datetime as dt
import io
import uuid
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import jalali
from core.models import Role
from core.validators import national_id_with_check_digit
from donors.models import LedgerEntry
from donors.services.funds import payout_record
from fulfilment.models import DeliveryLine, PickupLine
from fulfilment.services.collection import PickupLineInput, pickup_record
from fulfilment.services.deliveries import delivery_create, delivery_dispatch
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from orders.models import Order, OrderStatus
from production.models import OutputReport, Quota, QuotaStatus
from production.services.quotas import output_report
from reports.daily_figures import rebuild as rebuild_daily_figures
from reports.dashboard import dashboard_figures, product_rows, province_rows
from reports.dashboard_actions import action_lists
from reports.periods import DashboardPeriod
from tests import factories
from workshops.models import Workshop, WorkshopStatus


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def report(quota: Quota, quantity: int, day: dt.date) -> None:
    output_report(
        quota=quota, owner=quota.workshop.owner, quantity=quantity, report_date=day, idempotency_key=uuid.uuid4()
    )


def in_the_past(day: dt.date):
    """Rows saved inside get ``created_at`` on ``day`` (auto_now_add reads ``timezone.now``)."""
    return mock.patch("django.utils.timezone.now", return_value=at(day))


@pytest.fixture
def world(coordinator, db):
    """Tehran and Isfahan: orders, quotas, output, pickups, a confirmed and a disputed delivery, money, payouts.

    Inside the default period (last 30 days) and outside it (40+ days ago), so the figures must pick.
    """
    tehran, isfahan = factories.province("tehran"), factories.province("isfahan")
    gown = factories.product("isolation-gown")
    hc_tehran = factories.HealthCenterFactory()
    hc_isfahan = factories.HealthCenterFactory(province=isfahan)
    w_woman = factories.WorkshopFactory(is_woman_head_of_household=True)
    w_other = factories.WorkshopFactory()
    w_isfahan = factories.WorkshopFactory(province=isfahan)
    factories.WorkshopFactory(status=WorkshopStatus.PENDING, name="کارگاه منتظر")
    isfahan_coordinator = factories.CoordinatorFactory(provinces=[isfahan])

    order_new = factories.OrderFactory(health_center=hc_tehran, quantity=1000, status=OrderStatus.OPEN)
    order_gown = factories.OrderFactory(health_center=hc_tehran, product=gown, quantity=200, status=OrderStatus.OPEN)
    order_old = factories.OrderFactory(health_center=hc_tehran, quantity=500, status=OrderStatus.OPEN)
    order_isfahan = factories.OrderFactory(health_center=hc_isfahan, quantity=300, status=OrderStatus.OPEN)
    cancelled = factories.OrderFactory(health_center=hc_tehran, quantity=70, status=OrderStatus.CANCELLED)
    Order.objects.filter(pk=order_old.pk).update(created_at=at(days_ago(45)))

    with in_the_past(days_ago(40)):
        factories.fund_order(order_old, 100 * order_old.unit_cost_rials)
    factories.fund_order(order_old, 50 * order_old.unit_cost_rials + 7)
    factories.fund_order(order_new, 300 * order_new.unit_cost_rials + 5)
    factories.fund_order(order_gown, 20 * order_gown.unit_cost_rials)
    factories.fund_order(order_isfahan)

    started = timezone.now() - dt.timedelta(days=60)
    q_woman = factories.QuotaFactory(order=order_new, workshop=w_woman, quantity=100, responded_at=started)
    q_other = factories.QuotaFactory(order=order_old, workshop=w_other, quantity=80, responded_at=started)
    q_gown = factories.QuotaFactory(order=order_gown, workshop=w_other, quantity=20, responded_at=started)
    q_isfahan = factories.QuotaFactory(order=order_isfahan, workshop=w_isfahan, quantity=100, responded_at=started)
    factories.QuotaFactory(
        order=order_new, workshop=w_other, quantity=50, status=QuotaStatus.DECLINED, decline_reason="سرم شلوغ است"
    )
    Quota.objects.filter(pk=q_other.pk).update(offered_at=at(days_ago(50)))

    report(q_woman, 40, days_ago(2))
    report(q_woman, 10, days_ago(45))
    report(q_other, 30, days_ago(29))
    report(q_gown, 20, days_ago(1))
    report(q_isfahan, 60, days_ago(3))

    def pickup(quota, accepted, rejected, day, actor):
        quota.refresh_from_db()
        line = PickupLineInput(
            quota=quota,
            collected_units=accepted + rejected,
            accepted_units=accepted,
            rejected_units=rejected,
            reject_reason="stitching" if rejected else "",
        )
        pickup_record(workshop=quota.workshop, pickup_date=day, lines=[line], actor=actor)

    pickup(q_woman, 8, 2, days_ago(40), coordinator)
    pickup(q_woman, 30, 0, days_ago(1), coordinator)
    pickup(q_other, 25, 5, days_ago(0), coordinator)
    pickup(q_isfahan, 60, 0, days_ago(2), isfahan_coordinator)

    for quota in (q_woman, q_other):
        quota.refresh_from_db()
    confirmed = delivery_create(
        health_center=hc_tehran, planned_date=days_ago(0), lines=[(q_woman, 20)], actor=coordinator, courier_name="علی"
    )
    delivery_dispatch(delivery=confirmed, actor=coordinator)
    line = confirmed.lines.get()
    delivery_confirm(delivery=confirmed, lines={line.pk: ReceivedLine(20)}, receiver_name="پرستار")
    disputed = delivery_create(
        health_center=hc_tehran, planned_date=days_ago(0), lines=[(q_other, 25)], actor=coordinator, courier_name="علی"
    )
    delivery_dispatch(delivery=disputed, actor=coordinator)  # the receiver can answer only once it is dispatched
    line = disputed.lines.get()
    delivery_confirm(
        delivery=disputed,
        lines={line.pk: ReceivedLine(24, rejected_units=3, reject_reason="پاره")},
        receiver_name="پرستار",
    )
    delivery_create(
        health_center=hc_tehran, planned_date=days_ago(-2), lines=[(q_woman, 5)], actor=coordinator, courier_name="علی"
    )

    payout_record(quota=q_woman, units=30, actor=coordinator)
    payout_record(quota=q_isfahan, units=10, actor=isfahan_coordinator)
    factories.PledgeFactory(order=order_new, amount_rials=5_000_000)  # waiting for confirmation
    rebuild_daily_figures()  # the two ``update(...)`` calls above moved rows to other days behind the signals' back

    return {
        "tehran": tehran,
        "isfahan": isfahan,
        "isfahan_coordinator": isfahan_coordinator,
        "cancelled": cancelled,
        "disputed": disputed,
        "q_woman": q_woman,
    }


# --- An independent recomputation: plain loops over every row --------------------------------------------------


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def recompute(province_ids: set[int], period: DashboardPeriod) -> dict[str, int]:
    def inside(day):
        return day is not None and period.start <= day <= period.end

    figures = dict.fromkeys(
        [
            "demand_units",
            "funded_rials",
            "releasable_units",
            "allocated_units",
            "produced_units",
            "accepted_units",
            "delivered_units",
            "confirmed_units",
            "workshops_active",
            "woman_headed_workshops_active",
            "income_paid_rials",
        ],
        0,
    )
    orders = {order.pk: order for order in Order.objects.all()}
    order_province = {pk: order.health_center.province_id for pk, order in orders.items()}
    for order in orders.values():
        in_scope = order_province[order.pk] in province_ids
        if in_scope and order.status != "cancelled" and inside(local_day(order.created_at)):
            figures["demand_units"] += order.quantity

    before, through = {}, {}
    for entry in LedgerEntry.objects.all():
        day = local_day(entry.created_at)
        if day > period.end:
            continue
        moves = []
        if entry.to_order_id and entry.kind in ("received", "applied", "moved"):
            moves.append((entry.to_order_id, entry.amount_rials))
        if entry.from_order_id and entry.kind in ("moved", "refunded"):
            moves.append((entry.from_order_id, -entry.amount_rials))
        for order_id, amount in moves:
            through[order_id] = through.get(order_id, 0) + amount
            if day < period.start:
                before[order_id] = before.get(order_id, 0) + amount
    for order_id, total in through.items():
        if order_province[order_id] not in province_ids:
            continue
        order = orders[order_id]
        figures["funded_rials"] += total - before.get(order_id, 0)
        paid_for_then = min(before.get(order_id, 0) // order.unit_cost_rials, order.quantity)
        figures["releasable_units"] += min(total // order.unit_cost_rials, order.quantity) - paid_for_then

    for quota in Quota.objects.all():
        if order_province[quota.order_id] in province_ids and inside(local_day(quota.offered_at)):
            if quota.status in ("offered", "accepted"):
                figures["allocated_units"] += quota.quantity - quota.released_units
            elif quota.status == "cancelled":
                figures["allocated_units"] += quota.produced_units

    active, woman_headed = set(), set()
    for output in OutputReport.objects.all():
        workshop = output.quota.workshop
        if workshop.province_id in province_ids and inside(output.report_date):
            figures["produced_units"] += output.quantity
            active.add(workshop.pk)
            if workshop.is_woman_head_of_household:
                woman_headed.add(workshop.pk)
    figures["workshops_active"], figures["woman_headed_workshops_active"] = len(active), len(woman_headed)

    for line in PickupLine.objects.all():
        if line.pickup.workshop.province_id in province_ids and inside(line.pickup.pickup_date):
            figures["accepted_units"] += line.accepted_units

    for line in DeliveryLine.objects.all():
        delivery = line.delivery
        if delivery.health_center.province_id not in province_ids:
            continue
        left = delivery.dispatched_at or delivery.delivered_at or delivery.confirmed_at
        if inside(local_day(left)):
            figures["delivered_units"] += line.units
        if delivery.status in ("confirmed", "disputed") and inside(local_day(delivery.confirmed_at)):
            figures["confirmed_units"] += line.received_units - line.rejected_units

    for entry in LedgerEntry.objects.all():
        paid_here = entry.kind == "payout" and entry.to_workshop.province_id in province_ids
        if paid_here and inside(local_day(entry.created_at)):
            figures["income_paid_rials"] += entry.amount_rials
    return figures


def as_dict(figures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in recompute(set(), DashboardPeriod.default())}


# --- Figures ---------------------------------------------------------------------------------------------------


def test_the_headline_equals_a_recomputation_from_the_raw_rows_for_the_tehran_coordinator(world, coordinator):
    period = DashboardPeriod.default()
    expected = recompute({world["tehran"].pk}, period)
    assert as_dict(dashboard_figures(user=coordinator, period=period)) == expected
    # The world was built to make every figure count something (and to leave some rows out).
    assert all(expected.values()), expected
    assert expected["demand_units"] == 1000 + 200  # the old and the cancelled order are left out
    assert expected["woman_headed_workshops_active"] == 1


def test_the_figures_hold_for_a_period_in_the_past_too(world, coordinator):
    period = DashboardPeriod(days_ago(60), days_ago(35))
    expected = recompute({world["tehran"].pk}, period)
    assert as_dict(dashboard_figures(user=coordinator, period=period)) == expected
    assert expected["funded_rials"] > 0 and expected["produced_units"] == 10 and expected["delivered_units"] == 0


def test_the_isfahan_coordinator_sees_only_isfahan_and_the_national_coordinator_sees_both(world, national_coordinator):
    period = DashboardPeriod.default()
    isfahan = as_dict(dashboard_figures(user=world["isfahan_coordinator"], period=period))
    assert isfahan == recompute({world["isfahan"].pk}, period)
    assert isfahan["demand_units"] == 300
    national = as_dict(dashboard_figures(user=national_coordinator, period=period))
    assert national == recompute({world["tehran"].pk, world["isfahan"].pk}, period)


def test_a_coordinator_choosing_a_province_outside_hers_gets_nothing_from_it(world, coordinator):
    figures = dashboard_figures(user=coordinator, period=DashboardPeriod.default(), province=world["isfahan"])
    assert as_dict(figures) == dict.fromkeys(as_dict(figures), 0)


def test_the_period_includes_both_its_first_and_its_last_day(world, coordinator):
    on_the_day = dashboard_figures(user=coordinator, period=DashboardPeriod(days_ago(29), days_ago(29)))
    assert on_the_day.produced_units == 30
    day_after = dashboard_figures(user=coordinator, period=DashboardPeriod(days_ago(28), days_ago(2)))
    assert day_after.produced_units == 40


def test_province_and_product_rows_add_up_to_the_headline(world, national_coordinator):
    period = DashboardPeriod.default()
    headline = as_dict(dashboard_figures(user=national_coordinator, period=period))
    provinces = province_rows(user=national_coordinator, period=period)
    assert {name: sum(getattr(row, name) for row in provinces) for name in headline} == headline
    products = product_rows(user=national_coordinator, period=period)
    units_and_money = [name for name in headline if "workshops" not in name]
    assert {name: sum(getattr(row, name) for row in products) for name in units_and_money} == {
        name: headline[name] for name in units_and_money
    }
    by_name = {row.name: row for row in products}
    gown = by_name[str(factories.product("isolation-gown"))]
    mask = by_name[str(factories.product())]
    assert gown.produced_units == 20
    # A workshop that made both products is active under each of them.
    assert gown.workshops_active + mask.workshops_active == headline["workshops_active"] + 1


def test_the_period_reads_jalali_dates_with_persian_digits_and_defaults_to_the_last_30_days():
    today = dt.date(2026, 11, 28)
    assert DashboardPeriod.from_params({}, today) == DashboardPeriod(dt.date(2026, 10, 30), today)
    period = DashboardPeriod.from_params({"from": "۱۴۰۵/۰۸/۰۱", "to": "1405/08/10"}, today)
    assert period == DashboardPeriod(jalali.from_jalali(1405, 8, 1), jalali.from_jalali(1405, 8, 10))
    swapped = DashboardPeriod.from_params({"from": "1405/08/10", "to": "1405/08/01"}, today)
    assert swapped == period
    assert DashboardPeriod.from_params({"from": "nonsense"}, today) == DashboardPeriod.default(today)


# --- Action lists ----------------------------------------------------------------------------------------------


def test_the_action_lists_link_to_where_each_thing_is_fixed(world, coordinator):
    lists = {item.key: item for item in action_lists(user=coordinator)}
    disputed = lists["disputed"]
    assert disputed.total == 1
    assert disputed.items[0].url == reverse("deliveries:detail", args=[world["disputed"].pk])
    assert "status=disputed" in disputed.see_all_url
    assert lists["pledges"].total == 1
    assert lists["pledges"].items[0].url.startswith(reverse("donations:pledge-list"))
    assert [item.label.split("، ")[0] for item in lists["workshops"].items] == ["کارگاه منتظر"]
    # The new order holds money for 300 units, but only 100 are with a workshop.
    unallocated = lists["unallocated"].items
    assert any("۲۰۰" in item.detail or "200" in item.detail for item in unallocated)
    # The woman's quota: 40 of 100 units in 60 of 80 days is behind pace.
    assert any(
        item.url == reverse("supply:workshop-detail", args=[world["q_woman"].workshop_id])
        for item in lists["quotas_behind"].items
    )
    assert lists["orders_behind"].total >= 1


def test_action_lists_stay_inside_the_coordinators_provinces(world):
    lists = {item.key: item for item in action_lists(user=world["isfahan_coordinator"])}
    assert lists["disputed"].total == 0
    assert lists["workshops"].total == 0
    pledges = lists["pledges"]
    assert pledges.total == 0


def test_each_action_list_shows_at_most_ten_items_and_says_how_many_more(coordinator, db):
    for _ in range(12):
        factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    workshops = {item.key: item for item in action_lists(user=coordinator)}["workshops"]
    assert (len(workshops.items), workshops.total, workshops.more) == (10, 12, 2)


# --- The page --------------------------------------------------------------------------------------------------


def test_only_coordinators_open_the_dashboard(client_for, owner, coordinator, national_coordinator, db):
    collector = factories.UserFactory(role=Role.COLLECTOR)
    for user in (owner, collector, factories.HealthCenterStaffFactory()):
        assert client_for(user).get(reverse("reports:dashboard")).status_code == 403
    superuser = factories.UserFactory(role=Role.DONOR, is_superuser=True)
    for user in (coordinator, national_coordinator, superuser):
        assert client_for(user).get(reverse("reports:dashboard")).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_page_shows_the_headline_charts_with_table_alternatives_and_links(world, coordinator, client_for):
    response = client_for(coordinator).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    figures = response.context["figures"]
    assert f'data-figure="demand">{factories_number(figures.demand_units)}<' in html
    assert html.count("<svg") == 4  # three charts and the province map (tests/reports/test_province_map.py)
    assert html.count("The same numbers as a table") + html.count("همین اعداد در جدول") >= 3
    for start in range(3):
        svg = html[html.index("<svg", html.index(f'data-testid="chart-{["weekly", "gap", "status"][start]}"')) :]
        root = ET.fromstring(svg[: svg.index("</svg>") + 6])  # noqa: S314  (our own page)
        assert root.get("role") == "img"
    assert reverse("deliveries:detail", args=[world["disputed"].pk]) in html
    provinces = [row[0] for row in response.context["province_table"].as_values()][1:]
    assert provinces == [str(world["tehran"])]


def factories_number(value: int) -> str:
    from core.persian import group_thousands

    return group_thousands(value, persian=True)


def test_filtering_by_province_and_jalali_period_narrows_the_figures(world, national_coordinator, client_for):
    start, end = days_ago(60), days_ago(35)
    response = client_for(national_coordinator).get(
        reverse("reports:dashboard"),
        {
            "province": world["tehran"].pk,
            "from": jalali.format_short(start, persian=True),
            "to": jalali.format_short(end, persian=False),
        },
    )
    assert response.context["period"] == DashboardPeriod(start, end)
    assert response.context["province"] == world["tehran"]
    assert as_dict(response.context["figures"]) == recompute({world["tehran"].pk}, DashboardPeriod(start, end))


def test_a_coordinator_cannot_choose_another_province_on_the_page(world, coordinator, client_for):
    response = client_for(coordinator).get(reverse("reports:dashboard"), {"province": world["isfahan"].pk})
    assert response.status_code == 200
    assert response.context["province"] is None
    assert "province" in response.context["form"].errors
    assert as_dict(response.context["figures"]) == recompute({world["tehran"].pk}, DashboardPeriod.default())


def test_the_province_table_exports_to_csv_with_formulas_escaped(world, coordinator, client_for):
    response = client_for(coordinator).get(reverse("reports:dashboard"), {"_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] in ("Province", "استان")
    assert any(row[0] in ("Tehran", "تهران") for row in rows[1:])
    products = client_for(coordinator).get(reverse("reports:dashboard"), {"_export": "xlsx", "table": "product"})
    assert products.status_code == 200 and products["Content-Type"].startswith("application/vnd")


def test_a_province_name_that_looks_like_a_formula_is_escaped_in_the_export(coordinator, client_for, db):
    tehran = factories.province("tehran")
    tehran.name_fa = "=HYPERLINK(1)"
    tehran.name_en = "=HYPERLINK(1)"
    tehran.save()
    factories.OrderFactory(health_center=factories.HealthCenterFactory(), quantity=10)
    response = client_for(coordinator).get(reverse("reports:dashboard"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1)"


# --- Queries do not grow with the rows -------------------------------------------------------------------------


def build_workshops(count: int, order: Order) -> None:
    """``count`` verified Tehran workshops, each with an accepted quota behind pace and an output report."""
    start = Workshop.objects.count() + User_count()
    tehran = factories.province("tehran")
    city = factories.capital("tehran")
    owners = factories.UserFactory._meta.model.objects.bulk_create(
        [factories.UserFactory.build(mobile=f"0936{start + n:07d}", role=Role.WORKSHOP_OWNER) for n in range(count)]
    )
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                owner=owner,
                name=f"کارگاه انبوه {n}",
                national_id=national_id_with_check_digit(f"{700000000 + (start + n) * 7:09d}"),
                province=tehran,
                city=city,
                address="کوچه",
                status=WorkshopStatus.VERIFIED if n % 2 else WorkshopStatus.PENDING,
                is_woman_head_of_household=bool(n % 3),
            )
            for n, owner in enumerate(owners)
        ]
    )
    long_ago = timezone.now() - dt.timedelta(days=20)
    quotas = Quota.objects.bulk_create(
        [
            Quota(
                order=order,
                workshop=workshop,
                quantity=10,
                due_date=days_ago(-10),
                piece_rate_rials=1000,
                status=QuotaStatus.ACCEPTED,
                responded_at=long_ago,
                produced_units=1,
            )
            for workshop in workshops
        ]
    )
    OutputReport.objects.bulk_create(
        [
            OutputReport(
                quota=quota,
                report_date=days_ago(3),
                quantity=1,
                idempotency_key=uuid.uuid4(),
                reported_by=quota.workshop.owner,
            )
            for quota in quotas
        ]
    )
    rebuild_daily_figures()  # bulk_create sends no signals


def User_count() -> int:
    return factories.UserFactory._meta.model.objects.count()


def queries_for_page(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_page_needs_as_many_queries_for_1000_workshops_as_for_10(
    world, coordinator, client_for, django_assert_max_num_queries
):
    order = factories.OrderFactory(health_center=factories.HealthCenterFactory(), quantity=20_000)
    client = client_for(coordinator)
    build_workshops(10, order)
    few = queries_for_page(client)
    build_workshops(990, order)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("reports:dashboard"))
    assert response.context["figures"].workshops_active >= 1000
    assert response.context["figures"].woman_headed_workshops_active >= 600
