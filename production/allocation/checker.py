"""An independent check of any plan: hard-constraint violations and the objective, in exact arithmetic.

Deliberately written apart from the solver: plain loops over the input
values, ``WorkCalendar.working_days`` for every date, ``Fraction`` for every
day count. It shares no constraint code with ``prepare.py``/``lp.py``/
``repair.py``, so a bug there cannot hide itself here. It is slow on a whole
country (seconds) and meant for tests, benchmarks and audits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction

from .model import DEFAULT_MIN_QUOTA, Allocation, OrderDemand, Plan, Weights, WorkshopSupply

ONE_DAY = dt.timedelta(days=1)


def _allocations(plan: Plan | Iterable[Allocation]) -> list[Allocation]:
    return list(plan.allocations if isinstance(plan, Plan) else plan)


def check_plan(
    plan: Plan | Iterable[Allocation],
    orders: Sequence[OrderDemand],
    workshops: Sequence[WorkshopSupply],
    *,
    today: dt.date,
    min_quota: int = DEFAULT_MIN_QUOTA,
) -> list[str]:
    """Human-readable violations of the hard constraints; empty when the plan keeps them all."""
    allocations = _allocations(plan)
    order_by_id = {order.order_id: order for order in orders}
    workshop_by_id = {workshop.workshop_id: workshop for workshop in workshops}
    problems: list[str] = []
    per_order: dict[int, list[Allocation]] = defaultdict(list)
    per_workshop: dict[int, list[tuple[OrderDemand, Allocation]]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for allocation in allocations:
        label = f"quota of order {allocation.order_id} at workshop {allocation.workshop_id}"
        order = order_by_id.get(allocation.order_id)
        workshop = workshop_by_id.get(allocation.workshop_id)
        if not isinstance(allocation.units, int) or allocation.units < 1:
            problems.append(f"{label}: {allocation.units!r} units (a quota needs at least one whole unit)")
            continue
        if (allocation.order_id, allocation.workshop_id) in seen:
            problems.append(f"{label}: the pair appears twice")
        seen.add((allocation.order_id, allocation.workshop_id))
        if order is None:
            problems.append(f"{label}: the order is not in the input")
            continue
        if workshop is None:
            problems.append(f"{label}: the workshop is not in the input (not verified or out of scope)")
            continue
        if workshop.rates.get(order.product_id, 0) <= 0:
            problems.append(f"{label}: the workshop has not declared product {order.product_id}")
            continue
        if allocation.due_date != order.due_date:
            problems.append(f"{label}: due {allocation.due_date}, but the order's quotas are due {order.due_date}")
        per_order[order.order_id].append(allocation)
        per_workshop[workshop.workshop_id].append((order, allocation))
    for order_id, given in sorted(per_order.items()):
        problems.extend(_order_problems(order_by_id[order_id], given, min_quota))
    for workshop_id, given in sorted(per_workshop.items()):
        problems.extend(_time_problems(workshop_by_id[workshop_id], given, today))
    return problems


def _order_problems(order: OrderDemand, given: list[Allocation], min_quota: int) -> list[str]:
    problems = []
    total = sum(allocation.units for allocation in given)
    if total > order.units:
        problems.append(f"order {order.order_id}: {total} units allocated, only {order.units} may be")
    if order.units < min_quota and not order.partial:
        if len(given) > 1 or total != order.units:
            problems.append(
                f"order {order.order_id}: its {order.units} units are below the minimum quota of {min_quota}, "
                f"so it may only get one quota of all of them (got {[a.units for a in given]})"
            )
    else:
        for allocation in given:
            if allocation.units < min_quota:
                problems.append(
                    f"order {order.order_id}: quota of {allocation.units} units at workshop "
                    f"{allocation.workshop_id} is below the minimum of {min_quota}"
                )
    return problems


def _days(units: int, rate: int) -> Fraction:
    return Fraction(units, rate)


def _existing(workshop: WorkshopSupply) -> list[tuple[dt.date, Fraction]]:
    """(due date, days needed) of the quotas it holds; a product without a rate takes no time."""
    loads = []
    for load in workshop.loads:
        rate = workshop.rates.get(load.product_id, 0)
        if load.units > 0 and rate > 0:
            loads.append((load.due_date, _days(load.units, rate)))
    return loads


def _time_problems(workshop: WorkshopSupply, given: list[tuple[OrderDemand, Allocation]], today: dt.date) -> list[str]:
    """For every due date D: new days due by D > 0 and new + existing days due by D > working days."""
    existing = _existing(workshop)
    new = [(a.due_date, _days(a.units, workshop.rates[order.product_id])) for order, a in given]
    problems = []
    for day in sorted({due for due, _ in existing} | {due for due, _ in new}):
        new_days = sum((days for due, days in new if due <= day), Fraction(0))
        if not new_days:
            continue
        old_days = sum((days for due, days in existing if due <= day), Fraction(0))
        working = workshop.calendar.working_days(today + ONE_DAY, day)
        if new_days + old_days > working:
            problems.append(
                f"workshop {workshop.workshop_id}: by {day} it would need {float(new_days + old_days):.2f} days "
                f"({float(new_days):.2f} of them new) but works {working} days from tomorrow"
            )
    return problems


def plan_objective(
    plan: Plan | Iterable[Allocation],
    orders: Sequence[OrderDemand],
    workshops: Sequence[WorkshopSupply],
    *,
    today: dt.date,
    weights: Weights | None = None,
) -> float:
    """The model's objective for this plan (see the package docstring), computed exactly."""
    weights = (weights or Weights()).resolved(workshops, orders)
    allocations = _allocations(plan)
    order_by_id = {order.order_id: order for order in orders}
    workshop_by_id = {workshop.workshop_id: workshop for workshop in workshops}
    fair_share = Fraction(str(weights.fair_share))
    total = Fraction(0)
    given: dict[int, int] = defaultdict(int)
    new_units: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for allocation in allocations:
        order, workshop = order_by_id[allocation.order_id], workshop_by_id[allocation.workshop_id]
        given[order.order_id] += allocation.units
        new_units[workshop.workshop_id][order.product_id] += allocation.units
        if order.city_id is not None and order.city_id == workshop.city_id:
            distance = weights.same_city
        elif order.province_id == workshop.province_id:
            distance = weights.same_province
        else:
            distance = weights.other_province
        bonus = weights.woman_head if workshop.woman_head else 0
        total += (Fraction(str(distance)) + Fraction(str(bonus))) * allocation.units
    for order in orders:
        total += Fraction(str(weights.demand_weight(order))) * (order.units - given[order.order_id])
    for workshop_id, by_product in new_units.items():
        workshop = workshop_by_id[workshop_id]
        excess = sum(_days(units, workshop.rates[p]) for p, units in by_product.items())
        excess -= fair_share * _free_days(workshop, orders, today)
        # Cover the excess days with as few units as possible: slowest products first.
        for product, units in sorted(by_product.items(), key=lambda item: (workshop.rates[item[0]], item[0])):
            if excess <= 0:
                break
            z = min(Fraction(units), excess * workshop.rates[product])
            total += Fraction(str(weights.overload)) * z
            excess -= z / workshop.rates[product]
    return float(total)


def _free_days(workshop: WorkshopSupply, orders: Sequence[OrderDemand], today: dt.date) -> Fraction:
    """Working days from tomorrow to the latest due date of the orders it could serve, minus the days
    its existing quotas due by then need (overdue ones included: they still take its time); never < 0."""
    dues = [order.due_date for order in orders if workshop.rates.get(order.product_id, 0) > 0]
    if not dues:
        return Fraction(0)
    last = max(dues)
    committed = sum((days for due, days in _existing(workshop) if due <= last), Fraction(0))
    return max(Fraction(workshop.calendar.working_days(today + ONE_DAY, last)) - committed, Fraction(0))
