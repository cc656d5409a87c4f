"""Write operations on deliveries: create one from accepted units, edit it while planned, dispatch, mark it
delivered, cancel it.

Units move along a quota: ``accepted_units`` (passed the quality check) are put
on a delivery by raising ``Quota.delivered_units``; cancelling a delivery gives
them back. Both happen under row locks on the quotas (always taken in pk order,
so two coordinators never deadlock), so two deliveries competing for the same
units cannot both get them. Every transition locks the delivery row first and
re-reads its status: a double click finds the work already done and changes
nothing. Confirmation by the receiver (delivered -> confirmed | disputed) lives
in ``fulfilment.services.receiving``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import add_and_log, change_status, diff, log_action, snapshot
from core.models import HealthCenter, User
from core.permissions import user_can
from core.persian import ui_number
from core.scoping import scope_by_province
from core.sequences import next_number
from core.validators import required_reason
from production.models import Quota

from ..models import Delivery, DeliveryLine, DeliveryStatus
from ..notifications import notify_delivery_dispatched

# The coordinator's part of the lifecycle; confirmed/disputed are set by the receiver (fulfilment.services.receiving).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    DeliveryStatus.PLANNED: {DeliveryStatus.DISPATCHED, DeliveryStatus.CANCELLED},
    DeliveryStatus.DISPATCHED: {DeliveryStatus.DELIVERED, DeliveryStatus.CANCELLED},
    DeliveryStatus.DELIVERED: {DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED},
    DeliveryStatus.CONFIRMED: set(),
    DeliveryStatus.DISPUTED: set(),
    DeliveryStatus.CANCELLED: set(),
}

EDITABLE_FIELDS = ("planned_date", "courier_name", "courier_phone", "vehicle", "note")


def can_transition(delivery: Delivery, status: str) -> bool:
    return status in ALLOWED_TRANSITIONS[delivery.status]


def check_coordinator_scope(health_center: HealthCenter, actor: User) -> None:
    """Only a coordinator of the health center's province (or a national one, or a superuser) may act."""
    if not user_can(actor, "plan_deliveries"):
        raise PermissionDenied
    in_scope = scope_by_province(HealthCenter.objects.filter(pk=health_center.pk), actor)
    if not in_scope.exists():
        raise PermissionDenied


