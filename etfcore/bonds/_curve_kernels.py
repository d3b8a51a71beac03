"""numba kernels behind :mod:`etfcore.bonds.curves`.

Contract: every kernel takes contiguous ``float64`` / ``int64`` numpy arrays and
scalars, never pandas objects, strings or Python objects. Times are year
fractions, rates are decimals. Output arrays are allocated by the caller and
filled in place, so that a caller can reuse a buffer across calls.

The exponential here is a polynomial one (:func:`exp_inplace_nb`) that LLVM can
vectorise: this numba build has no SVML, so ``math.exp`` runs one value at a
time (5-7 ns on this 2-core AVX2 machine) while the polynomial -- a Cody-Waite
reduction and a degree-12 Taylor polynomial in Estrin's form -- runs at about
2.4 ns a value on rows that sit in cache. Its error
against ``numpy.exp`` is a few units in the last place (checked in
``tests/test_curves.py``). Inputs below -708 are clamped to -708 (a discount
factor of 3e-308 instead of a smaller one) and above 709 to 709; NaN stays NaN.
"""

from __future__ import annotations

import numpy as np

from .._jit import jit, pjit, prange

# Cody-Waite split of ln 2 (fdlibm's constants): k * _LN2_HI is exact for |k| < 2**11.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
# Adding 1.5 * 2**52 rounds a double of magnitude < 2**51 to an integer and leaves
# that integer in the low bits of the result.
_SHIFTER = 6755399441055744.0
_SHIFTER_BITS = np.int64(0x4338000000000000)
_EXP_BIAS = np.int64(1023)

# Taylor coefficients 1/n! for n = 2..12: on |r| <= ln(2)/2 the truncation error is
# below 2e-16 relative.
_C2 = 1.0 / 2.0
_C3 = 1.0 / 6.0
_C4 = 1.0 / 24.0
_C5 = 1.0 / 120.0
_C6 = 1.0 / 720.0
_C7 = 1.0 / 5040.0
_C8 = 1.0 / 40320.0
_C9 = 1.0 / 362880.0
_C10 = 1.0 / 3628800.0
_C11 = 1.0 / 39916800.0
_C12 = 1.0 / 479001600.0


@jit
def exp_inplace_nb(x, scratch):
    """Replace ``x`` by ``exp(x)``; ``scratch`` is an int64 buffer of the same length."""
    n = x.shape[0]
    kf = scratch.view(np.float64)
    for i in range(n):
        v = x[i]
        # written so that NaN passes through both clamps
        v = -708.0 if v < -708.0 else v
        v = 709.0 if v > 709.0 else v
        shifted = v * _INV_LN2 + _SHIFTER
        k = shifted - _SHIFTER
        r = (v - k * _LN2_HI) - k * _LN2_LO
        # Estrin's scheme: a shorter dependency chain than Horner's, so more values
        # are in flight at once.
        r2 = r * r
        r4 = r2 * r2
        r8 = r4 * r4
        b0 = (1.0 + r) + r2 * (_C2 + _C3 * r)
        b1 = (_C4 + _C5 * r) + r2 * (_C6 + _C7 * r)
        b2 = (_C8 + _C9 * r) + r2 * (_C10 + _C11 * r)
        p = b0 + r4 * b1 + r8 * (b2 + r4 * _C12)
        x[i] = p
        kf[i] = shifted
    for i in range(n):
        scratch[i] = (scratch[i] - _SHIFTER_BITS + _EXP_BIAS) << 52
    for i in range(n):
        x[i] *= kf[i]


@pjit
def scenario_discount_nb(zero_rates, index0, index1, coef0, coef1, out):
    """Discount factors for many curves on one tenor grid.

    ``out[s, u] = exp(coef0[u] * zero_rates[s, index0[u]] + coef1[u] * zero_rates[s, index1[u]])``

    The interpolation (weights, the minus sign and the time) is folded into
    ``coef0``/``coef1`` by the caller, once for all scenarios.
    """
    n_scenarios = zero_rates.shape[0]
    n_points = index0.shape[0]
    for s in prange(n_scenarios):
        z = zero_rates[s]
        row = out[s]
        for u in range(n_points):
            row[u] = coef0[u] * z[index0[u]] + coef1[u] * z[index1[u]]
        scratch = np.empty(n_points, dtype=np.int64)
        exp_inplace_nb(row, scratch)


