"""A figure shown in several places is one number: the home card, the list its link opens, the dashboard, the digest.

Each test builds a world where two different definitions would disagree (a cancelled, declined or suspended
row, a planned delivery, another province, a campaign, money that came before the period) and reads the figure
from every place that shows it, as the user sees it.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.persian import ui_number
from donors.ledger import selectors as ledger
from donors.notification_tasks import coordinator_action_counts
from donors.services.funds import campaign_apply, payout_record
from donors.services.pledges import pledge_confirm, pledge_refund
from fulfilment.models import DeliveryStatus, Pickup, PickupLine
from fulfilment.services.deliveries import delivery_create, delivery_dispatch
from fulfilment.services.receiving import CONFIRMABLE_STATUSES, ReceivedLine, delivery_confirm
from orders.funding import funding_of
from orders.models import Order, OrderStatus
from orders.models.orders import FINAL_STATUSES
from payouts.services import payout_batch_create, payout_batch_mark_paid
from production.models import QuotaStatus
from production.selectors.quotas import quota_progress
from reports.dashboard import dashboard_figures
from reports.periods import DashboardPeriod
from reports.thematic_selectors import thematic_data
from tests import factories
from workshops.models import WorkshopStatus


def home(client_for, user):
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.context


def dashboard_list(client_for, user, key: str):
    response = client_for(user).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return {action.key: action for action in response.context["action_lists"]}[key]


def rows_of(client_for, user, url: str) -> int:
    """How many rows the list at ``url`` has (all pages)."""
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response.context["paginator"].count


def at_days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def delivery(health_center=None, status=DeliveryStatus.PLANNED, **extra):
    """A delivery in ``status`` with the stamps that status carries (answered: when; cancelled: why)."""
    if status in (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED):
        extra.setdefault("confirmed_at", timezone.now())
    if status == DeliveryStatus.CANCELLED:
        extra.setdefault("cancel_reason", "پیک نیامد")
    if health_center is not None:
        extra["health_center"] = health_center
    return factories.DeliveryFactory(status=status, **extra)


def every_status_with_a_line(health_center) -> None:
    for status in DeliveryStatus.values:
        factories.DeliveryLineFactory(delivery=delivery(health_center, status))


# --- Coordinator: disputed deliveries ---------------------------------------------------------------------------


@pytest.fixture
def deliveries_world(coordinator):
    tehran_center = factories.HealthCenterFactory()
    isfahan_center = factories.HealthCenterFactory(province=factories.province("isfahan"))
    every_status_with_a_line(tehran_center)
    delivery(tehran_center, DeliveryStatus.DISPUTED)
    delivery(isfahan_center, DeliveryStatus.DISPUTED)
    return tehran_center


def test_disputed_deliveries_are_one_number_on_the_home_card_the_list_the_dashboard_and_the_digest(
    deliveries_world, coordinator, national_coordinator, client_for
):
    for user, expected in ((coordinator, 2), (national_coordinator, 3)):
        card = home(client_for, user)["coordinator"]["deliveries_disputed"]
        listed = rows_of(client_for, user, reverse("deliveries:list") + "?status=disputed")
        action = dashboard_list(client_for, user, "disputed")
        digest = coordinator_action_counts(user, timezone.localdate())["disputed"]
        assert (card, listed, action.total, digest) == (expected,) * 4
        assert rows_of(client_for, user, action.see_all_url) == expected


# --- Coordinator: workshops waiting for verification -------------------------------------------------------------


def test_workshops_waiting_for_verification_are_one_number_on_the_home_card_the_list_the_dashboard_and_the_digest(
    coordinator, national_coordinator, client_for
):
    factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    factories.WorkshopFactory(status=WorkshopStatus.PENDING, province=factories.province("isfahan"))
    factories.WorkshopFactory(status=WorkshopStatus.SUSPENDED, status_reason="کیفیت")
    factories.WorkshopFactory(status=WorkshopStatus.VERIFIED)

    for user, expected in ((coordinator, 2), (national_coordinator, 3)):
        card = home(client_for, user)["coordinator"]["workshops_pending"]
        listed = rows_of(client_for, user, reverse("supply:workshop-list") + "?status=pending")
        action = dashboard_list(client_for, user, "workshops")
        digest = coordinator_action_counts(user, timezone.localdate())["workshops"]
        assert (card, listed, action.total, digest) == (expected,) * 4
        assert rows_of(client_for, user, action.see_all_url) == expected


# --- Health-center staff: deliveries waiting for her confirmation ------------------------------------------------


def test_the_health_centers_waiting_card_counts_only_the_deliveries_she_can_confirm_now(client_for, db):
    staff = factories.HealthCenterStaffFactory()
    center = staff.health_center
    every_status_with_a_line(center)
    delivery(status=DeliveryStatus.DISPATCHED)  # another center's

    card = home(client_for, staff)["center_deliveries_waiting"]
    listed = client_for(staff).get(reverse("receiving:center-list")).context["deliveries"]
    can_confirm = [delivery for delivery in listed if delivery.status in CONFIRMABLE_STATUSES]

    # A planned delivery has not left: the receiving pages refuse to confirm it, so it is not "waiting for her".
    assert card == len(can_confirm) == 2
    assert {delivery.status for delivery in can_confirm} == {DeliveryStatus.DISPATCHED, DeliveryStatus.DELIVERED}


def test_the_health_center_list_offers_confirm_receipt_exactly_on_the_deliveries_the_card_counts(client_for, db):
    staff = factories.HealthCenterStaffFactory()
    every_status_with_a_line(staff.health_center)

    card = home(client_for, staff)["center_deliveries_waiting"]
    html = client_for(staff).get(reverse("receiving:center-list")).content.decode()

    assert html.count('class="button secondary" href="/receive/center/') == card == 2


# --- Workshop owner: new offers -----------------------------------------------------------------------------------


def test_the_owners_new_offers_card_equals_the_offers_her_inbox_lists(owner, client_for):
    workshop = factories.WorkshopFactory(owner=owner)
    offered = {"status": QuotaStatus.OFFERED, "responded_at": None}
    factories.QuotaFactory(workshop=workshop, **offered)
    factories.QuotaFactory(workshop=workshop, **offered)
    factories.QuotaFactory(workshop=workshop)  # accepted
    factories.QuotaFactory(workshop=workshop, status=QuotaStatus.DECLINED, decline_reason="سرم شلوغ است")
    factories.QuotaFactory(
        workshop=workshop, status=QuotaStatus.CANCELLED, cancel_reason="لغو سفارش", responded_at=None
    )
    factories.QuotaFactory(**offered)  # another workshop's offer

    card = home(client_for, owner)["owner_panel"]["offered_count"]
    inbox = client_for(owner).get(reverse("quotas:inbox"))

    assert card == len(inbox.context["offered"]) == 2
    in_progress = [quota.pk for quota, _progress in home(client_for, owner)["owner_panel"]["accepted"]]
    assert in_progress == [quota.pk for quota, _progress, _at_risk in inbox.context["accepted"]]
    heading = re.search(r'<h2 id="offers">[^<]*', inbox.content.decode()).group(0)
    assert "۲" in heading


# --- Quotas behind pace ---------------------------------------------------------------------------------------------


def test_quotas_behind_pace_are_one_number_on_the_dashboard_the_digest_and_the_owners_badges(
    coordinator, client_for, db
):
    started = at_days_ago(30)
    tehran_workshop = factories.WorkshopFactory()
    behind = factories.QuotaFactory(
        workshop=tehran_workshop, quantity=300, responded_at=started, due_date=timezone.localdate() + dt.timedelta(10)
    )
    # Nearly all of it released for re-allocation and what is left is made: not behind, whatever its quantity.
    factories.QuotaFactory(
        workshop=tehran_workshop, quantity=300, released_units=290, produced_units=10, responded_at=started
    )
    factories.QuotaFactory(workshop=tehran_workshop, responded_at=timezone.now())  # accepted today: nothing late
    factories.QuotaFactory(
        workshop=tehran_workshop, status=QuotaStatus.CANCELLED, cancel_reason="لغو", responded_at=started
    )
    factories.QuotaFactory(workshop=tehran_workshop, status=QuotaStatus.OFFERED, responded_at=None)
    # A Tehran hospital's order sewn in Isfahan: behind, but in Isfahan's supply.
    factories.QuotaFactory(
        workshop=factories.WorkshopFactory(province=factories.province("isfahan")), responded_at=started
    )

    dashboard = dashboard_list(client_for, coordinator, "quotas_behind")
    digest = coordinator_action_counts(coordinator, timezone.localdate())["behind"]
    panel = home(client_for, tehran_workshop.owner)["owner_panel"]["accepted"]
    badges = [quota.pk for quota, progress in panel if progress.behind]

    assert dashboard.total == digest == len(badges) == 1
    assert badges == [behind.pk]
    assert all(quota_progress(quota).behind == (quota.pk == behind.pk) for quota, _ in panel)


# --- Paid-for units no workshop has --------------------------------------------------------------------------------


def test_the_dashboards_funded_but_not_allocated_units_equal_each_order_pages_figure(coordinator, client_for, db):
    center = factories.HealthCenterFactory()
    busy = factories.fund_order(factories.OrderFactory(health_center=center, quantity=1000, status=OrderStatus.FUNDED))
    factories.QuotaFactory(order=busy, quantity=300)
    factories.QuotaFactory(order=busy, quantity=100, released_units=20)
    factories.QuotaFactory(order=busy, quantity=200, status=QuotaStatus.CANCELLED, produced_units=50, cancel_reason="x")
    factories.QuotaFactory(order=busy, quantity=100, status=QuotaStatus.DECLINED, decline_reason="سرم شلوغ است")
    partly = factories.OrderFactory(health_center=center, quantity=500, status=OrderStatus.FUNDED)
    factories.fund_order(partly, 120 * partly.unit_cost_rials + 9)
    full = factories.fund_order(factories.OrderFactory(health_center=center, quantity=100, status=OrderStatus.FUNDED))
    factories.QuotaFactory(order=full, quantity=100)
    cancelled = factories.fund_order(factories.OrderFactory(health_center=center, quantity=100))
    cancelled.status = OrderStatus.CANCELLED
    cancelled.save(update_fields=["status"])

    action = dashboard_list(client_for, coordinator, "unallocated")
    shown = {item.url: item.detail for item in action.items}

    pages = {}
    for order in (busy, partly, full):
        page = client_for(coordinator).get(reverse("orders:detail", args=[order.pk]))
        pages[order.pk] = page.context["funding"].unallocated_releasable_units
    assert pages == {busy.pk: 1000 - 300 - 80 - 50, partly.pk: 120, full.pk: 0}
    assert funding_of(cancelled).unallocated_releasable_units == 100  # money, but the order is over: no action

    assert action.total == 2
    for order in (busy, partly):
        assert shown[reverse("orders:detail", args=[order.pk])].startswith(ui_number(pages[order.pk]) + " ")


# --- Units delivered and confirmed: dashboard headline vs the thematic report ----------------------------------------


def test_the_thematic_reports_center_table_adds_up_to_the_dashboards_delivered_and_confirmed_units(coordinator, db):
    center, other = factories.HealthCenterFactory(), factories.HealthCenterFactory()

    def quota_for(health_center, units):
        return factories.QuotaFactory(
            order__health_center=health_center, produced_units=units, collected_units=units, accepted_units=units
        )

    def sent(health_center, units):
        delivery = delivery_create(
            health_center=health_center,
            planned_date=timezone.localdate(),
            lines=[(quota_for(health_center, units), units)],
            actor=coordinator,
            courier_name="علی",
        )
        return delivery_dispatch(delivery=delivery, actor=coordinator)

    confirmed = sent(center, 30)
    delivery_confirm(delivery=confirmed, lines={confirmed.lines.get().pk: ReceivedLine(30)}, receiver_name="پرستار")
    disputed = sent(other, 40)
    delivery_confirm(
        delivery=disputed,
        lines={disputed.lines.get().pk: ReceivedLine(35, rejected_units=5, reject_reason="پاره")},
        receiver_name="پرستار",
    )
    sent(center, 12)  # on its way, not answered
    delivery_create(  # planned only: has not left
        health_center=center,
        planned_date=timezone.localdate(),
        lines=[(quota_for(center, 9), 9)],
        actor=coordinator,
        courier_name="علی",
    )

    period = DashboardPeriod.default()
    headline = dashboard_figures(user=coordinator, period=period)
    report = thematic_data(user_or_scope=coordinator, province=None, start=period.start, end=period.end)

    assert headline.delivered_units == report.summary.delivered_units == 30 + 40 + 12
    assert sum(row.delivered_units for row in report.health_centers) == headline.delivered_units
    assert headline.confirmed_units == report.summary.confirmed_units == 30 + 30
    assert sum(row.confirmed_units for row in report.health_centers) == headline.confirmed_units
    assert report.summary.deliveries == 3
    assert sum(units for _fa, _en, units in report.product_names) == headline.demand_units


# --- Income of workshops: dashboard headline, its income table and the thematic report -----------------------------


def test_the_income_from_donated_orders_is_the_dashboards_paid_to_workshops_and_the_reports_income(
    coordinator, national_coordinator, client_for, db
):
    woman_headed = factories.WorkshopFactory(is_woman_head_of_household=True)
    elsewhere = factories.WorkshopFactory(province=factories.province("isfahan"))

    def accepted(workshop, units: int):
        quota = factories.QuotaFactory(
            workshop=workshop, quantity=units, produced_units=units, collected_units=units, accepted_units=units
        )
        factories.fund_order(quota.order)
        return quota

    quotas = [accepted(woman_headed, 20), accepted(factories.WorkshopFactory(), 10), accepted(elsewhere, 7)]
    for quota in quotas:
        payout_record(quota=quota, units=quota.quantity, actor=national_coordinator)
    accepted(woman_headed, 4)  # accepted, not paid yet: no income
    factories.SaleRecordFactory(workshop=woman_headed, amount_rials=3_000_000)
    factories.SaleRecordFactory(workshop=elsewhere, amount_rials=9_000_000)  # Isfahan: not hers

    context = client_for(coordinator).get(reverse("reports:dashboard")).context
    period = DashboardPeriod.default()
    report = thematic_data(user_or_scope=coordinator, province=None, start=period.start, end=period.end)
    tehran_paid = sum(q.quantity * q.piece_rate_rials for q in quotas[:2])

    assert context["figures"].income_paid_rials == context["income_total"].donated_rials == tehran_paid
    assert report.summary.headline.income_paid_rials == sum(row.donated_rials for row in report.income) == tehran_paid
    assert [(r.name, r.donated_rials, r.sales_rials, r.total_women_percent) for r in report.income] == [
        (r.name, r.donated_rials, r.sales_rials, r.total_women_percent) for r in context["income_rows"]
    ]
    assert context["income_total"].sales_rials == 3_000_000


# --- Workshops to collect from, health centers ready to deliver to ----------------------------------------------


def test_the_collect_and_ready_cards_equal_the_rows_of_the_lists_they_open(coordinator, client_for, db):
    collector = factories.UserFactory(role=Role.COLLECTOR, provinces=[factories.province("tehran")])
    center = factories.HealthCenterFactory()
    made = {"produced_units": 40, "collected_units": 10, "accepted_units": 8}
    factories.QuotaFactory(order__health_center=center, **made)  # 30 to collect, 8 ready to deliver
    factories.QuotaFactory(status=QuotaStatus.CANCELLED, cancel_reason="لغو", **made)  # what she made still counts
    factories.QuotaFactory(produced_units=10, collected_units=10, accepted_units=7)  # 3 refused at the check
    factories.QuotaFactory(status=QuotaStatus.DECLINED, decline_reason="سرم شلوغ است")
    # Sewn in Isfahan for a Tehran hospital: not hers to collect, but hers to deliver.
    factories.QuotaFactory(workshop=factories.WorkshopFactory(province=factories.province("isfahan")), **made)

    panel = home(client_for, coordinator)["coordinator"]
    to_collect = rows_of(client_for, coordinator, reverse("pickups:workshops"))
    ready = client_for(coordinator).get(reverse("deliveries:ready")).context["centers"]

    assert panel["workshops_to_collect"] == to_collect == home(client_for, collector)["collector_workshops"] == 2
    assert panel["centers_ready"] == len(ready) == 4


# --- Coordinator: orders and workshops by status ----------------------------------------------------------------


def test_the_order_and_workshop_cards_equal_the_rows_of_the_filtered_lists(coordinator, client_for, db):
    tehran, isfahan = (
        factories.HealthCenterFactory(),
        factories.HealthCenterFactory(province=factories.province("isfahan")),
    )
    for status, count in (
        (OrderStatus.REQUESTED, 2),
        (OrderStatus.OPEN, 3),
        (OrderStatus.FUNDED, 1),
        (OrderStatus.IN_PRODUCTION, 2),
        (OrderStatus.DELIVERED, 1),
        (OrderStatus.CLOSED, 1),
    ):
        for _ in range(count):
            factories.OrderFactory(health_center=tehran, status=status)
        factories.OrderFactory(health_center=isfahan, status=status)
    factories.OrderFactory(health_center=tehran, status=OrderStatus.CANCELLED)
    for status in (WorkshopStatus.PENDING, WorkshopStatus.VERIFIED, WorkshopStatus.VERIFIED):
        factories.WorkshopFactory(status=status)
    factories.WorkshopFactory(status=WorkshopStatus.SUSPENDED, status_reason="کیفیت")
    factories.WorkshopFactory(province=factories.province("isfahan"))

    panel = home(client_for, coordinator)["coordinator"]

    def orders(status: str) -> int:
        return rows_of(client_for, coordinator, reverse("orders:list") + f"?status={status}")

    def workshops(query: str = "") -> int:
        return rows_of(client_for, coordinator, reverse("supply:workshop-list") + query)

    assert panel["orders_requested"] == orders("requested") == 2
    assert panel["orders_open"] == orders("open") == 3
    assert panel["orders_active"] == orders("funded") + orders("in_production") == 3
    assert panel["workshops_total"] == workshops() == 4
    assert panel["workshops_verified"] == workshops("?status=verified") == 2
    assert panel["health_centers"] == rows_of(client_for, coordinator, reverse("core:healthcenter-list")) == 1


# --- Workshop owner: what she was paid -----------------------------------------------------------------------------


def test_the_owners_paid_figure_is_the_same_on_her_earnings_her_payouts_and_in_the_ledger(coordinator, client_for):
    quota = factories.QuotaFactory(quantity=100)
    factories.fund_order(quota.order)
    today = timezone.localdate()

    def accepted(units: int, on: dt.date) -> None:
        pickup = Pickup.objects.create(workshop=quota.workshop, pickup_date=on, recorded_by=coordinator)
        PickupLine.objects.create(pickup=pickup, quota=quota, collected_units=units, accepted_units=units)
        for counter in ("produced_units", "collected_units", "accepted_units"):
            setattr(quota, counter, getattr(quota, counter) + units)
        quota.save(update_fields=["produced_units", "collected_units", "accepted_units"])

    accepted(30, today - dt.timedelta(days=20))
    paid = payout_batch_create(
        period_start=today - dt.timedelta(days=25), period_end=today - dt.timedelta(days=15), actor=coordinator
    )
    payout_batch_mark_paid(batch=paid, bank_reference="BANK-1", paid_on=today, actor=coordinator)
    accepted(12, today - dt.timedelta(days=5))
    payout_batch_create(period_start=today - dt.timedelta(days=14), period_end=today, actor=coordinator)  # a draft
    accepted(5, today)  # in no batch yet

    owner = quota.workshop.owner
    earnings = client_for(owner).get(reverse("quotas:history")).context["earnings"]
    payouts = client_for(owner).get(reverse("my-payouts:list")).context
    rate = quota.piece_rate_rials

    assert earnings.paid_rials == payouts["paid_rials"] == ledger.workshop_paid(quota.workshop_id) == 30 * rate
    # "Not yet paid" is every accepted unit not paid; "waiting for payment" only those already in a draft batch.
    assert (earnings.unpaid_rials, payouts["waiting_rials"]) == (17 * rate, 12 * rate)


def test_delivered_means_received_on_every_page_and_units_on_their_way_are_called_sent(coordinator, client_for, db):
    """The order page's "Delivered" is what the center accepted; the dashboard once used the same word for units
    that had only left, so one order showed 12 "delivered" on the dashboard and 0 on its own page."""
    quota = factories.QuotaFactory(produced_units=12, collected_units=12, accepted_units=12)
    on_its_way = delivery_create(
        health_center=quota.order.health_center,
        planned_date=timezone.localdate(),
        lines=[(quota, 12)],
        actor=coordinator,
        courier_name="علی",
    )
    delivery_dispatch(delivery=on_its_way, actor=coordinator)
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"

    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    order_page = client.get(reverse("orders:detail", args=[quota.order.pk])).content.decode()

    assert re.search(r'Sent to health centers</div><div class="figure" data-figure="delivered">12<', dashboard)
    assert ">Delivered<" not in dashboard.split('data-testid="headline"')[1].split("</div>\n</div>")[0]
    assert 'data-testid="delivered-total">0<' in order_page


# --- Donations: what a campaign received, what a donor gave --------------------------------------------------------


def received(pledge, amount: int | None = None):
    return pledge_confirm(
        pledge=pledge,
        actor=None,
        amount_received_rials=pledge.amount_rials if amount is None else amount,
        bank_reference=f"TEST-{pledge.pk}",
        received_on=timezone.localdate(),
    )


@pytest.fixture
def money_world(coordinator):
    """Two donors' pledges: received, refunded in part, applied to an order, still waiting, to another campaign."""
    donor, other = factories.DonorFactory(), factories.DonorFactory()
    campaign, elsewhere = factories.CampaignFactory(), factories.CampaignFactory()
    order, funded = factories.OrderFactory(), factories.OrderFactory()
    received(factories.PledgeFactory(donor=donor, order=None, campaign=campaign, amount_rials=30_000_000))
    refunded = received(factories.PledgeFactory(donor=donor, order=order, amount_rials=20_000_000))
    pledge_refund(pledge=refunded, amount=5_000_000, actor=coordinator, reason="به درخواست نیکوکار")
    received(factories.PledgeFactory(donor=other, order=None, campaign=campaign, amount_rials=12_000_000))
    received(factories.PledgeFactory(donor=other, order=None, campaign=elsewhere, amount_rials=4_000_000))
    factories.PledgeFactory(donor=donor, order=None, campaign=campaign, amount_rials=9_000_000)  # not received yet
    campaign_apply(campaign=campaign, order=funded, amount=10_000_000, actor=coordinator)  # leaves, still received
    return donor, other, campaign


