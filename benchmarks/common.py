"""Shared inputs of the benchmarks: one market, the same bonds and curve in etfcore and QuantLib,
and plain-numpy twins of the etfcore kernels.

Everything here works on the same inputs:

* the bonds: ``etfcore.market.synthetic.synthetic_universe`` (investment-grade corporates,
  30/360 US semiannual, with issue dates), the first ``N`` of them via ``BondSet.take``;
* the curve: the synthetic Treasury zero curve with its knots moved to whole days
  (``round(tenor * 365)``) and a 50y knot at the 30y rate, so that QuantLib's node dates and
  etfcore's tenors are the same times and every cash flow lies inside the last knot
  (QuantLib extrapolates flat-forward, etfcore flat-zero: they differ outside the knots);
* the z-spreads: the universe's market spreads, continuously compounded, ACT/365F.

QuantLib objects (1.44): ``Schedule(issue, maturity, Period(6, Months), NullCalendar(),
Unadjusted, Unadjusted, DateGeneration.Backward, end_of_month)`` and
``FixedRateBond(0, 100, schedule, [coupon], Thirty360(USA))``; ``ZeroCurve`` with a node at
the reference date (the first knot's rate: etfcore's flat short end), ``Linear``,
``Continuous``, ``Actual365Fixed``; prices with ``BondFunctions.cleanPrice(bond, curve, z,
Actual365Fixed(), Continuous, Annual, settlement)``.

The numpy twins take the CSR cash-flow arrays that etfcore builds (``BondSet.cashflows``) and
use only numpy (and ``scipy.sparse`` for the scenario product): no numba.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import QuantLib as ql
import scipy.sparse as sp

import etfcore
from etfcore.bonds.bondset import BondSet
from etfcore.bonds.curves import ZeroCurve
from etfcore.bonds.schedule import Cashflows
from etfcore.market.synthetic import synthetic_universe

#: QuantLib's serial number of 1970-01-01 (etfcore's day 0).
QL_SERIAL_OF_DAY_ZERO = 25569
#: Extra knot (years) appended at the last knot's rate, beyond every maturity.
EXTENSION_TENOR = 50.0
#: Seed of the benchmark universe.
SEED = 20260115

THIRTY_360_US = 0


# ------------------------------------------------------------------------------------ timing
@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of ``repeats`` calls."""

    times: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def repeats(self) -> int:
        return len(self.times)

    def scaled(self, factor: float) -> Timing:
        return Timing(tuple(t * factor for t in self.times))


def timeit(fn: Callable[[], object], repeats: int, min_time: float = 0.0) -> Timing:
    """Time ``fn()`` ``repeats`` times with ``time.perf_counter`` (no warm-up: do it first).

    With ``min_time``, keep going past ``repeats`` until the calls add up to ``min_time``
    seconds (capped at 50 calls): short calls get more samples.
    """
    times: list[float] = []
    total = 0.0
    while len(times) < repeats or (total < min_time and len(times) < 50):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        total += dt
    return Timing(tuple(times))


class KernelTimer:
    """Time spent inside etfcore's numba kernels while it is active (a context manager).

    Replaces every numba dispatcher in the kernel modules by a timing wrapper and puts the
    originals back on exit, so ``API time - kernel time`` is the Python overhead of a public
    function, whatever kernels it happens to call. Only calls from Python are timed (a kernel
    calling another is compiled code). Use it only after a warm-up call: a kernel compiled
    while the wrappers are in place would see them instead of its helpers.
    """

    MODULES = ("etfcore.bonds._kernels", "etfcore.bonds._curve_kernels")

    def __init__(self) -> None:
        self.total = 0.0
        self.by_name: dict[str, float] = {}
        self._saved: list[tuple[object, str, object]] = []

    def reset(self) -> None:
        self.total = 0.0
        self.by_name = {}

    def _wrap(self, name: str, kernel: Callable) -> Callable:
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return kernel(*args, **kwargs)
            finally:
                dt = time.perf_counter() - t0
                self.total += dt
                self.by_name[name] = self.by_name.get(name, 0.0) + dt

        return timed

    def __enter__(self) -> KernelTimer:
        import importlib

        from numba.core.dispatcher import Dispatcher

        for module_name in self.MODULES:
            module = importlib.import_module(module_name)
            for name, obj in list(vars(module).items()):
                if isinstance(obj, Dispatcher):
                    self._saved.append((module, name, obj))
                    setattr(module, name, self._wrap(name, obj))
        return self

    def __exit__(self, *exc: object) -> None:
        for module, name, obj in self._saved:
            setattr(module, name, obj)
        self._saved.clear()


