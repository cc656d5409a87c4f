"""Why an order keeps unmet units: one reason code per order, with the facts for a Persian sentence.

Codes, checked in this order (the first that applies wins):

``NO_MAKER``
    No workshop in the input makes the product at all.
``NO_MAKER_IN_TIME``
    Makers exist, but none has a working day from tomorrow until the due date.
``NO_FREE_CAPACITY_BEFORE``
    Makers work before the due date, but quotas they already hold fill that
    time (not one unit more fits in any of them, before this plan).
``BELOW_MINIMUM``
    After the plan some maker still has room for the order, but not for a
    quota of the minimum size (or, for an order smaller than the minimum, not
    for all of it in one quota), and no workshop already holding a quota of
    this order has room to top it up. Extra: ``min_quota``, ``largest_room``.
``NOT_WORTH_IT``
    Room was left but every maker with room costs more per unit (distance,
    overload) than leaving the unit unmet; only with custom weights.
``PARTLY_MET``
    Capacity ran out: ``met`` of ``units`` were allocated, the rest of the
    makers' time went to other orders or is not there.
``CAPACITY_TAKEN``
    Nothing was allocated: the makers' free time before the due date went to
    other orders (more urgent ones, or ones that could use it more cheaply).

Every reason's ``params`` has ``product_id``, ``province_id``, ``due_date``,
``units`` (asked), ``met``, ``unmet``, ``makers`` (workshops making the product), ``priority`` and
``partial`` (the units are a remainder or a first payment: a quota below the minimum is never made of them).
"""

from __future__ import annotations

import numpy as np

from .model import Options, Unmet
from .prepare import Arrays

NO_MAKER = "NO_MAKER"
NO_MAKER_IN_TIME = "NO_MAKER_IN_TIME"
NO_FREE_CAPACITY_BEFORE = "NO_FREE_CAPACITY_BEFORE"
BELOW_MINIMUM = "BELOW_MINIMUM"
NOT_WORTH_IT = "NOT_WORTH_IT"
PARTLY_MET = "PARTLY_MET"
CAPACITY_TAKEN = "CAPACITY_TAKEN"
REASONS = (NO_MAKER, NO_MAKER_IN_TIME, NO_FREE_CAPACITY_BEFORE, BELOW_MINIMUM, NOT_WORTH_IT, PARTLY_MET, CAPACITY_TAKEN)


def unmet_reasons(arrays: Arrays, plan: dict[tuple[int, int], int], room: np.ndarray, options: Options) -> list[Unmet]:
    """``room``: the repair ledger's free ticks per workshop and day after the plan."""
    given = np.zeros(len(arrays.orders), dtype=np.int64)
    holders: dict[int, list[int]] = {}
    for (order, workshop), units in plan.items():
        given[order] += units
        holders.setdefault(order, []).append(workshop)
    result = []
    for order in np.flatnonzero(given < arrays.o_units).tolist():
        demand = arrays.orders[order]
        p, day = int(arrays.o_prod[order]), int(arrays.o_due[order])
        makers = np.flatnonzero(arrays.tick[:, p] > 0)
        params = {
            "product_id": demand.product_id,
            "province_id": demand.province_id,
            "due_date": demand.due_date,
            "units": demand.units,
            "met": int(given[order]),
            "unmet": int(demand.units - given[order]),
            "makers": len(makers),
            "priority": demand.priority,
            "partial": demand.partial,
        }
        ticks = arrays.tick[makers, p]
        left = room[makers, day] // ticks if len(makers) else np.zeros(0, dtype=np.int64)
        if not len(makers):
            reason = NO_MAKER
        elif not (arrays.working[makers, day] > 0).any():
            reason = NO_MAKER_IN_TIME
        elif not (arrays.cap[makers, day] >= ticks).any():
            reason = NO_FREE_CAPACITY_BEFORE
        elif left.max() >= 1:
            reason, extra = _room_left(arrays, order, makers, left, holders.get(order, []), params["unmet"], options)
            params.update(extra)
        else:
            reason = PARTLY_MET if given[order] else CAPACITY_TAKEN
        result.append(Unmet(order_id=demand.order_id, units=params["unmet"], reason=reason, params=params))
    return result


def _room_left(arrays, order, makers, left, holders, unmet, options) -> tuple[str, dict]:
    """Room is left somewhere. The repair placed every unit that both fitted the quota size rule and
    cost less than leaving it unmet, and room only shrinks after an order's turn: so if a quota
    would still fit, its cost kept it out; otherwise the size rule did."""
    holding = np.isin(makers, holders)
    if arrays.o_whole[order]:
        fits = ~holding & (left >= arrays.o_units[order])
    else:
        new_fits = (left >= options.min_quota) & (unmet >= options.min_quota)
        fits = (holding & (left >= 1)) | (~holding & new_fits)
    if fits.any():
        return NOT_WORTH_IT, {}
    return BELOW_MINIMUM, {"min_quota": options.min_quota, "largest_room": int(left.max())}
