"""Integer repair: from the LP's fractional units to quotas that keep every hard rule.

1. Floor every pair's units (a value within 1e-6 of an integer counts as it).
2. Check the time-shared capacity exactly, in integer ticks; if a solver
   tolerance left a workshop over, take units back from its least valuable
   quotas due by the overfull day.
3. Minimum quota size: a quota below the minimum is dropped and its units go
   back to the order; an order smaller than the minimum keeps a quota only if
   it is its single one and holds all of its units.
4. Refill: orders with unmet units, most valuable first (priority weight,
   then earlier due date, then id), top up the quotas they already have
   (any amount) and open new ones (at least the minimum, or exactly their
   units when they are smaller than the minimum) at any maker with room
   before the due date, cheapest per unit first (placement cost, then the
   overload cost if the workshop is past its fair share). A unit is placed
   only if that is cheaper than leaving it unmet. A remainder below the
   minimum may move units from one of the order's quotas to a new
   minimum-size one; what still does not fit may take time from quotas of
   less valuable orders at the same workshop when the exchange lowers the
   objective (so an urgent order is not left a few units short while a normal
   one holds the time).

Every step only moves within the rules, so the result is feasible whatever
the LP returned. The LP is usually integral on all but a few pairs per
workshop, so steps 2-4 touch a small part of the plan.
"""

from __future__ import annotations

import numpy as np

from .model import Options
from .prepare import Arrays, needed_units, placement_cost

Units = dict[tuple[int, int], int]  # units per (order index, workshop index)

ROUNDING = 1e-6
EXCHANGE_MAKERS = 8  # other workshops tried per order by an exchange


class Ledger:
    """Free ticks of every workshop for new work due on or before each day, kept exact."""

    def __init__(self, arrays: Arrays, o: np.ndarray, w: np.ndarray, units: np.ndarray):
        self.arrays = arrays
        new = np.zeros_like(arrays.cap)
        np.add.at(new, (w, arrays.o_due[o]), units * arrays.tick[w, arrays.o_prod[o]])
        used = np.cumsum(new, axis=1)
        self.slack = arrays.cap - used
        self.room = np.minimum.accumulate(self.slack[:, ::-1], axis=1)[:, ::-1].copy()
        self.total = used[:, -1].copy()  # new ticks per workshop

    def add(self, w: int, o: int, units: int) -> None:
        ticks = units * int(self.arrays.tick[w, self.arrays.o_prod[o]])
        day = int(self.arrays.o_due[o])
        self.slack[w, day:] -= ticks
        self.room[w] = np.minimum.accumulate(self.slack[w, ::-1])[::-1]
        self.total[w] += ticks

    def room_units(self, w, o) -> np.ndarray:
        p = self.arrays.o_prod[o]
        return self.room[w, self.arrays.o_due[o]] // self.arrays.tick[w, p]


def repair(arrays: Arrays, o: np.ndarray, w: np.ndarray, x: np.ndarray, options: Options) -> tuple[Units, Ledger]:
    """Integer units per (order index, workshop index), every hard rule kept, and the time ledger."""
    units = np.floor(x + ROUNDING).astype(np.int64)
    units = np.minimum(units, arrays.o_units[o])
    keep = units > 0
    o, w, units = o[keep], w[keep], units[keep]
    units = _fit_orders(arrays, o, units)
    ledger = Ledger(arrays, o, w, units)
    plan = {(int(a), int(b)): int(u) for a, b, u in zip(o, w, units, strict=True) if u > 0}
    for workshop in np.flatnonzero(ledger.room[:, 0] < 0).tolist():
        _trim(arrays, ledger, plan, workshop)
    _minimum_sizes(arrays, ledger, plan, options.min_quota)
    cut = _refill(arrays, ledger, plan, options, exchange=True)
    _refill(arrays, ledger, plan, options, exchange=False, only=cut)  # re-place what exchanges took
    return plan, ledger


