"""Money moved between campaigns, orders and workshops: a campaign applied to an order (or to the most urgent
gaps), funds moved between orders, and a payout to a workshop for accepted units.

Locks and checks shared with the other money services are in ``donors/services/guards.py``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import add_and_log
from core.models import User
from core.persian import ui_number
from core.scoping import scope_by_province
from core.validators import required_reason
from orders.models import Order, OrderStatus
from orders.services import FUNDABLE_STATUSES, order_mark_funded_if_needed
from orders.urgency import PRIORITY_RANK, with_urgency
from production.models import Quota

from ..ledger import selectors as ledger
from ..ledger.services import entry_append
from ..models import Campaign, EntryKind, LedgerEntry
from .guards import (
    _check_at_most,
    _check_room,
    _lock_campaign,
    _lock_orders,
    _order_room,
    _positive,
    _refuse_below_commitments,
    _require_coordinator,
)

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
    _check_at_most(amount, ledger.campaign_balance(campaign.pk), _("The campaign holds only %(amount)s rials."))
    _check_room(order, amount)
    entry = entry_append(
        kind=EntryKind.APPLIED,
        amount_rials=amount,
        from_campaign=campaign,
        to_order=order,
        created_by=actor,
    )
    order_mark_funded_if_needed(order, actor=actor)
    return entry


FILLABLE_STATUSES = (OrderStatus.OPEN, OrderStatus.FUNDED)


@transaction.atomic
def campaign_fill_urgent_gaps(*, campaign: Campaign, actor: User | None, provinces=None) -> list[LedgerEntry]:
    """Spend the campaign on the most urgent gaps: by urgency (priority and crisis severity, ``orders.urgency``),
    then priority, needed-by date and order id.

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
    ids = [order.pk for order in locked]
    urgency = dict(with_urgency(Order.objects.filter(pk__in=ids)).values_list("pk", "urgency"))
    locked.sort(key=lambda order: (-urgency[order.pk], PRIORITY_RANK.get(order.priority, 9), order.needed_by, order.pk))
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
    reason = required_reason(reason, _("Give a reason."))
    from_order, to_order = _lock_orders(from_order, to_order)
    _check_fundable(to_order)
    held = ledger.order_balance(from_order.pk)
    _check_at_most(amount, held, _("The order holds only %(amount)s rials unspent."))
    _refuse_below_commitments(from_order, amount)
    _check_room(to_order, amount)
    entry = entry_append(
        kind=EntryKind.MOVED,
        amount_rials=amount,
        from_order=from_order,
        to_order=to_order,
        created_by=actor,
        note=reason,
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
    add_and_log(quota, {"paid_units": units}, actor=actor, action="quota.paid")
    return entry_append(
        kind=EntryKind.PAYOUT,
        amount_rials=amount,
        from_order=order,
        to_workshop_id=quota.workshop_id,
        quota=quota,
        created_by=actor,
    )
