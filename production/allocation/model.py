"""Inputs, outputs and weights of the allocation engine: plain frozen values, no database.

The DB-facing service turns orders, workshops and active quotas into these
values, calls :func:`production.allocation.allocate` and turns the :class:`Plan`
back into quota offers and Persian sentences. Everything here is hashable or
sortable so that the engine can put its input in a canonical order and return
the same plan whatever order the caller used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from workshops.calendar import WorkCalendar

URGENT, HIGH, NORMAL = "urgent", "high", "normal"  # the values of orders.models.OrderPriority
DEFAULT_MIN_QUOTA = 10


@dataclass(frozen=True)
class OrderDemand:
    """Units of one open order that may still be allocated.

    ``units`` is the releasable (funded) part not already covered by active
    quotas; ``due_date`` is the due date the new quotas get (the order's
    needed-by date minus the delivery lead time, computed by the caller).
    ``city_id`` may be None when unknown: the order then has no same-city workshop.
    """

    order_id: int
    product_id: int
    province_id: int
    city_id: int | None
    units: int
    due_date: dt.date
    priority: str = NORMAL
    # The crisis level at the order's health center (crisis.selectors: white 0 … red 3). With the priority it
    # gives the order's urgency class (orders.urgency): ``Weights.demand_weight``.
    severity: int = 0
    # ``units`` is only part of the order (the rest is already allocated or not yet funded): every new quota
    # then needs the minimum size. The all-or-nothing exception is for an order that is small as a whole,
    # not for a re-run's remainder or a first payment (no 1-unit quota of a 4,400-unit order).
    partial: bool = False


@dataclass(frozen=True)
class ExistingLoad:
    """Remaining units of an active quota the workshop already holds (they take its time first)."""

    product_id: int
    units: int
    due_date: dt.date


@dataclass(frozen=True)
class WorkshopSupply:
    """A verified workshop: where it is, what it makes per working day, when it works, what it owes.

    ``rates`` maps product id to units per working day (only products with a
    rate > 0 are made). An existing load of a product without a rate takes no
    time in the engine's arithmetic (its time is unknown; ``loads_at_risk``
    already flags such a quota to the coordinator).
    """

    workshop_id: int
    province_id: int
    city_id: int | None
    rates: Mapping[int, int]
    calendar: WorkCalendar
    woman_head: bool = False
    loads: tuple[ExistingLoad, ...] = ()


def _default_priorities() -> Mapping[str, float]:
    return MappingProxyType({URGENT: 1000.0, HIGH: 300.0, NORMAL: 100.0})


# orders.urgency's rule, repeated here because the engine imports no Django app above it: urgency = priority
# points + crisis level (0–3), so classes 1 (white normal) to 6 (red urgent).
PRIORITY_POINTS = {NORMAL: 1, HIGH: 2, URGENT: 3}
MAX_SEVERITY = 3


def urgency_class(priority: str, severity: int) -> int:
    try:
        return PRIORITY_POINTS[priority] + min(max(int(severity), 0), MAX_SEVERITY)
    except KeyError:
        raise ValueError(f"unknown priority {priority!r}") from None


@dataclass(frozen=True)
class Weights:
    """Costs per unit in the objective (see the package docstring for the model).

    The priority weights dwarf the per-unit placement costs on purpose: no
    distance or fairness saving ever justifies leaving a unit unmet.

    ``strict_priority`` (the default) makes the classes strict across products:
    :meth:`resolved` raises the weight of each class above what any amount of
    a lower class could be worth in the same workshop time, so an urgent unit
    is never left unmet while a workshop that could make it spends the time on
    a high or normal order, even when that order's product is many times
    faster to sew (see :meth:`resolved`).
    """

    priority: Mapping[str, float] = field(default_factory=_default_priorities)
    same_city: float = 0.0
    same_province: float = 1.0
    other_province: float = 4.0
    overload: float = 2.0  # per unit beyond the fair share of a workshop's free time
    woman_head: float = -0.5  # per unit given to a woman-head-of-household workshop
    fair_share: float = 0.8  # share of free workshop-days that carries no overload cost
    strict_priority: bool = True
    max_rate_ratio: float = 1000.0  # strictness is guaranteed up to this fastest/slowest product ratio
    # Set by ``resolved``: the weight of each urgency class (1–6) a run really uses; empty: from ``priority``.
    urgency: Mapping[int, float] = field(default_factory=dict)

    def priority_weight(self, priority: str) -> float:
        try:
            return float(self.priority[priority])
        except KeyError:
            raise ValueError(f"unknown priority {priority!r}") from None

    def urgency_weights(self) -> dict[int, float]:
        """Weight per unmet unit of each urgency class: classes 1–3 are white normal, high and urgent (the
        configured priority weights); each class above grows by the urgent/high ratio again, so a red province's
        normal order (class 4) weighs more than a white urgent one (class 3), as orders.urgency ranks them."""
        by_points = {points: self.priority_weight(name) for name, points in PRIORITY_POINTS.items()}
        if self.urgency:
            return dict(self.urgency)
        weights = dict(by_points)
        step = max(by_points[3] / by_points[2], 1.0) if by_points[2] else 1.0
        for urgency in range(4, 4 + MAX_SEVERITY):
            weights[urgency] = weights[urgency - 1] * step
        return weights

    def demand_weight(self, demand: OrderDemand) -> float:
        """What one unmet unit of ``demand`` costs: its urgency class's weight (priority and crisis level)."""
        return self.urgency_weights()[urgency_class(demand.priority, demand.severity)]

    def cost_spread(self) -> float:
        """Most the placement and overload costs of one unit can differ between two places."""
        dearest = max(self.same_city, self.same_province, self.other_province) + max(self.woman_head, 0.0)
        cheapest = min(self.same_city, self.same_province, self.other_province) + min(self.woman_head, 0.0)
        return dearest + max(self.overload, 0.0) - cheapest

    def resolved(self, workshops: Iterable[WorkshopSupply], orders: Iterable[OrderDemand] = ()) -> Weights:
        """The weights a run really uses: with ``strict_priority``, each class outweighs the next lower one.

        The rule: in one workshop's time, a unit of product A takes at most R
        times the time of a unit of product B, R being the largest ratio of a
        workshop's fastest to its slowest daily rate (capped at
        ``max_rate_ratio`` to keep the LP well scaled). Moving time from a
        lower class to a higher one gives up at most R lower units per higher
        unit gained, each worth its weight plus at most the cost spread S. So
        with ``W_higher > S + R * (W_lower + S)`` every such move lowers the
        objective, and an optimal plan never leaves a higher-class unit unmet
        while a workshop that could make it gives the time to a lower class.
        A class keeps its configured weight when that is already larger
        (one product per workshop: R = 1, and the defaults already comply).
        """
        if not self.strict_priority:
            return self
        ratio = 1.0
        for workshop in workshops:
            rates = [rate for rate in workshop.rates.values() if rate > 0]
            if len(rates) > 1:
                ratio = max(ratio, max(rates) / min(rates))
        ratio = min(ratio, self.max_rate_ratio)
        spread = self.cost_spread()
        scaled: dict[int, float] = {}
        lower = None
        # Classes from the least urgent up (white normal first). The priority classes 1–3 are always scaled as
        # they always were; a crisis class (4–6) only when an order of the run has it, so the weights (which grow
        # as R to the power of the classes above) stay small enough for the LP when no province is in crisis.
        present = {urgency_class(order.priority, order.severity) for order in orders}
        for urgency, weight in sorted(self.urgency_weights().items()):
            if urgency > len(PRIORITY_POINTS) and urgency not in present:
                continue
            if lower is not None:
                weight = max(weight, spread + ratio * (lower + spread) + 1.0)
            scaled[urgency] = lower = weight
        names = {name: scaled[points] for name, points in PRIORITY_POINTS.items() if name in self.priority}
        return replace(
            self,
            priority=MappingProxyType(names),
            urgency=MappingProxyType(scaled),
            strict_priority=False,
        )