def test_a_campaigns_received_money_is_one_number_on_the_board_its_pledge_page_the_campaign_list_and_its_page(
    coordinator, donor_user, client_for, money_world
):
    """The board and the coordinator's list read it for many campaigns in one query, the campaign's pages one by one."""
    *_, campaign = money_world
    board = {row.pk: row.received for row in client_for(donor_user).get(reverse("giving:board")).context["campaigns"]}
    pledge_page = client_for(donor_user).get(reverse("giving:pledge-campaign", args=[campaign.pk])).context["target"]
    coordinator_list = client_for(coordinator).get(reverse("donations:campaign-list")).context["campaigns"]
    listed = {row.pk: row.received for row in coordinator_list}
    page = client_for(coordinator).get(reverse("donations:campaign-detail", args=[campaign.pk])).context

    assert board[campaign.pk] == pledge_page.received == listed[campaign.pk] == page["received"] == 42_000_000
    assert ledger.campaign_received(campaign.pk) == 42_000_000
    assert board == listed  # every running campaign, the other one too


def test_what_a_donor_gave_is_one_number_on_the_donor_list_and_in_the_ledger(coordinator, client_for, money_world):
    """The donor list adds up the ledger per row in SQL; ``ledger.donor_given`` sums one donor's entries."""
    donor, other, _ = money_world
    rows = client_for(coordinator).get(reverse("donations:donor-list")).context["object_list"]
    given = {row.pk: row.given_rials for row in rows}

    assert given[donor.pk] == ledger.donor_given(donor.pk) == 30_000_000 + 20_000_000 - 5_000_000
    assert given[other.pk] == ledger.donor_given(other.pk) == 16_000_000


