"""Urgent first across products, honest bounds, and no crumbs of big orders on a re-run (issue 15).

No database: hand-made instances, and random scarce ones checked by a swap
search written for the test (it shares no code with the engine).
"""

import datetime as dt
import random

from production.allocation import ExistingLoad, Options, OrderDemand, Weights, WorkshopSupply, allocate, check_plan
from workshops.calendar import DEFAULT_WEEKDAY_MASK, WorkCalendar

TODAY = dt.date(2026, 11, 28)  # a Saturday; Friday is the day off
MASK, GOWN = 1, 2
RANK = {"normal": 0, "high": 1, "urgent": 2}
SAT_TO_THU = WorkCalendar(DEFAULT_WEEKDAY_MASK)


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def both_products_workshop(workshop_id=1, gowns_a_day=20, masks_a_day=600, loads=()):
    return WorkshopSupply(workshop_id, 1, 10, {GOWN: gowns_a_day, MASK: masks_a_day}, SAT_TO_THU, False, loads)


def test_a_workshop_gives_its_day_to_urgent_gowns_rather_than_to_high_priority_masks():
    # One working day (tomorrow, Sunday): 20 gowns or 600 masks. Per unit, 600 high masks (300 each)
    # outweighed 20 urgent gowns (1,000 each); urgent now comes first whatever the product.
    orders = [
        OrderDemand(1, GOWN, 1, 10, 20, day(1), "urgent"),
        OrderDemand(2, MASK, 1, 10, 600, day(1), "high"),
    ]
    plan = allocate(orders, [both_products_workshop()], today=TODAY)
    assert [(a.order_id, a.units) for a in plan.allocations] == [(1, 20)]
    assert [(u.order_id, u.units) for u in plan.unmet] == [(2, 600)]


def test_the_old_per_unit_weights_are_still_available_when_asked_for():
    orders = [
        OrderDemand(1, GOWN, 1, 10, 20, day(1), "urgent"),
        OrderDemand(2, MASK, 1, 10, 600, day(1), "high"),
    ]
    loose = Options(weights=Weights(strict_priority=False))
    plan = allocate(orders, [both_products_workshop()], today=TODAY, options=loose)
    assert [(a.order_id, a.units) for a in plan.allocations] == [(2, 600)]


def test_the_weights_a_run_used_are_in_its_stats_and_keep_the_classes_apart():
    plan = allocate([OrderDemand(1, GOWN, 1, 10, 20, day(3), "urgent")], [both_products_workshop()], today=TODAY)
    weights = plan.stats["priority_weights"]
    # Fastest/slowest = 30 here: a high unit outweighs 30 normal ones, an urgent unit 30 high ones.
    assert weights["high"] > 30 * weights["normal"]
    assert weights["urgent"] > 30 * weights["high"]


def test_one_product_workshops_keep_the_configured_weights():
    workshop = WorkshopSupply(1, 1, 10, {MASK: 100}, SAT_TO_THU)
    plan = allocate([OrderDemand(1, MASK, 1, 10, 50, day(3), "high")], [workshop], today=TODAY)
    assert plan.stats["priority_weights"] == {"normal": 100.0, "high": 300.0, "urgent": 1000.0}


def scarce_instance(seed: int):
    rng = random.Random(seed)
    workshops = []
    for workshop_id in range(1, rng.randint(3, 8) + 1):
        rates = {}
        for product in rng.sample([MASK, GOWN], rng.randint(1, 2)):
            rates[product] = rng.randint(200, 600) if product == MASK else rng.randint(8, 30)
        loads = tuple(
            ExistingLoad(product, rate * rng.randint(1, 3), day(rng.randint(-2, 10)))
            for product, rate in rates.items()
            if rng.random() < 0.3
        )
        workshops.append(WorkshopSupply(workshop_id, rng.randint(1, 2), None, rates, SAT_TO_THU, False, loads))
    orders = [
        OrderDemand(
            order_id,
            product,
            rng.randint(1, 2),
            None,
            rng.randint(2, 8) * (1000 if product == MASK else 60),
            day(rng.randint(3, 14)),
            rng.choice(["urgent", "high", "normal"]),
        )
        for order_id in range(1, rng.randint(3, 10) + 1)
        for product in [rng.choice([MASK, GOWN])]
    ]
    return orders, workshops


def single_swaps_to_a_higher_class(plan, orders, workshops, min_quota=10):
    """(higher order, workshop, lower order): the workshop makes the higher order's product and holds a quota
    of a lower class due no later than the higher order, whose time alone would make a quota of the higher
    order (a top-up of one it holds there, or a new one of the minimum size) while it still has unmet units."""
    by_order = {o.order_id: o for o in orders}
    by_workshop = {w.workshop_id: w for w in workshops}
    unmet = {u.order_id: u.units for u in plan.unmet}
    holds = {(a.order_id, a.workshop_id) for a in plan.allocations}
    swaps = []
    for higher_id, missing in unmet.items():
        higher = by_order[higher_id]
        for quota in plan.allocations:
            lower, workshop = by_order[quota.order_id], by_workshop[quota.workshop_id]
            if RANK[lower.priority] >= RANK[higher.priority] or lower.due_date > higher.due_date:
                continue
            rate = workshop.rates.get(higher.product_id, 0)
            if not rate:
                continue
            freed = quota.units * rate // workshop.rates[lower.product_id]
            smallest = 1 if (higher_id, workshop.workshop_id) in holds else min(min_quota, missing)
            if min(freed, missing) >= smallest:
                swaps.append((higher_id, workshop.workshop_id, lower.order_id))
    return swaps


