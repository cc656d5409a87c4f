"""Polish: move units of an order from dearer quotas to cheaper places, after the integer repair.

Rounding and the minimum quota size push some units to dearer workshops than
the LP chose (a 4-unit quota in the same city is dropped and its units go to
a quota elsewhere). For every order, this pass moves units from its dearest
quota to a cheaper one it already has, or to a cheaper maker with room for a
new minimum-size quota, whenever the exact change of the objective (placement
and the overload of both workshops) is negative. The moved quota keeps at
least the minimum or goes entirely; capacity is checked exactly by the ledger.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from .model import Options, Weights
from .prepare import Arrays, placement_cost
from .repair import Ledger

NEW_MAKERS = 8  # cheapest makers with room tried per order and pass
EPSILON = 1e-9


class Overload:
    """Overload cost per workshop from its new units per product (the slowest products cover it)."""

    def __init__(self, arrays: Arrays, plan: dict, options: Options):
        self.weights = options.weights
        self.ticks = arrays.tick.tolist()
        self.fair = (options.weights.fair_share * arrays.free).tolist()
        self.units: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.total = defaultdict(int)  # new ticks per workshop
        for (order, workshop), units in plan.items():
            product = int(arrays.o_prod[order])
            self.units[workshop][product] += units
            self.total[workshop] += units * self.ticks[workshop][product]

    def over(self, workshop: int) -> bool:
        return self.total[workshop] > self.fair[workshop]

    def cost(self, workshop: int, product: int = -1, change: int = 0) -> float:
        ticks = self.ticks[workshop]
        excess = self.total[workshop] + change * (ticks[product] if change else 0) - self.fair[workshop]
        total = 0.0
        for p in sorted(self.units[workshop], key=lambda q: (-ticks[q], q)):
            if excess <= 0:
                break
            units = self.units[workshop][p] + (change if p == product else 0)
            z = min(float(units), excess / ticks[p])
            total += self.weights.overload * z
            excess -= z * ticks[p]
        return total

    def delta(self, workshop: int, product: int, change: int) -> float:
        if product not in self.units[workshop]:
            self.units[workshop][product] += 0
        return self.cost(workshop, product, change) - self.cost(workshop)

    def move(self, workshop: int, product: int, change: int) -> None:
        self.units[workshop][product] += change
        self.total[workshop] += change * self.ticks[workshop][product]


def polish(arrays: Arrays, ledger: Ledger, plan: dict, options: Options, passes: int = 2) -> None:
    overload = Overload(arrays, plan, options)
    holders: dict[int, list[int]] = defaultdict(list)
    for order, workshop in sorted(plan):
        holders[order].append(workshop)
    makers = {p: np.flatnonzero(arrays.tick[:, p] > 0) for p in range(len(arrays.products))}
    cost = _Placement(arrays, options.weights)
    todo = sorted(holders)
    for _ in range(passes):
        todo = [o for o in todo if _polish_order(arrays, ledger, plan, options, overload, cost, o, holders[o], makers)]
        if not todo:
            return


class _Placement:
    """Placement cost of one pair in plain Python (called many times on single pairs)."""

    def __init__(self, arrays: Arrays, weights: Weights):
        self.o_city, self.o_prov = arrays.o_city.tolist(), arrays.o_prov.tolist()
        self.w_city, self.w_prov, self.w_wh = arrays.w_city.tolist(), arrays.w_prov.tolist(), arrays.w_wh.tolist()
        self.weights = weights
        self.best = weights.same_city + min(weights.woman_head, 0.0)

    def __call__(self, order: int, workshop: int) -> float:
        weights = self.weights
        if self.o_city[order] == self.w_city[workshop]:
            distance = weights.same_city
        elif self.o_prov[order] == self.w_prov[workshop]:
            distance = weights.same_province
        else:
            distance = weights.other_province
        return distance + (weights.woman_head if self.w_wh[workshop] else 0.0)


def _polish_order(arrays, ledger, plan, options, overload, cost, order, mine, makers) -> bool:
    min_quota, p, weights = options.min_quota, int(arrays.o_prod[order]), options.weights
    if not mine or arrays.o_whole[order]:  # a whole-order quota cannot be split
        return False
    donors = sorted(mine, key=lambda w: (-cost(order, w), w))
    fresh: list[int] = []
    if cost(order, donors[0]) > cost.best or any(overload.over(w) for w in mine):
        ws = makers[p]
        ws = ws[(ledger.room_units(ws, order) >= min_quota) & ~np.isin(ws, mine)]
        costs = placement_cost(arrays, np.full(len(ws), order), ws, weights)
        fresh = ws[np.lexsort((arrays.w_ids[ws], costs))][:NEW_MAKERS].tolist()
    moved = False
    price = {w: cost(order, w) for w in [*mine, *fresh]}
    room = {w: int(ledger.room_units(w, order)) for w in [*mine, *fresh]}  # changes only where units move
    for donor in donors:
        saving = weights.overload if overload.over(donor) else 0.0
        # Only receivers with room that are cheaper can take anything; the rest would be skipped one by one
        # (an order with hundreds of quotas made that a loop of hundreds of thousands of pairs).
        limit = price[donor] + saving - EPSILON
        receivers = [w for w in mine if w != donor and room[w] and price[w] < limit]
        receivers += [w for w in fresh if room[w] and price[w] < limit]
        for receiver in receivers:
            units = plan.get((order, donor), 0)
            if not units:
                break
            amount = min(units, room[receiver])
            if units - amount and units - amount < min_quota:
                amount = units - min_quota
            if amount <= 0 or ((order, receiver) not in plan and amount < min_quota):
                continue
            change = amount * (price[receiver] - price[donor])
            change += overload.delta(receiver, p, amount) + overload.delta(donor, p, -amount)
            if change >= -EPSILON:
                continue
            ledger.add(donor, order, -amount)
            ledger.add(receiver, order, amount)
            room[donor] = int(ledger.room_units(donor, order))
            room[receiver] = int(ledger.room_units(receiver, order))
            overload.move(donor, p, -amount)
            overload.move(receiver, p, amount)
            if units == amount:
                del plan[(order, donor)]
                mine.remove(donor)
            else:
                plan[(order, donor)] = units - amount
            if (order, receiver) not in plan:
                mine.append(receiver)
            plan[(order, receiver)] = plan.get((order, receiver), 0) + amount
            moved = True
    return moved
