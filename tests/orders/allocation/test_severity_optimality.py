"""Crisis severity in the engine (issue 19) against the independent LP and the checker, on random instances.

The weights here are written from the rule's wording, sharing no code with the engine: urgency = priority points
(normal 1, high 2, urgent 3) + crisis level (0-3); classes 1-3 weigh 100 / 300 / 1,000 and each class above
1,000 × (1,000 / 300) to the power of how far above 3 it is; then, from the least urgent class up among the
classes 1-3 and those present, each weighs at least S + R × (the class below + S) + 1 (S = 6.5, R the largest
fastest/slowest rate ratio of a workshop), as for priorities alone.
"""

import dataclasses
import random

from .test_optimality import checker_disagreements, gaps_to_independent_lp, random_instance

POINTS = {"normal": 1, "high": 2, "urgent": 3}
SEEDS = range(120)


def with_severity(seed: int):
    orders, workshops = random_instance(seed)
    rng = random.Random(10_000 + seed)
    orders = [dataclasses.replace(order, severity=rng.choice([0, 0, 1, 2, 3])) for order in orders]
    return orders, workshops


def urgency(order) -> int:
    return POINTS[order.priority] + order.severity


def rule_weights(orders, workshops) -> dict[int, float]:
    ratio = max([max(w.rates.values()) / min(w.rates.values()) for w in workshops if len(w.rates) > 1] + [1.0])
    base = {1: 100.0, 2: 300.0, 3: 1000.0}
    for level in (4, 5, 6):
        base[level] = base[level - 1] * (1000.0 / 300.0)
    present = {urgency(order) for order in orders}
    weights, lower = {}, None
    for level in sorted(base):
        if level > 3 and level not in present:
            continue
        weight = base[level] if lower is None else max(base[level], 6.5 + ratio * (lower + 6.5) + 1)
        weights[level] = lower = weight
    return weights


def test_plans_with_crisis_levels_keep_every_rule_and_the_checker_agrees_on_their_objective():
    failures = [failure for seed in SEEDS for failure in checker_disagreements(seed, *with_severity(seed))]
    assert failures == []


def test_plans_with_crisis_levels_are_within_one_percent_of_the_independent_lp():
    failures = []
    for seed in SEEDS:
        orders, workshops = with_severity(seed)
        weights = rule_weights(orders, workshops)
        failures += gaps_to_independent_lp(
            seed, orders, workshops, weight_of=lambda order, weights=weights: weights[urgency(order)]
        )
    assert failures == []
