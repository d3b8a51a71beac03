"""How a sweep's time falls with Dask workers and grows with the grid, on this machine.

Usage::

    python benchmarks/bench_sweep.py [--quick] [--sizes 4,8,16] [--workload simulations,markets]
    python benchmarks/bench_sweep.py --smoke    # CI: 2-row grids, every agreement check, no times

``etfcore.sweep.run_sweep`` on the same grids three ways, the answers checked identical
(``pandas.testing.assert_frame_equal(check_exact=True)``) before anything is timed:

* **local**: in this process, one run after another (numba's kernels on every core);
* **dask 1 worker**: a ``LocalCluster`` of 1 worker process x 1 thread, numba on every core;
* **dask 2 workers**: 2 worker processes x 1 thread, numba on ``cores // 2`` threads each
  (``NUMBA_NUM_THREADS`` in the workers' environment, so that the cluster uses the cores
  once, not twice).

Two workloads, ``--sizes`` rows each:

1. **simulations**: ``"premium_simulation"`` on one market (``seed`` 0): a grid of ETFs x
   scenarios x ``sim_seed``, 2,000 paths x 252 days a run. The work is numba's parallel
   Monte Carlo, which already uses every core in one process.
2. **markets**: ``"arbitrage_band"`` over as many markets as rows (``seed`` 100, 101, ...,
   without 114): each run builds a synthetic market (5,800 bonds priced, five ETFs) and the
   IG_BROAD band. The work is mostly single-threaded Python and numpy, so worker processes run it in
   parallel. The market cache of every process is emptied before each timed sweep.

Warm-up: every process (this one and each worker) builds ``synthetic_market(0)`` and runs
one small simulation first (numba's cached kernels loaded), so the times are a warm sweep.
The cluster's start-up is printed separately. One timed sweep per cell (best of
``--repeat``). ``--smoke``: 2-row grids (50 paths x 20 days), every agreement check, one
``agree:`` line each and no times (``benchmarks/common.py``'s convention).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from typing import Any

import pandas as pd

from etfcore.sweep import run_sweep

WORKLOADS = ("simulations", "markets")
ETFS = ("IG_BROAD", "HY", "IG_SHORT", "IG_INTERMEDIATE")
SCENARIOS = ("calm", "march_2020")
#: Market seeds of the 'markets' workload: synthetic_market(114) fails (duplicate CUSIPs
#: drawn by etfcore.market.synthetic; so do seeds 10, 24, 26, 29 and 30), so it is skipped.
MARKET_SEEDS = tuple(s for s in range(100, 132) if s != 114)


def grid_for(workload: str, n: int, smoke: bool = False) -> tuple[str, pd.DataFrame]:
    """The task and its grid of ``n`` rows (tiny simulations for ``--smoke``)."""
    if workload == "simulations":
        rows = [
            {
                "seed": 0,
                "etf": ETFS[i % len(ETFS)],
                "scenario": SCENARIOS[(i // len(ETFS)) % len(SCENARIOS)],
                "sim_seed": i,
                "n_paths": 50 if smoke else 2000,
                "n_days": 20 if smoke else 252,
            }
            for i in range(n)
        ]
        return "premium_simulation", pd.DataFrame(rows)
    return "arbitrage_band", pd.DataFrame({"seed": MARKET_SEEDS[:n], "etf": "IG_BROAD"})


def warm_up() -> int:
    """Build the default market and run a small simulation in this process."""
    from etfcore.dynamics import simulate_premium
    from etfcore.market import synthetic_market

    m = synthetic_market(0)
    simulate_premium(m.etf("IG_BROAD"), m, "march_2020", n_paths=20, n_days=10)
    return os.getpid()


def clear_markets() -> None:
    """Empty this process's market cache (the 'markets' workload builds every market)."""
    from etfcore.market import market

    market._build_market.cache_clear()


def cpu_seconds(client: Any = None) -> float:
    """CPU time of this process (every thread) plus, with a client, of each worker process."""
    total = time.process_time()
    if client is not None:
        total += sum(client.run(time.process_time).values())
    return total


