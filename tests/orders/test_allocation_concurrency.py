"""Two coordinators press "allocate" at the same moment: the units are offered once (PostgreSQL).

The control case turns the locks off and shows that the race is real: both
runs read the same free units and both offer them.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from orders.allocation_service import allocation_commit
from orders.models import OrderStatus, Quota
from workshops.models import WorkshopCapacity

from .. import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row and advisory locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def _world():
    order = factories.OrderFactory(
        quantity=300, status=OrderStatus.FUNDED, needed_by=timezone.localdate() + dt.timedelta(days=30)
    )
    factories.fund_order(order)
    for _ in range(2):
        workshop = factories.WorkshopFactory()
        WorkshopCapacity.objects.create(workshop=workshop, product=order.product, units_per_day=100)
    return order


def _waiting_for_advisory_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


def _race(coordinator, *, locking: bool) -> list[BaseException]:
    first_planned, release_first = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first_hook():
        first_planned.set()
        release_first.wait(timeout=10)

    def second_hook():
        release_first.set()  # without locks the second run gets here while the first still waits

    def commit(hook):
        try:
            allocation_commit(actor=coordinator, provinces=None, before_write=hook)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=commit, args=(first_hook,))
    second = threading.Thread(target=commit, args=(second_hook,))
    first.start()
    assert first_planned.wait(timeout=10)
    second.start()
    if locking:
        # The second run must be parked on the lock before the first one may write.
        ready = threading.Event()
        while not _waiting_for_advisory_lock() and second.is_alive():
            ready.wait(0.01)
        release_first.set()
    first.join(timeout=20)
    second.join(timeout=20)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_allocation_runs_at_once_offer_each_unit_only_once(coordinator, settings):
    settings.HAMDELI_ALLOCATION_LOCKING = True
    _world()
    assert _race(coordinator, locking=True) == []
    assert sum(Quota.objects.values_list("quantity", flat=True)) == 300


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_locks_two_runs_offer_the_same_units_twice(coordinator, settings):
    settings.HAMDELI_ALLOCATION_LOCKING = False
    _world()
    assert _race(coordinator, locking=False) == []
    assert sum(Quota.objects.values_list("quantity", flat=True)) == 600  # the race the locks prevent
