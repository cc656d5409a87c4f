"""Issue 20: a new output report adds its units to the daily figures in its own transaction
(reports.daily_output). A whole day's recomputation running at the same moment must neither lose nor double
those units: the report waits for the figures' lock (taken shared) while a recomputation holds it."""

import uuid

import pytest
from django.db import connection
from django.db.models import Sum

from production.services.quotas import output_report
from reports import daily_figures, daily_output
from reports.daily_figures import Days, refresh
from reports.models import DailyFigure

from .. import factories, races

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def produced_stored(day) -> int:
    return DailyFigure.objects.filter(day=day).aggregate(total=Sum("produced_units"))["total"] or 0


def race_a_report_against_a_recomputation(monkeypatch):
    quota = factories.QuotaFactory(quantity=100)
    first = output_report(quota=quota, owner=quota.workshop.owner, quantity=10, idempotency_key=uuid.uuid4())[0]
    day = first.report_date

    def another_report():
        return output_report(quota=quota, owner=quota.workshop.owner, quantity=5, idempotency_key=uuid.uuid4())

    with races.Race() as race:
        # The recomputation has read the day's reports (10 units) and holds the figures' lock.
        spot = race.park(monkeypatch, daily_figures, "recompute")
        race.start("recomputation", lambda: refresh(Days.of([day])))
        spot.wait_until_reached()
        report = race.start("report", another_report)
        race.wait_until_blocked(report)
        spot.release()
    assert race.errors == {}
    return day


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_during_a_recomputation_of_its_day_is_counted_once(monkeypatch):
    day = race_a_report_against_a_recomputation(monkeypatch)

    assert produced_stored(day) == 15
    assert daily_figures.integrity_problems() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_control_without_the_shared_lock_the_recomputation_loses_the_report(monkeypatch):
    monkeypatch.setattr(daily_output, "ADVISORY_LOCK_KEY", daily_figures.ADVISORY_LOCK_KEY + 1)  # no conflict

    day = race_a_report_against_a_recomputation(monkeypatch)

    assert produced_stored(day) == 10  # the recomputation wrote what it had read over the report's 5