def timeit_api(
    fn: Callable[[], object], repeats: int, min_time: float = 0.0
) -> tuple[Timing, Timing, dict[str, float]]:
    """Time a public function and, in the same calls, the part spent inside numba kernels.

    Returns the call times, the kernel times and, per kernel, its time in the fastest call.
    """
    calls: list[float] = []
    kernels: list[float] = []
    names: list[dict[str, float]] = []
    total = 0.0
    with KernelTimer() as timer:
        while len(calls) < repeats or (total < min_time and len(calls) < 50):
            timer.reset()
            t0 = time.perf_counter()
            fn()
            dt = time.perf_counter() - t0
            calls.append(dt)
            kernels.append(timer.total)
            names.append(dict(timer.by_name))
            total += dt
    return Timing(tuple(calls)), Timing(tuple(kernels)), names[int(np.argmin(calls))]


# ------------------------------------------------------------------------------------ market
@dataclass(frozen=True)
class Market:
    """The benchmark inputs, shared by etfcore, numpy and QuantLib."""

    bonds: BondSet
    frame: pd.DataFrame
    curve: ZeroCurve
    spread: np.ndarray
    as_of: int
    settlement: int

    def subset(self, n: int) -> Market:
        """The first ``n`` bonds (the universe is in random order)."""
        pos = np.arange(n)
        return Market(
            bonds=self.bonds.take(pos),
            frame=self.frame.iloc[:n].reset_index(drop=True),
            curve=self.curve,
            spread=self.spread[:n].copy(),
            as_of=self.as_of,
            settlement=self.settlement,
        )


def benchmark_curve(curve: ZeroCurve) -> ZeroCurve:
    """``curve`` with its knots on whole days and a flat 50y knot at the last rate."""
    days = np.round(np.asarray(curve.tenors) * 365.0)
    rates = np.asarray(curve.zero_rates, dtype=float)
    days = np.append(days, round(EXTENSION_TENOR * 365.0))
    rates = np.append(rates, rates[-1])
    return ZeroCurve(curve.reference_date, days / 365.0, rates, interpolation="linear_zero")


def benchmark_market(n_bonds: int = 10_000, seed: int = SEED) -> Market:
    """``n_bonds`` investment-grade bonds of the synthetic universe, the curve and spreads."""
    uni = synthetic_universe(seed, n_ig=n_bonds, n_hy=0)
    bonds = uni.bonds
    curve = benchmark_curve(uni.curve)
    last_day = curve.reference_date + round(curve.tenors[-1] * 365.0)
    if bonds.maturity.max() >= last_day:
        raise RuntimeError("a bond matures beyond the curve's last knot: extend the curve")
    if not (
        np.all(bonds.frequency == 2)
        and np.all(bonds.day_count == THIRTY_360_US)
        and np.all(bonds.first_coupon < 0)
        and np.all(bonds.issue > 0)
        and not bonds.is_callable.any()
    ):
        raise RuntimeError("the QuantLib twin only handles 30/360 US semiannual bullets")
    frame = bonds.to_frame().reset_index()
    return Market(
        bonds=bonds,
        frame=frame,
        curve=curve,
        spread=uni.z_spread.reindex(bonds.ids).to_numpy(dtype=float),
        as_of=int(uni.as_of),
        settlement=int(uni.settlement),
    )


# ---------------------------------------------------------------------------------- QuantLib
def ql_date(day: int) -> ql.Date:
    """QuantLib date of an etfcore day number."""
    return ql.Date(int(day) + QL_SERIAL_OF_DAY_ZERO)


