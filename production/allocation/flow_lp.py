"""The full model's LP as a flow through hubs: exact, without listing (order, workshop) pairs.

For a workshop, two orders of the same product and due day differ only in
their placement cost, and that cost depends only on whether the workshop is
in the order's city, in its province or elsewhere. So the units can flow

* order -> national hub (product, due day) -> province hub (product, due
  day, province) -> workshop, at the other-province cost;
* order -> its province's hub -> workshop, at the same-province cost;
* order -> workshop of its city, directly, at the same-city cost.

Every route costs at least what its (order, workshop) pair costs, and every
eligible pair has a route at exactly its cost, so the optimum is the pair
LP's over every eligible pair (``lp.py``'s model with no pruning), with
about (workshops x products x due days) columns instead of (orders x
makers). A hub's arcs to workshops need room for the smallest quota of any
of its orders, so a hub holding an order below the minimum may admit a pair
the pair LP would not: the optimum is then a little lower, still a valid
bound. Workshop rows are ``lp.py``'s: the capacity chain per due day, the
fairness row and the overload columns.

:func:`pair_units` splits the hubs' flows into (order, workshop) units
(north-west corner, in id order, so each hub makes the fewest pairs) for the
integer repair.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from .lp import _last_of_group, highs_lp, simplex_solver
from .model import Options
from .prepare import Arrays, needed_units

KEPT_APART = 1e-9  # flows below this are rounding noise of the simplex


@dataclass
class FlowModel:
    lp: highspy.HighsLp
    n_cols: int
    n_rows: int
    n_nonzeros: int
    # Columns, in this order: national entries, province entries, city pairs, national -> province, hub arcs.
    national_o: np.ndarray  # order of each national entry (its hub is hub_of_order)
    province_o: np.ndarray  # order of each province entry
    province_hub_of_entry: np.ndarray
    city_o: np.ndarray  # the direct same-city pairs
    city_w: np.ndarray
    province_hubs: np.ndarray  # key national hub * n_provinces + province index; column j relays into hub j
    arc_hub: np.ndarray  # province hub and workshop of each hub arc
    arc_w: np.ndarray
    hub_of_order: np.ndarray  # national hub per order, -1 for an order with nothing to allocate
    n_provinces: int


@dataclass
class FlowResult:
    bound: float
    x: np.ndarray  # units per column
    iterations: int


def arc_count(arrays: Arrays, options: Options) -> int:
    """Hub-to-workshop arcs the model would have: its size, known before building it."""
    hub_p, hub_k, hub_need, _ = _hubs(arrays, options)
    return sum(int(_makers(arrays, p, k, need).size) for p, k, need in zip(hub_p, hub_k, hub_need, strict=True))


def _hubs(arrays: Arrays, options: Options) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    live = np.flatnonzero(arrays.o_units > 0)
    span = arrays.horizon + 1
    hubs, hub_of_live = np.unique(arrays.o_prod[live] * span + arrays.o_due[live], return_inverse=True)
    need = np.full(len(hubs), np.iinfo(np.int64).max)
    np.minimum.at(need, hub_of_live, needed_units(arrays, options.min_quota)[live])
    hub_of_order = np.full(len(arrays.orders), -1, dtype=np.int64)
    hub_of_order[live] = hub_of_live
    return hubs // span, hubs % span, need, hub_of_order


def _makers(arrays: Arrays, p: int, k: int, need: int) -> np.ndarray:
    ticks = arrays.tick[:, p]
    return np.flatnonzero((ticks > 0) & (arrays.cap[:, k] >= need * ticks))


def build(arrays: Arrays, options: Options) -> FlowModel:
    weights = options.weights
    n_o, n_w, n_p = len(arrays.orders), len(arrays.workshops), len(arrays.products)
    lcm = arrays.w_lcm.astype(np.float64)
    need = needed_units(arrays, options.min_quota)
    hub_p, hub_k, hub_need, hub_of_order = _hubs(arrays, options)
    provinces, w_region = np.unique(arrays.w_prov, return_inverse=True)
    n_r = len(provinces)

    arcs = [_makers(arrays, p, k, n) for p, k, n in zip(hub_p, hub_k, hub_need, strict=True)]
    arc_w = np.concatenate(arcs).astype(np.int64) if arcs else np.zeros(0, dtype=np.int64)
    arc_national = np.repeat(np.arange(len(arcs)), [len(a) for a in arcs]).astype(np.int64)
    province_hubs, arc_hub = np.unique(arc_national * n_r + w_region[arc_w], return_inverse=True)
    arc_hub = arc_hub.astype(np.int64)
    n_ph = len(province_hubs)

    live = np.flatnonzero(hub_of_order >= 0)
    o_region = np.searchsorted(provinces, arrays.o_prov)
    key = hub_of_order * n_r + np.minimum(o_region, n_r - 1)
    at = np.minimum(np.searchsorted(province_hubs, key), max(n_ph - 1, 0))
    has_hub = (hub_of_order >= 0) & (o_region < n_r) & (province_hubs[at] == key) if n_ph else np.zeros(n_o, bool)
    has_hub &= provinces[np.minimum(o_region, n_r - 1)] == arrays.o_prov
    province_o = np.flatnonzero(has_hub)
    city_o, city_w = _city_pairs(arrays, live, need)

    # Workshop-side entries: hub arcs and city pairs, each with its workshop, due day and product.
    e_w = np.concatenate([arc_w, city_w])
    e_k = np.concatenate([hub_k[province_hubs[arc_hub] // n_r], arrays.o_due[city_o]])
    e_p = np.concatenate([hub_p[province_hubs[arc_hub] // n_r], arrays.o_prod[city_o]])
    days = arrays.tick[e_w, e_p] / lcm[e_w]
    order = np.lexsort((e_k, e_w))
    new_level = np.ones(len(e_w), dtype=bool)
    new_level[1:] = (e_w[order][1:] != e_w[order][:-1]) | (e_k[order][1:] != e_k[order][:-1])
    level_w, level_k = e_w[order][new_level], e_k[order][new_level]
    level_cap = arrays.cap[level_w, level_k]
    # A level as free as the next one of its workshop is implied by it: its entries join the next one's row.
    last = _last_of_group(level_w)
    kept = np.flatnonzero(last | np.concatenate((level_cap[:-1] != level_cap[1:], [True])))
    e_level = np.empty(len(e_w), dtype=np.int64)
    e_level[order] = np.searchsorted(kept, np.cumsum(new_level) - 1)
    level_w, level_cap, last = level_w[kept], level_cap[kept], last[kept]
    first = np.ones(len(level_w), dtype=bool)
    first[1:] = level_w[1:] != level_w[:-1]
    previous_cap = np.where(first, 0, np.concatenate(([0], level_cap[:-1])))
    carry = np.flatnonzero(~last)
    fair_days = weights.fair_share * arrays.free / lcm
    fair_ws = level_w[last][level_cap[last] / lcm[level_w[last]] > fair_days[level_w[last]] * (1 + 1e-12)]
    wp = np.unique(e_w * n_p + e_p)
    fair_of_w = np.full(n_w, -1, dtype=np.int64)

    # Rows: orders, national hubs, province hubs (both equalities), chain, fairness, overload bounds.
    r_national, r_province = n_o, n_o + len(hub_p)
    r_chain = r_province + n_ph
    r_fair = r_chain + len(level_w)
    fair_of_w[fair_ws] = r_fair + np.arange(len(fair_ws))
    wp = wp[fair_of_w[wp // n_p] >= 0]
    z_w, z_p = wp // n_p, wp % n_p
    r_z = r_fair + len(fair_ws)
    n_rows = r_z + len(wp)

    c_province = len(live)
    c_city = c_province + len(province_o)
    c_relay = c_city + len(city_o)
    c_arc = c_relay + n_ph
    c_carry = c_arc + len(arc_w)
    c_z = c_carry + len(carry)
    n_cols = c_z + len(wp)
    national_cols, province_cols = np.arange(len(live)), c_province + np.arange(len(province_o))
    city_cols, relay_cols = c_city + np.arange(len(city_o)), c_relay + np.arange(n_ph)
    arc_cols, carry_cols, z_cols = (
        c_arc + np.arange(len(arc_w)),
        c_carry + np.arange(len(carry)),
        c_z + np.arange(len(wp)),
    )
    e_cols = np.concatenate([arc_cols, city_cols])
    in_fair = fair_of_w[e_w] >= 0
    e_z = np.searchsorted(wp, e_w * n_p + e_p)
    has_z = in_fair & (e_z < len(wp))
    has_z[has_z] &= wp[e_z[has_z]] == (e_w * n_p + e_p)[has_z]
    entries = [
        (live, national_cols, 1.0),
        (r_national + hub_of_order[live], national_cols, 1.0),
        (province_o, province_cols, 1.0),
        (r_province + at[province_o], province_cols, 1.0),
        (city_o, city_cols, 1.0),
        (r_national + province_hubs // n_r, relay_cols, -1.0),
        (r_province + np.arange(n_ph), relay_cols, 1.0),
        (r_province + arc_hub, arc_cols, -1.0),
        (r_chain + e_level, e_cols, days),
        (r_chain + carry, carry_cols, 1.0),
        (r_chain + carry + 1, carry_cols, -1.0),
        (fair_of_w[e_w[in_fair]], e_cols[in_fair], days[in_fair]),
        (fair_of_w[z_w], z_cols, -arrays.tick[z_w, z_p] / lcm[z_w]),
        (r_z + np.arange(len(wp)), z_cols, 1.0),
        (r_z + e_z[has_z], e_cols[has_z], -1.0),
    ]
    rows = np.concatenate([np.asarray(r, dtype=np.int64) for r, _, _ in entries])
    cols = np.concatenate([np.asarray(c, dtype=np.int64) for _, c, _ in entries])
    vals = np.concatenate([np.broadcast_to(np.asarray(v, dtype=np.float64), np.shape(r)) for r, _, v in entries])
    matrix = sp.csc_matrix((vals, (rows, cols)), shape=(n_rows, n_cols))

    cost = np.zeros(n_cols)
    cost[national_cols] = weights.other_province - arrays.o_prio[live]
    cost[province_cols] = weights.same_province - arrays.o_prio[province_o]
    cost[city_cols] = weights.same_city - arrays.o_prio[city_o]
    cost[e_cols] += np.where(arrays.w_wh[e_w], weights.woman_head, 0.0)
    cost[z_cols] = weights.overload
    upper = np.full(n_cols, np.inf)
    upper[national_cols] = arrays.o_units[live]
    upper[province_cols] = arrays.o_units[province_o]
    city_room = arrays.cap[city_w, arrays.o_due[city_o]] // arrays.tick[city_w, arrays.o_prod[city_o]]
    upper[city_cols] = np.minimum(arrays.o_units[city_o], city_room)
    upper[arc_cols] = arrays.cap[arc_w, e_k[: len(arc_w)]] // arrays.tick[arc_w, e_p[: len(arc_w)]]
    row_lower, row_upper = np.full(n_rows, -np.inf), np.zeros(n_rows)
    row_lower[r_national:r_chain] = 0.0  # a hub passes on exactly what it receives
    row_upper[:n_o] = arrays.o_units
    row_upper[r_chain:r_fair] = (level_cap - previous_cap) / lcm[level_w]
    row_upper[r_fair:r_z] = fair_days[fair_ws]

    offset = float(np.dot(arrays.o_prio, arrays.o_units))
    lp = highs_lp(matrix, cost=cost, upper=upper, row_lower=row_lower, row_upper=row_upper, offset=offset)
    return FlowModel(
        lp=lp,
        n_cols=n_cols,
        n_rows=n_rows,
        n_nonzeros=int(matrix.nnz),
        national_o=live,
        province_o=province_o,
        province_hub_of_entry=at[province_o],
        city_o=city_o,
        city_w=city_w,
        province_hubs=province_hubs,
        arc_hub=arc_hub,
        arc_w=arc_w,
        hub_of_order=hub_of_order,
        n_provinces=n_r,
    )


def _city_pairs(arrays: Arrays, live: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(order, workshop) pairs in the same city with room for the order's smallest quota."""
    by_city = np.argsort(arrays.w_city, kind="stable")
    cities = arrays.w_city[by_city]
    start = np.searchsorted(cities, arrays.o_city[live], side="left")
    stop = np.searchsorted(cities, arrays.o_city[live], side="right")
    o = np.repeat(live, stop - start)
    w = by_city[np.concatenate([np.arange(a, b) for a, b in zip(start, stop, strict=True)] or [np.zeros(0, int)])]
    w = w.astype(np.int64)
    ticks = arrays.tick[w, arrays.o_prod[o]]
    ok = (ticks > 0) & (arrays.cap[w, arrays.o_due[o]] >= need[o] * ticks)
    return o[ok], w[ok]


