"""Two coordinators create payout batches at the same moment: the units go into one batch only (PostgreSQL).

The first creation is parked after it has worked out its lines under the row
locks; the second must wait for those locks, then finds nothing left to pay.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from payouts import services as payouts
from payouts.models import PayoutBatch, PayoutLine

from .. import factories, races
from .test_payout_batches import fund, pick_up

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)

START, END = dt.date(2026, 10, 23), dt.date(2026, 11, 21)


def _create(actor):
    return lambda: payouts.payout_batch_create(period_start=START, period_end=END, actor=actor)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_batches_created_at_once_never_include_the_same_units(monkeypatch, coordinator):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 28))
    second_coordinator = factories.CoordinatorFactory()
    quota = factories.QuotaFactory(quantity=100)
    fund(quota.order, 60_000_000, coordinator)
    pick_up(quota, 40, dt.date(2026, 11, 1), coordinator)

    with races.Race() as race:
        planned = race.park(monkeypatch, payouts, "_plan_for")
        race.start("first", _create(coordinator))
        planned.wait_until_reached()
        second = race.start("second", _create(second_coordinator))
        race.wait_until_blocked(second)
        planned.release()
    errors = list(race.errors.values())

    assert PayoutBatch.objects.count() == 1
    assert sum(PayoutLine.objects.values_list("units", flat=True)) == 40
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_locks_two_batches_include_the_same_units(monkeypatch, coordinator):
    """The control case: with the locks off both creations plan the same 40 units and both write them."""
    monkeypatch.setattr(payouts, "_lock_orders", lambda order_ids: None)
    monkeypatch.setattr(payouts, "_lock_quotas", lambda quota_ids: None)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 28))
    second_coordinator = factories.CoordinatorFactory()
    quota = factories.QuotaFactory(quantity=100)
    fund(quota.order, 60_000_000, coordinator)
    pick_up(quota, 40, dt.date(2026, 11, 1), coordinator)

    with races.Race() as race:
        # Without the locks nothing keeps the second from planning alongside the first.
        race.meet_after(monkeypatch, payouts, "_plan_for")
        race.all_at_once(first=_create(coordinator), second=_create(second_coordinator))
    errors = list(race.errors.values())

    assert errors == []
    assert PayoutBatch.objects.count() == 2
    assert sum(PayoutLine.objects.values_list("units", flat=True)) == 80  # the race the locks prevent
