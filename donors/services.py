"""Write operations on donors, pledges, campaigns and the ledger.

Every service that moves money runs in one transaction, locks the rows whose
balance it changes (always in the order pledge → campaign → orders by id →
quota, so two services never wait on each other), re-checks the invariants of
``donors.ledger`` on the locked state, appends ledger entries (never edits
them) and writes the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.bounds import MIN_PLEDGE_RIALS
from core.models import Role, User
from core.outbox import enqueue
from core.persian import ui_number
from core.scoping import scope_by_province
from orders import funding
from orders.models import Order, OrderPriority, OrderStatus
from orders.services import FUNDABLE_STATUSES, order_mark_funded_if_needed
from production.models import Quota

from . import ledger
from .models import Campaign, Donor, DonorKind, EntryKind, LedgerEntry, Pledge, PledgeStatus
from .notifications import notify_pledge_confirmed
from .receipts import receipt_issue
from .tasks import receipt_generate

RECEIVED_STATUSES = (PledgeStatus.RECEIVED, PledgeStatus.APPLIED)


def _require_coordinator(actor: User | None, order: Order | None = None) -> None:
    """A coordinator (of the order's province, when there is an order); ``None`` is the system."""
    if actor is None:
        return
    if not (actor.is_superuser or actor.role == Role.COORDINATOR):
        raise PermissionDenied
    if order is not None:
        in_scope = scope_by_province(Order.objects.filter(pk=order.pk), actor, field="health_center__province")
        if not in_scope.exists():
            raise PermissionDenied


def _positive(amount: int, field: str = "amount_rials") -> None:
    if amount is None or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero rials.")})


def _lock_orders(*orders: Order) -> list[Order]:
    ids = sorted({order.pk for order in orders})
    locked = {o.pk: o for o in Order.objects.select_for_update().select_related("product").filter(pk__in=ids)}
    return [locked[order.pk] for order in orders]


def _lock_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _lock_pledge(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update().get(pk=pledge.pk)


def _order_room(order: Order) -> int:
    """How much more money the order's budget can take in the ledger."""
    return max(order.budget_rials - ledger.order_applied_funds(order.pk), 0)


def _refuse_above_gap(gap: int, field: str = "amount_rials") -> ValidationError:
    if gap == 0:
        return ValidationError({field: _("This order is already fully funded; it needs no more money.")})
    return ValidationError(
        {
            field: _("That is more than this order still needs: only %(gap)s rials are missing.")
            % {"gap": ui_number(gap)}
        }
    )


def _refuse_below_commitments(order: Order, amount: int) -> None:
    """Refuse taking ``amount`` out of a locked order if its quotas would then be worth more than its money.

    Offered and accepted quotas were handed out against the order's confirmed
    funds (``orders.funding``); the allocation commit locks the same order rows,
    so this reads the quotas after any commit that was writing them.
    """
    committed = funding.committed_funds_rials(order)
    free = max(funding.confirmed_funds_rials(order) - committed, 0)
    if amount > free:
        raise ValidationError(
            {
                "amount_rials": _(
                    "%(committed)s rials of this order's money are committed to the quotas offered to or "
                    "accepted by workshops, so at most %(free)s rials can be taken from it."
                )
                % {"committed": ui_number(committed), "free": ui_number(free)}
            }
        )


def _entry(**fields) -> LedgerEntry:
    entry = LedgerEntry(**fields)
    entry.full_clean()
    entry.save()
    log_action(
        actor=fields.get("created_by"),
        obj=entry,
        action=f"ledger.{entry.kind}",
        changes={"amount_rials": [None, entry.amount_rials]},
        note=entry.note,
    )
    return entry


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
        room = _order_room(order)
        if amount_received_rials > room:
            raise _refuse_above_gap(room, "amount_received_rials")
    pledge.status = PledgeStatus.RECEIVED
    pledge.received_amount_rials = amount_received_rials
    pledge.bank_reference = bank_reference.strip()
    pledge.received_on = received_on
    pledge.save(update_fields=["status", "received_amount_rials", "bank_reference", "received_on"])
    _entry(
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
    if actor is not None and not (actor.is_donor and pledge.donor.user_id == actor.pk):
        _require_coordinator(actor, pledge.order)
    if pledge.status != PledgeStatus.PLEDGED:
        raise ValidationError(_("Only a pledge whose money has not arrived can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    pledge.status = PledgeStatus.CANCELLED
    pledge.status_reason = reason.strip()
    pledge.save(update_fields=["status", "status_reason"])
    log_action(
        actor=actor, obj=pledge, action="pledge.cancel", changes={"status": [PledgeStatus.PLEDGED, pledge.status]}
    )
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
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    _positive(amount)
    if pledge.campaign_id is not None:
        _lock_campaign(pledge.campaign)
        held = ledger.campaign_balance(pledge.campaign_id)
    else:
        (order,) = _lock_orders(pledge.order)
        held = ledger.order_balance(pledge.order_id)
    refundable = min(ledger.pledge_received(pledge.pk) - ledger.pledge_refunded(pledge.pk), held)
    if amount > refundable:
        raise ValidationError(
            {
                "amount_rials": _("At most %(amount)s rials of this pledge are unspent.")
                % {"amount": ui_number(refundable)}
            }
        )
    if pledge.order_id is not None:
        _refuse_below_commitments(order, amount)  # read under the order's lock
    entry = _entry(
        kind=EntryKind.REFUNDED,
        amount_rials=amount,
        from_order_id=pledge.order_id,
        from_campaign_id=pledge.campaign_id,
        to_donor_id=pledge.donor_id,
        pledge=pledge,
        created_by=actor,
        note=reason.strip(),
    )
    if ledger.pledge_refunded(pledge.pk) == ledger.pledge_received(pledge.pk):
        before = pledge.status
        pledge.status = PledgeStatus.REFUNDED
        pledge.status_reason = reason.strip()
        pledge.save(update_fields=["status", "status_reason"])
        log_action(actor=actor, obj=pledge, action="pledge.refunded", changes={"status": [before, pledge.status]})
    return entry


# --- Moving money between campaigns, orders and workshops ------------------------------------------------------


def _check_fundable(order: Order) -> None:
    if order.status not in FUNDABLE_STATUSES:
        raise ValidationError(_("Money cannot go to a %(status)s order.") % {"status": order.get_status_display()})


@transaction.atomic
def campaign_apply(*, campaign: Campaign, order: Order, amount: int, actor: User | None) -> LedgerEntry:
    """Spend part of a campaign's pool on an order (never more than the pool holds or the order needs)."""
    _require_coordinator(actor, order)
    _positive(amount)
    campaign = _lock_campaign(campaign)
    (order,) = _lock_orders(order)
    _check_fundable(order)
    held = ledger.campaign_balance(campaign.pk)
    if amount > held:
        raise ValidationError(
            {"amount_rials": _("The campaign holds only %(amount)s rials.") % {"amount": ui_number(held)}}
        )
    room = _order_room(order)
    if amount > room:
        raise _refuse_above_gap(room)
    entry = _entry(
        kind=EntryKind.APPLIED,
        amount_rials=amount,
        from_campaign=campaign,
        to_order=order,
        created_by=actor,
    )
    order_mark_funded_if_needed(order, actor=actor)
    return entry


PRIORITY_RANK = {OrderPriority.URGENT: 0, OrderPriority.HIGH: 1, OrderPriority.NORMAL: 2}
FILLABLE_STATUSES = (OrderStatus.OPEN, OrderStatus.FUNDED)


@transaction.atomic
def campaign_fill_urgent_gaps(*, campaign: Campaign, actor: User | None, provinces=None) -> list[LedgerEntry]:
    """Spend the campaign on the most urgent gaps: by priority, then needed-by date, then order id.

    Orders open for funding (or funded) in the actor's provinces (all of them for
    a national coordinator, a superuser or the system), narrowed to ``provinces``
    when given. Each order gets ``min(campaign balance, room left in its
    budget)`` through ``campaign_apply`` (its checks, ledger entry and audit),
    until the campaign is empty. Returns the entries written (none: nothing to fill).

    Locks: the campaign first, then every candidate order in one query sorted by
    id, and only then the applications; ``campaign_apply`` re-locks rows this
    transaction already holds, which does not wait. So the order stays
    pledge → campaign → orders by id, the same as every other money service.
    """
    _require_coordinator(actor)
    campaign = _lock_campaign(campaign)
    candidates = Order.objects.filter(status__in=FILLABLE_STATUSES)
    if actor is not None:
        candidates = scope_by_province(candidates, actor, field="health_center__province")
    if provinces is not None:
        candidates = candidates.filter(health_center__province__in=provinces)
    locked = list(candidates.select_for_update().select_related("product").order_by("pk"))
    locked.sort(key=lambda order: (PRIORITY_RANK.get(order.priority, len(PRIORITY_RANK)), order.needed_by, order.pk))
    entries: list[LedgerEntry] = []
    held = ledger.campaign_balance(campaign.pk)
    for order in locked:
        if held <= 0:
            break
        amount = min(held, _order_room(order))
        if amount <= 0:
            continue
        entries.append(campaign_apply(campaign=campaign, order=order, amount=amount, actor=actor))
        held -= amount
    return entries


@transaction.atomic
def funds_move(*, from_order: Order, to_order: Order, amount: int, actor: User | None, reason: str) -> LedgerEntry:
    """Move unspent money from one order to another (e.g. a cancelled order's funds to a similar need).

    Never the part the first order's offered and accepted quotas need (see ``pledge_refund``).
    """
    if from_order.pk == to_order.pk:
        raise ValidationError(_("Choose two different orders."))
    _require_coordinator(actor, from_order)
    _require_coordinator(actor, to_order)
    _positive(amount)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    from_order, to_order = _lock_orders(from_order, to_order)
    _check_fundable(to_order)
    held = ledger.order_balance(from_order.pk)
    if amount > held:
        raise ValidationError(
            {"amount_rials": _("The order holds only %(amount)s rials unspent.") % {"amount": ui_number(held)}}
        )
    _refuse_below_commitments(from_order, amount)
    room = _order_room(to_order)
    if amount > room:
        raise _refuse_above_gap(room)
    entry = _entry(
        kind=EntryKind.MOVED,
        amount_rials=amount,
        from_order=from_order,
        to_order=to_order,
        created_by=actor,
        note=reason.strip(),
    )
    order_mark_funded_if_needed(to_order, actor=actor)
    return entry


@transaction.atomic
def payout_record(*, quota: Quota, units: int, actor: User | None) -> LedgerEntry:
    """Pay a workshop for accepted, not yet paid units at the quota's piece rate, from its order's funds."""
    _require_coordinator(actor, quota.order)
    if units is None or units <= 0:
        raise ValidationError({"units": _("Enter at least one unit.")})
    (order,) = _lock_orders(quota.order)
    quota = Quota.objects.select_for_update().get(pk=quota.pk)
    unpaid = quota.accepted_units - quota.paid_units
    if units > unpaid:
        raise ValidationError(
            {"units": _("Only %(units)s accepted units are still unpaid.") % {"units": ui_number(unpaid)}}
        )
    amount = units * quota.piece_rate_rials
    _positive(amount)
    held = ledger.order_balance(order.pk)
    if amount > held:
        raise ValidationError(
            {
                "units": _("The order holds only %(amount)s rials, less than the %(pay)s rials this payout needs.")
                % {"amount": ui_number(held), "pay": ui_number(amount)}
            }
        )
    before = quota.paid_units
    quota.paid_units = before + units
    quota.save(update_fields=["paid_units"])
    log_action(actor=actor, obj=quota, action="quota.paid", changes={"paid_units": [before, quota.paid_units]})
    return _entry(
        kind=EntryKind.PAYOUT,
        amount_rials=amount,
        from_order=order,
        to_workshop_id=quota.workshop_id,
        quota=quota,
        created_by=actor,
    )