# ------------------------------------------------------------------------------------
# Nelson-Siegel-Svensson fit to Treasury quotes
#
# The "plan" describes the quotes as flat arrays (built by curves._TreasuryPlan):
#   times (M,)            times (years, > 0) at which discount factors are needed
#   bill_pos, bill_t (B,) for each bill: its time's position in `times` and its tenor
#   cpn_start (C+1,)      CSR offsets into cpn_pos for each coupon bond
#   cpn_pos               positions in `times` of each bond's coupon dates
#   final_pos (C,)        position of each bond's maturity in `times`
#   accrued (C,)          accrued time (years) of each bond (0 on the half-year grid)
# Quotes are ordered bills first, then coupon bonds; `observed` follows that order.
# params are (beta0, beta1, beta2, beta3, tau1, tau2); residuals are in bp.
# ------------------------------------------------------------------------------------


@jit
def nss_quote_residuals_nb(
    params,
    times,
    bill_pos,
    bill_t,
    cpn_start,
    cpn_pos,
    final_pos,
    accrued,
    observed,
    resid,
    jac,
    want_jac,
):
    """Model-minus-observed quotes in bp (``resid``) and their Jacobian (``jac``, if wanted)."""
    b0 = params[0]
    b1 = params[1]
    b2 = params[2]
    b3 = params[3]
    tau1 = params[4]
    tau2 = params[5]
    m_times = times.shape[0]
    disc = np.empty(m_times)
    ddisc = np.empty((m_times, 6))
    for m in range(m_times):
        t = times[m]
        x1 = t / tau1
        x2 = t / tau2
        e1 = np.exp(-x1)
        e2 = np.exp(-x2)
        g1 = -np.expm1(-x1) / x1
        g2 = -np.expm1(-x2) / x2
        h1 = g1 - e1
        h2 = g2 - e2
        z = b0 + b1 * g1 + b2 * h1 + b3 * h2
        d = np.exp(-z * t)
        disc[m] = d
        if want_jac:
            # dg/dx = (e - g)/x, dh/dx = dg/dx + e, dx/dtau = -x/tau
            dg1 = (e1 - g1) / x1
            dh1 = dg1 + e1
            dh2 = (e2 - g2) / x2 + e2
            f = -t * d
            ddisc[m, 0] = f
            ddisc[m, 1] = f * g1
            ddisc[m, 2] = f * h1
            ddisc[m, 3] = f * h2
            ddisc[m, 4] = f * (b1 * dg1 + b2 * dh1) * (-x1 / tau1)
            ddisc[m, 5] = f * b3 * dh2 * (-x2 / tau2)
    n_bills = bill_pos.shape[0]
    for i in range(n_bills):
        t = bill_t[i]
        d = disc[bill_pos[i]]
        g = 1.0 / d - 1.0
        if t <= 0.5:
            y = g / t
            dp_dy = t
        else:
            a = t - 0.5
            y = 2.0 * g / (t + np.sqrt(t * t + 2.0 * a * g))
            dp_dy = t + a * y
        resid[i] = (y - observed[i]) * 1e4
        if want_jac:
            dy_dd = -1e4 / (d * d * dp_dy)
            for k in range(6):
                jac[i, k] = dy_dd * ddisc[bill_pos[i], k]
    n_coupons = final_pos.shape[0]
    for j in range(n_coupons):
        row = n_bills + j
        q = -accrued[j]
        for c in range(cpn_start[j], cpn_start[j + 1]):
            q += 0.5 * disc[cpn_pos[c]]
        y = (1.0 - disc[final_pos[j]]) / q
        resid[row] = (y - observed[row]) * 1e4
        if want_jac:
            for k in range(6):
                s = 0.0
                for c in range(cpn_start[j], cpn_start[j + 1]):
                    s += 0.5 * ddisc[cpn_pos[c], k]
                jac[row, k] = 1e4 * (-ddisc[final_pos[j], k] - y * s) / q


@jit
def _solve_spd4_nb(a, rhs, out):
    """Solve ``a x = rhs`` for a symmetric positive definite 4 x 4 ``a`` (Cholesky, in place)."""
    n = 4
    for j in range(n):
        d = a[j, j]
        for k in range(j):
            d -= a[j, k] * a[j, k]
        d = np.sqrt(d) if d > 0.0 else 1e-300
        a[j, j] = d
        for i in range(j + 1, n):
            v = a[i, j]
            for k in range(j):
                v -= a[i, k] * a[j, k]
            a[i, j] = v / d
    for i in range(n):
        v = rhs[i]
        for k in range(i):
            v -= a[i, k] * out[k]
        out[i] = v / a[i, i]
    for i in range(n - 1, -1, -1):
        v = out[i]
        for k in range(i + 1, n):
            v -= a[k, i] * out[k]
        out[i] = v / a[i, i]


