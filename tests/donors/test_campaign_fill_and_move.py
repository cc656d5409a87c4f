import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from donors.ledger import selectors as ledger
from donors.models import EntryKind, LedgerEntry
from donors.services.funds import campaign_fill_urgent_gaps
from donors.services.pledges import pledge_confirm
from orders.models import OrderPriority

from .. import factories

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def _confirm(pledge, actor):
    return pledge_confirm(
        pledge=pledge,
        actor=actor,
        amount_received_rials=pledge.amount_rials,
        bank_reference="REF-1",
        received_on=timezone.localdate(),
    )


def _campaign_holding(amount, actor):
    campaign = factories.CampaignFactory()
    _confirm(factories.PledgeFactory(order=None, campaign=campaign, amount_rials=amount), actor)
    return campaign


def _order_holding(amount, actor, **kwargs):
    order = factories.OrderFactory(**kwargs)
    _confirm(factories.PledgeFactory(order=order, amount_rials=amount), actor)
    return order


def _isfahan_order(**kwargs):
    center = factories.HealthCenterFactory(province=factories.province("isfahan"), city=factories.capital("isfahan"))
    return factories.OrderFactory(health_center=center, **kwargs)


# --- Fill the most urgent gaps ---------------------------------------------------------------------------------


def test_fill_gives_the_urgent_order_its_gap_before_the_normal_one_and_stops_when_the_campaign_is_empty(
    client_for, coordinator
):
    soon = timezone.localdate() + dt.timedelta(days=5)
    normal = factories.OrderFactory(quantity=100, needed_by=soon)
    urgent = factories.OrderFactory(quantity=100, priority=OrderPriority.URGENT)
    later_normal = factories.OrderFactory(quantity=100, needed_by=soon + dt.timedelta(days=30))
    campaign = _campaign_holding(urgent.budget_rials + 1_000_000, coordinator)
    client = _english(client_for(coordinator))
    response = client.post(reverse("donations:campaign-fill", kwargs={"pk": campaign.pk}), follow=True)
    assert response.status_code == 200
    assert ledger.order_applied_funds(urgent.pk) == urgent.budget_rials
    assert ledger.order_applied_funds(normal.pk) == 1_000_000
    assert ledger.order_applied_funds(later_normal.pk) == 0
    assert ledger.campaign_balance(campaign.pk) == 0
    total = urgent.budget_rials + 1_000_000
    assert f"2 orders received {total:,} rials from the campaign in total." in response.content.decode()


def test_fill_skips_other_provinces_and_full_orders_and_is_audited_per_order(coordinator):
    full = factories.OrderFactory(quantity=100, priority=OrderPriority.URGENT)
    _confirm(factories.PledgeFactory(order=full, amount_rials=full.budget_rials), coordinator)
    foreign = _isfahan_order(quantity=100, priority=OrderPriority.URGENT)
    needy = factories.OrderFactory(quantity=100)
    campaign = _campaign_holding(50_000_000, coordinator)
    entries = campaign_fill_urgent_gaps(campaign=campaign, actor=coordinator)
    assert [entry.to_order for entry in entries] == [needy]
    assert ledger.order_applied_funds(foreign.pk) == 0
    assert ledger.campaign_balance(campaign.pk) == 50_000_000 - needy.budget_rials


def test_fill_with_nothing_to_fill_says_so_and_changes_nothing(client_for, coordinator):
    campaign = factories.CampaignFactory()
    factories.OrderFactory()
    client = _english(client_for(coordinator))
    response = client.post(reverse("donations:campaign-fill", kwargs={"pk": campaign.pk}), follow=True)
    assert "Nothing was applied" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind=EntryKind.APPLIED).exists()


