"""Before/after: the same workload on two checkouts of etfcore, interleaved, in one run.

    python benchmarks/compare_revisions.py --before /path/to/old/checkout [--rounds 5]

Each round runs the workload once in a fresh process per checkout (old, new, old, new, ...),
with ``PYTHONPATH`` pointing at that checkout and its own warm numba cache, so both see the
same machine load. Every task is timed as the best of ``--repeats`` calls after a warm-up;
the report is the best over rounds and the ratio new / old (below 1 is faster).

The workload uses only calls whose spelling is the same in both revisions (positional quote
sides), on the synthetic market of seed 0: bond pricing and risk on 10,000 generated bonds,
1,000 curve scenarios, NAV on three sides, iNAV after a curve move, the arbitrage band and a
custom basket.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

WORKLOAD = r"""
import json, sys, time
import numpy as np
import etfcore
from etfcore.market import synthetic_market
from etfcore.market.synthetic import synthetic_universe
from etfcore.primary import custom_basket

repeats = int(sys.argv[1])

def best(fn):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)

universe = synthetic_universe(seed=20260115, n_ig=10_000, n_hy=0)
bonds, curve, settle = universe.bonds, universe.curve, universe.settlement
frame = bonds.to_frame()
z = universe.z_spread.reindex(bonds.ids).to_numpy()
priced = etfcore.price_bonds(bonds, curve, settle, spread=z)
clean = priced["clean_price"].to_numpy()
scen = curve.parallel_shocks(np.linspace(-200, 200, 1000))
market = synthetic_market(0)
etf = market.etfs["IG_BROAD"]
moved = market.curve.shift(25)
out = {
    "BondSet.from_frame, 10,000 bonds": best(lambda: etfcore.BondSet.from_frame(frame)),
    "price_bonds, 10,000 bonds": best(lambda: etfcore.price_bonds(bonds, curve, settle, spread=z)),
    "yield_from_price, 10,000 bonds": best(lambda: etfcore.yield_from_price(bonds, clean, settle)),
    "analytics_from_price, 10,000 bonds": best(
        lambda: etfcore.analytics_from_price(bonds, clean, settle)),
    "key_rate_durations, 10,000 bonds": best(
        lambda: etfcore.key_rate_durations(bonds, curve, settle, z)),
    "reprice_scenarios, 10,000 x 1,000": best(
        lambda: etfcore.reprice_scenarios(bonds, scen, settle, spread=z)),
    "ETF.navs (ladder cached)": best(lambda: etf.navs(market)),
    "iNAV: nav after a curve move": best(lambda: etf.nav(market.with_curve(moved), "bid")),
    "arbitrage_band, normal": best(lambda: etfcore.arbitrage_band(etf, market)),
    "custom_basket, 50 bonds (repeat)": best(lambda: custom_basket(etf, market, 1, 50)),
}
print(json.dumps(out))
"""


def run_once(checkout: Path, repeats: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout), MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "-c", WORKLOAD, str(repeats)],
        env=env,
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"workload failed in {checkout}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--before", type=Path, required=True, help="checkout of the old revision")
    p.add_argument("--after", type=Path, default=Path(__file__).resolve().parents[1])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--repeats", type=int, default=7)
    args = p.parse_args()
    best: dict[str, dict[str, float]] = {"before": {}, "after": {}}
    for r in range(args.rounds):
        for label, tree in (("before", args.before), ("after", args.after)):
            for task, seconds in run_once(tree.resolve(), args.repeats).items():
                best[label][task] = min(seconds, best[label].get(task, float("inf")))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    print("| task | before | after | after / before |\n| --- | ---: | ---: | ---: |")
    for task, old in best["before"].items():
        new = best["after"][task]
        print(f"| {task} | {old * 1e3:.3f} ms | {new * 1e3:.3f} ms | {new / old:.2f} |")


if __name__ == "__main__":
    main()
