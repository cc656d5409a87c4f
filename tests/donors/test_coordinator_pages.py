import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from core import jalali
from donors.models import Campaign, EntryKind, LedgerEntry, PledgeStatus
from donors.services.pledges import pledge_confirm

from .. import factories

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def _isfahan_order():
    center = factories.HealthCenterFactory(province=factories.province("isfahan"), city=factories.capital("isfahan"))
    return factories.OrderFactory(health_center=center)


def _confirm(pledge, actor, amount=None):
    return pledge_confirm(
        pledge=pledge,
        actor=actor,
        amount_received_rials=amount or pledge.amount_rials,
        bank_reference="REF-1",
        received_on=timezone.localdate(),
    )


def _confirm_url(pledge, action="confirm"):
    return reverse("donations:pledge-action", kwargs={"pk": pledge.pk, "action": action})


# --- Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["donations:pledge-list", "donations:campaign-list", "donations:donor-list"], ids=str)
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", ["donations:pledge-list", "donations:campaign-list", "donations:donor-list"])
def test_workshop_owners_and_donors_are_refused_the_donation_pages(client_for, owner, donor_user, name):
    assert client_for(owner).get(reverse(name)).status_code == 403
    assert client_for(donor_user).get(reverse(name)).status_code == 403


def test_a_donor_cannot_confirm_a_pledge_by_posting_to_the_page(client_for):
    pledge = factories.PledgeFactory()
    response = client_for(pledge.donor.user).post(_confirm_url(pledge), {})
    assert response.status_code == 403
    assert not LedgerEntry.objects.exists()


# --- Pledge list ----------------------------------------------------------------------------------------------


def test_a_coordinator_sees_pledges_of_her_provinces_and_of_campaigns_but_not_of_other_provinces(
    client_for, coordinator
):
    factories.PledgeFactory(donor__user__full_name="تهرانی")
    factories.PledgeFactory(donor__user__full_name="اصفهانی", order=_isfahan_order())
    factories.PledgeFactory(donor__user__full_name="پویشی", order=None, campaign=factories.CampaignFactory())
    page = client_for(coordinator).get(reverse("donations:pledge-list")).content.decode()
    assert "تهرانی" in page
    assert "پویشی" in page
    assert "اصفهانی" not in page


def test_a_national_coordinator_sees_every_pledge(client_for, national_coordinator):
    factories.PledgeFactory(donor__user__full_name="تهرانی")
    factories.PledgeFactory(donor__user__full_name="اصفهانی", order=_isfahan_order())
    page = client_for(national_coordinator).get(reverse("donations:pledge-list")).content.decode()
    assert "تهرانی" in page and "اصفهانی" in page


def test_the_pledge_list_filters_by_status_and_amount_typed_in_persian_digits(client_for, coordinator):
    factories.PledgeFactory(donor__user__full_name="آقای کریمی", amount_rials=1_000_000)
    factories.PledgeFactory(donor__user__full_name="خانم رضایی", amount_rials=50_000_000)
    cancelled = factories.PledgeFactory(donor__user__full_name="خانم احمدی", amount_rials=60_000_000)
    cancelled.status = PledgeStatus.CANCELLED
    cancelled.save()
    client = client_for(coordinator)
    page = client.get(reverse("donations:pledge-list"), {"amount_min": "۱۰٬۰۰۰٬۰۰۰", "status": "pledged"})
    text = page.content.decode()
    assert "خانم رضایی" in text
    assert "آقای کریمی" not in text and "خانم احمدی" not in text


def test_the_pledge_list_filters_by_jalali_date(client_for, coordinator):
    factories.PledgeFactory(donor__user__full_name="امروزی")
    today = jalali.format_short(timezone.localdate())
    client = client_for(coordinator)
    assert "امروزی" in client.get(reverse("donations:pledge-list"), {"pledged_from": today}).content.decode()
    assert "امروزی" not in client.get(reverse("donations:pledge-list"), {"pledged_to": "۱۴۰۰/۰۱/۰۱"}).content.decode()


