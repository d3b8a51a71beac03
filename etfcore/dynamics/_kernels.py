"""numba kernels of the premium/discount dynamics: the Monte Carlo over paths and days.

Contract (every kernel here):

* inputs are contiguous float64 / int64 numpy arrays and Python scalars; no pandas,
  strings or objects; regimes are int codes (``NORMAL = 0``, ``STRESS = 1``) and the
  per-regime parameters are rows of one float array (columns :data:`PARAMETER_COLUMNS`);
* every random number is drawn up front by the Python caller with one
  ``numpy.random.Generator`` and passed in, so a path's result does not depend on how
  numba's threads split the paths (tested with 1 and 2 threads);
* kernels allocate their outputs and return them with an int status per path
  (:data:`STATUS_OK` ...); the Python caller turns a status into an ``InputError``;
* compiled through :func:`etfcore._jit.jit` / :func:`etfcore._jit.pjit` (``cache=True``,
  ``nogil``, numpy error model, no fastmath); helpers live in this file so the cache
  never goes stale;
* the AP decision :func:`decide_ap_order_nb` is the arithmetic of
  :func:`etfcore.primary._kernels.decide_ap_orders_nb` for one AP (tested to agree);
* the numpy twin, vectorised over paths, is
  :func:`etfcore.dynamics.simulate._twin.simulate_paths_numpy` (tested to agree).
"""

from __future__ import annotations

import math

import numpy as np

from .._jit import jit, pjit, prange

NORMAL = 0
STRESS = 1
#: Columns of the per-regime parameter array ``regime_params`` (one row per regime).
PARAMETER_COLUMNS = (
    "rate_vol_bp",  # 0: daily sd of the rate factor, bp
    "spread_vol_bp",  # 1: daily sd of the spread factor, bp
    "rate_spread_corr",  # 2: correlation of the two factor shocks
    "staleness",  # 3: lambda, share of the spread gap the evaluated prices close a day
    "half_spread",  # 4: (mid - bid) / mid of the bonds: official NAV = mid x (1 - this)
    "impact_bp",  # 5: multiplier x k x sigma of the ETF's square-root impact, bp
    "adv_usd",  # 6: the ETF's daily dollar volume
    "demand_vol_usd",  # 7: sd of the daily demand shock, USD
    "demand_drift_usd",  # 8: mean daily demand (outflows < 0), USD
    "liquidation",  # 9: share of its bond inventory each AP sells a day
)
N_PARAMETERS = len(PARAMETER_COLUMNS)
#: Order codes (as the primary layer's kernel).
CREATE = 0
REDEEM = 1
#: What stopped an AP (as the primary layer's ``LIMIT_*`` codes).
LIMIT_NONE = 0
LIMIT_CAPACITY = 1
LIMIT_BALANCE_SHEET = 2
LIMIT_SHARES = 3
LIMIT_IMPACT = 4
STATUS_OK = 0
STATUS_BAD_INPUT = 1
STATUS_UNBOUNDED = 2


@jit
def _impact_bound_nb(premium: float, a: float, f: float, c: float) -> float:
    """Upper bound on the sizes that pay, from the square-root term (primary kernel's)."""
    if c <= 0.0:
        return math.inf
    d = premium - a - min(f, 0.0)
    if d <= 0.0:
        return 0.0
    return np.floor((d / c) ** 2) + 2.0


@jit
def _largest_units_nb(premium: float, a: float, f: float, c: float, n_top: float) -> float:
    """Largest whole ``n`` in ``[1, n_top]`` with ``premium > a + f / n + c sqrt(n)``, else 0."""
    if n_top < 1.0:
        return 0.0
    if c > 0.0 and f > 0.0:
        n_star = (2.0 * f / c) ** (2.0 / 3.0)
    elif c > 0.0:
        n_star = 0.0
    else:
        n_star = math.inf
    n = n_top
    while n >= 1.0:
        th = a + f / n + c * math.sqrt(n)
        if premium > th:
            return n
        if n <= n_star:
            return 0.0
        n -= 1.0
    return 0.0


