"""Each term of the allocation objective, on hand-made instances whose optimum is known."""

import datetime as dt

import pytest

from production.allocation import ExistingLoad, Options, OrderDemand, Weights, WorkshopSupply, allocate, plan_objective
from workshops.calendar import DEFAULT_WEEKDAY_MASK, WorkCalendar

TODAY = dt.date(2026, 11, 28)  # a Saturday
MASK, GOWN = 1, 2
TEHRAN, ISFAHAN = 1, 2
TEHRAN_CITY, KARAJ, ISFAHAN_CITY = 10, 11, 20
SAT_TO_THU = WorkCalendar(DEFAULT_WEEKDAY_MASK)
DUE = TODAY + dt.timedelta(days=11)  # 10 working days from tomorrow


def order(order_id, units, due=DUE, product=MASK, province=TEHRAN, city=TEHRAN_CITY, priority="normal"):
    return OrderDemand(order_id, product, province, city, units, due, priority)


def workshop(workshop_id, rates, province=TEHRAN, city=TEHRAN_CITY, woman_head=False, loads=()):
    return WorkshopSupply(workshop_id, province, city, rates, SAT_TO_THU, woman_head, tuple(loads))


def units_of(plan) -> dict[tuple[int, int], int]:
    return {(a.order_id, a.workshop_id): a.units for a in plan.allocations}


def solve(orders, workshops, **options):
    plan = allocate(orders, workshops, today=TODAY, options=Options(**options))
    weights = options.get("weights")
    assert plan.objective == pytest.approx(plan_objective(plan, orders, workshops, today=TODAY, weights=weights))
    assert plan.lp_bound <= plan.objective + 1e-6
    return plan


def test_an_urgent_order_is_served_before_a_normal_one_when_capacity_is_short():
    workshops = [workshop(1, {MASK: 100})]  # 1000 masks by the due date
    plan = solve([order(1, 800), order(2, 800, priority="urgent")], workshops)
    assert units_of(plan) == {(1, 1): 200, (2, 1): 800}


def test_a_high_priority_order_is_served_before_a_normal_one():
    workshops = [workshop(1, {MASK: 100})]
    plan = solve([order(1, 800, priority="high"), order(2, 800)], workshops)
    assert units_of(plan) == {(1, 1): 800, (2, 1): 200}


def test_unmet_units_cost_their_priority_weight():
    workshops = [workshop(1, {MASK: 100})]
    plan = solve([order(1, 1100, priority="urgent"), order(2, 50, priority="high")], workshops)
    # 1000 masks fit, all urgent: 100 urgent and 50 high masks stay unmet.
    assert units_of(plan) == {(1, 1): 1000}
    overload = 2 * 200  # beyond 80% of 10 free days: 200 masks
    assert plan.objective == pytest.approx(1000 * 100 + 300 * 50 + overload)
    assert {u.order_id: u.units for u in plan.unmet} == {1: 100, 2: 50}


def test_a_same_city_workshop_is_preferred_to_one_elsewhere_in_the_province_and_to_another_province():
    workshops = [
        workshop(1, {MASK: 100}, province=ISFAHAN, city=ISFAHAN_CITY),
        workshop(2, {MASK: 100}, city=KARAJ),
        workshop(3, {MASK: 100}),
    ]
    plan = solve([order(1, 300)], workshops)
    assert units_of(plan) == {(1, 3): 300}
    assert plan.objective == 0


def test_a_same_province_workshop_is_preferred_to_another_province():
    workshops = [workshop(1, {MASK: 100}, province=ISFAHAN, city=ISFAHAN_CITY), workshop(2, {MASK: 100}, city=KARAJ)]
    plan = solve([order(1, 300)], workshops)
    assert units_of(plan) == {(1, 2): 300}
    assert plan.objective == 300


def test_another_province_is_used_when_the_own_province_has_no_room():
    workshops = [workshop(1, {MASK: 100}, province=ISFAHAN, city=ISFAHAN_CITY), workshop(2, {MASK: 10}, city=KARAJ)]
    plan = solve([order(1, 300)], workshops)
    assert units_of(plan) == {(1, 1): 200, (1, 2): 100}
    assert plan.objective == 4 * 200 + 1 * 100 + 2 * 20  # workshop 2 is 20 masks past 80% of its time


def test_a_woman_head_of_household_workshop_is_preferred_at_equal_distance():
    workshops = [workshop(1, {MASK: 100}), workshop(2, {MASK: 100}, woman_head=True)]
    plan = solve([order(1, 300)], workshops)
    assert units_of(plan) == {(1, 2): 300}
    assert plan.objective == -0.5 * 300


def test_the_woman_head_bonus_does_not_beat_a_closer_workshop():
    workshops = [workshop(1, {MASK: 100}), workshop(2, {MASK: 100}, city=KARAJ, woman_head=True)]
    plan = solve([order(1, 300)], workshops)
    assert units_of(plan) == {(1, 1): 300}


def test_fairness_spreads_the_load_beyond_80_percent_of_a_workshops_free_time():
    # Workshop 1 (same city) has 10 free days: 800 masks carry no overload; beyond that a mask costs 2
    # there but 1 at workshop 2 (same province), so workshop 2 gets the rest.
    workshops = [workshop(1, {MASK: 100}), workshop(2, {MASK: 100}, city=KARAJ)]
    plan = solve([order(1, 1000)], workshops)
    assert units_of(plan) == {(1, 1): 800, (1, 2): 200}
    assert plan.objective == 200


def test_a_workshop_goes_beyond_its_fair_share_when_nobody_else_can_make_the_units():
    plan = solve([order(1, 1000)], [workshop(1, {MASK: 100})])
    assert units_of(plan) == {(1, 1): 1000}
    assert plan.objective == 2 * 200


def test_quotas_already_held_shrink_the_fair_share():
    # 300 masks already due by the due date: 7 free days, 80% of them = 560 masks.
    held = ExistingLoad(MASK, 300, DUE)
    workshops = [workshop(1, {MASK: 100}, loads=[held]), workshop(2, {MASK: 100}, city=KARAJ)]
    plan = solve([order(1, 700)], workshops)
    assert units_of(plan) == {(1, 1): 560, (1, 2): 140}


def test_the_fair_share_window_runs_to_the_latest_due_date_a_workshop_could_serve():
    later = TODAY + dt.timedelta(days=19)  # 16 working days from tomorrow
    workshops = [workshop(1, {MASK: 100}), workshop(2, {MASK: 100}, city=KARAJ)]
    plan = solve([order(1, 1000), order(2, 10, due=later, city=KARAJ)], workshops)
    # Workshop 1's window reaches the later order's due date: 0.8 x 16 days = 1280 masks without overload.
    assert units_of(plan)[(1, 1)] == 1000


def test_overload_is_counted_in_the_fewest_units_so_slow_products_cover_it_first():
    # 10 free days, 8 carry no overload. 10 days of work: 500 masks (5 days) + 50 gowns (5 days).
    # The 2 excess days are covered by 20 gowns (10 a day), not by 200 masks.
    workshops = [workshop(1, {MASK: 100, GOWN: 10})]
    plan = solve([order(1, 500), order(2, 50, product=GOWN)], workshops)
    assert units_of(plan) == {(1, 1): 500, (2, 1): 50}
    assert plan.objective == 2 * 20


def test_the_weights_are_settings():
    workshops = [workshop(1, {MASK: 100}), workshop(2, {MASK: 100}, city=KARAJ)]
    plan = solve([order(1, 1000)], workshops, weights=Weights(overload=0.0))
    assert units_of(plan) == {(1, 1): 1000}
    assert plan.objective == 0