def ql_curve(curve: ZeroCurve, zero_rates: np.ndarray | None = None) -> ql.ZeroCurve:
    """QuantLib ``ZeroCurve`` on the same knots (optionally with other zero rates)."""
    rates = np.asarray(curve.zero_rates if zero_rates is None else zero_rates, dtype=float)
    ref = int(curve.reference_date)
    days = np.round(np.asarray(curve.tenors) * 365.0).astype(np.int64)
    dates = [ql_date(ref)] + [ql_date(ref + int(d)) for d in days]
    return ql.ZeroCurve(
        dates,
        [float(rates[0])] + [float(r) for r in rates],
        ql.Actual365Fixed(),
        ql.NullCalendar(),
        ql.Linear(),
        ql.Continuous,
    )


def ql_bonds_from_frame(frame: pd.DataFrame) -> list[ql.FixedRateBond]:
    """QuantLib bonds of the benchmark frame: the schedule and the fixed-rate leg of each."""
    issue = frame["issue_date"].to_numpy().astype("datetime64[D]").astype(np.int64).tolist()
    mat = frame["maturity_date"].to_numpy().astype("datetime64[D]").astype(np.int64).tolist()
    coupon = frame["coupon_rate"].to_numpy(dtype=float).tolist()
    eom = frame["end_of_month"].to_numpy(dtype=bool).tolist()
    six_months = ql.Period(6, ql.Months)
    calendar = ql.NullCalendar()
    day_count = ql.Thirty360(ql.Thirty360.USA)
    out = []
    for i in range(len(coupon)):
        schedule = ql.Schedule(
            ql.Date(issue[i] + QL_SERIAL_OF_DAY_ZERO),
            ql.Date(mat[i] + QL_SERIAL_OF_DAY_ZERO),
            six_months,
            calendar,
            ql.Unadjusted,
            ql.Unadjusted,
            ql.DateGeneration.Backward,
            eom[i],
        )
        out.append(ql.FixedRateBond(0, 100.0, schedule, [coupon[i]], day_count))
    return out


def ql_clean_prices(
    bonds: list, curve: ql.YieldTermStructure, spread: np.ndarray, settlement: int
) -> np.ndarray:
    """Clean prices per 100 from ``curve`` plus a continuously compounded z-spread per bond."""
    s = ql_date(settlement)
    dc = ql.Actual365Fixed()
    z = spread.tolist()
    clean_price = ql.BondFunctions.cleanPrice
    return np.array(
        [clean_price(b, curve, z[i], dc, ql.Continuous, ql.Annual, s) for i, b in enumerate(bonds)]
    )


def ql_accrued(bonds: list, settlement: int) -> np.ndarray:
    s = ql_date(settlement)
    return np.array([ql.BondFunctions.accruedAmount(b, s) for b in bonds])


def ql_yields(
    bonds: list, clean: np.ndarray, settlement: int, accuracy: float = 1e-14
) -> np.ndarray:
    """Street-convention yields (30/360 US, compounded semiannually) from clean prices."""
    s = ql_date(settlement)
    dc = ql.Thirty360(ql.Thirty360.USA)
    bond_yield = ql.BondFunctions.bondYield
    price = ql.BondPrice
    c = clean.tolist()
    return np.array(
        [
            bond_yield(
                b,
                price(c[i], ql.BondPrice.Clean),
                dc,
                ql.Compounded,
                ql.Semiannual,
                s,
                accuracy,
                500,
                0.05,
            )
            for i, b in enumerate(bonds)
        ]
    )


def ql_risk(bonds: list, yields: np.ndarray, settlement: int) -> np.ndarray:
    """``(n, 3)``: modified duration, Macaulay duration and convexity at each yield."""
    s = ql_date(settlement)
    dc = ql.Thirty360(ql.Thirty360.USA)
    duration = ql.BondFunctions.duration
    convexity = ql.BondFunctions.convexity
    out = np.empty((len(bonds), 3))
    for i, b in enumerate(bonds):
        rate = ql.InterestRate(float(yields[i]), dc, ql.Compounded, ql.Semiannual)
        out[i, 0] = duration(b, rate, ql.Duration.Modified, s)
        out[i, 1] = duration(b, rate, ql.Duration.Macaulay, s)
        out[i, 2] = convexity(b, rate, s)
    return out


