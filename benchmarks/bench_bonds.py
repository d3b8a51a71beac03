"""etfcore's bond layer against QuantLib and plain numpy: same bonds, same curve, same run.

Usage::

    python benchmarks/bench_bonds.py [--quick] [--markdown PATH] [--sizes 1000,10000]
    python benchmarks/bench_bonds.py --smoke    # CI: 200 bonds, every check, one call each

For each size N (1,000 and 10,000 bonds of the synthetic investment-grade universe): build
(BondSet + cash flows, against QuantLib bond construction), price from a curve with z-spreads,
yield from price, risk (durations and convexity; key-rate durations), and N bonds x 1,000
curve scenarios; then the cold start of a fresh process. Every task is checked first (etfcore
against QuantLib and against the numpy twin, with the tolerances below), then timed with
``time.perf_counter``: warm-up first (numba compiles or loads its cache outside the timings),
then repeats, best and median. See ``benchmarks/README.md`` for what each row means.

``--smoke`` (``tests/test_benchmarks_smoke.py``): 200 bonds, 20 scenarios (5 priced by
QuantLib), QuantLib key-rate durations on 50 bonds, one call per measurement, no cold start;
every agreement check as in a full run, each printed as an ``agree:`` line. A check that fails
stops the run with an ``AssertionError`` (exit code 1), in every mode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common as C  # noqa: E402
import numba  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import QuantLib as ql  # noqa: E402
import scipy  # noqa: E402
from common import (  # noqa: E402
    agreement_table,
    check,
    fmt,
    load,
    log,
    machine,
)

import etfcore  # noqa: E402
from etfcore.bonds.bondset import BondSet  # noqa: E402
from etfcore.bonds.curves import random_shocks  # noqa: E402
from etfcore.bonds.schedule import build_cashflows  # noqa: E402

# --- agreement tolerances (absolute) -------------------------------------------------------
CLEAN_PRICE_TOL = 1e-8  # per 100 face
DIRTY_PRICE_TOL = 1e-8  # per 100 face (scenario prices)
YIELD_TOL = 1e-10  # decimal (1e-6 bp)
DURATION_TOL = 1e-8  # years
CONVEXITY_TOL = 1e-6  # years squared
KRD_TOL = 1e-7  # years (central differences of 1 bp: price noise / 2e-4)
CASHFLOW_TOL = 1e-10  # per 100 face, sum of a bond's future flows

N_SCENARIOS = 1_000
KRD_QL_BONDS = 500  # QuantLib key-rate durations are timed on this many bonds, scaled
SCENARIO_SEED = 7
#: ``--smoke``: bonds, scenarios, QuantLib's scenarios and key-rate-duration bonds.
SMOKE_BONDS, SMOKE_SCENARIOS, SMOKE_QL_SCENARIOS, SMOKE_KRD_QL_BONDS = 200, 20, 5, 50

# --- targets (from the issue) ---------------------------------------------------------------
TARGET_PRICE_RATIO = 100.0
TARGET_YIELD_RATIO = 200.0
TARGET_SCENARIOS_S = 0.3
TARGET_IMPORT_S = 1.0
TARGET_FIRST_CALL_S = 2.0


@dataclass(frozen=True)
class Config:
    quick: bool
    repeats: int  # etfcore and numpy
    min_time: float  # etfcore and numpy: keep repeating until this many seconds
    ql_repeats: int
    cold_runs: int
    cold_compile: bool
    smoke: bool = False
    n_scenarios: int = N_SCENARIOS
    krd_ql_bonds: int = KRD_QL_BONDS

    def ql_scenarios(self, n: int) -> int:
        """How many of the 1,000 scenarios QuantLib prices (then scaled)."""
        if self.smoke:
            return min(SMOKE_QL_SCENARIOS, self.n_scenarios)
        budget = 50_000 if self.quick else 100_000  # bond-curve pricings
        return int(max(5, min(N_SCENARIOS, budget // n)))


@dataclass
class Row:
    """One task; timings are seconds for all N bonds (QuantLib subsets already scaled)."""

    task: str
    n: int
    unit: str  # "us/bond", "ms" (total) or "s" (total)
    etfcore: C.Timing
    numpy: C.Timing | None = None
    quantlib: C.Timing | None = None
    note: str = ""

    def value(self, t: C.Timing | None, stat: str = "best") -> float | None:
        if t is None:
            return None
        v = getattr(t, stat)
        if self.unit == "us/bond":
            return v * 1e6 / self.n
        if self.unit == "ms":
            return v * 1e3
        return v


# ------------------------------------------------------------------------------------ tasks
@dataclass
class Breakdown:
    """Where a public function's time goes: inside numba kernels, or Python around them."""

    task: str
    n: int
    api: C.Timing
    kernels: C.Timing
    by_kernel: dict[str, float]


