"""iNAV: the fund's value intraday, as measured from stale evaluated prices and as it truly is.

Through the day the Treasury curve and credit spreads move. The *true* value of the
fund follows them at once; the *measured* value (the iNAV that the exchange
disseminates, built from evaluated bond prices) does not: an evaluator updates a bond's
spread over Treasuries (or, for bonds evaluated on price, its price) only partly each
interval, faster for liquid bonds that trade often and slower for illiquid ones. The
measured NAV therefore lags the true value, and part of an ETF's discount in a falling
market is "NAV is stale" rather than "the ETF is cheap".

:class:`INavModel` models that lag with a partial-adjustment (stale-evaluation) rule and
corrects it with a fair-value adjustment built from the observed curve and spread moves;
:func:`inav_path` runs it over a path of intraday curves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_keywords, warn_renamed
from .._results import frame_copy, make_summary
from .._validation import choice, decimals, finite, integer, positive, show
from ..bonds.curves import CurveScenarios, ZeroCurve, exponent_coefficients
from ..errors import InputError
from ..state import QUOTE_SIDES, MarketState, _check_curve
from . import _kernels as K
from .etf import ETF, check_market, check_side

_BP = 1e-4
#: Key tenors (years) of the rate-risk basis when the market curve is not a ZeroCurve.
DEFAULT_KEY_TENORS = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0)
_N_SIDES = len(QUOTE_SIDES)
#: What of an evaluated price is stale (``INavModel(stale_on=...)``).
STALE_ON = ("spread", "price")


def _finite(values: np.ndarray, name: str) -> np.ndarray:
    """``values`` if every one is finite (the shared check; bp moves have no percent guard)."""
    return decimals(values, name, limit=np.inf)


class INavModel:
    """Stale-evaluation model of a fund's intraday NAV, with a fair-value adjustment.

    Build it once per fund and market (the base: the last full evaluation, e.g. the
    official NAV strike); then :meth:`path` runs it over a sequence of intraday curves
    and spread moves, and :meth:`update` advances it one interval at a time.

    Parameters
    ----------
    etf : ETF
    market : MarketState
        The base market: where every evaluated price was last fully up to date.
    adjustment : "liquidity", float or pandas.Series, default "liquidity"
        The fraction ``lambda`` of the gap to the true price that a bond's evaluated
        price closes each interval, in (0, 1]. A number applies to every bond; a Series
        gives it by bond id (every holding needs one); ``"liquidity"`` derives it from
        each bond's half-spread (see Notes).
    half_life_intervals : float, default 2.0
        Under ``"liquidity"``: the staleness half-life, in intervals, of a bond whose
        half-spread is ``reference_half_spread_bp``.
    reference_half_spread_bp : float, default 5.0
        Under ``"liquidity"``: the half-spread (bp of price) that has that half-life.
    min_adjustment : float, default 0.01
        Under ``"liquidity"``: the smallest ``lambda`` (the stalest bond).
    n_buckets : int, default 16
        Bonds are grouped by ``lambda`` into at most this many buckets.
    stale_on : {"spread", "price"}, default "spread"
        What of an evaluated price is stale. ``"spread"`` (the default, right for
        corporate bonds, which evaluators quote as spreads over live Treasuries): only
        the spread lags, and a Treasury move reaches the evaluated price at once.
        ``"price"``: the whole price lags, rate moves included (the behaviour before
        this option; right for bonds evaluated on price). See Notes.

    Attributes
    ----------
    adjustment : pandas.Series
        Each holding's ``lambda`` (before bucketing), by id.
    bucket : pandas.Series
        Each holding's bucket number, by id.
    buckets : pandas.DataFrame
        Per bucket: bonds, ``lambda``, half-life (intervals), mean half-spread (bp), mid
        value (USD) and weight.

    Notes
    -----
    **Stale evaluation.** Each interval ``t`` the stale part of a bond's evaluation
    moves part of the way to its true value, ``x_t = x_{t-1} + lambda_i (x*_t -
    x_{t-1})``, starting from the base market (``x_{-1} = x*`` there). After a one-off
    move the gap shrinks as ``(1 - lambda_i)^t``: geometric convergence with half-life
    ``ln 2 / -ln(1 - lambda_i)`` intervals. What ``x`` is depends on ``stale_on``:

    - ``"spread"`` (default): ``x`` is the bond's z-spread move ``ds``. The measured
      value is the bond's value at the **live** curve and the **stale** spread,
      ``measured_t = P_i(curve_t, z_i + ds^stale_{i,t})`` with ``ds^stale_{i,t} =
      ds^stale_{i,t-1} + lambda_i (ds_{i,t} - ds^stale_{i,t-1})``: a rates-only move
      leaves no staleness at all. This is how US corporate bonds are evaluated
      (spreads over the Treasury curve, which is observed live).
    - ``"price"``: ``x`` is the whole price, ``measured_t = measured_{t-1} + lambda_i
      (P_i(curve_t, z_i + ds_{i,t}) - measured_{t-1})``: rate moves lag too.

    With a spreads-only move the two agree to first order in the move; they differ by
    the spread convexity (filtering a price is linear, filtering a spread is not).

    **Lambda from liquidity.** Bonds that trade often are re-marked sooner, and
    trading frequency falls as the bid-ask spread widens, so the half-life is taken
    proportional to the half-spread ``h_i`` (bp of price, from the market's liquidity
    model and regime, so evaluated prices get staler in stress):
    ``half_life_i = half_life_intervals x h_i / reference_half_spread_bp`` and
    ``lambda_i = 1 - 2^(-1 / half_life_i)``, floored at ``min_adjustment``. With the
    defaults a bond with a 5 bp half-spread closes 29% of its gap each interval, one
    with 2 bp 58%, and an HY bond with 30 bp 6%. Liquidity scores, where the market
    has them, act through the half-spread.

    **Buckets and speed.** The rule is linear, so the measured value of a group of
    bonds that share one ``lambda`` follows the same rule applied to the group's true
    value, and that is linear in discount factors: one cash-flow ladder per bucket and
    side values the whole fund. When the holdings have at most ``n_buckets`` distinct
    ``lambda`` values the buckets are exact; otherwise bonds are binned on equal widths
    of log half-life and each bin uses its bonds' value-weighted mean ``lambda``. An
    update after a curve move is one set of discount factors and one
    ``(U) x (U, 3 B)`` product. A spread move common to every bond is exact at the ladder
    level too (the z-spread factor ``exp(-ds tau)`` depends on the payment day only);
    spread moves that differ by bond are priced bond by bond. Under ``stale_on="spread"``
    the bonds of a bucket share its ``lambda`` and so, after common moves, one stale
    spread: each bucket's ladder is valued at its own spread factor ``exp(-ds^stale_b
    tau)`` (exact to 1e-13 relative); after moves by bond the stale spreads are bond
    by bond.

    **Fair-value adjustment.** The lag is estimated from what can be observed, the
    curve's zero-rate moves ``dz`` at the key tenors and the spread moves ``ds``: each
    bucket's change in true value since the base is estimated from its risk, ``DV01 .
    dz + CS01 ds`` plus the second-order term (its key-rate convexities and
    cross-gammas, spread convexity and rate-spread cross terms), all computed exactly
    from the bucket's ladder at the base. With spread moves by bond the CS01 term is
    bond by bond and the second-order terms use the bucket's CS01-weighted mean move.
    The same partial adjustment is applied to that estimate (under ``"price"`` to the
    estimated value; under ``"spread"`` to the estimated spread move, the estimate then
    taken at the live curve and the stale estimated spread), and the estimated lag is
    added to the stale iNAV: ``fair value = stale + (estimate - stale estimate)``.

    **Fed the true moves, its error is small by construction.** By default the
    estimate is built from the same spread moves as the truth; the curve is observed
    live in any case. What is left is then only the lag of the Taylor remainder:
    third order in the moves, plus curve moves between key tenors for curves that are
    not on the basis grid (about 0.2 bp of NAV after a 25 bp rate and 15 bp spread jump
    for a broad IG fund, against 260 bp of staleness under ``"price"``). That is a
    check of the arithmetic, not of a fair-value method: in practice the spread move
    is not observed but estimated (from CDX, other funds, dealer runs, the ETF's own
    price); pass that estimate as ``estimated_spread_shift_bp_path`` to
    :meth:`path` (or ``estimated_spread_shift_bp`` to :meth:`update`) and the
    fair-value error measures the estimate. The key tenors are the market curve's
    knots (a ZeroCurve) or :data:`DEFAULT_KEY_TENORS`.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> rates_up = m.curve.parallel_shocks([10.0] * 5)  # Treasuries +10 bp, spreads still
    >>> res = INavModel(etf, m).path(rates_up)  # stale_on="spread": rates pass at once
    >>> round(float(res.staleness_bp.abs().max()), 9)
    0.0
    >>> res = INavModel(etf, m, stale_on="price").path(rates_up)  # the whole price lags
    >>> bool(res.stale_nav.iloc[0] > res.true_nav.iloc[0])
    True
    """

    def __init__(
        self,
        etf: ETF,
        market: MarketState,
        adjustment: str | float | pd.Series = "liquidity",
        *,
        half_life_intervals: float = 2.0,
        reference_half_spread_bp: float = 5.0,
        min_adjustment: float = 0.01,
        n_buckets: int = 16,
        stale_on: str = "spread",
    ):
        if not isinstance(etf, ETF):
            raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
        market = check_market(market)
        n_buckets = integer(n_buckets, "n_buckets", minimum=1)
        #: What of an evaluated price is stale: "spread" or "price" (see Notes).
        self.stale_on = choice(stale_on, "stale_on", STALE_ON)
        self.etf = etf
        self.market = market
        etf._ladder(market)  # validates the holdings (unknown or matured bonds)
        bonds = etf.bonds(market)
        cf = bonds.cashflows(market.settlement)
        self._bonds = bonds
        self._cf = cf
        settle = np.int64(market.settlement)

        # per-bond inputs: spread-weighted flows, side weights, accrued
        spread = market.z_spread.reindex(bonds.ids).to_numpy(dtype=float)
        self._amounts = cf.spread_weighted_amounts(spread)
        half_spread_bp = market.half_spread_bp(bonds).to_numpy(dtype=float)
        h = half_spread_bp * _BP
        par = etf.holdings.reindex(bonds.ids).to_numpy(dtype=float) / 100.0
        self._weights = np.ascontiguousarray(np.column_stack([par * (1 - h), par, par * (1 + h)]))
        acc_const = par * h * np.asarray(cf.accrued)
        self._days = np.append(cf.unique_days, settle)
        self._dtau_days = (self._days - settle) / 365.0
        self._day_offset = np.ascontiguousarray(self._days - settle, dtype=np.int64)
        self._other_assets = etf._other_assets()
        self._shares = etf.shares_outstanding

        # the base: discount factors, each bond's dirty value and spread sensitivity
        df0 = np.ascontiguousarray(market.curve.discount_days(self._days), dtype=float)
        self._df0 = df0
        dirty0 = K.bond_values_nb(
            cf.offsets,
            self._amounts,
            cf.day_index,
            cf.dtau,
            df0[None, :],
            np.zeros((1, len(bonds))),
            np.empty((1, len(bonds))),
        )[0]
        ddirty = K.bond_spread_sensitivity_nb(cf.offsets, self._amounts, cf.day_index, cf.dtau, df0)
        mid_value = par * dirty0

        # lambda per bond, then buckets
        lam = self._bond_adjustment(
            adjustment,
            bonds,
            half_spread_bp,
            half_life_intervals,
            reference_half_spread_bp,
            min_adjustment,
        )
        bucket, bucket_lambda = _make_buckets(lam, mid_value, int(n_buckets))
        n_b = bucket_lambda.size
        self._bucket = bucket
        self._n_buckets = n_b
        self._lambda_cols = np.ascontiguousarray(np.repeat(bucket_lambda, _N_SIDES))
        self._bucket_lambda = np.ascontiguousarray(bucket_lambda, dtype=float)
        self._bond_lambda = np.ascontiguousarray(bucket_lambda[bucket], dtype=float)
        self._adjustment = pd.Series(lam, index=bonds.ids, name="adjustment")
        self._bucket_of = pd.Series(bucket, index=bonds.ids, name="bucket")

        # one ladder per bucket and side (day-major), side constants per bucket
        self._ladders = K.bucket_ladder_nb(
            cf.offsets,
            self._amounts,
            cf.day_index,
            cf.unique_days.size,
            self._weights,
            bucket,
            n_b,
        )
        const = np.zeros((n_b, _N_SIDES))
        const[:, 0] = np.bincount(bucket, weights=acc_const, minlength=n_b)
        const[:, 2] = -const[:, 0]
        self._const = const.reshape(-1)
        self._base_value = df0[:-1] @ self._ladders / df0[-1] + self._const

        # the rate-risk basis: a ZeroCurve whose knots are the key tenors
        curve = market.curve
        if isinstance(curve, ZeroCurve):
            basis = curve
        else:
            if not hasattr(curve, "zero_rate"):
                raise InputError(
                    f"market.curve: a {type(curve).__name__} has no zero_rate; the iNAV's "
                    "fair-value adjustment needs a curve with zero rates (a ZeroCurve)"
                )
            t = np.asarray(DEFAULT_KEY_TENORS)
            basis = ZeroCurve(curve.reference_date, t, np.asarray(curve.zero_rate(t)))
        self._basis = basis
        self.key_tenors = np.asarray(basis.tenors)
        self._base_zero = np.asarray(curve.zero_rate(self.key_tenors), dtype=float)
        t_days = (self._days - basis.reference_date) / 365.0
        i0, i1, c0, c1 = exponent_coefficients(basis.tenors, t_days, basis.interpolation)
        self._coef = (i0, i1, c0, c1)
        loading = np.zeros((self._days.size, basis.tenors.size))
        np.add.at(loading, (np.arange(self._days.size), i0), c0)
        np.add.at(loading, (np.arange(self._days.size), i1), c1)
        # risk factors f = (zero-rate moves at the key tenors, spread move), decimal: the
        # log of day u's discount factor relative to settlement moves by g_u . f, so each
        # ladder column's value is sum_u L[u] w_u exp(g_u . f) (w_u = DF_u / DF_settle)
        g = np.column_stack([loading[:-1] - loading[-1], -self._dtau_days[:-1]])
        lw = self._ladders * (df0[:-1] / df0[-1])[:, None]
        n_f = g.shape[1]
        self._m1 = g.T @ lw  # (K + 1, 3B): first derivatives (DV01s and CS01, per unit)
        self._m2 = ((g[:, :, None] * g[:, None, :]).reshape(-1, n_f * n_f).T @ lw).reshape(
            n_f, n_f, -1
        )  # (K + 1, K + 1, 3B): second derivatives (convexities and cross-gammas)
        self._m2_rates = np.ascontiguousarray(self._m2[:-1, :-1].reshape((n_f - 1) ** 2, -1))
        # each bond's d(value)/d(spread) by side, USD per unit spread (per-bond moves)
        self._dspread_bond = np.ascontiguousarray(self._weights * ddirty[:, None])

        counts = np.bincount(bucket, minlength=n_b)
        bucket_mid = np.bincount(bucket, weights=mid_value, minlength=n_b)
        bucket_half_spread = np.bincount(bucket, weights=half_spread_bp, minlength=n_b)
        with np.errstate(divide="ignore"):
            half_life = np.where(
                bucket_lambda < 1,
                np.log(0.5) / np.log1p(-np.minimum(bucket_lambda, 1 - 1e-16)),
                0.0,
            )
        self._buckets = pd.DataFrame(
            {
                "n_bonds": counts,
                "adjustment": bucket_lambda,
                "half_life_intervals": half_life,
                "mean_half_spread_bp": bucket_half_spread / np.maximum(counts, 1),
                "mid_value_usd": bucket_mid,
                "weight": bucket_mid / bucket_mid.sum(),
            },
            index=pd.RangeIndex(n_b, name="bucket"),
        )

    # ------------------------------------------------------------------ setup helpers
    def _bond_adjustment(self, adjustment, bonds, half_spread_bp, half_life, ref_bp, lam_min):
        n = len(bonds)
        if isinstance(adjustment, str):
            if adjustment != "liquidity":
                raise InputError(
                    f"adjustment: unknown value {adjustment!r}; use 'liquidity', a number in "
                    "(0, 1] or a Series of numbers in (0, 1] by bond id"
                )
            hl0 = positive(half_life, "half_life_intervals")
            ref = positive(ref_bp, "reference_half_spread_bp")
            lo = positive(lam_min, "min_adjustment")
            if lo > 1:
                raise InputError(f"min_adjustment: {show(lo)} must be a number in (0, 1]")
            hl = hl0 * half_spread_bp / ref
            with np.errstate(divide="ignore"):
                lam = np.where(hl > 0, 1.0 - np.exp2(-1.0 / np.where(hl > 0, hl, 1.0)), 1.0)
            return np.clip(lam, lo, 1.0)
        if isinstance(adjustment, pd.Series):
            missing = bonds.ids.difference(adjustment.index.astype(str))
            if len(missing):
                raise InputError(
                    f"adjustment: no value for {len(missing)} holding(s), e.g. "
                    f"{list(missing[:5])}; give every holding an adjustment in (0, 1]"
                )
            values = pd.to_numeric(
                adjustment.set_axis(adjustment.index.astype(str)).reindex(bonds.ids),
                errors="coerce",
            ).to_numpy(dtype=float)
            bad = ~((values > 0) & (values <= 1))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"adjustment: bond {bonds.ids[i]} has {float(values[i])!r}; each "
                    "adjustment must be a fraction in (0, 1] (1: the price is never stale)"
                )
            return values
        try:
            v = float(adjustment)
        except (TypeError, ValueError):
            raise InputError(
                f"adjustment: expected 'liquidity', a number or a Series, got "
                f"{type(adjustment).__name__}"
            ) from None
        if not (0 < v <= 1):
            raise InputError(
                f"adjustment: got {v!r}; the fraction of the gap closed each interval must be "
                "in (0, 1] (1: the price is never stale)"
            )
        return np.full(n, v)

    def _by_bucket(self, values: np.ndarray, per_bond_by_side: np.ndarray) -> np.ndarray:
        """``sum_i values[t, i] x per_bond_by_side[i, s]`` by bucket: ``(T, n)`` -> ``(T, 3B)``."""
        return K.bucket_sums_nb(
            np.ascontiguousarray(values, dtype=float),
            per_bond_by_side,
            self._bucket,
            self._n_buckets,
        )

    # ------------------------------------------------------------------ curve inputs
    def _on_grid(self, curve: Any) -> bool:
        b = self._basis
        return (
            isinstance(curve, ZeroCurve)
            and curve.reference_date == b.reference_date
            and curve.interpolation == b.interpolation
            and curve.tenors.shape == b.tenors.shape
            and np.array_equal(curve.tenors, b.tenors)
        )

    def _curve_path(self, curve_path: Any) -> tuple[np.ndarray, np.ndarray, list]:
        """(discount factors (T, U+1), zero-rate moves at key tenors (T, K) bp, names)."""
        if isinstance(curve_path, CurveScenarios):
            if len(curve_path) == 0:
                raise InputError("curve_path: the CurveScenarios is empty; give >= 1 curve")
            _check_curve(curve_path, self.market.settlement, "curve_path")
            df = curve_path.discount_days(self._days)
            z = curve_path.zero_rate(self.key_tenors)
            return df, (z - self._base_zero) / _BP, list(curve_path.names)
        if isinstance(curve_path, (str, bytes)) or not isinstance(curve_path, Sequence):
            raise InputError(
                "curve_path: expected a CurveScenarios (one row per interval) or a list of "
                f"curves, got {type(curve_path).__name__}"
            )
        curves = list(curve_path)
        if not curves:
            raise InputError("curve_path: the list is empty; give >= 1 curve")
        for i, c in enumerate(curves):
            if not (hasattr(c, "discount_days") and hasattr(c, "zero_rate")):
                raise InputError(
                    f"curve_path: item {i} is a {type(c).__name__}, not a curve (a ZeroCurve "
                    "or anything with discount_days and zero_rate)"
                )
            if hasattr(c, "reference_date"):
                _check_curve(c, self.market.settlement, f"curve_path: item {i}")
        if all(self._on_grid(c) for c in curves):
            zr = np.vstack([c.zero_rates for c in curves])
            df = CurveScenarios(self._basis, zr).discount_days(self._days)
            return df, (zr - self._base_zero) / _BP, list(range(len(curves)))
        df = np.vstack([np.asarray(c.discount_days(self._days), dtype=float) for c in curves])
        z = np.vstack([np.asarray(c.zero_rate(self.key_tenors), dtype=float) for c in curves])
        return df, (z - self._base_zero) / _BP, list(range(len(curves)))

    def _spread_path(
        self, spread: Any, n_times: int, name: str = "spread_shift_bp_path"
    ) -> tuple[str, np.ndarray]:
        """("scalar", (T,) bp) or ("bond", (T, n) bp) in holdings order."""
        n = len(self._bonds)
        if spread is None:
            return "scalar", np.zeros(n_times)
        if isinstance(spread, pd.DataFrame):
            if len(spread) != n_times:
                raise InputError(
                    f"{name}: {len(spread)} rows for {n_times} intervals; give "
                    "one row per interval (columns: bond ids)"
                )
            cols = pd.Index(spread.columns.astype(str))
            unknown = cols.difference(self.market.bonds.ids)
            if len(unknown):
                raise InputError(
                    f"{name}: {len(unknown)} column(s) are not bonds of the "
                    f"market: {list(unknown[:10])}"
                )
            frame = spread.set_axis(cols, axis=1)
            values = frame.reindex(columns=self._bonds.ids, fill_value=0.0).to_numpy(float)
            return "bond", _finite(values, name)
        if isinstance(spread, pd.Series):
            idx = spread.index
            if len(idx) and idx.astype(str).isin(self.market.bonds.ids).all():
                # by bond id: the same per-bond shift at every interval
                by_id = spread.set_axis(idx.astype(str)).reindex(self._bonds.ids, fill_value=0.0)
                row = _finite(by_id.to_numpy(float), name)
                return "bond", np.repeat(row[None, :], n_times, axis=0)
            spread = spread.to_numpy()
        try:
            arr = np.asarray(spread, dtype=float)
        except (TypeError, ValueError):
            raise InputError(
                f"{name}: expected numbers in bp (a number, one per interval, "
                f"or a DataFrame of intervals x bond ids), got {type(spread).__name__}"
            ) from None
        if arr.ndim == 0:
            return "scalar", _finite(np.full(n_times, float(arr)), name)
        if arr.ndim == 1:
            if arr.size != n_times:
                raise InputError(
                    f"{name}: {arr.size} values for {n_times} intervals; give "
                    "one market-wide shift (bp) per interval"
                )
            return "scalar", _finite(arr, name)
        if arr.ndim == 2 and arr.shape == (n_times, n):
            return "bond", _finite(arr, name)
        raise InputError(
            f"{name}: shape {arr.shape}; expected ({n_times},) or "
            f"({n_times}, {n}) (intervals x holdings, in holdings order)"
        )

    # ------------------------------------------------------------------ valuation
    def _true_values(self, df: np.ndarray, kind: str, shift_bp: np.ndarray) -> np.ndarray:
        """(T, 3B) bucket values from discount factors and spread moves.

        ``kind``: "scalar" (``(T,)`` moves common to every bond), "bucket" (``(T, B)``,
        each bucket its own move: the stale spreads after common moves) or "bond"
        (``(T, n)``).
        """
        if kind == "bucket":
            out = np.empty((df.shape[0], self._ladders.shape[1]))
            K.ladder_values_by_bucket_shift_nb(
                np.ascontiguousarray(df, dtype=float),
                self._ladders,
                self._day_offset,
                np.ascontiguousarray(shift_bp * _BP),
                _N_SIDES,
                out,
            )
            return out + self._const
        if kind == "scalar":
            if np.any(shift_bp != 0):
                df = df * np.exp(-(shift_bp * _BP)[:, None] * self._dtau_days[None, :])
            return df[:, :-1] @ self._ladders / df[:, -1:] + self._const
        cf = self._cf
        dirty = K.bond_values_nb(
            cf.offsets,
            self._amounts,
            cf.day_index,
            cf.dtau,
            np.ascontiguousarray(df),
            np.ascontiguousarray(shift_bp * _BP),
            np.empty(shift_bp.shape),
        )
        return self._by_bucket(dirty, self._weights) + self._const

    def _estimates(self, dz_bp: np.ndarray, kind: str, shift_bp: np.ndarray) -> np.ndarray:
        """(T, 3B) second-order estimates of the bucket values from the observed moves."""
        dz = dz_bp * _BP
        n_t, n_k = dz.shape
        m1, m2 = self._m1, self._m2
        est = self._base_value + dz @ m1[:n_k]
        est += 0.5 * ((dz[:, :, None] * dz[:, None, :]).reshape(n_t, -1) @ self._m2_rates)
        if kind == "scalar":
            s = shift_bp * _BP
            spread_first = s[:, None] * m1[n_k][None, :]
            s_eff = s[:, None]
        elif kind == "bucket":
            s_eff = np.repeat(shift_bp * _BP, _N_SIDES, axis=1)
            spread_first = s_eff * m1[n_k][None, :]
        else:
            # first order bond by bond; the second-order terms use each bucket's
            # spread-sensitivity-weighted mean move
            spread_first = self._by_bucket(shift_bp * _BP, self._dspread_bond)
            cs = m1[n_k]
            s_eff = np.divide(spread_first, cs, out=np.zeros_like(spread_first), where=cs != 0)
        cross = dz @ m2[:n_k, n_k]
        return est + spread_first + s_eff * cross + 0.5 * s_eff**2 * m2[n_k, n_k]

    def _stale_spreads(self, kind: str, shift_bp: np.ndarray) -> tuple[str, np.ndarray]:
        """The evaluations' stale spread moves (bp) under ``stale_on="spread"``.

        Common moves stay common within a bucket: ("bucket", (T, B)); moves by bond are
        filtered bond by bond, each with its bucket's ``lambda``: ("bond", (T, n)).
        A path without spread moves stays ("scalar", zeros).
        """
        if kind == "scalar":
            if not np.any(shift_bp):
                return kind, shift_bp
            n_b = self._n_buckets
            cols = np.ascontiguousarray(np.repeat(shift_bp[:, None], n_b, axis=1))
            return "bucket", K.partial_adjustment_nb(cols, self._bucket_lambda, np.zeros(n_b))
        values = np.ascontiguousarray(shift_bp, dtype=float)
        return "bond", K.partial_adjustment_nb(values, self._bond_lambda, np.zeros(values.shape[1]))

    def initial_state(self) -> INavState:
        """The state at the base market: every evaluated price is up to date.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> state = INavModel(etf, m).initial_state()
        >>> round(state.nav("stale", "bid") - etf.official_nav(m), 9)
        0.0
        """
        v = self._base_value
        return INavState(v, v, v, v, self._other_assets, self._shares, 0)

    @renamed_keywords(side="quote_side")
    def path(
        self,
        curve_path: Any,
        spread_shift_bp_path: Any = None,
        *,
        quote_side: str = "bid",
        times: Sequence[Any] | pd.Index | None = None,
        estimated_spread_shift_bp_path: Any = None,
    ) -> INavResult:
        """True, stale and fair-value iNAV over a sequence of intervals.

        Parameters
        ----------
        curve_path : CurveScenarios or list of curves
            The Treasury curve at each of T successive intervals (rows of a
            CurveScenarios, or ZeroCurves / any curve with ``discount_days`` and
            ``zero_rate``), as levels, not changes.
        spread_shift_bp_path : optional
            The z-spread move since the base, bp, at each interval: ``None`` (none); a
            number (the same at every interval); T numbers (a move common to every
            bond); a DataFrame of T rows by bond-id columns (bonds not named do not
            move); a Series by bond id (the same per-bond move at every interval); or a
            ``(T, n_holdings)`` array in holdings order.
        quote_side : {"bid", "mid", "ask"}, default "bid"
            The side of the evaluated prices (the official NAV uses the bid; ``side=``
            is the deprecated spelling).
        times : sequence, optional
            Labels of the intervals (default: the scenario names, or 0..T-1).
        estimated_spread_shift_bp_path : optional
            The spread moves the fair-value iNAV is built from, bp, in any of the forms
            of ``spread_shift_bp_path``: an estimate (from CDX, other funds, dealer
            runs...). ``None`` (default) feeds it the **true** moves, which makes its
            error small by construction (only the Taylor remainder is left; see
            :class:`INavModel` Notes): a check of the arithmetic, not a test of a
            fair-value method. The true and stale NAVs do not depend on it.

        Returns
        -------
        INavResult

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> model = INavModel(m.etfs["IG_BROAD"], m)
        >>> curves = m.curve.parallel_shocks([0.0, 25.0, 25.0])
        >>> res = model.path(curves, [0.0, 10.0, 10.0])
        >>> bool(res.staleness_bp.iloc[-1] < 0)  # spreads up: the stale NAV is too high
        True

        A fair-value iNAV from an estimate of the spread move (here 8 bp for a true 10):

        >>> est = model.path(curves, [0.0, 10.0, 10.0], estimated_spread_shift_bp_path=8.0)
        >>> est.estimated_from_true_moves, res.estimated_from_true_moves
        (False, True)
        >>> err = est.to_frame()["fair_value_error_bp"].abs().iloc[-1]
        >>> bool(err > 100 * res.to_frame()["fair_value_error_bp"].abs().iloc[-1])
        True
        """
        s = check_side(quote_side)
        df, dz_bp, names = self._curve_path(curve_path)
        n_times = df.shape[0]
        kind, shift_bp = self._spread_path(spread_shift_bp_path, n_times)
        if estimated_spread_shift_bp_path is None:
            est_kind, est_shift_bp = kind, shift_bp
        else:
            est_kind, est_shift_bp = self._spread_path(
                estimated_spread_shift_bp_path, n_times, "estimated_spread_shift_bp_path"
            )
        if times is not None:
            names = list(times)
            if len(names) != n_times:
                raise InputError(
                    f"times: {len(names)} labels for {n_times} intervals; give one per interval"
                )
        df = np.asarray(df, dtype=float)
        true = self._true_values(df, kind, shift_bp)
        base = self._base_value
        est = np.ascontiguousarray(self._estimates(dz_bp, est_kind, est_shift_bp))
        if self.stale_on == "price":
            stale = K.partial_adjustment_nb(np.ascontiguousarray(true), self._lambda_cols, base)
            est_stale = K.partial_adjustment_nb(est, self._lambda_cols, base)
        else:
            stale_kind, stale_bp = self._stale_spreads(kind, shift_bp)
            stale = (
                true.copy()
                if stale_kind == "scalar"
                else self._true_values(df, stale_kind, stale_bp)
            )
            est_stale_kind, est_stale_bp = self._stale_spreads(est_kind, est_shift_bp)
            est_stale = (
                est.copy()
                if est_stale_kind == "scalar"
                else self._estimates(dz_bp, est_stale_kind, est_stale_bp)
            )
        fair = stale + (est - est_stale)

        def side_nav(values: np.ndarray) -> np.ndarray:
            return (values[:, s::_N_SIDES].sum(axis=1) + self._other_assets) / self._shares

        index = pd.Index(names, name="interval")
        bucket_gap = (true - stale)[:, s::_N_SIDES] / self._shares
        return INavResult(
            self.etf.name,
            quote_side,
            pd.Series(side_nav(true), index=index, name="true_nav"),
            pd.Series(side_nav(stale), index=index, name="stale_nav"),
            pd.Series(side_nav(fair), index=index, name="fair_value_nav"),
            pd.DataFrame(
                bucket_gap, index=index, columns=pd.RangeIndex(self._n_buckets, name="bucket")
            ),
            self._buckets,
            self.stale_on,
            estimated_spread_shift_bp_path is None,
        )

    def update(
        self,
        state: INavState,
        curve: Any,
        spread_shift_bp: float | pd.Series = 0.0,
        estimated_spread_shift_bp: float | pd.Series | None = None,
    ) -> INavState:
        """Advance the iNAV one interval: a new curve (and spread move since the base).

        Parameters
        ----------
        state : INavState
            The previous interval's state (:meth:`initial_state` at the start).
        curve : ZeroCurve or any curve with ``discount_days`` and ``zero_rate``
            The curve now (a level, not a change).
        spread_shift_bp : float or pandas.Series, default 0.0
            The z-spread move since the base, bp: one number for every bond, or a
            Series by bond id (bonds not named do not move).
        estimated_spread_shift_bp : float or pandas.Series, optional
            The spread move the fair-value iNAV is built from (an estimate), in the
            same forms. ``None`` (default) feeds it the true move, which makes its
            error small by construction (see :class:`INavModel` Notes).

        Returns
        -------
        INavState

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> model = INavModel(m.etfs["IG_BROAD"], m)
        >>> state = model.update(model.initial_state(), m.curve.shift(25.0), 10.0)
        >>> bool(state.nav("true") < state.nav("stale"))
        True
        >>> guess = model.update(model.initial_state(), m.curve.shift(25.0), 10.0, 6.0)
        >>> bool(guess.nav("fair_value") > state.nav("fair_value"))  # 6 bp, not 10
        True

        Notes
        -----
        With a ZeroCurve on the market curve's tenor grid and a market-wide spread move
        this costs one pass over the U payment days and one ``(U) x (U, 3 B)`` product,
        and under ``stale_on="spread"`` one more pass valuing each bucket at its stale
        spread (well under a millisecond for a 10,000-bond fund).
        """
        if not isinstance(state, INavState):
            raise InputError(f"state: expected an INavState, got {type(state).__name__}")
        if hasattr(curve, "reference_date"):
            _check_curve(curve, self.market.settlement)
        per_bond = isinstance(spread_shift_bp, pd.Series)
        if isinstance(spread_shift_bp, pd.Series):
            self._check_bond_ids(spread_shift_bp, "spread_shift_bp")
        shift = 0.0 if per_bond else finite(spread_shift_bp, "spread_shift_bp")
        spread_stale = self.stale_on == "spread"
        df = None  # discount factors without any spread move, (U + 1,)
        if self._on_grid(curve):
            i0, i1, c0, c1 = self._coef
            dz = (curve.zero_rates - self._base_zero) / _BP
            if not per_bond:
                true = self._const + K.ladder_values_on_grid_nb(
                    self._ladders,
                    curve.zero_rates,
                    i0,
                    i1,
                    c0,
                    c1,
                    self._dtau_days,
                    shift * _BP,
                )
            if per_bond:
                df = self._grid_discount(curve)
        else:
            if not (hasattr(curve, "discount_days") and hasattr(curve, "zero_rate")):
                raise InputError(
                    f"curve: a {type(curve).__name__} is not a curve (a ZeroCurve or anything "
                    "with discount_days and zero_rate)"
                )
            df = np.ascontiguousarray(curve.discount_days(self._days), dtype=float)
            dz = (np.asarray(curve.zero_rate(self.key_tenors)) - self._base_zero) / _BP
            if not per_bond:
                moved = df * np.exp(-shift * _BP * self._dtau_days) if shift else df
                true = self._const + K.ladder_values_nb(np.ascontiguousarray(moved), self._ladders)
        if per_bond:
            assert df is not None
            kind, shift_bp = self._spread_path(spread_shift_bp, 1, "spread_shift_bp")
            true = self._true_values(df[None, :], kind, shift_bp)[0]
        else:
            kind, shift_bp = "scalar", np.array([shift])
        if estimated_spread_shift_bp is None:
            est_kind, est_bp = kind, shift_bp
        elif isinstance(estimated_spread_shift_bp, pd.Series):
            self._check_bond_ids(estimated_spread_shift_bp, "estimated_spread_shift_bp")
            est_kind, est_bp = self._spread_path(
                estimated_spread_shift_bp, 1, "estimated_spread_shift_bp"
            )
        else:
            value = finite(estimated_spread_shift_bp, "estimated_spread_shift_bp")
            est_kind, est_bp = "scalar", np.array([value])
        est = self._estimates(dz[None, :], est_kind, est_bp)[0]
        lam = self._lambda_cols
        if not spread_stale:
            stale = state.stale_value + lam * (true - state.stale_value)
            est_stale = state.estimated_stale_value + lam * (est - state.estimated_stale_value)
            return INavState(
                true, stale, est, est_stale, self._other_assets, self._shares, state.n_updates + 1
            )
        prev = state._stale_spreads or (
            ("bucket", np.zeros(self._n_buckets)),
            ("bucket", np.zeros(self._n_buckets)),
        )
        stale_level = self._step_spread(prev[0], kind, shift_bp[0])
        est_level = self._step_spread(prev[1], est_kind, est_bp[0])
        stale = self._value_at_stale(stale_level, kind, shift_bp[0], true, curve, df)
        if est_level[0] == "bucket" and est_kind == "scalar" and np.all(est_level[1] == est_bp[0]):
            est_stale = est.copy()
        else:
            est_stale = self._estimates(dz[None, :], est_level[0], est_level[1][None, :])[0]
        return INavState(
            true,
            stale,
            est,
            est_stale,
            self._other_assets,
            self._shares,
            state.n_updates + 1,
            (stale_level, est_level),
        )

    def _check_bond_ids(self, series: pd.Series, name: str) -> None:
        """A per-bond move must name bonds of the market (else it would read as positions)."""
        unknown = pd.Index(series.index.astype(str)).difference(self.market.bonds.ids)
        if len(unknown):
            raise InputError(
                f"{name}: {len(unknown)} id(s) are not bonds of the market: "
                f"{list(unknown[:10])}; give a number or a Series by bond id"
            )

    def _step_spread(
        self, prev: tuple[str, np.ndarray], kind: str, move_bp: np.ndarray
    ) -> tuple[str, np.ndarray]:
        """One partial-adjustment step of the stale spreads (by bucket or by bond)."""
        level, spread = prev
        if level == "bucket" and kind == "scalar":
            return "bucket", spread + self._bucket_lambda * (float(move_bp) - spread)
        by_bond = spread[self._bucket] if level == "bucket" else spread
        return "bond", by_bond + self._bond_lambda * (move_bp - by_bond)

    def _grid_discount(self, curve: ZeroCurve) -> np.ndarray:
        """Discount factors (U + 1,) of a curve on the basis grid, no spread move."""
        i0, i1, c0, c1 = self._coef
        return K.discount_from_knots_nb(
            curve.zero_rates, i0, i1, c0, c1, self._dtau_days, 0.0, np.empty(self._days.size)
        )

    def _value_at_stale(
        self,
        level: tuple[str, np.ndarray],
        kind: str,
        move_bp: np.ndarray,
        true: np.ndarray,
        curve: Any,
        df: np.ndarray | None,
    ) -> np.ndarray:
        """Bucket values at the live curve and the stale spreads (one interval)."""
        name, spread = level
        if name == "bucket" and kind == "scalar" and np.all(spread == move_bp):
            return true.copy()  # no spread gap: the evaluations are current
        if df is None:
            df = self._grid_discount(curve)  # only on-grid curves get here without one
        return self._true_values(df[None, :], name, spread[None, :])[0]

    @property
    def adjustment(self) -> pd.Series:
        """Each holding's ``lambda`` (before bucketing), by id (a copy)."""
        return frame_copy(self._adjustment)

    @property
    def bucket(self) -> pd.Series:
        """Each holding's bucket number, by id (a copy)."""
        return frame_copy(self._bucket_of)

    @property
    def buckets(self) -> pd.DataFrame:
        """Per bucket: bonds, ``lambda``, half-life, mean half-spread, value, weight (a copy)."""
        return frame_copy(self._buckets)

    def summary(self) -> Any:
        """The staleness buckets and the model's settings.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> "half_life_intervals" in str(INavModel(m.etfs["IG_BROAD"], m).summary())
        True
        """
        return make_summary(
            f"iNAV model: {self.etf.name} ({len(self._adjustment):,} bonds, "
            f"{self._n_buckets} staleness buckets, {self.market.regime} regime, "
            f"stale on {self.stale_on})",
            [self._buckets],
            [
                "adjustment: fraction of the gap to the true price an evaluated price closes "
                "each interval; half-life in intervals."
            ],
        )

    def __repr__(self) -> str:
        lam = self._adjustment
        return (
            f"INavModel({self.etf.name}: {len(lam):,} bonds in {self._n_buckets} staleness "
            f"buckets, adjustment {lam.min():.3f}..{lam.max():.3f} per interval, stale on "
            f"{self.stale_on})"
        )


