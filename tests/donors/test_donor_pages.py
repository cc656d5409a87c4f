import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role, User
from core.persian import group_thousands, to_persian_digits
from donors.filters.donor import board_orders
from donors.models import Donor, DonorKind, Pledge
from donors.services.pledges import order_open_gap_rials, pledge_confirm
from orders.models import OrderPriority, OrderStatus

from .. import factories

PASSWORD = "sabz-kuh-1405-mahtab"


def fa(amount: int) -> str:
    return group_thousands(amount, persian=True)


def _signup(client, mobile="۰۹۱۲۵۵۵۱۲۳۴", **extra):
    data = {
        "mobile": mobile,
        "full_name": "مریم احمدی",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "kind": DonorKind.CHARITY,
        "registration_number": "۱۲۳۴۵۶",
        **extra,
    }
    return client.post(reverse("giving:signup"), data)


@pytest.fixture
def donor(db):
    return factories.DonorFactory(user__full_name="مریم احمدی")


# --- Sign-up ---------------------------------------------------------------------------------------------------


def test_a_donor_signs_up_with_a_persian_digit_mobile_and_lands_on_the_funding_board(client, db):
    response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("giving:board")
    user = User.objects.get(mobile="09125551234")
    assert user.role == Role.DONOR
    assert user.check_password(PASSWORD)
    donor = Donor.objects.get(user=user)
    assert (donor.kind, donor.registration_number) == (DonorKind.CHARITY, "123456")
    page = client.get(response.url)
    assert page.wsgi_request.user == user


def test_signing_up_with_a_registered_mobile_says_so_and_offers_to_log_in(client, donor):
    response = _signup(client, mobile=donor.user.mobile, full_name="کسی دیگر")
    assert response.status_code == 200
    client.cookies["hamdeli_language"] = "en"
    response = _signup(client, mobile=donor.user.mobile, full_name="کسی دیگر")
    assert "This mobile number is already registered. Log in with it instead." in response.content.decode()
    assert 'data-testid="login-instead"' in response.content.decode()
    assert User.objects.filter(mobile=donor.user.mobile).count() == 1
    assert not response.wsgi_request.user.is_authenticated


def test_a_failed_sign_up_keeps_what_was_typed(client, db):
    response = _signup(client, password2="something-else-1405")
    assert response.status_code == 200
    assert "مریم احمدی" in response.content.decode()
    assert not User.objects.filter(mobile="09125551234").exists()


# --- Funding board ---------------------------------------------------------------------------------------------


def test_anyone_can_browse_the_board_and_see_an_open_orders_gap_in_persian_digits(client, donor):
    order = factories.OrderFactory(quantity=1000)
    factories.PledgeFactory(order=order, amount_rials=order.unit_cost_rials * 100)
    gap = order.budget_rials - order.unit_cost_rials * 100
    response = client.get(reverse("giving:board"))
    assert response.status_code == 200
    page = response.content.decode()
    assert fa(gap) in page
    assert fa(900) in page  # the units the gap pays for
    assert reverse("giving:pledge-order", args=[order.pk]) in page


def test_the_board_shows_each_campaigns_money_and_costs_the_same_queries_for_one_campaign_as_for_four(
    client, coordinator
):
    campaigns = [factories.CampaignFactory(name=f"پویش {n}") for n in range(4)]
    for number, campaign in enumerate(campaigns, start=1):
        pledge = factories.PledgeFactory(order=None, campaign=campaign, amount_rials=number * 1_000_000)
        pledge_confirm(
            pledge=pledge,
            actor=coordinator,
            amount_received_rials=pledge.amount_rials,
            bank_reference=f"REF-C{number}",
            received_on=dt.date(2026, 11, 28),
        )

    def queries_with(running: int) -> tuple[int, str]:
        for campaign in campaigns[running:]:
            campaign.starts_on = campaign.ends_on = dt.date(2020, 1, 1)  # over: not on the board
            campaign.save(update_fields=["starts_on", "ends_on"])
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("giving:board")).content.decode()
        return len(captured), page

    four, page = queries_with(4)
    assert all(fa(number * 1_000_000) in page for number in range(1, 5))
    one, _ = queries_with(1)
    assert one == four


def test_the_board_gap_is_the_gap_pledging_enforces(coordinator, donor):
    order = factories.OrderFactory(quantity=1000)
    received = factories.PledgeFactory(order=order, amount_rials=order.unit_cost_rials * 200)
    pledge_confirm(
        pledge=received,
        actor=coordinator,
        amount_received_rials=received.amount_rials,
        bank_reference="REF-9",
        received_on=dt.date(2026, 11, 28),
    )
    factories.PledgeFactory(order=order, amount_rials=order.unit_cost_rials * 50)
    assert board_orders().get(pk=order.pk).gap == order_open_gap_rials(order) == order.unit_cost_rials * 750