@dataclass(frozen=True)
class Options:
    """Knobs of one run. Pruning is described in ``candidates.py``, pricing in ``pricing.py``.

    ``prune_above=None`` never prunes: exact, but a whole country then has
    millions of pairs, far beyond the time budget. Pricing stops on counts
    (rounds, simplex iterations), never on the clock, so that the same input
    always gives the same plan.
    """

    min_quota: int = DEFAULT_MIN_QUOTA
    weights: Weights = field(default_factory=Weights)
    prune_above: int | None = 20_000  # eligible pairs; at most this many: the LP gets them all
    same_province_capacity: float = 3.0
    other_province_capacity: float = 1.0
    other_province_min: int = 2
    order_makers: int | None = 12  # at most this many makers per order in each of the two lists (scarce runs)
    workshop_best: int = 3  # per workshop, its most valuable orders per unit of its time (pruned scarce runs)
    scarce_ratio: float = 0.8  # demand / free capacity (in workshop-days) from which a run counts as scarce
    # A scarce run with at most this many (hub, workshop) arcs solves the full model's LP exactly through hubs
    # (``flow_lp.py``); beyond it the pruned pair LP. The flow LP's time grows faster than its size (measured:
    # about 55,000 arcs in 7 s, 276,000 in 455 s on this machine). 0 turns it off.
    flow_lp_arcs: int = 80_000
    pricing_rounds: int = 3  # re-solves with the improving left-out pairs added
    pricing_iterations: int = 50_000  # no new round once the LP solves took this many simplex iterations
    pricing_per_order: int = 10  # improving pairs added per order and round
    warm_start: bool = True  # each pricing round starts from the previous round's optimal basis
    time_limit_seconds: float = 60.0  # per LP solve; reaching it raises RuntimeError


