"""Payout batches: pay workshops for a period's accepted units, as one list for the bank.

Which units a batch includes (``payout_plan``), per quota in the coordinator's
provinces (the province of the order's health center, as for every money
service)::

    payable = min(units accepted at pickups dated up to period_end, quota.accepted_units)
              − quota.paid_units − units of the quota in other draft batches

Accepted units are paid first in, first out, so the paid and reserved units
are always the earliest accepted ones and the rule never counts a unit twice.
Units accepted before ``period_start`` that are still unpaid (they waited for
money, or their batch was cancelled) are included too: a workshop's earned
money must never be stranded by the period boundaries; pickups dated after
``period_end`` wait for a later batch. ``min(…, accepted_units)`` keeps a
batch within the quota's counter even if a pickup line was corrected.

Money: a line is never more than its order can pay, i.e. the order's ledger
balance less what draft batches already reserve from it. When the money does
not cover all payable units of a quota, the affordable units are included and
the rest are recorded on the batch as *waiting* (``PayoutBatch.waiting``) with
what the order holds, so the page can say why.

Locks, in the project's order (orders by id → quotas by id): creating a batch
locks the candidate orders and quotas, so two coordinators creating batches at
once queue and the second sees the first one's lines. Marking a batch paid
locks the batch, then the orders and quotas, and writes each line through
``donors.services.funds.payout_record`` (its checks, ledger entry and audit), all or
nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import change_status, log_action
from core.i18n import page_is_persian
from core.jalali import format_short
from core.models import Province, User
from core.permissions import user_can
from core.persian import to_latin_digits, ui_number
from core.scoping import scope_by_province, sees_all_provinces
from core.sequences import next_number
from core.validators import required_reason
from donors.ledger import selectors as ledger
from donors.ledger.services import pledges_mark_applied
from donors.services.funds import payout_record
from fulfilment.models import PickupLine
from orders.models import Order
from production.models import Quota

from .models import PayoutBatch, PayoutBatchStatus, PayoutLine


@dataclass(frozen=True)
class PlannedLine:
    quota: Quota
    units: int

    @property
    def amount_rials(self) -> int:
        return self.units * self.quota.piece_rate_rials


WAITING_FOR_MONEY = "money"
WAITING_FOR_SHEBA = "no_sheba"


@dataclass(frozen=True)
class WaitingLine:
    """Payable units left out: the order does not hold the money for them, or the bank has no account to pay."""

    quota: Quota
    units: int
    held_rials: int  # what the order could still spend on this quota when the batch was made
    reason: str = WAITING_FOR_MONEY

    @property
    def amount_rials(self) -> int:
        return self.units * self.quota.piece_rate_rials

    def as_record(self) -> dict:
        return {
            "quota_id": self.quota.pk,
            "order_number": self.quota.order.number,
            "workshop_id": self.quota.workshop_id,
            "workshop_name": self.quota.workshop.name,
            "units": self.units,
            "amount_rials": self.amount_rials,
            "held_rials": self.held_rials,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PayoutPlan:
    lines: list[PlannedLine]
    waiting: list[WaitingLine]

    @property
    def total_units(self) -> int:
        return sum(line.units for line in self.lines)

    @property
    def total_rials(self) -> int:
        return sum(line.amount_rials for line in self.lines)


# --- Who sees what --------------------------------------------------------------------------------------------


def _require_coordinator(actor: User) -> None:
    if not user_can(actor, "manage_payouts"):
        raise PermissionDenied


def batches_for(user) -> QuerySet[PayoutBatch]:
    """Batches whose every province the user covers (all of them for national coordinators and superusers)."""
    batches = PayoutBatch.objects.all()
    if sees_all_provinces(user):
        return batches
    if not user_can(user, "manage_payouts"):  # past the line above: a provincial coordinator
        return batches.none()
    foreign = Province.objects.exclude(pk__in=user.provinces.values("pk"))
    return batches.exclude(provinces__in=foreign)


def _require_batch_scope(actor: User, batch: PayoutBatch) -> None:
    _require_coordinator(actor)
    if not batches_for(actor).filter(pk=batch.pk).exists():
        raise PermissionDenied


def _candidate_quotas(actor: User, provinces) -> QuerySet[Quota]:
    quotas = Quota.objects.filter(accepted_units__gt=F("paid_units"))
    quotas = scope_by_province(quotas, actor, field="order__health_center__province")
    if provinces is not None:
        quotas = quotas.filter(order__health_center__province__in=provinces)
    return quotas


# --- The plan -------------------------------------------------------------------------------------------------


def _accepted_until(quota_ids: list[int], period_end: dt.date) -> dict[int, int]:
    rows = (
        PickupLine.objects.filter(quota_id__in=quota_ids, pickup__pickup_date__lte=period_end)
        .order_by()
        .values_list("quota_id")
        .annotate(total=Sum("accepted_units"))
    )
    return {quota_id: int(total) for quota_id, total in rows}


def _reserved_units(quota_ids: list[int]) -> dict[int, int]:
    rows = (
        PayoutLine.objects.filter(quota_id__in=quota_ids, batch__status=PayoutBatchStatus.DRAFT)
        .order_by()
        .values_list("quota_id")
        .annotate(total=Sum("units"))
    )
    return {quota_id: int(total) for quota_id, total in rows}


def _reserved_rials(order_ids: set[int]) -> dict[int, int]:
    rows = (
        PayoutLine.objects.filter(quota__order_id__in=order_ids, batch__status=PayoutBatchStatus.DRAFT)
        .order_by()
        .values_list("quota__order_id")
        .annotate(total=Sum("amount_rials"))
    )
    return {order_id: int(total) for order_id, total in rows}


def _plan_for(quotas: list[Quota], period_end: dt.date) -> PayoutPlan:
    quota_ids = [quota.pk for quota in quotas]
    accepted = _accepted_until(quota_ids, period_end)
    reserved = _reserved_units(quota_ids)
    order_ids = {quota.order_id for quota in quotas}
    reserved_money = _reserved_rials(order_ids)
    spendable = {order_id: ledger.order_balance(order_id) - reserved_money.get(order_id, 0) for order_id in order_ids}
    lines: list[PlannedLine] = []
    waiting: list[WaitingLine] = []
    for quota in sorted(quotas, key=lambda q: (q.order_id, q.pk)):
        payable = min(accepted.get(quota.pk, 0), quota.accepted_units) - quota.paid_units - reserved.get(quota.pk, 0)
        if payable <= 0 or quota.piece_rate_rials <= 0:
            continue
        held = max(spendable[quota.order_id], 0)
        if not quota.workshop.sheba:  # a transfer needs the account; the money stays with the order meanwhile
            waiting.append(WaitingLine(quota=quota, units=payable, held_rials=held, reason=WAITING_FOR_SHEBA))
            continue
        units = min(payable, held // quota.piece_rate_rials)
        if units > 0:
            lines.append(PlannedLine(quota=quota, units=units))
            spendable[quota.order_id] -= units * quota.piece_rate_rials
        if units < payable:
            waiting.append(WaitingLine(quota=quota, units=payable - units, held_rials=held))
    return PayoutPlan(lines=lines, waiting=waiting)


def _check_period(period_start: dt.date, period_end: dt.date) -> None:
    if period_start > period_end:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": _("The period cannot end in the future.")})


def payout_plan(*, period_start: dt.date, period_end: dt.date, actor: User, provinces=None) -> PayoutPlan:
    """What a batch for this period would include now (the preview; no locks, nothing written)."""
    _require_coordinator(actor)
    _check_period(period_start, period_end)
    quotas = list(_candidate_quotas(actor, provinces).select_related("order", "workshop"))
    return _plan_for(quotas, period_end)


def _lock_orders(order_ids) -> None:
    list(Order.objects.select_for_update().filter(pk__in=sorted(order_ids)).order_by("pk").values_list("pk"))


def _lock_quotas(quota_ids) -> None:
    list(Quota.objects.select_for_update().filter(pk__in=sorted(quota_ids)).order_by("pk").values_list("pk"))


# --- Services -------------------------------------------------------------------------------------------------


@transaction.atomic
def payout_batch_create(*, period_start: dt.date, period_end: dt.date, actor: User, provinces=None) -> PayoutBatch:
    """A draft batch with one line per quota that has payable units (see the module's rule); refuses an empty one.

    ``provinces`` narrows the actor's provinces. Units the orders cannot pay
    for are stored in ``batch.waiting``.
    """
    _require_coordinator(actor)
    _check_period(period_start, period_end)
    candidates = _candidate_quotas(actor, provinces)
    quota_ids = sorted(candidates.values_list("pk", flat=True))
    order_ids = sorted(set(Quota.objects.filter(pk__in=quota_ids).values_list("order_id", flat=True)))
    _lock_orders(order_ids)
    # Re-read under the lock: a batch committed while we waited has paid or reserved some of these units.
    _lock_quotas(quota_ids)
    quotas = list(Quota.objects.select_related("order", "workshop").filter(pk__in=quota_ids).order_by("pk"))
    plan = _plan_for(quotas, period_end)
    if not plan.lines:
        if plan.waiting and all(line.reason == WAITING_FOR_SHEBA for line in plan.waiting):
            raise ValidationError(
                _(
                    "Nothing can be paid yet: %(units)s accepted units are waiting, but their workshops have no "
                    "Sheba number on file."
                )
                % {"units": ui_number(sum(line.units for line in plan.waiting))}
            )
        if plan.waiting:
            raise ValidationError(
                _(
                    "Nothing can be paid yet: %(units)s accepted units are waiting, but their orders do not "
                    "hold the money for them."
                )
                % {"units": ui_number(sum(line.units for line in plan.waiting))}
            )
        raise ValidationError(
            _("No accepted units are waiting for payment up to %(date)s; there is nothing to put in a batch.")
            % {"date": format_short(period_end, persian=page_is_persian())}
        )
    batch = PayoutBatch.objects.create(
        number=next_number("PAY"),
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
        waiting=[line.as_record() for line in plan.waiting],
    )
    PayoutLine.objects.bulk_create(
        PayoutLine(
            batch=batch,
            quota=line.quota,
            workshop_id=line.quota.workshop_id,
            sheba=line.quota.workshop.sheba,
            units=line.units,
            piece_rate_rials=line.quota.piece_rate_rials,
            amount_rials=line.amount_rials,
        )
        for line in plan.lines
    )
    covered = {line.quota.order_id for line in [*plan.lines, *plan.waiting]}
    batch.provinces.set(
        Province.objects.filter(pk__in=Order.objects.filter(pk__in=covered).values("health_center__province"))
    )
    log_action(
        actor=actor,
        obj=batch,
        action="payout_batch.create",
        changes={
            "status": [None, batch.status],
            "units": [None, plan.total_units],
            "amount_rials": [None, plan.total_rials],
        },
    )
    return batch


@transaction.atomic
def payout_batch_mark_paid(*, batch: PayoutBatch, bank_reference: str, paid_on: dt.date, actor: User) -> PayoutBatch:
    """The bank paid the batch: one payout ledger entry per line, paid units counted; all lines or none.

    Marking a paid batch again (a double click, two coordinators) changes nothing.
    """
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    _require_batch_scope(actor, batch)
    if batch.status == PayoutBatchStatus.PAID:
        return batch
    if batch.status == PayoutBatchStatus.CANCELLED:
        raise ValidationError(_("A cancelled payout batch cannot be marked paid."))
    reference = to_latin_digits(bank_reference or "").strip()  # searchable whatever keyboard typed it
    if not reference:
        raise ValidationError({"bank_reference": _("Enter the bank's reference for this payment.")})
    if paid_on is None:
        raise ValidationError({"paid_on": _("Enter the date the bank paid.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    lines = list(batch.lines.select_related("quota__order", "workshop").order_by("quota__order_id", "quota_id"))
    order_ids = sorted({line.quota.order_id for line in lines})
    _lock_orders(order_ids)
    _lock_quotas([line.quota_id for line in lines])
    for line in lines:
        try:
            entry = payout_record(quota=line.quota, units=line.units, actor=actor)
        except ValidationError as error:
            raise ValidationError(
                _("%(order)s, %(workshop)s: %(problem)s")
                % {
                    "order": line.quota.order.number,
                    "workshop": line.workshop.name,
                    "problem": " ".join(error.messages),
                }
            ) from error
        if entry.amount_rials != line.amount_rials:
            raise ValidationError(
                _("The piece rate of %(order)s changed since the batch was made; cancel it and make a new one.")
                % {"order": line.quota.order.number}
            )
        line.ledger_entry = entry
        line.save(update_fields=["ledger_entry"])
    batch.status = PayoutBatchStatus.PAID
    batch.bank_reference = reference
    batch.paid_on = paid_on
    batch.paid_by = actor
    batch.paid_at = timezone.now()
    batch.full_clean(exclude=["number"])
    batch.save(update_fields=["status", "bank_reference", "paid_on", "paid_by", "paid_at"])
    log_action(
        actor=actor,
        obj=batch,
        action="payout_batch.paid",
        changes={"status": [PayoutBatchStatus.DRAFT, batch.status], "bank_reference": ["", reference]},
        note=reference,
    )
    # Donors whose money is now all paid out for accepted units see their pledge as applied.
    pledges_mark_applied(actor=actor)
    return batch


@transaction.atomic
def payout_batch_cancel(*, batch: PayoutBatch, actor: User, reason: str) -> PayoutBatch:
    """Drop a draft batch (e.g. a wrong period); its units are free for the next batch. Cancelling twice is a no-op."""
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    _require_batch_scope(actor, batch)
    if batch.status == PayoutBatchStatus.CANCELLED:
        return batch
    if batch.status != PayoutBatchStatus.DRAFT:
        raise ValidationError(_("A paid batch cannot be cancelled: its money has reached the workshops."))
    reason = required_reason(reason, _("Give a reason."))
    change_status(
        batch,
        PayoutBatchStatus.CANCELLED,
        actor=actor,
        action="payout_batch.cancel",
        note=reason,
        cancel_reason=reason,
        cancelled_at=timezone.now(),
    )
    return batch


def owner_payout_lines(user) -> QuerySet[PayoutLine]:
    """The payout lines of the owner's workshop in batches that are not cancelled."""
    return (
        PayoutLine.objects.filter(workshop__owner=user)
        .exclude(batch__status=PayoutBatchStatus.CANCELLED)
        .select_related("batch", "quota__order__product")
    )
