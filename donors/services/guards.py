"""What every write on pledges, campaigns and the ledger shares: who may, row locks, refusals.

Every service that moves money runs in one transaction, locks the rows whose
balance it changes (always in the order pledge → campaign → orders by id →
quota, so two services never wait on each other), re-checks the invariants of
``donors.ledger`` on the locked state, appends ledger entries (never edits
them, ``donors.ledger.services.entry_append``) and writes the audit log. The services are in
``donors/services/pledges.py`` (donors, campaigns, pledges) and
``donors/services/funds.py`` (money moved between campaigns, orders and workshops).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.models import User
from core.permissions import user_can
from core.persian import ui_number
from core.scoping import scope_by_province
from orders import funding
from orders.models import Order

from ..ledger import selectors as ledger
from ..models import Campaign, Pledge


def _require_coordinator(actor: User | None, order: Order | None = None) -> None:
    """A coordinator (of the order's province, when there is an order); ``None`` is the system."""
    if actor is None:
        return
    if not user_can(actor, "manage_donations"):
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


def _check_room(order: Order, amount: int, field: str = "amount_rials") -> None:
    """Refuse more money than the (locked) order's budget can still take."""
    room = _order_room(order)
    if amount > room:
        raise _refuse_above_gap(room, field)


def _check_at_most(amount: int, held: int, message: str) -> None:
    """Refuse an amount above what its source holds; ``message`` names that as ``%(amount)s`` rials."""
    if amount > held:
        raise ValidationError({"amount_rials": message % {"amount": ui_number(held)}})


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
