"""Proof of delivery as services: confirm or dispute, refuse a second answer, and the orders it delivers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from core.models import AuditLog
from fulfilment.models import Delivery, DeliveryStatus
from fulfilment.selectors.progress import order_delivery_progress, quota_delivery_lines, with_delivered_units
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from orders.models import Order, OrderStatus
from tests import factories

pytestmark = pytest.mark.django_db


def delivery_for(order: Order, *units: int, **kwargs) -> Delivery:
    """A delivery to the order's center with one line per ``units``, each from its own quota of the order."""
    kwargs.setdefault("status", DeliveryStatus.DISPATCHED)  # only a dispatched delivery can be answered
    delivery = factories.DeliveryFactory(health_center=order.health_center, **kwargs)
    for amount in units:
        quota = factories.QuotaFactory(
            order=order,
            quantity=max(amount, 100),
            produced_units=amount,
            collected_units=amount,
            accepted_units=amount,
            delivered_units=amount,
        )
        factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=amount)
    return delivery


def all_received(delivery: Delivery) -> dict[int, ReceivedLine]:
    return {line.pk: ReceivedLine(line.units, 0, "") for line in delivery.lines.all()}


@pytest.fixture(autouse=True)
def _english_messages():
    """The refusals are read in English here, whatever language an earlier test left active."""
    with override("en"):
        yield


@pytest.fixture
def order():
    return factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100)


def test_a_delivery_received_in_full_is_confirmed_with_the_receivers_name(order):
    delivery = delivery_for(order, 60, 40)

    delivery = delivery_confirm(
        delivery=delivery, lines=all_received(delivery), receiver_name=" مریم   احمدی ", receiver_role="انباردار"
    )

    assert delivery.status == DeliveryStatus.CONFIRMED
    assert delivery.receiver_name == "مریم احمدی"
    assert delivery.receiver_role == "انباردار"
    assert delivery.confirmed_at is not None
    assert delivery.confirmed_by is None
    assert [line.received_units for line in delivery.lines.order_by("id")] == [60, 40]


def test_a_shortfall_or_a_rejection_makes_the_delivery_disputed(order):
    delivery = delivery_for(order, 60, 40)
    first, second = delivery.lines.order_by("id")

    delivery = delivery_confirm(
        delivery=delivery,
        lines={first.pk: ReceivedLine(55, 0, ""), second.pk: ReceivedLine(40, 3, "پارگی")},
        receiver_name="مریم احمدی",
        receiver_role="",
    )

    assert delivery.status == DeliveryStatus.DISPUTED
    second.refresh_from_db()
    assert (second.received_units, second.rejected_units, second.reject_reason) == (40, 3, "پارگی")


def test_the_confirmation_is_audited_without_an_actor_and_with_the_receivers_name(order):
    delivery = delivery_for(order, 30)

    delivery_confirm(delivery=delivery, lines=all_received(delivery), receiver_name="مریم احمدی")

    entry = AuditLog.objects.get(action="delivery.confirmed", object_id=str(delivery.pk))
    assert entry.actor is None
    assert entry.changes["receiver_name"] == ["", "مریم احمدی"]
    assert entry.changes["status"] == ["dispatched", "confirmed"]


