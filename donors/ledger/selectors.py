"""The ledger's reads: balances computed from the append-only entries, and the re-check of its invariants.

Accounts: donors (money comes from and is refunded to them), campaigns and
orders (money is held there), workshops (money is paid out to them). Each
``LedgerEntry`` moves ``amount_rials`` from one account to another; no
balance is stored anywhere, every figure below is a ``SUM`` over entries.

- ``order_applied_funds``: all money that has reached an order and still
  belongs to it (received + applied from campaigns + moved in − moved out −
  refunded). Payouts do not lower it: paid work stays paid for. This is what
  ``orders.funding.confirmed_funds_rials`` returns (registered in ``donors.apps``).
- ``order_balance``: money an order still holds: applied funds − payouts.

Invariants (enforced by ``donors.services`` under row locks, re-checked over
the whole ledger by ``ledger_problems`` / ``manage.py ledger_check``):
no balance is negative; an order's applied funds never exceed its budget;
payouts never exceed the funds applied to their order; a pledge is received
at most once and refunded at most what was received; a quota's payouts equal
its paid units times its piece rate; and money is conserved:
received = held in campaigns + held in orders + paid out + refunded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from orders.models import Order
from production.models import Quota

from ..models import Campaign, Pledge, PledgeStatus
from .models import EntryKind, LedgerEntry
from .seals import seal_problems

ORDER_INFLOW_KINDS = (EntryKind.RECEIVED, EntryKind.APPLIED, EntryKind.MOVED)
ORDER_OUTFLOW_KINDS = (EntryKind.MOVED, EntryKind.REFUNDED)  # payouts are spent, not taken away


def _sum(**filters) -> int:
    total = LedgerEntry.objects.filter(**filters).aggregate(
        total=Coalesce(Sum("amount_rials"), Value(0), output_field=BigIntegerField())
    )
    return int(total["total"])


# --- Balances of one account ---------------------------------------------------------------------------------


def order_applied_funds(order_id: int) -> int:
    """Total money that has reached the order and still belongs to it (the funding seam's figure)."""
    return _sum(to_order_id=order_id, kind__in=ORDER_INFLOW_KINDS) - _sum(
        from_order_id=order_id, kind__in=ORDER_OUTFLOW_KINDS
    )


def _order_sum_subquery(side: str, kinds) -> Coalesce:
    totals = (
        LedgerEntry.objects.filter(**{side: OuterRef("pk")}, kind__in=kinds)
        .order_by()
        .values(side)
        .annotate(total=Sum("amount_rials"))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


def order_applied_funds_expression():
    """``order_applied_funds`` as an expression on ``Order`` rows (the twin of ``confirmed_funds_expression``)."""
    return _order_sum_subquery("to_order", ORDER_INFLOW_KINDS) - _order_sum_subquery("from_order", ORDER_OUTFLOW_KINDS)


def order_paid_out(order_id: int) -> int:
    return _sum(from_order_id=order_id, kind=EntryKind.PAYOUT)


def order_balance(order_id: int) -> int:
    """Funds the order still holds: received + applied + moved in − moved out − payouts − refunds."""
    return order_applied_funds(order_id) - order_paid_out(order_id)


def campaign_received(campaign_id: int) -> int:
    return _sum(to_campaign_id=campaign_id)


def campaign_received_expression() -> Coalesce:
    """``campaign_received`` as an expression on ``Campaign`` rows: a list of campaigns in one query."""
    totals = (
        LedgerEntry.objects.filter(to_campaign=OuterRef("pk"))
        .order_by()
        .values("to_campaign")
        .annotate(total=Sum("amount_rials"))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


def campaign_balance(campaign_id: int) -> int:
    """Funds the campaign still holds: received − applied to orders − refunded."""
    return _sum(to_campaign_id=campaign_id) - _sum(from_campaign_id=campaign_id)


def workshop_paid(workshop_id: int) -> int:
    return _sum(to_workshop_id=workshop_id)


def donor_given(donor_id: int) -> int:
    """What the donor has given, net of refunds."""
    return _sum(from_donor_id=donor_id) - _sum(to_donor_id=donor_id)


def pledge_received(pledge_id: int) -> int:
    return _sum(pledge_id=pledge_id, kind=EntryKind.RECEIVED)


def pledge_refunded(pledge_id: int) -> int:
    return _sum(pledge_id=pledge_id, kind=EntryKind.REFUNDED)


def quota_paid(quota_id: int) -> int:
    return _sum(quota_id=quota_id, kind=EntryKind.PAYOUT)


# --- Whole ledger ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerTotals:
    received: int
    held_in_campaigns: int
    held_in_orders: int
    paid_out: int
    refunded: int
    entries: int

    @property
    def is_conserved(self) -> bool:
        return self.received == self.held_in_campaigns + self.held_in_orders + self.paid_out + self.refunded


def _grouped(field: str, **filters) -> dict[int, int]:
    rows = (
        LedgerEntry.objects.filter(**{f"{field}__isnull": False}, **filters)
        .order_by()
        .values_list(field)
        .annotate(total=Sum("amount_rials"))
    )
    return {key: int(total) for key, total in rows}


def _net(incoming: dict[int, int], outgoing: dict[int, int]) -> dict[int, int]:
    result: dict[int, int] = defaultdict(int)
    for key, amount in incoming.items():
        result[key] += amount
    for key, amount in outgoing.items():
        result[key] -= amount
    return dict(result)


def _order_figures() -> tuple[dict[int, int], dict[int, int]]:
    """(applied funds, balance) per order that appears in the ledger."""
    applied = _net(
        _grouped("to_order", kind__in=ORDER_INFLOW_KINDS), _grouped("from_order", kind__in=ORDER_OUTFLOW_KINDS)
    )
    paid = _grouped("from_order", kind=EntryKind.PAYOUT)
    for key in paid:
        applied.setdefault(key, 0)
    balance = {key: amount - paid.get(key, 0) for key, amount in applied.items()}
    return applied, balance


def ledger_totals() -> LedgerTotals:
    by_kind = dict(LedgerEntry.objects.order_by().values_list("kind").annotate(total=Sum("amount_rials")))
    campaigns = _net(_grouped("to_campaign"), _grouped("from_campaign"))
    _, orders = _order_figures()
    return LedgerTotals(
        received=int(by_kind.get(EntryKind.RECEIVED, 0)),
        held_in_campaigns=sum(campaigns.values()),
        held_in_orders=sum(orders.values()),
        paid_out=int(by_kind.get(EntryKind.PAYOUT, 0)),
        refunded=int(by_kind.get(EntryKind.REFUNDED, 0)),
        entries=LedgerEntry.objects.count(),
    )


def _rials(amount: int) -> str:
    return f"{amount:,} rials"


def ledger_problems() -> list[str]:
    """Every broken invariant over the whole ledger, as readable sentences (empty when all is well)."""
    problems: list[str] = []

    campaigns = _net(_grouped("to_campaign"), _grouped("from_campaign"))
    names = dict(Campaign.objects.filter(pk__in=campaigns).values_list("pk", "name"))
    for campaign_id, balance in sorted(campaigns.items()):
        if balance < 0:
            problems.append(f"Campaign #{campaign_id} «{names.get(campaign_id)}» holds {_rials(balance)} (negative).")

    applied, balances = _order_figures()
    orders = {o.pk: o for o in Order.objects.filter(pk__in=applied)}
    for order_id in sorted(applied):
        order = orders[order_id]
        if applied[order_id] < 0:
            problems.append(f"Order {order.number} has {_rials(applied[order_id])} applied (negative).")
        if applied[order_id] > order.budget_rials:
            problems.append(
                f"Order {order.number} has {_rials(applied[order_id])} applied, "
                f"more than its budget of {_rials(order.budget_rials)}."
            )
        if balances[order_id] < 0:
            problems.append(
                f"Order {order.number} paid out {_rials(applied[order_id] - balances[order_id])}, "
                f"more than the {_rials(applied[order_id])} applied to it."
            )

    donors = _net(_grouped("from_donor"), _grouped("to_donor"))
    for donor_id, given in sorted(donors.items()):
        if given < 0:
            problems.append(f"Donor #{donor_id} was refunded {_rials(-given)} more than they gave.")

    problems += _pledge_problems()
    problems += _quota_problems()
    problems += seal_problems()

    totals = ledger_totals()
    if not totals.is_conserved:
        problems.append(
            f"Money is not conserved: received {_rials(totals.received)} but campaigns hold "
            f"{_rials(totals.held_in_campaigns)}, orders hold {_rials(totals.held_in_orders)}, "
            f"{_rials(totals.paid_out)} were paid out and {_rials(totals.refunded)} refunded."
        )
    return problems


def _pledge_problems() -> list[str]:
    problems = []
    received = defaultdict(list)
    for entry in LedgerEntry.objects.filter(kind=EntryKind.RECEIVED).order_by("pk"):
        received[entry.pledge_id].append(entry)
    refunded = _grouped("pledge", kind=EntryKind.REFUNDED)
    refund_shapes = LedgerEntry.objects.filter(kind=EntryKind.REFUNDED).values_list(
        "pledge_id", "to_donor_id", "from_order_id", "from_campaign_id"
    )
    pledge_ids = (
        set(received)
        | set(refunded)
        | set(Pledge.objects.exclude(status=PledgeStatus.PLEDGED).values_list("pk", flat=True))
    )
    pledges = {p.pk: p for p in Pledge.objects.filter(pk__in=pledge_ids)}
    for pledge_id in sorted(pledge_ids):
        pledge = pledges[pledge_id]
        entries = received.get(pledge_id, [])
        expects_money = pledge.status in (PledgeStatus.RECEIVED, PledgeStatus.APPLIED, PledgeStatus.REFUNDED)
        if len(entries) > 1:
            problems.append(f"Pledge #{pledge_id} was received {len(entries)} times.")
        if entries and not expects_money:
            problems.append(f"Pledge #{pledge_id} is {pledge.status} but has a received entry.")
        if expects_money and not entries:
            problems.append(f"Pledge #{pledge_id} is {pledge.status} but has no received entry.")
        for entry in entries:
            if (entry.from_donor_id, entry.to_order_id, entry.to_campaign_id) != (
                pledge.donor_id,
                pledge.order_id,
                pledge.campaign_id,
            ):
                problems.append(f"Pledge #{pledge_id}: its received entry #{entry.pk} names other accounts.")
        if expects_money and entries and sum(e.amount_rials for e in entries) != pledge.received_amount_rials:
            problems.append(f"Pledge #{pledge_id}: the received entries differ from the amount recorded as received.")
        got = sum(e.amount_rials for e in entries)
        back = refunded.get(pledge_id, 0)
        if back > got:
            problems.append(f"Pledge #{pledge_id} was refunded {_rials(back)}, more than the {_rials(got)} received.")
        if pledge.status == PledgeStatus.REFUNDED and back != got:
            problems.append(f"Pledge #{pledge_id} is refunded but only {_rials(back)} of {_rials(got)} went back.")
    for pledge_id, to_donor, from_order, from_campaign in refund_shapes:
        pledge = pledges[pledge_id]
        if (to_donor, from_order, from_campaign) != (pledge.donor_id, pledge.order_id, pledge.campaign_id):
            problems.append(f"Pledge #{pledge_id}: a refund names other accounts than the pledge.")
    return problems


def _quota_problems() -> list[str]:
    problems = []
    paid = _grouped("quota", kind=EntryKind.PAYOUT)
    shapes = (
        LedgerEntry.objects.filter(kind=EntryKind.PAYOUT)
        .order_by()
        .values_list("quota_id", "from_order_id", "to_workshop_id")
        .annotate(n=Count("id"))
    )
    quota_ids = set(paid) | set(Quota.objects.filter(paid_units__gt=0).values_list("pk", flat=True))
    quotas = {q.pk: q for q in Quota.objects.filter(pk__in=quota_ids)}
    for quota_id in sorted(quota_ids):
        quota = quotas[quota_id]
        if paid.get(quota_id, 0) != quota.paid_rials:
            problems.append(
                f"Quota #{quota_id}: payouts total {_rials(paid.get(quota_id, 0))} but its "
                f"{quota.paid_units} paid units at the piece rate make {_rials(quota.paid_rials)}."
            )
    for quota_id, from_order, to_workshop, _n in shapes:
        quota = quotas[quota_id]
        if (from_order, to_workshop) != (quota.order_id, quota.workshop_id):
            problems.append(f"Quota #{quota_id}: a payout names another order or workshop than the quota.")
    return problems