@jit
def decide_ap_order_nb(
    p: float,
    ca: float,
    cf: float,
    cc: float,
    ra: float,
    rf: float,
    rc: float,
    capacity: float,
    room: float,
    uv: float,
    shares: float,
    cu: float,
) -> tuple[float, int, int]:
    """One AP's order: (signed units, ``LIMIT_*`` code, status).

    The arithmetic of :func:`etfcore.primary._kernels.decide_ap_orders_nb` for one AP:
    create above the one-unit creation threshold ``ca + cf + cc``, redeem below
    ``ra + rf + rc``, the largest whole size that still pays up to ``min(capacity,
    balance-sheet room, shares - 1 unit)`` units.
    """
    if not (math.isfinite(p) and math.isfinite(uv) and uv > 0.0):
        return 0.0, LIMIT_NONE, STATUS_BAD_INPUT
    if p > ca + cf / 1.0 + cc * math.sqrt(1.0):
        order = CREATE
        q, a, f, c = p, ca, cf, cc
    elif p < ra + rf / 1.0 + rc * math.sqrt(1.0):
        order = REDEEM
        q, a, f, c = -p, -ra, -rf, -rc
    else:
        return 0.0, LIMIT_NONE, STATUS_OK
    n_cap = np.floor(capacity / uv + 1e-12)
    lim = LIMIT_CAPACITY
    by_balance = np.floor(max(room, 0.0) / uv + 1e-12)
    if by_balance < n_cap:
        n_cap, lim = by_balance, LIMIT_BALANCE_SHEET
    if order == REDEEM:
        by_shares = np.ceil(shares / cu) - 1.0
        if by_shares < n_cap:
            n_cap, lim = by_shares, LIMIT_SHARES
    n_top = min(n_cap, _impact_bound_nb(q, a, f, c))
    if not math.isfinite(n_top):
        return 0.0, LIMIT_NONE, STATUS_UNBOUNDED
    n = _largest_units_nb(q, a, f, c, n_top)
    code = lim if n == n_cap else LIMIT_IMPACT
    return (n if order == CREATE else -n), code, STATUS_OK


@jit
def pressure_bp_nb(unabsorbed_usd: float, impact_bp: float, adv_usd: float) -> float:
    """Price pressure of unabsorbed demand: ``sign(U) impact sqrt(|U| / ADV)``, bp."""
    if unabsorbed_usd >= 0.0:
        return impact_bp * math.sqrt(unabsorbed_usd / adv_usd)
    return -impact_bp * math.sqrt(-unabsorbed_usd / adv_usd)


@jit
def demand_for_pressure_nb(x_bp: float, impact_bp: float, adv_usd: float) -> float:
    """The unabsorbed demand whose pressure is ``x_bp`` (inverse of :func:`pressure_bp_nb`)."""
    r = x_bp / impact_bp
    if r >= 0.0:
        return adv_usd * r * r
    return -adv_usd * r * r


