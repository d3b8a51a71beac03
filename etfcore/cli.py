"""The ``etfcore`` command line.

``etfcore demo`` prices a bundled synthetic broad investment-grade ETF (about 2,500
bonds) from a Treasury curve plus each bond's z-spread and prints its risk, its NAV
on the bid, mid and ask side, and its creation/redemption arbitrage band in normal
and stress markets, then a calm-vs-March-2020 simulation of its premium to NAV: what a
new user runs first.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np


def _demo(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    from . import arbitrage_band
    from .bonds.dates import to_timestamps
    from .fund import fund_risk
    from .market import synthetic_market

    market = synthetic_market(seed=args.seed)
    etf = market.etfs[args.etf]
    t_build = time.perf_counter() - t0

    # the fund's risk, from the Treasury curve plus each bond's z-spread (one owner:
    # etfcore.fund.fund_risk prices the bonds and computes the key-rate durations)
    bonds = etf.bonds(market)
    t1 = time.perf_counter()
    risk = fund_risk(etf, market)
    t_risk = time.perf_counter() - t1
    totals = risk.totals
    krd_port = risk.key_rate_durations
    settle = to_timestamps(np.int64(market.settlement))
    print(f"etfcore demo: synthetic {args.etf} ETF (seed {args.seed})")
    print(
        f"  settlement {settle:%Y-%m-%d}; {len(bonds):,} bonds from "
        f"{bonds.attributes['issuer'].nunique():,} issuers; "
        f"{bonds.cashflows(market.settlement).payment.size:,} future cash flows"
    )
    print(
        f"  market value        ${totals['market_value_usd'] / 1e9:,.2f} bn "
        f"(par ${totals['par_usd'] / 1e9:,.2f} bn)"
    )
    print(f"  yield to maturity   {totals['yield_to_maturity']:.3%} (value-weighted)")
    print(f"  z-spread            {totals['z_spread'] * 1e4:,.1f} bp")
    print(f"  modified duration   {totals['modified_duration']:.2f} years")
    print(f"  spread duration     {totals['spread_duration']:.2f} years")
    print(f"  convexity           {totals['convexity']:.1f}")
    print(f"  DV01                ${totals['dv01_usd']:,.0f} per bp")
    print(
        "  key-rate durations  "
        + "  ".join(
            f"{_tenor(float(t))}:{abs(v) if abs(v) < 0.005 else v:.2f}"
            for t, v in zip(krd_port.index, krd_port.to_numpy(), strict=True)
        )
    )

    t3 = time.perf_counter()
    navs = {regime: etf.navs(market.with_regime(regime)) for regime in ("normal", "stress")}
    t_nav = time.perf_counter() - t3
    print(
        f"  shares outstanding  {etf.shares_outstanding:,.0f} "
        f"(creation unit {etf.creation_unit_size:,})"
    )
    for regime, nav in navs.items():
        width = (nav["ask"] / nav["bid"] - 1) * 1e4
        print(
            f"  NAV ({regime:6s})     bid {nav['bid']:.4f}  mid {nav['mid']:.4f}  "
            f"ask {nav['ask']:.4f}  (bid-ask {width:.1f} bp; official NAV = bid)"
        )
    t4 = time.perf_counter()
    for regime in ("normal", "stress"):
        band = arbitrage_band(etf, market.with_regime(regime), regime=regime)
        print(
            f"  arbitrage band ({regime}): create above {band.create_bp:+.1f} bp, "
            f"redeem below {band.redeem_bp:+.1f} bp of official NAV"
        )
        comp = band.components
        top = comp.abs().sum(axis=1).sort_values(ascending=False).index[:4]
        print(
            "      largest costs (create / redeem, bp): "
            + "; ".join(
                f"{name} {comp.loc[name, 'create']:+.1f} / {comp.loc[name, 'redeem']:+.1f}"
                for name in top
            )
        )
    t_band = time.perf_counter() - t4
    t5 = time.perf_counter()
    _premium_simulations(etf, market, args.seed)
    t_sim = time.perf_counter() - t5
    print(
        f"  timings             market {t_build * 1e3:,.0f} ms, prices, yields and risk "
        f"incl. key rates {t_risk * 1e3:,.1f} ms, NAVs {t_nav * 1e3:,.1f} ms, "
        f"bands {t_band * 1e3:,.0f} ms, premium simulations {t_sim * 1e3:,.0f} ms "
        "(a first run includes numba compilation)"
    )
    return 0


#: Paths and days of the demo's premium simulations (fast; the benchmark runs 10,000 x 252).
DEMO_PATHS, DEMO_DAYS = 2_000, 60


def _premium_simulations(etf: Any, market: Any, seed: int) -> None:
    """Calm vs March 2020: the simulated premium to official NAV (etfcore.dynamics)."""
    from .dynamics import simulate_premium

    print(
        f"  premium to official NAV, simulated ({DEMO_PATHS:,} paths x {DEMO_DAYS} days, "
        "APs at work; etfcore.dynamics.simulate_premium):"
    )
    for name in ("calm", "march_2020"):
        sim = simulate_premium(etf, market, name, n_paths=DEMO_PATHS, n_days=DEMO_DAYS, seed=seed)
        p = sim.premium_bp
        lo, med, hi = np.percentile(p, [5, 50, 95])
        redeemed = sim.redemptions.sum() / DEMO_PATHS
        worst = np.median(p.min(axis=1))
        print(
            f"    {name:<11s} median {med:+7.1f} bp, 5-95% {lo:+7.1f} / {hi:+7.1f} bp, "
            f"worst (median path) {worst:+7.1f} bp; outside band "
            f"{sim.outside_band.mean():5.1%} of days, capacity bound "
            f"{sim.capacity_bound.mean():5.1%}, {redeemed:,.0f} units redeemed a path"
        )


def _tenor(t: float) -> str:
    return f"{t * 12:.0f}m" if t < 1 else f"{t:g}y"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``etfcore`` command."""
    parser = argparse.ArgumentParser(prog="etfcore", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="price a bundled synthetic ETF: risk, NAV, arbitrage band")
    demo.add_argument("--seed", type=int, default=0, help="synthetic market seed (default 0)")
    demo.add_argument(
        "--etf",
        default="IG_BROAD",
        choices=["IG_BROAD", "IG_SHORT", "IG_INTERMEDIATE", "HY", "TREASURY"],
        help="which synthetic ETF (default IG_BROAD)",
    )
    demo.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