def _make_buckets(lam: np.ndarray, value: np.ndarray, n_buckets: int):
    """Bucket number per bond and each bucket's lambda (see INavModel Notes)."""
    distinct, inverse = np.unique(lam, return_inverse=True)
    if distinct.size <= n_buckets:
        return inverse.astype(np.int64), distinct
    # equal widths in log half-life; lambda = 1 (never stale) sorts first
    x = np.log(-np.log1p(-np.minimum(lam, 1 - 1e-12)))
    edges = np.linspace(x.min(), x.max(), n_buckets + 1)
    raw = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, n_buckets - 1)
    used, bucket = np.unique(raw, return_inverse=True)
    w = np.maximum(value, 0.0) + 1e-300
    sums = np.bincount(bucket, weights=w * lam, minlength=used.size)
    totals = np.bincount(bucket, weights=w, minlength=used.size)
    return bucket.astype(np.int64), sums / totals


@dataclass(frozen=True, repr=False)
class INavState:
    """The iNAV after some number of intervals (see :meth:`INavModel.update`).

    Values are USD by bucket and quote side (``3 x n_buckets``, side fastest; read-only
    arrays); the properties give NAV per share by quote side.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> model = INavModel(m.etfs["IG_BROAD"], m)
    >>> state = model.update(model.initial_state(), m.curve.shift(10.0), 5.0)
    >>> state.n_updates, bool(state.nav("stale") > state.nav("true"))
    (1, True)
    """

    true_value: np.ndarray
    stale_value: np.ndarray
    estimated_value: np.ndarray
    estimated_stale_value: np.ndarray
    other_assets_usd: float
    shares_outstanding: float
    n_updates: int
    #: Under ``stale_on="spread"``: the stale spread moves (bp) of the evaluations and of
    #: the estimate, each ``(level, values)`` with level "bucket" or "bond"; empty at
    #: the start (every spread current).
    _stale_spreads: tuple = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("true_value", "stale_value", "estimated_value", "estimated_stale_value"):
            arr = np.array(getattr(self, name), dtype=float)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        spreads = []
        for level, values in self._stale_spreads:
            arr = np.array(values, dtype=float)
            arr.setflags(write=False)
            spreads.append((level, arr))
        object.__setattr__(self, "_stale_spreads", tuple(spreads))

    def _per_share(self, values: np.ndarray) -> pd.Series:
        nav = values.reshape(-1, _N_SIDES).sum(axis=0) + self.other_assets_usd
        return pd.Series(
            nav / self.shares_outstanding, index=pd.Index(QUOTE_SIDES, name="quote_side")
        )

    @property
    def true_nav(self) -> pd.Series:
        """NAV per share from true prices, by quote side."""
        return self._per_share(self.true_value)

    @property
    def stale_nav(self) -> pd.Series:
        """NAV per share from stale evaluated prices (the measured iNAV), by quote side."""
        return self._per_share(self.stale_value)

    @property
    def fair_value_nav(self) -> pd.Series:
        """The stale iNAV plus the estimated lag, by quote side."""
        fair = self.stale_value + (self.estimated_value - self.estimated_stale_value)
        return self._per_share(fair)

    @renamed_keywords(side="quote_side")
    def nav(self, kind: str = "stale", quote_side: str = "bid") -> float:
        """One figure: ``kind`` in {"true", "stale", "fair_value"} on ``quote_side``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> state = INavModel(m.etfs["IG_BROAD"], m).initial_state()
        >>> state.nav("true", "bid") == state.nav("stale", "bid")
        True
        """
        kinds = {"true": "true_nav", "stale": "stale_nav", "fair_value": "fair_value_nav"}
        if kind not in kinds:
            raise InputError(f"kind: unknown value {show(kind)}; use one of {list(kinds)}")
        s = check_side(quote_side)
        return float(getattr(self, kinds[kind]).iloc[s])

    def to_frame(self) -> pd.DataFrame:
        """True, stale and fair-value NAV per share (rows) by quote side (columns).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> list(INavModel(m.etfs["IG_BROAD"], m).initial_state().to_frame().index)
        ['true', 'stale', 'fair_value']
        """
        return pd.DataFrame(
            {"true": self.true_nav, "stale": self.stale_nav, "fair_value": self.fair_value_nav}
        ).T

    def summary(self) -> Any:
        """The three NAVs by quote side, after :attr:`n_updates` intervals.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> "fair_value" in str(INavModel(m.etfs["IG_BROAD"], m).initial_state().summary())
        True
        """
        return make_summary(
            f"iNAV state after {self.n_updates} update(s)",
            [self.to_frame()],
            ["NAV per share; official NAV = bid side."],
        )

    def __repr__(self) -> str:
        t, s, f = (x.iloc[0] for x in (self.true_nav, self.stale_nav, self.fair_value_nav))
        return (
            f"INavState(after {self.n_updates} update(s), bid: true {t:.4f}, stale {s:.4f}, "
            f"fair value {f:.4f})"
        )


