"""Two coordinators confirm the same pledge at the same moment: the money enters the ledger once (PostgreSQL).

The control case turns the row lock off and shows the race is real: both
confirmations read "pledged" and both write a received entry.
"""

import datetime as dt

import pytest
from django.db import connection

from donors.models import LedgerEntry, Pledge
from donors.services import pledges as services
from orders.models import OrderStatus

from .. import factories, races

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def _race(monkeypatch, coordinator, pledge, *, locking: bool) -> list[BaseException]:
    def confirm():
        services.pledge_confirm(
            pledge=pledge,
            actor=coordinator,
            amount_received_rials=pledge.amount_rials,
            bank_reference="REF-1",
            received_on=dt.date(2026, 11, 28),
        )

    with races.Race() as race:
        # Without the lock the second confirmation reads the pledge too, and lets the first go on.
        read = race.park(monkeypatch, services, "_lock_pledge", later_arrivals_release=True)
        race.start("first", confirm)
        read.wait_until_reached()
        second = race.start("second", confirm)
        if locking:
            race.wait_until_blocked(second)
            read.release()
    return list(race.errors.values())


def _pledge():
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    return factories.PledgeFactory(order=order, amount_rials=10_000_000)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_at_once_put_the_money_in_the_ledger_once(monkeypatch, coordinator):
    pledge = _pledge()
    assert _race(monkeypatch, coordinator, pledge, locking=True) == []
    assert LedgerEntry.objects.filter(pledge=pledge).count() == 1
    assert Pledge.objects.get(pk=pledge.pk).received_amount_rials == 10_000_000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_both_confirmations_write_the_money_twice(monkeypatch, coordinator):
    # The control case: the pledge is re-read without its row lock.
    monkeypatch.setattr(services, "_lock_pledge", lambda pledge: Pledge.objects.get(pk=pledge.pk))
    pledge = _pledge()
    assert _race(monkeypatch, coordinator, pledge, locking=False) == []
    assert LedgerEntry.objects.filter(pledge=pledge).count() == 2  # the race the lock prevents
