"""An owner reports output while the quota is being cancelled: the quota stays consistent (PostgreSQL).

Either the report lands first and the cancellation keeps its units, or the
cancellation lands first and the report is refused because the quota is
cancelled. Never a report counted on a quota after its cancellation, and
``produced_units`` always equals what the reports add up to. The control case
turns the quota's row lock off and shows the race is real: a report parked
after reading "accepted" is written onto the quota cancelled meanwhile.
"""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core import audit
from core.models import AuditLog
from production.models import OutputReport, Quota, QuotaStatus
from production.services import quotas
from workshops.models import WorkshopStatus

from .. import factories, races

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)

ALREADY_MADE = 30
REPORTED = 20


def _cancel_the_quota(quota, coordinator):
    quotas.quota_cancel(quota=quota, actor=coordinator, reason="سفارش لغو شد")


def _suspend_the_workshop(quota, coordinator):
    quotas.workshop_set_status_with_quotas(
        workshop=quota.workshop, status=WorkshopStatus.SUSPENDED, reason="کیفیت پایین", actor=coordinator
    )


CANCELLATIONS = [
    pytest.param(_cancel_the_quota, id="quota-cancelled"),
    pytest.param(_suspend_the_workshop, id="workshop-suspended"),
]


def _report(quota):
    owner = quota.workshop.owner
    return lambda: quotas.output_report(quota=quota, owner=owner, quantity=REPORTED, idempotency_key=uuid.uuid4())


def _cancellation(quota, coordinator, cancel):
    return lambda: cancel(quota, coordinator)


def _quota():
    return factories.QuotaFactory(quantity=100, produced_units=ALREADY_MADE)


def _report_landed_after_the_cancellation(quota: Quota) -> bool:
    cancelled = AuditLog.objects.get(action="quota.cancel", object_id=str(quota.pk))
    return AuditLog.objects.filter(action="output.report", object_id=str(quota.pk), pk__gt=cancelled.pk).exists()


def _assert_consistent(quota: Quota, errors: dict[str, BaseException]) -> None:
    quota.refresh_from_db()
    reported = sum(OutputReport.objects.filter(quota=quota).values_list("quantity", flat=True))
    assert quota.status == QuotaStatus.CANCELLED
    assert "cancel" not in errors
    assert quota.produced_units == ALREADY_MADE + reported
    assert not _report_landed_after_the_cancellation(quota)
    if reported:  # the report came first and the cancellation kept its units
        assert "report" not in errors
        assert reported == REPORTED
    else:  # the cancellation came first and the report was refused
        assert isinstance(errors.get("report"), ValidationError)
        assert "quota you have accepted" in str(errors["report"])


@pytest.mark.parametrize("cancel", CANCELLATIONS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_and_a_cancellation_sent_at_the_same_moment_leave_the_quota_consistent(cancel, coordinator):
    quota = _quota()
    with races.Race(language="en") as race:  # refusals are read in English
        race.all_at_once(report=_report(quota), cancel=_cancellation(quota, coordinator, cancel))

    _assert_consistent(quota, race.errors)


def _park_the_report_after_reading_the_quota(race: races.Race, monkeypatch) -> races.Spot:
    return race.park(monkeypatch, quotas, "_owned_quota_for_update")


@pytest.mark.parametrize("cancel", CANCELLATIONS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_that_got_the_quota_first_is_counted_and_the_cancellation_keeps_its_units(
    cancel, monkeypatch, coordinator
):
    quota = _quota()
    with races.Race(language="en") as race:
        read = _park_the_report_after_reading_the_quota(race, monkeypatch)
        race.start("report", _report(quota))
        read.wait_until_reached()
        cancellation = race.start("cancel", _cancellation(quota, coordinator, cancel))
        race.wait_until_blocked(cancellation)  # the cancellation waits for the report's lock
        read.release()

    _assert_consistent(quota, race.errors)
    assert quota.produced_units == ALREADY_MADE + REPORTED


@pytest.mark.parametrize("cancel", CANCELLATIONS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_sent_while_the_quota_is_being_cancelled_is_refused_and_counts_nothing(
    cancel, monkeypatch, coordinator
):
    quota = _quota()
    with races.Race(language="en") as race:
        # Cancelled but not yet committed: the cancellation still holds the quota's lock. The status change is
        # audited by core.audit.change_status, which calls its module's log_action once the row is saved.
        written = race.park(monkeypatch, audit, "log_action", only_if=lambda **kw: kw["action"] == "quota.cancel")
        race.start("cancel", _cancellation(quota, coordinator, cancel))
        written.wait_until_reached()
        report = race.start("report", _report(quota))
        race.wait_until_blocked(report)
        written.release()

    _assert_consistent(quota, race.errors)
    assert quota.produced_units == ALREADY_MADE
    assert not OutputReport.objects.filter(quota=quota).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_a_report_is_counted_on_a_quota_cancelled_meanwhile(monkeypatch, coordinator):
    monkeypatch.setattr(quotas, "_for_update", lambda rows: rows)  # the control case: no row lock
    quota = _quota()
    with races.Race(language="en") as race:
        read = _park_the_report_after_reading_the_quota(race, monkeypatch)
        race.start("report", _report(quota))
        read.wait_until_reached()
        cancellation = race.start("cancel", _cancellation(quota, coordinator, _cancel_the_quota))
        race.finish(cancellation)  # nothing makes it wait: it commits while the report still holds "accepted"
        read.release()

    assert race.errors == {}
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.CANCELLED
    # The race the lock prevents: 20 units reported and counted after the quota was cancelled.
    assert quota.produced_units == ALREADY_MADE + REPORTED
    assert _report_landed_after_the_cancellation(quota)