BREAKDOWN: list[Breakdown] = []
SKIPPED: list[str] = []


def api_rows(
    task: str,
    api: str,
    n: int,
    unit: str,
    fn: Callable[[], object],
    cfg: Config,
    numpy_t: C.Timing | None,
    ql_t: C.Timing | None,
    note: str = "",
    repeats: int | None = None,
) -> list[Row]:
    """Two rows: the public function, and the part of the same calls spent in numba kernels."""
    t_api, t_kernels, by_kernel = C.timeit_api(
        fn, repeats or cfg.repeats, 0.0 if repeats else cfg.min_time
    )
    BREAKDOWN.append(Breakdown(f"{task}: {api}", n, t_api, t_kernels, by_kernel))
    return [
        Row(f"{task}: {api}", n, unit, t_api, numpy_t, ql_t, note),
        Row(
            f"{task}: {api}, in numba kernels",
            n,
            unit,
            t_kernels,
            numpy_t,
            ql_t,
            "same calls, time inside kernels only",
        ),
    ]


def guarded(label: str, fn: Callable[[], list[Row]]) -> list[Row]:
    """A kernel-level row calls private kernels directly: if their signature has changed,
    skip the row (the API rows time whatever the public function calls)."""
    try:
        return fn()
    except (TypeError, AttributeError, ValueError) as exc:
        SKIPPED.append(f"{label}: {type(exc).__name__}: {exc}")
        log(f"skipped {label}: {exc}")
        return []


