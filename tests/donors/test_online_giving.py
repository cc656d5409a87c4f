"""Online giving through the mock bank (Zarinpal v4): what the donor sees and what the ledger holds."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import User
from core.notifications import backends
from donors.models import LedgerEntry, OnlinePayment, OnlinePaymentStatus, Pledge, PledgeStatus
from donors.online import mock_bank, services
from donors.online.tasks import online_payments_recheck
from orders.models import OrderStatus

from .. import factories
from .online_bank import route_to_mock_bank

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bank(monkeypatch):
    mock_bank.reset()
    route_to_mock_bank(monkeypatch)
    yield
    mock_bank.reset()


@pytest.fixture
def order(db):
    return factories.OrderFactory(status=OrderStatus.OPEN)


def _give(client, order, amount="۱۲٬۰۰۰٬۰۰۰", **extra):
    response = client.post(reverse("online:give-order", args=[order.pk]), {"amount_rials": amount, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _authority(bank_page: str) -> str:
    return urlparse(bank_page).path.rsplit("/", 1)[-1]


def _pay_at_bank(client, bank_page: str, choice: str = "pay") -> str:
    """The payer presses a button on the bank's page; returns the callback address the bank sends her to."""
    assert client.get(bank_page).status_code == 200
    response = client.post(urlparse(bank_page).path, {"choice": choice})
    assert response.status_code == 302
    return response["Location"]


def _come_back(client, callback: str):
    return client.get(callback, follow=True)


def _result_status(response) -> str:
    return response.content.decode().split('data-status="', 1)[1].split('"', 1)[0]


def test_a_donor_pays_online_and_sees_her_gift_received_with_a_receipt_and_the_order_funded(client_for, donor_user):
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    client = client_for(donor_user)
    amount = order.budget_rials
    bank_page = _give(client, order, amount=str(amount))
    assert urlparse(bank_page).path.startswith("/mock-bank/pg/StartPay/")
    page = _come_back(client, _pay_at_bank(client, bank_page))
    assert _result_status(page) == "paid"
    assert "Thank you" in page.content.decode() or "سپاس" in page.content.decode()
    pledge = Pledge.objects.get(donor__user=donor_user)
    assert pledge.status == PledgeStatus.RECEIVED and pledge.received_amount_rials == amount
    assert LedgerEntry.objects.filter(pledge=pledge).count() == 1
    assert hasattr(pledge, "receipt")
    order.refresh_from_db()
    assert order.status == OrderStatus.FUNDED
    mine = client.get(reverse("giving:mine")).content.decode()
    assert pledge.reference in mine or pledge.order.number in mine


def test_an_amount_typed_in_persian_digits_with_separators_is_the_amount_sent_to_the_bank(
    client_for, donor_user, order
):
    bank_page = _give(client_for(donor_user), order, amount="۱۲٬۰۰۰٬۰۰۰")
    assert mock_bank.payment(_authority(bank_page)).amount == 1_200_000  # tomans
    assert OnlinePayment.objects.get().amount_rials == 12_000_000


def test_the_donor_page_names_the_enabled_gateway_and_refuses_an_amount_below_the_smallest(
    client_for, donor_user, order
):
    client = client_for(donor_user)
    page = client.get(reverse("online:give-order", args=[order.pk])).content.decode()
    assert 'data-testid="online-gateways"' in page
    response = client.post(reverse("online:give-order", args=[order.pk]), {"amount_rials": "۵۰۰"})
    assert response.status_code == 200
    assert not OnlinePayment.objects.exists()


def test_a_guest_gives_with_only_a_mobile_number_gets_an_sms_and_an_account_is_made_for_that_number(
    client, order, django_capture_on_commit_callbacks
):
    backends.outbox.clear()
    bank_page = _give(client, order, mobile="۰۹۱۲۵۵۵۰۰۰۱")
    with django_capture_on_commit_callbacks(execute=True):
        page = _come_back(client, _pay_at_bank(client, bank_page))
    assert _result_status(page) == "paid"
    user = User.objects.get(mobile="09125550001")
    assert not user.has_usable_password()
    assert Pledge.objects.get(donor__user=user).status == PledgeStatus.RECEIVED
    assert [message.to for message in backends.outbox] == ["09125550001"]