@pytest.mark.parametrize(
    ("answer", "field", "words"),
    [
        (ReceivedLine(41, 0, ""), "received_units", "Only 40 units were sent"),
        (ReceivedLine(30, 31, "خیس"), "rejected_units", "Only 30 units were received"),
        (ReceivedLine(40, 2, ""), "reject_reason", "Say why 2 units were rejected"),
    ],
)
def test_impossible_counts_are_refused_with_the_numbers(order, answer, field, words):
    delivery = delivery_for(order, 40)
    line = delivery.lines.get()

    with override("en"), pytest.raises(ValidationError) as refused:
        delivery_confirm(delivery=delivery, lines={line.pk: answer}, receiver_name="مریم")

    assert words in refused.value.message_dict[f"{field}_{line.pk}"][0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISPATCHED


def test_every_line_must_be_answered_and_the_receiver_named(order):
    delivery = delivery_for(order, 60, 40)
    first, second = delivery.lines.order_by("id")

    with pytest.raises(ValidationError) as refused:
        delivery_confirm(delivery=delivery, lines={first.pk: ReceivedLine(60)}, receiver_name="  ")

    assert f"received_units_{second.pk}" in refused.value.message_dict
    assert "receiver_name" in refused.value.message_dict
    first.refresh_from_db()
    assert first.received_units is None


def test_a_second_answer_is_refused_politely_and_counts_nothing_twice(order):
    delivery = delivery_for(order, 60)
    line = delivery.lines.get()
    delivery_confirm(delivery=delivery, lines={line.pk: ReceivedLine(50)}, receiver_name="مریم احمدی")

    with pytest.raises(ValidationError) as refused:
        delivery_confirm(delivery=delivery, lines={line.pk: ReceivedLine(60)}, receiver_name="کس دیگر")

    assert "already answered" in refused.value.messages[0]
    assert "مریم احمدی" in refused.value.messages[0]
    assert "nothing was changed" in refused.value.messages[0]
    line.refresh_from_db()
    assert line.received_units == 50
    assert order_delivery_progress(order).received == 50
    assert AuditLog.objects.filter(object_id=str(delivery.pk), action__startswith="delivery.").count() == 1


def test_a_confirmed_delivery_stays_read_only(order):
    delivery = delivery_for(order, 60)
    delivery_confirm(delivery=delivery, lines=all_received(delivery), receiver_name="مریم احمدی")
    delivery.refresh_from_db()

    assert delivery.is_read_only
    with pytest.raises(ValidationError, match=r"already confirmed on .* by مریم احمدی; nothing was changed"):
        delivery_confirm(delivery=delivery, lines=all_received(delivery), receiver_name="کس دیگر")


def test_a_cancelled_delivery_cannot_be_confirmed(order):
    delivery = delivery_for(order, 60, status=DeliveryStatus.CANCELLED, cancel_reason="خودرو نرسید")

    with pytest.raises(ValidationError, match="cancelled"):
        delivery_confirm(delivery=delivery, lines=all_received(delivery), receiver_name="مریم")


@pytest.mark.parametrize("status", [DeliveryStatus.DISPATCHED, DeliveryStatus.DELIVERED])
def test_the_receiver_may_answer_once_the_delivery_is_dispatched_even_before_it_is_marked_delivered(order, status):
    delivery = delivery_for(order, 60, status=status)

    assert delivery_confirm(delivery=delivery, lines=all_received(delivery), receiver_name="مریم").status == (
        DeliveryStatus.CONFIRMED
    )


def test_staff_of_the_center_confirm_in_the_app_and_are_recorded(order):
    delivery = delivery_for(order, 60)
    staff = factories.HealthCenterStaffFactory(health_center=order.health_center)

    delivery = delivery_confirm(delivery=delivery, lines=all_received(delivery), receiver_name="x", actor=staff)

    assert delivery.confirmed_by == staff
    assert AuditLog.objects.get(action="delivery.confirmed").actor == staff


def test_staff_of_another_center_may_not_confirm(order):
    delivery = delivery_for(order, 60)
    stranger = factories.HealthCenterStaffFactory()

    with pytest.raises(PermissionDenied):
        delivery_confirm(delivery=delivery, lines=all_received(delivery), receiver_name="x", actor=stranger)


def test_the_order_becomes_delivered_once_the_receivers_accepted_its_whole_quantity(order):
    first = delivery_for(order, 60)
    delivery_confirm(delivery=first, lines=all_received(first), receiver_name="مریم")
    order.refresh_from_db()

    progress = order_delivery_progress(order)
    assert order.status == OrderStatus.IN_PRODUCTION
    assert (progress.received, progress.delivered, progress.is_partly_delivered) == (60, 60, True)

    second = delivery_for(order, 40)
    delivery_confirm(delivery=second, lines=all_received(second), receiver_name="مریم")
    order.refresh_from_db()

    assert order.status == OrderStatus.DELIVERED
    assert order_delivery_progress(order).is_fully_delivered
    assert AuditLog.objects.filter(action="order.delivered", object_id=str(order.pk)).count() == 1


def test_rejected_units_do_not_count_as_delivered(order):
    delivery = delivery_for(order, 100)
    line = delivery.lines.get()

    delivery_confirm(delivery=delivery, lines={line.pk: ReceivedLine(100, 5, "کثیف")}, receiver_name="مریم")
    order.refresh_from_db()

    progress = order_delivery_progress(order)
    assert (progress.on_deliveries, progress.received, progress.rejected, progress.delivered) == (100, 100, 5, 95)
    assert progress.is_partly_delivered and not progress.is_fully_delivered
    assert order.status == OrderStatus.IN_PRODUCTION


def test_lists_and_traces_see_the_same_delivered_units(order):
    delivery = delivery_for(order, 70)
    delivery_for(order, 30)  # still on its way: on a delivery, not delivered
    line = delivery.lines.get()
    delivery_confirm(delivery=delivery, lines={line.pk: ReceivedLine(70, 10, "پارگی")}, receiver_name="مریم")

    annotated = with_delivered_units(Order.objects.filter(pk=order.pk)).get()
    assert (annotated.on_delivery_units, annotated.delivered_units) == (100, 60)
    traced = list(quota_delivery_lines(line.quota))
    assert [(item.delivery.code, item.received_units, item.rejected_units) for item in traced] == [
        (delivery.code, 70, 10)
    ]
