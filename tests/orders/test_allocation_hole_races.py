"""A suspension or a refund while an allocation commit is writing its quotas (PostgreSQL).

The commit locks the plan's workshop rows and the scope's order rows before it
writes; a suspension locks the workshop row, a refund the order row. So one
waits for the other, and what the second one reads includes the first one's
work. The control cases turn the allocation's locks off and show the races:
an offered quota for a suspended workshop, and units offered beyond the money
left after a refund, both of which ``integrity_check`` then reports.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from donors.integrity import integrity_problems
from donors.ledger import selectors as ledger
from donors.services.pledges import pledge_refund
from orders.funding import allocated_units, releasable_units
from orders.models import Order, OrderStatus
from production.models import Quota, QuotaStatus
from production.services import quotas as quota_services
from production.services.allocation import allocation_commit
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus

from .. import factories, races
from .test_allocation_concurrency import without_the_allocation_locks

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row and advisory locks are PostgreSQL's; CI runs this on PostgreSQL"
)

OPEN = (QuotaStatus.OFFERED, QuotaStatus.ACCEPTED)


def _world(units: int = 100) -> tuple[Order, Workshop]:
    order = factories.OrderFactory(
        quantity=units, status=OrderStatus.FUNDED, needed_by=timezone.localdate() + dt.timedelta(days=30)
    )
    factories.fund_order(order)
    workshop = factories.WorkshopFactory()
    WorkshopCapacity.objects.create(workshop=workshop, product=order.product, units_per_day=100)
    return order, workshop


def _suspend(workshop: Workshop, coordinator):
    return lambda: quota_services.workshop_set_status_with_quotas(
        workshop=workshop, status=WorkshopStatus.SUSPENDED, reason="کیفیت پایین دوخت", actor=coordinator
    )


def _while_the_commit_writes(coordinator, name: str, work, *, locking: bool) -> races.Race:
    """Park an allocation commit after it planned (and locked), run ``work`` as ``name``, then let the commit
    write. With the locks on, ``work`` waits on the row the commit holds; without them it is done first."""
    with races.Race(language="fa") as race:
        planned = race.spot("allocation_commit's before_write")
        race.start("commit", lambda: allocation_commit(actor=coordinator, provinces=None, before_write=planned.arrive))
        planned.wait_until_reached()
        second = race.start(name, work)
        if locking:
            race.wait_until_blocked(second)
        else:
            race.finish(second)
        planned.release()
    return race


def _suspension_while_the_commit_writes(workshop: Workshop, coordinator, *, locking: bool) -> races.Race:
    return _while_the_commit_writes(coordinator, "suspension", _suspend(workshop, coordinator), locking=locking)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_workshop_suspended_while_a_commit_writes_keeps_no_open_quota(coordinator):
    _, workshop = _world()
    race = _suspension_while_the_commit_writes(workshop, coordinator, locking=True)
    assert race.errors == {}
    # The suspension waited for the commit, then cancelled the quota it had just offered.
    assert list(Quota.objects.values_list("workshop", "status")) == [(workshop.pk, QuotaStatus.CANCELLED)]
    assert integrity_problems() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_lock_a_workshop_suspended_during_a_commit_is_left_an_offered_quota(coordinator, monkeypatch):
    without_the_allocation_locks(monkeypatch)
    _, workshop = _world()
    race = _suspension_while_the_commit_writes(workshop, coordinator, locking=False)
    assert race.errors == {}
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.SUSPENDED
    assert list(Quota.objects.values_list("workshop", "status")) == [(workshop.pk, QuotaStatus.OFFERED)]  # the race
    assert any("its workshop is suspended" in problem for problem in integrity_problems())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_commit_that_planned_for_a_workshop_being_suspended_waits_and_then_offers_it_nothing(
    coordinator, monkeypatch
):
    order, workshop = _world()
    with races.Race(language="fa") as race:
        # The suspension holds the workshop row (not yet committed) when the commit reads the workshops.
        suspended = race.park(monkeypatch, quota_services, "workshop_set_status")
        race.start("suspension", _suspend(workshop, coordinator))
        suspended.wait_until_reached()
        commit = race.start("commit", lambda: allocation_commit(actor=coordinator, provinces=None))
        race.wait_until_blocked(commit)
        suspended.release()
    assert race.errors == {}
    result = race.callers[1].result
    assert [(a.order_id, a.workshop_id, a.units) for a in result.dropped] == [(order.pk, workshop.pk, 100)]
    assert not Quota.objects.exists()
    assert integrity_problems() == []


def _refund_while_the_commit_writes(order: Order, coordinator, *, locking: bool) -> races.Race:
    refund = order.unit_cost_rials * 95  # leaves money for 5 of the 100 units the commit is offering
    return _while_the_commit_writes(
        coordinator,
        "refund",
        lambda: pledge_refund(pledge=order.pledges.get(), amount=refund, actor=coordinator, reason="درخواست خیر"),
        locking=locking,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refund_during_a_commit_waits_and_is_refused_for_the_money_the_new_quotas_need(coordinator):
    order, _ = _world()
    race = _refund_while_the_commit_writes(order, coordinator, locking=True)
    assert list(race.errors) == ["refund"]
    assert isinstance(race.errors["refund"], ValidationError)
    assert "سهمیه" in race.errors["refund"].message_dict["amount_rials"][0]
    assert ledger.order_applied_funds(order.pk) == order.budget_rials
    assert allocated_units(order) == releasable_units(order) == 100
    assert integrity_problems() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_lock_a_refund_during_a_commit_leaves_units_offered_beyond_funds(coordinator, monkeypatch):
    without_the_allocation_locks(monkeypatch)
    order, _ = _world()
    race = _refund_while_the_commit_writes(order, coordinator, locking=False)
    assert race.errors == {}
    assert (allocated_units(order), releasable_units(order)) == (100, 5)  # the race the lock prevents
    assert any("units offered beyond funds" in problem for problem in integrity_problems())
