"""Writes on donors, campaigns and pledges: register, open a campaign, pledge, confirm, cancel, refund.

Locks and checks shared with the other money services are in ``donors/services/guards.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import change_status, log_action
from core.bounds import MIN_PLEDGE_RIALS
from core.models import Role, User
from core.outbox import enqueue
from core.permissions import user_can
from core.persian import ui_number
from core.validators import required_reason
from orders.models import Order, OrderStatus
from orders.services import order_mark_funded_if_needed

from ..ledger import selectors as ledger
from ..ledger.services import entry_append
from ..models import Campaign, Donor, DonorKind, EntryKind, LedgerEntry, Pledge, PledgeStatus
from ..notifications import notify_pledge_confirmed
from ..receipts.services import receipt_issue
from ..receipts.tasks import receipt_generate
from .guards import (
    _check_at_most,
    _check_room,
    _lock_campaign,
    _lock_orders,
    _lock_pledge,
    _positive,
    _refuse_above_gap,
    _refuse_below_commitments,
    _require_coordinator,
)

RECEIVED_STATUSES = (PledgeStatus.RECEIVED, PledgeStatus.APPLIED)


# --- Donors and campaigns -------------------------------------------------------------------------------------


@transaction.atomic
def donor_register(*, user: User, kind: DonorKind | str = DonorKind.INDIVIDUAL, registration_number: str = "") -> Donor:
    if user.role != Role.DONOR:
        raise ValidationError(_("Only a donor account can have a donor profile."))
    donor = Donor(user=user, kind=DonorKind(kind), registration_number=registration_number)
    donor.full_clean()
    donor.save()
    return donor


@transaction.atomic
def campaign_create(
    *, name: str, goal_rials: int, starts_on: dt.date, ends_on: dt.date, actor: User, description: str = ""
) -> Campaign:
    """A coordinator opens a pool (e.g. «پویش فصل همدلی») that donors can give to."""
    _require_coordinator(actor)
    _positive(goal_rials, "goal_rials")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
    campaign = Campaign(
        name=name,
        goal_rials=goal_rials,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        created_by=actor,
    )
    campaign.full_clean()
    campaign.save()
    log_action(actor=actor, obj=campaign, action="campaign.create", changes={"goal_rials": [None, goal_rials]})
    return campaign


# --- Pledges --------------------------------------------------------------------------------------------------


def order_open_gap_rials(order: Order) -> int:
    """What an order can still be pledged: budget − funds in the ledger − pledges not yet received."""
    waiting = sum(order.pledges.filter(status=PledgeStatus.PLEDGED).values_list("amount_rials", flat=True))
    return max(order.budget_rials - ledger.order_applied_funds(order.pk) - waiting, 0)


@transaction.atomic
def pledge_create(
    *,
    donor: Donor,
    order: Order | None = None,
    campaign: Campaign | None = None,
    amount_rials: int,
    is_anonymous: bool = False,
    message: str = "",
    submission_key: uuid.UUID | None = None,
) -> Pledge:
    """Promise money to an order open for funding, or to a running campaign (exactly one of them).

    An order is never pledged more than it still needs: the refusal states the gap in rials. The same
    ``submission_key`` again (the form sent twice) returns the pledge it already made, before the gap is
    checked: the twin of a pledge that filled the gap is not "more than the order needs", it is the same one.
    """
    if (order is None) == (campaign is None):
        raise ValidationError(_("Choose either an order or a campaign."))
    _positive(amount_rials)
    if order is not None:
        (order,) = _lock_orders(order)  # concurrent pledges see each other's promise
    earlier = _pledge_sent_before(donor, submission_key)
    if earlier is not None:
        return earlier
    if order is not None:
        if order.status not in (OrderStatus.OPEN, OrderStatus.FUNDED):
            raise ValidationError(_("This order is not open for funding."))
        gap = order_open_gap_rials(order)
        if amount_rials > gap:
            raise _refuse_above_gap(gap)
    elif campaign.ends_on < timezone.localdate():
        raise ValidationError(_("This campaign has ended."))
    if amount_rials < MIN_PLEDGE_RIALS:
        message = _("The smallest pledge is %(limit_value)s rials.") % {"limit_value": ui_number(MIN_PLEDGE_RIALS)}
        raise ValidationError({"amount_rials": message})
    pledge = Pledge(
        donor=donor,
        order=order,
        campaign=campaign,
        amount_rials=amount_rials,
        is_anonymous=is_anonymous,
        message=message,
        submission_key=submission_key,
    )
    pledge.full_clean(exclude=["submission_key"])  # its uniqueness is the database's, below
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:
        # A campaign pledge has no order row to lock: its twin, sent at the same moment, committed first.
        earlier = _pledge_sent_before(donor, submission_key)
        if earlier is None:
            raise
        return earlier
    log_action(actor=donor.user, obj=pledge, action="pledge.create", changes={"amount_rials": [None, amount_rials]})
    return pledge


def _pledge_sent_before(donor: Donor, submission_key: uuid.UUID | None) -> Pledge | None:
    if submission_key is None:
        return None
    return Pledge.objects.filter(donor=donor, submission_key=submission_key).first()


@transaction.atomic
def pledge_confirm(
    *, pledge: Pledge, actor: User | None, amount_received_rials: int, bank_reference: str, received_on: dt.date
) -> Pledge:
    """Record that the pledged money arrived: one ``received`` entry, pledged → received.

    Confirming twice (a double click, two coordinators at once) counts once: the
    pledge row is locked and an already received pledge is returned unchanged.
    """
    pledge = _lock_pledge(pledge)
    _require_coordinator(actor, pledge.order)
    if pledge.status != PledgeStatus.PLEDGED:
        if pledge.status == PledgeStatus.CANCELLED:
            raise ValidationError(_("A cancelled pledge cannot be confirmed."))
        return pledge
    _positive(amount_received_rials, "amount_received_rials")
    if not bank_reference.strip():
        raise ValidationError({"bank_reference": _("Enter the bank's reference for this payment.")})
    if pledge.campaign_id is not None:
        _lock_campaign(pledge.campaign)
    else:
        (order,) = _lock_orders(pledge.order)
        _check_room(order, amount_received_rials, "amount_received_rials")
    pledge.status = PledgeStatus.RECEIVED
    pledge.received_amount_rials = amount_received_rials
    pledge.bank_reference = bank_reference.strip()
    pledge.received_on = received_on
    pledge.save(update_fields=["status", "received_amount_rials", "bank_reference", "received_on"])
    entry_append(
        kind=EntryKind.RECEIVED,
        amount_rials=amount_received_rials,
        from_donor_id=pledge.donor_id,
        to_order_id=pledge.order_id,
        to_campaign_id=pledge.campaign_id,
        pledge=pledge,
        created_by=actor,
        note=pledge.bank_reference,
    )
    if pledge.order_id is not None:
        order_mark_funded_if_needed(pledge.order, actor=actor)
    receipt = receipt_issue(pledge=pledge, actor=actor)
    enqueue(receipt_generate, receipt.pk, obj=receipt)
    notify_pledge_confirmed(pledge)
    log_action(
        actor=actor,
        obj=pledge,
        action="pledge.confirm",
        changes={
            "status": [PledgeStatus.PLEDGED, pledge.status],
            "received_amount_rials": [None, amount_received_rials],
        },
        note=pledge.bank_reference,
    )
    return pledge


@transaction.atomic
def pledge_cancel(*, pledge: Pledge, actor: User | None, reason: str) -> Pledge:
    """Cancel a pledge whose money never arrived (its donor or a coordinator); only pledged ones."""
    pledge = _lock_pledge(pledge)
    if actor is not None and not (user_can(actor, "give") and pledge.donor.user_id == actor.pk):
        _require_coordinator(actor, pledge.order)
    if pledge.status != PledgeStatus.PLEDGED:
        raise ValidationError(_("Only a pledge whose money has not arrived can be cancelled."))
    reason = required_reason(reason, _("Give a reason."))
    change_status(pledge, PledgeStatus.CANCELLED, actor=actor, action="pledge.cancel", status_reason=reason)
    return pledge


@transaction.atomic
def pledge_refund(*, pledge: Pledge, amount: int, actor: User | None, reason: str) -> LedgerEntry:
    """Give (part of) a received pledge back to its donor from where it went, up to what is unspent there.

    Money of an order that its offered and accepted quotas count on is not unspent: a refund may not take
    the order's confirmed funds below what those quotas need.
    """
    pledge = _lock_pledge(pledge)
    _require_coordinator(actor, pledge.order)
    if pledge.status not in RECEIVED_STATUSES:
        raise ValidationError(_("Only money that has been received can be refunded."))
    reason = required_reason(reason, _("Give a reason."))
    _positive(amount)
    if pledge.campaign_id is not None:
        _lock_campaign(pledge.campaign)
        held = ledger.campaign_balance(pledge.campaign_id)
    else:
        (order,) = _lock_orders(pledge.order)
        held = ledger.order_balance(pledge.order_id)
    refundable = min(ledger.pledge_received(pledge.pk) - ledger.pledge_refunded(pledge.pk), held)
    _check_at_most(amount, refundable, _("At most %(amount)s rials of this pledge are unspent."))
    if pledge.order_id is not None:
        _refuse_below_commitments(order, amount)  # read under the order's lock
    entry = entry_append(
        kind=EntryKind.REFUNDED,
        amount_rials=amount,
        from_order_id=pledge.order_id,
        from_campaign_id=pledge.campaign_id,
        to_donor_id=pledge.donor_id,
        pledge=pledge,
        created_by=actor,
        note=reason,
    )
    if ledger.pledge_refunded(pledge.pk) == ledger.pledge_received(pledge.pk):
        change_status(pledge, PledgeStatus.REFUNDED, actor=actor, action="pledge.refunded", status_reason=reason)
    return entry
