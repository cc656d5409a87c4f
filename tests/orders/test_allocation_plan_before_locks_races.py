"""While a commit is still planning it holds no lock: a refund goes through at once, and the commit then offers
only what the refund left (PostgreSQL, real threads and connections).

The hook-driven versions of these changes are in ``test_allocation_plan_before_locks.py``; a refund or a
suspension while the commit holds its locks is in ``test_allocation_hole_races.py``.
"""

import pytest
from django.db import connection

from donors.integrity import integrity_problems
from donors.services.pledges import pledge_refund
from orders.funding import allocated_units, releasable_units
from production.models import Quota
from production.services.allocation import allocation_commit

from .. import races
from .test_allocation_hole_races import _world

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row and advisory locks are PostgreSQL's; CI runs this on PostgreSQL"
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refund_while_a_commit_is_planning_is_not_kept_waiting_and_the_commit_offers_only_what_is_left(
    coordinator,
):
    order, workshop = _world(units=100)
    with races.Race(language="fa") as race:
        planned = race.spot("allocation_commit's after_plan")
        race.start(
            "commit",
            lambda: allocation_commit(actor=coordinator, provinces=None, after_plan=lambda _: planned.arrive()),
        )
        planned.wait_until_reached()  # the plan offers all 100 units; nothing is locked yet
        refund = race.start(
            "refund",
            lambda: pledge_refund(
                pledge=order.pledges.get(), amount=order.unit_cost_rials * 40, actor=coordinator, reason="درخواست خیر"
            ),
        )
        race.finish(refund)  # done while the commit is parked: it waited for no lock
        planned.release()
    assert race.errors == {}
    commit = race.callers[0].result
    assert commit.replanned_under_locks
    assert list(Quota.objects.values_list("workshop", "quantity")) == [(workshop.pk, 60)]
    assert allocated_units(order) == releasable_units(order) == 60
    assert integrity_problems() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_commit_that_planned_while_another_was_writing_offers_only_what_the_other_left(coordinator):
    order, _ = _world(units=100)
    with races.Race() as race:
        writing = race.spot("the first commit's before_write")
        race.start("first", lambda: allocation_commit(actor=coordinator, provinces=None, before_write=writing.arrive))
        writing.wait_until_reached()
        # The second plans the same 100 units meanwhile (the first has not written them), then waits for the lock.
        second = race.start("second", lambda: allocation_commit(actor=coordinator, provinces=None))
        race.wait_until_blocked(second)
        writing.release()
    assert race.errors == {}
    first, second = (caller.result for caller in race.callers)
    assert not first.replanned_under_locks and second.replanned_under_locks
    assert second.quotas == []
    assert sum(Quota.objects.values_list("quantity", flat=True)) == allocated_units(order) == 100
