"""Proof of delivery: the receiver counts what arrived and the delivery is confirmed or disputed.

The receiver answers through the link on the delivery sheet (no login; the
``actor`` is ``None``) or, as health-center staff, in the app. An answered
delivery is final: a second submission (a double tap, the same link opened
twice) is refused politely and counts nothing twice, because the status is
re-read under a row lock before anything is written.

Delivered units flow back to the orders: once the receivers of an order's
deliveries have accepted its whole quantity it moves to *delivered*
(``order_mark_delivered_if_complete`` below, through the lifecycle
helpers of ``orders.services``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jalali
from core.audit import log_action
from core.i18n import page_is_persian
from core.models import User
from core.permissions import user_can
from core.persian import normalize_text, ui_number
from orders import services
from orders.models import Order, OrderStatus

from ..models import Delivery, DeliveryLine, DeliveryStatus
from ..notifications import notify_delivery_disputed
from ..selectors.progress import delivered_units_of

# Sheets (with their QR link and short code) are printed the day before, while the delivery is still planned:
# only once the coordinator has marked it dispatched may the receiver answer, so nobody confirms goods that never left.
CONFIRMABLE_STATUSES = (DeliveryStatus.DISPATCHED, DeliveryStatus.DELIVERED)

ALREADY_ANSWERED = "already_answered"
NOT_DISPATCHED = "not_dispatched"


@dataclass(frozen=True)
class ReceivedLine:
    """The receiver's count for one delivery line."""

    received_units: int
    rejected_units: int = 0
    reject_reason: str = ""


# Keys of the ValidationError dicts; the confirmation form names its fields the same way.
def received_key(line: DeliveryLine | int) -> str:
    return f"received_units_{getattr(line, 'pk', line)}"


def rejected_key(line: DeliveryLine | int) -> str:
    return f"rejected_units_{getattr(line, 'pk', line)}"


def reason_key(line: DeliveryLine | int) -> str:
    return f"reject_reason_{getattr(line, 'pk', line)}"


def already_answered_message(delivery: Delivery) -> str:
    """The polite refusal for an answered or cancelled delivery, saying when and by whom."""
    if delivery.status == DeliveryStatus.CANCELLED:
        return _("This delivery was cancelled, so there is nothing to confirm; nothing was changed.")
    when = jalali.format_long(timezone.localtime(delivery.confirmed_at).date(), persian=page_is_persian())
    values = {"date": when, "name": delivery.receiver_name}
    if delivery.status == DeliveryStatus.DISPUTED:
        return (
            _(
                "This delivery was already answered on %(date)s by %(name)s, with differences reported; "
                "nothing was changed."
            )
            % values
        )
    return _("This delivery was already confirmed on %(date)s by %(name)s; nothing was changed.") % values


def not_dispatched_message(delivery: Delivery) -> str:
    """The refusal for a planned delivery: when it can be confirmed (once dispatched, planned for a date)."""
    when = jalali.format_long(delivery.planned_date, persian=page_is_persian())
    return _(
        "This delivery has not been dispatched yet, so it cannot be confirmed or disputed. It is planned for "
        "%(date)s: you can answer once the coordinator has sent it on its way; nothing was changed."
    ) % {"date": when}


def _check_actor(delivery: Delivery, actor: User | None) -> None:
    """``None`` is the receiver with the signed link; in the app only the center's own staff (or a superuser)."""
    if actor is None or actor.is_superuser:
        return
    if not user_can(actor, "confirm_receipt") or actor.health_center_id != delivery.health_center_id:
        raise PermissionDenied


def _delivery_for_update(delivery: Delivery) -> Delivery:
    """The delivery re-read under its row lock, so two answers are checked one after the other."""
    return Delivery.objects.select_for_update().get(pk=delivery.pk)


def _line_errors(line: DeliveryLine, answer: ReceivedLine | None) -> dict[str, str]:
    if answer is None:
        return {received_key(line): _("Enter how many units of this line arrived.")}
    errors: dict[str, str] = {}
    if answer.received_units < 0:
        errors[received_key(line)] = _("Received units cannot be negative.")
    elif answer.received_units > line.units:
        errors[received_key(line)] = _("Only %(units)s units were sent on this line, not %(received)s.") % {
            "units": ui_number(line.units),
            "received": ui_number(answer.received_units),
        }
    if answer.rejected_units < 0:
        errors[rejected_key(line)] = _("Rejected units cannot be negative.")
    elif answer.rejected_units > max(answer.received_units, 0):
        errors[rejected_key(line)] = _(
            "Only %(received)s units were received on this line; no more can be rejected."
        ) % {"received": ui_number(max(answer.received_units, 0)), "rejected": ui_number(answer.rejected_units)}
    if answer.rejected_units > 0 and not normalize_text(answer.reject_reason or ""):
        errors[reason_key(line)] = _("Say why %(rejected)s units were rejected.") % {
            "rejected": ui_number(answer.rejected_units)
        }
    return errors


