"""Where each pledge's money went, read from the ledger: the donor's trace.

Money is fungible once it sits in a campaign or an order, so the ledger alone
cannot say *whose* rials paid a given workshop. We attribute it first in,
first out: replaying the entries in order, every account (a campaign or an
order) holds a queue of (pledge, rials) pieces; money leaving an account
(applied, moved, paid out) takes the oldest pieces first, and a refund takes
the refunded pledge's own pieces. The rule is deterministic, never invents or
loses a rial (the pieces always add up to the account balances that
``donors.ledger.selectors`` computes), and is the same for every donor.

Units and deliveries come from the orders side (quotas, delivery lines), which
the services keep under locks; the money figures come only from the ledger.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Prefetch, Sum

from fulfilment.models import Delivery, DeliveryLine, DeliveryStatus
from orders.models import Order
from production.models import Quota, QuotaStatus

from ..models import Pledge
from .models import EntryKind, LedgerEntry

Account = tuple[str, int]  # ("campaign", id) or ("order", id)


@dataclass
class PledgeMoney:
    """Where one pledge's received rials are now, by FIFO attribution."""

    held: dict[Account, int] = field(default_factory=lambda: defaultdict(int))
    paid: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # quota id -> rials paid to its workshop
    reached_orders: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # order id -> rials
    refunded: int = 0

    @property
    def held_total(self) -> int:
        return sum(self.held.values())

    @property
    def paid_total(self) -> int:
        return sum(self.paid.values())


class _Queue:
    def __init__(self):
        self.pieces: deque[list[int]] = deque()  # [pledge_id, rials]

    def add(self, pledge_id: int, amount: int) -> None:
        if amount > 0:
            self.pieces.append([pledge_id, amount])

    def take(self, amount: int, pledge_id: int | None = None) -> list[tuple[int, int]]:
        """Remove ``amount`` rials, oldest first (only ``pledge_id``'s pieces when given)."""
        taken = []
        for piece in list(self.pieces):
            if amount <= 0:
                break
            if pledge_id is not None and piece[0] != pledge_id:
                continue
            part = min(piece[1], amount)
            piece[1] -= part
            amount -= part
            taken.append((piece[0], part))
        self.pieces = deque(p for p in self.pieces if p[1] > 0)
        return taken


# The last replay of this process and the ledger it read: (last id, entry count, rials moved).
_last_replay: tuple[tuple[int, int, int], dict[int, PledgeMoney]] | None = None


def attribute_ledger() -> dict[int, PledgeMoney]:
    """Per pledge, where its money is (see the module docstring); the result must be treated as read-only.

    The ledger is append-only, so its last id, entry count and sum name its
    content: a donor's page replays it only when an entry was added since the
    last replay of this process. Inside a transaction (a payout batch being
    paid, tests) it always replays: what it reads there may still roll back.
    """
    global _last_replay
    if transaction.get_connection().in_atomic_block:
        return _replay_ledger()
    totals = LedgerEntry.objects.aggregate(last=Max("pk"), count=Count("pk"), rials=Sum("amount_rials"))
    version = (totals["last"] or 0, totals["count"], totals["rials"] or 0)
    if _last_replay is None or _last_replay[0] != version:
        _last_replay = (version, _replay_ledger())
    return _last_replay[1]


def _replay_ledger() -> dict[int, PledgeMoney]:
    queues: dict[Account, _Queue] = defaultdict(_Queue)
    money: dict[int, PledgeMoney] = defaultdict(PledgeMoney)

    def move(source: Account, target: Account | None, amount: int, pledge_id: int | None = None):
        for owner, part in queues[source].take(amount, pledge_id):
            money[owner].held[source] -= part
            if target is not None:
                queues[target].add(owner, part)
                money[owner].held[target] += part
                if target[0] == "order":
                    money[owner].reached_orders[target[1]] += part
            yield owner, part

    entries = LedgerEntry.objects.order_by("pk").values_list(
        "kind",
        "amount_rials",
        "pledge_id",
        "from_campaign_id",
        "from_order_id",
        "to_campaign_id",
        "to_order_id",
        "quota_id",
    )
    for kind, amount, pledge_id, from_campaign, from_order, to_campaign, to_order, quota_id in entries.iterator():
        source: Account | None = (
            ("campaign", from_campaign) if from_campaign else ("order", from_order) if from_order else None
        )
        if kind == EntryKind.RECEIVED:
            target: Account = ("campaign", to_campaign) if to_campaign else ("order", to_order)
            queues[target].add(pledge_id, amount)
            money[pledge_id].held[target] += amount
            if target[0] == "order":
                money[pledge_id].reached_orders[to_order] += amount
        elif kind in (EntryKind.APPLIED, EntryKind.MOVED):
            list(move(source, ("order", to_order), amount))
        elif kind == EntryKind.PAYOUT:
            for owner, part in move(source, None, amount):
                money[owner].paid[quota_id] += part
        elif kind == EntryKind.REFUNDED:
            for owner, part in move(source, None, amount, pledge_id):
                money[owner].refunded += part
    for item in money.values():
        item.held = {account: rials for account, rials in item.held.items() if rials}
    return dict(money)