# --- The province map: need, funding gap and free capacity, as the dashboard, the order pages and supply count them ---


def map_values(client_for, user, measure: str) -> dict[str, int | None]:
    response = client_for(user).get(reverse("reports:dashboard") + f"?map={measure}")
    assert response.status_code == 200
    return {row["tile"].code: row["tile"].value for row in response.context["province_map"].rows}


def test_the_maps_funding_gap_is_the_dashboards_chart_and_the_order_pages_gap(coordinator, client_for, db):
    center = factories.HealthCenterFactory()
    factories.fund_order(factories.OrderFactory(health_center=center, quantity=1000), 3_000_000)
    factories.fund_order(factories.OrderFactory(health_center=center, quantity=100))  # no gap left
    factories.OrderFactory(health_center=center, quantity=200, status=OrderStatus.REQUESTED)
    factories.OrderFactory(health_center=center, quantity=500, status=OrderStatus.CLOSED)
    factories.OrderFactory(health_center=center, quantity=500, status=OrderStatus.CANCELLED)
    factories.OrderFactory(health_center=factories.HealthCenterFactory(province=factories.province("isfahan")))

    shown = map_values(client_for, coordinator, "funding")
    chart = client_for(coordinator).get(reverse("reports:dashboard")).context["gaps"]
    pages = [
        client_for(coordinator).get(reverse("orders:detail", args=[order.pk])).context["funding"].gap_rials
        for order in Order.objects.filter(health_center=center).exclude(status__in=FINAL_STATUSES)
    ]

    assert [gap.gap_rials for gap in chart] == [shown["tehran"]] == [sum(pages)]
    assert shown["isfahan"] is None  # not hers


