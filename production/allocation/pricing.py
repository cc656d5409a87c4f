"""Pricing: the left-out pairs that would improve the LP, and a bound for the full (unpruned) model.

With the duals of the restricted LP, the reduced cost of a left-out pair
(order o, workshop w, due day k, product p) is

    rc = placement - prio_o - y_o - (days per unit) * (eta_w(k) + phi_w) + beta_wp

where y is the dual of o's row, eta_w(k) the dual of the first capacity row
of w due on or after k (0 after its last one: a new level would be a new row
with dual 0), phi_w the fairness dual and beta_wp the overload-bound dual.
Weak duality with every variable boxed (``0 <= x_e <= upper_e``) gives a
lower bound for the LP of the *full* model, whatever the duals:

    full LP optimum >= restricted LP optimum + sum over left-out pairs of upper_e * min(0, rc_e)
                       + the same term for overload columns not in the model.

Column generation stops when that bound meets the restricted optimum (the
restricted LP is then optimal for the full model) or when its rounds run out;
the plan reports both numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .candidates import free_units, product_groups
from .lp import LpModel, LpResult
from .model import Options
from .prepare import Arrays, needed_units, placement_cost

TOLERANCE = 1e-7


@dataclass
class Priced:
    o: np.ndarray  # left-out pairs worth adding (at most per_order per order, most negative first)
    w: np.ndarray
    full_bound: float  # lower bound of the full model's LP optimum
    improving_pairs: int  # left-out eligible pairs with negative reduced cost


def price(arrays: Arrays, model: LpModel, result: LpResult, options: Options, per_order: int) -> Priced:
    n_o, n_w, n_p = len(arrays.orders), len(arrays.workshops), len(arrays.products)
    dual, n_chain = result.row_dual, len(model.chain_w)
    y = dual[:n_o]
    eta_rows = dual[n_o : n_o + n_chain]
    # eta[w, k] = dual of the first chain row of w due on or after k: a reverse cumulative sum of steps.
    following = np.zeros(n_chain)
    same_w = np.zeros(n_chain, dtype=bool)
    same_w[:-1] = model.chain_w[1:] == model.chain_w[:-1]
    following[:-1] = np.where(same_w[:-1], eta_rows[1:], 0.0)
    step = np.zeros((n_w, arrays.horizon + 2))
    np.add.at(step, (model.chain_w, model.chain_due), eta_rows - following)
    eta = np.cumsum(step[:, ::-1], axis=1)[:, ::-1]
    phi = np.zeros(n_w)
    phi[model.fair_ws] = dual[n_o + n_chain : n_o + n_chain + len(model.fair_ws)]
    beta = np.zeros((n_w, n_p))
    has_bound = model.z_bound_row >= 0
    beta[model.z_w[has_bound], model.z_p[has_bound]] = dual[model.z_bound_row[has_bound]]
    present = np.sort(model.o * n_w + model.w)
    need = needed_units(arrays, options.min_quota)
    dpu = arrays.tick / arrays.w_lcm[:, None]  # days per unit [w, p]
    gain, improving, new_o, new_w = 0.0, 0, [], []

    def collect(orders: np.ndarray, makers: np.ndarray, rc: np.ndarray, upper: np.ndarray) -> None:
        """Add the term of these left-out pairs to the bound and keep the best few per order."""
        nonlocal gain, improving
        negative = rc < -TOLERANCE
        gain += float(np.sum(np.where(negative, rc, 0.0) * upper))
        improving += int(negative.sum())
        if not negative.any():
            return
        cut = min(per_order, rc.shape[0])
        top = np.argpartition(np.where(negative, rc, np.inf), cut - 1, axis=0)[:cut]
        cols = np.broadcast_to(np.arange(rc.shape[1]), top.shape)
        ok = negative[top, cols]
        new_o.append(orders[cols[ok]])
        new_w.append(makers[top[ok]])

    for p, orders, makers in product_groups(arrays, need):
        base = -arrays.o_prio[orders] - y[orders]
        for province in np.unique(arrays.o_prov[orders]):
            in_group = arrays.o_prov[orders] == province
            group = orders[in_group]
            local = makers[arrays.w_prov[makers] == province]
            if not len(local):
                continue
            free = free_units(arrays, local, group, p)
            rc = (
                placement_cost(arrays, group[None, :], local[:, None], options.weights)
                + base[in_group][None, :]
                - dpu[local, p][:, None] * (eta[np.ix_(local, arrays.o_due[group])] + phi[local][:, None])
                + beta[local, p][:, None]
            )
            left_out = ~_isin(group[None, :] * n_w + local[:, None], present)
            rc = np.where((free >= need[group][None, :]) & left_out, rc, np.inf)
            collect(group, local, rc, np.minimum(free, arrays.o_units[group][None, :]))
        _price_other_province(arrays, options, p, orders, makers, base, need, eta, phi, beta, dpu, present, collect)

    # Overload columns a new pair could bring (a fairness row exists but Z_wp is not in the model).
    with_z = np.zeros((n_w, n_p), dtype=bool)
    with_z[model.z_w, model.z_p] = True
    rc_z = options.weights.overload + dpu * phi[:, None]
    new_z = (arrays.tick > 0) & ~with_z & (rc_z < -TOLERANCE)
    most_units = arrays.cap[:, -1][:, None] // np.where(arrays.tick > 0, arrays.tick, 1)
    gain += float(np.sum(np.where(new_z, most_units * rc_z, 0.0)))
    o = np.concatenate(new_o) if new_o else np.zeros(0, dtype=np.int64)
    w = np.concatenate(new_w) if new_w else np.zeros(0, dtype=np.int64)
    return Priced(o=o, w=w, full_bound=result.bound + gain, improving_pairs=improving)


def _price_other_province(arrays, options, p, orders, makers, base, need, eta, phi, beta, dpu, present, collect):
    """Other-province pairs: their cost does not depend on the order, so sort makers once per due day.

    rc = other_province + v_w(k) + base_o with v_w(k) = woman-head cost + beta -
    days per unit * (eta + phi): per due day k, the makers with v below
    ``-other - base_o`` form a prefix of the sorted v, usually a short one.
    """
    n_w = len(arrays.workshops)
    weights = options.weights
    days = np.unique(arrays.o_due[orders])
    values = (
        np.where(arrays.w_wh[makers], weights.woman_head, 0.0)[:, None]
        + beta[makers, p][:, None]
        - dpu[makers, p][:, None] * (eta[np.ix_(makers, days)] + phi[makers][:, None])
    )
    by_value = np.argsort(values, axis=0, kind="stable")
    sorted_values = np.take_along_axis(values, by_value, axis=0)
    for i, o in enumerate(orders.tolist()):
        column = int(np.searchsorted(days, arrays.o_due[o]))
        threshold = -weights.other_province - base[i] - TOLERANCE
        count = int(np.searchsorted(sorted_values[:, column], threshold, side="left"))
        if not count:
            continue
        ws = makers[by_value[:count, column]]
        free = arrays.cap[ws, arrays.o_due[o]] // arrays.tick[ws, p]
        ok = (arrays.w_prov[ws] != arrays.o_prov[o]) & (free >= need[o]) & ~_isin(o * n_w + ws, present)
        if not ok.any():
            continue
        ws, free = ws[ok], free[ok]
        rc = weights.other_province + sorted_values[:count, column][ok] + base[i]
        collect(np.array([o]), ws, rc[:, None], np.minimum(free, arrays.o_units[o])[:, None])


def _isin(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    if not len(sorted_keys):
        return np.zeros(keys.shape, dtype=bool)
    index = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[index] == keys
