"""Two coordinators press "allocate" at the same moment: the units are offered once (PostgreSQL).

The control case turns the locks off and shows that the race is real: both
runs read the same free units and both offer them.
"""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from orders.models import OrderStatus
from production.models import Quota
from production.services import allocation as allocation_service
from production.services.allocation import allocation_commit
from workshops.models import Workshop, WorkshopCapacity

from .. import factories, races

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


def without_the_allocation_locks(monkeypatch) -> None:
    """The control cases: a commit takes neither its advisory lock nor the orders' and workshops' row locks."""
    monkeypatch.setattr(allocation_service, "_lock_allocation", lambda orders_qs: None)
    monkeypatch.setattr(
        allocation_service,
        "_lock_workshops",
        lambda workshop_ids: dict(Workshop.objects.filter(pk__in=set(workshop_ids)).values_list("pk", "status")),
    )


def _race(coordinator, *, locking: bool) -> list[BaseException]:
    with races.Race() as race:
        # Without locks the second run gets to this hook while the first still waits there, and lets it go.
        planned = race.spot("allocation_commit's before_write", later_arrivals_release=True)

        def commit():
            allocation_commit(actor=coordinator, provinces=None, before_write=planned.arrive)

        race.start("first", commit)
        planned.wait_until_reached()
        second = race.start("second", commit)
        if locking:
            race.wait_until_blocked(second)  # the second run must be parked on the lock before the first may write
            planned.release()
    return list(race.errors.values())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_allocation_runs_at_once_offer_each_unit_only_once(coordinator):
    _world()
    assert _race(coordinator, locking=True) == []
    assert sum(Quota.objects.values_list("quantity", flat=True)) == 300


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_locks_two_runs_offer_the_same_units_twice(coordinator, monkeypatch):
    without_the_allocation_locks(monkeypatch)
    _world()
    assert _race(coordinator, locking=False) == []
    assert sum(Quota.objects.values_list("quantity", flat=True)) == 600  # the race the locks prevent
