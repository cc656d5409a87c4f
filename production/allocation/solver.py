"""The engine's entry point: canonical input, LP with column generation, integer repair, reasons.

Flow of :func:`allocate`:

1. sort the input by id (the plan must not depend on the caller's order) and
   build the arrays (``prepare.py``);
2. pick the candidate pairs (``candidates.py``: all eligible pairs on small
   inputs, a pruned set on big ones);
3. solve the LP relaxation (``lp.py``), then price the left-out eligible
   pairs (``pricing.py``) and add the improving ones, re-solving, until none
   improves or ``Options.pricing_rounds``/``pricing_iterations`` run out.
   A scarce run (orders asking for more than the workshops can sew) with at
   most ``Options.flow_lp_arcs`` hub arcs solves the full model's LP exactly
   through hubs instead (``flow_lp.py``): there the pruned pair LP was
   12-134% above the full model's bound and pricing could not close it;
4. round to integers without breaking a rule (``repair.py``) and move units
   to cheaper places where the rounding left them dear (``polish.py``);
5. explain unmet units (``reasons.py``) and evaluate the objective.

``Plan.lp_bound`` is the optimum of the last LP solved, i.e. of the model
restricted to the candidate pairs. ``stats["full_model_bound"]`` is a valid
lower bound for the LP of the full model (every eligible pair), from the
same duals; when pricing converged the two are equal and the plan is within
``gap`` of the true optimum.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import flow_lp
from . import lp as lp_module
from .candidates import candidate_pairs
from .model import Allocation, Options, OrderDemand, Plan, WorkshopSupply
from .polish import polish
from .prepare import Arrays, build_arrays, canonical, placement_cost
from .pricing import price
from .reasons import unmet_reasons
from .repair import repair
from .scarce import solve_scarce


def allocate(
    orders: Sequence[OrderDemand],
    workshops: Sequence[WorkshopSupply],
    *,
    today: dt.date,
    options: Options | None = None,
) -> Plan:
    """Propose quotas for ``orders`` among ``workshops`` (verified ones, with their current loads)."""
    options = options or Options()
    started = time.perf_counter()
    orders_sorted, workshops_sorted = canonical(orders, workshops)
    options = replace(options, weights=options.weights.resolved(workshops_sorted, orders_sorted))
    arrays = build_arrays(orders_sorted, workshops_sorted, today, options)
    candidates = candidate_pairs(arrays, options)
    use_flow = (
        candidates.scarce and options.flow_lp_arcs > 0 and flow_lp.arc_count(arrays, options) <= options.flow_lp_arcs
    )
    built = time.perf_counter()
    relaxation = _solve_flow(arrays, options) if use_flow else _solve_pairs(arrays, candidates, options)
    solved = time.perf_counter()

    plan_units, ledger = repair(arrays, relaxation.o, relaxation.w, relaxation.x, options)
    polish(arrays, ledger, plan_units, options)
    schedule_stats: dict = {"plan_from": "flow LP"} if use_flow else {}
    if candidates.scarce and not use_flow:
        plan_units, ledger, schedule_stats = _better_of_schedules(arrays, options, plan_units, ledger)
    repaired = time.perf_counter()
    keys = sorted(plan_units, key=lambda key: (arrays.o_ids[key[0]], arrays.w_ids[key[1]]))
    allocations = tuple(
        Allocation(
            order_id=int(arrays.o_ids[o]),
            workshop_id=int(arrays.w_ids[w]),
            units=plan_units[(o, w)],
            due_date=arrays.orders[o].due_date,
        )
        for o, w in keys
    )
    unmet = tuple(unmet_reasons(arrays, plan_units, ledger.room, options))
    objective = _plan_objective(arrays, plan_units, options)
    converged = relaxation.converged
    full_bound = relaxation.full_bound
    if not converged:
        full_bound = max(full_bound, schedule_stats.get("lagrangian_bound", -np.inf))
    finished = time.perf_counter()
    return Plan(
        allocations=allocations,
        unmet=unmet,
        objective=objective,
        lp_bound=relaxation.bound,
        stats={
            "orders": len(arrays.orders),
            "workshops": len(arrays.workshops),
            "eligible_pairs": candidates.eligible_pairs,
            "candidate_pairs": len(relaxation.o),
            "pruned": candidates.pruned,
            "demand_ratio": candidates.demand_ratio,  # sewing days asked per free workshop-day
            "lp": "flow" if use_flow else "pairs",
            "pricing_rounds": relaxation.rounds,
            "pricing_converged": converged,
            "improving_pairs_left": relaxation.improving if not converged else 0,
            # A lower bound of the LP over every eligible pair (weak duality), whether or not pricing converged.
            "full_model_bound": full_bound,
            "bound_is_valid": True,
            "priority_weights": dict(options.weights.priority),
            "variables": relaxation.n_cols,
            "constraints": relaxation.n_rows,
            "nonzeros": relaxation.n_nonzeros,
            "initial_candidate_pairs": len(candidates.o),
            "simplex_iterations": relaxation.iterations,
            # Against the full model's bound, never the pruned LP's optimum (a pruned run's plan may beat that).
            "gap": float((objective - full_bound) / max(abs(full_bound), 1.0)),
            "bound_note": relaxation.note,
            **_class_units(arrays, plan_units),
            **schedule_stats,
            "gap_to_restricted_lp": float((objective - relaxation.bound) / max(abs(relaxation.bound), 1.0)),
            "build_seconds": built - started + relaxation.build_seconds,
            "solve_seconds": solved - built - relaxation.build_seconds,
            "repair_seconds": repaired - solved,
            "reasons_seconds": finished - repaired,
            "total_seconds": finished - started,
        },
    )


@dataclass
class Relaxation:
    """The LP relaxation a run rounds: fractional units per (order, workshop) pair and what it proves."""

    o: np.ndarray
    w: np.ndarray
    x: np.ndarray
    bound: float  # optimum of the LP solved
    full_bound: float  # a valid lower bound of the full model's LP
    converged: bool  # bound == the full model's LP optimum
    note: str
    n_cols: int
    n_rows: int
    n_nonzeros: int
    iterations: int
    rounds: int = 0
    improving: int = 0
    build_seconds: float = 0.0


def _solve_pairs(arrays: Arrays, candidates, options: Options) -> Relaxation:
    """The pair LP over the candidate pairs, with pricing rounds (``lp.py``, ``pricing.py``)."""
    pair_o, pair_w = candidates.o, candidates.w
    previous = None
    best_bound = -np.inf  # every round's pricing bound is valid: keep the strongest
    build_seconds = 0.0
    rounds = improving = iterations = 0
    while True:
        tick = time.perf_counter()
        model = lp_module.build(arrays, pair_o, pair_w, options)
        build_seconds += time.perf_counter() - tick
        result = lp_module.solve(model, options, previous if options.warm_start else None)
        previous = model, result
        iterations += result.iterations
        priced = price(arrays, model, result, options, options.pricing_per_order)
        best_bound = max(best_bound, priced.full_bound)
        improving = priced.improving_pairs
        converged = not len(priced.o) or result.bound - priced.full_bound <= _tolerance(result.bound)
        if converged or rounds >= options.pricing_rounds or iterations >= options.pricing_iterations:
            break
        rounds += 1
        pair_o, pair_w = np.concatenate([model.o, priced.o]), np.concatenate([model.w, priced.w])
    return Relaxation(
        o=model.o,
        w=model.w,
        x=result.x,
        bound=result.bound,
        full_bound=result.bound if converged else best_bound,
        converged=converged,
        note=(
            "pricing proved the LP optimal for the full model: the bound is the full model's LP optimum"
            if converged
            else f"pricing stopped with {improving} improving pairs left: the bound is valid but may be weak"
        ),
        n_cols=model.n_cols,
        n_rows=model.n_rows,
        n_nonzeros=model.n_nonzeros,
        iterations=iterations,
        rounds=rounds,
        improving=improving,
        build_seconds=build_seconds,
    )


def _solve_flow(arrays: Arrays, options: Options) -> Relaxation:
    """The full model's LP through hubs (``flow_lp.py``): exact, so its optimum is the full model's bound."""
    tick = time.perf_counter()
    model = flow_lp.build(arrays, options)
    build_seconds = time.perf_counter() - tick
    result = flow_lp.solve(model, options)
    o, w, x = flow_lp.pair_units(model, result, len(arrays.workshops))
    return Relaxation(
        o=o,
        w=w,
        x=x,
        bound=result.bound,
        full_bound=result.bound,
        converged=True,
        note="the flow LP over every eligible pair was solved: the bound is the full model's LP optimum",
        n_cols=model.n_cols,
        n_rows=model.n_rows,
        n_nonzeros=model.n_nonzeros,
        iterations=result.iterations,
        build_seconds=build_seconds,
    )


def _plan_objective(arrays: Arrays, plan_units: dict[tuple[int, int], int], options: Options) -> float:
    """``evaluate`` of a plan held as units per (order index, workshop index)."""
    keys = list(plan_units)
    o = np.array([key[0] for key in keys], dtype=np.int64)
    w = np.array([key[1] for key in keys], dtype=np.int64)
    units = np.array([plan_units[key] for key in keys], dtype=np.int64)
    return evaluate(arrays, o, w, units, options)


def _better_of_schedules(arrays: Arrays, options: Options, plan_units: dict, ledger) -> tuple[dict, object, dict]:
    """On a scarce run, also repair the schedule LP's answer (``scarce.py``) and keep whichever plan is better.

    Neither start wins everywhere (measured on the tight country: the schedules' plan is 29% better at 3x
    demand, 24% worse at 1.5x and 33% worse at 10x), and keeping the better one can only help.
    """
    try:
        solution = solve_scarce(arrays, options)
    except RuntimeError:  # its LP hit the time limit: the pair LP's plan stands
        return plan_units, ledger, {"plan_from": "pairs"}
    other_units, other_ledger = repair(arrays, solution.o, solution.w, solution.x, options)
    polish(arrays, other_ledger, other_units, options)
    from_pairs, from_schedules = (
        _plan_objective(arrays, plan_units, options),
        _plan_objective(arrays, other_units, options),
    )
    stats = {
        "plan_from": "schedules" if from_schedules < from_pairs else "pairs",
        "objective_from_pairs": from_pairs,
        "objective_from_schedules": from_schedules,
        "schedule_rounds": solution.rounds,
        "lagrangian_bound": solution.bound,
    }
    if from_schedules < from_pairs:
        return other_units, other_ledger, stats
    return plan_units, ledger, stats


def _class_units(arrays: Arrays, plan_units: dict[tuple[int, int], int]) -> dict[str, int | None]:
    """Units asked and served per priority class; "possible" is known only when every unit was served
    (the engine has no bound of its own on one class's units; ``None`` says so)."""
    given = np.zeros(len(arrays.orders), dtype=np.int64)
    for (order, _workshop), units in plan_units.items():
        given[order] += units
    stats: dict[str, int | None] = {}
    for name in sorted({order.priority for order in arrays.orders}):
        mine = np.array([order.priority == name for order in arrays.orders], dtype=bool)
        asked, served = int(arrays.o_units[mine].sum()), int(given[mine].sum())
        stats[f"{name}_units_asked"] = asked
        stats[f"{name}_units_served"] = served
        stats[f"{name}_units_possible"] = asked if served == asked else None
    return stats


def _tolerance(bound: float) -> float:
    return 1e-6 * max(abs(bound), 1.0)


def evaluate(arrays: Arrays, o: np.ndarray, w: np.ndarray, units: np.ndarray, options: Options) -> float:
    """The model's objective for integer units per pair (the checker recomputes it independently).

    Overload: a workshop's new days beyond ``fair_share`` of its free days are
    covered by the fewest units possible, i.e. by its slowest products first
    (the cheapest split ``x = y + z`` for the given units; z may be fractional).
    """
    weights = options.weights
    given = np.bincount(o, weights=units, minlength=len(arrays.orders))
    total = float(np.dot(arrays.o_prio, arrays.o_units - given))
    total += float(np.dot(placement_cost(arrays, o, w, weights), units))
    p = arrays.o_prod[o]
    ticks = units * arrays.tick[w, p]
    per_workshop = np.bincount(w, weights=ticks, minlength=len(arrays.workshops))
    over = per_workshop - weights.fair_share * arrays.free
    for workshop in np.flatnonzero(over > 0).tolist():
        excess = float(over[workshop])
        mine = w == workshop
        by_product = np.bincount(p[mine], weights=units[mine], minlength=len(arrays.products))
        for product in np.argsort(-arrays.tick[workshop], kind="stable").tolist():
            if excess <= 0 or not by_product[product]:
                continue
            z = min(float(by_product[product]), excess / arrays.tick[workshop, product])
            total += weights.overload * z
            excess -= z * arrays.tick[workshop, product]
    return float(total)