def test_fully_pledged_requested_and_cancelled_orders_are_not_on_the_board(client, db):
    full = factories.OrderFactory(quantity=10)
    factories.PledgeFactory(order=full, amount_rials=full.budget_rials)
    requested = factories.OrderFactory(status=OrderStatus.REQUESTED)
    cancelled = factories.OrderFactory(status=OrderStatus.CANCELLED)
    listed = factories.OrderFactory()
    shown = list(client.get(reverse("giving:board")).context["orders"])
    assert shown == [listed]
    assert {full, requested, cancelled}.isdisjoint(shown)


def test_board_filters_by_province_and_priority_and_sorts_urgent_first(client, db):
    isfahan_center = factories.HealthCenterFactory(
        province=factories.province("isfahan"), city=factories.capital("isfahan")
    )
    tehran_normal = factories.OrderFactory(priority=OrderPriority.NORMAL)
    tehran_urgent = factories.OrderFactory(priority=OrderPriority.URGENT)
    isfahan = factories.OrderFactory(health_center=isfahan_center)
    assert client.get(reverse("giving:board")).context["orders"][0] == tehran_urgent
    by_province = client.get(reverse("giving:board"), {"province": factories.province("isfahan").pk})
    assert list(by_province.context["orders"]) == [isfahan]
    by_priority = client.get(reverse("giving:board"), {"priority": OrderPriority.NORMAL})
    assert set(by_priority.context["orders"]) == {tehran_normal, isfahan}


def test_board_filters_by_gap_typed_with_persian_digits(client, db):
    small = factories.OrderFactory(quantity=10)
    big = factories.OrderFactory(quantity=1000)
    response = client.get(reverse("giving:board"), {"gap_min": fa(small.budget_rials + 1)})
    assert list(response.context["orders"]) == [big]


def test_the_board_lists_running_campaigns_with_what_they_received(client, coordinator):
    campaign = factories.CampaignFactory(name="پویش فصل همدلی", goal_rials=2_000_000_000)
    pledge = factories.PledgeFactory(order=None, campaign=campaign, amount_rials=30_000_000)
    pledge_confirm(
        pledge=pledge,
        actor=coordinator,
        amount_received_rials=30_000_000,
        bank_reference="REF-1",
        received_on=dt.date(2026, 11, 28),
    )
    ended = factories.CampaignFactory(name="پویش تمام‌شده", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 2, 1))
    page = client.get(reverse("giving:board")).content.decode()
    assert "پویش فصل همدلی" in page
    assert fa(2_000_000_000) in page and fa(30_000_000) in page
    assert ended.name not in page