@dataclass(frozen=True, order=True)
class Allocation:
    """One proposed quota: ``units`` (>= 1) of the order for the workshop, due on ``due_date``."""

    order_id: int
    workshop_id: int
    units: int
    due_date: dt.date


@dataclass(frozen=True)
class Unmet:
    """Units of an order the plan leaves unallocated, why, and the facts for the Persian sentence.

    ``params`` always has ``product_id``, ``province_id``, ``due_date``,
    ``units`` (asked), ``met`` and ``unmet``; some reasons add more (see
    :mod:`production.allocation.reasons`).
    """

    order_id: int
    units: int
    reason: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Plan:
    """The engine's answer.

    ``allocations`` are sorted by (order id, workshop id), one per pair, each of
    at least one unit; ``unmet`` by order id, one per order left short.
    ``objective`` is the model's objective of this integer plan (the checker's
    ``plan_objective`` recomputes it exactly). ``lp_bound`` is the optimum of
    the LP relaxation over the pairs the engine kept: all eligible pairs on
    inputs up to ``Options.prune_above`` of them, then ``objective >=
    lp_bound`` and the gap is what whole units and the minimum quota cost. On
    bigger inputs the pairs are pruned; ``stats["pricing_converged"]`` says
    whether pricing proved the pruned LP optimal for the full model, and
    ``stats["full_model_bound"]`` is a lower bound for the full model either
    way. (The repair may place units on any eligible pair, so a pruned run's
    plan can even beat the pruned LP.) ``stats`` also has counts (pairs,
    variables, constraints) and timings in seconds, as plain JSON values.
    """

    allocations: tuple[Allocation, ...]
    unmet: tuple[Unmet, ...]
    objective: float
    lp_bound: float
    stats: Mapping[str, Any]

    def allocated_units(self) -> int:
        return sum(allocation.units for allocation in self.allocations)

    def unmet_units(self) -> int:
        return sum(item.units for item in self.unmet)
