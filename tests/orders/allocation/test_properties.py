"""Properties of the allocation engine on random instances drawn by Hypothesis (derandomised: the same
examples on every run).

The instances are deliberately rough: tiny rates, orders below the minimum
quota, orders due today or earlier, held quotas of products no longer
declared, overbooked dates, products nobody makes.
"""

import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from production.allocation import (
    REASONS,
    ExistingLoad,
    Options,
    OrderDemand,
    WorkshopSupply,
    allocate,
    check_plan,
    plan_objective,
)
from workshops.calendar import WorkCalendar

TODAY = dt.date(2026, 11, 28)
PRIORITIES = ("urgent", "high", "normal")
EXAMPLES = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@st.composite
def places(draw):
    province = draw(st.integers(1, 2))
    return province, province * 10 + draw(st.integers(0, 1))


@st.composite
def workshops(draw, workshop_id: int, products: int):
    makes = draw(st.lists(st.integers(1, products), min_size=1, max_size=products, unique=True))
    rates = {p: draw(st.integers(1, 80)) for p in makes}
    closed = ()
    if draw(st.booleans()):
        start = draw(st.integers(0, 20))
        closed = ((day(start), day(start + draw(st.integers(0, 5)))),)
    loads = draw(
        st.lists(
            st.builds(ExistingLoad, st.integers(1, products + 1), st.integers(0, 300), st.integers(-3, 25).map(day)),
            max_size=3,
        )
    )
    province, city = draw(places())
    calendar = WorkCalendar(draw(st.integers(1, 127)), closed)
    return WorkshopSupply(workshop_id, province, city, rates, calendar, draw(st.booleans()), tuple(loads))


@st.composite
def orders(draw, order_id: int, products: int):
    province, city = draw(places())
    return OrderDemand(
        order_id=order_id,
        product_id=draw(st.integers(1, products + 1)),  # product products + 1: nobody makes it
        province_id=province,
        city_id=draw(st.one_of(st.none(), st.just(city))),
        units=draw(st.integers(0, 600)),
        due_date=day(draw(st.integers(-1, 25))),
        priority=draw(st.sampled_from(PRIORITIES)),
    )


@st.composite
def instances(draw):
    products = draw(st.integers(1, 3))
    supply = [draw(workshops(i, products)) for i in range(1, draw(st.integers(0, 5)) + 1)]
    demand = [draw(orders(i, products)) for i in range(1, draw(st.integers(0, 6)) + 1)]
    min_quota = draw(st.sampled_from((1, 10, 25)))
    return demand, supply, min_quota


@EXAMPLES
@given(instances())
def test_random_plans_never_break_a_hard_constraint_and_account_for_every_unit(instance):
    demand, supply, min_quota = instance
    plan = allocate(demand, supply, today=TODAY, options=Options(min_quota=min_quota))
    assert check_plan(plan, demand, supply, today=TODAY, min_quota=min_quota) == []
    allocated = {o.order_id: 0 for o in demand}
    for allocation in plan.allocations:
        allocated[allocation.order_id] += allocation.units
    unmet = {item.order_id: item for item in plan.unmet}
    for o in demand:
        assert allocated[o.order_id] + (unmet[o.order_id].units if o.order_id in unmet else 0) == o.units
    for item in plan.unmet:
        assert item.units > 0 and item.reason in REASONS
        assert {"product_id", "province_id", "due_date", "units", "met", "unmet"} <= set(item.params)
    checked = plan_objective(plan, demand, supply, today=TODAY)
    assert abs(checked - plan.objective) <= 1e-6 * max(1.0, abs(checked))
    assert plan.lp_bound <= plan.objective + 1e-6 * max(1.0, abs(plan.objective))


@EXAMPLES
@given(instances(), st.integers(0, 2**32 - 1))
def test_the_plan_does_not_depend_on_the_order_of_the_input(instance, seed):
    demand, supply, min_quota = instance
    options = Options(min_quota=min_quota)
    shuffler = random.Random(seed)
    shuffled_demand = shuffler.sample(demand, len(demand))
    shuffled_supply = [
        WorkshopSupply(
            w.workshop_id,
            w.province_id,
            w.city_id,
            dict(shuffler.sample(list(w.rates.items()), len(w.rates))),
            w.calendar,
            w.woman_head,
            tuple(shuffler.sample(w.loads, len(w.loads))),
        )
        for w in shuffler.sample(supply, len(supply))
    ]
    first = allocate(demand, supply, today=TODAY, options=options)
    again = allocate(shuffled_demand, shuffled_supply, today=TODAY, options=options)
    assert again.allocations == first.allocations
    assert again.unmet == first.unmet
    assert again.objective == first.objective
    assert again.lp_bound == first.lp_bound