def test_an_anonymous_visitor_who_wants_to_pledge_is_sent_to_log_in(client, db):
    order = factories.OrderFactory()
    url = reverse("giving:pledge-order", args=[order.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.post(url, {"amount_rials": "1000"}).status_code == 302
    assert not Pledge.objects.exists()


# --- Pledging --------------------------------------------------------------------------------------------------


def test_a_pledge_typed_with_persian_digits_and_separators_is_recorded(client_for, donor):
    order = factories.OrderFactory(quantity=1000)
    client = client_for(donor.user)
    response = client.post(
        reverse("giving:pledge-order", args=[order.pk]),
        {"amount_rials": "۵۰٬۰۰۰٬۰۰۰", "is_anonymous": "on", "message": "برای بچه‌ها"},
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert response.url == reverse("giving:pledge-pay", args=[pledge.pk])  # she is told how to pay
    assert (pledge.donor, pledge.order, pledge.amount_rials, pledge.is_anonymous, pledge.message) == (
        donor,
        order,
        50_000_000,
        True,
        "برای بچه‌ها",
    )
    assert fa(50_000_000) in client.get(response.url).content.decode()


def test_a_pledge_form_sent_twice_records_one_pledge_even_when_it_filled_the_whole_gap(client_for, donor):
    order = factories.OrderFactory(quantity=1000)
    client = client_for(donor.user)
    page = client.get(reverse("giving:pledge-order", args=[order.pk])).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page).group(1)
    form = {"amount_rials": str(order_open_gap_rials(order)), "submission_key": key}

    first = client.post(reverse("giving:pledge-order", args=[order.pk]), form)
    second = client.post(reverse("giving:pledge-order", args=[order.pk]), form, follow=True)  # a double tap

    pledge = Pledge.objects.get()
    assert first.url == second.redirect_chain[-1][0] == reverse("giving:pledge-pay", args=[pledge.pk])
    assert "این تعهد پیش‌تر ثبت شده بود" in second.content.decode()
    # A new visit to the form is a new pledge: the key is fresh each time the form is shown.
    assert key not in client.get(reverse("giving:pledge-order", args=[order.pk])).content.decode()


def test_a_campaign_pledge_sent_twice_with_one_key_is_one_pledge(donor, coordinator):
    import uuid

    from donors.services.pledges import pledge_create

    campaign = factories.CampaignFactory(created_by=coordinator)
    key = uuid.uuid4()
    first = pledge_create(donor=donor, campaign=campaign, amount_rials=1_000_000, submission_key=key)
    again = pledge_create(donor=donor, campaign=campaign, amount_rials=1_000_000, submission_key=key)
    assert again == first
    assert Pledge.objects.count() == 1


def test_a_pledge_above_the_gap_is_refused_with_the_gap_and_a_campaign_offer_keeping_the_amount(client_for, donor):
    order = factories.OrderFactory(quantity=10)
    campaign = factories.CampaignFactory(name="پویش فصل همدلی")
    client = client_for(donor.user)
    too_much = order.budget_rials + 5_000_000
    response = client.post(reverse("giving:pledge-order", args=[order.pk]), {"amount_rials": fa(too_much)})
    assert response.status_code == 200
    page = response.content.decode()
    assert fa(order.budget_rials) in page  # the exact gap, as the service states it
    assert 'data-testid="campaign-offer"' in page
    assert reverse("giving:pledge-campaign", args=[campaign.pk]) in page
    assert f'name="amount" value="{too_much}"' in page
    assert not Pledge.objects.exists()
    offer = client.get(reverse("giving:pledge-campaign", args=[campaign.pk]), {"amount": too_much})
    assert f'value="{to_persian_digits(too_much)}"' in offer.content.decode()  # kept, in the page's digits
    done = client.post(reverse("giving:pledge-campaign", args=[campaign.pk]), {"amount_rials": str(too_much)})
    assert done.status_code == 302
    assert Pledge.objects.get().campaign == campaign


def test_the_refusal_states_the_gap_in_english_too(client_for, donor):
    order = factories.OrderFactory(quantity=10)
    client = client_for(donor.user)
    client.cookies["hamdeli_language"] = "en"
    response = client.post(
        reverse("giving:pledge-order", args=[order.pk]), {"amount_rials": str(order.budget_rials + 1)}
    )
    expected = f"only {order.budget_rials:,} rials are missing"
    assert expected in response.content.decode()


def test_a_donor_account_without_a_profile_can_still_pledge(client_for, donor_user):
    order = factories.OrderFactory()
    response = client_for(donor_user).post(reverse("giving:pledge-order", args=[order.pk]), {"amount_rials": "10000"})
    assert response.status_code == 302
    assert Pledge.objects.get().donor.user == donor_user


def test_pledging_to_an_order_not_open_for_funding_is_404(client_for, donor):
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION)
    assert client_for(donor.user).get(reverse("giving:pledge-order", args=[order.pk])).status_code == 404


# --- My giving -------------------------------------------------------------------------------------------------


def test_my_giving_lists_only_her_pledges_and_traces_received_money_to_units(client_for, donor, coordinator):
    order = factories.OrderFactory(quantity=1000)
    mine = factories.PledgeFactory(donor=donor, order=order, amount_rials=order.unit_cost_rials * 40)
    pledge_confirm(
        pledge=mine,
        actor=coordinator,
        amount_received_rials=order.unit_cost_rials * 30,
        bank_reference="REF-7",
        received_on=dt.date(2026, 11, 28),
    )
    theirs = factories.PledgeFactory(order=factories.OrderFactory(), amount_rials=77_000_000)
    page = client_for(donor.user).get(reverse("giving:mine")).content.decode()
    assert page.count('data-testid="my-pledge"') == 1
    assert fa(order.unit_cost_rials * 40) in page
    assert fa(order.unit_cost_rials * 30) in page
    assert fa(30) in page  # units bought
    assert fa(theirs.amount_rials) not in page
    assert theirs.order.number not in page


@pytest.mark.parametrize("url_name", ["giving:mine", "giving:pledge-order"])
@pytest.mark.parametrize("persona", ["owner", "coordinator"])
def test_owners_and_coordinators_get_403_on_donor_pages(db, client_for, request, persona, url_name):
    order = factories.OrderFactory()
    args = [order.pk] if url_name == "giving:pledge-order" else []
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse(url_name, args=args)).status_code == 403


def test_the_home_page_links_a_donor_to_the_board_and_my_giving(client_for, donor):
    page = client_for(donor.user).get(reverse("home")).content.decode()
    assert reverse("giving:board") in page and reverse("giving:mine") in page
