"""The multi-dealer RFQ against a plain pandas version of the same pricing, same inputs.

Usage::

    python benchmarks/bench_rfq.py [--quick] [--repeat R] [--no-cold-start]

Issue 9's target ("How fast"): an RFQ with 5 dealers on a 1,000-line basket in under 0.2 s
(warm). Inputs: ``synthetic_market(0)``, a seeded 1,000-line basket of live bonds of every
grade (par $1-5mm, some lines on the dealers' axes), ``dealer_panel(market, 5, seed=0)``.

* **etfcore**: :func:`etfcore.trading.run_rfq`. The dealers share what does not depend on
  them: the lines, their liquidity features and cash flows, and the hedge selection (one
  per number of ETF legs: 5 dealers, at most 3 selections, and each dealer compares no
  hedge and at most 1..K ETFs on those same selections); each dealer's working cost is
  one vectorised ``legging_breakdown`` call on the cached features.
* **plain**: the same formulas dealer by dealer with nothing shared: the basket lines, the
  hedges (``select_hedge`` for K = 1..max_instruments, every dealer), each leg from the
  dealer's curve less its basis component, the choice of the cheapest, the offsets
  by a pandas merge, ``legging_breakdown`` on a fresh BondSet, the backstop routing by a
  loop over rows, the quote's basket spread by Newton on ``price_bonds`` (the numba pricer)
  at one spread, and the allocation by a pandas sort for the largest remainders.

The two must agree first (every all-in price to the cent, the spreads to 1e-6 bp, the
allocation line by line); then best of ``--repeat`` after a warm-up call. *First call*
is the first RFQ in the process after the panel is built (the curve and the backstop are
built by ``dealer_panel``, timed on its own); *fresh process* is import + market + panel +
RFQ in a new interpreter.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from etfcore.bonds.pricing import price_bonds
from etfcore.hedging import select_hedge
from etfcore.hedging.risk import etf_lines
from etfcore.hedging.selection import BASIS_VOL_BP, STRESS_MULTIPLIERS, _fund_kind
from etfcore.market import synthetic_market
from etfcore.trading import dealer_panel, run_rfq
from etfcore.trading._lines import basket_lines

#: All-in prices agree to the cent; basket spreads to 1e-6 bp.
PRICE_ATOL_USD = 0.005
SPREAD_ATOL_BP = 1e-6
TARGET_S = 0.2
N_LINES = 1_000
N_DEALERS = 5


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def rfq_inputs(market: Any, n_lines: int = N_LINES, seed: int = 1) -> tuple[pd.DataFrame, list]:
    panel = dealer_panel(market, N_DEALERS, seed=0)
    rng = np.random.default_rng(seed)
    b = market.bonds
    live = np.asarray(b.ids[np.asarray(b.maturity) > market.settlement + 30])
    axed = np.unique(np.concatenate([np.asarray(d.axes.index[:10]) for d in panel]))
    rest = rng.choice(np.setdiff1d(live, axed), n_lines - axed.size, replace=False)
    ids = np.concatenate([axed, rest])
    return pd.DataFrame({"id": ids, "par": rng.uniform(1e6, 5e6, ids.size).round(-3)}), panel


# ---------------------------------------------------------------------- the plain version
def _plain_spread_bp(bonds: Any, market: Any, par: pd.Series, target: float) -> float:
    s = 0.0
    for _ in range(50):
        p = price_bonds(bonds, market.curve, market.settlement, s)
        value = float((p["dirty_price"] * par).sum() / 100)
        slope = -float((p["spread_duration"] * p["dirty_price"] * par).sum() / 100)
        step = (value - target) / slope
        s -= step
        if abs(step) < 1e-13:
            break
    return s * 1e4


def _plain_quote(d: Any, lines: pd.DataFrame, market: Any, side: str) -> dict:
    sign = 1.0 if side == "sell" else -1.0
    regime = market.regime
    frame = lines[["par_usd", "market_value_usd"]].copy()
    frame["axis"] = frame.join(d.axes.rename("a"))["a"].fillna(0.0)
    frame["inv"] = frame.join(d.inventory.rename("i"))["i"].fillna(0.0)
    if side == "sell":
        room = frame["axis"].clip(lower=0) + (-frame["inv"]).clip(lower=0)
    else:
        room = (-frame["axis"]).clip(lower=0) + frame["inv"].clip(lower=0)
    frame["offset"] = np.minimum(frame["par_usd"], room)
    frame["live_usd"] = frame["market_value_usd"] * (1 - frame["offset"] / frame["par_usd"])
    names = [n for n in d.curve.instruments if n in market.etfs]
    pos = pd.DataFrame({"id": lines.index, "par": sign * lines["par_usd"].to_numpy()})
    table = d.curve.to_frame()
    scale = d.risk_aversion * math.sqrt(d.horizon_days / 3.0)
    mult = STRESS_MULTIPLIERS["basis"] if regime == "stress" else 1.0
    options = []  # (total, k, hedge, risk): no hedge, then at most 1..K ETFs
    for k in range(1, min(d.max_instruments, len(names)) + 1):
        h = select_hedge(
            pos, market, candidates={n: market.etfs[n] for n in names}, max_instruments=k
        )
        if k == 1:
            options.append((scale * h.basket_vol_usd, 0, h, 0.0))
        hedge, var = 0.0, h.tracking_vol_usd**2
        for inst, q in h.notional_usd.items():
            side_q = "sell" if q < 0 else "buy"
            rows = table[
                (table["instrument"] == inst)
                & (table["trade_side"] == side_q)
                & (table["regime"] == regime)
            ]
            by_h = rows.groupby("horizon_days")["basis_risk_bp"].first()
            basis = np.interp(d.horizon_days, by_h.index.to_numpy(), by_h.to_numpy())
            bp = d.curve.cost(inst, abs(q), d.horizon_days, regime, side_q) - basis
            hedge += bp * abs(q) * 1e-4
            b = BASIS_VOL_BP[_fund_kind(etf_lines(market.etfs[inst], market))] * mult
            var -= (b * 1e-4 * q) ** 2
        options.append((hedge + scale * math.sqrt(max(var, 0.0)), k, h, hedge))
    best_total = min(o[0] for o in options)
    _, _, h, hedge = next(o for o in options if o[0] == best_total)
    risk = best_total - hedge
    bonds = market.bonds.select(lines.index)
    leg = market.liquidity.legging_breakdown(
        bonds,
        frame["live_usd"],
        d.horizon_days,
        regime,
        side,
        settlement_date=market.settlement,
    )
    frame["working_bp"] = leg["half_spread_bp"] + leg["impact_bp"]
    frame["channel"] = np.where(frame["live_usd"] > 0, "secondary", "axed")
    if side == "sell":
        for b in d.backstops:
            held = frame.index.isin(market.etfs[b.etf_name].holdings.index)
            free = held & (frame["channel"] == "secondary").to_numpy()
            room_usd = b.capacity_by_regime[regime] * d.horizon_days
            total = min(frame.loc[free, "live_usd"].sum(), room_usd)
            if not total > 0:
                continue
            cbp = b.creation_cost_bp(total, regime)
            cand = frame[free].assign(saving=lambda f, c=cbp: f["working_bp"] - c)
            used = 0.0
            for i, row in cand.sort_values("saving", ascending=False, kind="stable").iterrows():
                if not row["saving"] > 0 or used + row["live_usd"] > room_usd:
                    break
                used += row["live_usd"]
                frame.loc[i, "channel"] = f"creation:{b.etf_name}"
                frame.loc[i, "working_bp"] = cbp
    frame["working_usd"] = frame["working_bp"] * frame["live_usd"] * 1e-4
    mv = frame["market_value_usd"].sum()
    margin = d.margin_bp * mv * 1e-4
    cost = hedge + frame["working_usd"].sum() + risk + margin
    all_in = round(mv - sign * cost, 2)
    dv01 = h.basket.to_frame()["dv01_usd"].abs()
    w = dv01 / dv01.sum()
    frame["line_cost"] = (
        frame["working_usd"] + (hedge + risk) * w + margin * (frame["market_value_usd"] / mv)
    )
    spread = _plain_spread_bp(bonds, market, lines["par_usd"], all_in)
    return {"dealer": d.name, "all_in": all_in, "spread_bp": spread, "frame": frame}


def _plain_allocation(quote: dict, lines: pd.DataFrame, side: str) -> pd.Series:
    sign = 1.0 if side == "sell" else -1.0
    v = (lines["market_value_usd"] - sign * quote["frame"]["line_cost"]) * 100
    floor = np.floor(v)
    rem = (v - floor).rename("rem").to_frame().reset_index()
    short = int(round(quote["all_in"] * 100)) - int(floor.sum())
    top = rem.sort_values("rem", ascending=False, kind="stable").head(short)["id"]
    cents = floor + floor.index.isin(top)
    return (cents / 100).rename("value_usd")


def plain_rfq(basket: pd.DataFrame, market: Any, panel: list, direction: str) -> tuple:
    side = "sell" if direction == "client_sells" else "buy"
    _, lines = basket_lines(basket.assign(trade_side=side), market)
    quotes = [_plain_quote(d, lines, market, side) for d in panel]
    table = pd.DataFrame([{k: q[k] for k in ("dealer", "all_in", "spread_bp")} for q in quotes])
    table = table.set_index("dealer").sort_values("all_in", ascending=side == "buy", kind="stable")
    win = next(q for q in quotes if q["dealer"] == table.index[0])
    return table, _plain_allocation(win, lines, side)


def check(result: Any, plain: tuple) -> None:
    table, alloc = plain
    q = result.quotes
    assert list(q.index) == list(table.index), (list(q.index), list(table.index))
    np.testing.assert_allclose(q["all_in_price_usd"], table["all_in"], rtol=0, atol=PRICE_ATOL_USD)
    np.testing.assert_allclose(q["spread_bp"], table["spread_bp"], rtol=0, atol=SPREAD_ATOL_BP)
    a = result.allocation["value_usd"]
    np.testing.assert_allclose(a, alloc.reindex(a.index), rtol=0, atol=PRICE_ATOL_USD)


def cold_start() -> float:
    code = (
        "import time; t=time.perf_counter(); import numpy as np, pandas as pd; "
        "from etfcore.market import synthetic_market; "
        "from etfcore.trading import dealer_panel, run_rfq; m=synthetic_market(0); "
        "p=dealer_panel(m, 5); b=m.bonds; live=b.ids[np.asarray(b.maturity) > m.settlement+30]; "
        "ids=np.random.default_rng(1).choice(np.asarray(live), 1000, replace=False); "
        "run_rfq(pd.DataFrame({'id': ids, 'par': 2e6}), m, p); print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, no fresh-process row")
    ap.add_argument("--repeat", type=int, default=None, help="repeats (default 7, quick 3)")
    ap.add_argument("--no-cold-start", action="store_true", help="skip the fresh-process row")
    args = ap.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 7)
    t0 = time.perf_counter()
    market = synthetic_market(0)
    t_market = time.perf_counter() - t0
    print(
        f"etfcore RFQ benchmark: synthetic_market(0) ({len(market.bonds):,} bonds, built in "
        f"{t_market:.2f} s); {os.cpu_count()} CPUs; best of {repeat}"
    )
    t = time.perf_counter()
    basket, panel = rfq_inputs(market)
    t_panel = time.perf_counter() - t
    rows: list[tuple[str, float, float | None, float | None]] = []
    for regime in ("normal", "stress"):
        m = market if regime == "normal" else market.with_regime("stress")
        for direction in ("client_sells", "client_buys"):
            t = time.perf_counter()
            r = run_rfq(basket, m, panel, direction=direction)
            t_first = time.perf_counter() - t
            check(r, plain_rfq(basket, m, panel, direction))
            t_warm = best(lambda m=m, d=direction: run_rfq(basket, m, panel, direction=d), repeat)
            t_plain = best(
                lambda m=m, d=direction: plain_rfq(basket, m, panel, d), max(1, repeat - 4)
            )
            q = r.quotes
            print(
                f"  {regime:6s} {direction:12s}: {len(r.allocation):,} lines, "
                f"${r.market_value_usd / 1e9:,.2f}bn; winner {r.winner} "
                f"{q['cost_bp'].iloc[0]:.2f} bp, cover {r.cover} {q['cost_bp'].iloc[1]:.2f} bp; "
                f"{len(r.winning_quote.hedge.notional_usd)} hedge legs; == plain (prices to the "
                f"cent, spreads to {SPREAD_ATOL_BP:g} bp, allocation line by line)"
            )
            label = f"run_rfq {regime}, {direction}, warm"
            rows.append((label, t_warm, t_plain, TARGET_S))
            if regime == "normal" and direction == "client_sells":
                rows.append(("run_rfq first call (after the panel)", t_first, None, None))
    rows.append(("dealer_panel(5) first call (curve, backstop)", t_panel, None, None))
    if not (args.quick or args.no_cold_start):
        rows.append(("fresh process (import+market+panel+RFQ)", cold_start(), None, None))

    print()
    print(f"  {'measurement':<46s} {'etfcore':>11s} {'plain':>11s} {'ratio':>8s}  target")
    ok = True
    for name, t_e, t_p, target in rows:
        plain = f"{t_p * 1e3:9.1f}ms" if t_p is not None else ""
        ratio = f"{t_p / t_e:7.1f}x" if t_p is not None else ""
        tgt = ""
        if target is not None:
            met = t_e < target
            ok &= met
            tgt = f"< {target * 1e3:,.0f} ms: {'met' if met else 'MISSED'}"
        print(f"  {name:<46s} {t_e * 1e3:9.1f}ms {plain:>11s} {ratio:>8s}  {tgt}")
    print(
        f"  {N_DEALERS} dealers, {N_LINES:,} lines. plain = dealer by dealer with nothing "
        "shared (a selection per dealer, fresh BondSet features, price_bonds Newton for the "
        "spread, pandas loops for backstop routing and cents). Targets apply to the warm rows."
    )
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    raise SystemExit(main())
