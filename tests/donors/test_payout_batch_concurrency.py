"""Two coordinators create payout batches at the same moment: the units go into one batch only (PostgreSQL).

The first creation is parked after it has worked out its lines under the row
locks; the second must wait for those locks, then finds nothing left to pay.
"""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from donors import payouts
from donors.models import PayoutBatch, PayoutLine

from .. import factories
from .test_payout_batches import fund, pick_up

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)

START, END = dt.date(2026, 10, 23), dt.date(2026, 11, 21)


def _someone_waits_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_batches_created_at_once_never_include_the_same_units(monkeypatch, coordinator):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 28))
    second_coordinator = factories.CoordinatorFactory()
    quota = factories.QuotaFactory(quantity=100)
    fund(quota.order, 60_000_000, coordinator)
    pick_up(quota, 40, dt.date(2026, 11, 1), coordinator)

    planned, release_first = threading.Event(), threading.Event()
    original = payouts._plan_for
    calls = []
    errors: list[BaseException] = []

    def parked_plan(quotas, period_end):
        plan = original(quotas, period_end)
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            planned.set()
            release_first.wait(timeout=10)
        return plan

    monkeypatch.setattr(payouts, "_plan_for", parked_plan)

    def create(actor):
        try:
            payouts.payout_batch_create(period_start=START, period_end=END, actor=actor)
        except ValidationError as exc:
            errors.append(exc)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=create, args=(coordinator,))
    second = threading.Thread(target=create, args=(second_coordinator,))
    first.start()
    assert planned.wait(timeout=10)
    second.start()
    waiting = threading.Event()
    while not _someone_waits_for_a_lock() and second.is_alive():
        waiting.wait(0.01)
    release_first.set()
    first.join(timeout=20)
    second.join(timeout=20)

    assert PayoutBatch.objects.count() == 1
    assert sum(PayoutLine.objects.values_list("units", flat=True)) == 40
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_locks_two_batches_include_the_same_units(monkeypatch, coordinator, settings):
    """The control case: with the locks off both creations plan the same 40 units and both write them."""
    settings.HAMDELI_PAYOUT_LOCKING = False
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 28))
    second_coordinator = factories.CoordinatorFactory()
    quota = factories.QuotaFactory(quantity=100)
    fund(quota.order, 60_000_000, coordinator)
    pick_up(quota, 40, dt.date(2026, 11, 1), coordinator)

    both_planned = threading.Barrier(2, timeout=10)
    original = payouts._plan_for
    errors: list[BaseException] = []

    def plan_then_wait_for_the_other(quotas, period_end):
        plan = original(quotas, period_end)
        both_planned.wait()  # without the locks nothing keeps the second from planning alongside the first
        return plan

    monkeypatch.setattr(payouts, "_plan_for", plan_then_wait_for_the_other)

    def create(actor):
        try:
            payouts.payout_batch_create(period_start=START, period_end=END, actor=actor)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(actor,)) for actor in (coordinator, second_coordinator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert errors == []
    assert PayoutBatch.objects.count() == 2
    assert sum(PayoutLine.objects.values_list("units", flat=True)) == 80  # the race the locks prevent
