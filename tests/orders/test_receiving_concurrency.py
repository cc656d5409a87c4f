"""The same delivery confirmed twice at the same moment (a double tap, two phones): confirmed once (PostgreSQL).

The first confirmation is parked after it has read the delivery under its row
lock; the second must wait for that lock, then finds the delivery answered and
is refused politely. The control case turns the lock off and shows the race is
real: both read "dispatched" and both write their answer and their audit entry.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import AuditLog
from fulfilment.models import Delivery, DeliveryStatus
from fulfilment.services import receiving
from orders.models import OrderStatus

from .. import factories, races

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def _delivery() -> Delivery:
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100)
    delivery = factories.DeliveryFactory(health_center=order.health_center, status=DeliveryStatus.DISPATCHED)
    quota = factories.QuotaFactory(
        order=order, quantity=100, produced_units=60, collected_units=60, accepted_units=60, delivered_units=60
    )
    factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=60)
    return delivery


def _race(monkeypatch, delivery: Delivery, *, locking: bool) -> dict[str, BaseException]:
    lines = {line.pk: receiving.ReceivedLine(line.units) for line in delivery.lines.all()}

    def confirm(receiver_name):
        return lambda: receiving.delivery_confirm(delivery=delivery, lines=lines, receiver_name=receiver_name)

    with races.Race() as race:
        # Without the lock the second confirmation reads the delivery too, and lets the first go on.
        read = race.park(monkeypatch, receiving, "_delivery_for_update", later_arrivals_release=True)
        race.start("مریم احمدی", confirm("مریم احمدی"))
        read.wait_until_reached()
        second = race.start("سارا رضایی", confirm("سارا رضایی"))
        if locking:
            race.wait_until_blocked(second)
            read.release()
    return race.errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_delivery_confirmed_twice_at_once_is_confirmed_once_and_the_second_is_refused_politely(monkeypatch):
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
def test_without_the_row_lock_both_confirmations_are_written_and_audited(monkeypatch):
    # The control case: the delivery is re-read without its row lock.
    monkeypatch.setattr(receiving, "_delivery_for_update", lambda delivery: Delivery.objects.get(pk=delivery.pk))
    delivery = _delivery()

    assert _race(monkeypatch, delivery, locking=False) == {}

    # The race the lock prevents: two answers recorded for one delivery, one silently overwriting the other.
    assert AuditLog.objects.filter(action="delivery.confirmed", object_id=str(delivery.pk)).count() == 2