@transaction.atomic
def delivery_confirm(
    *,
    delivery: Delivery,
    lines: dict[int, ReceivedLine],
    receiver_name: str,
    receiver_role: str = "",
    actor: User | None = None,
) -> Delivery:
    """Record the receiver's count per line (``lines`` keyed by ``DeliveryLine`` id).

    Confirmed when every line arrived complete and nothing was rejected;
    disputed otherwise. Refuses (``ValidationError`` with code
    ``already_answered``) a delivery already confirmed, disputed or cancelled,
    and (code ``not_dispatched``) one still planned.
    """
    delivery = _delivery_for_update(delivery)
    _check_actor(delivery, actor)
    if delivery.status == DeliveryStatus.PLANNED:
        raise ValidationError(not_dispatched_message(delivery), code=NOT_DISPATCHED)
    if delivery.status not in CONFIRMABLE_STATUSES:
        raise ValidationError(already_answered_message(delivery), code=ALREADY_ANSWERED)

    delivery_lines = list(delivery.lines.select_related("quota__order").order_by("id"))
    errors: dict[str, str] = {}
    unknown = set(lines) - {line.pk for line in delivery_lines}
    if unknown:
        errors["__all__"] = _("The form does not match this delivery any more; please open it again.")
    for line in delivery_lines:
        errors.update(_line_errors(line, lines.get(line.pk)))
    receiver_name = normalize_text(receiver_name or "")
    if not receiver_name:
        errors["receiver_name"] = _("Enter the name of the person who received the goods.")
    if errors:
        raise ValidationError(errors)

    for line in delivery_lines:
        answer = lines[line.pk]
        line.received_units = answer.received_units
        line.rejected_units = answer.rejected_units
        line.reject_reason = normalize_text(answer.reject_reason or "") if answer.rejected_units else ""
        line.save(update_fields=["received_units", "rejected_units", "reject_reason"])

    complete = all(line.received_units == line.units and line.rejected_units == 0 for line in delivery_lines)
    old_status = delivery.status
    now = timezone.now()
    delivery.status = DeliveryStatus.CONFIRMED if complete else DeliveryStatus.DISPUTED
    delivery.confirmed_at = now
    delivery.delivered_at = delivery.delivered_at or now
    delivery.receiver_name = receiver_name
    delivery.receiver_role = normalize_text(receiver_role or "")
    delivery.confirmed_by = actor
    delivery.save(
        update_fields=["status", "confirmed_at", "delivered_at", "receiver_name", "receiver_role", "confirmed_by"]
    )
    changes = {
        "status": [old_status, delivery.status],
        "receiver_name": ["", delivery.receiver_name],
        "receiver_role": ["", delivery.receiver_role],
        "confirmed_through": [None, "link" if actor is None else "app"],
    }
    for line in delivery_lines:  # per line: from the units sent to the units received (and rejected, if any)
        changes[f"line_{line.pk}_received"] = [line.units, line.received_units]
        if line.rejected_units:
            changes[f"line_{line.pk}_rejected"] = [0, line.rejected_units]
    reasons = "; ".join(line.reject_reason for line in delivery_lines if line.reject_reason)
    action = "delivery.confirmed" if complete else "delivery.disputed"
    log_action(actor=actor, obj=delivery, action=action, changes=changes, note=reasons)
    if not complete:
        notify_delivery_disputed(delivery)

    # Lock the orders in id order (as every other service does) and move the complete ones to delivered.
    order_ids = sorted({line.quota.order_id for line in delivery_lines})
    for order in Order.objects.filter(pk__in=order_ids).order_by("pk"):
        order_mark_delivered_if_complete(order, actor=actor)
    return delivery


@transaction.atomic
def order_mark_delivered_if_complete(order: Order, *, actor: User | None = None) -> Order:
    """in production -> delivered once the receivers accepted the order's whole quantity; otherwise nothing changes.

    Accepted means received less rejected on confirmed or disputed deliveries.
    ``actor`` is the staff member who confirmed in the app, or ``None`` for
    the link on the sheet, so no coordinator scope is checked. The move goes
    through ``services.ALLOWED_TRANSITIONS`` like every other status change.
    """
    order = services._locked(order)
    if order.status != OrderStatus.IN_PRODUCTION or delivered_units_of(order) < order.quantity:
        return order
    services._move(order, OrderStatus.DELIVERED, actor, action="order.delivered")
    return order


def line_shortfalls(delivery: Delivery) -> list[dict]:
    """For an answered delivery: per line the units sent, received, rejected and missing or refused."""
    result = []
    for line in delivery.lines.select_related("quota__order__product").order_by("id"):
        received = line.received_units or 0
        rejected = line.rejected_units or 0
        result.append(
            {
                "line": line,
                "missing": line.units - received,
                "rejected": rejected,
                "accepted": received - rejected,
                "short": line.units - received + rejected,
            }
        )
    return result
