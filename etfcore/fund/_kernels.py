"""numba kernels of the fund layer.

Contract: contiguous ``float64`` / ``int64`` arrays and scalars only; no pandas,
strings or Python objects. Cash flows come as the bond layer's CSR arrays (bond
``i`` owns flows ``offsets[i]:offsets[i + 1]``; ``day_index`` maps each flow to a
distinct payment day).
"""

from __future__ import annotations

import math

import numpy as np

from .._jit import jit, pjit, prange


@jit
def ladder_nb(offsets, amount, day_index, n_days, weights):
    """Aggregate flows into a cash-flow ladder per distinct day: ``(n_sides, n_days)``.

    ``ladder[s, u] = sum over flows k paid on day u of weights[i(k), s] * amount[k]``,
    where ``i(k)`` is the bond that pays flow ``k``. With ``weights`` = par / 100 times
    the side's price factor, the value of a whole portfolio on side ``s`` is
    ``ladder[s] @ DF / DF(settlement)``: one dot product per curve.
    """
    n = offsets.shape[0] - 1
    n_sides = weights.shape[1]
    out = np.zeros((n_sides, n_days))
    for i in range(n):
        for k in range(offsets[i], offsets[i + 1]):
            u = day_index[k]
            a = amount[k]
            for s in range(n_sides):
                out[s, u] += weights[i, s] * a
    return out


# --------------------------------------------------------------------------------------
# iNAV: ladders by staleness bucket, per-bond values under per-bond spread moves, the
# partial-adjustment filter
# --------------------------------------------------------------------------------------


@jit
def bucket_ladder_nb(offsets, amount, day_index, n_days, weights, bucket, n_buckets):
    """Cash-flow ladders by bucket and side, day-major: ``(n_days, n_buckets * n_sides)``.

    ``out[u, b * n_sides + s] = sum over flows k of bonds i in bucket b paid on day u of
    weights[i, s] * amount[k]``. Summed over ``b`` it is :func:`ladder_nb` transposed.
    Day-major so that ``DF @ out`` values every bucket and side in one matrix product.
    """
    n = offsets.shape[0] - 1
    n_sides = weights.shape[1]
    out = np.zeros((n_days, n_buckets * n_sides))
    for i in range(n):
        col = bucket[i] * n_sides
        for k in range(offsets[i], offsets[i + 1]):
            u = day_index[k]
            a = amount[k]
            for s in range(n_sides):
                out[u, col + s] += weights[i, s] * a
    return out


@jit
def discount_from_knots_nb(zero_rates, index0, index1, coef0, coef1, dtau, spread_shift, out):
    """Discount factors of one curve on a fixed tenor grid, with a uniform spread shift.

    ``out[u] = exp(coef0[u] z[index0[u]] + coef1[u] z[index1[u]] - spread_shift dtau[u])``:
    ``log DF`` is linear in the knot zero rates ``z`` (the coefficients fold in the
    interpolation and the time), and a z-spread move common to every bond multiplies
    each payment day's factor by ``exp(-shift dtau)``.
    """
    for u in range(index0.shape[0]):
        x = coef0[u] * zero_rates[index0[u]] + coef1[u] * zero_rates[index1[u]]
        out[u] = math.exp(x - spread_shift * dtau[u])
    return out


@jit
def ladder_values_nb(discount, ladders):
    """Value of every ladder column: ``out[r] = sum_u DF[u] ladders[u, r] / DF[-1]``.

    ``discount`` is ``(U + 1,)`` with the settlement day's factor last; ``ladders`` is
    day-major ``(U, R)``. Serial on purpose: a few hundred thousand multiply-adds, where
    a threaded BLAS call costs more in wake-ups than in arithmetic.
    """
    n_days, n_cols = ladders.shape
    out = np.zeros(n_cols)
    for u in range(n_days):
        d = discount[u]
        for r in range(n_cols):
            out[r] += d * ladders[u, r]
    inv = 1.0 / discount[n_days]
    for r in range(n_cols):
        out[r] *= inv
    return out


@jit
def ladder_values_on_grid_nb(ladders, zero_rates, index0, index1, coef0, coef1, dtau, shift):
    """:func:`ladder_values_nb` with the discount factors of :func:`discount_from_knots_nb`.

    One pass over the payment days: the factor of day ``u`` is computed and used at once.
    """
    n_days, n_cols = ladders.shape
    out = np.zeros(n_cols)
    for u in range(n_days):
        x = coef0[u] * zero_rates[index0[u]] + coef1[u] * zero_rates[index1[u]]
        d = math.exp(x - shift * dtau[u])
        for r in range(n_cols):
            out[r] += d * ladders[u, r]
    x = coef0[n_days] * zero_rates[index0[n_days]] + coef1[n_days] * zero_rates[index1[n_days]]
    inv = 1.0 / math.exp(x - shift * dtau[n_days])
    for r in range(n_cols):
        out[r] *= inv
    return out


