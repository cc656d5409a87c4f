"""Re-checking a plan only where the data changed finds what re-checking all of it would (random instances).

A commit re-checks the plan it made before its locks on the values read under
them, but only the quotas of orders and workshops whose values differ
(``production.services.allocation_recheck``). Here random plans meet random
changes (units refunded or added, products, due dates, rates, closed days, new
or reordered quotas held, workshops gone) and the answer is compared with
``check_plan`` on the whole plan (400 seeded instances: the same on every run).
"""

import dataclasses
import random

from production.allocation import ExistingLoad, Options, OrderDemand, WorkshopSupply, allocate, check_plan
from production.services.allocation_recheck import reasons_to_plan_again
from workshops.calendar import WorkCalendar

from .allocation.test_properties import TODAY, day


def _changed_order(order: OrderDemand, rng: random.Random) -> OrderDemand | None:
    what = rng.choice(("units", "units", "product", "due", "priority"))
    if what == "units":
        units = order.units + rng.randint(-order.units, 60)
        return dataclasses.replace(order, units=units) if units > 0 else None  # no units left: not in the input
    if what == "product":
        return dataclasses.replace(order, product_id=order.product_id % 3 + 1)
    if what == "due":
        return dataclasses.replace(order, due_date=order.due_date + dt_days(rng.choice((-3, -1, 1, 4))))
    return dataclasses.replace(order, priority=rng.choice(("urgent", "high", "normal")))


def dt_days(n: int):
    return day(n) - TODAY


def _changed_workshop(workshop: WorkshopSupply, rng: random.Random) -> WorkshopSupply | None:
    what = rng.choice(("gone", "rate", "rate", "load", "reordered", "closed"))
    if what == "gone":
        return None  # suspended, or no longer makes any product of the run
    if what == "rate":
        product = rng.choice(sorted(workshop.rates))
        return dataclasses.replace(workshop, rates={**workshop.rates, product: max(1, workshop.rates[product] // 3)})
    if what == "load":
        load = ExistingLoad(rng.choice(sorted(workshop.rates)), rng.randint(1, 200), day(rng.randint(1, 20)))
        return dataclasses.replace(workshop, loads=(*workshop.loads, load))
    if what == "reordered":
        return dataclasses.replace(workshop, loads=tuple(reversed(workshop.loads)))
    start = day(rng.randint(1, 10))
    closed = ((start, start + dt_days(rng.randint(0, 6))),)
    return dataclasses.replace(workshop, calendar=WorkCalendar(workshop.calendar.weekday_mask, closed))


def _changed(items, change, rng: random.Random, share: float) -> list:
    changed = []
    for item in items:
        if rng.random() < share:
            item = change(item, rng)
        if item is not None:
            changed.append(item)
    return changed


def _instance(rng: random.Random) -> tuple[list[OrderDemand], list[WorkshopSupply]]:
    """Orders asking for about as much as the workshops can make, so plans fill their time and changes bite."""
    supply = []
    for workshop_id in range(1, rng.randint(1, 6) + 1):
        makes = rng.sample((1, 2, 3), rng.randint(1, 3))
        loads = tuple(
            ExistingLoad(rng.choice(makes), rng.randint(1, 150), day(rng.randint(-2, 20)))
            for _ in range(rng.randint(0, 3))
        )
        calendar = WorkCalendar(rng.choice((0b0111111, 0b1011111, 127)))
        province = rng.randint(1, 2)
        rates = {product: rng.randint(5, 60) for product in makes}
        supply.append(WorkshopSupply(workshop_id, province, province * 10, rates, calendar, rng.random() < 0.3, loads))
    demand = [
        OrderDemand(
            order_id=order_id,
            product_id=rng.randint(1, 3),
            province_id=rng.randint(1, 2),
            city_id=None,
            units=rng.choice((rng.randint(1, 9), rng.randint(10, 800))),
            due_date=day(rng.randint(3, 20)),
            priority=rng.choice(("urgent", "high", "normal")),
            partial=rng.random() < 0.3,
        )
        for order_id in range(1, rng.randint(1, 8) + 1)
    ]
    return demand, supply


def test_checking_only_what_changed_refuses_a_plan_exactly_when_checking_all_of_it_does():
    outcomes = {"refused": 0, "kept": 0}
    for seed in range(400):
        rng = random.Random(seed)
        demand, supply = _instance(rng)
        min_quota = rng.choice((1, 10, 25))
        plan = allocate(demand, supply, today=TODAY, options=Options(min_quota=min_quota))
        if not plan.allocations:
            continue
        share = rng.choice((0.1, 0.3, 0.6))
        demand_now = _changed(demand, _changed_order, rng, share)
        supply_now = _changed(supply, _changed_workshop, rng, share)
        found = reasons_to_plan_again(
            plan,
            today=TODAY,
            planned_on=TODAY,
            planned_from=(demand, supply),
            planned_violations=[],
            demands=demand_now,
            supplies=supply_now,
            min_quota=min_quota,
        )
        everything = check_plan(plan, demand_now, supply_now, today=TODAY, min_quota=min_quota)
        assert set(found) <= set(everything), seed
        assert bool(found) == bool(everything), (seed, everything)
        outcomes["refused" if found else "kept"] += 1
    # Both answers come up often, so the comparison above means something.
    assert outcomes["refused"] > 100 and outcomes["kept"] > 50, outcomes


def test_a_plan_made_on_another_day_is_made_again_without_being_checked():
    found = reasons_to_plan_again(
        allocate([], [], today=TODAY),
        today=day(1),
        planned_on=TODAY,
        planned_from=([], []),
        planned_violations=[],
        demands=[],
        supplies=[],
        min_quota=10,
    )
    assert found == [f"the day changed from {TODAY} to {day(1)} between the plan and the locks"]
