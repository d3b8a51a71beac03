"""The ``etfcore`` command line.

``etfcore demo`` prices a bundled synthetic broad investment-grade ETF portfolio
(about 2,500 bonds) from a Treasury curve plus each bond's z-spread and prints a
portfolio summary: what a new user runs first.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd


def _demo(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    from . import key_rate_durations, price_bonds
    from .bonds.dates import to_timestamps
    from .market.synthetic import synthetic_universe

    uni = synthetic_universe(seed=args.seed)
    t_build = time.perf_counter() - t0

    # the broad IG fund: IG bonds with more than 2 years left, weighted by issue size
    attrs = uni.bonds.attributes
    years_left = (uni.bonds.maturity - uni.settlement) / 365.25
    eligible = np.flatnonzero((attrs["grade"].to_numpy() == "IG") & (years_left > 2.0))
    rng = np.random.default_rng(args.seed + 1)
    n = min(args.bonds, eligible.size)
    pick = np.sort(rng.choice(eligible, size=n, replace=False))
    bonds = uni.bonds.take(pick)
    par = bonds.attributes["issue_size_usd"].to_numpy() * 0.03  # the fund owns ~3% of each
    spread = uni.z_spread.iloc[pick]

    t1 = time.perf_counter()
    res = price_bonds(bonds, uni.curve, uni.settlement, spread=spread)
    t_price = time.perf_counter() - t1
    t2 = time.perf_counter()
    krd = key_rate_durations(bonds, uni.curve, uni.settlement, spread=spread)
    t_krd = time.perf_counter() - t2

    mv = par * res["dirty_price"].to_numpy() / 100.0
    w = mv / mv.sum()
    krd_port = (krd.mul(w, axis=0)).sum()
    settle = to_timestamps(np.int64(uni.settlement))
    print(f"etfcore demo: synthetic broad IG ETF portfolio (seed {args.seed})")
    print(
        f"  settlement {settle:%Y-%m-%d}; {len(bonds):,} bonds from "
        f"{bonds.attributes['issuer'].nunique():,} issuers; "
        f"{bonds.cashflows(uni.settlement).payment.size:,} future cash flows"
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
    by_rating = (
        pd.DataFrame({"w": w, "rating": bonds.attributes["rating"].to_numpy()})
        .groupby("rating")["w"]
        .sum()
        .reindex(["AAA", "AA", "A", "BBB"])
        .fillna(0.0)
    )
    print("  rating weights      " + "  ".join(f"{k}:{v:.1%}" for k, v in by_rating.items()))
    print(
        f"  timings             build {t_build * 1e3:,.0f} ms, price+yield+risk "
        f"{t_price * 1e3:,.1f} ms, key rates {t_krd * 1e3:,.1f} ms "
        "(first run includes numba compilation)"
    )
    return 0


def _tenor(t: float) -> str:
    return f"{t * 12:.0f}m" if t < 1 else f"{t:g}y"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``etfcore`` command."""
    parser = argparse.ArgumentParser(prog="etfcore", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="price a bundled synthetic IG ETF and print a summary")
    demo.add_argument("--seed", type=int, default=0, help="synthetic market seed (default 0)")
    demo.add_argument("--bonds", type=int, default=2500, help="number of bonds (default 2500)")
    demo.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