def test_on_scarce_random_worlds_no_lower_class_holds_time_an_unmet_higher_class_could_use():
    for seed in range(60):
        orders, workshops = scarce_instance(seed)
        plan = allocate(orders, workshops, today=TODAY)
        assert check_plan(plan, orders, workshops, today=TODAY) == []
        assert single_swaps_to_a_higher_class(plan, orders, workshops) == [], seed


def test_the_reported_gap_is_measured_against_a_bound_of_the_full_model():
    orders, workshops = scarce_instance(3)
    pruned = allocate(orders, workshops, today=TODAY, options=Options(prune_above=0, pricing_rounds=0))
    full = allocate(orders, workshops, today=TODAY, options=Options(prune_above=None))
    assert pruned.stats["bound_is_valid"] is True
    assert pruned.stats["full_model_bound"] <= full.lp_bound + 1e-6 * abs(full.lp_bound)
    bound = pruned.stats["full_model_bound"]
    assert pruned.stats["gap"] == (pruned.objective - bound) / max(abs(bound), 1.0)
    assert pruned.stats["gap"] >= 0


def test_a_re_run_never_makes_a_quota_below_the_minimum_of_a_big_order():
    # 4,400 units ordered, 4,399 already in quotas: the 1 unit left waits instead of becoming a 1-unit quota.
    remainder = OrderDemand(1, MASK, 1, 10, 1, day(10), "urgent", partial=True)
    workshop = WorkshopSupply(1, 1, 10, {MASK: 500}, SAT_TO_THU)
    plan = allocate([remainder], [workshop], today=TODAY)
    assert plan.allocations == ()
    assert [(u.units, u.reason) for u in plan.unmet] == [(1, "BELOW_MINIMUM")]


def test_a_small_order_as_a_whole_still_gets_one_quota_of_all_its_units():
    small = OrderDemand(1, MASK, 1, 10, 4, day(10), "normal")
    workshop = WorkshopSupply(1, 1, 10, {MASK: 500}, SAT_TO_THU)
    plan = allocate([small], [workshop], today=TODAY)
    assert [(a.order_id, a.units) for a in plan.allocations] == [(1, 4)]


def test_the_checker_refuses_a_small_quota_of_a_partial_order():
    from production.allocation import Allocation

    remainder = OrderDemand(1, MASK, 1, 10, 5, day(10), "normal", partial=True)
    workshop = WorkshopSupply(1, 1, 10, {MASK: 500}, SAT_TO_THU)
    problems = check_plan([Allocation(1, 1, 5, day(10))], [remainder], [workshop], today=TODAY)
    assert any("below the minimum" in problem for problem in problems)


def test_the_swap_search_finds_swaps_in_plans_made_with_the_old_per_unit_weights():
    loose = Options(weights=Weights(strict_priority=False))
    found = 0
    for seed in range(60):
        orders, workshops = scarce_instance(seed)
        found += len(
            single_swaps_to_a_higher_class(allocate(orders, workshops, today=TODAY, options=loose), orders, workshops)
        )
    assert found > 0


def test_pricing_rounds_start_from_the_last_basis_and_reach_the_same_bound_in_fewer_pivots():
    from .test_optimality import random_instance

    orders, workshops = random_instance(7, workshops=(120, 120), orders=(40, 40))
    common = {"prune_above": 0, "pricing_rounds": 50, "pricing_iterations": 10**9}
    warm = allocate(orders, workshops, today=TODAY, options=Options(**common))
    cold = allocate(orders, workshops, today=TODAY, options=Options(warm_start=False, **common))
    assert warm.stats["pricing_rounds"] > 0
    assert abs(warm.stats["full_model_bound"] - cold.stats["full_model_bound"]) <= 1e-6 * abs(cold.lp_bound)
    assert warm.stats["simplex_iterations"] < cold.stats["simplex_iterations"]
    assert check_plan(warm, orders, workshops, today=TODAY) == []


def test_a_scarce_run_keeps_the_better_of_its_two_starts_and_its_schedule_bound_is_below_the_full_lp():
    checked = 0
    pairs_only = Options(prune_above=0, scarce_ratio=0.5, flow_lp_arcs=0)  # a run too big for the flow LP
    for seed in range(40):
        orders, workshops = scarce_instance(seed)
        scarce = allocate(orders, workshops, today=TODAY, options=pairs_only)
        if "plan_from" not in scarce.stats:
            continue  # this world was not scarce after all
        checked += 1
        full = allocate(orders, workshops, today=TODAY, options=Options(prune_above=None))
        assert check_plan(scarce, orders, workshops, today=TODAY) == []
        stats = scarce.stats
        assert scarce.objective == min(stats["objective_from_pairs"], stats["objective_from_schedules"])
        assert stats["lagrangian_bound"] <= full.lp_bound + 1e-6 * abs(full.lp_bound), seed
        assert stats["full_model_bound"] <= full.lp_bound + 1e-6 * abs(full.lp_bound), seed
    assert checked >= 20
