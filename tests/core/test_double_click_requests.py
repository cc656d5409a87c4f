"""A report or sheet batch requested twice at the same moment (a double click, two tabs) is made once (PostgreSQL).

The first request is parked right after it locked the requester's row; the second must wait for that lock,
and then finds the first one's report instead of making a twin. The control tests take the lock away and
show the twin appears.
"""

import datetime as dt

import pytest
from django.db import connection

from core import task_claims
from fulfilment import tasks as sheet_tasks
from fulfilment.models import SheetBatch
from reports import tasks as report_tasks
from reports.models import ThematicReport

from .. import factories, races

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)

START, END = dt.date(2026, 10, 23), dt.date(2026, 11, 21)


def request_report(coordinator):
    province = factories.province("tehran")
    return lambda: (
        report_tasks.thematic_report_request(user=coordinator, province=province, period_start=START, period_end=END)[
            0
        ].pk
    )


def request_batch(coordinator):
    return lambda: sheet_tasks.sheet_batch_request(user=coordinator, planned_date=END)[0].pk


@pytest.fixture(autouse=True)
def nothing_handed_to_the_broker(monkeypatch):
    """Making the work is not what is raced here: its outbox message is left out."""
    monkeypatch.setattr(report_tasks, "enqueue", lambda *a, **k: None)
    monkeypatch.setattr(sheet_tasks, "enqueue", lambda *a, **k: None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("request_work", "model"), [(request_report, ThematicReport), (request_batch, SheetBatch)])
def test_the_same_request_twice_at_once_makes_the_work_once(monkeypatch, coordinator, request_work, model):
    with races.Race() as race:
        locked = race.park(monkeypatch, task_claims, "lock_requester")
        first = race.start("first", request_work(coordinator))
        locked.wait_until_reached()
        second = race.start("second", request_work(coordinator))
        race.wait_until_blocked(second)
        locked.release()

    assert race.errors == {}
    assert model.objects.count() == 1
    assert first.result == second.result  # the second click shows the first one's progress page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("request_work", "model", "requesting"),
    [(request_report, ThematicReport, report_tasks), (request_batch, SheetBatch, sheet_tasks)],
)
def test_without_the_lock_the_same_request_twice_at_once_makes_a_twin(
    monkeypatch, coordinator, request_work, model, requesting
):
    """The control case: both requests look for a twin before either has written its row.

    They meet after the lookup has *run* (``queued_twin`` returns a row or None), not after ``filter`` built
    the still-lazy query: meeting there let a loaded machine run the first request to its commit before the
    second one's query ran, and the twin did not appear.
    """
    monkeypatch.setattr(task_claims, "lock_requester", lambda user: None)

    with races.Race() as race:
        race.meet_after(monkeypatch, requesting, "queued_twin")
        race.all_at_once(first=request_work(coordinator), second=request_work(coordinator))

    assert race.errors == {}
    assert model.objects.count() == 2  # the twin the lock prevents
