"""The donor's trace: every received rial followed to orders, workshops and deliveries, read from the ledger."""

import datetime as dt

import pytest
from django.urls import reverse

from donors.ledger.services import pledges_mark_applied
from donors.ledger.trace import attribute_ledger, traces_for
from donors.models import PledgeStatus
from donors.services.funds import campaign_apply, payout_record
from donors.services.pledges import pledge_confirm, pledge_refund
from fulfilment.models import DeliveryStatus
from orders.models import OrderStatus

from .. import factories

MASK_COST = 60_000


def _confirm(pledge, amount=None):
    return pledge_confirm(
        pledge=pledge,
        actor=None,
        amount_received_rials=amount or pledge.amount_rials,
        bank_reference=f"REF-{pledge.pk}",
        received_on=dt.date(2026, 11, 20),
    )


@pytest.fixture
def order(db):
    return factories.OrderFactory(quantity=1000, status=OrderStatus.FUNDED)  # budget 60,000,000


def test_campaign_money_reaches_orders_oldest_pledge_first(coordinator, order):
    campaign = factories.CampaignFactory()
    first = _confirm(factories.PledgeFactory(order=None, campaign=campaign, amount_rials=10_000_000))
    second = _confirm(factories.PledgeFactory(order=None, campaign=campaign, amount_rials=10_000_000))
    campaign_apply(campaign=campaign, order=order, amount=15_000_000, actor=coordinator)
    money = attribute_ledger()
    assert money[first.pk].reached_orders == {order.pk: 10_000_000}
    assert money[second.pk].reached_orders == {order.pk: 5_000_000}
    assert money[second.pk].held[("campaign", campaign.pk)] == 5_000_000
    traces = traces_for([first, second])
    assert traces[second.pk].in_campaigns_rials == 5_000_000
    assert traces[second.pk].orders[0].units_bought == 5_000_000 // MASK_COST


def test_a_refund_takes_back_only_the_refunded_pledges_money(coordinator, order):
    early = _confirm(factories.PledgeFactory(order=order, amount_rials=6_000_000))
    late = _confirm(factories.PledgeFactory(order=order, amount_rials=6_000_000))
    pledge_refund(pledge=late, amount=2_000_000, actor=coordinator, reason="درخواست خیر")
    money = attribute_ledger()
    assert money[early.pk].held[("order", order.pk)] == 6_000_000
    assert money[late.pk].held[("order", order.pk)] == 4_000_000
    assert traces_for([late])[late.pk].refunded_rials == 2_000_000


def test_payouts_spend_the_oldest_money_and_the_fully_spent_pledge_becomes_applied(coordinator, order):
    quota = factories.QuotaFactory(order=order, piece_rate_rials=50_000, produced_units=100, accepted_units=100)
    early = _confirm(factories.PledgeFactory(order=order, amount_rials=3_000_000))
    late = _confirm(factories.PledgeFactory(order=order, amount_rials=3_000_000))
    payout_record(quota=quota, units=80, actor=coordinator)  # 4,000,000 rials
    assert pledges_mark_applied(actor=coordinator) == [early.pk]
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == PledgeStatus.APPLIED
    assert late.status == PledgeStatus.RECEIVED
    traces = traces_for([early, late])
    assert traces[early.pk].paid_to_workshops_rials == 3_000_000
    assert traces[late.pk].paid_to_workshops_rials == 1_000_000
    workshop_step = traces[early.pk].orders[0].workshops[0]
    assert (workshop_step.paid_by_you_rials, workshop_step.paid_by_you_units) == (3_000_000, 60)


def test_applied_is_not_set_while_money_still_waits_in_the_order(coordinator, order):
    quota = factories.QuotaFactory(order=order, piece_rate_rials=50_000, produced_units=10, accepted_units=10)
    pledge = _confirm(factories.PledgeFactory(order=order, amount_rials=3_000_000))
    payout_record(quota=quota, units=10, actor=coordinator)
    assert pledges_mark_applied() == []
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.RECEIVED


def test_the_trace_names_a_workshop_only_with_its_consent(order):
    pledge = _confirm(factories.PledgeFactory(order=order, amount_rials=6_000_000))
    named = factories.WorkshopFactory(name="کارگاه مهرانه", public_name_consent=True)
    private = factories.WorkshopFactory(name="کارگاه پنهان", public_name_consent=False)
    factories.QuotaFactory(order=order, workshop=named, produced_units=30)
    factories.QuotaFactory(order=order, workshop=private, produced_units=20)
    steps = traces_for([pledge])[pledge.pk].orders[0].workshops
    labels = {step.label for step in steps}
    assert "کارگاه مهرانه" in labels
    assert "کارگاه پنهان" not in labels
    assert str(private.city) in labels


def test_my_giving_shows_the_delivery_sheet_number_and_the_health_center_that_received_the_units(client_for, db):
    delivery = factories.DeliveryFactory(status=DeliveryStatus.CONFIRMED)
    line = factories.DeliveryLineFactory(delivery=delivery, units=40, received_units=40, rejected_units=0)
    order = line.quota.order
    pledge = _confirm(factories.PledgeFactory(order=order, amount_rials=12_000_000))
    client = client_for(pledge.donor.user)
    client.cookies["hamdeli_language"] = "en"
    response = client.get(reverse("giving:mine"))
    text = response.content.decode()
    assert 'data-testid="trace-order"' in text
    assert "200 units of" in text  # 12,000,000 ÷ 60,000
    assert delivery.code in text
    assert str(delivery.health_center) in text
    assert "40 units received" in text


def test_a_donor_without_received_money_sees_no_trace(client_for, order):
    pledge = factories.PledgeFactory(order=order, amount_rials=6_000_000)
    response = client_for(pledge.donor.user).get(reverse("giving:mine"))
    assert 'data-testid="trace"' not in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_donors_page_shows_money_confirmed_after_her_last_visit(client):
    """Outside a transaction the replay is kept between visits; a new ledger entry must still show at once."""
    from core.persian import to_persian_digits

    order = factories.OrderFactory(quantity=1000, status=OrderStatus.OPEN)
    donor = factories.DonorFactory()
    client.force_login(donor.user)
    _confirm(factories.PledgeFactory(donor=donor, order=order, amount_rials=MASK_COST * 30))
    first_visit = client.get(reverse("giving:mine")).content.decode()
    assert to_persian_digits(f"{MASK_COST * 30:,}".replace(",", "٬")) in first_visit

    _confirm(factories.PledgeFactory(donor=donor, order=order, amount_rials=MASK_COST * 7))
    second_visit = client.get(reverse("giving:mine")).content.decode()

    assert second_visit.count('data-testid="my-pledge"') == 2
    assert second_visit.count('data-testid="trace-order"') == 2  # the new money is traced to the order too
    assert attribute_ledger() is attribute_ledger()  # nothing changed between these two reads: no replay