@jit
def nss_tau_grid_nb(
    tau1_grid,
    tau2_grid,
    init_beta,
    beta_bound,
    n_iter,
    times,
    bill_pos,
    bill_t,
    cpn_start,
    cpn_pos,
    final_pos,
    accrued,
    observed,
    cost,
    beta,
):
    """For each (tau1, tau2) pair, Gauss-Newton on the betas alone; cost = sum(resid**2)/2.

    ``init_beta`` is ``(n_cells, 4)``; results go to ``cost`` (n_cells,) and ``beta``
    (n_cells, 4). Betas are clipped to ``[-beta_bound, beta_bound]`` after each step.
    """
    n_cells = tau1_grid.shape[0]
    n_quotes = observed.shape[0]
    resid = np.empty(n_quotes)
    jac = np.empty((n_quotes, 6))
    p = np.empty(6)
    a = np.empty((4, 4))
    rhs = np.empty(4)
    step = np.empty(4)
    for cell in range(n_cells):
        for k in range(4):
            p[k] = init_beta[cell, k]
        p[4] = tau1_grid[cell]
        p[5] = tau2_grid[cell]
        for _ in range(n_iter):
            nss_quote_residuals_nb(
                p,
                times,
                bill_pos,
                bill_t,
                cpn_start,
                cpn_pos,
                final_pos,
                accrued,
                observed,
                resid,
                jac,
                True,
            )
            for r in range(4):
                rhs[r] = 0.0
                for i in range(n_quotes):
                    rhs[r] -= jac[i, r] * resid[i]
                for c in range(4):
                    acc = 0.0
                    for i in range(n_quotes):
                        acc += jac[i, r] * jac[i, c]
                    a[r, c] = acc
            trace = a[0, 0] + a[1, 1] + a[2, 2] + a[3, 3]
            bad = not np.isfinite(trace)
            for r in range(4):
                bad = bad or not np.isfinite(rhs[r])
            if bad:
                break
            for r in range(4):
                a[r, r] += 1e-10 * trace + 1e-300
            _solve_spd4_nb(a, rhs, step)
            for k in range(4):
                v = p[k] + step[k]
                v = beta_bound if v > beta_bound else v
                v = -beta_bound if v < -beta_bound else v
                p[k] = v
        nss_quote_residuals_nb(
            p,
            times,
            bill_pos,
            bill_t,
            cpn_start,
            cpn_pos,
            final_pos,
            accrued,
            observed,
            resid,
            jac,
            False,
        )
        total = 0.0
        for i in range(n_quotes):
            total += resid[i] * resid[i]
        cost[cell] = 0.5 * total if np.isfinite(total) else np.inf
        for k in range(4):
            beta[cell, k] = p[k]


@jit
def nss_objective_nb(
    u,
    tau_lo,
    tau_hi,
    beta_bound,
    beta_soft,
    penalty,
    times,
    bill_pos,
    bill_t,
    cpn_start,
    cpn_pos,
    final_pos,
    accrued,
    observed,
    f,
    jac,
):
    """The least-squares objective in the solver's free variables ``u`` and its Jacobian.

    ``beta_k = beta_bound * tanh(u_k)``; ``tau = lo + (hi - lo) (1 + tanh(u/2)) / 2``.
    ``f`` is ``n_quotes + 4`` long: the quote residuals (bp), then
    ``penalty * max(|beta_k| - beta_soft, 0)``. ``jac`` is ``(n_quotes + 4, 6)``.
    """
    p = np.empty(6)
    dp = np.empty(6)
    for k in range(4):
        th = np.tanh(u[k])
        p[k] = beta_bound * th
        dp[k] = beta_bound * (1.0 - th * th)
    span = tau_hi - tau_lo
    for k in range(4, 6):
        th = np.tanh(0.5 * u[k])
        p[k] = tau_lo + span * 0.5 * (1.0 + th)
        dp[k] = span * 0.25 * (1.0 - th * th)
    n_quotes = observed.shape[0]
    nss_quote_residuals_nb(
        p, times, bill_pos, bill_t, cpn_start, cpn_pos, final_pos, accrued, observed, f, jac, True
    )
    for i in range(n_quotes):
        for k in range(6):
            jac[i, k] *= dp[k]
    for k in range(4):
        row = n_quotes + k
        for c in range(6):
            jac[row, c] = 0.0
        excess = abs(p[k]) - beta_soft
        if excess > 0.0:
            f[row] = penalty * excess
            jac[row, k] = penalty * (1.0 if p[k] > 0.0 else -1.0) * dp[k]
        else:
            f[row] = 0.0
