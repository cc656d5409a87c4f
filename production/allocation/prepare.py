"""The problem as canonical numpy arrays: rates, places, and free time per workshop and day.

Time is counted exactly in integer *ticks*: a workshop's tick is
``1 / lcm(its daily rates)`` of a working day, so one unit of product p takes
``lcm / rate_p`` ticks and every quantity of the time-shared capacity rule is
an integer (no rounding can make a full day look free).

Day index k means ``today + k`` days; index 0 gathers everything due today or
earlier (nothing new can be made by then: working days start tomorrow).
``cap[w, k]`` is the most ticks that new quotas of workshop w due on or before
day k may take: ``min over due dates D >= k of max(0, working_ticks(D) -
existing_ticks(D))``. The max(0, .) says how an already overbooked date is
treated: it takes no new work due on or before it, and the overbooking itself
is the existing quotas' problem (``loads_at_risk``), not the plan's. The
suffix minimum makes ``cap`` non-decreasing, so "new ticks due on or before k
<= cap[w, k] for every k" is exactly the rule for every due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .model import Options, OrderDemand, Weights, WorkshopSupply

NO_CITY_ORDER, NO_CITY_WORKSHOP = -1, -2  # never equal: an unknown city matches nothing


@dataclass
class Arrays:
    """Canonical arrays: orders sorted by id, workshops by id, products by id."""

    orders: tuple[OrderDemand, ...]
    workshops: tuple[WorkshopSupply, ...]
    today: dt.date
    o_ids: np.ndarray
    w_ids: np.ndarray
    products: np.ndarray  # product ids
    o_prod: np.ndarray  # index into products
    o_units: np.ndarray
    o_due: np.ndarray  # day index in [0, horizon]
    o_prio: np.ndarray  # priority weight per unmet unit
    o_whole: np.ndarray  # below the minimum and never allocated: may get one quota of all its units
    o_prov: np.ndarray
    o_city: np.ndarray
    w_prov: np.ndarray
    w_city: np.ndarray
    w_wh: np.ndarray  # woman head of household
    w_lcm: np.ndarray  # ticks per working day
    tick: np.ndarray  # [w, p] ticks per unit, 0 when the workshop does not make p
    working: np.ndarray  # [w, k] working days from tomorrow until day k
    cap: np.ndarray  # [w, k] ticks free for new work due on or before day k (non-decreasing in k)
    free: np.ndarray  # [w] free ticks of the fairness window (see the package docstring)

    @property
    def horizon(self) -> int:
        return self.cap.shape[1] - 1


def canonical(
    orders: list[OrderDemand] | tuple[OrderDemand, ...], workshops: list[WorkshopSupply] | tuple[WorkshopSupply, ...]
) -> tuple[tuple[OrderDemand, ...], tuple[WorkshopSupply, ...]]:
    """Sort by id and refuse duplicates: the plan must not depend on the caller's order."""
    orders = tuple(sorted(orders, key=lambda order: order.order_id))
    workshops = tuple(sorted(workshops, key=lambda workshop: workshop.workshop_id))
    for name, ids in (("order", [o.order_id for o in orders]), ("workshop", [w.workshop_id for w in workshops])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {name} id in the input")
    for order in orders:
        if order.units < 0:
            raise ValueError(f"order {order.order_id} has negative units")
    return orders, workshops


def build_arrays(
    orders: tuple[OrderDemand, ...], workshops: tuple[WorkshopSupply, ...], today: dt.date, options: Options
) -> Arrays:
    weights = options.weights
    product_ids = {order.product_id for order in orders}
    for workshop in workshops:
        product_ids.update(p for p, rate in workshop.rates.items() if rate > 0)
    products = np.array(sorted(product_ids), dtype=np.int64)
    p_index = {int(p): i for i, p in enumerate(products)}
    n_w, n_p = len(workshops), len(products)

    o_due_raw = np.array([(order.due_date - today).days for order in orders], dtype=np.int64)
    load_days = [(load.due_date - today).days for w in workshops for load in w.loads]
    horizon = int(max([1, *o_due_raw.tolist(), *load_days]))

    rate = np.zeros((n_w, n_p), dtype=np.int64)
    for i, workshop in enumerate(workshops):
        for product, units_per_day in workshop.rates.items():
            if units_per_day > 0:
                rate[i, p_index[product]] = units_per_day
    w_lcm = np.lcm.reduce(np.where(rate > 0, rate, 1), axis=1) if n_p else np.ones(n_w, dtype=np.int64)
    tick = np.where(rate > 0, w_lcm[:, None] // np.where(rate > 0, rate, 1), 0)

    working = _working_days(workshops, today, horizon)
    committed = _committed_ticks(workshops, today, horizon, p_index, tick, w_lcm)
    slack = working * w_lcm[:, None] - committed
    cap = np.minimum.accumulate(np.maximum(slack, 0)[:, ::-1], axis=1)[:, ::-1].copy()

    o_prod = np.array([p_index[order.product_id] for order in orders], dtype=np.int64)
    o_due = np.clip(o_due_raw, 0, horizon)
    # Fairness window of a workshop: tomorrow until the latest due date of the orders it could serve.
    last_due = np.zeros(n_p, dtype=np.int64)
    if len(orders):
        np.maximum.at(last_due, o_prod, o_due)
    window_end = np.max(np.where(rate > 0, last_due[None, :], 0), axis=1) if n_p else np.zeros(n_w, dtype=np.int64)
    free = np.maximum(slack[np.arange(n_w), window_end], 0) if n_w else np.zeros(0, dtype=np.int64)

    return Arrays(
        orders=orders,
        workshops=workshops,
        today=today,
        o_ids=np.array([order.order_id for order in orders], dtype=np.int64),
        w_ids=np.array([workshop.workshop_id for workshop in workshops], dtype=np.int64),
        products=products,
        o_prod=o_prod,
        o_units=np.array([order.units for order in orders], dtype=np.int64),
        o_due=o_due,
        o_prio=np.array([weights.demand_weight(order) for order in orders], dtype=np.float64),
        o_whole=np.array([order.units < options.min_quota and not order.partial for order in orders], dtype=bool),
        o_prov=np.array([order.province_id for order in orders], dtype=np.int64),
        o_city=np.array([NO_CITY_ORDER if o.city_id is None else o.city_id for o in orders], dtype=np.int64),
        w_prov=np.array([w.province_id for w in workshops], dtype=np.int64),
        w_city=np.array([NO_CITY_WORKSHOP if w.city_id is None else w.city_id for w in workshops], dtype=np.int64),
        w_wh=np.array([bool(w.woman_head) for w in workshops], dtype=bool),
        w_lcm=w_lcm,
        tick=tick,
        working=working,
        cap=cap,
        free=free,
    )


def _working_days(workshops: tuple[WorkshopSupply, ...], today: dt.date, horizon: int) -> np.ndarray:
    """[w, k]: working days from tomorrow until day k, from weekday masks and closed ranges."""
    weekday = np.array([(today + dt.timedelta(days=k)).weekday() for k in range(horizon + 1)], dtype=np.int64)
    masks = np.array([w.calendar.weekday_mask for w in workshops], dtype=np.int64)
    works = ((masks[:, None] >> weekday[None, :]) & 1).astype(np.int64)
    works[:, 0] = 0  # today is never counted: new work starts tomorrow
    for i, workshop in enumerate(workshops):
        for start, end in workshop.calendar.closed:
            first, last = max((start - today).days, 1), min((end - today).days, horizon)
            if first <= last:
                works[i, first : last + 1] = 0
    return np.cumsum(works, axis=1)


def _committed_ticks(workshops, today, horizon, p_index, tick, w_lcm) -> np.ndarray:
    """[w, k]: ticks owed to existing quotas due on or before day k (overdue ones count from day 0).

    A load longer than the whole horizon is clipped to horizon + 1 days: it
    already fills every date, and clipping keeps int64 far from overflow.
    """
    rows, days, ticks = [], [], []
    for i, workshop in enumerate(workshops):
        for load in workshop.loads:
            p = p_index.get(load.product_id)
            if p is None or tick[i, p] == 0 or load.units <= 0:
                continue  # no rate for this product any more: its time is unknown (see WorkshopSupply)
            per_unit = int(tick[i, p])
            limit = (horizon + 1) * int(w_lcm[i])
            rows.append(i)
            days.append(min(max((load.due_date - today).days, 0), horizon))
            ticks.append(min(load.units, limit // per_unit + 1) * per_unit)
    committed = np.zeros((len(workshops), horizon + 1), dtype=np.int64)
    if rows:
        np.add.at(committed, (np.array(rows), np.array(days)), np.array(ticks, dtype=np.int64))
    return np.cumsum(committed, axis=1)


def needed_units(arrays: Arrays, min_quota: int) -> np.ndarray:
    """Smallest quota an order can get: the minimum size, or all its units when it is a small first order."""
    return np.where(arrays.o_whole, arrays.o_units, min_quota)


def placement_cost(arrays: Arrays, o: np.ndarray, w: np.ndarray, weights: Weights) -> np.ndarray:
    """Distance plus woman-head cost per unit of each (order, workshop) pair."""
    same_city = arrays.o_city[o] == arrays.w_city[w]
    same_province = arrays.o_prov[o] == arrays.w_prov[w]
    distance = np.where(
        same_city, weights.same_city, np.where(same_province, weights.same_province, weights.other_province)
    )
    return distance + np.where(arrays.w_wh[w], weights.woman_head, 0.0)


def mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A 40-bit hash of two id arrays (splitmix-style multiply-xorshift, wrapping in uint64)."""
    with np.errstate(over="ignore"):
        h = a.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ b.astype(np.uint64) * np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(29)
    return (h >> np.uint64(24)).astype(np.int64)