def ql_analytics_from_price(bonds: list, clean: np.ndarray, settlement: int) -> np.ndarray:
    """``(n, 4)``: yield, modified and Macaulay duration, convexity (one pass per bond)."""
    s = ql_date(settlement)
    dc = ql.Thirty360(ql.Thirty360.USA)
    bond_yield = ql.BondFunctions.bondYield
    duration = ql.BondFunctions.duration
    convexity = ql.BondFunctions.convexity
    c = clean.tolist()
    out = np.empty((len(bonds), 4))
    for i, b in enumerate(bonds):
        y = bond_yield(
            b,
            ql.BondPrice(c[i], ql.BondPrice.Clean),
            dc,
            ql.Compounded,
            ql.Semiannual,
            s,
            1e-14,
            500,
            0.05,
        )
        rate = ql.InterestRate(y, dc, ql.Compounded, ql.Semiannual)
        out[i, 0] = y
        out[i, 1] = duration(b, rate, ql.Duration.Modified, s)
        out[i, 2] = duration(b, rate, ql.Duration.Macaulay, s)
        out[i, 3] = convexity(b, rate, s)
    return out


def ql_price_bonds(
    bonds: list, curve: ql.YieldTermStructure, spread: np.ndarray, settlement: int
) -> np.ndarray:
    """What ``etfcore.price_bonds`` returns, from QuantLib: ``(n, 6)`` clean, accrued, yield,
    modified and Macaulay duration, convexity (price from the curve, the rest at its yield)."""
    s = ql_date(settlement)
    dc = ql.Thirty360(ql.Thirty360.USA)
    act365 = ql.Actual365Fixed()
    clean_price = ql.BondFunctions.cleanPrice
    accrued = ql.BondFunctions.accruedAmount
    bond_yield = ql.BondFunctions.bondYield
    duration = ql.BondFunctions.duration
    convexity = ql.BondFunctions.convexity
    z = spread.tolist()
    out = np.empty((len(bonds), 6))
    for i, b in enumerate(bonds):
        clean = clean_price(b, curve, z[i], act365, ql.Continuous, ql.Annual, s)
        y = bond_yield(
            b,
            ql.BondPrice(clean, ql.BondPrice.Clean),
            dc,
            ql.Compounded,
            ql.Semiannual,
            s,
            1e-14,
            500,
            0.05,
        )
        rate = ql.InterestRate(y, dc, ql.Compounded, ql.Semiannual)
        out[i, 0] = clean
        out[i, 1] = accrued(b, s)
        out[i, 2] = y
        out[i, 3] = duration(b, rate, ql.Duration.Modified, s)
        out[i, 4] = duration(b, rate, ql.Duration.Macaulay, s)
        out[i, 5] = convexity(b, rate, s)
    return out


def ql_scenario_dirty(
    bonds: list, curve: ZeroCurve, zero_rates: np.ndarray, spread: np.ndarray, settlement: int
) -> np.ndarray:
    """``(S, n)`` dirty prices: one QuantLib ``ZeroCurve`` per scenario row of ``zero_rates``,
    every bond repriced on it (clean from the curve + accrued)."""
    accrued = ql_accrued(bonds, settlement)
    out = np.empty((zero_rates.shape[0], len(bonds)))
    for k in range(zero_rates.shape[0]):
        out[k] = ql_clean_prices(bonds, ql_curve(curve, zero_rates[k]), spread, settlement)
        out[k] += accrued
    return out


