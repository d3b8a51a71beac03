"""etfcore's fund and primary-market layers against plain numpy: same funds, same curves, same run.

Usage::

    python benchmarks/bench_fund.py [--quick] [--markdown PATH] [--numba-threads N] [--profile]
    python benchmarks/bench_fund.py --smoke    # CI: small inputs, every check, one call each

The four speed targets of issue 3 ("How fast"), each timed after a warm-up and next to a
plain-numpy version of the same computation on the same inputs, in the same process:

1. NAV of a 10,000-bond ETF on the bid, mid and ask side (``ETF.navs``) in under 1 ms;
2. an iNAV update after a curve move (``ETF.nav`` on ``market.with_curve(...)``, and
   ``INavModel.update``) in under 1 ms;
3. 1,000 scenario NAVs of the synthetic broad IG ETF (2,466 bonds, ``ETF.nav_scenarios``)
   in under 0.1 s;
4. the custom basket of that fund (``custom_basket``, at most 50 bonds) in under 1 s; with
   ``arbitrage_band`` and ``pro_rata_basket`` alongside;

and, for issue 6, the AP decision per AP-day: the pandas ``simulate_ap_day`` against the numba
kernel ``etfcore.primary._kernels.decide_ap_orders_nb`` on 10,000 paths x 60 days x 3 APs
(target well under 1 us per AP-day), decisions checked equal first.

Two numpy versions where they apply: *reprice* prices every bond (``np.interp`` of the zero
curve once per distinct payment day, one ``np.exp`` per flow, ``np.add.reduceat`` per bond;
``common.np_price_curve``) and sums par x price; *ladder* is the numpy twin of etfcore's own
algorithm (flows aggregated once into a cash-flow ladder per side, then one discount factor per
payment day and a dot product). Every etfcore answer is checked against them (and against
``nav_breakdown`` and per-bond ``price_bonds``) before anything is timed. Targets that are missed
are profiled (cProfile, by file and function). See ``benchmarks/README.md``.

``--smoke`` (``tests/test_benchmarks_smoke.py``): a 200-bond big fund, 20 scenarios, AP
decisions on 200 paths x 5 days, one call per measurement, no profiles; every agreement check
as in a full run, each printed as an ``agree:`` line. A check that fails stops the run with an
``AssertionError`` (exit code 1), in every mode.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import itertools
import platform
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common as C  # noqa: E402
import numba  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402
from common import (  # noqa: E402
    agreement_table,
    check,
    fmt,
    load,
    log,
    machine,
)
from scipy.optimize import lsq_linear, nnls  # noqa: E402

import etfcore  # noqa: E402
from etfcore.bonds.curves import ZeroCurve  # noqa: E402
from etfcore.bonds.schedule import Cashflows  # noqa: E402
from etfcore.fund import ETF, INavModel, MarketState  # noqa: E402
from etfcore.liquidity import DEFAULT_BOND_MODEL  # noqa: E402
from etfcore.market import synthetic_market  # noqa: E402
from etfcore.market.synthetic import synthetic_universe  # noqa: E402
from etfcore.primary import (  # noqa: E402
    AuthorizedParticipant,
    basket_distance,
    basket_from_par,
    bond_quotes,
    custom_basket,
    pro_rata_basket,
    simulate_ap_day,
)
from etfcore.primary import _kernels as PK  # noqa: E402
from etfcore.primary.band import TERM_COLUMNS, _one_unit_band  # noqa: E402

# --- agreement tolerances (absolute, per share; NAVs are about 100) -------------------------
NAV_TOL = 1e-9  # NAV per share, USD
INAV_TOL = 1e-9  # iNAV bucket values per share, USD
BASKET_VALUE_TOL = 1e-9  # basket value / (NAV x shares) - 1

N_BIG = 10_000  # bonds of the big fund
N_SCENARIOS = 1_000
SCENARIO_SEED = 7
# AP decisions: the dynamics layer's workload (paths x days x APs)
AP_PATHS, AP_DAYS, AP_SEED = 10_000, 60, 11
#: ``--smoke``: bonds of the big fund, scenarios, AP paths and days.
SMOKE_BIG, SMOKE_SCENARIOS, SMOKE_AP_PATHS, SMOKE_AP_DAYS = 200, 20, 200, 5
MAX_BONDS = 50  # custom basket: at most K bonds
BROAD = "IG_BROAD"
LOT_USD, MIN_PIECE_USD = 1_000.0, 2_000.0  # custom_basket's defaults


# --- targets (from the issue) ---------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    seconds: float
    text: str


TARGET_NAV = Target(1e-3, "NAV of a 10,000-bond ETF on three sides < 1 ms")
TARGET_INAV = Target(1e-3, "an iNAV update after a curve move < 1 ms")
TARGET_SCENARIOS = Target(0.1, "1,000 scenario NAVs of a 2,500-bond ETF < 0.1 s")
TARGET_BASKET = Target(1.0, "the custom basket for a 2,500-bond fund < 1 s")
TARGET_AP_DAY = Target(1e-6, "the AP decision (kernel) < 1 us per AP-day")


@dataclass(frozen=True)
class Config:
    quick: bool
    repeats: int  # every measurement, at least
    min_time: float  # keep repeating until this many seconds (capped at max_calls)
    max_calls: int
    profile_all: bool
    smoke: bool = False
    n_big: int = N_BIG
    n_scenarios: int = N_SCENARIOS
    ap_paths: int = AP_PATHS
    ap_days: int = AP_DAYS


@dataclass
class Row:
    """One task; timings are seconds per call."""

    task: str
    n: int  # bonds in the fund
    etfcore: C.Timing
    reprice: C.Timing | None = None  # numpy: every bond priced, par x price summed
    ladder: C.Timing | None = None  # numpy: the same algorithm as etfcore (cash-flow ladder)
    target: Target | None = None
    note: str = ""
    # what was timed, for the profiles: ``call()`` or ``call(setup())``
    call: Callable[..., object] | None = field(default=None, repr=False)
    setup: Callable[[], object] | None = field(default=None, repr=False)


@dataclass
class Breakdown:
    task: str
    n: int
    api: C.Timing
    kernels: C.Timing
    by_kernel: dict[str, float]


BREAKDOWN: list[Breakdown] = []
AP_KERNEL: list[str] = []
PROFILES: dict[str, str] = {}
QUALITY: list[str] = []


# ------------------------------------------------------------------------------------ timing
def timeit(
    fn: Callable[..., object],
    cfg: Config,
    setup: Callable[[], object] | None = None,
    repeats: int | None = None,
) -> C.Timing:
    """Time ``fn()`` (or ``fn(setup())``, the setup untimed) at least ``repeats`` times, and
    until the calls add up to ``cfg.min_time`` seconds (at most ``cfg.max_calls`` calls)."""
    repeats = cfg.repeats if cfg.smoke else repeats or cfg.repeats
    times: list[float] = []
    total = 0.0
    while len(times) < repeats or (total < cfg.min_time and len(times) < cfg.max_calls):
        if setup is None:
            t0 = time.perf_counter()
            fn()
        else:
            arg = setup()
            t0 = time.perf_counter()
            fn(arg)
        dt_ = time.perf_counter() - t0
        times.append(dt_)
        total += dt_
    return C.Timing(tuple(times))


class FundKernelTimer(C.KernelTimer):
    """``common.KernelTimer`` over the fund layer's kernels too."""

    MODULES = (*C.KernelTimer.MODULES, "etfcore.fund._kernels")