@pjit
def simulate_paths_nb(
    z_rate: np.ndarray,
    z_spread: np.ndarray,
    e_demand: np.ndarray,
    u_regime: np.ndarray,
    start_regime: int,
    transition: np.ndarray,
    calendar_regime: np.ndarray,
    calendar_rate_drift_bp: np.ndarray,
    calendar_spread_drift_bp: np.ndarray,
    calendar_demand_usd: np.ndarray,
    regime_params: np.ndarray,
    rate_duration: float,
    spread_duration: float,
    carry_per_day: float,
    demand_persistence: float,
    terms_bp: np.ndarray,
    capacity_usd: np.ndarray,
    balance_sheet_usd: np.ndarray,
    inventory0_usd: np.ndarray,
    nav0: float,
    shares0: float,
    creation_unit_size: float,
    dealer_flow_usd: np.ndarray,
) -> tuple:
    """Premium/discount paths with APs at work (parallel over paths).

    Parameters
    ----------
    z_rate, z_spread, e_demand : float64 (n_paths, n_days)
        Independent standard normal draws: rate factor, spread factor, demand.
    u_regime : float64 (n_paths, n_days)
        Uniform draws for the Markov chain of regimes.
    start_regime : int
        Regime before day 0 (``NORMAL`` / ``STRESS``).
    transition : float64 (2, 2)
        Row-stochastic Markov matrix, ``transition[r, s]`` = P(regime s | r yesterday).
    calendar_regime : int64 (n_days,)
        Regime forced on each day, ``-1`` for "the Markov chain decides".
    calendar_rate_drift_bp, calendar_spread_drift_bp : float64 (n_days,)
        Deterministic factor moves added each day, bp.
    calendar_demand_usd : float64 (n_days,)
        Deterministic demand added each day, USD (outflows < 0).
    regime_params : float64 (2, N_PARAMETERS)
        Per-regime parameters, columns :data:`PARAMETER_COLUMNS`.
    rate_duration, spread_duration : float
        The fund's exposure to the rate factor (key-rate durations x loadings) and its
        spread duration, years.
    carry_per_day : float
        Daily log carry of the true value (yield / 252).
    demand_persistence : float
        ``rho`` of the unabsorbed demand.
    terms_bp : float64 (2, n_aps, 2, 3)
        Each AP's one-unit band per regime and order, ``[size_free, fixed, sqrt]``.
    capacity_usd : float64 (2, n_aps)
        Daily capacity per regime, USD (finite).
    balance_sheet_usd : float64 (n_aps,)
        Balance-sheet limit (inventory plus order), USD; ``inf`` for none.
    inventory0_usd : float64 (n_aps,)
        Each AP's bond inventory at the start, USD.
    nav0, shares0, creation_unit_size : float
        Mid value per share and shares outstanding at the start; shares per unit.
    dealer_flow_usd : float64 (n_days,)
        Exogenous flow added to the demand each day, USD (a dealer's sales < 0, its
        purchases > 0); zeros leave every result unchanged.

    Returns
    -------
    premium_bp, true_nav, official_nav, price, shares, regime, units, inventory_usd,
    capacity_bound, status
        ``(n_paths, n_days)`` arrays (``units`` and ``inventory_usd`` have a last axis
        of APs; ``regime`` and ``capacity_bound`` are int64), ``status`` per path.

    Notes
    -----
    One path-day (``r`` the day's regime): the true (mid) value moves with the
    factors, ``log V_t = log V_{t-1} + carry - (D_rate dy + D_spread ds) 1e-4``; the
    evaluated spread lags, ``s^M_t = s^M_{t-1} + lambda_r (s_t - s^M_{t-1})``, so the
    official NAV is ``M_t = V_t exp(D_spread (s_t - s^M_t) 1e-4) (1 - h_r)``; unabsorbed
    demand ``U_t = rho U_{t-1} + mu_r + sigma_r e_t + F_t`` (``F`` the dealer flow)
    presses the price to ``P = V (1 + x)``, ``x = sign(U) impact_r sqrt(|U| / ADV_r)``;
    each AP in turn sees the premium to the fresh bid value ``V (1 - h_r)`` (what it
    can sell the bonds at), decides with :func:`decide_ap_order_nb` (capacity capped
    at the demand that brings the price back to its threshold), and its units absorb
    demand (``U -= n x unit value``); redeemed bonds go into its inventory, which it
    sells down by ``liquidation_r`` a day. The premium is ``P / M - 1`` in bp of the official NAV.
    """
    n_paths, n_days = z_rate.shape
    n_aps = capacity_usd.shape[1]
    premium = np.empty((n_paths, n_days))
    true_nav = np.empty((n_paths, n_days))
    official = np.empty((n_paths, n_days))
    price = np.empty((n_paths, n_days))
    shares_out = np.empty((n_paths, n_days))
    regime = np.empty((n_paths, n_days), dtype=np.int64)
    units = np.zeros((n_paths, n_days, n_aps), dtype=np.int64)
    inventory = np.zeros((n_paths, n_days, n_aps))
    bound = np.zeros((n_paths, n_days), dtype=np.int64)
    status = np.zeros(n_paths, dtype=np.int64)
    cu = creation_unit_size
    log_v0 = math.log(nav0)
    for i in prange(n_paths):
        r = start_regime
        log_v = log_v0
        s = 0.0
        sm = 0.0
        u_dem = 0.0
        shares = shares0
        inv = inventory0_usd.copy()
        for t in range(n_days):
            if calendar_regime[t] >= 0:
                r = calendar_regime[t]
            else:
                r = STRESS if u_regime[i, t] < transition[r, STRESS] else NORMAL
            pr = regime_params[r]
            corr = pr[2]
            zs = corr * z_rate[i, t] + math.sqrt(1.0 - corr * corr) * z_spread[i, t]
            dy = pr[0] * z_rate[i, t] + calendar_rate_drift_bp[t]
            ds = pr[1] * zs + calendar_spread_drift_bp[t]
            log_v += carry_per_day - (rate_duration * dy + spread_duration * ds) * 1e-4
            s += ds
            sm += pr[3] * (s - sm)
            v = math.exp(log_v)
            h = pr[4]
            m = v * math.exp(spread_duration * (s - sm) * 1e-4) * (1.0 - h)
            impact = pr[5]
            adv = pr[6]
            u_dem = (
                demand_persistence * u_dem + pr[8] + calendar_demand_usd[t] + pr[7] * e_demand[i, t]
            ) + dealer_flow_usd[t]
            uv = m * cu
            any_bound = 0
            for j in range(n_aps):
                x = pressure_bp_nb(u_dem, impact, adv)
                p_ap = ((1.0 + x * 1e-4) / (1.0 - h) - 1.0) * 1e4
                ca, cf, cc = terms_bp[r, j, 0, 0], terms_bp[r, j, 0, 1], terms_bp[r, j, 0, 2]
                ra, rf, rc = terms_bp[r, j, 1, 0], terms_bp[r, j, 1, 1], terms_bp[r, j, 1, 2]
                if p_ap > ca + cf + cc:
                    th = ca + cf + cc
                elif p_ap < ra + rf + rc:
                    th = ra + rf + rc
                else:
                    continue
                # the demand that brings the price back to this AP's threshold
                x_target = ((1.0 + th * 1e-4) * (1.0 - h) - 1.0) * 1e4
                absorb = abs(u_dem - demand_for_pressure_nb(x_target, impact, adv))
                absorb_units = np.ceil(absorb / uv)
                cap = capacity_usd[r, j]
                room = balance_sheet_usd[j] - inv[j]
                own_units = min(np.floor(cap / uv + 1e-12), np.floor(max(room, 0.0) / uv + 1e-12))
                n, code, st = decide_ap_order_nb(
                    p_ap, ca, cf, cc, ra, rf, rc, min(cap, absorb_units * uv), room, uv, shares, cu
                )
                if st != STATUS_OK:
                    status[i] = st
                    break
                if (
                    (code == LIMIT_CAPACITY or code == LIMIT_BALANCE_SHEET)
                    and own_units < absorb_units
                    and abs(n) == own_units
                ):
                    any_bound = 1
                if n != 0.0:
                    units[i, t, j] = np.int64(n)
                    shares += n * cu
                    u_dem -= n * uv
                    if n < 0.0:
                        inv[j] += -n * uv
                    else:
                        inv[j] = max(inv[j] - n * uv, 0.0)
            x = pressure_bp_nb(u_dem, impact, adv)
            pt = v * (1.0 + x * 1e-4)
            for j in range(n_aps):
                inv[j] *= 1.0 - pr[9]
                inventory[i, t, j] = inv[j]
            premium[i, t] = (pt / m - 1.0) * 1e4
            true_nav[i, t] = v
            official[i, t] = m
            price[i, t] = pt
            shares_out[i, t] = shares
            regime[i, t] = r
            bound[i, t] = any_bound
    return (
        premium,
        true_nav,
        official,
        price,
        shares_out,
        regime,
        units,
        inventory,
        bound,
        status,
    )


__all__ = [
    "CREATE",
    "NORMAL",
    "N_PARAMETERS",
    "PARAMETER_COLUMNS",
    "REDEEM",
    "STATUS_OK",
    "STRESS",
    "decide_ap_order_nb",
    "demand_for_pressure_nb",
    "pressure_bp_nb",
    "simulate_paths_nb",
]
