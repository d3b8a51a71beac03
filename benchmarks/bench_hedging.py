"""The hedging layer against plain numpy/pandas versions of the same formulas, same inputs.

Usage::

    python benchmarks/bench_hedging.py [--quick] [--repeat R] [--no-cold-start]

Issue 8's speed targets ("How fast"), each timed against a plain version written here and
checked equal to it first:

1. **Hedge-cost surface**: ``hedge_cost_curve`` for 8 instruments (the synthetic market's five
   ETFs plus renamed copies of three of them) x 50 sizes x 5 horizons x 2 regimes x 2 sides
   (8,000 cells), target < 0.5 s. *Cold* is the first call in the process (each instrument's
   band, liquidity model, AP capacity, premium Monte Carlo and dealer-flow grid per regime;
   a renamed copy shares its fund's inputs); *warm* a repeat call (those inputs cached). The
   fresh-process rows time the curve alone in a new interpreter, with the renamed copies and
   with three distinct funds (every other bond) in their place. The plain version takes the
   same per-instrument inputs (``leg_inputs``) and computes each cell on its own: a numpy
   array over the split grid of the execution cost, the holding cost with the dealer-flow
   push interpolated per cell, one dict per cell, then a DataFrame.
2. **Hedge selection**: ``select_hedge`` for a 1,000-bond basket (seeded, live bonds of every
   grade) over 8 candidates (the five ETFs plus three funds holding every other bond of
   IG_BROAD, HY and IG_SHORT: renamed identical copies would be refused as identical risk)
   with K = 3, target < 0.2 s. The plain version starts from the same per-bond analytics
   (the market's per-bond risk table) and the same factor covariance, builds the loadings
   with pandas groupbys, the idiosyncratic and basis terms, and solves every subset of at most
   3 candidates by brute force (``numpy.linalg.solve``; no bounds bind here).
3. **Curve queries**: ``HedgeCostCurve.cost()`` for 10,000 notionals at once, target < 10 ms,
   against a Python loop (``bisect`` and linear interpolation per query) and against calling
   ``cost()`` once per query.

Timed after a warm-up call, best of ``--repeat`` (the plain per-cell surface fewer times).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from etfcore.hedging import hedge_cost_curve, select_hedge
from etfcore.hedging.cost import (
    BORROW_DAY_COUNT,
    CHANNELS,
    COMPONENTS,
    DEFAULT_PARAMETERS,
    leg_inputs,
)
from etfcore.hedging.curve import COLUMNS, DEFAULT_HORIZONS_DAYS, DEFAULT_NOTIONALS_USD
from etfcore.hedging.risk import _universe_table
from etfcore.hedging.selection import (
    BASIS_VOL_BP,
    IDIOSYNCRATIC_VOL_BP,
    STRESS_MULTIPLIERS,
    factor_covariance,
)
from etfcore.market import synthetic_market
from etfcore.state import REGIMES, TRADE_SIDES

#: Plain surface vs hedge_cost_curve: the same float operations, summed in another order.
SURFACE_ATOL_BP = 1e-9
#: Plain brute force vs select_hedge: notionals (relative) and variance reduction (absolute).
HEDGE_RTOL = 1e-6
VR_ATOL = 1e-9
#: Python-loop interpolation vs cost(): bp.
QUERY_ATOL_BP = 1e-9
TARGETS_S = {"surface": 0.5, "selection": 0.2, "queries": 0.010}


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# --------------------------------------------------------------------- 1. the cost surface
def surface_instruments(market: Any) -> list:
    """The five synthetic ETFs plus renamed copies of the first three (as the curve's tests)."""
    base = [market.etfs[n] for n in sorted(market.etfs)]
    return base + [e.replace(name=f"{e.name}_B") for e in base[:3]]


def plain_surface(inputs: dict, notionals: np.ndarray, horizons: np.ndarray) -> pd.DataFrame:
    """Every cell on its own: execution over the split grid (a numpy array), holding, a row."""
    p = DEFAULT_PARAMETERS
    grid = np.linspace(1.0, 0.0, p.split_steps + 1)
    rows = []
    for (name, regime), x in inputs.items():
        k = x.model._k(regime)
        sigma = x.model.daily_volatility_bp(regime)
        adv = x.model.daily_volume_usd(regime)
        cap = x.capacity_usd_per_day
        sd = x.premium_sd_bp
        for side in TRADE_SIDES:
            a, f, c = x.band_terms[side]
            rate = p.borrow_rate(regime) if side == "sell" else 0.0
            for h in horizons:
                for q in notionals:
                    w_cap = min(max(1.0 - cap / q, 0.0), 1.0) if q > 0 else 1.0
                    w = np.append(grid, w_cap)
                    qs, qp = q * w, q * (1.0 - w)
                    impact = k * sigma * np.sqrt(qs / adv)
                    official = a + f + c * np.sqrt(np.maximum(qp / x.unit_value_usd, 1.0))
                    band = np.abs(((1.0 + official * 1e-4) * x.nav_ratio - 1.0) * 1e4)
                    wait = np.maximum(qp / cap - 1.0, 0.0)
                    waiting = p.risk_aversion * x.daily_volatility_bp * np.sqrt(wait / 3.0)
                    parts = {
                        "half_spread_bp": w * x.half_spread_bp,
                        "impact_bp": w * impact,
                        "primary_bp": (1.0 - w) * band,
                        "waiting_risk_bp": (1.0 - w) * waiting,
                    }
                    total = parts["half_spread_bp"] + parts["impact_bp"]
                    total = total + parts["primary_bp"] + parts["waiting_risk_bp"]
                    j = int(np.argmin(np.round(total, 12)))
                    row: dict[str, Any] = {
                        "instrument": name,
                        "trade_side": side,
                        "notional_usd": q,
                        "horizon_days": h,
                        "regime": regime,
                    }
                    for key, v in parts.items():
                        row[key] = float(v[j])
                    row["borrow_bp"] = rate * h / BORROW_DAY_COUNT * 1e4
                    row["basis_risk_bp"] = p.risk_aversion * p.basis_vol_bp(regime) * np.sqrt(h)
                    row["premium_risk_bp"] = p.risk_aversion * float(
                        np.interp(h, np.arange(sd.size), sd)
                    ) + plain_push(x, side, q, h)
                    row["cost_bp"] = sum(row[key] for key in COMPONENTS)
                    row["cost_usd"] = row["cost_bp"] * 1e-4 * q
                    row["channel"] = CHANNELS[0 if w[j] >= 1 else 1 if w[j] <= 0 else 2]
                    rows.append(row)
    out = pd.DataFrame(rows)[list(COLUMNS)]
    keys = ["instrument", "trade_side", "regime", "horizon_days", "notional_usd"]
    return out.sort_values(keys).reset_index(drop=True)


def plain_push(x: Any, side: str, q: float, h: float) -> float:
    """The dealer-flow push of one cell: linear in horizon, then in sqrt(notional)."""
    if x.push_bp is None:
        return 0.0
    table = x.push_bp[side]
    hs = x.push_horizons_days
    row = [float(np.interp(h, hs, table[:, j])) for j in range(table.shape[1])]
    return float(np.interp(np.sqrt(q), np.sqrt(x.push_notionals_usd), row))


def check_surface(got: pd.DataFrame, want: pd.DataFrame) -> None:
    keys = ["instrument", "trade_side", "regime", "horizon_days", "notional_usd"]
    got = got.sort_values(keys).reset_index(drop=True)
    for c in COLUMNS:
        if c in ("instrument", "trade_side", "regime", "channel"):
            assert (got[c].astype(str) == want[c].astype(str)).all(), c
        elif c == "cost_usd":
            np.testing.assert_allclose(got[c], want[c], rtol=1e-12, atol=1e-6, err_msg=c)
        else:
            np.testing.assert_allclose(got[c], want[c], rtol=0, atol=SURFACE_ATOL_BP, err_msg=c)


# --------------------------------------------------------------------- 2. hedge selection
def selection_inputs(market: Any, n_bonds: int, seed: int = 1) -> tuple[pd.DataFrame, dict]:
    """A seeded basket of live bonds (every grade) and 8 candidate ETFs with distinct risk."""
    rng = np.random.default_rng(seed)
    live = market.bonds.ids[np.asarray(market.bonds.maturity) > market.settlement]
    ids = rng.choice(np.asarray(live), n_bonds, replace=False)
    basket = pd.DataFrame({"id": ids, "par": rng.uniform(1e6, 5e6, n_bonds)})
    etfs = dict(market.etfs)
    for name in ("IG_BROAD", "HY", "IG_SHORT"):
        e = market.etfs[name]
        etfs[f"{name}_B"] = e.replace(name=f"{name}_B", holdings=e.holdings.iloc[::2])
    return basket, etfs


def _plain_loadings(lines: pd.DataFrame, factors: list[str], tenors: list[str]) -> np.ndarray:
    """USD per bp of each factor of per-bond lines (pandas groupbys)."""
    out = pd.Series(0.0, index=factors)
    for t in tenors:
        out[f"rate_{t}y"] = float((lines["market_value_usd"] * lines[f"krd_{t}y"] * 1e-4).sum())
    credit = lines[~lines["government"]]
    for prefix in ("rating", "sector"):
        sums = credit.groupby(prefix)["cs01_usd"].sum()
        out[[f"{prefix}_{k}" for k in sums.index]] = sums.to_numpy()
    return out.to_numpy()


def _plain_kind(lines: pd.DataFrame) -> str:
    cs01 = lines["cs01_usd"].abs().sum()
    credit = lines["cs01_usd"].where(~lines["government"], 0.0).abs()
    hy = credit[lines["rating"].isin(["BB", "B", "CCC", "CC", "C", "D", "HY"])].sum()
    if cs01 <= 0 or credit.sum() < 0.05 * cs01:
        return "government"
    return "high_yield" if hy > 0.5 * credit.sum() else "investment_grade"


def plain_selection(
    basket: pd.DataFrame,
    etfs: dict,
    table: pd.DataFrame,
    cov: pd.DataFrame,
    nav: dict[str, float],
    k: int,
    stress: bool,
) -> tuple[tuple[str, ...], np.ndarray, float]:
    """Brute-force best subset (numpy) from the per-bond risk table (1 USD mm par per bond)."""
    factors = list(cov.index)
    tenors = [c[4:-1] for c in table.columns if c.startswith("krd_")]
    par = basket.groupby("id", sort=False)["par"].sum()
    holdings = [par] + [etfs[n].holdings for n in etfs]
    scale = [1.0] + [1.0 / (nav[n] * etfs[n].shares_outstanding) for n in etfs]
    vol = table["rating"].map(IDIOSYNCRATIC_VOL_BP).fillna(IDIOSYNCRATIC_VOL_BP["BBB"])
    vol = vol.where(~table["government"], IDIOSYNCRATIC_VOL_BP["govt"])
    mult = STRESS_MULTIPLIERS["idiosyncratic"] if stress else 1.0
    x, e, kinds = [], [], []
    for h, s in zip(holdings, scale, strict=True):
        lines = table.loc[h.index].copy()
        units = h.to_numpy() / 1e6
        for c in ("market_value_usd", "cs01_usd"):
            lines[c] = lines[c] * units
        x.append(_plain_loadings(lines, factors, tenors) * s)
        idio = pd.Series(0.0, index=table.index)
        idio.loc[h.index] = (lines["cs01_usd"] * vol.loc[h.index]).to_numpy() * mult * s
        e.append(idio.to_numpy())
        kinds.append(_plain_kind(lines))
    xm, em = np.array(x), np.array(e)
    full = xm @ cov.to_numpy() @ xm.T + em @ em.T
    basis_mult = STRESS_MULTIPLIERS["basis"] if stress else 1.0
    basis = np.array([BASIS_VOL_BP[kind] * basis_mult for kind in kinds[1:]])
    full[1:, 1:] += np.diag((basis * 1e-4) ** 2)
    v0, c, cm = full[0, 0], full[0, 1:], full[1:, 1:]
    names = list(etfs)
    best_var, best_w = np.inf, np.zeros(0)
    best_sub: tuple[int, ...] = ()
    for size in range(1, k + 1):
        for sub in itertools.combinations(range(len(names)), size):
            s_ = list(sub)
            w = np.linalg.solve(cm[np.ix_(s_, s_)], -c[s_])
            var = v0 + 2 * w @ c[s_] + w @ cm[np.ix_(s_, s_)] @ w
            if var < best_var - 1e-12 * v0:
                best_var, best_sub, best_w = var, sub, w
    return tuple(names[j] for j in best_sub), best_w, float(1 - best_var / v0)


# --------------------------------------------------------------------- 3. curve queries
def plain_queries(frame: pd.DataFrame, key: tuple, q: list[float], h: float) -> list[float]:
    """A Python loop: bisect in the horizon and notional grids, linear interpolation."""
    inst, side, regime = key
    g = frame[(frame.instrument == inst) & (frame.trade_side == side) & (frame.regime == regime)]
    table = g.pivot(index="horizon_days", columns="notional_usd", values="cost_bp")
    hs = [float(v) for v in table.index]
    qs = [float(v) for v in table.columns]
    rows = [[float(v) for v in r] for r in table.to_numpy()]
    j = max(bisect.bisect_right(hs, h) - 1, 0)
    if j + 1 < len(hs) and h > hs[j]:
        t = (h - hs[j]) / (hs[j + 1] - hs[j])
        row = [(1 - t) * a + t * b for a, b in zip(rows[j], rows[j + 1], strict=True)]
    else:
        row = rows[j]
    out = []
    for v in q:
        i = bisect.bisect_right(qs, v) - 1
        if i < 0:
            out.append(row[0])
        elif i >= len(qs) - 1:
            out.append(row[-1])
        else:
            t = (v - qs[i]) / (qs[i + 1] - qs[i])
            out.append(row[i] + t * (row[i + 1] - row[i]))
    return out


def cold_start(distinct: bool = False) -> tuple[float, float, float]:
    """(import + market + curve, the curve alone, its CPU time), seconds, in a fresh process.

    CPU time (``time.process_time``) is the steadier figure on a machine other jobs
    share: the wall time of a cold call there has varied by 3x from run to run.

    ``distinct``: the three extra instruments hold every other bond of their fund (8
    different funds, nothing shared) instead of being renamed copies.
    """
    extra = (
        "e.replace(name=e.name+'_B', holdings=e.holdings.iloc[::2])"
        if distinct
        else "e.replace(name=e.name+'_B')"
    )
    code = (
        "import time; t=time.perf_counter(); from etfcore.market import synthetic_market; "
        "from etfcore.hedging import hedge_cost_curve; m=synthetic_market(0); "
        f"b=[m.etfs[n] for n in sorted(m.etfs)]; i=b+[{extra} for e in b[:3]]; "
        "t1=time.perf_counter(); c1=time.process_time(); hedge_cost_curve(m, i); "
        "t2=time.perf_counter(); print(t2-t, t2-t1, time.process_time()-c1)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    total, curve, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(total), float(curve), float(cpu)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, no fresh-process row")
    ap.add_argument("--repeat", type=int, default=None, help="repeats (default 5, quick 3)")
    ap.add_argument("--no-cold-start", action="store_true", help="skip the fresh-process row")
    args = ap.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)
    t0 = time.perf_counter()
    market = synthetic_market(0)
    t_market = time.perf_counter() - t0
    print(
        f"etfcore hedging benchmark: synthetic_market(0) ({len(market.bonds):,} bonds, built in "
        f"{t_market:.2f} s); {os.cpu_count()} CPUs; best of {repeat}"
    )
    rows: list[tuple[str, float, float | None, str, float | None]] = []

    # 1. surface
    inst = surface_instruments(market)
    q = np.asarray(DEFAULT_NOTIONALS_USD)
    h = np.asarray(DEFAULT_HORIZONS_DAYS)
    t, c = time.perf_counter(), time.process_time()
    curve = hedge_cost_curve(market, inst)
    t_cold, c_cold = time.perf_counter() - t, time.process_time() - c
    t_warm = best(lambda: hedge_cost_curve(market, inst), repeat)
    inputs = {
        (e.name, r): leg_inputs(e, market, r, None, None, max_horizon_days=max(20.0, h.max()))
        for e in inst
        for r in REGIMES
    }
    want = plain_surface(inputs, q, h)
    check_surface(curve.to_frame(), want)
    n_cells = len(curve.to_frame())
    print(
        f"  surface: {len(inst)} instruments x {q.size} sizes x {h.size} horizons x "
        f"{len(REGIMES)} regimes x {len(TRADE_SIDES)} sides = {n_cells:,} cells; "
        f"hedge_cost_curve == plain per-cell version (atol {SURFACE_ATOL_BP:g} bp)"
    )
    t_plain = best(lambda: plain_surface(inputs, q, h), max(1, repeat - 2))
    rows.append(("surface, warm (inputs cached)", t_warm, t_plain, "plain per-cell", 0.5))
    rows.append(("surface, cold (first call: bands, premium MC)", t_cold, None, "", 0.5))
    rows.append(("  its CPU time", c_cold, None, "", 0.5))
    if not (args.quick or args.no_cold_start):
        total, alone, cpu = cold_start()
        rows.append(("surface, fresh process: import+market+curve", total, None, "", None))
        rows.append(("surface, fresh process: the curve", alone, None, "", 0.5))
        rows.append(("  its CPU time", cpu, None, "", 0.5))
        total, alone, cpu = cold_start(distinct=True)
        rows.append(("  8 distinct funds: the curve", alone, None, "", 0.5))
        rows.append(("  its CPU time", cpu, None, "", 0.5))

    # 2. selection
    basket, etfs = selection_inputs(market, 1_000)
    t, c = time.perf_counter(), time.process_time()
    hsel = select_hedge(basket, market, etfs, 3)
    t_sel_cold, c_sel_cold = time.perf_counter() - t, time.process_time() - c
    t_sel = best(lambda: select_hedge(basket, market, etfs, 3), repeat)
    table = _universe_table(market)
    cov = factor_covariance(market)
    nav = {n: float(e.nav(market)) for n, e in etfs.items()}
    stress = market.regime == "stress"
    names, w, vr = plain_selection(basket, etfs, table, cov, nav, 3, stress)
    got = hsel.notional_usd
    assert tuple(sorted(got.index)) == tuple(sorted(names)), (list(got.index), names)
    np.testing.assert_allclose(got[list(names)].to_numpy(), w, rtol=HEDGE_RTOL)
    np.testing.assert_allclose(hsel.variance_reduction, vr, atol=VR_ATOL)
    print(
        f"  selection: 1,000 bonds, {len(etfs)} candidates, K=3 ({hsel.subsets_evaluated} "
        f"subsets): {', '.join(f'{n} {v / 1e6:+,.0f}mm' for n, v in got.items())}; variance "
        f"reduction {hsel.variance_reduction:.4f}; == plain brute force (rtol {HEDGE_RTOL:g})"
    )
    t_sel_plain = best(
        lambda: plain_selection(basket, etfs, table, cov, nav, 3, stress), max(1, repeat - 2)
    )
    rows.append(
        ("selection, warm (fund risk cached)", t_sel, t_sel_plain, "plain brute force", 0.2)
    )
    rows.append(("selection, first call (per-bond table, 8 funds)", t_sel_cold, None, "", 0.2))
    rows.append(("  its CPU time", c_sel_cold, None, "", 0.2))

    # 3. queries
    rng = np.random.default_rng(0)
    queries = rng.uniform(1e6, 1e10, 10_000)
    key = ("HY", "buy", "stress")
    horizon = 3.5
    got_q = curve.cost("HY", queries, horizon, "stress", "buy")
    frame = curve.to_frame()
    want_q = plain_queries(frame, key, queries.tolist(), horizon)
    np.testing.assert_allclose(got_q, want_q, rtol=0, atol=QUERY_ATOL_BP)
    ql = queries.tolist()
    t_q = best(lambda: curve.cost("HY", queries, horizon, "stress", "buy"), max(repeat, 20))
    t_q_loop = best(lambda: plain_queries(frame, key, ql, horizon), repeat)
    t_q_calls = best(lambda: [curve.cost("HY", v, horizon, "stress", "buy") for v in ql], 1)
    print(
        f"  queries: 10,000 notionals of HY (buy, stress, {horizon} days) == Python loop "
        f"(atol {QUERY_ATOL_BP:g} bp)"
    )
    rows.append(("cost(), 10,000 notionals at once", t_q, t_q_loop, "Python loop", 0.010))
    rows.append(("cost(), one call per query", t_q_calls, None, "", None))

    print()
    print(f"  {'measurement':<46s} {'etfcore':>11s} {'plain':>11s} {'ratio':>8s}  target")
    ok = True
    for name, t_e, t_p, _, target in rows:
        plain = f"{t_p * 1e3:9.1f}ms" if t_p is not None else ""
        ratio = f"{t_p / t_e:7.1f}x" if t_p is not None else ""
        tgt = ""
        if target is not None:
            met = t_e < target
            tgt = f"< {target * 1e3:,.0f} ms: {'met' if met else 'MISSED'}"
            if t_p is not None:
                ok &= met
        print(f"  {name:<46s} {t_e * 1e3:9.1f}ms {plain:>11s} {ratio:>8s}  {tgt}")
    print(
        "  plain: surface = a numpy array per cell over the split grid; selection = pandas "
        "loadings + numpy brute force; queries = bisect per query. Targets apply to the warm rows."
    )
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    raise SystemExit(main())