def test_the_maps_unmet_need_is_each_order_pages_quantity_less_allocated(coordinator, client_for, db):
    center = factories.HealthCenterFactory()
    busy = factories.OrderFactory(health_center=center, quantity=1000, status=OrderStatus.FUNDED)
    factories.QuotaFactory(order=busy, quantity=300)
    factories.QuotaFactory(order=busy, quantity=100, released_units=20)
    factories.QuotaFactory(order=busy, quantity=200, status=QuotaStatus.CANCELLED, produced_units=50, cancel_reason="x")
    factories.QuotaFactory(order=busy, quantity=100, status=QuotaStatus.DECLINED, decline_reason="سرم شلوغ است")
    over = factories.OrderFactory(health_center=center, quantity=100, status=OrderStatus.FUNDED)
    factories.QuotaFactory(order=over, quantity=100)
    factories.OrderFactory(health_center=center, quantity=400)
    factories.OrderFactory(health_center=center, quantity=900, status=OrderStatus.CLOSED)

    shown = map_values(client_for, coordinator, "need")
    pages = {}
    for order in Order.objects.filter(health_center=center).exclude(status__in=FINAL_STATUSES):
        funding = client_for(coordinator).get(reverse("orders:detail", args=[order.pk])).context["funding"]
        pages[order.pk] = max(order.quantity - funding.allocated_units, 0)

    assert shown["tehran"] == sum(pages.values()) == (1000 - 300 - 80 - 50) + 0 + 400


def test_the_maps_free_capacity_is_the_supply_windows_free_days_of_verified_workshops(coordinator, client_for, db):
    from production.supply import workshop_loads
    from workshops.models import Workshop

    factories.WorkshopCapacityFactory()  # idle
    factories.QuotaFactory(quantity=60)  # busy: 3 of its days taken at 20 a day
    factories.WorkshopFactory()  # declared nothing
    factories.WorkshopCapacityFactory(
        workshop=factories.WorkshopFactory(status=WorkshopStatus.SUSPENDED, status_reason="کیفیت")
    )

    shown = map_values(client_for, coordinator, "capacity")
    counted = Workshop.objects.filter(status=WorkshopStatus.VERIFIED, capacities__units_per_day__gt=0).distinct()
    loads = workshop_loads(counted)

    assert shown["tehran"] == int(sum(load.free_days for load in loads.values()))
    assert len(loads) == 2