def ql_key_rate_durations(
    bonds: list, curve: ZeroCurve, spread: np.ndarray, settlement: int, bp: float = 1.0
) -> np.ndarray:
    """``(n, K)`` key-rate durations by bump and reprice: each knot's zero rate moved by
    ``+bp`` and ``-bp`` alone (a rebuilt QuantLib ``ZeroCurve`` per bump; moving the first
    knot moves the node at the reference date too, as etfcore's flat short end does),
    ``-(P(+) - P(-)) / (2 P bp 1e-4)`` on dirty prices."""
    z = np.asarray(curve.zero_rates, dtype=float)
    k = z.size
    bumps = np.vstack([z[None, :], z + bp * 1e-4 * np.eye(k), z - bp * 1e-4 * np.eye(k)])
    dirty = ql_scenario_dirty(bonds, curve, bumps, spread, settlement)
    base, up, down = dirty[0], dirty[1 : k + 1], dirty[k + 1 :]
    return ((down - up) / (2.0 * base * bp * 1e-4)).T


# ------------------------------------------------------------------------------------- numpy
def _counts(cf: Cashflows) -> np.ndarray:
    counts = np.diff(cf.offsets)
    if (counts == 0).any():
        raise ValueError("a bond has no flows after settlement: np.add.reduceat needs >= 1")
    return counts


def np_discount_log(curve: ZeroCurve, days: np.ndarray) -> np.ndarray:
    """``log DF`` at day numbers: ``-z(t) t`` with ``z`` linear in ``t`` (``np.interp``)."""
    t = (days - curve.reference_date) / 365.0
    return -np.interp(t, curve.tenors, curve.zero_rates) * t


def np_price_curve(cf: Cashflows, curve: ZeroCurve, spread: np.ndarray) -> np.ndarray:
    """Dirty prices per 100 from a curve and a z-spread per bond, numpy only.

    The curve is interpolated once per distinct payment day (``np.interp``), then one
    ``np.exp`` per flow (curve and spread together) and an ``np.add.reduceat`` per bond.
    """
    counts = _counts(cf)
    days = np.append(cf.unique_days, cf.settlement)
    log_df = np_discount_log(curve, days)
    tau = (days - curve.reference_date) / 365.0
    idx = cf.day_index
    s = np.repeat(spread, counts)
    w = cf.amount * np.exp(log_df[idx] - log_df[-1] - s * (tau[idx] - tau[-1]))
    return np.add.reduceat(w, cf.offsets[:-1])


def np_solve_yield(
    cf: Cashflows,
    dirty: np.ndarray,
    freq: float,
    guess: np.ndarray,
    tol: float = 1e-14,
    max_iter: int = 50,
) -> tuple[np.ndarray, int]:
    """Yields from dirty prices by Newton's method on all bonds at once, numpy only.

    ``P(y) = sum(a_k (1 + y/f)^(-f t_k))`` with ``t_k`` the bond's own cumulative
    discounting times (``cf.time``); iterates until every step is below ``tol``.
    Returns the yields and the number of iterations.
    """
    counts = _counts(cf)
    starts = cf.offsets[:-1]
    t = cf.time
    a = cf.amount
    y = guess.copy()
    for it in range(1, max_iter + 1):
        base = 1.0 + y / freq
        c = a * np.exp(-freq * t * np.repeat(np.log(base), counts))
        p = np.add.reduceat(c, starts)
        dp = -np.add.reduceat(c * t, starts) / base
        step = (p - dirty) / dp
        y -= step
        if np.max(np.abs(step)) <= tol:
            return y, it
    raise RuntimeError("numpy Newton did not converge")


def np_yield_risk(cf: Cashflows, y: np.ndarray, freq: float) -> np.ndarray:
    """``(n, 3)``: modified duration, Macaulay duration and convexity at yields ``y``."""
    counts = _counts(cf)
    starts = cf.offsets[:-1]
    t = cf.time
    base = 1.0 + y / freq
    c = cf.amount * np.exp(-freq * t * np.repeat(np.log(base), counts))
    p = np.add.reduceat(c, starts)
    ct = c * t
    mod = np.add.reduceat(ct, starts) / (base * p)
    cvx = np.add.reduceat(ct * (freq * t + 1.0), starts) / (freq * base * base * p)
    return np.column_stack([mod, mod * base, cvx])


def np_guess(bonds: BondSet, cf: Cashflows, clean: np.ndarray) -> np.ndarray:
    """The same starting yields as etfcore's solver (coupon + pull to par)."""
    last = cf.offsets[1:] - 1
    return bonds.coupon_rate + (bonds.redemption - clean) / (
        100.0 * np.maximum(cf.time[last], 0.05)
    )


