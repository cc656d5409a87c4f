"""The LP relaxation of the allocation model, built with vectorised numpy and solved by HiGHS.

Columns: ``x_e`` units per candidate pair e = (order, workshop), ``s_r`` free
workshop-days carried from one due-date level of a workshop to its next one,
``Z_wp`` overload units of product p at workshop w. Rows, all ``<=``:

* order o: ``sum_e x_e <= units_o``;
* capacity chain, per workshop and due-date level r (its candidate due dates,
  a level merged into the next one when both have the same free time, since
  the earlier row is then implied): ``sum_{e in r} x_e / rate_e + s_r -
  s_{r-1} <= C_r - C_{r-1}`` with C the free days of ``Arrays.cap``. Adding
  the rows of levels up to r gives ``days of new work due by r <= C_r - s_r``:
  the nested rule, with one non-zero per x instead of one per later level;
* fairness, per workshop that could exceed its fair share: ``sum_e x_e/rate_e
  - sum_p Z_wp / rate_wp <= fair_share * free_days_w``;
* ``Z_wp - sum_{e of p at w} x_e <= 0`` for every product of the workshop but
  its fastest: overload is paid per unit actually allocated. The fastest
  product needs no such row: a slower one covers the same overload days with
  fewer units, so at an optimum its Z is never above its units.

This is the issue's split ``x = y + z`` with the z's of one (workshop,
product) added up; any split of ``Z_wp`` over the pairs with ``z_e <= x_e``
costs the same. Objective: ``sum_o prio_o * units_o`` (a constant) plus
``sum_e (placement_e - prio_o) x_e + overload * sum Z``.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from .highs import quiet_highs
from .model import Options
from .prepare import Arrays, placement_cost


@dataclass
class LpModel:
    o: np.ndarray  # candidate pairs, sorted by (workshop, due day, order)
    w: np.ndarray
    cost: np.ndarray  # placement cost per unit of each pair
    upper: np.ndarray  # most units each pair can take on its own
    chain_w: np.ndarray  # workshop and due day of each capacity-chain row
    chain_due: np.ndarray
    fair_ws: np.ndarray  # workshops with a fairness row, in row order
    z_w: np.ndarray  # (workshop, product index) of each overload column
    z_p: np.ndarray
    z_bound_row: np.ndarray  # row of each Z's bound, -1 for none
    n_cols: int
    n_rows: int
    n_nonzeros: int
    offset: float
    lp: highspy.HighsLp
    col_keys: np.ndarray  # a stable name per column and per row, to carry a basis from one round to the next
    row_keys: np.ndarray


@dataclass
class LpResult:
    x: np.ndarray  # units per candidate pair (fractional)
    bound: float  # optimal objective of the LP relaxation, offset included
    row_dual: np.ndarray  # HiGHS convention: reduced cost = cost - A^T dual, duals of <= rows are <= 0
    iterations: int
    col_status: np.ndarray | None = None  # the optimal basis, by position in the model
    row_status: np.ndarray | None = None


KIND = 1 << 58  # key = kind * KIND + index within the kind


def _keys(kinds: list[tuple[int, np.ndarray]]) -> np.ndarray:
    return np.concatenate([kind * KIND + index.astype(np.int64) for kind, index in kinds])


def build(arrays: Arrays, o: np.ndarray, w: np.ndarray, options: Options) -> LpModel:
    weights = options.weights
    n_o, n_w = len(arrays.orders), len(arrays.workshops)
    due = arrays.o_due[o]
    order = np.lexsort((o, due, w))
    o, w, due = o[order], w[order], due[order]
    p = arrays.o_prod[o]
    n_e = len(o)
    lcm = arrays.w_lcm.astype(np.float64)
    days_per_unit = arrays.tick[w, p] / lcm[w]

    # Levels: distinct (workshop, due day); merge a level into the next one of its workshop when equally free.
    new_level = np.ones(n_e, dtype=bool)
    new_level[1:] = (w[1:] != w[:-1]) | (due[1:] != due[:-1])
    level_start = np.flatnonzero(new_level)
    level_w, level_cap = w[level_start], arrays.cap[w[level_start], due[level_start]]
    kept = _last_of_group(level_w)
    kept[:-1] |= level_cap[:-1] != level_cap[1:]
    kept_levels = np.flatnonzero(kept)
    row_of_edge = np.searchsorted(kept_levels, np.cumsum(new_level) - 1)
    chain_w, chain_cap = level_w[kept_levels], level_cap[kept_levels]
    chain_due = due[level_start[kept_levels]]
    n_chain = len(kept_levels)
    last_row = _last_of_group(chain_w)
    first_row = np.ones(n_chain, dtype=bool)
    first_row[1:] = chain_w[1:] != chain_w[:-1]
    previous_cap = np.where(first_row, 0, np.concatenate(([0], chain_cap[:-1])))
    chain_rhs = (chain_cap - previous_cap) / lcm[chain_w]
    upper = np.minimum(arrays.o_units[o], chain_cap[row_of_edge] // arrays.tick[w, p]).astype(np.float64)

    # Fairness rows: workshops whose free time by their last candidate due date exceeds the fair share.
    fair_days = weights.fair_share * arrays.free / lcm
    last_w, last_cap = chain_w[last_row], chain_cap[last_row]
    fair_ws = last_w[last_cap / lcm[last_w] > fair_days[last_w] * (1 + 1e-12)]
    fair_row = np.full(n_w, -1, dtype=np.int64)
    fair_row[fair_ws] = n_o + n_chain + np.arange(len(fair_ws))
    wp = np.unique(w * len(arrays.products) + p)
    z_w, z_p = wp // len(arrays.products), wp % len(arrays.products)
    keep_z = fair_row[z_w] >= 0
    z_w, z_p = z_w[keep_z], z_p[keep_z]
    z_days = arrays.tick[z_w, z_p] / lcm[z_w]
    by_speed = np.lexsort((z_days, z_w))
    fastest = np.zeros(len(z_w), dtype=bool)
    fastest[by_speed[~_first_shift(z_w[by_speed])]] = True
    bounded = np.flatnonzero(~fastest)
    n_rows = n_o + n_chain + len(fair_ws) + len(bounded)
    z_bound_row = np.full(len(z_w), -1, dtype=np.int64)
    z_bound_row[bounded] = n_o + n_chain + len(fair_ws) + np.arange(len(bounded))

    # Columns: x, then s (one per chain row that has a next row in its workshop), then Z.
    carry = np.flatnonzero(~last_row)
    n_s, n_z = len(carry), len(z_w)
    x_cols, s_cols, z_cols = np.arange(n_e), n_e + np.arange(n_s), n_e + n_s + np.arange(n_z)
    in_fair = fair_row[w] >= 0
    z_of_edge = np.searchsorted(z_w * len(arrays.products) + z_p, w * len(arrays.products) + p)
    z_of_edge = np.minimum(z_of_edge, max(n_z - 1, 0))
    edge_has_bound = in_fair & (n_z > 0)
    if n_z:
        edge_has_bound &= (z_w[z_of_edge] == w) & (z_p[z_of_edge] == p) & (z_bound_row[z_of_edge] >= 0)
    rows = [o, n_o + row_of_edge, n_o + carry, n_o + carry + 1, fair_row[w[in_fair]], fair_row[z_w]]
    cols = [x_cols, x_cols, s_cols, s_cols, x_cols[in_fair], z_cols]
    vals = [np.ones(n_e), days_per_unit, np.ones(n_s), -np.ones(n_s), days_per_unit[in_fair], -z_days]
    rows += [z_bound_row[bounded], z_bound_row[z_of_edge[edge_has_bound]]]
    cols += [z_cols[bounded], x_cols[edge_has_bound]]
    vals += [np.ones(len(bounded)), -np.ones(int(edge_has_bound.sum()))]
    n_cols = n_e + n_s + n_z
    matrix = sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), (n_rows, n_cols))

    cost = placement_cost(arrays, o, w, weights)
    offset = float(np.dot(arrays.o_prio, arrays.o_units))
    lp = highs_lp(
        matrix,
        cost=np.concatenate([cost - arrays.o_prio[o], np.zeros(n_s), np.full(n_z, weights.overload)]),
        upper=np.concatenate([upper, np.full(n_s + n_z, np.inf)]),
        row_lower=np.full(n_rows, -np.inf),
        row_upper=np.concatenate(
            [arrays.o_units.astype(np.float64), chain_rhs, fair_days[fair_ws], np.zeros(len(bounded))]
        ),
        offset=offset,
    )
    n_p, span = len(arrays.products), arrays.horizon + 2
    col_keys = _keys([(0, o * n_w + w), (1, chain_w[carry] * span + chain_due[carry]), (2, z_w * n_p + z_p)])
    row_keys = _keys(
        [
            (0, np.arange(n_o)),
            (1, chain_w * span + chain_due),
            (2, fair_ws),
            (3, z_w[bounded] * n_p + z_p[bounded]),
        ]
    )
    return LpModel(
        col_keys=col_keys,
        row_keys=row_keys,
        o=o,
        w=w,
        cost=cost,
        upper=upper,
        chain_w=chain_w,
        chain_due=chain_due,
        fair_ws=fair_ws,
        z_w=z_w,
        z_p=z_p,
        z_bound_row=z_bound_row,
        n_cols=n_cols,
        n_rows=n_rows,
        n_nonzeros=int(matrix.nnz),
        offset=offset,
        lp=lp,
    )


def highs_lp(
    matrix: sp.csc_matrix,
    *,
    cost: np.ndarray,
    upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    offset: float,
) -> highspy.HighsLp:
    """A HiGHS model (columns >= 0) from a column-wise matrix: the one place both LPs hand theirs over."""
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = matrix.shape
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, np.zeros(matrix.shape[1]), upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.offset_ = offset
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data
    return lp


def _last_of_group(keys: np.ndarray) -> np.ndarray:
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] != keys[:-1]
    return last


def _first_shift(keys: np.ndarray) -> np.ndarray:
    """True where the key equals the previous one (so ``~`` marks the first of each group)."""
    same = np.zeros(len(keys), dtype=bool)
    same[1:] = keys[1:] == keys[:-1]
    return same


def simplex_solver(options: Options) -> highspy.Highs:
    """HiGHS as every LP of the engine uses it: quiet, one thread (the same vertex for the same input, so the
    same plan), dual simplex without presolve (on these models it costs more than it saves), and a time
    limit that raises instead of hanging a commit."""
    highs = quiet_highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("presolve", "off")
    highs.setOptionValue("solver", "simplex")
    highs.setOptionValue("time_limit", float(options.time_limit_seconds))
    return highs


def solve(model: LpModel, options: Options, start: tuple[LpModel, LpResult] | None = None) -> LpResult:
    """Simplex, one thread, no presolve; from the previous round's optimal basis when ``start`` is given.

    One thread keeps the vertex (and so the plan) the same for the same
    input. Presolve is off because on these models it costs more than it
    saves (measured: 0.15 s instead of 0.32 s on a whole country). A round of
    pricing only adds columns (and the rows of new due dates), so the last
    basis, carried over by the columns' and rows' keys, is a few pivots from
    the new optimum instead of tens of thousands.
    """
    if model.n_cols == 0:
        return LpResult(np.zeros(0), model.offset, np.zeros(model.n_rows), 0)
    highs = simplex_solver(options)
    highs.passModel(model.lp)
    if start is not None and start[1].col_status is not None:
        highs.setBasis(_carried_basis(model, *start))
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"LP not solved to optimality: {highs.modelStatusToString(highs.getModelStatus())}")
    solution, info, basis = highs.getSolution(), highs.getInfo(), highs.getBasis()
    x = np.clip(np.asarray(solution.col_value)[: len(model.o)], 0.0, None)
    return LpResult(
        x,
        float(info.objective_function_value),
        np.asarray(solution.row_dual),
        info.simplex_iteration_count,
        np.array([int(status) for status in basis.col_status], dtype=np.int8),
        np.array([int(status) for status in basis.row_status], dtype=np.int8),
    )


def _carried_basis(model: LpModel, previous: LpModel, result: LpResult) -> highspy.HighsBasis:
    """The previous optimal basis on the new model: same status for the same column or row, new columns
    at their lower bound, new rows basic. HiGHS repairs the count of basic variables if it is off."""
    basis = highspy.HighsBasis()
    lower, basic = int(highspy.HighsBasisStatus.kLower), int(highspy.HighsBasisStatus.kBasic)
    basis.col_status = [
        highspy.HighsBasisStatus(v) for v in _carry(model.col_keys, previous.col_keys, result.col_status, lower)
    ]
    basis.row_status = [
        highspy.HighsBasisStatus(v) for v in _carry(model.row_keys, previous.row_keys, result.row_status, basic)
    ]
    basis.alien = True
    basis.valid = True
    return basis


def _carry(keys: np.ndarray, old_keys: np.ndarray, old_status: np.ndarray, default: int) -> np.ndarray:
    order = np.argsort(old_keys)
    index = np.minimum(np.searchsorted(old_keys, keys, sorter=order), len(old_keys) - 1)
    found = old_keys[order[index]] == keys
    return np.where(found, old_status[order[index]], default).astype(np.int64)
