"""An allocation run's owners hear after it commits, from one bulk task: never before, never after a rollback."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import Notification, NotificationStatus, OutboxMessage
from core.notifications import backends
from core.outbox import flush
from orders.models import OrderStatus
from production.models import QuotaStatus
from production.notification_tasks import id_ranges, ids_from_ranges, quota_offers_notify
from production.services.allocation import allocation_commit
from tests import factories

from ..brokers import broker_at

pytestmark = pytest.mark.django_db


def offer_messages():
    return Notification.objects.filter(event="quota.offered")  # funding the orders tells their donors too


BULK_TASK = "orders.notification_tasks.quota_offers_notify"
SEND_TASK = "core.tasks.notification_send"
UNREACHABLE_BROKER = "redis://127.0.0.1:9/0"  # nothing listens on the discard port: like a stopped Redis


@pytest.fixture(autouse=True)
def outbox():
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


def funded_orders_for(workshops: int, orders_each: int = 1) -> list:
    """``workshops`` Tehran mask workshops, and ``workshops * orders_each`` funded 100-unit orders for them."""
    shops = [factories.WorkshopCapacityFactory(units_per_day=500).workshop for _ in range(workshops)]
    for _ in range(workshops * orders_each):
        factories.fund_order(factories.OrderFactory(quantity=100, status=OrderStatus.OPEN))
    return shops


def offered_quotas(owners: int, each: int = 1) -> list:
    """Offers already written, as a run leaves them: ``each`` offered quotas for each of ``owners`` workshops."""
    quotas = []
    for _ in range(owners):
        workshop = factories.WorkshopFactory()
        quotas.extend(
            factories.QuotaFactory(workshop=workshop, status=QuotaStatus.OFFERED, responded_at=None)
            for _ in range(each)
        )
    return quotas


def test_no_message_exists_until_the_run_commits(coordinator, outbox, django_capture_on_commit_callbacks):
    funded_orders_for(workshops=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = allocation_commit(actor=coordinator, provinces=None)

    assert result.quotas
    assert not offer_messages().exists()
    assert OutboxMessage.objects.filter(task_name=BULK_TASK).count() == 1

    for callback in callbacks:  # the commit happens: the bulk task runs, then the sends
        with django_capture_on_commit_callbacks(execute=True):
            callback()
    (notification,) = offer_messages()
    assert notification.status == NotificationStatus.SENT
    assert [message.to for message in outbox] == [result.quotas[0].workshop.owner.mobile]


def test_a_run_that_rolls_back_records_and_sends_nothing(coordinator, outbox, django_capture_on_commit_callbacks):
    funded_orders_for(workshops=2)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        allocation_commit(actor=coordinator, provinces=None)
        raise RuntimeError("the worker died before the commit")

    assert callbacks == []
    assert not offer_messages().exists()
    assert not OutboxMessage.objects.filter(task_name=BULK_TASK).exists()
    assert outbox == []


def test_an_owner_offered_three_quotas_by_a_run_gets_one_message(
    coordinator, outbox, django_capture_on_commit_callbacks
):
    (workshop,) = funded_orders_for(workshops=1, orders_each=3)
    with django_capture_on_commit_callbacks(execute=True):
        result = allocation_commit(actor=coordinator, provinces=None)

    assert len(result.quotas) == 3
    (notification,) = offer_messages()
    assert notification.recipient == workshop.owner
    pks = sorted(quota.pk for quota in result.quotas)
    assert notification.dedupe_key == f"quotas.offered:{pks[0]}-{pks[-1]}:3:u{workshop.owner.pk}:sms"
    assert [message.to for message in outbox] == [workshop.owner.mobile]


def test_a_run_writes_one_outbox_message_however_many_owners_it_offers_to(
    coordinator, django_capture_on_commit_callbacks
):
    funded_orders_for(workshops=4)
    with django_capture_on_commit_callbacks(execute=False):
        result = allocation_commit(actor=coordinator, provinces=None)

    assert len({quota.workshop_id for quota in result.quotas}) > 1
    (message,) = OutboxMessage.objects.filter(task_name=BULK_TASK)
    assert message.task_name == BULK_TASK
    assert ids_from_ranges(message.args[0]) == sorted(quota.pk for quota in result.quotas)


def bulk_task_queries(quotas, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
        quota_offers_notify(id_ranges(quota.pk for quota in quotas))
    return len(queries)


def test_the_bulk_task_records_every_owners_message_in_a_number_of_queries_that_does_not_grow_with_the_owners(
    django_capture_on_commit_callbacks,
):
    few = bulk_task_queries(offered_quotas(owners=2), django_capture_on_commit_callbacks)
    many = bulk_task_queries(offered_quotas(owners=12, each=2), django_capture_on_commit_callbacks)

    assert many == few
    assert offer_messages().count() == 2 + 12
    # Each message still goes out through its own send task (its retries are per message), queued in one insert.
    assert OutboxMessage.objects.filter(task_name=SEND_TASK).count() == 2 + 12


def test_the_bulk_task_delivered_twice_records_nothing_new(outbox, django_capture_on_commit_callbacks):
    quotas = offered_quotas(owners=3, each=2)
    ranges = id_ranges(quota.pk for quota in quotas)
    with django_capture_on_commit_callbacks(execute=True):
        assert quota_offers_notify(ranges) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert quota_offers_notify(ranges) == 0  # the broker delivered it again

    assert offer_messages().count() == 3
    assert len(outbox) == 3


def test_a_single_offer_keeps_its_own_text_and_key(outbox, django_capture_on_commit_callbacks):
    (quota,) = offered_quotas(owners=1)
    with django_capture_on_commit_callbacks(execute=True):
        quota_offers_notify(id_ranges([quota.pk]))

    notification = offer_messages().get()
    assert notification.dedupe_key == f"quota.offered:{quota.pk}:u{quota.workshop.owner_id}:sms"
    assert f"/{quota.pk}/" in notification.text


def test_messages_the_broker_could_not_take_wait_in_the_outbox_and_the_sweep_sends_them(
    outbox, django_capture_on_commit_callbacks
):
    quotas = offered_quotas(owners=3)
    with broker_at(UNREACHABLE_BROKER), django_capture_on_commit_callbacks(execute=True):
        quota_offers_notify(id_ranges(quota.pk for quota in quotas))

    waiting = OutboxMessage.objects.filter(task_name=SEND_TASK, sent_at__isnull=True)
    assert waiting.count() == 3
    assert all(message.attempts == 1 and message.last_error for message in waiting)
    assert set(offer_messages().values_list("status", flat=True)) == {NotificationStatus.QUEUED}

    flush(grace=dt.timedelta(0))  # the broker is back (eager here): the sweep hands them over

    assert set(offer_messages().values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert len(outbox) == 3


def test_quota_ids_travel_as_ranges():
    assert id_ranges([7, 3, 4, 5, 9, 10, 5]) == "3-5,7,9-10"
    assert ids_from_ranges("3-5,7,9-10") == [3, 4, 5, 7, 9, 10]
    assert ids_from_ranges("") == []


def test_an_announcement_the_broker_lost_is_sent_again_by_the_sweep_and_only_once(
    django_capture_on_commit_callbacks,
):
    from django.utils import timezone

    from core.task_claims import resend_lost

    quotas = offered_quotas(owners=3, each=2)
    long_ago = timezone.now() - dt.timedelta(hours=2)
    # As a run leaves it when Redis took the task and then lost it: handed over, never run, nothing recorded.
    OutboxMessage.objects.create(task_name=BULK_TASK, args=[id_ranges(q.pk for q in quotas)], sent_at=long_ago)
    assert not offer_messages().exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert resend_lost() == 1
    assert offer_messages().values("recipient").distinct().count() == 3
    assert resend_lost() == 0  # announced now: nothing more to rescue


def test_a_recent_announcement_is_left_to_its_first_delivery():
    from django.utils import timezone

    from core.task_claims import resend_lost

    quotas = offered_quotas(owners=1)
    OutboxMessage.objects.create(task_name=BULK_TASK, args=[id_ranges(q.pk for q in quotas)], sent_at=timezone.now())
    assert resend_lost() == 0
    assert not offer_messages().exists()