@pjit
def bond_values_nb(offsets, amount, day_index, dtau, discount, spread_shift, out):
    """Dirty value per 100 face of each bond at each of T intervals, each bond its own spread move.

    ``out[t, i] = sum_k amount[k] DF[t, u_k] exp(-shift[t, i] dtau[k]) / DF[t, -1]``, with
    ``amount`` already carrying the base z-spread and the settlement day's factor last in
    each row of ``discount`` (``(T, U + 1)``); ``spread_shift`` is ``(T, n)``, decimal.
    Parallel over intervals, so that each thread gathers from one row of discount
    factors that stays in cache.
    """
    n = offsets.shape[0] - 1
    n_times = discount.shape[0]
    settle = discount.shape[1] - 1
    for t in prange(n_times):
        df = discount[t]
        inv = 1.0 / df[settle]
        for i in range(n):
            s = spread_shift[t, i]
            v = 0.0
            if s == 0.0:
                for k in range(offsets[i], offsets[i + 1]):
                    v += amount[k] * df[day_index[k]]
            else:
                for k in range(offsets[i], offsets[i + 1]):
                    v += amount[k] * df[day_index[k]] * math.exp(-s * dtau[k])
            out[t, i] = v * inv
    return out


@pjit
def bond_spread_sensitivity_nb(offsets, amount, day_index, dtau, discount):
    """``d(dirty)/d(spread)`` per 100 face of each bond (negative), per unit of decimal spread.

    ``-sum_k amount[k] DF[u_k] dtau[k] / DF[-1]`` with the settlement day's factor last.
    """
    n = offsets.shape[0] - 1
    settle = discount.shape[0] - 1
    out = np.empty(n)
    for i in prange(n):
        v = 0.0
        for k in range(offsets[i], offsets[i + 1]):
            v -= amount[k] * discount[day_index[k]] * dtau[k]
        out[i] = v / discount[settle]
    return out


@pjit
def bucket_sums_nb(values, weights, bucket, n_buckets):
    """Per-bond quantities summed by bucket and side: ``(T, n)`` -> ``(T, n_buckets * n_sides)``.

    ``out[t, bucket[i] * n_sides + s] += values[t, i] * weights[i, s]``.
    """
    n_times, n = values.shape
    n_sides = weights.shape[1]
    out = np.zeros((n_times, n_buckets * n_sides))
    for t in prange(n_times):
        for i in range(n):
            v = values[t, i]
            col = bucket[i] * n_sides
            for s in range(n_sides):
                out[t, col + s] += v * weights[i, s]
    return out


@jit
def partial_adjustment_nb(true_value, adjustment, initial):
    """Stale (measured) values that close a fraction of the gap to the true value each step.

    ``m[t, r] = m[t - 1, r] + adjustment[r] (true_value[t, r] - m[t - 1, r])`` with
    ``m[-1, r] = initial[r]``; ``true_value`` is ``(T, R)``.
    """
    n_times, n_cols = true_value.shape
    out = np.empty((n_times, n_cols))
    for r in range(n_cols):
        m = initial[r]
        lam = adjustment[r]
        for t in range(n_times):
            m = m + lam * (true_value[t, r] - m)
            out[t, r] = m
    return out


@pjit
def ladder_values_by_bucket_shift_nb(discount, ladders, day_offset, shift, n_sides, out):
    """Ladder columns valued with each bucket's own z-spread shift: ``(T, n_buckets * n_sides)``.

    ``out[t, b * n_sides + s] = sum_u DF[t, u] exp(-shift[t, b] day_offset[u] / 365)
    ladders[u, b * n_sides + s] / DF[t, -1]``, with ``discount`` ``(T, U + 1)`` (the
    settlement day's factor last, its offset 0), ``shift`` ``(T, n_buckets)`` decimal and
    ``day_offset`` the int days from settlement. The spread factors of successive days
    are chained through a table of ``exp(-shift g / 365)`` for day gaps ``g`` up to 64,
    re-anchored on an exact ``exp`` every 128 days (relative error below 1e-13), so that
    a column costs one multiply per day rather than one ``exp``. Parallel over intervals.
    """
    n_times = discount.shape[0]
    n_days, n_cols = ladders.shape
    max_gap = 64
    for t in prange(n_times):
        table = np.empty((max_gap + 1, n_cols))
        factor = np.empty(n_cols)
        for g in range(max_gap + 1):
            for c in range(n_cols):
                table[g, c] = math.exp(-shift[t, c // n_sides] * (g / 365.0))
        row = out[t]
        for c in range(n_cols):
            row[c] = 0.0
        for u in range(n_days):
            gap = day_offset[u] - day_offset[u - 1] if u > 0 else -1
            if u % 128 == 0 or gap < 0 or gap > max_gap:
                tau = day_offset[u] / 365.0
                for c in range(n_cols):
                    factor[c] = math.exp(-shift[t, c // n_sides] * tau)
            else:
                for c in range(n_cols):
                    factor[c] *= table[gap, c]
            d = discount[t, u]
            for c in range(n_cols):
                row[c] += d * factor[c] * ladders[u, c]
        inv = 1.0 / discount[t, n_days]
        for c in range(n_cols):
            row[c] *= inv
    return out