def kernel_share(
    task: str,
    n: int,
    fn: Callable[..., object],
    cfg: Config,
    setup: Callable[[], object] | None = None,
    repeats: int | None = None,
) -> None:
    """Time the same calls again with every numba kernel wrapped: what part is in kernels."""
    repeats = cfg.repeats if cfg.smoke else repeats or cfg.repeats
    calls: list[float] = []
    kernels: list[float] = []
    names: list[dict[str, float]] = []
    with FundKernelTimer() as timer:
        for _ in range(repeats):
            arg = setup() if setup is not None else None
            timer.reset()
            t0 = time.perf_counter()
            fn() if setup is None else fn(arg)
            calls.append(time.perf_counter() - t0)
            kernels.append(timer.total)
            names.append(dict(timer.by_name))
    best = int(np.argmin(calls))
    BREAKDOWN.append(
        Breakdown(task, n, C.Timing(tuple(calls)), C.Timing(tuple(kernels)), names[best])
    )


def profile(
    task: str,
    fn: Callable[..., object],
    calls: int,
    setup: Callable[[], object] | None = None,
    top: int = 14,
) -> None:
    """cProfile over ``calls`` calls; the functions with the most own time, per call."""
    args = [setup() if setup is not None else None for _ in range(calls)]
    prof = cProfile.Profile()
    prof.enable()
    for a in args:
        fn() if setup is None else fn(a)
    prof.disable()
    stats = pstats.Stats(prof)
    entries = []
    for (path, line, name), (_, ncalls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        entries.append((tottime, cumtime, ncalls, short_path(path), line, name))
    entries.sort(reverse=True)
    total = sum(e[0] for e in entries)
    lines = [
        f"cProfile, {calls} call(s); per call: {total / calls * 1e3:.3f} ms of own time in all "
        "(profiler overhead included)",
        "",
        "| function | calls per call | own ms per call | own % | cumulative ms per call |",
        "|---|---|---|---|---|",
    ]
    for tottime, cumtime, ncalls, path, line, name in entries[:top]:
        lines.append(
            f"| `{path}:{line}({name})` | {ncalls / calls:g} | {tottime / calls * 1e3:.3f} | "
            f"{100 * tottime / total:.0f}% | {cumtime / calls * 1e3:.3f} |"
        )
    PROFILES[task] = "\n".join(lines)


def short_path(path: str) -> str:
    for marker in ("site-packages/", "/etfcore/", "/benchmarks/"):
        if marker in path:
            head = "" if marker == "site-packages/" else marker.strip("/") + "/"
            return head + path.split(marker, 1)[1]
    return path


def fresh_curves(base: ZeroCurve) -> Callable[[], ZeroCurve]:
    """A new ZeroCurve object each call (parallel moves of 0.01, 0.02, ... bp): nothing the
    library caches per curve object (its daily discount table) can be reused."""
    counter = itertools.count(1)
    return lambda: base.shift(0.01 * next(counter))


# ------------------------------------------------------------------------------------- funds
def big_fund(n_bonds: int = N_BIG) -> tuple[ETF, MarketState]:
    """A 10,000-bond IG fund on the benchmark universe (the bonds of ``bench_bonds.py``).

    Par is 0.2-2% of each issue (in $1,000 lots); cash 0.5%, receivables 0.1%, liabilities 0.2%
    of the bonds' value and 20 days of a 14 bp expense ratio accrued; shares make NAV about 100.
    """
    uni = synthetic_universe(C.SEED, n_ig=n_bonds, n_hy=0)
    bonds = uni.bonds
    market = MarketState(bonds, uni.curve, uni.z_spread, uni.settlement, DEFAULT_BOND_MODEL)
    rng = np.random.default_rng(C.SEED)
    issue = bonds.attributes["issue_size_usd"].to_numpy(dtype=float)
    par = np.maximum(np.round(issue * rng.uniform(0.002, 0.02, len(bonds)) / 1e3), 10.0) * 1e3
    dirty = etfcore.price_bonds(bonds, uni.curve, uni.settlement, spread=uni.z_spread)
    value = float(par @ dirty["dirty_price"].to_numpy()) / 100.0
    cash, receivables, liabilities = 0.005 * value, 0.001 * value, 0.002 * value
    expenses = value * 0.0014 * 20 / 365
    net = value + cash + receivables - liabilities - expenses
    shares = round(net / 100.0 / 1e5) * 1e5
    etf = ETF(
        "SYNTH_IG_10K",
        holdings=pd.Series(par, index=bonds.ids),
        shares_outstanding=shares,
        creation_unit_size=100_000,
        cash_usd=cash,
        receivables_usd=receivables,
        liabilities_usd=liabilities,
        accrued_expenses_usd=expenses,
    )
    return etf, market


@dataclass(frozen=True)
class FundArrays:
    """What the numpy twins take: the fund's cash flows (holdings order) and per-bond inputs.

    ``ladder`` is the numpy-built cash-flow ladder ``(3, U)`` (bid, mid, ask): per distinct
    payment day, the flows of every bond with its z-spread folded in (``a exp(-s dtau)``),
    times par / 100 and the side's price factor ``1 -/+ h``; ``const`` is the accrued part
    the bid and ask sides add back (``+/- sum(par h accrued) / 100``).
    """

    cf: Cashflows
    spread: np.ndarray
    par100: np.ndarray
    half_spread: np.ndarray  # fraction of price
    other_usd: float
    shares: float
    days: np.ndarray  # distinct payment days, then the settlement day
    ladder: np.ndarray
    const: np.ndarray


def fund_arrays(etf: ETF, market: MarketState) -> FundArrays:
    bonds = etf.bonds(market)
    cf = bonds.cashflows(market.settlement)
    spread = market.z_spread.reindex(bonds.ids).to_numpy(dtype=float)
    par100 = etf.holdings.reindex(bonds.ids).to_numpy(dtype=float) / 100.0
    h = market.half_spread_bp(bonds).to_numpy(dtype=float) * 1e-4
    amounts = cf.amount * np.exp(-np.repeat(spread, np.diff(cf.offsets)) * cf.dtau)
    u = cf.unique_days.size
    counts = np.diff(cf.offsets)
    ladder = np.vstack(
        [
            np.bincount(cf.day_index, amounts * np.repeat(par100 * f, counts), minlength=u)
            for f in (1.0 - h, np.ones_like(h), 1.0 + h)
        ]
    )
    acc_h = float(np.dot(par100 * h, cf.accrued))
    other = etf.cash_usd + etf.receivables_usd - etf.liabilities_usd - etf.accrued_expenses_usd
    return FundArrays(
        cf=cf,
        spread=spread,
        par100=par100,
        half_spread=h,
        other_usd=float(other),
        shares=etf.shares_outstanding,
        days=np.append(cf.unique_days, np.int64(market.settlement)),
        ladder=ladder,
        const=np.array([acc_h, 0.0, -acc_h]),
    )


def np_log_df_weights(curve: ZeroCurve, days: np.ndarray) -> np.ndarray:
    """``(K, D)``: ``log DF(day d) = zero_rates @ W[:, d]`` for any zero rates on the knots of
    ``curve`` (linear in the zero rate, flat outside the knots, ACT/365F)."""
    t = (days - curve.reference_date) / 365.0
    tk = np.asarray(curve.tenors)
    k = tk.size
    j = np.clip(np.searchsorted(tk, t, side="right") - 1, 0, k - 2)
    w1 = np.clip((t - tk[j]) / (tk[j + 1] - tk[j]), 0.0, 1.0)
    w = np.zeros((k, days.size))
    cols = np.arange(days.size)
    np.add.at(w, (j, cols), -(1.0 - w1) * t)
    np.add.at(w, (j + 1, cols), -w1 * t)
    return w


# --- numpy NAV ---------------------------------------------------------------------------
def np_nav_reprice(fa: FundArrays, curve: ZeroCurve) -> np.ndarray:
    """NAV per share (bid, mid, ask): every bond priced (``common.np_price_curve``), then
    ``sum(par x (clean (1 -/+ h) + accrued)) / 100 + other assets``, over shares."""
    dirty = C.np_price_curve(fa.cf, curve, fa.spread)
    clean = dirty - fa.cf.accrued
    clean_v = fa.par100 @ clean
    spread_v = (fa.par100 * fa.half_spread) @ clean
    acc_v = fa.par100 @ fa.cf.accrued
    values = np.array([clean_v - spread_v, clean_v, clean_v + spread_v]) + acc_v
    return (values + fa.other_usd) / fa.shares


def np_nav_ladder(fa: FundArrays, curve: ZeroCurve) -> np.ndarray:
    """NAV per share (bid, mid, ask) from the numpy ladder: ``np.interp`` of the zero curve per
    payment day, ``np.exp``, one ``(3, U) @ (U,)`` product."""
    df = np.exp(C.np_discount_log(curve, fa.days))
    values = fa.ladder @ df[:-1] / df[-1] + fa.const
    return (values + fa.other_usd) / fa.shares


# --- numpy scenarios ---------------------------------------------------------------------
def np_scenarios_reprice(
    plan: C.NumpyScenarioPlan, fa: FundArrays, zero_rates: np.ndarray
) -> np.ndarray:
    """Mid NAV per share per scenario: every bond under every scenario
    (``common.np_scenario_prices``: dense log-DF, ``np.exp``, a scipy.sparse CSR product per
    block of 64 scenarios), then par x price."""
    prices = C.np_scenario_prices(plan, zero_rates)
    return (prices @ fa.par100 + fa.other_usd) / fa.shares


def np_scenarios_ladder(
    weights: np.ndarray, fa: FundArrays, zero_rates: np.ndarray, block: int = 128
) -> np.ndarray:
    """Mid NAV per share per scenario from the numpy ladder: per block of scenarios,
    ``log DF = Z @ W`` (dense), ``np.exp`` in place, ``(B, U) @ ladder``."""
    n = zero_rates.shape[0]
    out = np.empty(n)
    lad = fa.ladder[1]
    for lo in range(0, n, block):
        hi = min(lo + block, n)
        df = zero_rates[lo:hi] @ weights
        np.exp(df, out=df)
        out[lo:hi] = df[:, :-1] @ lad / df[:, -1]
    return (out + fa.const[1] + fa.other_usd) / fa.shares


# --- numpy iNAV ----------------------------------------------------------------------------
@dataclass(frozen=True)
class NumpyINav:
    """The numpy twin of ``INavModel`` for a curve move (no spread move).

    Ladders by staleness bucket and side ``(U, 3B)`` (day-major, side fastest), side
    constants, the first and second derivatives of each column's value in the knot zero
    rates at the base curve, and each column's ``lambda``. The bucket of each bond and the
    buckets' ``lambda`` are the model's (public ``bucket`` and ``buckets``): inputs, not
    part of what is timed.
    """

    weights: np.ndarray  # (K, U + 1) log-DF weights
    ladders: np.ndarray  # (U, 3B)
    const: np.ndarray  # (3B,)
    base_value: np.ndarray  # (3B,)
    base_zero: np.ndarray  # (K,)
    m1: np.ndarray  # (K, 3B)
    m2: np.ndarray  # (K * K, 3B)
    lam: np.ndarray  # (3B,)


def np_inav_model(fa: FundArrays, model: INavModel, curve: ZeroCurve) -> NumpyINav:
    cf = fa.cf
    counts = np.diff(cf.offsets)
    bucket = model.bucket.to_numpy()
    n_b = len(model.buckets)
    u = cf.unique_days.size
    amounts = cf.amount * np.exp(-np.repeat(fa.spread, counts) * cf.dtau)
    h = fa.half_spread
    ladders = np.zeros((u, 3 * n_b))
    for s, f in enumerate((1.0 - h, np.ones_like(h), 1.0 + h)):
        col = np.repeat(bucket * 3 + s, counts)
        flat = np.bincount(
            cf.day_index * (3 * n_b) + col,
            amounts * np.repeat(fa.par100 * f, counts),
            minlength=u * 3 * n_b,
        )
        ladders += flat.reshape(u, 3 * n_b)
    acc = np.bincount(bucket, fa.par100 * h * cf.accrued, minlength=n_b)
    const = np.column_stack([acc, np.zeros(n_b), -acc]).reshape(-1)
    w = np_log_df_weights(curve, fa.days)
    z0 = np.asarray(curve.zero_rates, dtype=float)
    df0 = np.exp(z0 @ w)
    base = df0[:-1] @ ladders / df0[-1] + const
    g = (w[:, :-1] - w[:, -1:]).T  # (U, K): d log(DF_u / DF_settle) / dz
    lw = ladders * (df0[:-1] / df0[-1])[:, None]
    k = g.shape[1]
    m1 = g.T @ lw
    m2 = (g[:, :, None] * g[:, None, :]).reshape(u, k * k).T @ lw
    lam = np.repeat(model.buckets["adjustment"].to_numpy(dtype=float), 3)
    return NumpyINav(w, ladders, const, base, z0, m1, m2, lam)


def np_inav_update(
    nm: NumpyINav, stale: np.ndarray, est_stale: np.ndarray, zero_rates: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(true, stale, estimated, estimated stale) bucket values after one interval."""
    df = np.exp(zero_rates @ nm.weights)
    true = df[:-1] @ nm.ladders / df[-1] + nm.const
    dz = zero_rates - nm.base_zero
    est = nm.base_value + dz @ nm.m1 + 0.5 * (np.outer(dz, dz).reshape(-1) @ nm.m2)
    return (
        true,
        stale + nm.lam * (true - stale),
        est,
        est_stale + nm.lam * (est - est_stale),
    )


# --- numpy / scipy baskets -----------------------------------------------------------------
@dataclass(frozen=True)
class BasketInputs:
    """Per holding (holdings order): features (KRDs at the curve's knots, spread duration, one-
    hot sectors, each over its tolerance, as ``custom_basket`` builds them), value weights,
    half-spread (bp) and bid dirty price, and the value to deliver in kind."""

    ids: pd.Index
    x: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    half_spread_bp: np.ndarray
    dirty_bid: np.ndarray
    in_kind_usd: float


def basket_inputs(etf: ETF, market: MarketState, in_kind_usd: float) -> BasketInputs:
    tol = etfcore.primary.DEFAULT_TOLERANCES
    bonds = etf.bonds(market)
    res = etfcore.price_bonds(bonds, market.curve, market.settlement, spread=market.z_spread)
    krd = etfcore.key_rate_durations(bonds, market.curve, market.settlement, market.z_spread)
    sector = bonds.attributes["sector"].astype(str).to_numpy()
    onehot = (sector[:, None] == np.unique(sector)[None, :]).astype(float)
    x = np.hstack(
        [
            krd.to_numpy() / tol["krd"],
            res[["spread_duration"]].to_numpy() / tol["spread_duration"],
            onehot / tol["sector"],
        ]
    )
    mv = etf.holdings.reindex(bonds.ids).to_numpy() * res["dirty_price"].to_numpy()
    v = mv / mv.sum()
    quotes = bond_quotes(market, bonds.ids)
    return BasketInputs(
        ids=bonds.ids,
        x=x,
        target=v @ x,
        weight=v,
        half_spread_bp=quotes["half_spread_bp"].to_numpy(),
        dirty_bid=quotes["dirty_bid"].to_numpy(),
        in_kind_usd=in_kind_usd,
    )


def _lots(w: np.ndarray, bi: BasketInputs, pos: np.ndarray) -> np.ndarray:
    par = np.floor(w * bi.in_kind_usd / (bi.dirty_bid[pos] / 100.0) / LOT_USD + 1e-9) * LOT_USD
    par[par < MIN_PIECE_USD] = 0.0
    return par


def np_basket_top_k(bi: BasketInputs, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The naive alternative: the fund's ``k`` largest holdings, weights by NNLS on the same
    features (tracking only: no liquidity term, no caps), budget row; par in lots."""
    pos = np.sort(np.argsort(-bi.weight, kind="stable")[:k])
    big = 1e4
    a = np.vstack([bi.x[pos].T, np.full((1, pos.size), big), np.eye(pos.size)])
    b = np.concatenate([bi.target, [big], np.zeros(pos.size)])
    w, _ = nnls(a, b, maxiter=50 * pos.size)
    w = w / w.sum()
    return pos, _lots(w, bi, pos)


def np_basket_no_pool(bi: BasketInputs, k: int, liquidity_weight: float = 1.0):
    """The same objective as ``custom_basket`` (tracking + ridge + liquidity cost folded into
    the ridge rows, budget row), but with scipy on every holding and no candidate pool:
    NNLS on all bonds, keep the ``k`` largest weights, BVLS with the ``4 / k`` caps. The cost
    is each bond's half-spread (``custom_basket`` adds impact)."""
    n = bi.x.shape[0]
    big = 1e4
    cost = bi.half_spread_bp

    def rows(pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m = pos.size
        a = np.vstack([bi.x[pos].T, np.full((1, m), big), np.eye(m)])
        b = np.concatenate([bi.target, [big], -liquidity_weight * cost[pos] / 2.0])
        return a, b

    a, b = rows(np.arange(n))
    w, _ = nnls(a, b, maxiter=50 * n)
    pos = np.sort(np.lexsort((cost, -w))[:k])
    a, b = rows(pos)
    cap = min(1.0, 4.0 / k)
    w = lsq_linear(a, b, bounds=(np.zeros(k), np.full(k, cap)), method="bvls", tol=1e-12).x
    w = np.clip(w, 0.0, None)
    return pos, _lots(w / w.sum(), bi, pos)


# ------------------------------------------------------------------------------------- tasks
def add(
    rows: list[Row],
    task: str,
    n: int,
    fn: Callable[..., object],
    cfg: Config,
    *,
    setup: Callable[[], object] | None = None,
    reprice: C.Timing | None = None,
    ladder: C.Timing | None = None,
    target: Target | None = None,
    note: str = "",
    kernels: bool = False,
    repeats: int | None = None,
) -> Row:
    """Time ``fn`` (and, with ``kernels``, the part of it inside numba kernels); add a row."""
    row = Row(
        task,
        n,
        timeit(fn, cfg, setup=setup, repeats=repeats),
        reprice,
        ladder,
        target,
        note,
        call=fn,
        setup=setup,
    )
    if kernels:
        kernel_share(task, n, fn, cfg, setup=setup, repeats=repeats)
    rows.append(row)
    return row


def bench_nav(etf: ETF, market: MarketState, cfg: Config) -> list[Row]:
    n = len(etf.holdings)
    fa = fund_arrays(etf, market)
    curve = market.curve
    got = etf.navs(market).to_numpy()
    check(
        "NAV (bid, mid, ask): numpy reprice vs etfcore navs",
        n,
        np_nav_reprice(fa, curve),
        got,
        NAV_TOL,
    )
    check("NAV: numpy ladder vs etfcore navs", n, np_nav_ladder(fa, curve), got, NAV_TOL)
    check("NAV: nav_breakdown vs navs", n, etf.nav_breakdown(market).nav_per_share, got, NAV_TOL)
    check(
        "NAV: nav(side) vs navs",
        n,
        [etf.nav(market, s) for s in ("bid", "mid", "ask")],
        got,
        NAV_TOL,
    )
    bonds = etf.bonds(market)
    res = etfcore.price_bonds(bonds, curve, market.settlement, spread=market.z_spread)
    clean, acc = res["clean_price"].to_numpy(), res["accrued_interest"].to_numpy()
    per_bond = np.array([fa.par100 @ (clean * (1 + s * fa.half_spread) + acc) for s in (-1, 0, 1)])
    check(
        "NAV: sum of par x price_bonds (clean (1 -/+ h) + accrued) vs navs",
        n,
        (per_bond + fa.other_usd) / fa.shares,
        got,
        NAV_TOL,
    )

    rows: list[Row] = []
    t_re = timeit(lambda: np_nav_reprice(fa, curve), cfg)
    t_la = timeit(lambda: np_nav_ladder(fa, curve), cfg)
    add(
        rows,
        "NAV, 3 sides: ETF.navs (ladder cached)",
        n,
        lambda: etf.navs(market),
        cfg,
        reprice=t_re,
        ladder=t_la,
        target=TARGET_NAV,
        kernels=True,
        note="numpy reprice interpolates once per distinct day (faster than per flow)",
    )
    add(
        rows,
        "NAV, 1 side: ETF.nav(market, 'bid')",
        n,
        lambda: etf.nav(market, "bid"),
        cfg,
        reprice=t_re,
        ladder=t_la,
    )
    add(
        rows,
        "NAV components: ETF.nav_breakdown",
        n,
        lambda: etf.nav_breakdown(market),
        cfg,
        reprice=t_re,
        ladder=t_la,
        note="a DataFrame of 9 rows x 3 sides",
    )
    add(
        rows,
        "NAV, 3 sides, first call of a new ETF object (builds its ladder)",
        n,
        lambda e: e.navs(market),
        cfg,
        setup=etf.replace,
        kernels=True,
        note="BondSet.take + cash flows + half-spreads (liquidity model) + ladder_nb; once per "
        "fund, settlement, spreads and regime (numpy reprice, which needs no ladder: "
        f"{fmt(ms(t_re))} ms)",
    )
    return rows


def bench_inav(etf: ETF, market: MarketState, cfg: Config) -> list[Row]:
    n = len(etf.holdings)
    fa = fund_arrays(etf, market)
    base = market.curve
    moved = base.shift(1.0)
    got = etf.navs(market.with_curve(moved)).to_numpy()
    check(
        "iNAV after +1 bp: numpy reprice vs etfcore navs",
        n,
        np_nav_reprice(fa, moved),
        got,
        NAV_TOL,
    )
    check(
        "iNAV after +1 bp: numpy ladder vs etfcore navs", n, np_nav_ladder(fa, moved), got, NAV_TOL
    )

    log("  INavModel ...")
    t_model = timeit(lambda: INavModel(etf, market), cfg, repeats=2 if cfg.quick else 3)
    model = INavModel(etf, market, stale_on="price")  # the numpy twin's whole-price rule
    nm = np_inav_model(fa, model, base)
    state0 = model.initial_state()
    check(
        "INavModel base: numpy bucket values vs etfcore",
        n,
        nm.base_value / fa.shares,
        state0.true_value / fa.shares,
        INAV_TOL,
    )
    state = model.update(state0, moved)
    mine = np_inav_update(nm, state0.stale_value, state0.estimated_stale_value, moved.zero_rates)
    theirs = (
        state.true_value,
        state.stale_value,
        state.estimated_value,
        state.estimated_stale_value,
    )
    for what, a, b in zip(
        ("true", "stale", "estimated (fair-value)", "estimated stale"), mine, theirs, strict=True
    ):
        check(
            f"INavModel.update +1 bp, {what} bucket values: numpy vs etfcore",
            n,
            a / fa.shares,
            b / fa.shares,
            INAV_TOL,
        )
    check(
        "INavModel.update true NAV vs ETF.navs on the moved market",
        n,
        state.true_nav.to_numpy(),
        got,
        NAV_TOL,
    )

    rows: list[Row] = []
    new_curve = fresh_curves(base)
    t_re = timeit(lambda c: np_nav_reprice(fa, c)[0], cfg, setup=new_curve)
    t_la = timeit(lambda c: np_nav_ladder(fa, c)[0], cfg, setup=new_curve)
    add(
        rows,
        "iNAV after a curve move: ETF.nav(market.with_curve(new curve))",
        n,
        lambda c: etf.nav(market.with_curve(c), "bid"),
        cfg,
        setup=new_curve,
        reprice=t_re,
        ladder=t_la,
        target=TARGET_INAV,
        kernels=True,
        note="a new ZeroCurve object each call (its daily discount table is built in the call); "
        "with_curve re-aligns the z-spreads; one side",
    )
    add(
        rows,
        "  of which: market.with_curve(new curve)",
        n,
        lambda c: market.with_curve(c),
        cfg,
        setup=new_curve,
        note="a shallow copy: only the new curve is checked; spreads and caches are shared",
    )
    add(
        rows,
        "  of which: new curve.discount_days(the fund's payment days), its first call",
        n,
        lambda c: c.discount_days(fa.days),
        cfg,
        setup=new_curve,
        note=f"builds the curve's 40-year daily discount table, then gathers {fa.days.size:,} days",
    )
    same = market.with_curve(moved)
    add(
        rows,
        "  of which: ETF.nav(moved market, 'bid') once the curve's table exists",
        n,
        lambda: etf.nav(same, "bid"),
        cfg,
        reprice=t_re,
        ladder=t_la,
        note="ladder cached: a gather of discount factors and a dot product",
    )
    add(
        rows,
        "the same with one curve object reused: ETF.nav(market.with_curve(curve.shift(1.0)))",
        n,
        lambda: etf.nav(market.with_curve(moved), "bid"),
        cfg,
        reprice=t_re,
        ladder=t_la,
        note="as in the issue's example; the curve's daily table is built once",
    )
    t_re3 = timeit(lambda c: np_nav_reprice(fa, c), cfg, setup=new_curve)
    t_la3 = timeit(lambda c: np_nav_ladder(fa, c), cfg, setup=new_curve)
    add(
        rows,
        "iNAV after a curve move, 3 sides: ETF.navs(market.with_curve(new curve))",
        n,
        lambda c: etf.navs(market.with_curve(c)),
        cfg,
        setup=new_curve,
        reprice=t_re3,
        ladder=t_la3,
        note="for reference (the iNAV target is one figure); a new curve object each call",
    )

    t_np = timeit(
        lambda c: np_inav_update(
            nm, state0.stale_value, state0.estimated_stale_value, c.zero_rates
        ),
        cfg,
        setup=new_curve,
    )
    add(
        rows,
        "iNAV update: INavModel.update(state, new curve)",
        n,
        lambda c: model.update(state0, c),
        cfg,
        setup=new_curve,
        ladder=t_np,
        target=TARGET_INAV,
        kernels=True,
        note=f"true, stale and fair-value values of {len(model.buckets)} staleness buckets x 3 "
        "sides; numpy ladder: the same update from numpy-built bucket ladders and derivatives",
    )
    rows.append(
        Row(
            "iNAV model build (once per fund and base market): INavModel(etf, market)",
            n,
            t_model,
            note="bucket ladders, per-bond values, derivatives",
        )
    )
    return rows


def bench_scenarios(etf: ETF, market: MarketState, cfg: Config) -> list[Row]:
    n = len(etf.holdings)
    fa = fund_arrays(etf, market)
    n_scen = cfg.n_scenarios
    scen = etfcore.random_shocks(market.curve, n_scen, rng=SCENARIO_SEED)
    zr = np.ascontiguousarray(scen.zero_rates)
    plan = C.np_scenario_plan(fa.cf, market.curve, fa.spread)
    weights = np_log_df_weights(market.curve, fa.days)
    got = etf.nav_scenarios(market, scen).to_numpy()
    n_nav = min(20, n_scen)
    check(
        f"{n_scen:,} scenario NAVs (mid): numpy reprice vs etfcore",
        n,
        np_scenarios_reprice(plan, fa, zr),
        got,
        NAV_TOL,
    )
    check(
        f"{n_scen:,} scenario NAVs: numpy ladder vs etfcore",
        n,
        np_scenarios_ladder(weights, fa, zr),
        got,
        NAV_TOL,
    )
    check(
        f"{n_scen:,} scenario NAVs: the first {n_nav} by ETF.nav on each curve",
        n,
        [etf.nav(market.with_curve(scen[i]), "mid") for i in range(n_nav)],
        got[:n_nav],
        NAV_TOL,
    )

    rows: list[Row] = []
    t_re = timeit(lambda: np_scenarios_reprice(plan, fa, zr), cfg)
    t_la = timeit(lambda: np_scenarios_ladder(weights, fa, zr), cfg)
    add(
        rows,
        f"{n_scen:,} scenario NAVs: ETF.nav_scenarios",
        n,
        lambda: etf.nav_scenarios(market, scen),
        cfg,
        reprice=t_re,
        ladder=t_la,
        target=TARGET_SCENARIOS,
        kernels=True,
        note=f"random_shocks(curve, {n_scen}, rng={SCENARIO_SEED}); "
        f"{fa.days.size - 1:,} payment days; mid side",
    )
    add(
        rows,
        "  of which the scenario discount factors: CurveScenarios.discount_days",
        n,
        lambda: scen.discount_days(fa.days),
        cfg,
        note=f"{n_scen:,} x {fa.days.size:,} discount factors (one exp each)",
    )
    return rows


def bench_primary(etf: ETF, market: MarketState, cfg: Config) -> list[Row]:
    n = len(etf.holdings)
    k = MAX_BONDS
    new_curve = fresh_curves(market.curve)

    def moved_market() -> MarketState:
        return market.with_curve(new_curve())

    b = custom_basket(etf, market, units=1, max_bonds=k)
    nav = etf.nav(market, "bid")
    check(
        "custom basket: bid value / (NAV x shares) - 1",
        n,
        b.value_usd(market, "bid") / (nav * b.shares) - 1.0,
        0.0,
        BASKET_VALUE_TOL,
    )
    if b.n_bonds > k:
        raise AssertionError(f"the custom basket has {b.n_bonds} bonds, more than {k}")
    log("  basket inputs for the numpy / scipy alternatives ...")
    bi = basket_inputs(etf, market, nav * b.shares - b.cash_component_usd)
    pos_a, par_a = np_basket_top_k(bi, k)
    pos_b, par_b = np_basket_no_pool(bi, k)
    alt_a = basket_from_par(etf, market, pd.Series(par_a, index=bi.ids[pos_a]))
    alt_b = basket_from_par(etf, market, pd.Series(par_b, index=bi.ids[pos_b]))
    pro = pro_rata_basket(etf, market)
    quality(
        etf,
        market,
        {
            "pro rata": pro,
            "etfcore custom_basket": b,
            "numpy top-50 + NNLS": alt_a,
            "scipy, no pool": alt_b,
        },
    )
    t_a = timeit(lambda: np_basket_top_k(bi, k), cfg)
    t_b = timeit(lambda: np_basket_no_pool(bi, k), cfg, repeats=2 if cfg.quick else 3)

    rows: list[Row] = []
    add(
        rows,
        f"custom basket (K = {k}), repeat call: custom_basket",
        n,
        lambda: custom_basket(etf, market, units=1, max_bonds=k),
        cfg,
        target=TARGET_BASKET,
        kernels=True,
        note="the fund's risk table (KRDs) and the market's quotes cached; the next two rows "
        "are the numpy/scipy alternatives",
    )
    rows.append(
        Row(
            f"  alternative, numpy/scipy: top {k} holdings by value + NNLS",
            n,
            t_a,
            note="tracking only (no liquidity term, no caps), from the same "
            "precomputed features: compare with the repeat call; quality below",
        )
    )
    rows.append(
        Row(
            "  alternative, scipy: the same objective on all holdings, no pool",
            n,
            t_b,
            note=f"NNLS on all {n:,} bonds, keep {k}, BVLS with caps; from the same "
            "precomputed features; quality below",
        )
    )
    add(
        rows,
        "custom basket, first call of a new ETF object (market quotes cached)",
        n,
        lambda e: custom_basket(e, market, units=1, max_bonds=k),
        cfg,
        setup=etf.replace,
        target=TARGET_BASKET,
        kernels=True,
        note="builds the fund's ladder (NAV) and risk table (price_bonds + key-rate durations)",
    )
    add(
        rows,
        "custom basket, first call on a moved curve (quotes and risk table cold)",
        n,
        lambda m: custom_basket(etf, m, units=1, max_bonds=k),
        cfg,
        setup=moved_market,
        target=TARGET_BASKET,
        kernels=True,
        note=f"bond_quotes prices all {len(market.bonds):,} bonds of the market",
    )

    def cold() -> tuple[ETF, MarketState]:
        return etf.replace(), moved_market()

    add(
        rows,
        "custom basket, new ETF object and moved curve (every cache cold)",
        n,
        lambda em: custom_basket(em[0], em[1], units=1, max_bonds=k),
        cfg,
        setup=cold,
        target=TARGET_BASKET,
        kernels=True,
    )
    add(
        rows,
        "pro-rata basket, repeat call: pro_rata_basket",
        n,
        lambda: pro_rata_basket(etf, market),
        cfg,
        kernels=True,
    )
    add(
        rows,
        "pro-rata basket, moved curve (quotes cold)",
        n,
        lambda m: pro_rata_basket(etf, m),
        cfg,
        setup=moved_market,
    )
    add(
        rows,
        "arbitrage band (normal), repeat call: arbitrage_band",
        n,
        lambda: etfcore.arbitrage_band(etf, market),
        cfg,
        kernels=True,
        note="pro-rata baskets both sides, fees, impact, carry, balance sheet",
    )
    add(
        rows,
        "arbitrage band (stress), repeat call",
        n,
        lambda: etfcore.arbitrage_band(etf, market, "stress"),
        cfg,
    )
    add(
        rows,
        "arbitrage band (normal), moved curve (quotes cold)",
        n,
        lambda m: etfcore.arbitrage_band(etf, m),
        cfg,
        setup=moved_market,
        kernels=True,
    )
    return rows


def bench_ap_kernel(etf: ETF, market: MarketState, cfg: Config) -> list[Row]:
    """The AP decision: pandas ``simulate_ap_day`` (3 APs) against the numba kernel on
    ``AP_PATHS`` paths x ``AP_DAYS`` days x 3 APs; both per AP-day."""
    n_paths, n_days = cfg.ap_paths, cfg.ap_days
    aps = [
        AuthorizedParticipant(
            "AP1", cost_bp=1.0, capacity_usd_per_day=200e6, balance_sheet_limit_usd=1e9
        ),
        AuthorizedParticipant(
            "AP2", cost_bp=2.0, capacity_usd_per_day=100e6, balance_sheet_limit_usd=300e6
        ),
        AuthorizedParticipant(
            "AP3", cost_bp=4.0, capacity_usd_per_day=50e6, balance_sheet_limit_usd=100e6
        ),
    ]
    k = len(aps)
    nav = etf.nav(market, "bid")
    cu = float(etf.creation_unit_size)
    bands = [_one_unit_band(etf, market, ap, 1.0) for ap in aps]
    terms = np.stack(
        [
            b.threshold_terms_bp().loc[["create", "redeem"], list(TERM_COLUMNS)].to_numpy()
            for b in bands
        ]
    )  # (k, 2, 3)

    # agreement: the kernel's decisions against the pandas day, on a few premiums (each
    # AP alone on the fund as it is, so both see the same fund)
    premiums = np.array([-90.0, -30.0, -6.0, 0.0, 10.0, 30.0, 60.0, 120.0])
    got, ref = [], []
    for prem in premiums:
        price = nav * (1 + prem * 1e-4)
        for j, ap in enumerate(aps):
            _, actions = simulate_ap_day(etf, market, price, [ap])
            row = actions.iloc[0]
            ref.append(int(row["units"]) * (-1 if row["action"] == "redeem" else 1))
            units, _, status = PK.decide_ap_orders_nb(
                np.array([[float(row["premium_bp"])]]),
                np.ascontiguousarray(terms[j : j + 1][None]),
                np.array([[ap.capacity_usd("normal")]]),
                np.array([[ap.balance_sheet_limit_usd]]),
                np.array([[nav * cu]]),
                np.array([float(etf.shares_outstanding)]),
                cu,
            )
            got.append(int(units[0, 0]) if status[0] == PK.STATUS_OK else 10**9)
    check("AP units: kernel vs pandas simulate_ap_day", len(ref), np.array(got), np.array(ref), 0)

    # the workload: AR(1) premia per path, the same three APs on every path
    rng = np.random.default_rng(AP_SEED)
    premium = np.empty((n_days, n_paths))
    p = np.zeros(n_paths)
    for t in range(n_days):
        p = 0.7 * p + 20.0 * rng.standard_normal(n_paths)
        premium[t] = p
    prem_k = np.ascontiguousarray(np.repeat(premium[:, :, None], k, axis=2))  # (days, paths, k)
    terms_k = np.ascontiguousarray(np.broadcast_to(terms, (n_paths, k, 2, 3)))
    capacity = np.ascontiguousarray(
        np.broadcast_to([ap.capacity_usd("normal") for ap in aps], (n_paths, k))
    )
    room = np.ascontiguousarray(
        np.broadcast_to([ap.balance_sheet_limit_usd for ap in aps], (n_paths, k))
    )
    unit_value = np.full((n_paths, k), nav * cu)
    shares = np.full(n_paths, float(etf.shares_outstanding))

    def kernel_days() -> None:
        for t in range(n_days):
            PK.decide_ap_orders_nb(prem_k[t], terms_k, capacity, room, unit_value, shares, cu)

    kernel_days()  # compile or load the cache
    n_ap_days = n_paths * n_days * k
    t_kernel = timeit(kernel_days, cfg, repeats=3)
    price = nav * (1 + 60e-4)
    t_pandas = timeit(
        lambda: simulate_ap_day(etf, market, price, aps), cfg, repeats=2 if cfg.quick else 3
    )
    per_kernel = C.Timing(tuple(x / n_ap_days for x in t_kernel.times))
    per_pandas = C.Timing(tuple(x / k for x in t_pandas.times))
    AP_KERNEL.append(
        f"pandas `simulate_ap_day` (3 APs, {len(etf.holdings):,}-bond fund): "
        f"{t_pandas.best * 1e3:.1f} ms a day = {per_pandas.best * 1e6:,.0f} us per AP-day; "
        f"kernel `decide_ap_orders_nb`, {n_paths:,} paths x {n_days} days x {k} APs: "
        f"{t_kernel.best * 1e3:.1f} ms = {per_kernel.best * 1e9:.1f} ns per AP-day; "
        f"ratio pandas / kernel = {per_pandas.best / per_kernel.best:,.0f}x. "
        f"The same {n_paths:,} x {n_days} x {k} AP-days in pandas would take about "
        f"{per_pandas.best * n_ap_days / 3600:,.1f} h."
    )
    return [
        Row(
            "AP decision, pandas: simulate_ap_day, per AP-day (3 APs a day)",
            len(etf.holdings),
            per_pandas,
            note="each AP's band (pro-rata baskets, fees, impact) priced, then the search",
        ),
        Row(
            f"AP decision, numba kernel: decide_ap_orders_nb, per AP-day "
            f"({n_paths:,} paths x {n_days} days x {k} APs)",
            len(etf.holdings),
            per_kernel,
            target=TARGET_AP_DAY,
            note=f"ratio pandas / kernel {per_pandas.best / per_kernel.best:,.0f}x; band terms "
            "given (ArbitrageBand.threshold_terms_bp)",
        ),
    ]


def quality(etf: ETF, market, baskets: dict) -> None:
    """How far each basket is from the fund (``basket_distance``), for the report."""
    d = basket_distance(baskets, etf, market)
    rows = [
        "krd_distance",
        "spread_duration_gap",
        "sector_distance",
        "avg_half_spread_bp",
        "n_bonds",
    ]
    head = "| basket | " + " | ".join(rows) + " | cash in lieu % |"
    QUALITY.append(head)
    QUALITY.append("|" + "---|" * (len(rows) + 2))
    for name, b in baskets.items():
        cil = b.cash_in_lieu_usd / b.value_usd(market, "bid") * 100
        vals = " | ".join(
            f"{d.loc[r, name]:.0f}" if r == "n_bonds" else f"{d.loc[r, name]:.4f}" for r in rows
        )
        QUALITY.append(f"| {name} | {vals} | {cil:.2f} |")


# ----------------------------------------------------------------------------------- output


def ratio(a: C.Timing | None, b: C.Timing) -> str:
    if a is None or b.best == 0:
        return "-"
    r = a.best / b.best
    return f"{r:,.0f}x" if r >= 100 else f"{r:.1f}x" if r >= 10 else f"{r:.2f}x"


def ms(t: C.Timing | None, stat: str = "best") -> float | None:
    return None if t is None else getattr(t, stat) * 1e3


def verdict(r: Row) -> str:
    if r.target is None:
        return "-"
    if r.etfcore.best >= r.target.seconds:
        return "**no**"
    if r.etfcore.median >= r.target.seconds:
        return "best only"
    return "yes"


def table(rows: list[Row]) -> str:
    lines = [
        "| task | N bonds | etfcore best ms | etfcore median ms | numpy reprice ms "
        "| numpy ladder ms | reprice / etfcore | ladder / etfcore | target | met | notes |",
        "|" + "---|" * 11,
    ]
    for r in rows:
        target = "-" if r.target is None else f"< {r.target.seconds * 1e3:g} ms"
        lines.append(
            f"| {r.task} | {r.n:,} | {fmt(ms(r.etfcore))} | {fmt(ms(r.etfcore, 'median'))} | "
            f"{fmt(ms(r.reprice))} | {fmt(ms(r.ladder))} | {ratio(r.reprice, r.etfcore)} | "
            f"{ratio(r.ladder, r.etfcore)} | {target} | {verdict(r)} | {r.note} |"
        )
    return "\n".join(lines)


def targets(rows: list[Row]) -> str:
    out = []
    for r in rows:
        if r.target is None:
            continue
        label = {"yes": "met", "best only": "**MISSED on the median**", "**no**": "**MISSED**"}[
            verdict(r)
        ]
        vs = "".join(
            f"; numpy {name} {fmt(ms(t))} ms ({ratio(t, r.etfcore)})"
            for name, t in (("reprice", r.reprice), ("ladder", r.ladder))
            if t is not None
        )
        out.append(
            f"- {label}: {r.target.text}: `{r.task}`: {fmt(ms(r.etfcore))} ms best, "
            f"{fmt(ms(r.etfcore, 'median'))} ms median ({r.etfcore.repeats} calls){vs}"
        )
    return "\n".join(out)


def breakdown_table() -> str:
    lines = [
        "| public function | N | call ms | in kernels ms | Python overhead ms | overhead % "
        "| slowest kernels, ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for b in BREAKDOWN:
        i = int(np.argmin(b.api.times))
        api, ker = b.api.times[i] * 1e3, sum(b.by_kernel.values()) * 1e3
        top = sorted(b.by_kernel.items(), key=lambda kv: -kv[1])[:4]
        names = ", ".join(f"{k} {v * 1e3:.3f}" for k, v in top) or "-"
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
        f"{scipy.__version__}, pandas {pd.__version__}"
    )


# ------------------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer repeats (~30 s)")
    p.add_argument(
        "--smoke",
        action="store_true",
        help=f"CI check: a {SMOKE_BIG}-bond big fund, {SMOKE_SCENARIOS} scenarios, every "
        "agreement check, one call per measurement, no profiles; prints 'agree:' lines",
    )
    p.add_argument("--markdown", type=Path, help="also write the report to this file")
    p.add_argument("--numba-threads", type=int, help="numba threads (default: all cores)")
    p.add_argument(
        "--profile",
        action="store_true",
        help="profile every target row (default: only missed targets)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.smoke:
        cfg = Config(
            quick=True,
            repeats=1,
            min_time=0.0,
            max_calls=1,
            profile_all=False,
            smoke=True,
            n_big=SMOKE_BIG,
            n_scenarios=SMOKE_SCENARIOS,
            ap_paths=SMOKE_AP_PATHS,
            ap_days=SMOKE_AP_DAYS,
        )
    else:
        cfg = Config(
            quick=args.quick,
            repeats=3 if args.quick else 7,
            min_time=0.2 if args.quick else 1.0,
            max_calls=100 if args.quick else 300,
            profile_all=args.profile,
        )
    if args.numba_threads:
        numba.set_num_threads(args.numba_threads)
    t_start = time.perf_counter()
    load_before = load()
    log(f"building the {cfg.n_big:,}-bond fund and the synthetic market ...")
    big, big_market = big_fund(cfg.n_big)
    market = synthetic_market(seed=0)
    broad = market.etfs[BROAD]

    # warm-up: the first call of everything (numba compiles or loads its cache, the
    # library fills its caches), outside the timings
    log("warm-up (numba compile or cache load) ...")
    t0 = time.perf_counter()
    big.navs(big_market)
    big.nav(big_market.with_curve(big_market.curve.shift(0.5)))
    model = INavModel(big, big_market)
    model.update(model.initial_state(), big_market.curve.shift(0.5))
    broad.nav_scenarios(market, etfcore.random_shocks(market.curve, 8, rng=0))
    custom_basket(broad, market, units=1, max_bonds=MAX_BONDS)
    etfcore.arbitrage_band(broad, market)
    etfcore.arbitrage_band(broad, market, "stress")
    warmup = time.perf_counter() - t0
    n_flows = len(big.bonds(big_market).cashflows(big_market.settlement))

    rows: list[Row] = []
    log(f"NAV, {cfg.n_big:,} bonds ...")
    rows += bench_nav(big, big_market, cfg)
    log(f"iNAV, {cfg.n_big:,} bonds ...")
    rows += bench_inav(big, big_market, cfg)
    log(f"{cfg.n_scenarios:,} scenarios, {BROAD} ...")
    rows += bench_scenarios(broad, market, cfg)
    log(f"primary market, {BROAD} ...")
    rows += bench_primary(broad, market, cfg)
    log("AP decisions: pandas simulate_ap_day vs the numba kernel ...")
    rows += bench_ap_kernel(broad, market, cfg)
    for r in [] if cfg.smoke else rows:  # no profiles in a smoke run
        missed = r.target is not None and r.etfcore.median >= r.target.seconds
        if r.call is not None and (missed or (cfg.profile_all and r.target is not None)):
            log(f"profiling{' (missed target)' if missed else ''}: {r.task} ...")
            calls = int(np.clip(0.5 / max(r.etfcore.median, 1e-6), 3, 300))
            profile(r.task, r.call, calls, r.setup)
    elapsed = time.perf_counter() - t_start

    report = "\n\n".join(
        [
            f"## etfcore vs numpy: fund and primary market ({run_kind(args)} "
            f"run, {dt.date.today():%Y-%m-%d})",
            f"Machine: {machine()}; load average {load_before} before, {load()} after "
            "(1/5/15 min; a shared machine: numbers above ~2 x cores of load are slowed down).\n"
            f"Software: {versions()}.\n"
            f"Inputs: (1, 2) `{big.name}`: {len(big.holdings):,} synthetic IG corporates "
            f"(`synthetic_universe({C.SEED}, n_ig={cfg.n_big}, n_hy=0)`, {n_flows:,} future "
            "flows), "
            f"the synthetic Treasury curve, market z-spreads, `DEFAULT_BOND_MODEL` half-spreads, "
            f"cash, receivables, liabilities and accrued expenses; NAV about "
            f"{big.nav(big_market):.2f}. (3, 4) `synthetic_market(seed=0).etfs[{BROAD!r}]`: "
            f"{len(broad.holdings):,} bonds; {cfg.n_scenarios:,} `random_shocks` scenarios; "
            f"custom baskets of at most {MAX_BONDS} bonds for 1 creation unit.\n"
            f"Timings: wall clock per call, best and median of >= {cfg.repeats} calls (more "
            f"until {cfg.min_time:g} s, at most {cfg.max_calls}); first calls (numba compile or "
            f"cache load, library caches) excluded: the warm-up took {warmup:.1f} s. Ratios are "
            f"numpy best / etfcore best (above 1: etfcore is faster). Whole run {elapsed:.0f} s.",
            table(rows),
            "### Targets\n\n" + targets(rows),
            "### Where the time of each public function goes (its fastest call, kernels timed "
            "inside it)\n\n" + breakdown_table(),
            "### AP decisions (pandas twin against the numba kernel)\n\n" + "\n".join(AP_KERNEL),
            "### Custom basket quality (`basket_distance` against the fund; lower is closer)\n\n"
            + "\n".join(QUALITY),
            *(
                [
                    "### Profiles\n\n"
                    + "\n\n".join(f"**{task}**\n\n{text}" for task, text in PROFILES.items())
                ]
                if PROFILES
                else []
            ),
            "### Agreement checked before timing\n\n" + agreement_table(),
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
