"""Which (order, workshop) pairs the LP starts from: all eligible ones, or a pruned set on big inputs.

A pair is *eligible* when the workshop makes the order's product and has free
time for the smallest allowed quota before the order's due date; any other
pair can never get a quota, so leaving it out loses nothing. With at most
``Options.prune_above`` eligible pairs the LP gets all of them and its bound
is the bound of the full model. Beyond that each order starts with:

* same-province makers, cheapest class first (same city, woman head), until
  their free units add up to ``same_province_capacity`` times the order's
  units (so an order sees enough room even when its neighbours compete for it);
* other-province makers, woman-head ones first, until their free units reach
  ``other_province_capacity`` times its units, and at least
  ``other_province_min`` of them.

Within a class the makers come in the order of a hash of (order id, workshop
id): the orders of a province spread over its workshops instead of all
queueing for the same few, and the choice depends on ids only, so it is
deterministic. Pricing (``pricing.py``) then adds every left-out pair that
would still improve the LP, round after round.

A *scarce* run (the orders ask for at least ``Options.scarce_ratio`` times the
free workshop-days, see :func:`demand_ratio`) is different: every order's list
would hold every maker of its province (3x a huge order is more than there is),
and the LP would have hundreds of thousands of pairs. There each list stops at
``Options.order_makers`` makers, and each workshop adds its
``Options.workshop_best`` most valuable orders per tick of its time, so that
its time is offered to the orders that should get it (urgent first).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from .model import Options
from .prepare import Arrays, mix, needed_units, placement_cost

CHUNK = 2_000_000  # matrix cells per block when every eligible pair is enumerated


@dataclass
class Candidates:
    o: np.ndarray  # order index per pair
    w: np.ndarray  # workshop index per pair
    eligible_pairs: int
    pruned: bool
    scarce: bool = False  # the orders ask for at least Options.scarce_ratio times the free workshop-days
    demand_ratio: float = 0.0


def free_units(arrays: Arrays, makers: np.ndarray, orders: np.ndarray, p: int) -> np.ndarray:
    """[maker, order]: units of product p each maker could still make before each order's due date."""
    return arrays.cap[np.ix_(makers, arrays.o_due[orders])] // arrays.tick[makers, p][:, None]


