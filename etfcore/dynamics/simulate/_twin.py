"""The numpy twin of :func:`etfcore.dynamics._kernels.simulate_paths_nb`.

Vectorised over paths, a Python loop over days and APs: the obviously-correct version
the kernel is tested against (``tests/test_simulate.py``) and timed against
(``benchmarks/bench_dynamics.py``). Same inputs, same outputs, same arithmetic.
"""

from __future__ import annotations

import numpy as np

from .._kernels import (
    LIMIT_BALANCE_SHEET,
    LIMIT_CAPACITY,
    LIMIT_IMPACT,
    LIMIT_NONE,
    LIMIT_SHARES,
    STRESS,
)


def _pressure(u: np.ndarray, impact: np.ndarray, adv: np.ndarray) -> np.ndarray:
    return np.where(u >= 0.0, impact * np.sqrt(np.abs(u) / adv), -impact * np.sqrt(np.abs(u) / adv))


def _demand_for(x: np.ndarray, impact: np.ndarray, adv: np.ndarray) -> np.ndarray:
    r = x / impact
    return np.where(r >= 0.0, adv * r * r, -adv * r * r)


def decide_ap_orders_numpy(
    p: np.ndarray,
    terms: np.ndarray,
    capacity: np.ndarray,
    room: np.ndarray,
    uv: np.ndarray,
    shares: np.ndarray,
    cu: float,
) -> tuple[np.ndarray, np.ndarray]:
    """One AP's decision on every path at once: (signed units, ``LIMIT_*`` code).

    ``terms`` is ``(n_paths, 2, 3)``. The same arithmetic as the kernel's
    ``decide_ap_order_nb`` (the scan down from the cap runs on the still-active paths).
    """
    ca, cf, cc = terms[:, 0, 0], terms[:, 0, 1], terms[:, 0, 2]
    ra, rf, rc = terms[:, 1, 0], terms[:, 1, 1], terms[:, 1, 2]
    create = p > ca + cf / 1.0 + cc * np.sqrt(1.0)
    redeem = ~create & (p < ra + rf / 1.0 + rc * np.sqrt(1.0))
    q = np.where(redeem, -p, p)
    a = np.where(redeem, -ra, ca)
    f = np.where(redeem, -rf, cf)
    c = np.where(redeem, -rc, cc)
    n_cap = np.floor(capacity / uv + 1e-12)
    lim = np.full(p.shape, LIMIT_CAPACITY)
    by_balance = np.floor(np.maximum(room, 0.0) / uv + 1e-12)
    better = by_balance < n_cap
    n_cap = np.where(better, by_balance, n_cap)
    lim = np.where(better, LIMIT_BALANCE_SHEET, lim)
    by_shares = np.ceil(shares / cu) - 1.0
    better = redeem & (by_shares < n_cap)
    n_cap = np.where(better, by_shares, n_cap)
    lim = np.where(better, LIMIT_SHARES, lim)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = q - a - np.minimum(f, 0.0)
        bound = np.where(c <= 0.0, np.inf, np.where(d <= 0.0, 0.0, np.floor((d / c) ** 2) + 2.0))
        n_star = np.where(
            (c > 0.0) & (f > 0.0),
            (2.0 * f / c) ** (2.0 / 3.0),
            np.where(c > 0.0, 0.0, np.inf),
        )
    n = np.minimum(n_cap, bound)
    act = create | redeem
    out = np.zeros(p.shape)
    active = act & (n >= 1.0)
    while active.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            th = a + f / n + c * np.sqrt(n)
        pay = active & (q > th)
        out = np.where(pay, n, out)
        active &= ~pay
        active &= ~(n <= n_star)
        n = np.where(active, n - 1.0, n)
        active &= n >= 1.0
    code = np.where(out == n_cap, lim, LIMIT_IMPACT)
    code = np.where(act, code, LIMIT_NONE)
    return np.where(redeem, -out, out), code


