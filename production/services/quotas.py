"""Write operations on production quotas and the daily output reports against them.

Quantities move here, so each function locks the quota row
(``select_for_update``) before reading the totals it checks: two reports sent
at the same moment are checked one after the other, never both against the
same old total.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import add_and_log, change_status, log_action
from core.models import User
from core.persian import ui_number
from core.validators import required_reason
from orders.models import Order
from orders.services import order_mark_in_production_if_needed
from workshops.models import Workshop, WorkshopStatus
from workshops.services import workshop_set_status

from ..models import OutputReport, Quota, QuotaStatus
from ..notifications import notify_quota_offered


def _for_update(quotas: QuerySet[Quota]) -> QuerySet[Quota]:
    """Row-locked, so the reports and the cancellation of one quota are checked one after the other.

    Only the quota rows (``of=("self",)``), even when the workshop is joined: a
    workshop's suspension locks the workshop and then its quotas, so a report
    locking the quota and then its workshop would deadlock with it.
    """
    return quotas.select_for_update(of=("self",))


def _owned_quota_for_update(quota: Quota, owner: User) -> Quota:
    # The order comes along (not locked): the audit log names the quota by its order number.
    locked = _for_update(Quota.objects.select_related("workshop", "order")).get(pk=quota.pk)
    if locked.workshop.owner_id != owner.pk:
        raise PermissionDenied
    return locked


@transaction.atomic
def quota_offer(*, order: Order, workshop: Workshop, quantity: int, due_date: dt.date, actor: User | None) -> Quota:
    """Offer part of an order to a verified workshop that declared the product.

    The allocation engine (orders issue) decides the quantities; this is the
    one place a quota is created, so its guards hold for every caller.
    """
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status != WorkshopStatus.VERIFIED:
        raise ValidationError(_("Only verified workshops receive quotas."))
    if not workshop.capacities.filter(product_id=order.product_id).exists():
        raise ValidationError(_("This workshop has not declared a capacity for this product."))
    if quantity <= 0:
        raise ValidationError({"quantity": _("A quota must be at least one unit.")})
    quota = Quota(
        order=order,
        workshop=workshop,
        quantity=quantity,
        due_date=due_date,
        piece_rate_rials=order.product.piece_rate_rials,
    )
    quota.full_clean()
    quota.save()
    log_action(actor=actor, obj=quota, action="quota.offer", changes={"quantity": [None, quantity]})
    notify_quota_offered(quota)
    return quota


@transaction.atomic
def quota_accept(*, quota: Quota, owner: User) -> Quota:
    """The owner takes the offered quota on; from now on she reports output against it."""
    quota = _owned_quota_for_update(quota, owner)
    if quota.status != QuotaStatus.OFFERED:
        raise ValidationError(_("This quota is no longer waiting for an answer."), code="not_offered")
    if quota.workshop.status != WorkshopStatus.VERIFIED:
        raise ValidationError(
            _("Your workshop is not verified at the moment, so it cannot take on quotas."), code="not_verified"
        )
    change_status(quota, QuotaStatus.ACCEPTED, actor=owner, action="quota.accept", responded_at=timezone.now())
    order_mark_in_production_if_needed(quota.order, actor=owner)
    return quota


@transaction.atomic
def quota_decline(*, quota: Quota, owner: User, reason: str) -> Quota:
    """The owner turns the offer down, saying why (the coordinator re-allocates it)."""
    quota = _owned_quota_for_update(quota, owner)
    if quota.status != QuotaStatus.OFFERED:
        raise ValidationError(_("This quota is no longer waiting for an answer."), code="not_offered")
    reason = required_reason(reason, _("Please say why you decline, so the coordinator can plan."))
    change_status(
        quota,
        QuotaStatus.DECLINED,
        actor=owner,
        action="quota.decline",
        note=reason,
        decline_reason=reason,
        responded_at=timezone.now(),
    )
    return quota


def _check_total(quota: Quota, new_total: int) -> None:
    if new_total > quota.max_total_units:
        already = quota.produced_units
        message = _(
            "Too many: this quota allows at most %(max)s units in total (the quota plus 5%%). "
            "You have reported %(done)s so far, so you can report at most %(left)s more."
        ) % {
            "max": ui_number(quota.max_total_units),
            "done": ui_number(already),
            "left": ui_number(max(quota.max_total_units - already, 0)),
        }
        # The code lets the SMS reply say it in one short page (sms_commands.services).
        raise ValidationError({"quantity": ValidationError(message, code="over_ceiling")})


def output_report(
    *,
    quota: Quota,
    owner: User,
    quantity: int,
    report_date: dt.date | None = None,
    note: str = "",
    idempotency_key: uuid.UUID,
) -> tuple[OutputReport, bool]:
    """Record units made on a day; returns ``(report, created)``.

    A repeated ``idempotency_key`` (double-clicked button, retried request)
    returns the report already stored and counts nothing twice.
    """
    try:
        return _record_output(quota, owner, quantity, report_date, note, idempotency_key)
    except IntegrityError:
        # The same key committed meanwhile by a parallel request on another quota (its lock is not ours).
        # Caught outside the transaction, so the insert needs no savepoint of its own: the evening peak's
        # reports each save two round trips.
        return _replayed(OutputReport.objects.get(idempotency_key=idempotency_key), quota), False


def _replayed(existing: OutputReport, quota: Quota) -> OutputReport:
    if existing.quota_id != quota.pk:
        raise ValidationError(_("This form was already used for another quota; please open it again."))
    return existing


@transaction.atomic
def _record_output(
    quota: Quota, owner: User, quantity: int, report_date: dt.date | None, note: str, idempotency_key: uuid.UUID
) -> tuple[OutputReport, bool]:
    quota = _owned_quota_for_update(quota, owner)
    # Looked up once, under the lock: a twin of this request on the same quota has committed or waits behind us.
    existing = OutputReport.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _replayed(existing, quota), False
    today = timezone.localdate()
    report_date = report_date or today
    if quota.status != QuotaStatus.ACCEPTED:
        raise ValidationError(_("Output can only be reported for a quota you have accepted."), code="not_accepted")
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter the number of units made: at least 1.")})
    if report_date > today:
        raise ValidationError({"report_date": _("You cannot report for a day that has not come yet.")})
    accepted_on = timezone.localtime(quota.responded_at).date() if quota.responded_at else today
    if report_date < accepted_on:
        raise ValidationError({"report_date": _("This day is before you accepted the quota.")})
    _check_total(quota, quota.produced_units + quantity)
    report = OutputReport.objects.create(
        quota=quota,
        report_date=report_date,
        quantity=quantity,
        note=note,
        idempotency_key=idempotency_key,
        reported_by=owner,
    )
    add_and_log(
        quota,
        {"produced_units": quantity},
        actor=owner,
        action="output.report",
        note=f"report {report.pk}: {quantity} on {report_date.isoformat()}",
    )
    return report, True


@transaction.atomic
def output_correct(*, report: OutputReport, owner: User, quantity: int, note: str | None = None) -> OutputReport:
    """Correct the quantity of a report on the day it was made; audited with before/after."""
    quota = _owned_quota_for_update(report.quota, owner)
    report = OutputReport.objects.select_for_update().get(pk=report.pk)
    if timezone.localtime(report.created_at).date() != timezone.localdate():
        raise ValidationError(_("A report can only be corrected on the day it was sent. Ask your coordinator."))
    if quota.status != QuotaStatus.ACCEPTED:
        raise ValidationError(_("This quota is closed for reporting."))
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter the number of units made: at least 1.")})
    new_total = quota.produced_units - report.quantity + quantity
    _check_total(quota, new_total)
    if new_total < quota.collected_units:
        # Units already picked up cannot be un-made: the total may not drop below them.
        least = quota.collected_units - (quota.produced_units - report.quantity)
        raise ValidationError(
            {
                "quantity": _(
                    "%(collected)s units of this quota have already been collected, "
                    "so this report cannot be less than %(least)s."
                )
                % {"collected": ui_number(quota.collected_units), "least": ui_number(least)}
            }
        )
    before_report, before_total = report.quantity, quota.produced_units
    report.quantity = quantity
    if note is not None:
        report.note = note
    report.corrected_at = timezone.now()
    report.save(update_fields=["quantity", "note", "corrected_at"])
    quota.produced_units = new_total
    quota.save(update_fields=["produced_units"])
    log_action(
        actor=owner,
        obj=report,
        action="output.correct",
        changes={"quantity": [before_report, quantity], "quota.produced_units": [before_total, new_total]},
    )
    return report


@transaction.atomic
def quota_cancel(*, quota: Quota, actor: User | None, reason: str) -> Quota:
    """Withdraw an offered or accepted quota; units already produced stay credited to the workshop.

    Its unproduced remainder goes back to the order, so the next allocation
    run offers it to another workshop.
    """
    quota = _for_update(Quota.objects.all()).get(pk=quota.pk)
    if quota.status not in (QuotaStatus.OFFERED, QuotaStatus.ACCEPTED):
        raise ValidationError(_("Only an offered or accepted quota can be cancelled."))
    _mark_cancelled(quota, actor, required_reason(reason, _("Please give a reason for cancelling the quota.")))
    return quota


def _mark_cancelled(quota: Quota, actor: User | None, reason: str) -> None:
    change_status(
        quota, QuotaStatus.CANCELLED, actor=actor, action="quota.cancel", note=reason, cancel_reason=reason[:400]
    )


@transaction.atomic
def workshop_set_status_with_quotas(
    *, workshop: Workshop, status: WorkshopStatus | str, reason: str, actor: User
) -> tuple[Workshop, list[Quota]]:
    """Change a workshop's status; suspending it also cancels its open quotas, in one transaction.

    Lives in orders because quotas do (workshops may not import orders). The
    cancelled quotas' remainders are released for re-allocation.

    The workshop row is locked first (in ``workshop_set_status``) and the open
    quotas are read only then: an allocation commit holding that row makes
    this wait, and the quotas it offered are then read and cancelled too;
    a commit arriving later sees the suspension and offers nothing.
    """
    workshop = workshop_set_status(workshop=workshop, status=status, reason=reason, actor=actor)
    cancelled: list[Quota] = []
    if workshop.status == WorkshopStatus.SUSPENDED:
        open_quotas = Quota.objects.filter(
            workshop=workshop, status__in=(QuotaStatus.OFFERED, QuotaStatus.ACCEPTED)
        ).order_by("pk")
        note = _("Workshop suspended: %(reason)s") % {"reason": workshop.status_reason}
        cancelled = [quota_cancel(quota=quota, actor=actor, reason=note) for quota in open_quotas]
    return workshop, cancelled


# --- Following the order (registered with orders.open_work by production.apps) ----------------------------

# Quotas still running: offered, or accepted and not fully produced. They follow the order's extension or cancellation.
OPEN_QUOTA_STATUSES = (QuotaStatus.OFFERED, QuotaStatus.ACCEPTED)


def _open_quotas(order: Order) -> QuerySet[Quota]:
    """The order's quotas still running (locked): offered, or accepted and not fully produced."""
    return (
        Quota.objects.select_for_update()
        .filter(order=order, status__in=OPEN_QUOTA_STATUSES)
        .exclude(status=QuotaStatus.ACCEPTED, produced_units__gte=F("quantity") - F("released_units"))
        .order_by("pk")
    )


def quotas_cancel_with_order(order: Order, actor: User | None, reason: str) -> int:
    """The order is being cancelled: its open quotas become cancelled with the same reason; returns how many.

    Produced units stay on the quota: the workshop keeps the credit for what it made. Fully produced quotas are
    left as they are.
    """
    cancelled = 0
    for quota in _open_quotas(order):
        _mark_cancelled(quota, actor, reason)
        cancelled += 1
    return cancelled


def quotas_follow_order(order: Order, due_date: dt.date, actor: User | None, reason: str) -> int:
    """The order has a new needed-by date: its open quotas get ``due_date``, each change audited; returns how many."""
    moved = 0
    for quota in _open_quotas(order):
        if quota.due_date == due_date:
            continue
        old_due = quota.due_date
        quota.due_date = due_date
        quota.save(update_fields=["due_date"])
        log_action(
            actor=actor, obj=quota, action="quota.due_date", changes={"due_date": [old_due, due_date]}, note=reason
        )
        moved += 1
    return moved


def order_has_accepted_quota(order: Order) -> bool:
    return Quota.objects.filter(order=order, status=QuotaStatus.ACCEPTED).exists()