@dataclass(frozen=True, repr=False)
class INavResult:
    """An iNAV path: true, stale (measured) and fair-value NAV per share by interval.

    Every property hands out a copy.

    Attributes
    ----------
    name : str
        The fund.
    quote_side : str
        The quote side of the evaluated prices (``side`` is the deprecated name).
    true_nav, stale_nav, fair_value_nav : pandas.Series
        NAV per share by interval: from true prices, from stale evaluated prices (the
        measured iNAV), and the stale iNAV corrected by the estimated lag.
    bucket_staleness : pandas.DataFrame
        True minus stale value per share, by interval (rows) and staleness bucket.
    buckets : pandas.DataFrame
        The model's buckets (see :class:`INavModel`).
    stale_on : str
        What of the evaluated prices was stale: ``"spread"`` or ``"price"``.
    estimated_from_true_moves : bool
        True when the fair-value iNAV was fed the true spread moves (the default of
        :meth:`INavModel.path`): its error is then small by construction.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> res = inav_path(m.etfs["IG_BROAD"], m, m.curve.parallel_shocks([0.0, 20.0, 20.0]))
    >>> res.quote_side, len(res.to_frame())
    ('bid', 3)
    >>> res.stale_on, res.estimated_from_true_moves
    ('spread', True)
    """

    name: str
    quote_side: str
    _true: pd.Series = field(repr=False)
    _stale: pd.Series = field(repr=False)
    _fair: pd.Series = field(repr=False)
    _bucket_gap: pd.DataFrame = field(repr=False)
    _buckets: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    stale_on: str = "price"
    estimated_from_true_moves: bool = True

    def __post_init__(self) -> None:
        for name in ("_true", "_stale", "_fair", "_bucket_gap", "_buckets"):
            object.__setattr__(self, name, frame_copy(getattr(self, name)))

    @property
    def side(self) -> str:
        """Deprecated name of :attr:`quote_side`."""
        warn_renamed("side", "quote_side", "INavResult")
        return self.quote_side

    @property
    def true_nav(self) -> pd.Series:
        """NAV per share from true prices, by interval (a copy)."""
        return frame_copy(self._true)

    @property
    def stale_nav(self) -> pd.Series:
        """NAV per share from stale evaluated prices (the measured iNAV), by interval."""
        return frame_copy(self._stale)

    @property
    def fair_value_nav(self) -> pd.Series:
        """The stale iNAV corrected by the estimated lag, by interval."""
        return frame_copy(self._fair)

    @property
    def bucket_staleness(self) -> pd.DataFrame:
        """True minus stale value per share, by interval and staleness bucket."""
        return frame_copy(self._bucket_gap)

    @property
    def buckets(self) -> pd.DataFrame:
        """The model's staleness buckets."""
        return frame_copy(self._buckets)

    @property
    def staleness_bp(self) -> pd.Series:
        """``(true - stale) / stale``, bp: how far the measured iNAV lags the true value.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> flat = m.curve.parallel_shocks([0.0, 0.0])
        >>> res = inav_path(m.etfs["IG_BROAD"], m, flat, [0.0, -20.0])  # spreads tighten
        >>> bool(res.staleness_bp.iloc[-1] > 0)  # the stale iNAV is too low
        True
        """
        return ((self._true - self._stale) / self._stale * 1e4).rename("staleness_bp")

    @property
    def estimated_staleness_bp(self) -> pd.Series:
        """``(fair value - stale) / stale``, bp: the lag the fair-value adjustment estimates."""
        out = (self._fair - self._stale) / self._stale * 1e4
        return out.rename("estimated_staleness_bp")

    def __repr__(self) -> str:
        st = self.staleness_bp
        return (
            f"INavResult({self.name}, {len(st)} intervals, {self.quote_side} side: staleness "
            f"{st.iloc[-1]:+.2f} bp at the end, max |staleness| {st.abs().max():.2f} bp)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per interval: the three NAVs, staleness and the fair-value error (bp).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> res = inav_path(m.etfs["IG_BROAD"], m, m.curve.parallel_shocks([0.0, 10.0]))
        >>> list(res.to_frame().columns[:3])
        ['true_nav', 'stale_nav', 'fair_value_nav']
        """
        return pd.DataFrame(
            {
                "true_nav": self._true,
                "stale_nav": self._stale,
                "fair_value_nav": self._fair,
                "staleness_bp": self.staleness_bp,
                "estimated_staleness_bp": self.estimated_staleness_bp,
                "fair_value_error_bp": (self._fair / self._true - 1.0) * 1e4,
            }
        )

    def summary_frame(self) -> pd.Series:
        """The figures of :meth:`summary` as a Series (numbers, for code).

        ``staleness_explained`` is ``1 - mean|fair value - true| / mean|stale - true|``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> res = inav_path(m.etfs["IG_BROAD"], m, m.curve.parallel_shocks([0.0, 10.0]))
        >>> int(res.summary_frame()["intervals"])
        2
        """
        f = self.to_frame()
        stale_err = (f["stale_nav"] - f["true_nav"]).abs().mean()
        fair_err = (f["fair_value_nav"] - f["true_nav"]).abs().mean()
        rows = {
            "intervals": len(f),
            "true_nav_first": f["true_nav"].iloc[0],
            "true_nav_last": f["true_nav"].iloc[-1],
            "stale_nav_last": f["stale_nav"].iloc[-1],
            "fair_value_nav_last": f["fair_value_nav"].iloc[-1],
            "mean_abs_staleness_bp": f["staleness_bp"].abs().mean(),
            "max_abs_staleness_bp": f["staleness_bp"].abs().max(),
            "mean_abs_fair_value_error_bp": f["fair_value_error_bp"].abs().mean(),
            "staleness_explained": 1.0 - fair_err / stale_err if stale_err > 0 else np.nan,
        }
        return pd.Series(rows, dtype=float, name=self.name)

    def summary(self) -> Any:
        """Staleness and how much of it the fair-value adjustment removes.

        ``staleness_explained`` is ``1 - mean|fair value - true| / mean|stale - true|``.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> res = inav_path(m.etfs["IG_BROAD"], m, m.curve.parallel_shocks([0.0, 10.0]))
        >>> "staleness_explained" in str(res.summary())
        True
        """
        notes = [
            "staleness = (true - stale) / stale in bp of the stale (measured) iNAV.",
            f"stale on: {self.stale_on} ("
            + (
                "evaluations lag on the spread; the Treasury curve is live)."
                if self.stale_on == "spread"
                else "the whole evaluated price lags, rate moves included)."
            ),
        ]
        if self.estimated_from_true_moves:
            notes.append(
                "The fair-value iNAV was fed the true spread moves: its error is small by "
                "construction (pass estimated_spread_shift_bp_path= to test an estimate)."
            )
        return make_summary(
            f"iNAV path: {self.name} ({self.quote_side} side)", [self.summary_frame()], notes
        )

    def decompose_premium(self, etf_prices: Any) -> pd.DataFrame:
        """Split the ETF's premium to the measured iNAV into staleness and a true premium.

        Parameters
        ----------
        etf_prices : pandas.Series or array-like
            The ETF's price at each interval (a Series aligned on the intervals, or T
            numbers in order).

        Returns
        -------
        pandas.DataFrame
            By interval: ``etf_price``, ``stale_nav``, ``true_nav``, ``fair_value_nav``,
            ``premium_to_stale_bp``, ``staleness_bp``, ``premium_to_true_bp``,
            ``estimated_staleness_bp`` and ``premium_to_fair_value_bp``.

        Notes
        -----
        Every bp figure is in bp of the stale iNAV ``S``, so the parts add up exactly:
        ``(P - S)/S = (T - S)/S + (P - T)/S``, i.e. premium to stale = staleness
        ("NAV is stale") + premium to true ("the ETF is really cheap or rich"), and the
        same with the fair-value NAV in place of the (unobservable) true NAV.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> res = inav_path(m.etfs["IG_BROAD"], m, m.curve.parallel_shocks([0.0, -20.0]))
        >>> d = res.decompose_premium(res.stale_nav * 0.999)
        >>> bool(abs(d["premium_to_stale_bp"] - d["staleness_bp"]
        ...          - d["premium_to_true_bp"]).max() < 1e-9)
        True
        """
        n = len(self._stale)
        if isinstance(etf_prices, pd.Series):
            if len(etf_prices) != n:
                raise InputError(
                    f"etf_prices: {len(etf_prices)} prices for {n} intervals; give one per interval"
                )
            if etf_prices.index.equals(self._stale.index):
                p = etf_prices.to_numpy(dtype=float)
            else:
                aligned = etf_prices.reindex(self._stale.index)
                if aligned.isna().any():
                    raise InputError(
                        "etf_prices: the Series index does not match the intervals "
                        f"{list(self._stale.index[:5])}...; align it or pass plain numbers"
                    )
                p = aligned.to_numpy(dtype=float)
        else:
            try:
                p = np.asarray(etf_prices, dtype=float).reshape(-1)
            except (TypeError, ValueError):
                raise InputError(
                    f"etf_prices: expected prices, got {type(etf_prices).__name__}"
                ) from None
            if p.size != n:
                raise InputError(
                    f"etf_prices: {p.size} prices for {n} intervals; give one per interval"
                )
        bad = ~(np.isfinite(p) & (p > 0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"etf_prices: interval {i} has price {float(p[i])!r}; prices must be > 0"
            )
        s = self._stale.to_numpy()
        t = self._true.to_numpy()
        f = self._fair.to_numpy()
        return pd.DataFrame(
            {
                "etf_price": p,
                "stale_nav": s,
                "true_nav": t,
                "fair_value_nav": f,
                "premium_to_stale_bp": (p - s) / s * 1e4,
                "staleness_bp": (t - s) / s * 1e4,
                "premium_to_true_bp": (p - t) / s * 1e4,
                "estimated_staleness_bp": (f - s) / s * 1e4,
                "premium_to_fair_value_bp": (p - f) / s * 1e4,
            },
            index=self._stale.index,
        )

    def plot(self, ax: Any = None):
        """NAV paths (true, stale, fair value) and, on a second axis, staleness in bp.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> res = inav_path(m.etfs["IG_BROAD"], m, m.curve.parallel_shocks([0.0, 10.0]))
        >>> res.plot().get_xlabel()
        'interval'
        """
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(8, 4), layout="constrained")[1]
        x = np.arange(len(self._true))
        ax.plot(x, self._true.to_numpy(), color="black", lw=1.5, label="true NAV")
        ax.plot(x, self._stale.to_numpy(), color="#C44E52", lw=1.2, label="stale iNAV")
        ax.plot(
            x,
            self._fair.to_numpy(),
            color="#4C72B0",
            lw=1.0,
            ls="--",
            label="fair-value iNAV",
        )
        ax.set_xlabel("interval")
        ax.set_ylabel(f"NAV per share ({self.quote_side})")
        ax2 = ax.twinx()
        ax2.fill_between(
            x,
            0.0,
            self.staleness_bp.to_numpy(),
            color="#C44E52",
            alpha=0.15,
            label="staleness (bp)",
        )
        ax2.set_ylabel("staleness, bp of stale iNAV")
        lines = ax.get_legend_handles_labels()
        lines2 = ax2.get_legend_handles_labels()
        ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="best", fontsize=8)
        ax.set_title(f"{self.name}: iNAV, stale vs true")
        return ax


@renamed_keywords(side="quote_side")
def inav_path(
    etf: ETF,
    market: MarketState,
    curve_path: Any,
    spread_shift_bp_path: Any = None,
    *,
    adjustment: str | float | pd.Series = "liquidity",
    quote_side: str = "bid",
    times: Sequence[Any] | pd.Index | None = None,
    estimated_spread_shift_bp_path: Any = None,
    **model_options: Any,
) -> INavResult:
    """The fund's iNAV over a path of intraday curves and spread moves.

    Shorthand for ``INavModel(etf, market, adjustment, **model_options).path(...)``;
    see :class:`INavModel` for the model (``stale_on``, ``half_life_intervals``... go
    in ``model_options``) and :meth:`INavModel.path` for the inputs. Without
    ``estimated_spread_shift_bp_path`` the fair-value iNAV is fed the true moves, and
    its error is small by construction.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> res = inav_path(etf, m, m.curve.parallel_shocks([0.0, 15.0, 15.0, 15.0]), adjustment=1.0)
    >>> bool(abs(res.staleness_bp).max() < 1e-9)
    True
    >>> flat = m.curve.parallel_shocks([0.0, 0.0, 0.0])
    >>> res = inav_path(etf, m, flat, [0.0, 10.0, 10.0], stale_on="price",
    ...                 estimated_spread_shift_bp_path=[0.0, 9.0, 9.0])
    >>> res.stale_on, res.estimated_from_true_moves
    ('price', False)
    """
    model = INavModel(etf, market, adjustment, **model_options)
    return model.path(
        curve_path,
        spread_shift_bp_path,
        quote_side=quote_side,
        times=times,
        estimated_spread_shift_bp_path=estimated_spread_shift_bp_path,
    )


__all__ = ["DEFAULT_KEY_TENORS", "STALE_ON", "INavModel", "INavResult", "INavState", "inav_path"]