# --- The donor's page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopStep:
    label: str  # the workshop's name with its consent, otherwise "a workshop in <city>"
    is_named: bool
    city: str
    produced_units: int
    accepted_units: int
    paid_by_you_rials: int
    paid_by_you_units: int


@dataclass(frozen=True)
class DeliveryStep:
    code: str
    health_center: str
    planned_date: object
    status: str
    status_label: str
    units: int
    received_units: int | None


@dataclass(frozen=True)
class OrderStep:
    order: Order
    reached_rials: int  # everything of this pledge that reached the order (held there now, paid out or moved on)
    held_rials: int
    units_bought: int  # reached rials ÷ the order's unit cost, rounded down
    workshops: list[WorkshopStep]
    deliveries: list[DeliveryStep]


@dataclass(frozen=True)
class PledgeTrace:
    in_campaigns_rials: int
    orders: list[OrderStep]
    paid_to_workshops_rials: int
    refunded_rials: int

    @property
    def is_empty(self) -> bool:
        return not (self.in_campaigns_rials or self.orders or self.refunded_rials)


def _workshop_label(workshop) -> tuple[str, bool]:
    if workshop.public_name_consent:
        return workshop.name, True
    return str(workshop.city), False


def traces_for(pledges: list[Pledge]) -> dict[int, PledgeTrace]:
    """The trace of each pledge (received money only), with the orders, workshops and deliveries it reached."""
    money = attribute_ledger()
    wanted = {p.pk: money.get(p.pk, PledgeMoney()) for p in pledges}
    order_ids = {order_id for item in wanted.values() for order_id in item.reached_orders}
    lines = DeliveryLine.objects.exclude(delivery__status=DeliveryStatus.CANCELLED).select_related(
        "delivery__health_center"
    )
    orders = {
        order.pk: order
        for order in Order.objects.filter(pk__in=order_ids)
        .select_related("product", "health_center")
        .prefetch_related(
            Prefetch(
                "quotas",
                queryset=Quota.objects.exclude(status=QuotaStatus.DECLINED)
                .select_related("workshop__city")
                .prefetch_related(Prefetch("delivery_lines", queryset=lines)),
            )
        )
    }
    traces = {}
    for pledge_id, item in wanted.items():
        steps = []
        for order_id, reached in sorted(item.reached_orders.items()):
            order = orders[order_id]
            workshops, deliveries = [], {}
            for quota in order.quotas.all():
                paid = item.paid.get(quota.pk, 0)
                if quota.produced_units or paid:
                    label, named = _workshop_label(quota.workshop)
                    workshops.append(
                        WorkshopStep(
                            label=label,
                            is_named=named,
                            city=str(quota.workshop.city),
                            produced_units=quota.produced_units,
                            accepted_units=quota.accepted_units,
                            paid_by_you_rials=paid,
                            paid_by_you_units=paid // quota.piece_rate_rials if quota.piece_rate_rials else 0,
                        )
                    )
                for line in quota.delivery_lines.all():
                    delivery: Delivery = line.delivery
                    step = deliveries.get(delivery.pk)
                    received = (
                        line.received_units - (line.rejected_units or 0) if line.received_units is not None else None
                    )
                    if step is None:
                        deliveries[delivery.pk] = DeliveryStep(
                            code=delivery.code,
                            health_center=str(delivery.health_center),
                            planned_date=delivery.planned_date,
                            status=delivery.status,
                            status_label=delivery.get_status_display(),
                            units=line.units,
                            received_units=received,
                        )
                    else:
                        deliveries[delivery.pk] = DeliveryStep(
                            **{
                                **step.__dict__,
                                "units": step.units + line.units,
                                "received_units": None
                                if received is None and step.received_units is None
                                else (step.received_units or 0) + (received or 0),
                            }
                        )
            steps.append(
                OrderStep(
                    order=order,
                    reached_rials=reached,
                    held_rials=item.held.get(("order", order_id), 0),
                    units_bought=reached // order.unit_cost_rials if order.unit_cost_rials else 0,
                    workshops=workshops,
                    deliveries=sorted(deliveries.values(), key=lambda d: (d.planned_date, d.code)),
                )
            )
        traces[pledge_id] = PledgeTrace(
            in_campaigns_rials=sum(rials for (kind, _), rials in item.held.items() if kind == "campaign"),
            orders=steps,
            paid_to_workshops_rials=item.paid_total,
            refunded_rials=item.refunded,
        )
    return traces