@dataclass(frozen=True)
class NumpyScenarioPlan:
    """What scenario repricing needs that does not depend on the scenarios.

    ``weights`` is ``(K, U + 1)``: ``log DF_s(day u) = zero_rates_s @ weights[:, u]`` for any
    scenario's knot rates (linear in the zero rate, flat outside the knots); the last column
    is the settlement day. ``flows`` is the ``(N, U)`` CSR matrix of spread-weighted amounts
    (``a_k exp(-s_i (t_k - t_s))``), built directly from etfcore's CSR arrays.
    """

    weights: np.ndarray
    flows: sp.csr_matrix


def np_scenario_plan(cf: Cashflows, curve: ZeroCurve, spread: np.ndarray) -> NumpyScenarioPlan:
    counts = _counts(cf)
    days = np.append(cf.unique_days, cf.settlement)
    t = (days - curve.reference_date) / 365.0
    tk = np.asarray(curve.tenors)
    k = tk.size
    j = np.clip(np.searchsorted(tk, t, side="right") - 1, 0, k - 2)
    w1 = np.clip((t - tk[j]) / (tk[j + 1] - tk[j]), 0.0, 1.0)  # flat outside the knots
    weights = np.zeros((k, days.size))
    cols = np.arange(days.size)
    np.add.at(weights, (j, cols), -(1.0 - w1) * t)
    np.add.at(weights, (j + 1, cols), -w1 * t)
    tau = t[cf.day_index] - t[-1]
    amounts = cf.amount * np.exp(-np.repeat(spread, counts) * tau)
    flows = sp.csr_matrix(
        (amounts, cf.day_index, cf.offsets), shape=(counts.size, cf.unique_days.size)
    )
    return NumpyScenarioPlan(weights=weights, flows=flows)


def np_scenario_prices(
    plan: NumpyScenarioPlan, zero_rates: np.ndarray, block: int = 64
) -> np.ndarray:
    """``(S, N)`` dirty prices under ``S`` scenario curves, numpy + ``scipy.sparse``.

    Per block of scenarios: ``log DF`` for every distinct day as one dense product
    ``weights.T @ zero_rates.T`` (``(U + 1) x B``), ``np.exp`` in place, then the sparse
    ``(N x U) @ (U x B)`` product with the flow matrix, divided by the settlement discount
    factor. Blocks keep the ``U x B`` discount matrix in cache (``block=64``: 4.9 MB for
    ~9,600 days); one block of all scenarios was slower on this machine.
    """
    n_scen = zero_rates.shape[0]
    out = np.empty((n_scen, plan.flows.shape[0]))
    wt = np.ascontiguousarray(plan.weights.T)
    for lo in range(0, n_scen, block):
        hi = min(lo + block, n_scen)
        df = wt @ zero_rates[lo:hi].T  # (U + 1, B), C-contiguous
        np.exp(df, out=df)
        prices = plan.flows @ df[:-1]  # (N, B)
        prices /= df[-1]
        out[lo:hi] = prices.T
    return out


def np_key_rate_durations(plan: NumpyScenarioPlan, curve: ZeroCurve, bp: float = 1.0) -> np.ndarray:
    """``(N, K)`` key-rate durations from the numpy scenario pricer (``2K + 1`` curves)."""
    z = np.asarray(curve.zero_rates, dtype=float)
    k = z.size
    bumps = np.vstack([z[None, :], z + bp * 1e-4 * np.eye(k), z - bp * 1e-4 * np.eye(k)])
    p = np_scenario_prices(plan, bumps)
    base, up, down = p[0], p[1 : k + 1], p[k + 1 :]
    return ((down - up) / (2.0 * base * bp * 1e-4)).T


