"""Benchmark: the whole estimation suite (``fit_premium``) on 20 years of daily data.

Target (issue 7): under 2 s. Inputs: a seeded simulated fund over 20 x 252 = 5,040 days
(an efficient value, a NAV that partially adjusts to it, a band-TAR premium, shares that
follow the lagged premium), and LQD's real close and NAV when the real data is present.
Before timing, the VECM's adjustment speeds are checked against statsmodels' own VECM on the
same data. Each timing is the median of repeats after a warm-up call; the cold start is a
fresh process (import plus the first call).

Run: ``python benchmarks/bench_estimate.py [--repeats 7]``; prints a markdown table.

``--smoke`` (``tests/test_benchmarks_smoke.py``): 4 years (1,008 days), one call per step, no
real data, no cold start; the VECM check as in a full run (an ``agree:`` line). A check that
fails stops the run with an ``AssertionError`` (exit code 1), in every mode.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd

N_DAYS = 20 * 252
#: ``--smoke``: days of simulated data.
SMOKE_DAYS = 4 * 252
#: VECM adjustment speeds against statsmodels' own VECM (relative).
VECM_RTOL = 1e-8


def simulated_fund(n: int = N_DAYS, seed: int = 20260115):
    rng = np.random.default_rng(seed)
    v = 4.6 + np.cumsum(rng.normal(0, 0.003, n))
    m = np.empty(n)
    m[0] = v[0]
    for t in range(1, n):
        m[t] = m[t - 1] + 0.6 * (v[t] - m[t - 1]) + rng.normal(0, 0.0003)
    p = np.zeros(n)
    for t in range(1, n):
        q = p[t - 1]
        edge = min(max(q, -30.0), 40.0)
        p[t] = edge + 0.3 * (q - edge) if q != edge else 0.95 * q + 0.5
        p[t] += rng.normal(0, 8.0)
    days = pd.bdate_range("2005-01-03", periods=n)
    price = pd.Series(np.exp(v + p / 1e4), days)
    nav = pd.Series(np.exp(m), days)
    prem = 1e4 * (price / nav - 1)
    flow = np.r_[0.0, 0.2 * prem.to_numpy()[:-1] + rng.normal(0, 5, n - 1)]
    shares = pd.Series(1e8 * np.cumprod(1 + flow / 1e4), days)
    return price, nav, shares


def timed(fn, repeats: int) -> float:
    fn()  # warm-up
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def cold_start() -> float:
    code = (
        "import time; t0 = time.perf_counter(); "
        "import sys; sys.path.insert(0, 'benchmarks'); "
        "from bench_estimate import simulated_fund; from etfcore.dynamics import fit_premium; "
        "p, n, s = simulated_fund(); t1 = time.perf_counter(); fit_premium(p, n, s); "
        "print(time.perf_counter() - t0 - 0.0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument(
        "--smoke",
        action="store_true",
        help=f"CI check: {SMOKE_DAYS:,} days, one call per step, no real data or cold start; "
        "prints 'agree:' lines",
    )
    args = ap.parse_args(argv)
    n_days = SMOKE_DAYS if args.smoke else N_DAYS
    if args.smoke:
        args.repeats = 1
    from statsmodels.tsa.vector_ar.vecm import VECM

    from etfcore.dynamics import fit_premium
    from etfcore.dynamics.estimate import (
        fit_ar1,
        fit_band_tar,
        fit_flows,
        fit_nav_staleness,
        fit_vecm,
        premium_discount,
    )

    price, nav, shares = simulated_fund(n_days)
    fit = fit_premium(price, nav, shares)
    ref = VECM(np.log(np.c_[price, nav]), k_ar_diff=1, coint_rank=1, deterministic="ci").fit()
    alpha = fit.vecm.params.iloc[:2].to_numpy(dtype=float)
    np.testing.assert_allclose(alpha, ref.alpha[:, 0], rtol=VECM_RTOL)
    if args.smoke:
        worst = float(np.max(np.abs(alpha / ref.alpha[:, 0] - 1.0)))
        print(
            f"agree: fit_premium VECM alpha == statsmodels VECM ({n_days:,} days); max "
            f"relative diff {worst:.1e} <= {VECM_RTOL:g}"
        )
    prem = premium_discount(price, nav)
    rows = [
        ("fit_premium (all, with shares)", lambda: fit_premium(price, nav, shares)),
        ("fit_premium (no shares)", lambda: fit_premium(price, nav)),
        ("premium_discount", lambda: premium_discount(price, nav)),
        ("fit_ar1", lambda: fit_ar1(prem)),
        ("fit_band_tar", lambda: fit_band_tar(prem)),
        ("fit_vecm", lambda: fit_vecm(price, nav)),
        ("fit_nav_staleness", lambda: fit_nav_staleness(price, nav)),
        ("fit_flows", lambda: fit_flows(shares, prem)),
    ]
    print(f"| step ({n_days:,} simulated days) | median s |")
    print("|---|---:|")
    for name, fn in rows:
        print(f"| {name} | {timed(fn, args.repeats):.4f} |")
    if args.smoke:
        print("smoke: 1 agreement checks passed")
        return 0
    try:
        from etfcore.io import read_nav_history, real_data_path

        lqd_nav = read_nav_history(
            real_data_path("lqd_nav_daily_ishares_2002-07-22_to_2026-09-16.csv")
        )
        close = pd.read_csv(
            real_data_path("etf_ohlcv_2016-04_2021-04_unadjusted_close/LQD.csv"),
            index_col="Date",
            parse_dates=True,
        )["Close"]
        t = timed(lambda: fit_premium(close, lqd_nav), args.repeats)
        print(f"| fit_premium on LQD 2016-2021 (1,258 days, real) | {t:.4f} |")
    except FileNotFoundError:
        print("| LQD real data | not found |")
    print(
        f"| cold start: import + simulate + first fit_premium (new process) | {cold_start():.3f} |"
    )
    print(f"\nTarget: fit_premium on 20 years under 2 s. {fit!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
