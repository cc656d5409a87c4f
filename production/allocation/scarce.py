"""Scarce runs: a workshop-schedule LP (Dantzig-Wolfe) and a Lagrangian bound that stays useful.

When the orders ask for more than the workshops can sew, the pair LP of
``lp.py`` needs hundreds of thousands of pairs and its pricing bound (each
improving pair charged its whole upper bound) says nothing. Here the columns
are whole *schedules* of one workshop instead of pairs:

* Relaxation (each part only lowers the optimum, so every bound below is a
  bound of the full model): no overload cost, no minimum quota, no per-pair
  upper bound; the order rows and each workshop's nested time stay exact.
* Given a price ``mu_o >= 0`` per unit of each order, a workshop's best
  schedule is simple: the time that becomes free between day k-1 and day k
  (``cap[w, k] - cap[w, k-1]``) can go to any order due on or after k, so it
  goes to the one with the best ``(prio_o - mu_o - placement) / ticks per
  unit``; the best order of a (product, due day) is found per city, per
  province and country-wide, so one pass over all workshops is a few array
  operations.
* Master LP: a convex combination of schedules per workshop, the order rows
  ``sum units <= units_o``. Its order duals are the next prices; every pass
  also gives the Lagrangian bound ``L(mu) = sum_o (prio_o - mu_o) units_o -
  sum_w best_w(mu)``, valid whatever mu is. Rounds stop when the master's
  optimum and the best bound meet, or after ``rounds``.

The master's units per (order, workshop) go to the integer repair like the
pair LP's.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from .lp import simplex_solver
from .model import Options
from .prepare import Arrays, placement_cost

NONE = -np.inf


@dataclass
class ScarceSolution:
    o: np.ndarray  # units per (order, workshop) pair of the master's optimum
    w: np.ndarray
    x: np.ndarray
    bound: float  # best Lagrangian bound seen
    rounds: int


class Schedules:
    """Each workshop's best schedule for given order prices."""

    def __init__(self, arrays: Arrays, options: Options):
        weights = options.weights
        self.arrays = arrays
        self.n_p, self.n_d = len(arrays.products), arrays.horizon + 1
        cities = np.unique(arrays.o_city[arrays.o_city >= 0])
        provinces = np.unique(np.concatenate([arrays.o_prov, arrays.w_prov]))
        self.o_city = np.searchsorted(cities, arrays.o_city)
        self.o_has_city = arrays.o_city >= 0
        self.w_city = np.full(len(arrays.workshops), -1, dtype=np.int64)  # -1: no order in its city
        if len(cities):
            index = np.minimum(np.searchsorted(cities, arrays.w_city), len(cities) - 1)
            self.w_city = np.where(cities[index] == arrays.w_city, index, -1)
        self.o_prov = np.searchsorted(provinces, arrays.o_prov)
        self.w_prov = np.searchsorted(provinces, arrays.w_prov)
        self.n_c, self.n_r = max(len(cities), 1), len(provinces)
        self.costs = (weights.same_city, weights.same_province, weights.other_province)
        self.wh = np.where(arrays.w_wh, weights.woman_head, 0.0)
        self.ticks = arrays.tick.astype(np.float64)
        self.delta = np.diff(arrays.cap.astype(np.float64), axis=1, prepend=0.0)  # [w, k]
        self.weights = weights

    def best(self, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per workshop and day k: the order its freed time goes to (-1: none), the units, and the
        workshop's earnings ``best_w(mu)``."""
        a = self.arrays
        value = a.o_prio - mu
        n_w = len(a.workshops)
        best = []
        for places, n_places, mask in (
            (self.o_city, self.n_c, self.o_has_city),
            (self.o_prov, self.n_r, np.ones(len(a.orders), dtype=bool)),
            (np.zeros(len(a.orders), dtype=np.int64), 1, np.ones(len(a.orders), dtype=bool)),
        ):
            key = (a.o_prod * self.n_d + a.o_due) * n_places + places
            top = np.full(self.n_p * self.n_d * n_places, NONE)
            arg = np.full(len(top), -1, dtype=np.int64)
            chosen = np.flatnonzero(mask)
            order = chosen[np.lexsort((a.o_ids[chosen], -value[chosen], key[chosen]))]
            first = np.ones(len(order), dtype=bool)
            first[1:] = key[order][1:] != key[order][:-1]
            top[key[order][first]] = value[order][first]
            arg[key[order][first]] = order[first]
            best.append((top.reshape(self.n_p, self.n_d, n_places), arg.reshape(self.n_p, self.n_d, n_places)))
        city = np.maximum(self.w_city, 0)
        from_city = best[0][0][:, :, city].transpose(2, 0, 1) - self.costs[0]
        from_city = np.where((self.w_city >= 0)[:, None, None], from_city, NONE)
        from_prov = best[1][0][:, :, self.w_prov].transpose(2, 0, 1) - self.costs[1]
        from_all = np.broadcast_to(best[2][0][:, :, 0][None] - self.costs[2], from_city.shape)
        stacked = np.stack([from_city, from_prov, from_all])
        source = np.argmax(stacked, axis=0)
        profit = np.take_along_axis(stacked, source[None], axis=0)[0] - self.wh[:, None, None]
        makes = self.ticks > 0
        rate = np.where(makes[:, :, None] & (profit > 0), profit / np.where(makes, self.ticks, 1.0)[:, :, None], 0.0)
        product = np.argmax(rate, axis=1)  # [w, d]
        day_rate = np.take_along_axis(rate, product[:, None, :], axis=1)[:, 0, :]
        reversed_rate = day_rate[:, ::-1]
        running = np.maximum.accumulate(reversed_rate, axis=1)
        at = np.where(reversed_rate == running, np.arange(self.n_d)[None, :], 0)
        due = (self.n_d - 1 - np.maximum.accumulate(at, axis=1))[:, ::-1]
        suffix = running[:, ::-1]
        earned = np.sum(self.delta * suffix, axis=1)
        rows = np.arange(n_w)[:, None]
        p = product[rows, due]
        s = source[rows, p, due]
        by_city = best[0][1][p, due, np.broadcast_to(city[:, None], due.shape)]
        by_province = best[1][1][p, due, np.broadcast_to(self.w_prov[:, None], due.shape)]
        order = np.choose(s, [by_city, by_province, best[2][1][p, due, 0]])
        ticks = self.ticks[rows, p]
        units = np.where((suffix > 0) & (order >= 0), self.delta / np.where(ticks > 0, ticks, 1.0), 0.0)
        order = np.where(units > 0, order, -1)
        return order, units, earned


def solve_scarce(arrays: Arrays, options: Options, rounds: int = 2, tolerance: float = 2e-3) -> ScarceSolution:
    """A few rounds of the schedule LP (the master degenerates after five or so on a 10,000-workshop country:
    one round took 520 s), enough to hand the repair a start that spreads each workshop's time well."""
    n_o, n_w = len(arrays.orders), len(arrays.workshops)
    schedules = Schedules(arrays, options)
    constant = float(np.dot(arrays.o_prio, arrays.o_units))
    highs = simplex_solver(options)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 0, n_o + n_w
    lp.row_lower_ = np.full(n_o + n_w, -np.inf)
    lp.row_upper_ = np.concatenate([arrays.o_units.astype(np.float64), np.ones(n_w)])
    highs.passModel(lp)
    col_w: list[np.ndarray] = []
    col_pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # per column block: (column, order, units)
    n_cols = 0
    mu = np.zeros(n_o)
    sigma = np.zeros(n_w)
    bound, value = NONE, 0.0
    done = 0
    for done in range(1, rounds + 1):
        order, units, earned = schedules.best(mu)
        bound = max(bound, float(np.dot(arrays.o_prio - mu, arrays.o_units) - earned.sum()))
        improving = np.flatnonzero(earned - sigma > 1e-9 * np.maximum(earned, 1.0))
        if not len(improving) and done > 1:
            break
        # One column per improving workshop: its schedule's units per order, and its real value.
        o_rows, u = order[improving], units[improving]
        keep = o_rows >= 0
        col = np.broadcast_to(np.arange(len(improving))[:, None], o_rows.shape)[keep]
        o_flat, u_flat = o_rows[keep], u[keep]
        pair = col * n_o + o_flat
        unique, inverse = np.unique(pair, return_inverse=True)
        summed = np.bincount(inverse, weights=u_flat)
        c_of, o_of = unique // n_o, unique % n_o
        w_of = improving[c_of]
        real = (arrays.o_prio[o_of] - placement_cost(arrays, o_of, w_of, options.weights)) * summed
        col_value = np.bincount(c_of, weights=real, minlength=len(improving))
        matrix = sp.csc_matrix(
            (
                np.concatenate([summed, np.ones(len(improving))]),
                (np.concatenate([o_of, n_o + improving]), np.concatenate([c_of, np.arange(len(improving))])),
            ),
            shape=(n_o + n_w, len(improving)),
        )
        highs.addCols(
            len(improving),
            -col_value,
            np.zeros(len(improving)),
            np.full(len(improving), np.inf),
            matrix.nnz,
            matrix.indptr.astype(np.int32),
            matrix.indices.astype(np.int32),
            matrix.data,
        )
        col_pairs.append((n_cols + c_of, o_of, summed))
        col_w.append(improving)
        n_cols += len(improving)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"schedule LP not solved: {highs.modelStatusToString(highs.getModelStatus())}")
        info = highs.getInfo()
        dual = np.asarray(highs.getSolution().row_dual)
        mu, sigma = np.clip(-dual[:n_o], 0.0, None), np.clip(-dual[n_o:], 0.0, None)
        value = constant + float(info.objective_function_value)
        if value - bound <= tolerance * max(abs(bound), 1.0):
            break
    lam = np.asarray(highs.getSolution().col_value)
    cols = np.concatenate([c for c, _, _ in col_pairs])
    orders = np.concatenate([o for _, o, _ in col_pairs])
    amounts = np.concatenate([u for _, _, u in col_pairs])
    owners = np.concatenate(col_w)
    workshops = owners[cols]
    x = lam[cols] * amounts
    key = orders * n_w + workshops
    unique, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, weights=x)
    keep = total > 1e-9
    return ScarceSolution(
        o=(unique // n_w)[keep],
        w=(unique % n_w)[keep],
        x=total[keep],
        bound=bound,
        rounds=done,
    )
