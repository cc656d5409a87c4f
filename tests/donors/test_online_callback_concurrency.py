"""Two bank callbacks for one payment at the same moment: the gift is credited once (PostgreSQL).

Both callbacks ask the bank (the first hears 100, the second 101 "already verified"), then settle under the
payment row's lock. To show that this lock alone is enough, the pledge's own lock (``pledge_confirm``'s) is off
in both tests; the control case turns the payment's lock off too, and the money enters the ledger twice.
"""

import pytest
from django.db import connection
from django.test import RequestFactory

from donors.models import LedgerEntry, OnlinePayment, Pledge
from donors.online import mock_bank, services
from donors.services import pledges
from orders.models import OrderStatus

from .. import factories, races
from .online_bank import route_to_mock_bank

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def _paid_payment(monkeypatch) -> OnlinePayment:
    mock_bank.reset()
    route_to_mock_bank(monkeypatch)
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    donor = factories.DonorFactory()
    payment, _page = services.payment_start(
        request=RequestFactory().post("/"), donor=donor, order=order, amount_rials=1_000_000
    )
    mock_bank.payment(payment.authority).paid_amount = 100_000  # the payer paid (tomans)
    return payment


def _race(monkeypatch, payment, *, locking: bool) -> list[BaseException]:
    def callback():
        services.payment_settle(authority=payment.authority, bank_says_ok=True)

    with races.Race() as race:
        read = race.park(monkeypatch, services, "_lock_payment", later_arrivals_release=True)
        race.start("first", callback)
        read.wait_until_reached()
        second = race.start("second", callback)
        if locking:
            race.wait_until_blocked(second)
            read.release()
    return list(race.errors.values())


def _pledge_lock_off(monkeypatch):
    monkeypatch.setattr(pledges, "_lock_pledge", lambda pledge: Pledge.objects.get(pk=pledge.pk))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_callbacks_at_once_credit_the_gift_once(monkeypatch):
    _pledge_lock_off(monkeypatch)
    payment = _paid_payment(monkeypatch)
    assert _race(monkeypatch, payment, locking=True) == []
    assert LedgerEntry.objects.filter(pledge=payment.pledge).count() == 1
    assert OnlinePayment.objects.get().status == "paid"
    assert Pledge.objects.get().received_amount_rials == 1_000_000
    assert len(mock_bank.payment(payment.authority).verify_calls) == 2  # both asked; the second heard 101


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_payment_row_lock_two_callbacks_credit_the_gift_twice(monkeypatch):
    # The control case: the payment is re-read without its row lock (and the pledge without its own).
    _pledge_lock_off(monkeypatch)
    monkeypatch.setattr(services, "_lock_payment", lambda pk: OnlinePayment.objects.select_related("pledge").get(pk=pk))
    payment = _paid_payment(monkeypatch)
    with races.Race() as race:
        # Without the lock nothing keeps the second callback from reading "pending" alongside the first.
        race.meet_after(monkeypatch, services, "_lock_payment")
        race.meet_after(monkeypatch, pledges, "_lock_pledge")
        race.all_at_once(
            first=lambda: services.payment_settle(authority=payment.authority, bank_says_ok=True),
            second=lambda: services.payment_settle(authority=payment.authority, bank_says_ok=True),
        )
    assert list(race.errors.values()) == []
    assert LedgerEntry.objects.filter(pledge=payment.pledge).count() == 2  # the race the lock prevents