def timed(fn: Any, repeat: int, before: Any = None, client: Any = None) -> tuple[float, float, Any]:
    """Best wall-clock time of ``repeat`` calls, the CPU seconds of that call, its result."""
    best, best_cpu, out = float("inf"), float("nan"), None
    for _ in range(repeat):
        if before is not None:
            before()
        c0 = cpu_seconds(client)
        t0 = time.perf_counter()
        out = fn()
        t = time.perf_counter() - t0
        cpu = cpu_seconds(client) - c0
        if t < best:
            best, best_cpu = t, cpu
    return best, best_cpu, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="sizes 2,4 and one repeat")
    ap.add_argument("--sizes", default=None, help="grid sizes (default 4,8,16)")
    ap.add_argument("--workload", default=",".join(WORKLOADS), help="simulations,markets")
    ap.add_argument("--repeat", type=int, default=1, help="timed sweeps per cell (best of)")
    ap.add_argument(
        "--smoke", action="store_true", help="2-row grids: the agreement checks only, no times"
    )
    args = ap.parse_args(argv)
    default_sizes = "2" if args.smoke else "2,4" if args.quick else "4,8,16"
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",")]
    if args.smoke:
        from common import agree, smoke_done

        args.repeat = 1
    checks = 0
    workloads = [w for w in args.workload.split(",") if w]
    bad = [w for w in workloads if w not in WORKLOADS]
    if bad:
        ap.error(f"unknown workload {bad}; use {list(WORKLOADS)}")

    from distributed import Client, LocalCluster

    cores = os.cpu_count() or 1
    load0 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    t0 = time.perf_counter()
    warm_up()
    t_local_warm = time.perf_counter() - t0
    clusters: dict[str, tuple[Any, Any]] = {}
    startup: dict[str, float] = {}
    for n_workers in (1, 2):
        t0 = time.perf_counter()
        env = {"NUMBA_NUM_THREADS": str(max(1, cores // n_workers))}
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            env=env,
            silence_logs=logging.WARNING,
        )
        client = Client(cluster, set_as_default=False)
        client.run(warm_up)
        startup[f"dask {n_workers}"] = time.perf_counter() - t0
        clusters[f"dask {n_workers}"] = (cluster, client)
    if args.smoke:
        print(f"etfcore sweep benchmark, smoke: {cores} CPUs; local vs dask 1 and 2 workers")
    else:
        print(
            f"etfcore sweep benchmark: {cores} CPUs; warm-up (market + first simulation) "
            f"{t_local_warm:.2f} s here; cluster start + warm-up: "
            + ", ".join(f"{k} worker(s) {v:.1f} s" for k, v in startup.items())
            + f"; best of {args.repeat}",
            flush=True,
        )
    table: list[tuple[str, int, list[tuple[float, float]]]] = []
    try:
        for workload in workloads:
            for n in sizes:
                task, grid = grid_for(workload, n, smoke=args.smoke)
                clear = None
                if workload == "markets":

                    def clear() -> None:
                        clear_markets()
                        for _, c in clusters.values():
                            c.run(clear_markets)

                t_local, c_local, local = timed(
                    lambda task=task, grid=grid: run_sweep(task, grid, progress=False),
                    args.repeat,
                    clear,
                )
                cells = [(t_local, c_local)]
                for name, (_, client) in clusters.items():
                    t, c, got = timed(
                        lambda task=task, grid=grid, client=client: run_sweep(
                            task, grid, client=client, progress=False
                        ),
                        args.repeat,
                        clear,
                        client,
                    )
                    pd.testing.assert_frame_equal(got, local, check_exact=True)
                    cells.append((t, c))
                    if args.smoke:
                        checks += 1
                        agree(
                            f"{workload} x {n} ({task}): {name} == local",
                            f"identical frames, {len(local):,} rows",
                        )
                table.append((workload, n, cells))
                if args.smoke:
                    continue
                print(
                    f"  {workload} x {n}: "
                    + ", ".join(
                        f"{name} {t:.2f} s ({c:.2f} s CPU)"
                        for name, (t, c) in zip(("local", "dask 1", "dask 2"), cells, strict=True)
                    )
                    + f"; identical frames, {len(local):,} rows",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        for cluster, client in clusters.values():
            client.close()
            cluster.close()

    if args.smoke:
        smoke_done(checks)
        return 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print()
    print(
        f"  {'workload':<12s} {'rows':>4s} {'local':>8s} {'dask x1':>8s} {'dask x2':>8s} "
        f"{'x2/local':>9s} {'x2/x1':>6s} {'per row':>8s}   CPU s: {'local':>6s} {'x1':>6s} "
        f"{'x2':>6s}"
    )
    for workload, n, cells in table:
        (t0, c0), (t1, c1), (t2, c2) = cells
        print(
            f"  {workload:<12s} {n:4d} {t0:7.2f}s {t1:7.2f}s {t2:7.2f}s {t0 / t2:8.2f}x "
            f"{t1 / t2:5.2f}x {t0 / n * 1e3:6.0f}ms          {c0:6.2f} {c1:6.2f} {c2:6.2f}"
        )
    print(
        "  Wall-clock seconds, best of the repeats. local = this process, numba on every core; "
        "dask xN = LocalCluster of N worker processes x 1 thread (numba threads cores/N each). "
        "CPU s = CPU time of this process (client and scheduler) plus every worker's, in the "
        "best repeat. Frames identical in every cell. Load average "
        f"{load0:.1f} at the start, {load:.1f} at the end ({cores} CPUs): other processes "
        "on the machine take cores from the parallel runs."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