# --------------------------------------------------------------------------------- etfcore
def etfcore_curve_kernel(
    bonds: BondSet, curve: ZeroCurve, spread: np.ndarray, settlement: int
) -> tuple[np.ndarray, np.ndarray]:
    """The pricing kernel alone, as ``price_bonds`` calls it: discount factors per distinct
    day, then ``price_curve_nb`` (dirty price and spread duration)."""
    from etfcore.bonds import _kernels as kernels

    cf = bonds.cashflows(settlement)
    days = np.append(cf.unique_days, np.int64(cf.settlement))
    df = curve.discount_days(days)
    return kernels.price_curve_nb(
        cf.offsets,
        cf.amount,
        cf.dtau,
        cf.day_index,
        df,
        df[-1],
        spread,
        *kernels.work_buffers(cf.offsets),
    )


# ------------------------------------------------------------------ shared by the bench scripts
@dataclass
class Agreement:
    what: str
    n: int
    max_abs_diff: float
    tolerance: float


AGREEMENT: list[Agreement] = []


def check(what: str, n: int, got: np.ndarray, ref: np.ndarray, tol: float) -> None:
    """Record the largest difference; stop the benchmark if it exceeds ``tol``."""
    got = np.asarray(got, dtype=float)
    ref = np.asarray(ref, dtype=float)
    if got.shape != ref.shape:
        raise AssertionError(f"{what} (N={n}): shapes differ, {got.shape} vs {ref.shape}")
    diff = np.abs(got - ref)
    worst = float(np.max(diff)) if diff.size else 0.0
    if not np.all(np.isfinite(diff)) or worst > tol:
        i = np.unravel_index(
            int(np.nanargmax(np.where(np.isfinite(diff), diff, np.inf))), diff.shape
        )
        raise AssertionError(
            f"{what} (N={n}): max |diff| {worst:.3e} > {tol:.0e} at {i}: "
            f"{got[i]!r} vs {ref[i]!r}; the libraries disagree, timing would be meaningless"
        )
    AGREEMENT.append(Agreement(what, n, worst, tol))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fmt(v: float | None) -> str:
    if v is None:
        return "-"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def agreement_table() -> str:
    lines = ["| check | N | max abs diff | tolerance |", "|---|---|---|---|"]
    for a in AGREEMENT:
        lines.append(f"| {a.what} | {a.n:,} | {a.max_abs_diff:.1e} | {a.tolerance:.0e} |")
    return "\n".join(lines)


def agree(what: str, detail: str = "") -> None:
    """Print one agreement line of a smoke run (``agree: what; detail``) on stdout.

    ``tests/test_benchmarks_smoke.py`` looks for these lines: every benchmark's ``--smoke``
    prints one per check that passed (a check that fails stops the run with an error).
    """
    print(f"agree: {what}" + (f"; {detail}" if detail else ""), flush=True)


def print_agreement() -> None:
    """One ``agree:`` line per check recorded by :func:`check`, then their count."""
    for a in AGREEMENT:
        agree(f"{a.what} (N={a.n:,})", f"max |diff| {a.max_abs_diff:.1e} <= {a.tolerance:.0e}")
    smoke_done(len(AGREEMENT))


def smoke_done(n_checks: int) -> None:
    """The last line of a smoke run: how many agreement checks passed."""
    print(f"smoke: {n_checks} agreement checks passed", flush=True)


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def load() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


__all__ = [
    "AGREEMENT",
    "Agreement",
    "agree",
    "agreement_table",
    "check",
    "fmt",
    "load",
    "log",
    "machine",
    "KernelTimer",
    "Market",
    "NumpyScenarioPlan",
    "Timing",
    "benchmark_curve",
    "benchmark_market",
    "etfcore",
    "etfcore_curve_kernel",
    "np_discount_log",
    "np_guess",
    "np_key_rate_durations",
    "np_price_curve",
    "np_scenario_plan",
    "np_scenario_prices",
    "np_solve_yield",
    "np_yield_risk",
    "print_agreement",
    "ql_accrued",
    "ql_analytics_from_price",
    "ql_bonds_from_frame",
    "ql_clean_prices",
    "ql_curve",
    "ql_date",
    "ql_key_rate_durations",
    "ql_price_bonds",
    "ql_risk",
    "ql_scenario_dirty",
    "ql_yields",
    "smoke_done",
    "timeit",
    "timeit_api",
]