def one_thread(fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` run with numba limited to one thread."""

    def run():
        threads = numba.get_num_threads()
        numba.set_num_threads(1)
        try:
            return fn()
        finally:
            numba.set_num_threads(threads)

    return run


def bench_build(m: C.Market, qb: list, cfg: Config) -> list[Row]:
    n = len(m.bonds)
    settle = m.settlement

    def api():
        b = BondSet.from_frame(m.frame)
        return b, b.cashflows(settle)

    b, cf = api()
    ref = m.bonds.cashflows(settle)
    check("build: from_frame cash flows vs BondSet.take", n, cf.amount, ref.amount, 0.0)
    # QuantLib's future flows, summed per bond (redemption included)
    s = C.ql_date(settle)
    ql_sum = np.array([sum(c.amount() for c in bond.cashflows() if c.date() > s) for bond in qb])
    check(
        "build: sum of future flows vs QuantLib",
        n,
        np.add.reduceat(cf.amount, cf.offsets[:-1]),
        ql_sum,
        CASHFLOW_TOL,
    )
    t_ql = C.timeit(lambda: C.ql_bonds_from_frame(m.frame), cfg.ql_repeats)
    rows = api_rows(
        "build",
        "BondSet.from_frame + cashflows",
        n,
        "us/bond",
        api,
        cfg,
        None,
        t_ql,
        f"frame of {m.frame.shape[1]} columns (BondSet.to_frame: frequency, "
        "day_count, face, redemption, ... and attributes); QL: Schedule + "
        "FixedRateBond per bond (the leg is built in the constructor)",
    )
    minimal = m.frame[["id", "coupon_rate", "maturity_date", "issue_date"]]

    def api_minimal():
        b = BondSet.from_frame(minimal)
        return b, b.cashflows(settle)

    check(
        "build: minimal-frame cash flows vs full frame", n, api_minimal()[1].amount, cf.amount, 0.0
    )
    t_min = C.timeit(api_minimal, cfg.repeats, cfg.min_time)
    rows.append(
        Row(
            "build: the same from a 4-column frame (id, coupon, maturity, issue)",
            n,
            "us/bond",
            t_min,
            None,
            t_ql,
        )
    )
    t_cf = C.timeit(lambda: build_cashflows(m.bonds, settle, 0), cfg.repeats, cfg.min_time)
    rows.append(
        Row("build: cash flows only (schedule.build_cashflows)", n, "us/bond", t_cf, None, t_ql)
    )
    return rows


def bench_price(m: C.Market, qb: list, qcurve, cfg: Config) -> tuple[list[Row], np.ndarray]:
    n = len(m.bonds)
    bonds, curve, settle, spread = m.bonds, m.curve, m.settlement, m.spread
    spread_series = pd.Series(spread, index=bonds.ids)
    cf = bonds.cashflows(settle)

    res = etfcore.price_bonds(bonds, curve, settle, spread_series, yield_convention="compounded")
    clean = res["clean_price"].to_numpy()
    dirty = res["dirty_price"].to_numpy()
    check(
        "price: etfcore clean vs QuantLib",
        n,
        clean,
        C.ql_clean_prices(qb, qcurve, spread, settle),
        CLEAN_PRICE_TOL,
    )
    check(
        "price: numpy dirty vs etfcore",
        n,
        C.np_price_curve(cf, curve, spread),
        dirty,
        CLEAN_PRICE_TOL,
    )

    def numpy_full():
        d = C.np_price_curve(cf, curve, spread)
        c = d - cf.accrued
        y, _ = C.np_solve_yield(cf, d, 2.0, C.np_guess(bonds, cf, c))
        return c, y, C.np_yield_risk(cf, y, 2.0)

    _, y_np, r_np = numpy_full()
    check("price_bonds: numpy yield vs etfcore", n, y_np, res["yield_to_maturity"], YIELD_TOL)
    check(
        "price_bonds: numpy modified duration vs etfcore",
        n,
        r_np[:, 0],
        res["modified_duration"],
        DURATION_TOL,
    )

    t_np = C.timeit(lambda: C.np_price_curve(cf, curve, spread), cfg.repeats, cfg.min_time)
    t_np_full = C.timeit(numpy_full, cfg.repeats, cfg.min_time)
    t_ql = C.timeit(lambda: C.ql_clean_prices(qb, qcurve, spread, settle), cfg.ql_repeats)
    full: list[np.ndarray] = []
    t_ql_full = C.timeit(
        lambda: full.append(C.ql_price_bonds(qb, qcurve, spread, settle)), cfg.ql_repeats
    )
    q = full[-1]
    check("price_bonds: etfcore clean vs QuantLib (same pass)", n, clean, q[:, 0], CLEAN_PRICE_TOL)
    check("price_bonds: etfcore yield vs QuantLib", n, res["yield_to_maturity"], q[:, 2], YIELD_TOL)
    check(
        "price_bonds: etfcore modified duration vs QuantLib",
        n,
        res["modified_duration"],
        q[:, 3],
        DURATION_TOL,
    )
    check("price_bonds: etfcore convexity vs QuantLib", n, res["convexity"], q[:, 5], CONVEXITY_TOL)

    rows = api_rows(
        "price (curve + z-spread) with yield and risk",
        "price_bonds",
        n,
        "us/bond",
        lambda: etfcore.price_bonds(
            bonds, curve, settle, spread_series, yield_convention="compounded"
        ),
        cfg,
        t_np_full,
        t_ql_full,
        "numpy and QL compute the same: price from the curve, its yield, durations "
        "and convexity at the yield",
    )

    def price_only() -> list[Row]:
        def kernel():
            return C.etfcore_curve_kernel(bonds, curve, spread, settle)

        check("price: price_curve_nb dirty vs price_bonds", n, kernel()[0], dirty, 0.0)
        t_k = C.timeit(kernel, cfg.repeats, cfg.min_time)
        one_thread(kernel)()
        t_k1 = C.timeit(one_thread(kernel), cfg.repeats, cfg.min_time)
        return [
            Row(
                "price only (curve + z-spread): discount_days + price_curve_nb",
                n,
                "us/bond",
                t_k,
                t_np,
                t_ql,
                "QL: BondFunctions.cleanPrice(bond, curve, z, ...); numpy: "
                "np.interp per day, np.exp per flow, np.add.reduceat",
            ),
            Row("price only: the same, 1 numba thread", n, "us/bond", t_k1, t_np, t_ql),
        ]

    rows += guarded("price only (price_curve_nb)", price_only)
    return rows, clean


def bench_yield(m: C.Market, qb: list, clean: np.ndarray, cfg: Config) -> list[Row]:
    n = len(m.bonds)
    bonds, settle = m.bonds, m.settlement
    cf = bonds.cashflows(settle)
    dirty = clean + cf.accrued

    y = etfcore.yield_from_price(bonds, clean, settle, yield_convention="compounded").to_numpy()
    check("yield: etfcore vs QuantLib", n, y, C.ql_yields(qb, clean, settle), YIELD_TOL)

    def numpy_newton():
        return C.np_solve_yield(cf, dirty, 2.0, C.np_guess(bonds, cf, clean))

    y_np, iterations = numpy_newton()
    check("yield: numpy vs etfcore", n, y_np, y, YIELD_TOL)
    t_np = C.timeit(numpy_newton, cfg.repeats, cfg.min_time)
    t_ql = C.timeit(lambda: C.ql_yields(qb, clean, settle), cfg.ql_repeats)
    t_ql8 = C.timeit(lambda: C.ql_yields(qb, clean, settle, 1e-8), cfg.ql_repeats)
    note = (
        f"QL at accuracy 1e-14 as etfcore (at 1e-8: {t_ql8.best * 1e6 / n:.1f} us/bond); "
        f"numpy: vectorised Newton, {iterations} iterations over all bonds"
    )
    return api_rows(
        "yield from clean price",
        "yield_from_price",
        n,
        "us/bond",
        lambda: etfcore.yield_from_price(bonds, clean, settle, yield_convention="compounded"),
        cfg,
        t_np,
        t_ql,
        note,
    )


def bench_risk(m: C.Market, qb: list, clean: np.ndarray, cfg: Config) -> list[Row]:
    n = len(m.bonds)
    bonds, settle = m.bonds, m.settlement
    cf = bonds.cashflows(settle)

    res = etfcore.analytics_from_price(bonds, clean, settle, yield_convention="compounded")
    q = C.ql_analytics_from_price(qb, clean, settle)
    check("analytics: yield vs QuantLib", n, res["yield_to_maturity"], q[:, 0], YIELD_TOL)
    check(
        "analytics: modified duration vs QuantLib",
        n,
        res["modified_duration"],
        q[:, 1],
        DURATION_TOL,
    )
    check(
        "analytics: Macaulay duration vs QuantLib",
        n,
        res["macaulay_duration"],
        q[:, 2],
        DURATION_TOL,
    )
    check("analytics: convexity vs QuantLib", n, res["convexity"], q[:, 3], CONVEXITY_TOL)
    dirty = clean + cf.accrued

    def numpy_analytics():
        yy, _ = C.np_solve_yield(cf, dirty, 2.0, C.np_guess(bonds, cf, clean))
        return C.np_yield_risk(cf, yy, 2.0)

    r_np = numpy_analytics()
    check(
        "analytics: numpy modified duration vs etfcore",
        n,
        r_np[:, 0],
        res["modified_duration"],
        DURATION_TOL,
    )
    check("analytics: numpy convexity vs etfcore", n, r_np[:, 2], res["convexity"], CONVEXITY_TOL)
    t_np = C.timeit(numpy_analytics, cfg.repeats, cfg.min_time)
    t_ql = C.timeit(lambda: C.ql_analytics_from_price(qb, clean, settle), cfg.ql_repeats)
    return api_rows(
        "risk from clean price (yield, 2 durations, convexity)",
        "analytics_from_price",
        n,
        "us/bond",
        lambda: etfcore.analytics_from_price(bonds, clean, settle, yield_convention="compounded"),
        cfg,
        t_np,
        t_ql,
        "QL: bondYield, then duration (modified, Macaulay) and convexity at it",
    )


def bench_krd(m: C.Market, qb: list, cfg: Config) -> list[Row]:
    n = len(m.bonds)
    bonds, curve, settle, spread = m.bonds, m.curve, m.settlement, m.spread
    spread_series = pd.Series(spread, index=bonds.ids)
    cf = bonds.cashflows(settle)
    k_ql = min(n, cfg.krd_ql_bonds)
    k = curve.tenors.size

    krd = etfcore.key_rate_durations(bonds, curve, settle, spread_series).to_numpy()
    krd_ql = C.ql_key_rate_durations(qb[:k_ql], curve, spread[:k_ql], settle)
    check(
        f"KRD: etfcore vs QuantLib bump-and-reprice (first {k_ql} bonds)",
        n,
        krd[:k_ql],
        krd_ql,
        KRD_TOL,
    )

    def numpy_krd():
        return C.np_key_rate_durations(C.np_scenario_plan(cf, curve, spread), curve)

    check("KRD: numpy vs etfcore", n, numpy_krd(), krd, KRD_TOL)
    t_np = C.timeit(numpy_krd, cfg.repeats, cfg.min_time)
    t_ql = C.timeit(
        lambda: C.ql_key_rate_durations(qb[:k_ql], curve, spread[:k_ql], settle), cfg.ql_repeats
    )
    note = (
        f"{k} knots (the synthetic curve's 11 + the 50y extension): 2 x {k} bumped curves "
        f"+ the base; QL: a rebuilt ZeroCurve per bump, timed on {k_ql} bonds, scaled"
    )
    return api_rows(
        "key-rate durations",
        "key_rate_durations",
        n,
        "us/bond",
        lambda: etfcore.key_rate_durations(bonds, curve, settle, spread_series),
        cfg,
        t_np,
        t_ql.scaled(n / k_ql),
        note,
    )


def bench_scenarios(m: C.Market, qb: list, cfg: Config) -> list[Row]:
    n = len(m.bonds)
    bonds, curve, settle, spread = m.bonds, m.curve, m.settlement, m.spread
    spread_series = pd.Series(spread, index=bonds.ids)
    cf = bonds.cashflows(settle)
    n_scen = cfg.n_scenarios
    scen = random_shocks(curve, n_scen, rng=np.random.default_rng(SCENARIO_SEED))
    n_ql = cfg.ql_scenarios(n)

    def api():
        return etfcore.reprice_scenarios(bonds, scen, settle, spread_series)

    prices = api().prices.to_numpy().T  # (S, N)
    q = C.ql_scenario_dirty(qb, curve, scen.zero_rates[:n_ql], spread, settle)
    check(
        f"scenarios: etfcore vs QuantLib (first {n_ql} scenarios)",
        n,
        prices[:n_ql],
        q,
        DIRTY_PRICE_TOL,
    )

    def numpy_scenarios():
        return C.np_scenario_prices(C.np_scenario_plan(cf, curve, spread), scen.zero_rates)

    check("scenarios: numpy vs etfcore", n, numpy_scenarios(), prices, DIRTY_PRICE_TOL)
    reps = 1 if cfg.smoke else max(2, cfg.repeats // 2)
    t_np = C.timeit(numpy_scenarios, reps)
    t_ql = C.timeit(
        lambda: C.ql_scenario_dirty(qb, curve, scen.zero_rates[:n_ql], spread, settle),
        cfg.ql_repeats,
    )
    t_ql = t_ql.scaled(n_scen / n_ql)
    label = f"{n_scen:,} curve scenarios (total)"
    note = (
        f"numpy: scipy.sparse CSR (N x days) @ exp(dense log-DF), 64 scenarios a block; "
        f"QL: a ZeroCurve per scenario, timed on {n_ql} scenarios x {n:,} bonds, "
        f"scaled x{n_scen / n_ql:g}"
    )
    rows = api_rows(label, "reprice_scenarios", n, "ms", api, cfg, t_np, t_ql, note, repeats=reps)
    one_thread(api)()
    rows += api_rows(
        label,
        "reprice_scenarios [1 numba thread]",
        n,
        "ms",
        one_thread(api),
        cfg,
        t_np,
        t_ql,
        repeats=reps,
    )
    return rows


# ------------------------------------------------------------------------------- cold start
def write_cold_start_inputs(m: C.Market, path: Path) -> None:
    np.savez(
        path,
        ids=np.asarray(m.bonds.ids, dtype=str),
        coupon_rate=m.bonds.coupon_rate,
        maturity=m.bonds.maturity,
        issue=m.bonds.issue,
        spread=m.spread,
        settlement=np.int64(m.settlement),
        reference_date=np.int64(m.curve.reference_date),
        tenors=np.asarray(m.curve.tenors),
        zero_rates=np.asarray(m.curve.zero_rates),
    )


def run_child(inputs: Path, cache_dir: str | None = None) -> tuple[dict, float]:
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(HERE / "cold_start.py"), str(inputs)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(f"cold_start.py failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1]), wall


def bench_cold_start(m: C.Market, cfg: Config) -> tuple[list[Row], dict]:
    sub = m.subset(1_000)
    info: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs.npz"
        write_cold_start_inputs(sub, inputs)
        run_child(inputs)  # makes sure numba's cache is warm for this source
        runs = [run_child(inputs) for _ in range(cfg.cold_runs)]
        fields = ("import_etfcore", "load_inputs", "first_call", "second_call")
        warm = {f: C.Timing(tuple(r[f] for r, _ in runs)) for f in fields}
        warm["process"] = C.Timing(tuple(w for _, w in runs))
        info["modules_after_import"] = runs[0][0]["modules_after_import"]
        t_python = C.timeit(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 3)
        rows = [
            Row(
                "cold start: import etfcore (fresh process)",
                1_000,
                "s",
                warm["import_etfcore"],
                note="imports after it: " + (", ".join(info["modules_after_import"]) or "none"),
            ),
            Row(
                "cold start: first from_frame + price_bonds, warm numba cache",
                1_000,
                "s",
                warm["first_call"],
                note=f"then numpy + pandas import and inputs {warm['load_inputs'].best:.2f} s; "
                f"same call again {warm['second_call'].best * 1e3:.0f} ms",
            ),
            Row(
                "cold start: whole process (python start .. first result), warm cache",
                1_000,
                "s",
                warm["process"],
                note=f"bare `python -c pass`: {t_python.best:.2f} s",
            ),
        ]
        if cfg.cold_compile:
            cache = Path(tmp) / "numba-cache"
            cold, wall = run_child(inputs, str(cache))
            rows.append(
                Row(
                    "cold start: first from_frame + price_bonds, empty numba cache (compiles)",
                    1_000,
                    "s",
                    C.Timing((cold["first_call"],)),
                    note=f"whole process {wall:.1f} s; NUMBA_CACHE_DIR fresh",
                )
            )
        info["warm"] = warm
    return rows, info


# ----------------------------------------------------------------------------------- output


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "-"
    r = a / b
    return f"{r:,.0f}x" if r >= 100 else f"{r:.1f}x" if r >= 10 else f"{r:.2f}x"


def table(rows: list[Row]) -> str:
    head = (
        "| task | N | unit | etfcore | numpy | QuantLib | QL / etfcore | numpy / etfcore "
        "| etfcore median | notes |"
    )
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        e, npv, q = r.value(r.etfcore), r.value(r.numpy), r.value(r.quantlib)
        lines.append(
            f"| {r.task} | {r.n:,} | {r.unit} | {fmt(e)} | {fmt(npv)} | {fmt(q)} | "
            f"{ratio(q, e)} | {ratio(npv, e)} | {fmt(r.value(r.etfcore, 'median'))} | {r.note} |"
        )
    return "\n".join(lines)


def targets(rows: list[Row], cold: dict) -> str:
    def find(task: str, n: int) -> Row | None:
        return next((r for r in rows if r.task == task and r.n == n), None)

    out = []

    def verdict(name: str, ok: bool, detail: str) -> None:
        out.append(f"- {'met' if ok else '**MISSED**'}: {name}: {detail}")

    for task, target in (
        ("price only (curve + z-spread): discount_days + price_curve_nb", TARGET_PRICE_RATIO),
        ("price (curve + z-spread) with yield and risk: price_bonds", TARGET_PRICE_RATIO),
        ("yield from clean price: yield_from_price", TARGET_YIELD_RATIO),
        ("yield from clean price: yield_from_price, in numba kernels", TARGET_YIELD_RATIO),
    ):
        r = find(task, 10_000)
        if r is None or r.quantlib is None:
            continue
        x = r.quantlib.best / r.etfcore.best
        xm = r.quantlib.median / r.etfcore.median
        verdict(
            f">= {target:.0f}x QuantLib at 10,000 bonds, {task}",
            x >= target,
            f"{x:,.0f}x on best times ({xm:,.0f}x on medians)",
        )
    for task in (
        f"{N_SCENARIOS:,} curve scenarios (total): reprice_scenarios",
        f"{N_SCENARIOS:,} curve scenarios (total): reprice_scenarios, in numba kernels",
    ):
        r = find(task, 10_000)
        if r is not None:
            verdict(
                f"10,000 bonds x 1,000 scenarios < {TARGET_SCENARIOS_S} s, {task}",
                r.etfcore.best < TARGET_SCENARIOS_S,
                f"{r.etfcore.best:.3f} s best, {r.etfcore.median:.3f} s median",
            )
    if cold:
        w = cold["warm"]
        verdict(
            f"import etfcore < {TARGET_IMPORT_S:.0f} s",
            w["import_etfcore"].median < TARGET_IMPORT_S,
            f"{w['import_etfcore'].median:.3f} s median",
        )
        verdict(
            f"first call with a warm numba cache < {TARGET_FIRST_CALL_S:.0f} s",
            w["first_call"].median < TARGET_FIRST_CALL_S,
            f"{w['first_call'].median:.2f} s median (BondSet.from_frame + ZeroCurve + "
            "price_bonds, 1,000 bonds, fresh process)",
        )
    return "\n".join(out)


def breakdown_table() -> str:
    lines = [
        "| public function | N | call ms | in kernels ms | Python overhead ms | overhead % "
        "| slowest kernels, ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for b in BREAKDOWN:
        api, ker = b.api.best * 1e3, sum(b.by_kernel.values()) * 1e3
        top = sorted(b.by_kernel.items(), key=lambda kv: -kv[1])[:4]
        names = ", ".join(f"{k} {v * 1e3:.2f}" for k, v in top) or "-"
        lines.append(
            f"| {b.task} | {b.n:,} | {fmt(api)} | {fmt(ker)} | {fmt(api - ker)} | "
            f"{100 * (api - ker) / api:.0f}% | {names} |"
        )
    return "\n".join(lines)


def versions() -> str:
    return (
        f"Python {platform.python_version()}, etfcore {etfcore.__version__}, numba "
        f"{numba.__version__} ({numba.config.THREADING_LAYER} threading layer, "
        f"{numba.get_num_threads()} threads), numpy {np.__version__}, scipy "
        f"{scipy.__version__}, pandas {pd.__version__}, QuantLib {ql.__version__}"
    )


# ------------------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats and QuantLib scenarios, no empty-cache compile (~2 min)",
    )
    p.add_argument("--markdown", type=Path, help="also write the report to this file")
    p.add_argument("--sizes", default=None, help="bond counts (default 1000,10000)")
    p.add_argument("--no-cold-start", action="store_true", help="skip the subprocess rows")
    p.add_argument(
        "--smoke",
        action="store_true",
        help=f"CI check: {SMOKE_BONDS} bonds, {SMOKE_SCENARIOS} scenarios, every agreement "
        "check, one call per measurement, no cold start; prints 'agree:' lines",
    )
    p.add_argument("--numba-threads", type=int, help="numba threads (default: all cores)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.smoke:
        cfg = Config(
            quick=True,
            repeats=1,
            min_time=0.0,
            ql_repeats=1,
            cold_runs=0,
            cold_compile=False,
            smoke=True,
            n_scenarios=SMOKE_SCENARIOS,
            krd_ql_bonds=SMOKE_KRD_QL_BONDS,
        )
        args.no_cold_start = True
    else:
        cfg = Config(
            quick=args.quick,
            repeats=3 if args.quick else 7,
            min_time=0.2 if args.quick else 1.0,
            ql_repeats=1 if args.quick else 3,
            cold_runs=2 if args.quick else 5,
            cold_compile=not args.quick,
        )
    sizes_arg = args.sizes or (str(SMOKE_BONDS) if args.smoke else "1000,10000")
    sizes = [int(s) for s in sizes_arg.split(",")]
    if args.numba_threads:
        numba.set_num_threads(args.numba_threads)
        os.environ["NUMBA_NUM_THREADS"] = str(args.numba_threads)  # for the subprocesses
    t_start = time.perf_counter()
    load_before = load()
    log(f"building the market ({max(sizes):,} bonds) ...")
    market = C.benchmark_market(max(sizes))
    ql.Settings.instance().evaluationDate = C.ql_date(market.as_of)

    # warm-up: the first call of everything, so that numba's compile (or cache load) stays
    # out of the timings
    log("warm-up (numba compile or cache load) ...")
    t0 = time.perf_counter()
    small = market.subset(min(sizes))
    r = etfcore.price_bonds(
        small.bonds, small.curve, small.settlement, small.spread, yield_convention="compounded"
    )
    etfcore.analytics_from_price(
        small.bonds, r["clean_price"], small.settlement, yield_convention="compounded"
    )
    etfcore.key_rate_durations(small.bonds, small.curve, small.settlement, small.spread)
    build_cashflows(small.bonds, small.settlement, 0)
    warmup = time.perf_counter() - t0

    rows: list[Row] = []
    for n in sizes:
        m = market if n == len(market.bonds) else market.subset(n)
        log(f"N = {n:,}: QuantLib bonds ...")
        qb = C.ql_bonds_from_frame(m.frame)
        qcurve = C.ql_curve(m.curve)
        log(f"N = {n:,}: build ...")
        rows += bench_build(m, qb, cfg)
        log(f"N = {n:,}: price ...")
        price_rows, clean = bench_price(m, qb, qcurve, cfg)
        rows += price_rows
        log(f"N = {n:,}: yield ...")
        rows += bench_yield(m, qb, clean, cfg)
        log(f"N = {n:,}: risk ...")
        rows += bench_risk(m, qb, clean, cfg)
        log(f"N = {n:,}: key-rate durations ...")
        rows += bench_krd(m, qb, cfg)
        log(f"N = {n:,}: {cfg.n_scenarios:,} scenarios ...")
        rows += bench_scenarios(m, qb, cfg)
    cold: dict = {}
    if not args.no_cold_start:
        log("cold start (subprocesses) ...")
        cold_rows, cold = bench_cold_start(market, cfg)
        rows += cold_rows
    elapsed = time.perf_counter() - t_start

    cf = market.bonds.cashflows(market.settlement)
    report = "\n\n".join(
        [
            f"## etfcore vs QuantLib vs numpy: bonds ({run_kind(args)} run, "
            f"{dt.date.today():%Y-%m-%d})",
            f"Machine: {machine()}; load average {load_before} before, {load()} after "
            "(1/5/15 min; a shared machine: numbers above ~2 x cores of load are slowed down).\n"
            f"Software: {versions()}.\n"
            f"Inputs: {len(market.bonds):,} synthetic IG corporates (30/360 US semiannual, "
            f"seed {C.SEED}), {len(cf):,} future cash flows on {cf.unique_days.size:,} distinct "
            f"days; settlement {pd.Timestamp(market.settlement, unit='D'):%Y-%m-%d}; zero curve "
            f"with {market.curve.tenors.size} knots (1m..30y + a 50y knot at the 30y rate); "
            f"market z-spreads; {cfg.n_scenarios:,} random level/slope/curvature scenarios.\n"
            f"Timings: best of >= {cfg.repeats} repeats (etfcore, numpy; median in its own "
            f"column) and of {cfg.ql_repeats} (QuantLib); first calls (numba compile or cache "
            f"load) excluded: the warm-up took {warmup:.1f} s. Whole run {elapsed:.0f} s.",
            table(rows),
            "### Targets\n\n" + targets(rows, cold),
            "### Where the time of each public function goes (its fastest call, kernels timed "
            "inside it)\n\n" + breakdown_table(),
            "### Agreement checked before timing\n\n" + agreement_table(),
            *(["### Skipped rows\n\n" + "\n".join(f"- {x}" for x in SKIPPED)] if SKIPPED else []),
        ]
    )
    print(report)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(report + "\n")
        log(f"wrote {args.markdown}")
    if args.smoke:
        C.print_agreement()
    return 0


def run_kind(args: argparse.Namespace) -> str:
    return "smoke" if args.smoke else "quick" if args.quick else "full"


if __name__ == "__main__":
    raise SystemExit(main())