def product_groups(arrays: Arrays, need: np.ndarray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(product index, its orders with something to allocate, its makers), for products having both."""
    for p in range(len(arrays.products)):
        orders = np.flatnonzero((arrays.o_prod == p) & (need > 0))
        makers = np.flatnonzero(arrays.tick[:, p] > 0)
        if len(orders) and len(makers):
            yield p, orders, makers


def count_eligible(arrays: Arrays, need: np.ndarray) -> int:
    """Eligible pairs, counted per (product, due day) by binary search instead of a full matrix."""
    total = 0
    for p, orders, makers in product_groups(arrays, need):
        for day in np.unique(arrays.o_due[orders]):
            free = np.sort(arrays.cap[makers, day] // arrays.tick[makers, p])
            wanted = need[orders[arrays.o_due[orders] == day]]
            total += int((len(free) - np.searchsorted(free, wanted, side="left")).sum())
    return total


def candidate_pairs(arrays: Arrays, options: Options) -> Candidates:
    need = needed_units(arrays, options.min_quota)
    eligible = count_eligible(arrays, need)
    prune = options.prune_above is not None and eligible > options.prune_above
    ratio = demand_ratio(arrays)
    scarce = prune and ratio >= options.scarce_ratio
    if not scarce:  # the per-order cap and the per-workshop lists are for scarce runs only
        options = replace(options, order_makers=None, workshop_best=0)
    all_o, all_w = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for p, orders, makers in product_groups(arrays, need):
        if not prune:
            for chunk in np.array_split(orders, max(1, len(orders) * len(makers) // CHUNK)):
                rows, cols = np.nonzero(free_units(arrays, makers, chunk, p) >= need[chunk][None, :])
                all_o.append(chunk[cols])
                all_w.append(makers[rows])
            continue
        for province in np.unique(arrays.o_prov[orders]):
            group = orders[arrays.o_prov[orders] == province]
            local = makers[arrays.w_prov[makers] == province]
            if len(local):
                o, w = _by_capacity(arrays, group, local, p, need, options)
                all_o.append(o)
                all_w.append(w)
        o, w = _other_province(arrays, orders, makers, p, need, options)
        all_o.append(o)
        all_w.append(w)
    if scarce and options.workshop_best:
        o, w = _workshop_best(arrays, need, options)
        all_o.append(o)
        all_w.append(w)
    o, w = np.concatenate(all_o), np.concatenate(all_w)
    unique = np.unique(o * len(arrays.workshops) + w)
    o, w = unique // len(arrays.workshops), unique % len(arrays.workshops)
    order = np.lexsort((o, w))
    return Candidates(o=o[order], w=w[order], eligible_pairs=eligible, pruned=prune, scarce=scarce, demand_ratio=ratio)


def demand_ratio(arrays: Arrays) -> float:
    """Days of sewing the orders ask for (at their makers' average speed) per free workshop-day."""
    makes = arrays.tick > 0
    days_per_unit = np.where(makes, arrays.tick / arrays.w_lcm[:, None], 0.0)
    makers = makes.sum(axis=0)
    mean = np.divide(days_per_unit.sum(axis=0), makers, out=np.zeros(makes.shape[1]), where=makers > 0)
    asked = float(np.dot(arrays.o_units, mean[arrays.o_prod])) if len(arrays.orders) else 0.0
    free = float(np.sum(arrays.cap[:, -1] / arrays.w_lcm)) if len(arrays.workshops) else 0.0
    return asked / free if free > 0 else float("inf")


def _workshop_best(arrays: Arrays, need: np.ndarray, options: Options) -> tuple[np.ndarray, np.ndarray]:
    """Per workshop, the ``Options.workshop_best`` eligible orders worth most per tick of its time.

    When capacity is scarce every workshop's time is taken, and what matters is
    that each workshop sees the orders it serves best (highest priority, then
    nearest); the per-order lists above only make sure every order sees enough
    makers. Ties (orders of the same class and distance) are broken by the hash,
    so that equal orders share the workshops.
    """
    k = options.workshop_best
    best_w, best_o, best_v, best_h = [], [], [], []
    for p, orders, makers in product_groups(arrays, need):
        for chunk in np.array_split(makers, max(1, len(orders) * len(makers) // CHUNK)):
            free = free_units(arrays, chunk, orders, p)
            cost = placement_cost(arrays, orders[None, :], chunk[:, None], options.weights)
            value = (arrays.o_prio[orders][None, :] - cost) / arrays.tick[chunk, p][:, None]
            value = np.where(free >= need[orders][None, :], value, -np.inf)
            h = mix(arrays.o_ids[orders][None, :], arrays.w_ids[chunk][:, None])
            cut = min(k, len(orders))
            # Highest value first, then lowest hash: sort on (-value, hash) within each row.
            top = np.lexsort((h, -value), axis=1)[:, :cut] if cut < len(orders) else np.lexsort((h, -value), axis=1)
            rows = np.arange(len(chunk))[:, None]
            ok = np.isfinite(value[rows, top])
            best_w.append(np.broadcast_to(chunk[:, None], top.shape)[ok])
            best_o.append(orders[top[ok]])
            best_v.append(value[rows, top][ok])
            best_h.append(h[rows, top][ok])
    if not best_w:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    w, o, v, h = (np.concatenate(a) for a in (best_w, best_o, best_v, best_h))
    order = np.lexsort((h, -v, w))
    w, o = w[order], o[order]
    first = np.ones(len(w), dtype=bool)
    first[1:] = w[1:] != w[:-1]
    rank = np.arange(len(w)) - np.maximum.accumulate(np.where(first, np.arange(len(w)), 0))
    keep = rank < k
    return o[keep], w[keep]


def _by_capacity(
    arrays: Arrays, orders: np.ndarray, makers: np.ndarray, p: int, need: np.ndarray, options: Options
) -> tuple[np.ndarray, np.ndarray]:
    """Per order, same-province makers by (placement cost, hash) until their free units reach the target."""
    free = free_units(arrays, makers, orders, p)
    eligible = free >= need[orders][None, :]
    cost = placement_cost(arrays, orders[None, :], makers[:, None], options.weights)
    cost_rank = np.unique(cost, return_inverse=True)[1].reshape(cost.shape).astype(np.int64)
    key = (cost_rank << 40) | mix(arrays.o_ids[orders][None, :], arrays.w_ids[makers][:, None])
    rank = np.argsort(np.where(eligible, key, np.iinfo(np.int64).max), axis=0, kind="stable")
    cols = np.arange(len(orders))[None, :]
    units = arrays.o_units[orders][None, :]
    useful = np.where(eligible, np.minimum(free, units), 0)[rank, cols]
    before = np.cumsum(useful, axis=0) - useful  # free units of the better-placed makers
    take = (before < options.same_province_capacity * units) & eligible[rank, cols]
    if options.order_makers is not None:
        take[options.order_makers :] = False
    rows, picked = np.nonzero(take)
    return orders[picked], makers[rank[rows, picked]]


def _other_province(
    arrays: Arrays, orders: np.ndarray, makers: np.ndarray, p: int, need: np.ndarray, options: Options
) -> tuple[np.ndarray, np.ndarray]:
    """Other-province makers per order: woman-head ones first, each class walked from a hashed start.

    The walk is the cheap stand-in for sorting thousands of makers by the
    (order, workshop) hash for every order.
    """
    out_o, out_w = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    classes = [makers[arrays.w_wh[makers]], makers[~arrays.w_wh[makers]]]
    classes = [c[np.argsort(mix(arrays.w_ids[c], np.full(len(c), p)), kind="stable")] for c in classes if len(c)]
    window = 64
    starts = mix(arrays.o_ids[orders], np.full(len(orders), p + 1))
    for o, start in zip(orders.tolist(), starts.tolist(), strict=True):
        target = options.other_province_capacity * arrays.o_units[o]
        taken = count = 0
        for members in classes:
            for first in range(0, len(members), window):
                if taken >= target and count >= options.other_province_min:
                    break
                if options.order_makers is not None and count >= options.order_makers:
                    break
                ws = members[(np.arange(first, min(first + window, len(members))) + start) % len(members)]
                free = arrays.cap[ws, arrays.o_due[o]] // arrays.tick[ws, p]
                ok = (arrays.w_prov[ws] != arrays.o_prov[o]) & (free >= need[o])
                ws, free = ws[ok], np.minimum(free[ok], arrays.o_units[o])
                keep = (taken + np.cumsum(free) - free < target) | (
                    count + np.arange(len(ws)) < options.other_province_min
                )
                out_w.append(ws[keep])
                out_o.append(np.full(int(keep.sum()), o, dtype=np.int64))
                taken += int(free[keep].sum())
                count += int(keep.sum())
    return np.concatenate(out_o), np.concatenate(out_w)
