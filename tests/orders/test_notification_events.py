"""Who hears about quotas and deliveries, and what they read (the memory SMS backend, Celery eager)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from core.notifications import backends
from core.notifications.recipients import coordinators_of
from core.notifications.texts import persian_date, persian_number
from core.site import absolute_url
from core.tasks import notification_send
from fulfilment.models import DeliveryStatus
from fulfilment.receiving_links import confirmation_url
from fulfilment.services.deliveries import delivery_dispatch
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from orders.models import OrderStatus
from production.models import OutputReport, QuotaStatus
from production.notification_tasks import owner_daily_reminders, quota_due_soon_alerts
from production.services.allocation import allocation_commit
from production.services.quotas import quota_offer
from tests import factories

pytestmark = pytest.mark.django_db

EVERY_DAY = 0b1111111  # so the reminders do not depend on the weekday the tests run on


@pytest.fixture(autouse=True)
def outbox():
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


def sent_to(outbox) -> list[str]:
    return sorted(message.to for message in outbox)


def commit(django_capture_on_commit_callbacks):
    """Run the on_commit callbacks (the sending) when the block ends, as a real commit would."""
    return django_capture_on_commit_callbacks(execute=True)


# --- Quota offered ----------------------------------------------------------------------------------------------


def test_an_offered_quota_is_announced_to_the_owner_with_its_size_date_and_link(
    outbox, coordinator, django_capture_on_commit_callbacks
):
    workshop = factories.WorkshopCapacityFactory().workshop
    order = factories.OrderFactory(quantity=300)
    due = timezone.localdate() + dt.timedelta(days=10)
    with commit(django_capture_on_commit_callbacks):
        quota = quota_offer(order=order, workshop=workshop, quantity=250, due_date=due, actor=coordinator)

    (message,) = outbox
    assert message.to == workshop.owner.mobile
    assert persian_number(250) in message.text and persian_date(due) in message.text
    assert absolute_url(reverse("quotas:detail", args=[quota.pk])) in message.text
    assert Notification.objects.get().event == "quota.offered"


def allocation_world(orders: int) -> tuple:
    """``orders`` funded Tehran orders of 100 units each and one workshop able to make them all."""
    workshop = factories.WorkshopCapacityFactory(units_per_day=500).workshop
    for _ in range(orders):
        order = factories.OrderFactory(quantity=100, status=OrderStatus.OPEN)
        factories.fund_order(order)
    return workshop


def test_an_allocation_run_announces_its_offer_to_the_owner(outbox, coordinator, django_capture_on_commit_callbacks):
    workshop = allocation_world(orders=1)
    with commit(django_capture_on_commit_callbacks):
        result = allocation_commit(actor=coordinator, provinces=None)

    (quota,) = result.quotas
    (message,) = outbox
    assert message.to == workshop.owner.mobile
    assert absolute_url(reverse("quotas:detail", args=[quota.pk])) in message.text


def test_an_owner_offered_several_quotas_by_one_run_gets_one_message_with_their_count(
    outbox, coordinator, django_capture_on_commit_callbacks
):
    workshop = allocation_world(orders=3)
    with commit(django_capture_on_commit_callbacks):
        result = allocation_commit(actor=coordinator, provinces=None)

    assert len(result.quotas) == 3
    (message,) = outbox
    assert message.to == workshop.owner.mobile
    assert persian_number(3) in message.text
    assert absolute_url(reverse("quotas:inbox")) in message.text


def test_no_message_when_the_offer_is_rolled_back(outbox, coordinator, django_capture_on_commit_callbacks):
    workshop = factories.WorkshopCapacityFactory().workshop
    order = factories.OrderFactory()
    with commit(django_capture_on_commit_callbacks), pytest.raises(RuntimeError), transaction.atomic():
        quota_offer(order=order, workshop=workshop, quantity=50, due_date=order.needed_by, actor=coordinator)
        raise RuntimeError("the allocation failed half-way")
    assert outbox == []
    assert not Notification.objects.exists()


def test_an_owner_who_chose_email_gets_the_offer_by_email(outbox, coordinator, django_capture_on_commit_callbacks):
    workshop = factories.WorkshopCapacityFactory(
        workshop__owner__notify_by_sms=False, workshop__owner__notify_by_email=True, workshop__owner__email="o@ex.ir"
    ).workshop
    order = factories.OrderFactory()
    with commit(django_capture_on_commit_callbacks):
        quota_offer(order=order, workshop=workshop, quantity=50, due_date=order.needed_by, actor=coordinator)
    assert outbox == []
    assert [message.to for message in mail.outbox] == [["o@ex.ir"]]


def test_the_send_task_delivered_twice_sends_the_offer_once(outbox, coordinator, django_capture_on_commit_callbacks):
    workshop = factories.WorkshopCapacityFactory().workshop
    order = factories.OrderFactory()
    with commit(django_capture_on_commit_callbacks):
        quota_offer(order=order, workshop=workshop, quantity=50, due_date=order.needed_by, actor=coordinator)
    notification_send.delay(Notification.objects.get().pk)  # the broker redelivers it
    assert len(outbox) == 1


# --- Deliveries ---------------------------------------------------------------------------------------------------


def planned_delivery(units: int = 20, **center):
    delivery = factories.DeliveryFactory(health_center=factories.HealthCenterFactory(**center))
    factories.DeliveryLineFactory(delivery=delivery, units=units)
    return delivery


def test_a_dispatched_delivery_sends_the_confirmation_link_to_the_centers_staff_and_mobile(
    outbox, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    # The link carries a signed timestamp: with the clock pinned, the link made here to compare with is the one
    # sent (otherwise the test fails whenever a second ticks between the two).
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda signer: "1pinned")
    delivery = planned_delivery(35, phone="09127654321")
    staff = factories.HealthCenterStaffFactory(health_center=delivery.health_center)
    factories.HealthCenterStaffFactory()  # another center's staff hears nothing
    with commit(django_capture_on_commit_callbacks):
        delivery_dispatch(delivery=delivery, actor=coordinator)

    assert sent_to(outbox) == sorted([staff.mobile, "09127654321"])
    for message in outbox:
        assert confirmation_url(delivery) in message.text
        assert persian_number(35) in message.text and delivery.short_code in message.text
    center_row = Notification.objects.get(recipient=None)
    assert (center_row.phone, center_row.event) == ("09127654321", "delivery.dispatched")


def test_a_center_with_a_landline_is_reached_only_through_its_staff(
    outbox, coordinator, django_capture_on_commit_callbacks
):
    delivery = planned_delivery(phone="02166000000")
    staff = factories.HealthCenterStaffFactory(health_center=delivery.health_center)
    with commit(django_capture_on_commit_callbacks):
        delivery_dispatch(delivery=delivery, actor=coordinator)
    assert sent_to(outbox) == [staff.mobile]


def test_a_double_click_on_dispatch_sends_one_message(outbox, coordinator, django_capture_on_commit_callbacks):
    delivery = planned_delivery(phone="09127654321")
    with commit(django_capture_on_commit_callbacks):
        delivery_dispatch(delivery=delivery, actor=coordinator)
        delivery_dispatch(delivery=delivery, actor=coordinator)
    assert sent_to(outbox) == ["09127654321"]


def test_a_disputed_delivery_alerts_the_coordinators_of_its_province_only(
    outbox, coordinator, other_coordinator, django_capture_on_commit_callbacks
):
    delivery = planned_delivery(20)
    delivery_dispatch(delivery=delivery, actor=coordinator)  # only a dispatched delivery is answered
    line = delivery.lines.get()
    with commit(django_capture_on_commit_callbacks):
        delivery_confirm(delivery=delivery, lines={line.pk: ReceivedLine(18)}, receiver_name="مریم احمدی")

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISPUTED
    tehran = sorted(user.mobile for user in coordinators_of(delivery.health_center.province))
    assert coordinator.mobile in tehran
    assert sent_to(outbox) == tehran
    assert other_coordinator.mobile not in sent_to(outbox)
    assert all(delivery.code in message.text for message in outbox)
    assert all(absolute_url(reverse("deliveries:detail", args=[delivery.pk])) in m.text for m in outbox)


def test_a_delivery_confirmed_in_full_alerts_nobody(outbox, coordinator, django_capture_on_commit_callbacks):
    delivery = planned_delivery(20)
    delivery_dispatch(delivery=delivery, actor=coordinator)  # only a dispatched delivery is answered
    line = delivery.lines.get()
    with commit(django_capture_on_commit_callbacks):
        delivery_confirm(delivery=delivery, lines={line.pk: ReceivedLine(20)}, receiver_name="مریم احمدی")
    assert outbox == []


# --- Evening reminder ---------------------------------------------------------------------------------------------


def active_quota(**kwargs):
    """An accepted quota of 100 units (none made yet) of a workshop that works every day."""
    return factories.QuotaFactory(**{"workshop__working_weekdays": EVERY_DAY, **kwargs})


def test_owners_who_have_not_reported_today_are_reminded_once(outbox, django_capture_on_commit_callbacks):
    silent = active_quota()
    reported = active_quota()
    OutputReport.objects.create(
        quota=reported,
        report_date=timezone.localdate(),
        quantity=5,
        idempotency_key="00000000-0000-0000-0000-000000000001",
        reported_by=reported.workshop.owner,
    )
    active_quota(status=QuotaStatus.OFFERED)  # not accepted yet: nothing to report
    active_quota(produced_units=100)  # finished

    with commit(django_capture_on_commit_callbacks):
        owner_daily_reminders.delay()
        owner_daily_reminders.delay()  # beat fired twice

    assert sent_to(outbox) == [silent.workshop.owner.mobile]
    assert absolute_url(reverse("quotas:inbox")) in outbox[0].text


def test_an_owner_who_opted_out_gets_no_reminder(outbox, django_capture_on_commit_callbacks):
    active_quota(workshop__owner__reminders_opt_out=True)
    with commit(django_capture_on_commit_callbacks):
        owner_daily_reminders.delay()
    assert outbox == []


def test_no_reminder_on_the_workshops_day_off(outbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    active_quota(workshop__working_weekdays=EVERY_DAY & ~(1 << today.weekday()))
    with commit(django_capture_on_commit_callbacks):
        owner_daily_reminders.delay()
    assert outbox == []


# --- Due in two days and behind pace ------------------------------------------------------------------------------


def quota_due_in_two_days(produced: int):
    return active_quota(
        due_date=timezone.localdate() + dt.timedelta(days=2),
        responded_at=timezone.now() - dt.timedelta(days=10),
        produced_units=produced,
    )


def test_a_quota_behind_pace_two_days_before_it_is_due_alerts_its_owner_and_coordinators(
    outbox, coordinator, other_coordinator, django_capture_on_commit_callbacks
):
    behind = quota_due_in_two_days(produced=20)
    quota_due_in_two_days(produced=95)  # on pace: no alert
    with commit(django_capture_on_commit_callbacks):
        quota_due_soon_alerts.delay()
        quota_due_soon_alerts.delay()

    coordinators = [user.mobile for user in coordinators_of(behind.workshop.province)]
    assert coordinator.mobile in coordinators
    assert sent_to(outbox) == sorted([behind.workshop.owner.mobile, *coordinators])
    assert other_coordinator.mobile not in sent_to(outbox)
    for message in outbox:
        assert persian_number(20) in message.text and persian_date(behind.due_date) in message.text
    to_coordinator = next(m for m in outbox if m.to == coordinator.mobile)
    assert behind.order.number in to_coordinator.text