def _fit_orders(arrays: Arrays, o: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Rounding up within 1e-6 may give an order one unit too many: take it back from its last pairs."""
    given = np.bincount(o, weights=units, minlength=len(arrays.orders)).astype(np.int64)
    for order in np.flatnonzero(given > arrays.o_units).tolist():
        excess = int(given[order] - arrays.o_units[order])
        for i in np.flatnonzero(o == order)[::-1].tolist():
            take = min(excess, int(units[i]))
            units[i] -= take
            excess -= take
    return units


def _trim(arrays: Arrays, ledger: Ledger, plan: dict, workshop: int) -> None:
    """Take units back from a workshop's least valuable quotas until its time fits again."""
    while ledger.room[workshop, 0] < 0:
        day = int(np.flatnonzero(ledger.slack[workshop] < 0)[0])
        mine = [(o, u) for (o, w), u in plan.items() if w == workshop and arrays.o_due[o] <= day and u > 0]
        order, units = min(mine, key=lambda item: (arrays.o_prio[item[0]], -arrays.o_due[item[0]], -item[0]))
        tick = int(arrays.tick[workshop, arrays.o_prod[order]])
        take = min(units, -(-int(-ledger.slack[workshop, day]) // tick))
        ledger.add(workshop, order, -take)
        _set(plan, order, workshop, units - take)


def _set(plan: dict, order: int, workshop: int, units: int) -> None:
    if units > 0:
        plan[(order, workshop)] = units
    else:
        plan.pop((order, workshop), None)


def _minimum_sizes(arrays: Arrays, ledger: Ledger, plan: dict, min_quota: int) -> None:
    by_order: dict[int, list[int]] = {}
    for order, workshop in plan:
        by_order.setdefault(order, []).append(workshop)
    for order, workshops in by_order.items():
        units = int(arrays.o_units[order])
        if not arrays.o_whole[order]:
            drop = [w for w in workshops if plan[(order, w)] < min_quota]
        elif len(workshops) == 1 and plan[(order, workshops[0])] == units:
            drop = []
        else:
            drop = workshops
        for workshop in drop:
            ledger.add(workshop, order, -plan.pop((order, workshop)))


def _refill(
    arrays: Arrays, ledger: Ledger, plan: Units, options: Options, exchange: bool, only: set[int] | None = None
) -> set[int]:
    """Place unmet units (of ``only`` orders when given); return the orders that exchanges cut."""
    min_quota = options.min_quota
    need = needed_units(arrays, min_quota)
    given = np.zeros(len(arrays.orders), dtype=np.int64)
    holders: dict[int, list[int]] = {}
    for (order, workshop), units in plan.items():
        given[order] += units
        holders.setdefault(order, []).append(workshop)
    makers = {p: np.flatnonzero(arrays.tick[:, p] > 0) for p in range(len(arrays.products))}
    todo = np.flatnonzero((given < arrays.o_units) & (need > 0))
    if only is not None:
        todo = np.array(sorted(only), dtype=np.int64)
    todo = todo[np.lexsort((arrays.o_ids[todo], arrays.o_due[todo], -arrays.o_prio[todo]))]
    cut: set[int] = set()
    by_workshop: dict[int, set[int]] = {}
    for order, workshop in plan:
        by_workshop.setdefault(workshop, set()).add(order)
    for order in todo.tolist():
        # An exchange for an earlier order may have cut this order's quotas: read them from the plan.
        mine = holders[order] = [w for w in holders.get(order, []) if (order, w) in plan]
        left = int(arrays.o_units[order]) - sum(plan[(order, w)] for w in mine)
        if left <= 0:
            continue
        if arrays.o_whole[order]:  # one quota of all its units, or none
            ws, cost = _open(arrays, ledger, options, order, makers, mine, left)
            if len(ws):
                _put(ledger, plan, mine, order, int(ws[0]), left)
            continue
        if left >= min_quota:
            ws, cost = _open(arrays, ledger, options, order, makers, [], min_quota)
            for workshop in ws.tolist():
                if left < min_quota:
                    break
                units = min(left, int(ledger.room_units(workshop, order)))
                _put(ledger, plan, mine, order, workshop, units)
                left -= units
        if left and mine:  # top up the quotas it has, cheapest first
            ws = np.array(mine)
            cost = _unit_cost(arrays, ledger, options, order, ws)
            for i in np.lexsort((arrays.w_ids[ws], cost)).tolist():
                units = min(left, int(ledger.room_units(int(ws[i]), order)))
                if units > 0 and cost[i] < arrays.o_prio[order]:
                    _put(ledger, plan, mine, order, int(ws[i]), units)
                    left -= units
        if 0 < left < min_quota:
            ws, cost = _open(arrays, ledger, options, order, makers, mine, min_quota)
            _split(arrays, ledger, plan, order, left, mine, ws, min_quota)
        left = int(arrays.o_units[order]) - sum(plan[(order, w)] for w in mine)
        if left and exchange:
            cut |= _exchange(arrays, ledger, plan, order, left, mine, options, by_workshop)
    return cut


def _unit_cost(arrays: Arrays, ledger: Ledger, options: Options, order: int, ws: np.ndarray) -> np.ndarray:
    """Cost per unit at these workshops: placement, plus overload once past the fair share."""
    weights = options.weights
    cost = placement_cost(arrays, np.full(len(ws), order), ws, weights)
    return cost + np.where(ledger.total[ws] >= weights.fair_share * arrays.free[ws], weights.overload, 0.0)


def _open(
    arrays: Arrays, ledger: Ledger, options: Options, order: int, makers: dict, exclude: list[int], size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Makers (not in ``exclude``) with room for ``size`` units of the order, cheapest first, and
    worth it: cheaper per unit than leaving the unit unmet."""
    ws = makers[int(arrays.o_prod[order])]
    ws = ws[(ledger.room_units(ws, order) >= size) & ~np.isin(ws, exclude)]
    cost = _unit_cost(arrays, ledger, options, order, ws)
    ranking = np.lexsort((arrays.w_ids[ws], cost))
    ranking = ranking[cost[ranking] < arrays.o_prio[order]]
    return ws[ranking], cost[ranking]


def _put(ledger: Ledger, plan: dict, mine: list, order: int, workshop: int, units: int) -> None:
    ledger.add(workshop, order, units)
    if (order, workshop) not in plan:
        mine.append(workshop)
    plan[(order, workshop)] = plan.get((order, workshop), 0) + units


def _split(
    arrays: Arrays,
    ledger: Ledger,
    plan: Units,
    order: int,
    left: int,
    holders: list[int],
    candidates: np.ndarray,
    min_quota: int,
) -> None:
    """Place a remainder below the minimum by opening a minimum-size quota at the cheapest maker with
    room, taking the difference from the order's largest quota, which stays at or above the minimum.

    E.g. 301 units, 300 at a full workshop A and 1 left: A keeps 291 and B gets 10.
    """
    give = min_quota - left
    donors = [w for w in holders if plan.get((order, w), 0) >= min_quota + give]
    if not donors or not len(candidates):
        return
    donor = max(donors, key=lambda w: (plan[(order, w)], -arrays.w_ids[w]))
    ledger.add(donor, order, -give)
    plan[(order, donor)] -= give
    _put(ledger, plan, holders, order, int(candidates[0]), min_quota)


def _exchange(
    arrays: Arrays,
    ledger: Ledger,
    plan: Units,
    order: int,
    left: int,
    mine: list[int],
    options: Options,
    by_workshop: dict[int, set[int]],
) -> set[int]:
    """Make room for the order's remaining units at a workshop by cutting quotas of orders whose units
    are worth less per day there; keep it only if the objective improves.

    Candidate workshops: those holding a quota of this order (a top-up of any size) and the
    ``EXCHANGE_MAKERS`` cheapest other makers holding some quota (a new quota: the remainder if it
    reaches the minimum, else a minimum-size one completed by moving units from the order's largest
    quota, as in ``_split``). A cut quota stays at or above the minimum or goes entirely.
    ``by_workshop`` indexes the plan's orders per workshop (a quota missing from it is just not
    considered as a victim).
    """
    weights, min_quota = options.weights, options.min_quota
    p, due = int(arrays.o_prod[order]), int(arrays.o_due[order])
    give = max(min_quota - left, 0)
    donors = [w for w in mine if plan[(order, w)] >= min_quota + give]
    held = np.fromiter(by_workshop, dtype=np.int64, count=len(by_workshop))
    others = np.sort(held[(arrays.tick[held, p] > 0) & ~np.isin(held, mine)])
    if give and not donors:
        others = others[:0]
    cost = placement_cost(arrays, np.full(len(others), order), others, weights)
    others = others[np.lexsort((arrays.w_ids[others], cost))][:EXCHANGE_MAKERS].tolist()
    for workshop in list(mine) + others:
        cost = float(_unit_cost(arrays, ledger, options, order, np.array([workshop]))[0])
        tick = int(arrays.tick[workshop, p])
        value = (arrays.o_prio[order] - cost) / tick  # per tick of the workshop's time
        wanted = left if workshop in mine else max(left, min_quota)
        if value <= 0:
            continue
        victims = []
        for victim in sorted(by_workshop.get(workshop, ())):
            units = plan.get((victim, workshop), 0)
            if units and victim != order:
                victim_cost = placement_cost(arrays, np.array([victim]), np.array([workshop]), weights)[0]
                victim_value = (arrays.o_prio[victim] - victim_cost) / arrays.tick[workshop, arrays.o_prod[victim]]
                if victim_value < value:
                    victims.append((victim_value, -int(arrays.o_due[victim]), victim, units))
        undo, lost = [], 0.0
        for victim_value, _, victim, units in sorted(victims):
            missing = wanted * tick - int(ledger.room[workshop, due])
            if missing <= 0:
                break
            victim_tick = int(arrays.tick[workshop, arrays.o_prod[victim]])
            cut = min(units, -(-missing // victim_tick))
            if units - cut < (units if arrays.o_whole[victim] else min_quota):
                cut = units
            before = int(ledger.room[workshop, due])
            ledger.add(workshop, victim, -cut)
            if ledger.room[workshop, due] == before:  # freed time after the binding date: no help
                ledger.add(workshop, victim, cut)
                continue
            undo.append((victim, cut))
            lost += victim_value * cut * victim_tick
        room = int(ledger.room[workshop, due]) // tick
        units = min(wanted, room) if workshop in mine or wanted == left else (wanted if room >= wanted else 0)
        gained = value * tick * (units if workshop in mine or not give else left)
        if units >= (1 if workshop in mine else min_quota) and gained > lost:
            for victim, cut in undo:
                _set(plan, victim, workshop, plan[(victim, workshop)] - cut)
            if workshop not in mine and give:
                donor = max(donors, key=lambda w: (plan[(order, w)], -arrays.w_ids[w]))
                ledger.add(donor, order, -give)
                plan[(order, donor)] -= give
            _put(ledger, plan, mine, order, workshop, units)
            by_workshop.setdefault(workshop, set()).add(order)
            return {victim for victim, _ in undo}
        for victim, cut in undo:
            ledger.add(workshop, victim, cut)
    return set()
