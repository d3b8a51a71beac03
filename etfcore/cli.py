"""The ``etfcore`` command line.

``etfcore demo`` prices a bundled synthetic broad investment-grade ETF (about 2,500
bonds) from a Treasury curve plus each bond's z-spread and prints its risk, its NAV
on the bid, mid and ask side, and its creation/redemption arbitrage band in normal
and stress markets: what a new user runs first.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import numpy as np


def _demo(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    from . import arbitrage_band, key_rate_durations, price_bonds
    from .bonds.dates import to_timestamps
    from .market import synthetic_market

    market = synthetic_market(seed=args.seed)
    etf = market.etfs[args.etf]
    t_build = time.perf_counter() - t0

    # the fund's bonds, priced from the Treasury curve plus each bond's z-spread
    bonds = etf.bonds(market)
    spread = market.z_spread.reindex(bonds.ids)
    t1 = time.perf_counter()
    res = price_bonds(bonds, market.curve, market.settlement, spread=spread)
    t_price = time.perf_counter() - t1
    t2 = time.perf_counter()
    krd = key_rate_durations(bonds, market.curve, market.settlement, spread=spread)
    t_krd = time.perf_counter() - t2

    par = etf.holdings.reindex(bonds.ids).to_numpy()
    mv = par * res["dirty_price"].to_numpy() / 100.0
    w = mv / mv.sum()
    krd_port = (krd.mul(w, axis=0)).sum()
    settle = to_timestamps(np.int64(market.settlement))
    print(f"etfcore demo: synthetic {args.etf} ETF (seed {args.seed})")
    print(
        f"  settlement {settle:%Y-%m-%d}; {len(bonds):,} bonds from "
        f"{bonds.attributes['issuer'].nunique():,} issuers; "
        f"{bonds.cashflows(market.settlement).payment.size:,} future cash flows"
    )
    print(f"  market value        ${mv.sum() / 1e9:,.2f} bn (par ${par.sum() / 1e9:,.2f} bn)")
    print(f"  yield to maturity   {np.dot(w, res['yield_to_maturity']):.3%} (value-weighted)")
    print(f"  z-spread            {np.dot(w, res['z_spread']) * 1e4:,.1f} bp")
    print(f"  modified duration   {np.dot(w, res['modified_duration']):.2f} years")
    print(f"  spread duration     {np.dot(w, res['spread_duration']):.2f} years")
    print(f"  convexity           {np.dot(w, res['convexity']):.1f}")
    dv01 = float((par * res["dv01"].to_numpy() / 100.0).sum())
    print(f"  DV01                ${dv01:,.0f} per bp")
    print(
        "  key-rate durations  "
        + "  ".join(
            f"{_tenor(t)}:{abs(v) if abs(v) < 0.005 else v:.2f}" for t, v in krd_port.items()
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
        band = arbitrage_band(etf, market, regime=regime)
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
    print(
        f"  timings             market {t_build * 1e3:,.0f} ms, price+yield+risk "
        f"{t_price * 1e3:,.1f} ms, key rates {t_krd * 1e3:,.1f} ms, NAVs {t_nav * 1e3:,.1f} ms, "
        f"bands {t_band * 1e3:,.0f} ms (a first run includes numba compilation)"
    )
    return 0


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