def test_a_guest_whose_gift_is_refused_leaves_no_account_behind(client, order):
    too_much = f"{order.budget_rials * 2:,}"
    response = client.post(
        reverse("online:give-order", args=[order.pk]), {"amount_rials": too_much, "mobile": "09125550002"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not User.objects.filter(mobile="09125550002").exists()
    assert not OnlinePayment.objects.exists()


def test_a_guest_giving_with_a_registered_number_sees_nothing_of_that_account(client, order, donor_user):
    bank_page = _give(client, order, mobile=donor_user.mobile)
    page = _come_back(client, _pay_at_bank(client, bank_page)).content.decode()
    assert _result_status_text(page) == "paid"
    assert donor_user.full_name not in page
    assert "giving/mine" not in page  # no link into the account either
    assert Pledge.objects.get().donor.user == donor_user  # the gift is hers: it shows in her "My giving"


def _result_status_text(page: str) -> str:
    return page.split('data-status="', 1)[1].split('"', 1)[0]


def test_cancelling_at_the_bank_records_nothing_and_frees_the_orders_gap(client_for, donor_user, order):
    client = client_for(donor_user)
    page = _come_back(client, _pay_at_bank(client, _give(client, order), choice="cancel"))
    assert _result_status(page) == "failed"
    assert Pledge.objects.get().status == PledgeStatus.CANCELLED
    assert not LedgerEntry.objects.exists()


def test_a_replayed_callback_credits_the_gift_once(client_for, donor_user, order):
    client = client_for(donor_user)
    callback = _pay_at_bank(client, _give(client, order))
    _come_back(client, callback)
    again = _come_back(client, callback)
    assert _result_status(again) == "paid"
    assert LedgerEntry.objects.count() == 1
    assert len(mock_bank.payment(OnlinePayment.objects.get().authority).verify_calls) == 1  # not even asked again


def test_a_double_verify_where_the_bank_says_already_verified_credits_once(client_for, donor_user, order):
    client = client_for(donor_user)
    callback = _pay_at_bank(client, _give(client, order))
    payment = OnlinePayment.objects.get()
    _come_back(client, callback)
    # The second callback arrived before the first one's write: it asks the bank too and hears 101.
    answer = services.gateway.verify(authority=payment.authority)
    assert answer.code == 101 and answer.verified
    assert services._credit(payment.pk, answer).status == OnlinePaymentStatus.PAID
    assert LedgerEntry.objects.count() == 1
    assert Pledge.objects.get().received_amount_rials == payment.amount_rials


def test_a_payer_who_paid_a_different_amount_is_not_credited(client_for, donor_user, order):
    client = client_for(donor_user)
    bank_page = _give(client, order)
    mock_bank.misbehave(_authority(bank_page), "wrong_amount")
    page = _come_back(client, _pay_at_bank(client, bank_page))
    assert _result_status(page) == "failed"
    assert not LedgerEntry.objects.exists()
    assert Pledge.objects.get().status == PledgeStatus.CANCELLED


def test_a_gateway_row_whose_amount_was_changed_is_not_credited(client_for, donor_user, order):
    from azbankgateways.models import Bank

    client = client_for(donor_user)
    bank_page = _give(client, order)
    Bank.objects.update(amount="10000")  # someone lowered the library's row: it would verify 1,000 tomans
    page = _come_back(client, _pay_at_bank(client, bank_page))
    assert _result_status(page) == "failed"
    assert not LedgerEntry.objects.exists()


def test_a_callback_for_an_unknown_payment_shows_we_do_not_know_it(client):
    response = client.get(
        reverse("online:callback"), {"Authority": "A0000000000000000000000000000000000", "Status": "OK"}
    )
    assert response.status_code == 404
    assert 'data-status="unknown"' in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_callback_for_an_expired_payment_credits_nothing(client_for, donor_user, order):
    client = client_for(donor_user)
    bank_page = _give(client, order)
    payment = OnlinePayment.objects.get()
    mock_bank.misbehave(payment.authority, "timeout")
    OnlinePayment.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    online_payments_recheck()
    assert OnlinePayment.objects.get().status == OnlinePaymentStatus.EXPIRED
    mock_bank.behave(payment.authority)
    page = _come_back(client, _pay_at_bank(client, bank_page))
    assert _result_status(page) == "expired"
    assert not LedgerEntry.objects.exists()


def test_a_bank_that_times_out_leaves_the_payment_waiting_and_the_periodic_check_settles_it(
    client_for, donor_user, order
):
    client = client_for(donor_user)
    bank_page = _give(client, order)
    authority = _authority(bank_page)
    mock_bank.misbehave(authority, "timeout")
    page = _come_back(client, _pay_at_bank(client, bank_page))
    assert _result_status(page) == "pending"
    assert not LedgerEntry.objects.exists()
    mock_bank.behave(authority)
    OnlinePayment.objects.update(created_at=timezone.now() - dt.timedelta(minutes=6))
    assert online_payments_recheck() == {"paid": 1}
    assert LedgerEntry.objects.count() == 1
    assert _result_status(client.get(reverse("online:result", args=[OnlinePayment.objects.get().result_key]))) == "paid"


def test_a_payment_never_paid_is_cancelled_by_the_periodic_check_once_expired(client_for, donor_user, order):
    client = client_for(donor_user)
    _give(client, order)  # she left the bank's page open and went away
    OnlinePayment.objects.update(created_at=timezone.now() - dt.timedelta(minutes=10))
    assert online_payments_recheck() == {"failed": 1}  # the bank says nothing was paid (-51)
    assert Pledge.objects.get().status == PledgeStatus.CANCELLED


def test_the_recheck_runs_every_ten_minutes_from_the_beat_schedule(db):
    from django_celery_beat.models import PeriodicTask

    call_command("notification_schedules")
    task = PeriodicTask.objects.get(task="donors.online.tasks.online_payments_recheck")
    assert task.crontab.minute == "*/10" and task.enabled


def test_the_mock_bank_page_has_no_inline_script_or_style(client_for, donor_user, order):
    client = client_for(donor_user)
    page = client.get(_give(client, order))
    html = page.content.decode()
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert "Content-Security-Policy" in page.headers


def test_the_funding_board_offers_to_pay_online_for_each_order_and_campaign(client, order):
    factories.CampaignFactory(created_by=factories.CoordinatorFactory())
    page = client.get(reverse("giving:board")).content.decode()
    assert reverse("online:give-order", args=[order.pk]) in page
    assert page.count('data-testid="give-online"') == 2


def test_a_guest_giving_over_and_over_from_one_address_is_stopped_like_sign_ups(client, order, settings):
    settings.SIGNUP_MAX_PER_ADDRESS = 2
    for number in ("09125550011", "09125550012"):
        _give(client, order, amount="۲۰٬۰۰۰", mobile=number)
    response = client.post(
        reverse("online:give-order", args=[order.pk]), {"amount_rials": "۲۰٬۰۰۰", "mobile": "09125550013"}
    )
    assert response.status_code == 429
    assert OnlinePayment.objects.count() == 2


def test_a_bank_that_cannot_be_reached_at_the_start_says_so_and_holds_nothing_of_the_orders_gap(
    client_for, donor_user, order, monkeypatch
):
    import requests

    def down(*args, **kwargs):
        raise requests.ConnectionError("no route to the bank")

    monkeypatch.setattr(requests, "post", down)
    response = client_for(donor_user).post(reverse("online:give-order", args=[order.pk]), {"amount_rials": "۲۰٬۰۰۰"})
    assert response.status_code == 200
    [message] = response.context["form"].non_field_errors()
    assert message in response.content.decode()  # "The bank could not be reached. Nothing was paid; ..."
    assert OnlinePayment.objects.get().status == OnlinePaymentStatus.FAILED
    assert Pledge.objects.get().status == PledgeStatus.CANCELLED


def test_an_amount_that_is_not_whole_tomans_is_refused_before_the_bank(client_for, donor_user, order):
    response = client_for(donor_user).post(reverse("online:give-order", args=[order.pk]), {"amount_rials": "۲۰٬۰۰۵"})
    assert response.status_code == 200 and response.context["form"].has_error("amount_rials")
    assert not OnlinePayment.objects.exists()


def test_a_guest_gives_to_a_campaign_and_its_received_money_grows(client):
    from donors.ledger import selectors as ledger

    campaign = factories.CampaignFactory(created_by=factories.CoordinatorFactory())
    response = client.post(
        reverse("online:give-campaign", args=[campaign.pk]), {"amount_rials": "۵۰٬۰۰۰", "mobile": "09125550021"}
    )
    page = _come_back(client, _pay_at_bank(client, response["Location"]))
    assert _result_status(page) == "paid"
    assert ledger.campaign_received(campaign.pk) == 50_000
