"""Whether a commit's plan, made before its locks, may be written as it is on the data read under them.

``production.services.allocation`` plans with nothing locked, then locks,
reads demand and supply again and asks ``reasons_to_plan_again``: an empty list
means the plan is written as made; anything else is why it is thrown away and
solved again under the locks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from ..allocation.checker import check_plan
from ..allocation.model import ExistingLoad, OrderDemand, Plan, WorkshopSupply


def reasons_to_plan_again(
    plan: Plan,
    *,
    today: dt.date,
    planned_on: dt.date,
    planned_from: tuple[Sequence[OrderDemand], Sequence[WorkshopSupply]],
    planned_violations: Sequence[str],
    demands: Sequence[OrderDemand],
    supplies: Sequence[WorkshopSupply],
    min_quota: int,
) -> list[str]:
    """Why ``plan`` (made on ``planned_on`` from ``planned_from``) may not be written on ``demands`` and
    ``supplies`` read now; empty when it may.

    ``check_plan`` covers every hard rule: at most the releasable units per
    order (now that the releases are written, and any refund or other commit
    counted), each workshop's time with its current quotas, rates and closed
    days, declared products, the minimum quota, due dates, and only verified
    workshops and orders in scope and not past due. It takes the day from
    outside, so a plan made on another day is made again rather than checked.

    The plan passed ``check_plan`` on the values it was made from (else it is
    made again). Each rule is about one order's quotas (its values and their
    units) or one workshop's (its values, and its quotas' units, due dates and
    products), and holds for any part of the quotas it holds for (an order
    below the minimum has a single quota: a part of it is all or none). So it is
    enough to check again, on the values read now, every quota at a workshop
    whose values differ or which holds a quota of an order whose values differ:
    that finds exactly what checking the whole plan again would.
    """
    if today != planned_on:
        return [f"the day changed from {planned_on} to {today} between the plan and the locks"]
    if planned_violations:
        return list(planned_violations)
    allocations = plan.allocations
    # Only the plan's orders and workshops matter: the others hold no quota of it.
    planned_demands = {demand.order_id: demand for demand in planned_from[0]}
    planned_supplies = {supply.workshop_id: supply for supply in planned_from[1]}
    now_demands = {demand.order_id: demand for demand in demands}
    now_supplies = {supply.workshop_id: supply for supply in supplies}
    changed_orders = {
        order_id
        for order_id in {allocation.order_id for allocation in allocations}
        if now_demands.get(order_id) != planned_demands[order_id]
    }
    touched = {
        workshop_id
        for workshop_id in {allocation.workshop_id for allocation in allocations}
        if _differs(planned_supplies[workshop_id], now_supplies.get(workshop_id))
    }
    touched.update(allocation.workshop_id for allocation in allocations if allocation.order_id in changed_orders)
    again = [allocation for allocation in allocations if allocation.workshop_id in touched]
    return check_plan(again, demands, supplies, today=today, min_quota=min_quota)


def _differs(planned: WorkshopSupply, now: WorkshopSupply | None) -> bool:
    """Whether a workshop reads differently now (gone, or other values), whatever order its quotas came in."""
    if now is None:
        return True
    if now == planned:
        return False
    return dataclasses.replace(now, loads=_sorted_loads(now)) != dataclasses.replace(
        planned, loads=_sorted_loads(planned)
    )


def _sorted_loads(supply: WorkshopSupply) -> tuple[ExistingLoad, ...]:
    return tuple(sorted(supply.loads, key=lambda load: (load.due_date, load.product_id, load.units)))