def _locked(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update().select_related("health_center").get(pk=delivery.pk)


def _refuse(delivery: Delivery, wanted: str) -> ValidationError:
    return ValidationError(
        _("Delivery %(code)s is %(status)s; it cannot be %(wanted)s.")
        % {"code": delivery.code, "status": delivery.get_status_display().lower(), "wanted": wanted}
    )


# --- Create -------------------------------------------------------------------------------------------------


def _check_lines(health_center: HealthCenter, lines: Sequence[tuple[Quota, int]]) -> None:
    """What can be refused before locking anything: no lines, a duplicate, a foreign quota, a bad number."""
    if not lines:
        raise ValidationError({"lines": _("Put at least one unit on the delivery.")})
    seen: set[int] = set()
    errors: dict[str, list[str]] = {}
    for quota, units in lines:
        key = f"units_{quota.pk}"
        if quota.pk in seen:
            errors.setdefault(key, []).append(
                _("The units of %(number)s appear twice; put them on one line.") % {"number": quota.order.number}
            )
        seen.add(quota.pk)
        if quota.order.health_center_id != health_center.pk:
            errors.setdefault(key, []).append(
                _("%(number)s is an order of another health center.") % {"number": quota.order.number}
            )
        if not isinstance(units, int) or units <= 0:
            errors.setdefault(key, []).append(_("Enter a whole number of units, at least 1."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def delivery_create(
    *,
    health_center: HealthCenter,
    planned_date: dt.date,
    lines: Sequence[tuple[Quota, int]],
    actor: User,
    courier_name: str = "",
    courier_phone: str = "",
    vehicle: str = "",
    note: str = "",
    submission_key: uuid.UUID | None = None,
) -> Delivery:
    """A planned delivery of ``units`` from each quota, all of ``health_center``'s orders.

    Errors name the line (``units_<quota pk>``) so the form can show them next to the row.
    A ``submission_key`` already used (the same form sent twice) returns that delivery unchanged.
    """
    check_coordinator_scope(health_center, actor)
    _check_lines(health_center, lines)
    wanted = {quota.pk: units for quota, units in lines}
    # Lock in pk order and re-read: the counters in the caller's Quota objects may be stale.
    locked = {
        quota.pk: quota
        for quota in Quota.objects.select_for_update().select_related("order").filter(pk__in=wanted).order_by("pk")
    }
    # Checked under the quota locks, so a twin request waits for the first and then finds its delivery.
    if submission_key is not None:
        earlier = Delivery.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    errors: dict[str, list[str]] = {}
    for pk, units in wanted.items():
        quota = locked[pk]
        deliverable = quota.accepted_units - quota.delivered_units
        if units > deliverable:
            if deliverable <= 0:
                message = _("No accepted unit of %(number)s is left to deliver.") % {"number": quota.order.number}
            else:
                message = _("Only %(count)s accepted units of %(number)s are not yet on a delivery.") % {
                    "count": ui_number(deliverable),
                    "number": quota.order.number,
                }
            errors[f"units_{pk}"] = [message]
    if errors:
        raise ValidationError(errors)

    delivery = Delivery.objects.create(
        code=next_number("DLV", on=timezone.localdate()),
        health_center=health_center,
        planned_date=planned_date,
        courier_name=courier_name,
        courier_phone=courier_phone,
        vehicle=vehicle,
        note=note,
        created_by=actor,
        submission_key=submission_key,
    )
    for pk, units in wanted.items():
        quota = locked[pk]
        DeliveryLine.objects.create(delivery=delivery, quota=quota, units=units)
        add_and_log(quota, {"delivered_units": units}, actor=actor, action="quota.delivery_planned", note=delivery.code)
    log_action(
        actor=actor,
        obj=delivery,
        action="delivery.created",
        changes={
            "status": [None, delivery.status],
            "planned_date": [None, planned_date],
            "units": [None, sum(wanted.values())],
        },
    )
    return delivery


# --- Edit while planned -------------------------------------------------------------------------------------


@transaction.atomic
def delivery_update(
    *,
    delivery: Delivery,
    actor: User,
    planned_date: dt.date | None = None,
    courier_name: str | None = None,
    courier_phone: str | None = None,
    vehicle: str | None = None,
    note: str | None = None,
) -> Delivery:
    """Change the date, courier, vehicle or note of a planned delivery (``None`` leaves a field as it is)."""
    delivery = _locked(delivery)
    check_coordinator_scope(delivery.health_center, actor)
    if delivery.status != DeliveryStatus.PLANNED:
        raise ValidationError(
            _("Delivery %(code)s is %(status)s; only a planned delivery can be changed.")
            % {"code": delivery.code, "status": delivery.get_status_display().lower()}
        )
    new_values = {
        "planned_date": planned_date,
        "courier_name": courier_name,
        "courier_phone": courier_phone,
        "vehicle": vehicle,
        "note": note,
    }
    before = snapshot(delivery, EDITABLE_FIELDS)
    for field, value in new_values.items():
        if value is not None:
            setattr(delivery, field, value)
    changes = diff(before, snapshot(delivery, EDITABLE_FIELDS))
    if changes:
        delivery.save(update_fields=list(changes))
        log_action(actor=actor, obj=delivery, action="delivery.updated", changes=changes)
    return delivery


# --- Transitions --------------------------------------------------------------------------------------------


def _move(delivery: Delivery, status: str, actor: User, *, stamp: str | None = None, note: str = "") -> None:
    stamps = {stamp: timezone.now()} if stamp else {}
    change_status(delivery, status, actor=actor, action=f"delivery.{status}", note=note, **stamps)


@transaction.atomic
def delivery_dispatch(*, delivery: Delivery, actor: User) -> Delivery:
    """planned -> dispatched: the courier has left. Needs the courier's name (it is printed on the sheet)."""
    delivery = _locked(delivery)
    check_coordinator_scope(delivery.health_center, actor)
    if delivery.status == DeliveryStatus.DISPATCHED:
        return delivery  # a double click: already done
    if not can_transition(delivery, DeliveryStatus.DISPATCHED):
        raise _refuse(delivery, _("dispatched"))
    if not delivery.courier_name:
        message = _("Enter the courier's name before dispatching delivery %(code)s.") % {"code": delivery.code}
        raise ValidationError({"courier_name": message})
    _move(delivery, DeliveryStatus.DISPATCHED, actor, stamp="dispatched_at")
    notify_delivery_dispatched(delivery)
    return delivery


@transaction.atomic
def delivery_mark_delivered(*, delivery: Delivery, actor: User) -> Delivery:
    """dispatched -> delivered: the goods are at the health center, waiting for the receiver's confirmation."""
    delivery = _locked(delivery)
    check_coordinator_scope(delivery.health_center, actor)
    if delivery.status == DeliveryStatus.DELIVERED:
        return delivery
    if not can_transition(delivery, DeliveryStatus.DELIVERED):
        raise _refuse(delivery, _("marked delivered"))
    _move(delivery, DeliveryStatus.DELIVERED, actor, stamp="delivered_at")
    return delivery


@transaction.atomic
def delivery_cancel(*, delivery: Delivery, actor: User, reason: str) -> Delivery:
    """planned or dispatched -> cancelled, with a reason; the units go back to "accepted, not yet delivered"."""
    delivery = _locked(delivery)
    check_coordinator_scope(delivery.health_center, actor)
    if delivery.status == DeliveryStatus.CANCELLED:
        return delivery  # a double click must not give the units back twice
    if not can_transition(delivery, DeliveryStatus.CANCELLED):
        raise _refuse(delivery, _("cancelled"))
    reason = required_reason(reason, _("Give a reason for cancelling the delivery."))
    lines = list(delivery.lines.order_by("quota_id"))
    locked = Quota.objects.select_for_update().filter(pk__in=[line.quota_id for line in lines]).order_by("pk")
    quotas = {quota.pk: quota for quota in locked}
    for line in lines:
        quota = quotas[line.quota_id]
        add_and_log(
            quota, {"delivered_units": -line.units}, actor=actor, action="quota.delivery_cancelled", note=delivery.code
        )
    delivery.cancel_reason = reason
    delivery.save(update_fields=["cancel_reason"])
    _move(delivery, DeliveryStatus.CANCELLED, actor, note=reason)
    return delivery
