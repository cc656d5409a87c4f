"""An owner reports output while the quota is being cancelled: the quota stays consistent (PostgreSQL).

Either the report lands first and the cancellation keeps its units, or the
cancellation lands first and the report is refused because the quota is
cancelled. Never a report counted on a quota after its cancellation, and
``produced_units`` always equals what the reports add up to. The control case
turns the quota's row lock off and shows the race is real: a report parked
after reading "accepted" is written onto the quota cancelled meanwhile.
"""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from core.models import AuditLog
from orders import quotas
from orders.models import OutputReport, Quota, QuotaStatus
from workshops.models import WorkshopStatus

from .. import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)

ALREADY_MADE = 30
REPORTED = 20


def _someone_waits_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def _wait_until_parked_or_done(thread: threading.Thread) -> None:
    waiting = threading.Event()
    while not _someone_waits_for_a_lock() and thread.is_alive():
        waiting.wait(0.01)


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


class _Race:
    """The owner's report and the coordinator's cancellation, each in its own thread and connection."""

    def __init__(self, quota, coordinator, cancel):
        self.quota, self.coordinator, self.cancel = quota, coordinator, cancel
        self.errors: dict[str, BaseException] = {}

    def _run(self, name, work, before=None):
        def target():
            translation.activate("en")  # threads do not inherit the test's language; refusals are read in English
            try:
                if before is not None:
                    before()
                work()
            except BaseException as exc:  # reported by the test
                self.errors[name] = exc
            finally:
                connections.close_all()

        return threading.Thread(target=target, name=name)

    def report_thread(self, before=None):
        owner = self.quota.workshop.owner

        def report():
            quotas.output_report(quota=self.quota, owner=owner, quantity=REPORTED, idempotency_key=uuid.uuid4())

        return self._run("report", report, before)

    def cancel_thread(self, before=None):
        return self._run("cancel", lambda: self.cancel(self.quota, self.coordinator), before)


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
    race = _Race(quota, coordinator, cancel)
    start_together = threading.Barrier(2, timeout=10)
    threads = [race.report_thread(start_together.wait), race.cancel_thread(start_together.wait)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    _assert_consistent(quota, race.errors)


def _park_the_report_after_reading_the_quota(monkeypatch) -> tuple[threading.Event, threading.Event]:
    read, release = threading.Event(), threading.Event()
    original = quotas._owned_quota_for_update

    def parked(quota, owner):
        loaded = original(quota, owner)
        read.set()
        release.wait(timeout=10)
        return loaded

    monkeypatch.setattr(quotas, "_owned_quota_for_update", parked)
    return read, release


@pytest.mark.parametrize("cancel", CANCELLATIONS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_that_got_the_quota_first_is_counted_and_the_cancellation_keeps_its_units(
    cancel, monkeypatch, coordinator, settings
):
    settings.HAMDELI_QUOTA_LOCKING = True
    quota = _quota()
    race = _Race(quota, coordinator, cancel)
    read, release = _park_the_report_after_reading_the_quota(monkeypatch)
    report, cancellation = race.report_thread(), race.cancel_thread()
    report.start()
    assert read.wait(timeout=10)
    cancellation.start()
    _wait_until_parked_or_done(cancellation)  # the cancellation waits for the report's lock
    release.set()
    report.join(timeout=20)
    cancellation.join(timeout=20)

    _assert_consistent(quota, race.errors)
    assert quota.produced_units == ALREADY_MADE + REPORTED


@pytest.mark.parametrize("cancel", CANCELLATIONS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_sent_while_the_quota_is_being_cancelled_is_refused_and_counts_nothing(
    cancel, monkeypatch, coordinator, settings
):
    settings.HAMDELI_QUOTA_LOCKING = True
    quota = _quota()
    race = _Race(quota, coordinator, cancel)
    written, release = threading.Event(), threading.Event()
    original_log = quotas.log_action

    def parked_log(**kwargs):
        entry = original_log(**kwargs)
        if kwargs["action"] == "quota.cancel":  # cancelled but not yet committed: the lock is still held
            written.set()
            release.wait(timeout=10)
        return entry

    monkeypatch.setattr(quotas, "log_action", parked_log)
    report, cancellation = race.report_thread(), race.cancel_thread()
    cancellation.start()
    assert written.wait(timeout=10)
    report.start()
    _wait_until_parked_or_done(report)
    release.set()
    cancellation.join(timeout=20)
    report.join(timeout=20)

    _assert_consistent(quota, race.errors)
    assert quota.produced_units == ALREADY_MADE
    assert not OutputReport.objects.filter(quota=quota).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_a_report_is_counted_on_a_quota_cancelled_meanwhile(monkeypatch, coordinator, settings):
    settings.HAMDELI_QUOTA_LOCKING = False
    quota = _quota()
    race = _Race(quota, coordinator, _cancel_the_quota)
    read, release = _park_the_report_after_reading_the_quota(monkeypatch)
    report, cancellation = race.report_thread(), race.cancel_thread()
    report.start()
    assert read.wait(timeout=10)
    cancellation.start()
    cancellation.join(timeout=20)  # nothing makes it wait: it commits while the report still holds "accepted"
    release.set()
    report.join(timeout=20)

    assert race.errors == {}
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.CANCELLED
    # The race the lock prevents: 20 units reported and counted after the quota was cancelled.
    assert quota.produced_units == ALREADY_MADE + REPORTED
    assert _report_landed_after_the_cancellation(quota)
