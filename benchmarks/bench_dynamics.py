"""The premium/discount Monte Carlo: numba kernel against its numpy twin, same inputs, same run.

Usage::

    python benchmarks/bench_dynamics.py [--quick] [--numba-threads N] [--repeat R]
    python benchmarks/bench_dynamics.py --smoke    # CI: 200 paths x 20 days, the checks

Issue 7's speed targets ("How fast"): 10,000 paths x 252 days with 5 APs in under 0.5 s on this
machine after compilation, and at least 5x a numpy version vectorised over paths (a Python loop
over days and APs: ``etfcore.dynamics.simulate._twin.simulate_paths_numpy``). Inputs: the
synthetic broad IG ETF (``synthetic_market(0)``, 2,466 bonds), scenario ``march_2020`` (APs'
capacity binds: the slow branches run), five APs with capacity and balance-sheet limits.

Timed, each after a warm-up call, best of ``--repeat``:

1. the kernel alone (``simulate_paths_nb`` on pre-drawn shocks);
2. the numpy twin on the same shocks (checked equal to the kernel first);
3. the whole public call ``simulate_premium`` (band per regime and AP, fund risk, drawing the
   shocks, the kernel, wrapping);
4. a cold start: a fresh process importing etfcore and calling ``simulate_premium`` once.

``--smoke`` (``tests/test_benchmarks_smoke.py``): 200 paths x 20 days, one call per
measurement, no cold start, exit code 0 whatever the targets; the kernel is checked against the
twin as in a full run (an ``agree:`` line). A check that fails stops the run with an
``AssertionError`` (exit code 1), in every mode.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numba
import numpy as np

from etfcore.dynamics import _kernels as K
from etfcore.dynamics import simulate_premium
from etfcore.dynamics.simulate import SCENARIOS, draw_shocks
from etfcore.dynamics.simulate._twin import simulate_paths_numpy
from etfcore.dynamics.simulate.simulation import _inputs
from etfcore.market import synthetic_market
from etfcore.primary import AuthorizedParticipant

#: Kernel vs twin: same float operations; numba's and numpy's exp may differ in an ulp.
RTOL = 1e-9
#: ``--smoke``: paths and days.
SMOKE_PATHS, SMOKE_DAYS = 200, 20


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def cold_start() -> float:
    code = (
        "import time; t=time.perf_counter(); from etfcore.market import synthetic_market; "
        "from etfcore.dynamics import simulate_premium; m=synthetic_market(0); "
        "simulate_premium(m.etfs['IG_BROAD'], m, 'march_2020', n_paths=1000, n_days=60); "
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1,000 paths instead of 10,000")
    ap.add_argument("--numba-threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--smoke",
        action="store_true",
        help=f"CI check: {SMOKE_PATHS} paths x {SMOKE_DAYS} days, one call each, no cold "
        "start, exit 0 whatever the targets; prints 'agree:' lines",
    )
    args = ap.parse_args(argv)
    if args.numba_threads:
        numba.set_num_threads(args.numba_threads)
    n_paths = SMOKE_PATHS if args.smoke else 1_000 if args.quick else 10_000
    n_days, n_aps = (SMOKE_DAYS if args.smoke else 252), 5
    if args.smoke:
        args.repeat = 1
    market = synthetic_market(0)
    etf = market.etfs["IG_BROAD"]
    assets = etf.nav(market, "mid") * etf.shares_outstanding
    aps = [
        AuthorizedParticipant(
            f"AP{j + 1}",
            cost_bp=0.5 * j,
            capacity_usd_per_day=0.003 * assets,
            balance_sheet_limit_usd=0.01 * assets,
            stress_capacity_fraction=0.25,
        )
        for j in range(n_aps)
    ]
    scenario = SCENARIOS["march_2020"]
    inputs = _inputs(etf, market, scenario, aps, n_days)
    shocks = draw_shocks(np.random.default_rng(0), n_paths, n_days)

    # warm up (compiles or loads the cache), then check kernel == twin on the same inputs
    got = K.simulate_paths_nb(*shocks, *inputs.args)
    want = simulate_paths_numpy(*shocks, *inputs.args)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=1e-6)
    units = np.abs(got[6]).sum()
    print(
        f"etfcore premium Monte Carlo: {n_paths:,} paths x {n_days} days x {n_aps} APs, "
        f"{scenario.name}; numba {numba.__version__}, {numba.get_num_threads()} thread(s), "
        f"{os.cpu_count()} CPUs"
    )
    print(f"  kernel == numpy twin (rtol {RTOL:g}); {units:,} units traded; checks passed")
    if args.smoke:
        worst = max(
            float(np.max(np.abs(np.asarray(g, float) - np.asarray(w, float)), initial=0.0))
            for g, w in zip(got, want, strict=True)
        )
        print(
            f"agree: simulate_paths_nb == simulate_paths_numpy, {len(got)} outputs, "
            f"{n_paths} paths x {n_days} days x {n_aps} APs; max |diff| {worst:.1e} "
            f"(rtol {RTOL:g}, atol 1e-6)"
        )

    t_kernel = best(lambda: K.simulate_paths_nb(*shocks, *inputs.args), args.repeat)
    t_twin = best(lambda: simulate_paths_numpy(*shocks, *inputs.args), max(1, args.repeat - 1))
    simulate_premium(etf, market, scenario, n_paths=n_paths, n_days=n_days, aps=aps)
    t_public = best(
        lambda: simulate_premium(etf, market, scenario, n_paths=n_paths, n_days=n_days, aps=aps),
        args.repeat,
    )
    t_draw = best(lambda: draw_shocks(np.random.default_rng(0), n_paths, n_days), args.repeat)
    rows = [
        ("numba kernel (pre-drawn shocks)", t_kernel),
        ("numpy twin, vectorised over paths", t_twin),
        ("drawing the shocks (numpy Generator)", t_draw),
        ("simulate_premium (whole public call)", t_public),
    ]
    if not args.smoke:
        rows.append(("cold start: import + first call, 1,000 x 60", cold_start()))
    for name, t in rows:
        print(f"  {name:<46s} {t * 1e3:10.1f} ms")
    print(f"  ratio numpy twin / kernel                      {t_twin / t_kernel:10.1f}x")
    print(f"  ratio numpy twin / simulate_premium            {t_twin / t_public:10.1f}x")
    target = 0.5
    ok = t_public < target and t_twin / t_kernel >= 5
    print(
        f"  targets: whole call < {target} s: {'met' if t_public < target else 'MISSED'}; "
        f"kernel >= 5x numpy: {'met' if t_twin / t_kernel >= 5 else 'MISSED'}"
    )
    if args.smoke:
        print("smoke: 1 agreement checks passed")
        return 0
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    raise SystemExit(main())