def test_the_pledge_export_escapes_a_donor_name_that_looks_like_a_formula(client_for, coordinator):
    factories.PledgeFactory(donor__user__full_name="=cmd")
    response = client_for(coordinator).get(reverse("donations:pledge-list"), {"_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=cmd"
    assert "10000000" in rows[1]


def test_the_pledge_list_exports_excel(client_for, coordinator):
    factories.PledgeFactory()
    response = client_for(coordinator).get(reverse("donations:pledge-list"), {"_export": "xlsx"})
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


# --- One pledge -----------------------------------------------------------------------------------------------


def test_a_coordinator_gets_404_for_a_pledge_of_another_province(client_for, coordinator):
    pledge = factories.PledgeFactory(order=_isfahan_order())
    client = client_for(coordinator)
    assert client.get(reverse("donations:pledge-detail", kwargs={"pk": pledge.pk})).status_code == 404
    assert client.post(_confirm_url(pledge), {}).status_code == 404


def test_the_confirm_form_is_prefilled_with_the_pledged_amount_and_today(client_for, coordinator):
    pledge = factories.PledgeFactory(amount_rials=50_000_000)
    page = client_for(coordinator).get(reverse("donations:pledge-detail", kwargs={"pk": pledge.pk})).content.decode()
    assert 'name="confirm-amount_received_rials"' in page
    assert "50000000" in page or "۵۰٬۰۰۰٬۰۰۰" in page
    assert (
        jalali.format_short(timezone.localdate()) in page
        or jalali.format_short(timezone.localdate(), persian=False) in page
    )


def test_confirming_with_persian_digits_and_a_jalali_date_writes_one_received_entry(client_for, coordinator):
    order = factories.OrderFactory(quantity=1000)  # budget 60,000,000
    pledge = factories.PledgeFactory(order=order, amount_rials=50_000_000)
    client = _english(client_for(coordinator))
    response = client.post(
        _confirm_url(pledge),
        {
            "confirm-bank_reference": "REF-77",
            "confirm-received_on": "۱۴۰۵/۰۹/۰۱",
            "confirm-amount_received_rials": "۵۰٬۰۰۰٬۰۰۰",
        },
        follow=True,
    )
    assert "The money is recorded as received." in response.content.decode()
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount_rials, entry.pledge_id) == (EntryKind.RECEIVED, 50_000_000, pledge.pk)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.RECEIVED
    assert jalali.format_short(pledge.received_on, persian=False) == "1405/09/01"
    assert response.content.decode().count('data-testid="ledger-entry"') == 1


def test_confirming_twice_counts_the_money_once_and_says_so_politely(client_for, coordinator):
    pledge = factories.PledgeFactory(amount_rials=10_000_000)
    client = _english(client_for(coordinator))
    data = {
        "confirm-bank_reference": "REF-1",
        "confirm-received_on": jalali.format_short(timezone.localdate()),
        "confirm-amount_received_rials": "10000000",
    }
    client.post(_confirm_url(pledge), data)
    response = client.post(_confirm_url(pledge), {**data, "confirm-amount_received_rials": "20000000"}, follow=True)
    assert "already confirmed" in response.content.decode()
    assert LedgerEntry.objects.count() == 1
    pledge.refresh_from_db()
    assert pledge.received_amount_rials == 10_000_000


def test_a_confirmation_above_the_orders_need_shows_the_error_and_keeps_what_was_typed(client_for, coordinator):
    order = factories.OrderFactory(quantity=1000)  # budget 60,000,000
    pledge = factories.PledgeFactory(order=order, amount_rials=10_000_000)
    client = _english(client_for(coordinator))
    response = client.post(
        _confirm_url(pledge),
        {
            "confirm-bank_reference": "REF-TYPED",
            "confirm-received_on": "۱۴۰۵/۰۹/۰۱",
            "confirm-amount_received_rials": "۷۰٬۰۰۰٬۰۰۰",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "more than this order still needs" in page
    assert "REF-TYPED" in page
    assert not LedgerEntry.objects.exists()


def test_cancelling_a_pledge_requires_a_reason(client_for, coordinator):
    pledge = factories.PledgeFactory()
    client = _english(client_for(coordinator))
    response = client.post(_confirm_url(pledge, "cancel"), {"cancel-reason": ""})
    assert "Please give a reason." in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PLEDGED
    response = client.post(_confirm_url(pledge, "cancel"), {"cancel-reason": "پول نرسید"}, follow=True)
    assert "The pledge is cancelled." in response.content.decode()
    pledge.refresh_from_db()
    assert (pledge.status, pledge.status_reason) == (PledgeStatus.CANCELLED, "پول نرسید")


def test_refunding_more_than_the_unspent_amount_shows_the_error(client_for, coordinator):
    pledge = factories.PledgeFactory(amount_rials=10_000_000)
    _confirm(pledge, coordinator)
    client = _english(client_for(coordinator))
    response = client.post(
        _confirm_url(pledge, "refund"), {"refund-amount_rials": "۲۰٬۰۰۰٬۰۰۰", "refund-reason": "اشتباه"}
    )
    page = response.content.decode()
    assert "At most 10,000,000 rials of this pledge are unspent." in page
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUNDED).count() == 0
    response = client.post(
        _confirm_url(pledge, "refund"), {"refund-amount_rials": "۴٬۰۰۰٬۰۰۰", "refund-reason": "اشتباه"}, follow=True
    )
    assert "The refund is recorded." in response.content.decode()
    assert LedgerEntry.objects.get(kind=EntryKind.REFUNDED).amount_rials == 4_000_000


def test_an_unknown_action_is_404(client_for, coordinator):
    pledge = factories.PledgeFactory()
    assert client_for(coordinator).post(_confirm_url(pledge, "explode"), {}).status_code == 404


# --- Campaigns ------------------------------------------------------------------------------------------------


def test_a_coordinator_opens_a_campaign_with_jalali_dates_and_persian_digits(client_for, coordinator):
    client = _english(client_for(coordinator))
    response = client.post(
        reverse("donations:campaign-list"),
        {
            "name": "پویش فصل همدلی",
            "goal_rials": "۱٬۰۰۰٬۰۰۰٬۰۰۰",
            "starts_on": "۱۴۰۵/۰۹/۰۱",
            "ends_on": "۱۴۰۵/۱۰/۳۰",
            "description": "",
        },
        follow=True,
    )
    campaign = Campaign.objects.get()
    assert campaign.goal_rials == 1_000_000_000
    assert campaign.created_by == coordinator
    assert "پویش فصل همدلی" in response.content.decode()
    assert "is open" in response.content.decode()


def test_a_campaign_that_ends_before_it_starts_is_refused_next_to_the_field(client_for, coordinator):
    client = _english(client_for(coordinator))
    response = client.post(
        reverse("donations:campaign-list"),
        {"name": "پویش", "goal_rials": "1000", "starts_on": "1405/10/01", "ends_on": "1405/09/01"},
    )
    assert "The campaign cannot end before it starts." in response.content.decode()
    assert not Campaign.objects.exists()


def test_applying_campaign_money_to_an_order_moves_it_and_lowers_the_balance(client_for, coordinator):
    campaign = factories.CampaignFactory()
    _confirm(factories.PledgeFactory(order=None, campaign=campaign, amount_rials=30_000_000), coordinator)
    order = factories.OrderFactory(quantity=1000)
    client = _english(client_for(coordinator))
    url = reverse("donations:campaign-detail", kwargs={"pk": campaign.pk})
    response = client.post(url, {"order": order.pk, "amount_rials": "۴۰٬۰۰۰٬۰۰۰"})
    assert "The campaign holds only 30,000,000 rials." in response.content.decode()
    response = client.post(url, {"order": order.pk, "amount_rials": "۱۲٬۰۰۰٬۰۰۰"}, follow=True)
    assert LedgerEntry.objects.get(kind=EntryKind.APPLIED).to_order == order
    assert "18,000,000 rials" in response.content.decode()
    list_page = client.get(reverse("donations:campaign-list")).content.decode()
    assert "18,000,000" in list_page


def test_orders_of_other_provinces_are_not_offered_for_a_campaign(client_for, coordinator):
    campaign = factories.CampaignFactory()
    mine = factories.OrderFactory()
    theirs = _isfahan_order()
    page = client_for(coordinator).get(reverse("donations:campaign-detail", kwargs={"pk": campaign.pk}))
    text = page.content.decode()
    assert f'value="{mine.pk}"' in text
    assert f'value="{theirs.pk}"' not in text


# --- Donors ---------------------------------------------------------------------------------------------------


def test_the_donor_list_shows_what_each_donor_gave_net_of_refunds(client_for, coordinator):
    pledge = factories.PledgeFactory(donor__user__full_name="نیکوکار", amount_rials=10_000_000)
    _confirm(pledge, coordinator)
    factories.DonorFactory(user__full_name="خیریه", kind="charity")
    client = _english(client_for(coordinator))
    page = client.get(reverse("donations:donor-list"), {"kind": "individual"}).content.decode()
    assert "نیکوکار" in page and "10,000,000" in page
    assert "خیریه" not in page
    assert "خیریه" in client.get(reverse("donations:donor-list"), {"name": "خیر"}).content.decode()


def test_the_donor_export_escapes_formula_names(client_for, coordinator):
    factories.DonorFactory(user__full_name="=cmd")
    response = client_for(coordinator).get(reverse("donations:donor-list"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=cmd"
