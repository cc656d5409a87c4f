"""The same delivery confirmed twice at the same moment (a double tap, two phones): confirmed once (PostgreSQL).

The first confirmation is parked after it has read the delivery under its row
lock; the second must wait for that lock, then finds the delivery answered and
is refused politely. The control case turns the lock off and shows the race is
real: both read "dispatched" and both write their answer and their audit entry.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from core.models import AuditLog
from orders import receiving
from orders.models import Delivery, DeliveryStatus, OrderStatus

from .. import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def _someone_waits_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def _delivery() -> Delivery:
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100)
    delivery = factories.DeliveryFactory(health_center=order.health_center, status=DeliveryStatus.DISPATCHED)
    quota = factories.QuotaFactory(
        order=order, quantity=100, produced_units=60, collected_units=60, accepted_units=60, delivered_units=60
    )
    factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=60)
    return delivery


def _race(monkeypatch, delivery: Delivery, *, locking: bool) -> dict[str, BaseException]:
    first_read, release_first = threading.Event(), threading.Event()
    original = receiving._delivery_for_update
    readers: list[str] = []
    errors: dict[str, BaseException] = {}

    def parked_read(d):
        loaded = original(d)
        readers.append(threading.current_thread().name)
        if len(readers) == 1:
            first_read.set()
            release_first.wait(timeout=10)
        else:
            release_first.set()  # without the lock the second confirmation gets here too
        return loaded

    monkeypatch.setattr(receiving, "_delivery_for_update", parked_read)
    lines = {line.pk: receiving.ReceivedLine(line.units) for line in delivery.lines.all()}

    def confirm(receiver_name):
        try:
            receiving.delivery_confirm(delivery=delivery, lines=lines, receiver_name=receiver_name)
        except BaseException as exc:  # reported by the test
            errors[receiver_name] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=confirm, args=("مریم احمدی",), name="first")
    second = threading.Thread(target=confirm, args=("سارا رضایی",), name="second")
    first.start()
    assert first_read.wait(timeout=10)
    second.start()
    if locking:
        waiting = threading.Event()
        while not _someone_waits_for_a_lock() and second.is_alive():
            waiting.wait(0.01)
        release_first.set()
    first.join(timeout=20)
    second.join(timeout=20)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_delivery_confirmed_twice_at_once_is_confirmed_once_and_the_second_is_refused_politely(monkeypatch, settings):
    settings.HAMDELI_DELIVERY_LOCKING = True
    delivery = _delivery()

    errors = _race(monkeypatch, delivery, locking=True)

    assert list(errors) == ["سارا رضایی"]
    refusal = errors["سارا رضایی"]
    assert isinstance(refusal, ValidationError) and refusal.code == receiving.ALREADY_ANSWERED
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CONFIRMED
    assert delivery.receiver_name == "مریم احمدی"
    assert AuditLog.objects.filter(action="delivery.confirmed", object_id=str(delivery.pk)).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_both_confirmations_are_written_and_audited(monkeypatch, settings):
    settings.HAMDELI_DELIVERY_LOCKING = False
    delivery = _delivery()

    assert _race(monkeypatch, delivery, locking=False) == {}

    # The race the lock prevents: two answers recorded for one delivery, one silently overwriting the other.
    assert AuditLog.objects.filter(action="delivery.confirmed", object_id=str(delivery.pk)).count() == 2