def solve(model: FlowModel, options: Options) -> FlowResult:
    """Dual simplex, one thread; presolve on here (it halves the time on these models, measured)."""
    highs = simplex_solver(options)
    highs.setOptionValue("presolve", "on")
    highs.passModel(model.lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"flow LP not solved to optimality: {highs.modelStatusToString(highs.getModelStatus())}")
    info = highs.getInfo()
    return FlowResult(
        float(info.objective_function_value),
        np.clip(np.asarray(highs.getSolution().col_value), 0.0, None),
        int(info.simplex_iteration_count),
    )


def pair_units(model: FlowModel, result: FlowResult, n_workshops: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fractional units per (order, workshop): each hub's inflows split over its outflows in id order."""
    x = result.x
    sizes = [len(model.national_o), len(model.province_o), len(model.city_o), len(model.province_hubs)]
    national, province, city, relay, arcs = np.split(x[: sum(sizes) + len(model.arc_w)], np.cumsum(sizes))
    # National hubs pass orders' units on to province hubs; province hubs pass them on to workshops.
    o1, hub1, u1 = _north_west(
        (model.hub_of_order[model.national_o], model.national_o, national),
        (model.province_hubs // model.n_provinces, np.arange(len(model.province_hubs)), relay),
    )
    o2, w2, u2 = _north_west(
        (
            np.concatenate([model.province_hub_of_entry, hub1]),
            np.concatenate([model.province_o, o1]),
            np.concatenate([province, u1]),
        ),
        (model.arc_hub, model.arc_w, arcs),
    )
    o, w = np.concatenate([o2, model.city_o]), np.concatenate([w2, model.city_w])
    units = np.concatenate([u2, city])
    keep = units > KEPT_APART
    key, inverse = np.unique(o[keep] * n_workshops + w[keep], return_inverse=True)
    return key // n_workshops, key % n_workshops, np.bincount(inverse, weights=units[keep], minlength=len(key))


def _north_west(
    inflows: tuple[np.ndarray, np.ndarray, np.ndarray], outflows: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(in item, out item, amount) pieces: per group (hub), inflows and outflows laid end to end in id order
    on one line and cut where either changes. Each group makes at most (ins + outs - 1) pieces."""
    lines = []
    for group, item, flow in (inflows, outflows):
        keep = flow > KEPT_APART
        group, item, flow = group[keep], item[keep], flow[keep]
        order = np.lexsort((item, group))
        lines.append((group[order], item[order], flow[order]))
    (in_group, in_item, in_flow), (out_group, out_item, out_flow) = lines
    n_groups = int(max(in_group.max(initial=-1), out_group.max(initial=-1))) + 1
    length = np.maximum(
        np.bincount(in_group, weights=in_flow, minlength=n_groups),
        np.bincount(out_group, weights=out_flow, minlength=n_groups),
    )
    offset = np.concatenate(([0.0], np.cumsum(length)[:-1]))

    def ends(group, flow):
        total = np.cumsum(flow)
        before_group = np.concatenate(([0.0], total))[np.searchsorted(group, group, side="left")]
        return offset[group] + total - before_group

    in_end, out_end = ends(in_group, in_flow), ends(out_group, out_flow)
    cuts = np.unique(np.concatenate([in_end, out_end, offset]))
    starts, lengths = cuts[:-1], np.diff(cuts)
    i = np.searchsorted(in_end, starts, side="right")
    j = np.searchsorted(out_end, starts, side="right")
    ok = (lengths > KEPT_APART) & (i < len(in_end)) & (j < len(out_end))
    i, j, starts, lengths = i[ok], j[ok], starts[ok], lengths[ok]
    same = (in_group[i] == out_group[j]) & (in_end[i] - in_flow[i] <= starts + KEPT_APART)
    same &= out_end[j] - out_flow[j] <= starts + KEPT_APART
    return in_item[i[same]], out_item[j[same]], lengths[same]