def simulate_paths_numpy(
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
    """:func:`etfcore.dynamics._kernels.simulate_paths_nb` in numpy (same signature)."""
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
    r = np.full(n_paths, start_regime, dtype=np.int64)
    log_v = np.full(n_paths, np.log(nav0))
    s = np.zeros(n_paths)
    sm = np.zeros(n_paths)
    u_dem = np.zeros(n_paths)
    shares = np.full(n_paths, float(shares0))
    inv = np.tile(inventory0_usd, (n_paths, 1)).astype(float)
    for t in range(n_days):
        if calendar_regime[t] >= 0:
            r = np.full(n_paths, calendar_regime[t], dtype=np.int64)
        else:
            r = np.where(u_regime[:, t] < transition[r, STRESS], STRESS, 0)
        pr = regime_params[r]  # (n_paths, N_PARAMETERS)
        corr = pr[:, 2]
        zs = corr * z_rate[:, t] + np.sqrt(1.0 - corr * corr) * z_spread[:, t]
        dy = pr[:, 0] * z_rate[:, t] + calendar_rate_drift_bp[t]
        ds = pr[:, 1] * zs + calendar_spread_drift_bp[t]
        log_v = log_v + (carry_per_day - (rate_duration * dy + spread_duration * ds) * 1e-4)
        s = s + ds
        sm = sm + pr[:, 3] * (s - sm)
        v = np.exp(log_v)
        h = pr[:, 4]
        m = v * np.exp(spread_duration * (s - sm) * 1e-4) * (1.0 - h)
        impact, adv = pr[:, 5], pr[:, 6]
        u_dem = (
            demand_persistence * u_dem
            + pr[:, 8]
            + calendar_demand_usd[t]
            + pr[:, 7] * e_demand[:, t]
        ) + dealer_flow_usd[t]
        uv = m * cu
        any_bound = np.zeros(n_paths, dtype=np.int64)
        for j in range(n_aps):
            x = _pressure(u_dem, impact, adv)
            p_ap = ((1.0 + x * 1e-4) / (1.0 - h) - 1.0) * 1e4
            terms = terms_bp[r, j]  # (n_paths, 2, 3)
            up = terms[:, 0, 0] + terms[:, 0, 1] + terms[:, 0, 2]
            down = terms[:, 1, 0] + terms[:, 1, 1] + terms[:, 1, 2]
            th = np.where(p_ap > up, up, down)
            x_target = ((1.0 + th * 1e-4) * (1.0 - h) - 1.0) * 1e4
            absorb = np.abs(u_dem - _demand_for(x_target, impact, adv))
            absorb_units = np.ceil(absorb / uv)
            cap = capacity_usd[r, j]
            room = balance_sheet_usd[j] - inv[:, j]
            own_units = np.minimum(
                np.floor(cap / uv + 1e-12), np.floor(np.maximum(room, 0.0) / uv + 1e-12)
            )
            n, code = decide_ap_orders_numpy(
                p_ap, terms, np.minimum(cap, absorb_units * uv), room, uv, shares, cu
            )
            hit = (
                ((code == LIMIT_CAPACITY) | (code == LIMIT_BALANCE_SHEET))
                & (own_units < absorb_units)
                & (np.abs(n) == own_units)
            )
            any_bound = np.where(hit, 1, any_bound)
            units[:, t, j] = n.astype(np.int64)
            shares = shares + n * cu
            u_dem = u_dem - n * uv
            inv[:, j] = np.where(
                n < 0.0,
                inv[:, j] + (-n) * uv,
                np.where(n > 0.0, np.maximum(inv[:, j] - n * uv, 0.0), inv[:, j]),
            )
        x = _pressure(u_dem, impact, adv)
        pt = v * (1.0 + x * 1e-4)
        inv = inv * (1.0 - pr[:, 9])[:, None]
        inventory[:, t, :] = inv
        premium[:, t] = (pt / m - 1.0) * 1e4
        true_nav[:, t] = v
        official[:, t] = m
        price[:, t] = pt
        shares_out[:, t] = shares
        regime[:, t] = r
        bound[:, t] = any_bound
    return (premium, true_nav, official, price, shares_out, regime, units, inventory, bound, status)


__all__ = ["decide_ap_orders_numpy", "simulate_paths_numpy"]
