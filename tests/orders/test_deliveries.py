"""The rules of the delivery services: what may go on a delivery, the lifecycle, cancelling gives units back."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation

from core.jalali import jalali_year
from core.models import AuditLog
from fulfilment.models import Delivery, DeliveryStatus
from fulfilment.selectors.deliveries import deliverable_quotas, ready_health_centers
from fulfilment.services.deliveries import (
    delivery_cancel,
    delivery_create,
    delivery_dispatch,
    delivery_mark_delivered,
    delivery_update,
)
from production.models import Quota

from .. import factories, races

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def accepted_quota(accepted: int = 40, *, health_center=None, produced: int | None = None, **kwargs) -> Quota:
    """An accepted quota with ``accepted`` units collected and passed (produced >= collected >= accepted)."""
    order_kwargs = {"order__health_center": health_center} if health_center else {}
    return factories.QuotaFactory(
        accepted_units=accepted, produced_units=produced if produced is not None else accepted, **order_kwargs, **kwargs
    )


def create(quota_units, actor, **kwargs) -> Delivery:
    health_center = quota_units[0][0].order.health_center
    kwargs.setdefault("courier_name", "علی پیک")
    return delivery_create(health_center=health_center, planned_date=TOMORROW, lines=quota_units, actor=actor, **kwargs)


def refreshed(quota: Quota) -> Quota:
    quota.refresh_from_db()
    return quota


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- Creating -----------------------------------------------------------------------------------------------


def test_a_delivery_gets_a_dlv_number_and_puts_its_units_on_the_quotas(coordinator):
    quota = accepted_quota(40)
    delivery = create([(quota, 30)], coordinator)
    year = jalali_year(timezone.localdate())
    assert delivery.code.startswith(f"DLV-{year}-")
    assert delivery.status == DeliveryStatus.PLANNED
    assert [(line.quota_id, line.units) for line in delivery.lines.all()] == [(quota.pk, 30)]
    assert refreshed(quota).delivered_units == 30
    assert AuditLog.objects.filter(action="delivery.created", object_id=str(delivery.pk)).exists()


def test_a_delivery_may_group_several_quotas_of_one_health_center(coordinator):
    first = accepted_quota(40)
    second = accepted_quota(25, health_center=first.order.health_center)
    delivery = create([(first, 40), (second, 10)], coordinator)
    assert sorted(line.units for line in delivery.lines.all()) == [10, 40]
    assert refreshed(first).delivered_units == 40
    assert refreshed(second).delivered_units == 10


def test_a_line_cannot_exceed_accepted_undelivered_units(coordinator):
    quota = accepted_quota(40)
    create([(quota, 10)], coordinator)
    with pytest.raises(ValidationError) as error:
        create([(quota, 31)], coordinator)
    assert error.value.message_dict == {
        f"units_{quota.pk}": [f"Only 30 accepted units of {quota.order.number} are not yet on a delivery."]
    }
    assert refreshed(quota).delivered_units == 10
    assert Delivery.objects.count() == 1


def test_units_produced_but_not_accepted_cannot_be_delivered(coordinator):
    quota = accepted_quota(10, produced=80)
    with pytest.raises(ValidationError, match="Only 10 accepted units"):
        create([(quota, 11)], coordinator)


def test_units_cannot_be_delivered_twice(coordinator):
    quota = accepted_quota(20)
    create([(quota, 20)], coordinator)
    with pytest.raises(ValidationError, match=r"No accepted unit of .* is left to deliver"):
        create([(quota, 1)], coordinator)
    assert refreshed(quota).delivered_units == 20


def test_two_deliveries_competing_for_the_same_units_get_them_once(coordinator, national_coordinator):
    """Both coordinators opened the form when 40 units were free; the second save reads the locked quota again."""
    quota = accepted_quota(40)
    stale_copy = Quota.objects.get(pk=quota.pk)
    create([(quota, 30)], coordinator)
    with pytest.raises(ValidationError, match="Only 10 accepted units"):
        create([(stale_copy, 30)], national_coordinator)
    assert refreshed(quota).delivered_units == 30
    assert Delivery.objects.count() == 1


def test_a_quota_of_another_health_centers_order_is_refused(coordinator):
    ours = accepted_quota(10)
    theirs = accepted_quota(10)
    with pytest.raises(ValidationError, match="an order of another health center"):
        create([(ours, 5), (theirs, 5)], coordinator)
    assert refreshed(ours).delivered_units == 0
    assert refreshed(theirs).delivered_units == 0


def test_a_delivery_without_lines_is_refused(coordinator):
    center = factories.HealthCenterFactory()
    with pytest.raises(ValidationError, match="at least one unit"):
        delivery_create(health_center=center, planned_date=TOMORROW, lines=[], actor=coordinator)


def test_the_same_quota_twice_is_refused(coordinator):
    quota = accepted_quota(40)
    with pytest.raises(ValidationError, match="appear twice"):
        create([(quota, 10), (quota, 10)], coordinator)
    assert refreshed(quota).delivered_units == 0


def test_zero_units_on_a_line_are_refused(coordinator):
    quota = accepted_quota(40)
    with pytest.raises(ValidationError, match="at least 1"):
        create([(quota, 0)], coordinator)


def test_only_a_coordinator_of_the_health_centers_province_may_plan_a_delivery(other_coordinator, owner):
    quota = accepted_quota(10)
    for actor in (other_coordinator, owner):
        with pytest.raises(PermissionDenied):
            create([(quota, 5)], actor)
    assert refreshed(quota).delivered_units == 0


def test_a_national_coordinator_may_plan_any_delivery(national_coordinator):
    quota = accepted_quota(10)
    assert create([(quota, 5)], national_coordinator).lines.count() == 1


# --- What is ready ------------------------------------------------------------------------------------------


def test_deliverable_quotas_show_accepted_less_delivered(coordinator):
    quota = accepted_quota(40)
    accepted_quota(0, health_center=quota.order.health_center, produced=50)  # nothing accepted yet
    create([(quota, 15)], coordinator)
    rows = list(deliverable_quotas(quota.order.health_center))
    assert [(row.pk, row.deliverable_units) for row in rows] == [(quota.pk, 25)]


def test_ready_health_centers_are_scoped_and_totalled(coordinator, other_coordinator):
    quota = accepted_quota(40)
    accepted_quota(5, health_center=quota.order.health_center)
    factories.HealthCenterFactory()  # nothing to deliver
    centers = list(ready_health_centers(coordinator))
    assert [(center.pk, center.ready_units, center.ready_orders) for center in centers] == [
        (quota.order.health_center.pk, 45, 2)
    ]
    assert list(ready_health_centers(other_coordinator)) == []


# --- Lifecycle ----------------------------------------------------------------------------------------------


def test_planned_dispatched_delivered(coordinator):
    delivery = create([(accepted_quota(10), 10)], coordinator)
    delivery = delivery_dispatch(delivery=delivery, actor=coordinator)
    assert delivery.status == DeliveryStatus.DISPATCHED
    assert delivery.dispatched_at is not None
    delivery = delivery_mark_delivered(delivery=delivery, actor=coordinator)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.delivered_at is not None
    actions = set(AuditLog.objects.filter(object_id=str(delivery.pk)).values_list("action", flat=True))
    assert {"delivery.created", "delivery.dispatched", "delivery.delivered"} <= actions


def test_dispatching_needs_the_couriers_name(coordinator):
    delivery = create([(accepted_quota(10), 10)], coordinator, courier_name="")
    with pytest.raises(ValidationError, match="courier's name"):
        delivery_dispatch(delivery=delivery, actor=coordinator)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PLANNED


def test_a_planned_delivery_cannot_be_marked_delivered(coordinator):
    delivery = create([(accepted_quota(10), 10)], coordinator)
    with pytest.raises(ValidationError, match="is planned; it cannot be marked delivered"):
        delivery_mark_delivered(delivery=delivery, actor=coordinator)


def test_a_double_click_on_dispatch_changes_nothing_the_second_time(coordinator):
    delivery = create([(accepted_quota(10), 10)], coordinator)
    first = delivery_dispatch(delivery=delivery, actor=coordinator)
    second = delivery_dispatch(delivery=delivery, actor=coordinator)  # the stale object still says "planned"
    assert second.dispatched_at == first.dispatched_at
    assert AuditLog.objects.filter(action="delivery.dispatched", object_id=str(delivery.pk)).count() == 1


def test_a_delivered_delivery_cannot_be_dispatched_again_or_cancelled(coordinator):
    delivery = create([(accepted_quota(10), 10)], coordinator)
    delivery_dispatch(delivery=delivery, actor=coordinator)
    delivery_mark_delivered(delivery=delivery, actor=coordinator)
    with pytest.raises(ValidationError, match="is delivered; it cannot be dispatched"):
        delivery_dispatch(delivery=delivery, actor=coordinator)
    with pytest.raises(ValidationError, match="is delivered; it cannot be cancelled"):
        delivery_cancel(delivery=delivery, actor=coordinator, reason="اشتباه")


def test_another_provinces_coordinator_cannot_move_a_delivery(coordinator, other_coordinator):
    delivery = create([(accepted_quota(10), 10)], coordinator)
    with pytest.raises(PermissionDenied):
        delivery_dispatch(delivery=delivery, actor=other_coordinator)


# --- Editing ------------------------------------------------------------------------------------------------


def test_a_planned_delivery_can_be_edited_and_the_change_is_logged(coordinator):
    delivery = create([(accepted_quota(10), 10)], coordinator)
    later = TOMORROW + dt.timedelta(days=2)
    delivery = delivery_update(delivery=delivery, actor=coordinator, planned_date=later, vehicle="وانت ۱۲ب۳۴۵")
    delivery.refresh_from_db()
    assert (delivery.planned_date, delivery.vehicle) == (later, "وانت ۱۲ب۳۴۵")
    entry = AuditLog.objects.get(action="delivery.updated", object_id=str(delivery.pk))
    assert entry.changes["planned_date"] == [TOMORROW.isoformat(), later.isoformat()]


def test_a_dispatched_delivery_cannot_be_edited(coordinator):
    delivery = create([(accepted_quota(10), 10)], coordinator)
    delivery_dispatch(delivery=delivery, actor=coordinator)
    with pytest.raises(ValidationError, match="only a planned delivery can be changed"):
        delivery_update(delivery=delivery, actor=coordinator, vehicle="پراید")


# --- Cancelling ---------------------------------------------------------------------------------------------


def test_cancelling_gives_the_units_back(coordinator):
    quota = accepted_quota(40)
    delivery = create([(quota, 30)], coordinator)
    delivery_cancel(delivery=delivery, actor=coordinator, reason="خودرو خراب شد")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.cancel_reason == "خودرو خراب شد"
    assert refreshed(quota).delivered_units == 0
    assert deliverable_quotas(quota.order.health_center).get().deliverable_units == 40


def test_a_dispatched_delivery_can_be_cancelled_too(coordinator):
    quota = accepted_quota(40)
    delivery = create([(quota, 40)], coordinator)
    delivery_dispatch(delivery=delivery, actor=coordinator)
    delivery_cancel(delivery=delivery, actor=coordinator, reason="برگشت خورد")
    assert refreshed(quota).delivered_units == 0


def test_cancelling_twice_gives_the_units_back_once(coordinator):
    quota = accepted_quota(40)
    first = create([(quota, 30)], coordinator)
    create([(quota, 10)], coordinator)
    delivery_cancel(delivery=first, actor=coordinator, reason="تکراری")
    delivery_cancel(delivery=first, actor=coordinator, reason="تکراری")
    assert refreshed(quota).delivered_units == 10


def test_cancelling_needs_a_reason(coordinator):
    quota = accepted_quota(40)
    delivery = create([(quota, 30)], coordinator)
    with pytest.raises(ValidationError) as error:
        delivery_cancel(delivery=delivery, actor=coordinator, reason="  ")
    assert "reason" in error.value.message_dict
    assert refreshed(quota).delivered_units == 30


# --- Two coordinators at the same moment (PostgreSQL) -------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_saving_at_once_cannot_both_take_the_same_units(coordinator, national_coordinator):
    """The first save holds the quota's lock; the second waits, then reads 10 free units, not 40, and is refused."""
    quota = accepted_quota(40)
    with races.Race(language="en") as race:  # refusals are read in English
        saved = race.spot("the first save, before its commit")

        def first():
            with transaction.atomic():
                create([(Quota.objects.get(pk=quota.pk), 30)], coordinator)
                saved.arrive()

        def second():
            create([(Quota.objects.get(pk=quota.pk), 30)], national_coordinator)

        race.start("first", first)
        saved.wait_until_reached()
        second_caller = race.start("second", second)
        race.wait_until_blocked(second_caller)
        saved.release()
    errors = race.errors
    assert "first" not in errors
    assert isinstance(errors.get("second"), ValidationError)
    assert "Only 10 accepted units" in str(errors["second"])
    assert refreshed(quota).delivered_units == 30
    assert Delivery.objects.count() == 1
