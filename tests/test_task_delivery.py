"""Every Celery task may be delivered twice (acks_late, the outbox sweep) and must then do its work once.

The registry decides what is checked: a task the worker knows that has no
"delivered twice" scenario here fails the suite until someone writes one.
Each scenario builds its world with factories, delivers the task twice with the
same ids (each delivery in its own commit, as a worker would) and checks what a
user would notice: one file, one message per person, one set of quotas. After
the second delivery nothing at all may have changed: no row added or removed,
no file rewritten, no SMS or email sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core import tasks as core_tasks
from core.models import Notification, NotificationChannel, NotificationStatus, OutboxMessage
from core.notifications import backends, notify
from core.notifications.recipients import coordinators_of
from core.outbox import FLUSH_GRACE
from core.task_claims import claim
from donors.models import LedgerDaySeal, Receipt
from donors.receipts import services as receipts
from donors.services.pledges import pledge_confirm
from fulfilment import sheet_batches
from fulfilment.models import SheetBatch, SheetBatchStatus
from fulfilment.tasks import batch_deliveries, sheet_batch_start
from hamdeli.celery import app
from orders.models import OrderStatus
from production.models import AllocationRun, AllocationRunStatus, Quota, QuotaStatus
from production.services.allocation_runs import start_run
from reports.models import ThematicReport, ThematicReportStatus
from reports.tasks import thematic_report_start
from workshops.models import WorkshopStatus

from . import factories, races
from .brokers import broker_at

# Reads the run's database or broker settings: kept on both of .ci/run's runs (tests/conftest.py).
pytestmark = pytest.mark.backend

PROJECT = Path(__file__).resolve().parents[1]
EVERY_DAY = 0b1111111  # reminders must not depend on the weekday the suite runs on
# Nothing listens on port 9 (discard): connecting is refused at once, like a stopped Redis.
UNREACHABLE_BROKER = "redis://127.0.0.1:9/0"


def project_tasks() -> dict[str, object]:
    """The tasks a worker registers (it imports every app's task modules), without Celery's own."""
    app.loader.import_default_modules()
    return {name: task for name, task in sorted(app.tasks.items()) if not name.startswith("celery.")}


# --- Delivering twice -------------------------------------------------------------------------------------------


def media_files() -> dict[str, str]:
    """Every stored file under MEDIA_ROOT with a hash of its content."""
    root = Path(django_settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def what_a_user_could_see() -> dict:
    """Rows per table, stored files, SMS and emails sent so far."""
    rows = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    return {
        "rows": rows,
        "files": media_files(),
        "sms": [(message.to, message.text) for message in backends.outbox],
        "email": [(tuple(message.to), message.subject, message.body) for message in mail.outbox],
    }


@dataclass
class World:
    """What a scenario needs from pytest: commits, a logged-in client, the SMS outbox, monkeypatch."""

    capture_on_commit: Callable
    client_for: Callable
    monkeypatch: pytest.MonkeyPatch
    name: str = ""

    @property
    def sms(self) -> list:
        return backends.outbox

    def deliver(self, *ids: int | str):
        """One delivery of the task under test, committed (its own on_commit work runs, as after a real commit)."""
        with self.capture_on_commit(execute=True):
            return app.tasks[self.name].apply(args=list(ids), throw=True).get()

    def deliver_twice(self, *ids: int | str) -> tuple:
        """Deliver the task twice with the same ids; the second delivery must change nothing at all."""
        first = self.deliver(*ids)
        seen = what_a_user_could_see()
        second = self.deliver(*ids)
        after = what_a_user_could_see()
        for part in seen:
            assert after[part] == seen[part], f"the second delivery of {self.name} changed {part}"
        return first, second

    @contextmanager
    def broker_down(self):
        """Tasks go to a real (non-eager) broker that is not running, as in production with Redis stopped."""
        with broker_at(UNREACHABLE_BROKER):
            yield


def sent_to(outbox) -> list[str]:
    return sorted(message.to for message in outbox)


def funded_order(units: int):
    return factories.funded_order(units=units)


def maker(rate: int):
    return factories.maker(rate=rate)


def active_quota(**kwargs) -> Quota:
    """An accepted quota of 100 units, none made yet, of a workshop that works every day."""
    return factories.QuotaFactory(**{"workshop__working_weekdays": EVERY_DAY, **kwargs})


# --- One scenario per task --------------------------------------------------------------------------------------


def run_allocation_twice(world: World) -> None:
    order = funded_order(units=100)
    workshop = maker(rate=50)
    coordinator = factories.CoordinatorFactory()
    run = start_run(user=coordinator, province_codes=[], dry_run=False)

    world.deliver_twice(run.pk)

    run.refresh_from_db()
    assert run.status == AllocationRunStatus.DONE
    assert run.result["totals"]["allocated_units"] == 100
    assert list(Quota.objects.values_list("order", "workshop", "quantity", "status")) == [
        (order.pk, workshop.pk, 100, QuotaStatus.OFFERED)
    ]
    # No offer is announced twice (allocation runs currently leave the offer to the owner's inbox, no SMS).
    announced = list(Notification.objects.filter(event="quota.offered").values_list("object_id", "recipient"))
    assert len(announced) == len(set(announced)) <= 1
    assert len(world.sms) == len(announced)
    page = world.client_for(coordinator).get(reverse("orders:allocation-run", args=[run.pk])).content.decode()
    assert page.count('data-testid="allocated-units"') == 1
    assert 'data-testid="run-progress"' not in page


def sheet_batch_render_twice(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=3)
    coordinator = factories.CoordinatorFactory()
    for _ in range(2):
        factories.DeliveryLineFactory(delivery__planned_date=day)
    batch = sheet_batch_start(user=coordinator, planned_date=day, province_code="tehran")

    world.deliver_twice(batch.pk)

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.failures) == (SheetBatchStatus.DONE, 2, 2, [])
    assert list(media_files()) == [batch.file.name]  # one merged PDF, written once


def sheet_batch_help_twice(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=3)
    coordinator = factories.CoordinatorFactory()
    for _ in range(2):
        factories.DeliveryLineFactory(delivery__planned_date=day)
    batch = sheet_batch_start(user=coordinator, planned_date=day, province_code="tehran")
    # The batch's task claimed the batch and split it into parts for its helpers.
    claimed = claim(SheetBatch, batch.pk, queued=SheetBatchStatus.QUEUED, running=SheetBatchStatus.RUNNING)
    ids = batch_deliveries(user=coordinator, planned_date=day, province_code="tehran").values_list("pk", flat=True)
    sheet_batches.plan_parts(batch.pk, claimed, list(ids))

    world.deliver_twice(batch.pk, sheet_batches.claim_token(claimed))

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.failures) == (SheetBatchStatus.DONE, 2, 2, [])
    assert list(media_files()) == [batch.file.name]  # one merged PDF, written once


def thematic_report_generate_twice(world: World) -> None:
    today = timezone.localdate()
    coordinator = factories.CoordinatorFactory()
    factories.QuotaFactory(produced_units=40)
    report = thematic_report_start(
        user=coordinator,
        province=factories.province("tehran"),
        period_start=today - dt.timedelta(days=30),
        period_end=today,
    )

    world.deliver_twice(report.pk)

    report.refresh_from_db()
    assert (report.status, report.progress) == (ThematicReportStatus.DONE, 100)
    assert sorted(media_files()) == sorted([report.pdf.name, report.xlsx.name])


def receipt_generate_twice(world: World) -> None:
    coordinator = factories.CoordinatorFactory()
    pledge = factories.PledgeFactory(amount_rials=50_000_000)
    pledge_confirm(
        pledge=pledge,
        actor=coordinator,
        amount_received_rials=50_000_000,
        bank_reference="REF-TWICE",
        received_on=timezone.localdate(),
    )
    receipt = Receipt.objects.get(pledge=pledge)
    assert not receipt.pdf  # the task (not run yet) makes the file

    world.deliver_twice(receipt.pk)

    receipt.refresh_from_db()
    assert Receipt.objects.count() == 1
    assert list(media_files()) == [receipt.pdf.name]
    with receipt.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def notification_send_twice(world: World) -> None:
    user = factories.UserFactory()
    (notification,) = notify(recipient=user, event="test.twice", text="پیام آزمایشی", dedupe_key="test-twice")

    first, second = world.deliver_twice(notification.pk)

    assert (first, second) == (NotificationStatus.SENT, "skipped")
    assert [(message.to, message.text) for message in world.sms] == [(user.mobile, "پیام آزمایشی")]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)


def outbox_flush_twice(world: World) -> None:
    users = [factories.UserFactory(), factories.UserFactory()]
    with world.broker_down(), world.capture_on_commit(execute=True):
        for user in users:
            notify(recipient=user, event="test.flush", text="پیام منتظر", dedupe_key=f"test-flush-{user.pk}")
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2 and world.sms == []
    OutboxMessage.objects.update(created_at=timezone.now() - FLUSH_GRACE - dt.timedelta(seconds=1))
    handed_over = Counter()
    send_task = app.tasks["core.tasks.notification_send"]
    real_apply = send_task.apply

    def apply(*, args, **kwargs):
        handed_over[tuple(args)] += 1
        return real_apply(args=args, **kwargs)

    world.monkeypatch.setattr(send_task, "apply", apply)

    first, second = world.deliver_twice()  # beat's sweep, twice (the broker is back: eager stands in for it)

    assert (first["sent"], first["waiting"]) == (2, 0)
    assert (second["sent"], second["waiting"]) == (0, 0)
    assert sorted(handed_over.values()) == [1, 1]
    assert sent_to(world.sms) == sorted(user.mobile for user in users)


def owner_daily_reminders_twice(world: World) -> None:
    silent = [active_quota(), active_quota()]
    active_quota(status=QuotaStatus.OFFERED)  # nothing to report yet

    first, second = world.deliver_twice()  # beat fired twice on the same evening

    assert (first, second) == (2, 0)
    assert sent_to(world.sms) == sorted(quota.workshop.owner.mobile for quota in silent)


def quota_due_soon_alerts_twice(world: World) -> None:
    behind = active_quota(
        due_date=timezone.localdate() + dt.timedelta(days=2),
        responded_at=timezone.now() - dt.timedelta(days=10),
        produced_units=20,
    )
    active_quota(due_date=timezone.localdate() + dt.timedelta(days=2), produced_units=95)  # on pace: no alert
    coordinators = [user.mobile for user in coordinators_of(behind.workshop.province_id)]
    assert coordinators

    world.deliver_twice()

    assert sent_to(world.sms) == sorted([behind.workshop.owner.mobile, *coordinators])


def quota_offers_notify_twice(world: World) -> None:
    from production.notification_tasks import id_ranges

    offered = {"status": QuotaStatus.OFFERED, "responded_at": None}
    quotas = [factories.QuotaFactory(**offered), factories.QuotaFactory(**offered)]
    quotas.append(factories.QuotaFactory(workshop=quotas[0].workshop, **offered))  # her second offer of the run

    first, second = world.deliver_twice(id_ranges(quota.pk for quota in quotas))  # the run committed; then again

    assert (first, second) == (2, 0)
    assert sent_to(world.sms) == sorted(quota.workshop.owner.mobile for quota in quotas[:2])


def coordinator_daily_digest_twice(world: World) -> None:
    coordinator = factories.CoordinatorFactory()
    other = factories.CoordinatorFactory(provinces=[factories.province("isfahan")])
    factories.WorkshopFactory(status=WorkshopStatus.PENDING)  # one workshop waits for Tehran's coordinator
    factories.WorkshopFactory(status=WorkshopStatus.PENDING, province=factories.province("isfahan"))

    first, second = world.deliver_twice()  # beat fired twice on the same morning

    assert (first, second) == (2, 0)
    assert sent_to(world.sms) == sorted([coordinator.mobile, other.mobile])


def ledger_seal_days_twice(world: World) -> None:
    order = factories.OrderFactory()
    # A fixed hour (Tehran noon): in the first half hour after midnight yesterday is not sealable yet (SEAL_AFTER),
    # so a run at 00:13 found one day to seal instead of two.
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=noon - dt.timedelta(days=2)):
        factories.fund_order(order, 5_000_000)  # an entry dated two days ago

    with mock.patch("django.utils.timezone.now", return_value=noon):
        first, second = world.deliver_twice()  # beat fired twice

    assert (first, second) == (2, 0)  # the day before yesterday and yesterday, sealed once
    assert LedgerDaySeal.objects.count() == 2


def online_payments_recheck_twice(world: World) -> None:
    from django.test import RequestFactory

    from donors.models import LedgerEntry, OnlinePayment
    from donors.online import mock_bank
    from donors.online.services import payment_start

    from .donors.online_bank import route_to_mock_bank

    mock_bank.reset()
    route_to_mock_bank(world.monkeypatch)
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    payment, _page = payment_start(
        request=RequestFactory().post("/"), donor=factories.DonorFactory(), order=order, amount_rials=1_000_000
    )
    mock_bank.payment(payment.authority).paid_amount = 100_000  # paid, but her callback never came
    OnlinePayment.objects.update(created_at=timezone.now() - dt.timedelta(minutes=6))

    first, second = world.deliver_twice()  # beat fired twice

    assert (first, second) == ({"paid": 1}, {})
    assert LedgerEntry.objects.filter(pledge=payment.pledge).count() == 1


def sms_inbox_poll_twice(world: World) -> None:
    import json

    from django.conf import settings

    from production.models import OutputReport

    from .sms_commands.fake_http import Answer

    quota = factories.QuotaFactory()
    entries = {"entries": [{"messageid": "inbox-1", "sender": quota.workshop.owner.mobile, "message": "ت ۴"}]}

    world.monkeypatch.setattr(settings, "SMS_GATEWAY_INBOX_URL", "https://gateway.test/inbox")
    world.monkeypatch.setattr("urllib.request.urlopen", lambda request, timeout: Answer(json.dumps(entries).encode()))

    first, second = world.deliver_twice()  # beat fired twice; the gateway's inbox still holds the message

    assert (first["new"], second["new"], second["seen"]) == (1, 0, 1)
    assert OutputReport.objects.filter(quota=quota).count() == 1


def directory_import_run_twice(world: World) -> None:
    from core.models import Notification
    from workshops.imports.models import ImportKind
    from workshops.imports.services import directory_upload
    from workshops.models import Workshop

    from .workshops.test_imports import workshop_file, workshop_row

    coordinator = factories.CoordinatorFactory()
    upload = directory_upload(
        actor=coordinator, kind=ImportKind.WORKSHOPS, file_name="w.csv", content=workshop_file(workshop_row())
    )

    world.deliver_twice(upload.pk)  # the worker took the import, then the broker gave it again

    assert Workshop.objects.filter(national_id="0013542419").count() == 1
    assert Notification.objects.filter(recipient__mobile="09121234567").count() == 1  # one invitation


DELIVERED_TWICE: dict[str, Callable[[World], None]] = {
    "core.tasks.notification_send": notification_send_twice,
    "core.tasks.outbox_flush": outbox_flush_twice,
    "donors.tasks.receipt_generate": receipt_generate_twice,
    "donors.notification_tasks.coordinator_daily_digest": coordinator_daily_digest_twice,
    "donors.ledger.tasks.ledger_seal_days": ledger_seal_days_twice,
    "donors.online.tasks.online_payments_recheck": online_payments_recheck_twice,
    "orders.tasks.run_allocation": run_allocation_twice,
    "orders.sheet_tasks.sheet_batch_render": sheet_batch_render_twice,
    "fulfilment.tasks.sheet_batch_help": sheet_batch_help_twice,
    "orders.notification_tasks.owner_daily_reminders": owner_daily_reminders_twice,
    "orders.notification_tasks.quota_due_soon_alerts": quota_due_soon_alerts_twice,
    "orders.notification_tasks.quota_offers_notify": quota_offers_notify_twice,
    "reports.tasks.thematic_report_generate": thematic_report_generate_twice,
    "sms_commands.tasks.inbox_poll": sms_inbox_poll_twice,
    "workshops.tasks.directory_import_run": directory_import_run_twice,
}


@pytest.fixture
def world(db, settings, tmp_path, django_capture_on_commit_callbacks, client_for, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    backends.outbox.clear()
    yield World(capture_on_commit=django_capture_on_commit_callbacks, client_for=client_for, monkeypatch=monkeypatch)
    backends.outbox.clear()


@pytest.mark.parametrize("name", sorted(project_tasks()))
def test_every_task_the_worker_knows_has_a_delivered_twice_case(name):
    assert name in DELIVERED_TWICE, (
        f"{name} has no 'delivered twice' scenario: add one to DELIVERED_TWICE in {Path(__file__).name}"
    )


def test_every_delivered_twice_case_names_a_task_the_worker_knows():
    assert set(DELIVERED_TWICE) <= set(project_tasks())


@pytest.mark.parametrize("name", sorted(DELIVERED_TWICE))
def test_a_task_delivered_twice_does_its_work_once(name, world):
    world.name = name
    DELIVERED_TWICE[name](world)


# --- A second delivery while the first is still running ---------------------------------------------------------
# Tasks that claim their row (queued -> running) leave a row someone else has claimed alone.


def allocation_already_running(world: World) -> None:
    funded_order(units=100)
    maker(rate=50)
    run = start_run(user=factories.CoordinatorFactory(), province_codes=[], dry_run=False)
    AllocationRun.objects.filter(pk=run.pk).update(status=AllocationRunStatus.RUNNING, progress=40)

    world.deliver(run.pk)

    run.refresh_from_db()
    assert (run.status, run.progress, run.result) == (AllocationRunStatus.RUNNING, 40, {})
    assert not Quota.objects.exists()
    assert world.sms == []


def sheet_batch_already_running(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=3)
    factories.DeliveryLineFactory(delivery__planned_date=day)
    batch = sheet_batch_start(user=factories.CoordinatorFactory(), planned_date=day, province_code="tehran")
    SheetBatch.objects.filter(pk=batch.pk).update(status=SheetBatchStatus.RUNNING, total=1, done=0)

    world.deliver(batch.pk)

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.file.name) == (SheetBatchStatus.RUNNING, 1, 0, "")
    assert media_files() == {}


def thematic_report_already_running(world: World) -> None:
    today = timezone.localdate()
    report = thematic_report_start(
        user=factories.CoordinatorFactory(), province=None, period_start=today - dt.timedelta(days=7), period_end=today
    )
    ThematicReport.objects.filter(pk=report.pk).update(status=ThematicReportStatus.RUNNING, progress=30)

    world.deliver(report.pk)

    report.refresh_from_db()
    assert (report.status, report.progress, report.pdf.name) == (ThematicReportStatus.RUNNING, 30, "")
    assert media_files() == {}


WHILE_RUNNING: dict[str, Callable[[World], None]] = {
    "orders.tasks.run_allocation": allocation_already_running,
    "orders.sheet_tasks.sheet_batch_render": sheet_batch_already_running,
    "reports.tasks.thematic_report_generate": thematic_report_already_running,
}


@pytest.mark.parametrize("name", sorted(WHILE_RUNNING))
def test_a_second_delivery_while_the_first_is_still_running_does_nothing(name, world):
    world.name = name
    WHILE_RUNNING[name](world)


# --- Twins at the same moment (PostgreSQL: row locks) ------------------------------------------------------------
# Tasks that lock their row instead of claiming it: the twin waits for the lock, then finds the work done.


def deliver_twins_at_once(monkeypatch, name: str, ids: list, *, park: tuple[object, str]) -> tuple[list, int]:
    """Two deliveries of ``name(*ids)`` in two threads; the first is parked inside ``park`` (module, function)
    until the second waits for a lock (or has finished). Returns the results and how often ``park`` ran."""
    module, function = park

    def deliver():
        return app.tasks[name].apply(args=ids, throw=True).get()

    with races.Race() as race:
        spot = race.park(monkeypatch, module, function, after=False)
        first = race.start("first delivery", deliver)
        spot.wait_until_reached()
        second = race.start("second delivery", deliver)
        race.wait_until_blocked(second)
        spot.release()
    assert not race.errors, race.errors
    return [first.result, second.result], spot.arrivals


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notification_delivered_twice_at_the_same_moment_is_sent_once(monkeypatch):
    backends.outbox.clear()
    user = factories.UserFactory()
    notification = Notification.objects.create(
        recipient=user,
        channel=NotificationChannel.SMS,
        phone=user.mobile,
        event="test.twins",
        text="یک بار",
        dedupe_key="test-twins",
    )

    results, sends = deliver_twins_at_once(
        monkeypatch, "core.tasks.notification_send", [notification.pk], park=(core_tasks, "deliver")
    )

    assert sorted(results) == sorted([NotificationStatus.SENT, "skipped"])
    assert sends == 1
    assert [message.to for message in backends.outbox] == [user.mobile]
    backends.outbox.clear()


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_receipt_delivered_twice_at_the_same_moment_is_rendered_once(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(outbox, "send", lambda message_id: True)  # the tasks below are the only deliveries
    pledge = factories.PledgeFactory(amount_rials=50_000_000)
    pledge_confirm(
        pledge=pledge,
        actor=factories.CoordinatorFactory(),
        amount_received_rials=50_000_000,
        bank_reference="REF-TWINS",
        received_on=timezone.localdate(),
    )
    receipt = Receipt.objects.get(pledge=pledge)

    results, renders = deliver_twins_at_once(
        monkeypatch, "donors.tasks.receipt_generate", [receipt.pk], park=(receipts, "receipt_pdf")
    )

    assert results == [None, None]
    assert renders == 1
    receipt.refresh_from_db()
    assert list(media_files()) == [receipt.pdf.name]


# --- Acknowledged late, stopped before Redis redelivers ---------------------------------------------------------


def visibility_timeout() -> int:
    return app.conf.broker_transport_options["visibility_timeout"]


@pytest.mark.parametrize("name", sorted(project_tasks()))
def test_every_task_is_acknowledged_only_after_it_has_run(name):
    assert app.tasks[name].acks_late is True


@pytest.mark.parametrize("name", sorted(project_tasks()))
def test_every_task_is_stopped_before_redis_would_hand_it_to_another_worker(name):
    task = app.tasks[name]
    hard = task.time_limit or app.conf.task_time_limit
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    assert hard, f"{name} has no hard time limit"
    assert hard < visibility_timeout()
    assert soft is None or soft < hard  # the soft limit lets the task record its failure first


def run_settings(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "hamdeli.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_refuse_a_visibility_timeout_not_above_the_time_limit():
    result = run_settings(CELERY_VISIBILITY_TIMEOUT="100", CELERY_TASK_TIME_LIMIT="200")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT" in result.stderr


def test_settings_accept_a_visibility_timeout_above_the_time_limit():
    result = run_settings(CELERY_VISIBILITY_TIMEOUT="300", CELERY_TASK_TIME_LIMIT="200")
    assert result.returncode == 0, result.stderr


# --- Tasks take ids ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(project_tasks()))
def test_every_task_takes_ids_not_model_instances(name):
    """A model instance pickled into the queue is stale by the time the worker runs; ids are read fresh."""
    signature = inspect.signature(app.tasks[name].run, eval_str=True)  # a bound task's ``self`` is already bound
    for parameter in signature.parameters.values():
        assert parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD), (
            f"{name}({parameter.name}): a task takes named ids, not *args/**kwargs"
        )
        assert parameter.annotation in (int, str, int | str), (
            f"{name}({parameter.name}: {parameter.annotation}) must take an id (int or str)"
        )
