"""Two coordinators confirm the same pledge at the same moment: the money enters the ledger once (PostgreSQL).

The control case turns the row lock off and shows the race is real: both
confirmations read "pledged" and both write a received entry.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from donors import services
from donors.models import LedgerEntry, Pledge
from orders.models import OrderStatus

from .. import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def _someone_waits_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def _race(monkeypatch, coordinator, pledge, *, locking: bool) -> list[BaseException]:
    first_read, release_first = threading.Event(), threading.Event()
    original = services._lock_pledge
    readers = []
    errors: list[BaseException] = []

    def parked_lock(p):
        loaded = original(p)
        readers.append(threading.current_thread().name)
        if len(readers) == 1:
            first_read.set()
            release_first.wait(timeout=10)
        else:
            release_first.set()  # without the lock the second confirmation gets here too
        return loaded

    monkeypatch.setattr(services, "_lock_pledge", parked_lock)

    def confirm():
        try:
            services.pledge_confirm(
                pledge=pledge,
                actor=coordinator,
                amount_received_rials=pledge.amount_rials,
                bank_reference="REF-1",
                received_on=dt.date(2026, 11, 28),
            )
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    first, second = threading.Thread(target=confirm), threading.Thread(target=confirm)
    first.start()
    assert first_read.wait(timeout=10)
    second.start()
    if locking:
        ready = threading.Event()
        while not _someone_waits_for_a_lock() and second.is_alive():
            ready.wait(0.01)
        release_first.set()
    first.join(timeout=20)
    second.join(timeout=20)
    return errors


def _pledge():
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    return factories.PledgeFactory(order=order, amount_rials=10_000_000)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_at_once_put_the_money_in_the_ledger_once(monkeypatch, coordinator, settings):
    settings.HAMDELI_LEDGER_LOCKING = True
    pledge = _pledge()
    assert _race(monkeypatch, coordinator, pledge, locking=True) == []
    assert LedgerEntry.objects.filter(pledge=pledge).count() == 1
    assert Pledge.objects.get(pk=pledge.pk).received_amount_rials == 10_000_000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_both_confirmations_write_the_money_twice(monkeypatch, coordinator, settings):
    settings.HAMDELI_LEDGER_LOCKING = False
    pledge = _pledge()
    assert _race(monkeypatch, coordinator, pledge, locking=False) == []
    assert LedgerEntry.objects.filter(pledge=pledge).count() == 2  # the race the lock prevents
