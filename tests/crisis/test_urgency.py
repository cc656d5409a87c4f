"""Crisis severity counts where priorities are decided: the order list, the funding board, campaign money.

The rule (orders/urgency.py): urgency = priority points (normal 1, high 2, urgent 3) + the level at the health
center's city (white 0 … red 3); equal urgency goes by priority, then needed-by date.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from crisis.models import SeverityLevel
from crisis.services import severity_declare
from donors.ledger import selectors as ledger
from donors.services.funds import campaign_fill_urgent_gaps
from orders.models import OrderPriority, OrderStatus
from orders.urgency import urgency_of
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    return factories.CoordinatorFactory(is_national=True)


@pytest.fixture
def orders(national):
    """A white Tehran urgent order, a white Tehran high one and a red Khuzestan normal one."""
    khuzestan_center = factories.HealthCenterFactory(province=factories.province("khuzestan"))
    severity_declare(
        actor=national,
        province=factories.province("khuzestan"),
        level=SeverityLevel.RED,
        effective_from=timezone.localdate(),
    )
    return {
        "white_urgent": factories.OrderFactory(priority=OrderPriority.URGENT, quantity=100),
        "white_high": factories.OrderFactory(priority=OrderPriority.HIGH, quantity=100),
        "red_normal": factories.OrderFactory(health_center=khuzestan_center, quantity=100),
    }


def test_the_rule_puts_a_red_normal_order_above_a_white_urgent_one_and_an_orange_normal_level_with_it():
    assert urgency_of(OrderPriority.NORMAL, SeverityLevel.RED) == 4
    assert urgency_of(OrderPriority.URGENT, SeverityLevel.WHITE) == 3
    assert urgency_of(OrderPriority.NORMAL, SeverityLevel.ORANGE) == urgency_of(OrderPriority.URGENT, 0)
    assert urgency_of(OrderPriority.HIGH, SeverityLevel.WHITE) == 2


def test_the_national_order_list_shows_the_red_provinces_normal_order_first_with_its_level(client, national, orders):
    client.force_login(national)
    page = client.get(reverse("orders:list")).content.decode()
    positions = [page.index(orders[name].number) for name in ("red_normal", "white_urgent", "white_high")]
    assert positions == sorted(positions)
    assert "severity-red" in page


def test_the_funding_board_puts_the_red_provinces_order_first_and_says_red(client, orders):
    page = client.get(reverse("giving:board")).content.decode()
    positions = [page.index(orders[name].number) for name in ("red_normal", "white_urgent", "white_high")]
    assert positions == sorted(positions)
    assert page.count("severity-red") == 1  # white orders carry no level badge on the board


def test_a_level_that_takes_effect_next_week_changes_nothing_today(client, national):
    khuzestan_center = factories.HealthCenterFactory(province=factories.province("khuzestan"))
    severity_declare(
        actor=national,
        province=factories.province("khuzestan"),
        level=SeverityLevel.RED,
        effective_from=timezone.localdate() + dt.timedelta(days=7),
    )
    urgent = factories.OrderFactory(priority=OrderPriority.URGENT)
    normal = factories.OrderFactory(health_center=khuzestan_center)
    page = client.get(reverse("giving:board")).content.decode()
    assert page.index(urgent.number) < page.index(normal.number)


def test_campaign_money_fills_the_red_provinces_gap_first(national, orders):
    campaign = factories.CampaignFactory(created_by=national)
    pledge = factories.PledgeFactory(
        campaign=campaign, order=None, amount_rials=orders["red_normal"].budget_rials + 1_000_000
    )
    from donors.services.pledges import pledge_confirm

    pledge_confirm(
        pledge=pledge,
        actor=national,
        amount_received_rials=pledge.amount_rials,
        bank_reference="SEV-1",
        received_on=timezone.localdate(),
    )
    campaign_fill_urgent_gaps(campaign=campaign, actor=national)
    assert ledger.order_applied_funds(orders["red_normal"].pk) == orders["red_normal"].budget_rials
    assert ledger.order_applied_funds(orders["white_urgent"].pk) == 1_000_000
    assert ledger.order_applied_funds(orders["white_high"].pk) == 0
    assert orders["white_high"].status == OrderStatus.OPEN


# --- Allocation -----------------------------------------------------------------------------------------------


def test_the_engine_gives_scarce_time_to_a_red_provinces_normal_order_before_a_white_urgent_one():
    from production.allocation import OrderDemand, WorkshopSupply, allocate
    from workshops.calendar import DEFAULT_WEEKDAY_MASK, WorkCalendar

    today = dt.date(2026, 11, 28)  # a Saturday
    due = today + dt.timedelta(days=1)
    one_day = WorkshopSupply(1, 1, 10, {1: 100}, WorkCalendar(DEFAULT_WEEKDAY_MASK), False, ())
    orders = [
        OrderDemand(1, 1, 1, 10, 100, due, "urgent", severity=SeverityLevel.WHITE),
        OrderDemand(2, 1, 2, 20, 100, due, "normal", severity=SeverityLevel.RED),
    ]
    plan = allocate(orders, [one_day], today=today)
    assert [(a.order_id, a.units) for a in plan.allocations] == [(2, 100)]
    # Without the crisis the urgent order wins, as before.
    calm = [orders[0], OrderDemand(2, 1, 2, 20, 100, due, "normal")]
    assert [(a.order_id, a.units) for a in allocate(calm, [one_day], today=today).allocations] == [(1, 100)]


def test_the_allocation_preview_says_where_the_crisis_level_moved_an_order_up(
    client, national, orders, django_capture_on_commit_callbacks
):
    from production.models import AllocationRun

    factories.WorkshopCapacityFactory(
        workshop=factories.WorkshopFactory(province=factories.province("khuzestan")), units_per_day=5
    )
    for order in orders.values():
        factories.fund_order(order)
    client.force_login(national)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orders:allocation"), {})
    run = AllocationRun.objects.order_by("-pk").first()
    assert run is not None and run.is_finished
    response = client.get(reverse("orders:allocation-run", args=[run.pk]))
    red = next(item for item in run.result["orders"] if item["order_id"] == orders["red_normal"].pk)
    assert red["severity"] == SeverityLevel.RED
    page = response.content.decode()
    assert 'data-testid="severity-reason"' in page and "severity-red" in page
    # Planned again as if every place were white, the Khuzestan workshop's time would have gone to Tehran's urgent
    # order: the preview says how many units the level moved, to whom and from whom.
    urgent = next(item for item in run.result["orders"] if item["order_id"] == orders["white_urgent"].pk)
    assert red["severity_effect"] > 0 and urgent["severity_effect"] == -red["severity_effect"]
    assert run.result["totals"]["crisis_moved_units"] == red["severity_effect"]
    assert page.count('data-testid="severity-effect"') == 2


def test_the_morning_digest_names_her_provinces_in_crisis_most_severe_first(national):
    from core.models import Notification
    from donors.notification_tasks import coordinator_daily_digest

    tehran_coordinator = factories.CoordinatorFactory()
    factories.WorkshopFactory(status="pending")  # something waiting, so the digest is sent
    severity_declare(
        actor=national,
        province=factories.province("tehran"),
        level=SeverityLevel.ORANGE,
        effective_from=timezone.localdate(),
    )
    severity_declare(
        actor=national,
        province=factories.province("khuzestan"),
        level=SeverityLevel.RED,
        effective_from=timezone.localdate(),
    )
    coordinator_daily_digest()
    tehran_text = Notification.objects.get(recipient=tehran_coordinator).text
    assert tehran_text.endswith("در بحران: تهران نارنجی.")  # not Khuzestan: not her province
    national_text = Notification.objects.get(recipient=national).text
    assert "خوزستان قرمز، تهران نارنجی" in national_text
