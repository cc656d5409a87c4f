"""Time the pure allocation engine on a synthetic country; prints one JSON line.

Run by hand, e.g. `.venv/bin/python bench/allocation_engine.py --workshops 10000 --orders 2000`.
No database: 31 provinces with 3-12 cities each, 4 products (two masks made
150-600 a day, two gowns made 8-40 a day), workshops making 1-3 of them on
Saturday-Thursday (some on fewer days, some with a closed range, some with
quotas already in hand), orders of health centers with priorities and due
dates 5-60 days out. Quantities: a median order of 5,000 masks or 600 gowns
(lognormal, a hospital asks for ten times a clinic), scaled with the ratio of
workshops to orders; at the defaults every unit fits somewhere, so the plan is
about distance, fairness and women heads of household, and `--demand 2` (or
more) multiplies every order for a country that runs short. `--unpruned` also
solves without pruning (slow on a whole country; use it on a mid-size one) to
show what pruning costs; `--check` runs the independent checker.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from production.allocation import (
    ExistingLoad,
    Options,
    OrderDemand,
    WorkshopSupply,
    allocate,
    check_plan,
    flow_lp,
    plan_objective,
)
from production.allocation.candidates import demand_ratio
from production.allocation.prepare import build_arrays, canonical
from workshops.calendar import DEFAULT_WEEKDAY_MASK, FRIDAY, THURSDAY, WorkCalendar

TODAY = dt.date(2026, 11, 28)
MASKS, GOWNS = (1, 2), (3, 4)
PRIORITIES = ("urgent",) * 15 + ("high",) * 25 + ("normal",) * 60


def country(rng: random.Random) -> list[tuple[int, list[int], float]]:
    """(province id, city ids, weight): a few crowded provinces, many small ones."""
    provinces, city_id = [], 1000
    for province_id in range(1, 32):
        cities = list(range(city_id, city_id + rng.randint(3, 12)))
        city_id += len(cities)
        provinces.append((province_id, cities, rng.uniform(0.3, 1.0) * (4 if province_id <= 3 else 1)))
    return provinces


def pick_city(rng: random.Random, cities: list[int]) -> int:
    return cities[0] if rng.random() < 0.5 else rng.choice(cities)  # half live in the capital


def synthetic(n_workshops: int, n_orders: int, seed: int) -> tuple[list[OrderDemand], list[WorkshopSupply]]:
    rng = random.Random(seed)
    provinces = country(rng)
    province_weights = [weight for _, _, weight in provinces]
    workshops = []
    for workshop_id in range(1, n_workshops + 1):
        province_id, cities, _ = rng.choices(provinces, province_weights)[0]
        products = rng.sample(MASKS + GOWNS, rng.choice((1, 1, 2, 2, 2, 3)))
        rates = {p: rng.randint(150, 600) if p in MASKS else rng.randint(8, 40) for p in products}
        mask = DEFAULT_WEEKDAY_MASK
        if rng.random() < 0.2:
            mask &= ~(1 << THURSDAY)
        closed = ()
        if rng.random() < 0.2:
            start = TODAY + dt.timedelta(days=rng.randint(1, 50))
            closed = ((start, start + dt.timedelta(days=rng.randint(2, 10))),)
        loads = tuple(
            ExistingLoad(p, rates[p] * rng.randint(2, 12), TODAY + dt.timedelta(days=rng.randint(-2, 40)))
            for p in rng.sample(products, rng.randint(1, len(products)))
            if rng.random() < 0.3
        )
        workshops.append(
            WorkshopSupply(
                workshop_id=workshop_id,
                province_id=province_id,
                city_id=pick_city(rng, cities),
                rates=rates,
                calendar=WorkCalendar(mask & ~(1 << FRIDAY), closed),
                woman_head=rng.random() < 0.35,
                loads=loads,
            )
        )
    # Demand: a clinic asks for a few thousand masks or a few hundred gowns, a hospital for ten times that.
    scale = n_workshops / max(5 * n_orders, 1)  # 1 for 10,000 workshops and 2,000 orders
    orders = []
    for order_id in range(1, n_orders + 1):
        province_id, cities, _ = rng.choices(provinces, [w * rng.uniform(0.5, 1.5) for w in province_weights])[0]
        product = rng.choice(MASKS + GOWNS)
        median = 5000 if product in MASKS else 600
        units = max(1, round(median * scale * rng.lognormvariate(0, 0.8)))
        orders.append(
            OrderDemand(
                order_id=order_id,
                product_id=product,
                province_id=province_id,
                city_id=pick_city(rng, cities) if rng.random() < 0.9 else None,
                units=units,
                due_date=TODAY + dt.timedelta(days=rng.randint(5, 60)),
                priority=rng.choice(PRIORITIES),
            )
        )
    return orders, workshops


def measured_demand_ratio(orders: list[OrderDemand], workshops: list[WorkshopSupply]) -> float:
    """Sewing days asked per free workshop-day, as the engine measures it to call a run scarce."""
    options = Options()
    return demand_ratio(build_arrays(*canonical(orders, workshops), TODAY, options))


def tight(orders: list[OrderDemand], workshops: list[WorkshopSupply], ratio: float, seed: int) -> list[OrderDemand]:
    """The scarce country: due dates 7-21 days out and every order scaled so demand is ``ratio`` x capacity."""
    rng = random.Random(seed + 1)
    orders = [dataclasses.replace(o, due_date=TODAY + dt.timedelta(days=rng.randint(7, 21))) for o in orders]
    factor = ratio / measured_demand_ratio(orders, workshops)
    return [dataclasses.replace(o, units=max(1, round(o.units * factor))) for o in orders]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=10000)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1405)
    parser.add_argument("--demand", type=float, default=1.0, help="multiply every order's units (stress test)")
    parser.add_argument("--no-memory", action="store_true", help="skip the second, memory-traced run")
    parser.add_argument("--scenario", choices=("normal", "tight"), default="normal")
    parser.add_argument("--demand-ratio", type=float, help="tight: demand / sewing capacity (default 3)")
    parser.add_argument("--unpruned", action="store_true", help="also solve the full model without pruning (slow)")
    parser.add_argument("--check", action="store_true", help="also run the independent checker (slow)")
    parser.add_argument("--flow-lp-arcs", type=int, help="Options.flow_lp_arcs (0: never the flow LP)")
    parser.add_argument(
        "--full-lp", action="store_true", help="also solve the full model's LP exactly (flow LP, may take minutes)"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    orders, workshops = synthetic(args.workshops, args.orders, args.seed)
    if args.demand != 1.0:
        orders = [dataclasses.replace(o, units=max(1, round(o.units * args.demand))) for o in orders]
    if args.scenario == "tight" or args.demand_ratio:
        orders = tight(orders, workshops, args.demand_ratio or 3.0, args.seed)
    generated = time.perf_counter() - started
    options = Options()
    if args.flow_lp_arcs is not None:  # a forced flow LP on a whole country takes minutes: no 60 s limit
        options = Options(flow_lp_arcs=args.flow_lp_arcs, time_limit_seconds=3600.0)
    plan = allocate(orders, workshops, today=TODAY, options=options)
    # Memory in a second run: tracing every allocation slows the Python parts several times over.
    peak = 0
    if not args.no_memory:
        tracemalloc.start()
        allocate(orders, workshops, today=TODAY, options=options)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    stats = dict(plan.stats)
    result = {
        "workshops": len(workshops),
        "orders": len(orders),
        "scenario": args.scenario if not args.demand_ratio else f"tight x{args.demand_ratio}",
        "units_asked": sum(order.units for order in orders),
        "demand_ratio_measured": round(stats["demand_ratio"], 2),
        **{
            key: stats[key]
            for key in ("eligible_pairs", "initial_candidate_pairs", "candidate_pairs", "variables", "constraints")
        },
        "nonzeros": stats["nonzeros"],
        "simplex_iterations": stats["simplex_iterations"],
        "pruned": stats["pruned"],
        "pricing_rounds": stats["pricing_rounds"],
        "pricing_converged": stats["pricing_converged"],
        "generate_s": round(generated, 3),
        **{f"{key}_s": round(stats[f"{key}_seconds"], 3) for key in ("build", "solve", "repair", "reasons", "total")},
        "allocated_units": plan.allocated_units(),
        "unmet_units": plan.unmet_units(),
        "quotas": len(plan.allocations),
        "objective": round(plan.objective, 2),
        "lp_bound": round(plan.lp_bound, 2),
        "lp_bound_of": (
            "all eligible pairs (full model)"
            if not stats["pruned"]
            else "pruned model; pricing proved it optimal for the full model"
            if stats["pricing_converged"]
            else "pruned model (full_model_bound bounds the full one)"
        ),
        "gap": round(stats["gap"], 6),
        "full_model_bound": round(stats["full_model_bound"], 2),
        "gap_to_full_model_bound": round(stats["gap"], 6),  # the engine's gap is against that bound
        "bound_note": stats["bound_note"],
        **{
            key: stats[key]
            for key in ("lp", "plan_from", "objective_from_pairs", "objective_from_schedules")
            if key in stats
        },
        **{key: value for key, value in stats.items() if key.endswith(("_units_asked", "_units_served", "_possible"))},
        "priority_weights": stats["priority_weights"],
        "peak_traced_mb": round(peak / 2**20, 1),  # Python and numpy allocations of one engine run
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # whole process
    }
    if args.unpruned:
        tick = time.perf_counter()
        full = allocate(orders, workshops, today=TODAY, options=dataclasses.replace(options, prune_above=None))
        result["unpruned_lp_bound"] = round(full.lp_bound, 2)
        result["unpruned_total_s"] = round(time.perf_counter() - tick, 3)
        result["pruning_cost"] = round((plan.lp_bound - full.lp_bound) / max(abs(full.lp_bound), 1.0), 6)
    if args.full_lp:
        result.update(exact_bound(orders, workshops, options, plan.objective))
    if args.check:
        tick = time.perf_counter()
        violations = check_plan(plan, orders, workshops, today=TODAY, min_quota=options.min_quota)
        result["violations"] = len(violations)
        result["checked_objective"] = round(plan_objective(plan, orders, workshops, today=TODAY), 2)
        result["check_s"] = round(time.perf_counter() - tick, 3)
    print(json.dumps(result))


def exact_bound(orders: list[OrderDemand], workshops: list[WorkshopSupply], options: Options, objective: float) -> dict:
    """The full model's LP optimum (the flow LP, whatever the run's size) and the plan's gap against it."""
    tick = time.perf_counter()
    orders_sorted, workshops_sorted = canonical(orders, workshops)
    options = dataclasses.replace(
        options, weights=options.weights.resolved(workshops_sorted), time_limit_seconds=3600.0
    )
    arrays = build_arrays(orders_sorted, workshops_sorted, TODAY, options)
    bound = flow_lp.solve(flow_lp.build(arrays, options), options).bound
    return {
        "exact_full_lp_bound": round(bound, 2),
        "gap_to_exact_full_lp_bound": round((objective - bound) / max(abs(bound), 1.0), 6),
        "exact_full_lp_s": round(time.perf_counter() - tick, 1),
    }


if __name__ == "__main__":
    main()