def test_the_campaign_page_offers_the_fill_button(client_for, coordinator):
    campaign = factories.CampaignFactory()
    page = _english(client_for(coordinator)).get(reverse("donations:campaign-detail", kwargs={"pk": campaign.pk}))
    assert "Fill the most urgent gaps" in page.content.decode()
    assert reverse("donations:campaign-fill", kwargs={"pk": campaign.pk}) in page.content.decode()


# --- Move funds between orders -----------------------------------------------------------------------------------


def test_moving_persian_digits_amount_moves_money_between_the_orders(client_for, coordinator):
    source = _order_holding(30_000_000, coordinator)
    target = factories.OrderFactory()
    client = _english(client_for(coordinator))
    response = client.post(
        reverse("donations:funds-move"),
        {"from_order": source.pk, "to_order": target.pk, "amount_rials": "۱۰٬۰۰۰٬۰۰۰", "reason": "سفارش لغو شد"},
        follow=True,
    )
    assert response.status_code == 200
    assert ledger.order_balance(source.pk) == 20_000_000
    assert ledger.order_balance(target.pk) == 10_000_000
    assert LedgerEntry.objects.get(kind=EntryKind.MOVED).note == "سفارش لغو شد"
    assert "10,000,000 rials moved from order" in response.content.decode()


def test_a_move_without_a_reason_is_refused(client_for, coordinator):
    source = _order_holding(30_000_000, coordinator)
    target = factories.OrderFactory()
    response = _english(client_for(coordinator)).post(
        reverse("donations:funds-move"),
        {"from_order": source.pk, "to_order": target.pk, "amount_rials": "۱۰٬۰۰۰٬۰۰۰", "reason": ""},
    )
    assert response.status_code == 200
    assert "Please give a reason." in response.content.decode()
    assert not LedgerEntry.objects.filter(kind=EntryKind.MOVED).exists()


def test_moving_more_than_the_unspent_balance_is_refused_with_the_error_and_typed_values_kept(client_for, coordinator):
    source = _order_holding(5_000_000, coordinator)
    target = factories.OrderFactory()
    response = _english(client_for(coordinator)).post(
        reverse("donations:funds-move"),
        {"from_order": source.pk, "to_order": target.pk, "amount_rials": "۱۰٬۰۰۰٬۰۰۰", "reason": "نیاز فوری"},
    )
    page = response.content.decode()
    assert "The order holds only 5,000,000 rials unspent." in page
    assert "۱۰٬۰۰۰٬۰۰۰" in page
    assert "نیاز فوری" in page
    assert ledger.order_balance(source.pk) == 5_000_000


def test_orders_of_another_province_are_not_offered_for_a_move(client_for, coordinator):
    own = _order_holding(5_000_000, coordinator, number="ORD-OWN-1")
    foreign = _isfahan_order(number="ORD-FOREIGN-1")
    page = client_for(coordinator).get(reverse("donations:funds-move")).content.decode()
    assert own.number in page
    assert foreign.number not in page
    response = client_for(coordinator).post(
        reverse("donations:funds-move"),
        {"from_order": own.pk, "to_order": foreign.pk, "amount_rials": "1000", "reason": "x"},
    )
    assert response.status_code == 200
    assert ledger.order_balance(own.pk) == 5_000_000


def test_the_pledge_list_links_to_the_move_page(client_for, coordinator):
    page = client_for(coordinator).get(reverse("donations:pledge-list")).content.decode()
    assert reverse("donations:funds-move") in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_owners_and_donors_are_refused_the_move_page(client_for, owner, donor_user, method):
    url = reverse("donations:funds-move")
    assert getattr(client_for(owner), method)(url).status_code == 403
    assert getattr(client_for(donor_user), method)(url).status_code == 403


def test_owners_and_donors_cannot_fill_a_campaign(client_for, owner, donor_user):
    campaign = factories.CampaignFactory()
    url = reverse("donations:campaign-fill", kwargs={"pk": campaign.pk})
    assert client_for(owner).post(url).status_code == 403
    assert client_for(donor_user).post(url).status_code == 403
