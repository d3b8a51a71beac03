"""ETF hedge selection: at most K ETFs that minimise the residual variance of basket minus hedge.

:func:`factor_covariance` gives a daily covariance of the risk factors (key rates at the
curve's tenors, credit-spread factors by rating and by sector), from documented defaults or
estimated from a history of factor changes. :func:`select_hedge` loads the basket and each
candidate ETF on those factors (key-rate DV01s, credit CS01 by rating and sector, plus each
bond's idiosyncratic spread risk), and solves, for every subset of at most K candidates (best
subset, not a greedy guess), the bounded least-squares problem of the residual variance, with
short limits and a maximum notional per instrument. A regression alternative uses return
histories instead (statsmodels OLS).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import choice, integer, non_negative, positive, show
from ..errors import InputError
from ..fund.etf import ETF, check_market
from ..state import MarketState
from .risk import BasketRisk, _universe_table, basket_risk, etf_lines

#: Daily volatility (bp) of zero rates by tenor (years), normal regime: interpolated to the
#: curve's tenors. Source: standard deviation of daily changes of US Treasury constant-maturity
#: yields (FRED DGS3MO..DGS30), 2023-2024: about 3-5 bp at the front end, 6-8 bp from 2 to
#: 10 years, 6-7 bp at 20-30 years.
RATE_VOL_BP = {0.0833: 3.0, 0.25: 3.5, 0.5: 4.0, 1.0: 5.0, 2.0: 6.5, 3.0: 7.0, 5.0: 7.5,
               7.0: 7.5, 10.0: 7.0, 20.0: 6.5, 30.0: 6.5}  # fmt: skip
#: Decay of the correlation between key rates: ``corr = exp(-k |ln(t_i / t_j)|)``, k = 0.15
#: (2y-10y daily correlation about 0.8, 3m-30y about 0.4 -- US Treasury 2023-2024).
RATE_CORRELATION_DECAY = 0.15
#: Daily volatility (bp) of the credit-spread factor of each rating, normal regime. Source:
#: daily changes of ICE BofA US corporate OAS indices by rating (FRED BAMLC0A1CAAA ..
#: BAMLH0A3HYC), 2023-2024: about 1-2 bp for IG, 4-8 bp for BB-B, over 10 bp for CCC.
#: Bonds with only a grade (a holdings file without ratings) use the broad indices' vols
#: (ICE BofA US Corporate / US High Yield OAS, same period): ``IG`` 1.8, ``HY`` 5.5.
RATING_VOL_BP = {"AAA": 1.0, "AA": 1.2, "A": 1.5, "BBB": 2.0, "BB": 4.5, "B": 6.5, "CCC": 12.0,
                 "IG": 1.8, "HY": 5.5}  # fmt: skip
#: Correlation of rating factors within a grade (IG with IG, HY with HY) and across grades.
RATING_CORRELATION = {"within_grade": 0.9, "across_grades": 0.7}
#: Daily volatility (bp) of each sector factor (a sector's spread move beyond its rating's),
#: independent of each other and of the rating factors.
SECTOR_VOL_BP = 0.8
#: Correlation of every key rate with every rating factor (spreads widen when yields fall).
RATE_SPREAD_CORRELATION = -0.2
#: Idiosyncratic daily spread volatility (bp) of one bond by rating (Treasuries: ``"govt"``).
IDIOSYNCRATIC_VOL_BP = {"govt": 0.3, "AAA": 0.8, "AA": 1.0, "A": 1.2, "BBB": 1.5, "BB": 4.0,
                        "B": 6.0, "CCC": 10.0, "IG": 1.3, "HY": 5.0}  # fmt: skip
#: Multipliers of the normal-regime vols in the stress regime (rates, spreads, idiosyncratic):
#: in March 2020 IG OAS moved 10-20 bp a day (5-10x normal) and Treasuries 10-20 bp.
STRESS_MULTIPLIERS = {"rates": 1.5, "spreads": 4.0, "idiosyncratic": 3.0, "basis": 5.0}
#: Daily volatility (bp of price) of an ETF's basis: its price against the true value of its
#: holdings, beyond what the factors explain (the part of the premium/discount that is not
#: NAV staleness), by fund type. Assumption, loosely calibrated: LQD's premium has a daily
#: standard deviation near 14 bp with a half-life about a day, and about 30% of it is stale
#: NAV (DESIGN.md; notebook 03), leaving a few bp a day for IG, more for HY; Treasury ETFs
#: trade within about a bp of their holdings. Stress multiplies it by 5 (March 2020).
BASIS_VOL_BP = {"government": 1.0, "investment_grade": 4.0, "high_yield": 8.0}
#: Largest number of subsets best-subset search will enumerate.
MAX_SUBSETS = 20_000
METHODS = ("factor", "regression")
SEARCHES = ("best_subset", "greedy")
_IDENTICAL = 1.0 - 1e-9


def _rating_vol(rating: str) -> float:
    if rating in RATING_VOL_BP:
        return RATING_VOL_BP[rating]
    return RATING_VOL_BP["BBB"]


def _grade(rating: str) -> str:
    return "HY" if rating in ("HY", "BB", "B", "CCC", "CC", "C", "D") else "IG"


def factor_names(market: MarketState) -> list[str]:
    """Factor labels of ``market``: ``rate_<t>y``, ``rating_<r>``, ``sector_<s>``."""
    table = _universe_table(market)
    tenors = [c[4:-1] for c in table.columns if c.startswith("krd_")]
    credit = table[~table["government"].to_numpy()]
    ratings = sorted(credit["rating"].astype(str).unique(), key=_rating_order)
    sectors = sorted(credit["sector"].astype(str).unique())
    return (
        [f"rate_{t}y" for t in tenors]
        + [f"rating_{r}" for r in ratings]
        + [f"sector_{s}" for s in sectors]
    )


def _rating_order(r: str) -> tuple[int, str]:
    order = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D"]
    return (order.index(r) if r in order else len(order), r)


def factor_covariance(
    market: MarketState, history: pd.DataFrame | None = None, regime: str | None = None
) -> pd.DataFrame:
    """Daily covariance of the hedging risk factors, bp squared.

    Parameters
    ----------
    market : MarketState
        Sets the factors: a key rate at each of the curve's tenors (``rate_<t>y``), a
        credit-spread factor per rating (``rating_<r>``) and per sector (``sector_<s>``)
        of the market's credit bonds.
    history : pandas.DataFrame, optional
        Daily factor changes in bp, one column per factor label (extra columns are
        ignored); the sample covariance is returned. At least 2 rows, no NaN.
    regime : {"normal", "stress"}, optional
        Default: the market's. Ignored with ``history``.

    Returns
    -------
    pandas.DataFrame
        Factor x factor covariance of daily changes, bp^2.

    Raises
    ------
    InputError
        If ``history`` misses factors, has NaN or non-finite values or fewer than 2 rows,
        or ``regime`` is unknown.

    Notes
    -----
    Defaults (normal regime; sources in the constants): key-rate vols
    :data:`RATE_VOL_BP` interpolated by tenor, correlated ``exp(-0.15 |ln(t_i/t_j)|)``;
    rating factors :data:`RATING_VOL_BP`, correlated 0.9 within a grade and 0.7 across;
    sector factors :data:`SECTOR_VOL_BP` each, independent; every key rate correlated
    :data:`RATE_SPREAD_CORRELATION` with every rating factor. Stress multiplies rate vols
    by 1.5 and spread vols by 4 (:data:`STRESS_MULTIPLIERS`). A bond's spread change is its
    rating factor plus its sector factor (plus idiosyncratic noise, in
    :func:`select_hedge`); Treasuries load on the key rates only.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging import factor_covariance
    >>> m = synthetic_market(0)
    >>> cov = factor_covariance(m)
    >>> vol = cov.to_numpy().diagonal() ** 0.5
    >>> round(float(cov.loc["rate_10y", "rate_10y"] ** 0.5), 1)
    7.0
    >>> round(float(cov.loc["rating_BB", "rating_BB"] ** 0.5), 1)
    4.5
    """
    market = check_market(market)
    names = factor_names(market)
    if history is not None:
        return _history_covariance(history, names)
    regime = market.regime if regime is None else choice(regime, "regime", ("normal", "stress"))
    rate_mult = STRESS_MULTIPLIERS["rates"] if regime == "stress" else 1.0
    spread_mult = STRESS_MULTIPLIERS["spreads"] if regime == "stress" else 1.0
    kinds = [n.split("_", 1) for n in names]
    vol = np.zeros(len(names))
    corr = np.eye(len(names))
    grid = np.array(sorted(RATE_VOL_BP))
    grid_vol = np.array([RATE_VOL_BP[t] for t in grid])
    tenor = np.full(len(names), np.nan)
    for i, (kind, label) in enumerate(kinds):
        if kind == "rate":
            tenor[i] = float(label[:-1])
            vol[i] = rate_mult * float(np.interp(np.log(tenor[i]), np.log(grid), grid_vol))
        elif kind == "rating":
            vol[i] = spread_mult * _rating_vol(label)
        else:
            vol[i] = spread_mult * SECTOR_VOL_BP
    for i, (ki, li) in enumerate(kinds):
        for j, (kj, lj) in enumerate(kinds):
            if i == j:
                continue
            if ki == kj == "rate":
                corr[i, j] = np.exp(-RATE_CORRELATION_DECAY * abs(np.log(tenor[i] / tenor[j])))
            elif ki == kj == "rating":
                same = _grade(li) == _grade(lj)
                corr[i, j] = RATING_CORRELATION["within_grade" if same else "across_grades"]
            elif {ki, kj} == {"rate", "rating"}:
                corr[i, j] = RATE_SPREAD_CORRELATION
    cov = corr * np.outer(vol, vol)
    return pd.DataFrame(cov, index=pd.Index(names, name="factor"), columns=names)


def _history_covariance(history: Any, names: list[str]) -> pd.DataFrame:
    if not isinstance(history, pd.DataFrame):
        raise InputError(
            f"history: expected a DataFrame of daily factor changes in bp, got "
            f"{type(history).__name__}"
        )
    missing = [n for n in names if n not in history.columns]
    if missing:
        raise InputError(
            f"history: missing {len(missing)} factor column(s): {missing[:20]}; give daily "
            f"changes (bp) of every factor of the market ({len(names)} factors)"
        )
    data = history[names].apply(pd.to_numeric, errors="coerce")
    values = data.to_numpy(dtype=float)
    if len(values) < 2:
        raise InputError(f"history: {len(values)} row(s); give at least 2 days of changes")
    bad = ~np.isfinite(values)
    if bad.any():
        i, j = (int(k[0]) for k in np.nonzero(bad))
        raise InputError(
            f"history row {i} ({history.index[i]}), column {names[j]}: "
            f"{show(history[names[j]].iloc[i])} is not a finite change in bp"
        )
    cov = np.cov(values, rowvar=False, ddof=1).reshape(len(names), len(names))
    return pd.DataFrame(cov, index=pd.Index(names, name="factor"), columns=names)


def _loadings(lines: pd.DataFrame, names: list[str]) -> np.ndarray:
    """Factor loadings (USD per bp of each factor) of per-bond risk lines."""
    out = pd.Series(0.0, index=names)
    for c in lines.columns:
        if c.startswith("key_rate_dv01_"):
            out[f"rate_{c[len('key_rate_dv01_') : -len('_usd')]}"] = float(lines[c].sum())
    credit = lines[~lines["government"].to_numpy()]
    for prefix, col in (("rating", "rating"), ("sector", "sector")):
        sums = credit.groupby(col)["credit_cs01_usd"].sum()
        labels = [f"{prefix}_{k}" for k in sums.index]
        unknown = [k for k in labels if k not in out.index]
        if unknown:
            raise InputError(f"a hedge instrument has exposure to unknown factors {unknown}")
        out[labels] = sums.to_numpy()
    return out.to_numpy(dtype=float)


def _idio(lines: pd.DataFrame, universe: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """(positions in the universe, idiosyncratic loading x vol, USD per day) of each line."""
    pos = universe.get_indexer(lines.index)
    rating = lines["rating"].astype(str).to_numpy()
    vol = np.array([IDIOSYNCRATIC_VOL_BP.get(r, IDIOSYNCRATIC_VOL_BP["BBB"]) for r in rating])
    vol = np.where(lines["government"].to_numpy(), IDIOSYNCRATIC_VOL_BP["govt"], vol)
    return pos, lines["cs01_usd"].to_numpy(dtype=float) * vol


class _TableArrays(NamedTuple):
    """The per-bond table as arrays, with each bond's factor positions (private)."""

    market_value_usd: np.ndarray
    dv01_usd: np.ndarray
    cs01_usd: np.ndarray
    government: np.ndarray
    krd: np.ndarray  # (bonds, tenors), in factor order
    rate_factor: np.ndarray  # factor position of each tenor
    rating_factor: np.ndarray  # factor position of each bond's rating (-1: none)
    sector_factor: np.ndarray
    idio_vol_bp: np.ndarray
    high_yield: np.ndarray
    labels: np.ndarray  # "rating_<r>" / "sector_<s>" of each bond, for errors


_ARRAYS: dict = {}


def _table_arrays(table: pd.DataFrame, factors: list[str]) -> _TableArrays:
    """:class:`_TableArrays` of the market's per-bond table (cached per table and factors)."""
    key = (id(table), tuple(factors))
    hit = _ARRAYS.get(key)
    if hit is not None and hit[0] is table:
        return hit[1]
    where = {f: i for i, f in enumerate(factors)}
    krd_cols = [c for c in table.columns if c.startswith("krd_")]
    rate = np.array([where.get(f"rate_{c[4:]}", -1) for c in krd_cols])
    if (rate < 0).any():
        raise InputError("the per-bond table has key rates that are not factors")
    govt = table["government"].to_numpy(dtype=bool)
    rating = table["rating"].astype(str).to_numpy()
    sector = table["sector"].astype(str).to_numpy()
    u_rating, inv_rating = np.unique(rating, return_inverse=True)
    u_sector, inv_sector = np.unique(sector, return_inverse=True)
    r_idx = np.array([where.get(f"rating_{r}", -1) for r in u_rating])[inv_rating]
    s_idx = np.array([where.get(f"sector_{x}", -1) for x in u_sector])[inv_sector]
    vol = np.array([IDIOSYNCRATIC_VOL_BP.get(r, IDIOSYNCRATIC_VOL_BP["BBB"]) for r in u_rating])
    hy = np.array([_grade(r) == "HY" for r in u_rating])[inv_rating]
    out = _TableArrays(
        table["market_value_usd"].to_numpy(dtype=float),
        table["dv01_usd"].to_numpy(dtype=float),
        table["cs01_usd"].to_numpy(dtype=float),
        govt,
        table[krd_cols].to_numpy(dtype=float),
        rate,
        np.where(govt, -1, r_idx),
        np.where(govt, -1, s_idx),
        np.where(govt, IDIOSYNCRATIC_VOL_BP["govt"], vol[inv_rating]),
        hy,
        np.stack([["rating_" + r for r in rating], ["sector_" + x for x in sector]], axis=1),
    )
    if len(_ARRAYS) >= 8:
        _ARRAYS.pop(next(iter(_ARRAYS)))
    _ARRAYS[key] = (table, out)
    return out


def _candidate_exposure(
    etf: ETF, market: MarketState, table: pd.DataFrame, factors: list[str]
) -> _Exposure:
    """A candidate's :class:`_Exposure` from the market's per-bond table, with numpy.

    The holdings' rows of the table of 1 USD mm of every live bond
    (:func:`etfcore.hedging.risk._universe_table`, computed once per market) scaled by
    par, as :func:`basket_risk` does for a basket: the per-bond analytics of the fund's
    own :func:`etfcore.fund.risk.fund_risk`, without a fund_risk per candidate, and the
    sums of :func:`_exposure` without building the lines. A fund holding a bond the
    table does not have (unknown or matured) goes through fund_risk, which names it.
    """
    from .risk import _UNIT_PAR_USD

    h = etf.holdings
    pos = table.index.get_indexer(h.index)
    if (pos < 0).any() or h.index.has_duplicates:
        return _exposure(etf_lines(etf, market), factors, table.index)
    a = _table_arrays(table, factors)
    scale = h.to_numpy(dtype=float) / _UNIT_PAR_USD
    mv = a.market_value_usd[pos] * scale
    cs01 = a.cs01_usd[pos] * scale
    govt = a.government[pos]
    credit = np.where(govt, 0.0, cs01)
    key_rate = (mv * 1e-4) @ a.krd[pos]
    loadings = np.zeros(len(factors))
    loadings[a.rate_factor] = key_rate
    for col, idx in ((0, a.rating_factor[pos]), (1, a.sector_factor[pos])):
        unknown = (idx < 0) & ~govt
        if unknown.any():
            labels = sorted(set(a.labels[pos[unknown], col].tolist()))
            raise InputError(f"a hedge instrument has exposure to unknown factors {labels}")
        loadings += np.bincount(idx[~govt], weights=credit[~govt], minlength=len(factors))
    total = float(np.abs(cs01).sum())
    credit_abs = np.abs(credit)
    hy = float(credit_abs[a.high_yield[pos]].sum())
    if total <= 0 or credit_abs.sum() < 0.05 * total:
        kind = "government"
    elif hy > 0.5 * credit_abs.sum():
        kind = "high_yield"
    else:
        kind = "investment_grade"
    return _Exposure(
        loadings,
        float((a.dv01_usd[pos] * scale).sum()),
        float(credit.sum()),
        key_rate,
        pos,
        cs01 * a.idio_vol_bp[pos],
        kind,
        float(mv.sum()),
    )


def _candidates(candidates: Any, market: MarketState) -> dict[str, ETF]:
    if candidates is None:
        etfs = getattr(market, "etfs", None)
        if not etfs:
            raise InputError(
                "candidates: the market has no ETFs (market.etfs); pass the candidate ETFs"
            )
        candidates = etfs
    if isinstance(candidates, ETF):
        candidates = [candidates]
    if isinstance(candidates, Mapping):
        items = list(candidates.items())
    else:
        try:
            items = [(getattr(e, "name", None), e) for e in candidates]
        except TypeError:
            raise InputError(
                f"candidates: expected ETFs (a list or a dict by name), got "
                f"{type(candidates).__name__}"
            ) from None
    out: dict[str, ETF] = {}
    for i, (name, etf) in enumerate(items):
        if not isinstance(etf, ETF):
            raise InputError(f"candidates[{i}]: expected an ETF, got {type(etf).__name__}")
        key = str(name)
        if key in out:
            raise InputError(f"candidates: {key!r} appears twice; give each ETF once")
        out[key] = etf
    if not out:
        raise InputError("candidates: no candidate ETFs; give at least one")
    return out


def _limits(value: Any, name: str, names: list[str]) -> np.ndarray:
    if isinstance(value, (Mapping, pd.Series)):
        unknown = [k for k in value.keys() if k not in names]
        if unknown:
            raise InputError(f"{name}: {unknown} are not candidates ({names})")
        return np.array(
            [non_negative(value.get(n, np.inf), f"{name}[{n}]", allow_inf=True) for n in names]
        )
    v = non_negative(value, name, allow_inf=True)
    return np.full(len(names), v)


def _solve(
    subset: tuple[int, ...],
    v0: float,
    c: np.ndarray,
    cm: np.ndarray,
    lb: np.ndarray,
    ub: np.ndarray,
) -> tuple[float, np.ndarray]:
    """Minimise ``v0 + 2 w.c + w'Cw`` over w in [lb, ub] on ``subset``: (variance, w)."""
    s = np.asarray(subset)
    css = cm[np.ix_(s, s)]
    cs = c[s]
    lo, hi = lb[s], ub[s]
    w = np.where(lo == hi, lo, 0.0)  # a leg whose bounds meet is fixed there
    free = lo < hi
    if free.any():
        f = np.flatnonzero(free)
        cff = css[np.ix_(f, f)]
        cf = cs[f] + css[np.ix_(f, np.flatnonzero(~free))] @ w[~free]
        wf = np.linalg.solve(cff, -cf)
        if np.any(wf < lo[f]) or np.any(wf > hi[f]):
            from scipy.optimize import lsq_linear

            r = np.linalg.cholesky(cff).T  # cff = r' r
            b = -np.linalg.solve(r.T, cf)
            wf = lsq_linear(r, b, bounds=(lo[f], hi[f]), method="bvls").x
        w[f] = wf
    var = v0 + 2.0 * float(w @ cs) + float(w @ css @ w)
    return max(var, 0.0), w


def _search(
    v0: float, c: np.ndarray, cm: np.ndarray, lb: np.ndarray, ub: np.ndarray, k: int, how: str
) -> tuple[tuple[int, ...], np.ndarray, float, int]:
    n = len(c)
    tol = 1e-12 * max(v0, 1e-300)
    best: tuple[float, int, tuple[int, ...], np.ndarray] | None = None
    count = 0
    if how == "best_subset":
        for size in range(1, k + 1):
            for subset in itertools.combinations(range(n), size):
                var, w = _solve(subset, v0, c, cm, lb, ub)
                count += 1
                if best is None or var < best[0] - tol:
                    best = (var, size, subset, w)
    else:
        chosen: tuple[int, ...] = ()
        for _ in range(k):
            step = None
            for j in range(n):
                if j in chosen:
                    continue
                subset = tuple(sorted((*chosen, j)))
                var, w = _solve(subset, v0, c, cm, lb, ub)
                count += 1
                if step is None or var < step[0] - tol:
                    step = (var, len(subset), subset, w)
            assert step is not None
            if best is not None and step[0] >= best[0] - tol:
                break
            best = step
            chosen = step[2]
    assert best is not None
    return best[2], best[3], best[0], count


@dataclass(frozen=True, repr=False)
class HedgeSelection:
    """The chosen ETF hedge of a basket and the risk it leaves.

    Built by :func:`select_hedge`. Properties hand out copies.

    Attributes
    ----------
    method : str
        ``"factor"`` or ``"regression"``.
    search : str
        ``"best_subset"`` or ``"greedy"``.
    horizon_days : float
        Horizon of the tracking volatilities.
    basket : BasketRisk
    residual_dv01_usd, residual_cs01_usd : float
        DV01 and credit CS01 of basket plus hedge, USD per bp.
    variance_reduction : float
        ``1 - residual variance / basket variance``, in [0, 1].
    basket_vol_usd, tracking_vol_usd : float
        Standard deviation of the basket's and of the residual's P&L over the horizon.
    tracking_vol_bp : float
        ``tracking_vol_usd`` over the basket's absolute market value, bp.
    subsets_evaluated : int
    regression : statsmodels RegressionResults or None
        With ``method="regression"``: the OLS of basket P&L (USD) on the chosen ETFs'
        returns (``params`` are minus the hedge notionals when no bound binds).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging import select_hedge
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["TREASURY"].holdings.index[:4]
    >>> h = select_hedge(pd.DataFrame({"id": ids, "par": 25e6}), m, max_instruments=1)
    >>> list(h.notional_usd.index), bool(h.notional_usd.iloc[0] < 0)
    (['TREASURY'], True)
    """

    method: str
    search: str
    horizon_days: float
    basket: BasketRisk
    residual_dv01_usd: float
    residual_cs01_usd: float
    variance_reduction: float
    basket_vol_usd: float
    tracking_vol_usd: float
    tracking_vol_bp: float
    subsets_evaluated: int
    _legs: pd.DataFrame = field(repr=False)
    _residual_key_rate_dv01: pd.Series = field(repr=False)
    regression: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        legs = ", ".join(f"{n} {v / 1e6:+,.1f}mm" for n, v in self._legs["notional_usd"].items())
        return (
            f"HedgeSelection({legs}; variance reduction {self.variance_reduction:.1%}, "
            f"tracking vol {self.tracking_vol_bp:.2f} bp over {self.horizon_days:g} day(s))"
        )

    @property
    def notional_usd(self) -> pd.Series:
        """Hedge notional by ETF name, USD; negative = sell the ETF. A copy.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import select_hedge
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["HY"].holdings.index[:30]
        >>> h = select_hedge(pd.DataFrame({"id": ids, "par": 2e6}), m, max_instruments=1)
        >>> h.notional_usd.index.tolist()
        ['HY']
        """
        return frame_copy(self._legs["notional_usd"])

    @property
    def shares(self) -> pd.Series:
        """Hedge share counts by ETF name (notional over mid NAV per share). A copy.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import select_hedge
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["HY"].holdings.index[:30]
        >>> h = select_hedge(pd.DataFrame({"id": ids, "par": 2e6}), m, max_instruments=1)
        >>> bool(h.shares["HY"] < 0)
        True
        """
        return frame_copy(self._legs["shares"])

    @property
    def residual_key_rate_dv01(self) -> pd.Series:
        """Key-rate DV01s of basket plus hedge, USD per bp, by tenor. A copy.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import select_hedge
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["TREASURY"].holdings.index[:4]
        >>> h = select_hedge(pd.DataFrame({"id": ids, "par": 25e6}), m)
        >>> h.residual_key_rate_dv01.index.name
        'tenor'
        """
        return frame_copy(self._residual_key_rate_dv01)

    def to_frame(self) -> pd.DataFrame:
        """One row per hedge leg.

        Columns: ``notional_usd``, ``shares``, ``trade_side`` (sell/buy the ETF),
        ``nav`` (mid, per share), the leg's ``dv01_usd`` and ``cs01_usd`` (credit),
        ``variance_reduction`` (the leg's share of the variance removed; Euler split
        ``-w_j (2 c_j + (C w)_j) / V``, summing to the total) and
        ``tracking_vol_without_leg_usd`` (the residual vol if this leg alone were
        dropped, the others kept).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import select_hedge
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_BROAD"].holdings.index[:50]
        >>> h = select_hedge(pd.DataFrame({"id": ids, "par": 2e6}), m, max_instruments=2)
        >>> f = h.to_frame()
        >>> bool(abs(f["variance_reduction"].sum() - h.variance_reduction) < 1e-9)
        True
        """
        return frame_copy(self._legs)

    def summary(self) -> Any:
        """Basket risk, hedge legs and residual risk.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging import select_hedge
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["TREASURY"].holdings.index[:4]
        >>> h = select_hedge(pd.DataFrame({"id": ids, "par": 25e6}), m, max_instruments=1)
        >>> "variance_reduction" in str(h.summary())
        True
        """
        totals = {
            "method": self.method,
            "search": self.search,
            "horizon_days": self.horizon_days,
            "basket_market_value_usd": self.basket.market_value_usd,
            "basket_dv01_usd": self.basket.dv01_usd,
            "basket_credit_cs01_usd": self.basket.credit_cs01_usd,
            "residual_dv01_usd": self.residual_dv01_usd,
            "residual_cs01_usd": self.residual_cs01_usd,
            "basket_vol_usd": self.basket_vol_usd,
            "tracking_vol_usd": self.tracking_vol_usd,
            "tracking_vol_bp": self.tracking_vol_bp,
            "variance_reduction": self.variance_reduction,
            "subsets_evaluated": self.subsets_evaluated,
        }
        return make_summary(
            f"Hedge selection: {self.basket.name} ({self.basket.regime} regime)",
            [totals, self._legs],
            [
                "notional_usd < 0: sell the ETF. DV01/CS01 are USD per bp (CS01 of credit "
                "bonds only); vols are of P&L over the horizon; variance_reduction per leg "
                "is its Euler share of the variance removed.",
            ],
        )


def select_hedge(
    positions: pd.DataFrame,
    market: MarketState,
    candidates: Any = None,
    max_instruments: int = 3,
    *,
    method: str = "factor",
    search: str = "best_subset",
    covariance: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    returns: pd.DataFrame | None = None,
    basket_returns: pd.Series | None = None,
    horizon_days: float = 1.0,
    max_notional_usd: Any = np.inf,
    short_limit_usd: Any = np.inf,
    idiosyncratic: bool = True,
    basis_vol_bp: Any = None,
) -> HedgeSelection:
    """Choose at most ``max_instruments`` ETFs that minimise the basket's residual variance.

    Parameters
    ----------
    positions : pandas.DataFrame
        The basket, as for :func:`basket_risk` (``id`` and ``par``, negative = short).
    market : MarketState
    candidates : ETF, list of ETF or dict of ETF, optional
        Default: the market's ETFs (``market.etfs``; five in the synthetic market). Any
        ETF whose holdings the market knows, e.g. one read from a real holdings file.
    max_instruments : int, default 3
        K: at most this many legs, ``1 <= K <= len(candidates)``.
    method : {"factor", "regression"}, default "factor"
        ``"factor"``: variance under :func:`factor_covariance` (or ``covariance`` /
        ``history``) plus each bond's idiosyncratic spread risk. ``"regression"``: sample
        moments of ``basket_returns`` and ``returns`` (the OLS of basket P&L on ETF returns;
        the chosen subset's statsmodels results are in ``.regression``).
    search : {"best_subset", "greedy"}, default "best_subset"
        Enumerate every subset of at most K candidates, or add one at a time.
    covariance : pandas.DataFrame, optional
        Daily factor covariance (bp^2) with the labels of :func:`factor_covariance`.
    history : pandas.DataFrame, optional
        Daily factor changes (bp) to estimate it from.
    returns : pandas.DataFrame, optional
        For ``"regression"``: daily returns (decimal) of the candidates, a column each.
    basket_returns : pandas.Series, optional
        For ``"regression"``: the basket's daily returns (decimal), same index.
    horizon_days : float, default 1
        Horizon of the reported volatilities (variance scales with it).
    max_notional_usd : float or dict by ETF name, default inf
        Largest absolute notional of a leg.
    short_limit_usd : float or dict by ETF name, default inf
        Largest notional that may be sold (0: the ETF cannot be shorted).
    idiosyncratic : bool, default True
        Add each bond's idiosyncratic spread variance (:data:`IDIOSYNCRATIC_VOL_BP`)
        to the factor variance (``"factor"`` method).
    basis_vol_bp : float or dict by ETF name, optional
        Daily volatility (bp) of each candidate's own basis (price against the value of
        its holdings), added to its variance (``"factor"`` method). Default: by fund type
        (:data:`BASIS_VOL_BP`: a fund whose CS01 is under 5% credit is ``government``, over
        half high yield is ``high_yield``), times 5 in stress. ``0`` switches it off.

    Returns
    -------
    HedgeSelection

    Raises
    ------
    InputError
        Bad positions (as :func:`basket_risk`), K < 1 or above the number of candidates,
        a candidate with no risk, two candidates with identical risk, negative or NaN
        limits or horizon, an unknown method, or regression inputs that do not line up.

    Notes
    -----
    With loadings ``x_b`` (basket) and ``x_j`` (candidate j per USD notional) on the
    factors (key-rate DV01s at the curve's tenors; credit CS01 by rating and by sector),
    factor covariance ``S`` and idiosyncratic variances, ``V = x_b' S x_b + idio``, ``c_j =
    x_j' S x_b + idio_bj`` and ``C_jk = x_j' S x_k + idio_jk`` (funds that share bonds
    share their idiosyncratic risk), plus each fund's own basis variance on ``C_jj``
    (``(basis_vol_bp x 1e-4)^2`` per USD^2: it keeps the optimiser from offsetting two
    large credit-fund legs against each other for a sliver of factor fit). A hedge ``w``
    (USD notional, negative = sell) leaves
    ``V(w) = V + 2 w'c + w'Cw``. For every subset of at most K candidates the bounded
    problem ``min V(w)`` with ``-short_limit <= w <= max_notional`` is solved (the
    unconstrained optimum if it is feasible, else scipy's ``lsq_linear`` on the Cholesky
    factor); the subset with the smallest variance wins, ties to the smaller subset. A
    leg that its bounds hold at zero is dropped (with ``short_limit_usd=0`` a long basket
    may get no hedge at all: ``notional_usd`` is then empty and the reduction 0).
    Residual DV01 and CS01 use the same loadings; residual CS01 counts credit bonds only.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging import select_hedge
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_INTERMEDIATE"].holdings.index[:100]
    >>> h = select_hedge(pd.DataFrame({"id": ids, "par": 1e6}), m)
    >>> bool(h.variance_reduction > 0.9), len(h.notional_usd) <= 3
    (True, True)
    """
    market = check_market(market)
    method = choice(method, "method", METHODS)
    search = choice(search, "search", SEARCHES)
    horizon = positive(horizon_days, "horizon_days")
    basket = basket_risk(positions, market)
    etfs = _candidates(candidates, market)
    names = list(etfs)
    k = integer(max_instruments, "max_instruments")
    if not 1 <= k <= len(names):
        raise InputError(
            f"max_instruments: {k} must be between 1 and the number of candidates ({len(names)})"
        )
    n_subsets = sum(_comb(len(names), s) for s in range(1, k + 1))
    if search == "best_subset" and n_subsets > MAX_SUBSETS:
        raise InputError(
            f"max_instruments: {k} of {len(names)} candidates is {n_subsets:,} subsets (more "
            f"than {MAX_SUBSETS:,}); lower K or use search='greedy'"
        )
    ub = _limits(max_notional_usd, "max_notional_usd", names)
    lb = -np.minimum(_limits(short_limit_usd, "short_limit_usd", names), ub)

    factors = factor_names(market)
    universe_table = _universe_table(market)
    universe = universe_table.index
    exposures = [_exposure(basket._lines, factors, universe)]
    for n in names:
        deps = (universe_table,)
        key = ("hedging_exposure", tuple(factors))
        hit = etfs[n]._cache.get(key, deps)
        if hit is None:
            hit = _candidate_exposure(etfs[n], market, universe_table, factors)
            etfs[n]._cache.put(key, deps, hit)
        exposures.append(hit)
    # mid net assets: the holdings' mid value (the per-bond table) plus the fund's other
    # assets, what ETF.nav(market) x shares gives, without a NAV ladder per candidate
    net_assets = np.array(
        [
            ex.market_value_usd + etfs[n]._other_assets()
            for n, ex in zip(names, exposures[1:], strict=True)
        ]
    )
    if np.any(~(net_assets > 0)):
        bad = names[int(np.flatnonzero(~(net_assets > 0))[0])]
        raise InputError(f"candidates: {bad} has no net assets; it cannot hedge anything")
    scale = np.concatenate([[1.0], 1.0 / net_assets])
    x = np.vstack([ex.loadings for ex in exposures]) * scale[:, None]
    dv01 = np.array([ex.dv01_usd for ex in exposures]) * scale
    cs01 = np.array([ex.credit_cs01_usd for ex in exposures]) * scale
    krd = np.vstack([ex.key_rate_dv01 for ex in exposures]) * scale[:, None]
    for j, n in enumerate(names):
        if not np.any(np.abs(x[j + 1]) > 0):
            raise InputError(f"candidates: {n} has no rate or spread risk; drop it")

    regression_data = None
    if method == "factor":
        if covariance is not None:
            cov = _check_covariance(covariance, factors)
        else:
            cov = factor_covariance(market, history=history).to_numpy()
        full = x @ cov @ x.T
        if idiosyncratic:
            mult = STRESS_MULTIPLIERS["idiosyncratic"] if market.regime == "stress" else 1.0
            e = np.zeros((len(exposures), len(universe)))
            for i, ex in enumerate(exposures):
                np.add.at(e[i], ex.idio_pos, ex.idio_usd * mult * scale[i])
            full = full + e @ e.T
        _check_distinct(full[1:, 1:], names)  # before each fund's own basis noise
        basis = _basis_vols(
            basis_vol_bp, names, [ex.fund_kind for ex in exposures[1:]], market.regime
        )
        full[1:, 1:] += np.diag((basis * 1e-4) ** 2)
    else:
        full, regression_data = _regression_moments(
            returns, basket_returns, names, basket.market_value_usd
        )
    _check_distinct(full[1:, 1:], names)
    v0, c, cm = float(full[0, 0]), full[0, 1:], full[1:, 1:]
    if not v0 > 0:
        raise InputError("positions: the basket has no risk under this covariance")
    subset, w, var, count = _search(v0, c, cm, lb, ub, k, search)

    wf = np.zeros(len(names))
    wf[list(subset)] = w
    s = [j for j in subset if wf[j] != 0.0]  # a leg held at zero by its bounds is no leg
    cw = cm @ wf
    euler = -wf * (2.0 * c + cw) / v0
    without = []
    for j in s:
        wj = wf.copy()
        wj[j] = 0.0
        without.append(np.sqrt(max(v0 + 2 * wj @ c + wj @ cm @ wj, 0.0) * horizon))
    navs = net_assets / np.array([etfs[n].shares_outstanding for n in names], dtype=float)
    legs = pd.DataFrame(
        {
            "notional_usd": wf[s],
            "shares": wf[s] / navs[s],
            "trade_side": np.where(wf[s] < 0, "sell", "buy"),
            "nav": navs[s],
            "dv01_usd": wf[s] * dv01[1:][s],
            "cs01_usd": wf[s] * cs01[1:][s],
            "variance_reduction": euler[s],
            "tracking_vol_without_leg_usd": without,
        },
        index=pd.Index([names[j] for j in s], name="instrument"),
    )
    reg = None
    if regression_data is not None:
        reg = _ols(regression_data, [names[j] for j in s])
    resid_krd = pd.Series(
        krd[0] + wf @ krd[1:],
        index=basket._key_rate_dv01.index.copy(),
        name="key_rate_dv01_usd",
    )
    tracking = float(np.sqrt(var * horizon))
    return HedgeSelection(
        method=method,
        search=search,
        horizon_days=horizon,
        basket=basket,
        residual_dv01_usd=float(dv01[0] + wf @ dv01[1:]),
        residual_cs01_usd=float(cs01[0] + wf @ cs01[1:]),
        variance_reduction=float(np.clip(1.0 - var / v0, 0.0, 1.0)),
        basket_vol_usd=float(np.sqrt(v0 * horizon)),
        tracking_vol_usd=tracking,
        tracking_vol_bp=tracking / abs(basket.market_value_usd) * 1e4,
        subsets_evaluated=count,
        _legs=legs,
        _residual_key_rate_dv01=resid_krd,
        regression=reg,
    )


def _basis_vols(value: Any, names: list[str], kinds: list[str], regime: str) -> np.ndarray:
    mult = STRESS_MULTIPLIERS["basis"] if regime == "stress" else 1.0
    default = np.array([BASIS_VOL_BP[k] * mult for k in kinds])
    if value is None:
        return default
    if isinstance(value, (Mapping, pd.Series)):
        given = _limits(value, "basis_vol_bp", names)  # validates; inf where not given
        return np.where(np.isinf(given), default, given)
    return np.full(len(names), non_negative(value, "basis_vol_bp"))


def _fund_kind(lines: pd.DataFrame) -> str:
    """``government``, ``high_yield`` or ``investment_grade`` from where the CS01 sits."""
    cs01 = float(lines["cs01_usd"].abs().sum())
    credit = lines["credit_cs01_usd"].abs()
    hy = credit[lines["rating"].map(_grade).to_numpy() == "HY"].sum()
    if cs01 <= 0 or credit.sum() < 0.05 * cs01:
        return "government"
    if hy > 0.5 * credit.sum():
        return "high_yield"
    return "investment_grade"


class _Exposure(NamedTuple):
    """One instrument's risk, unscaled (USD per bp for its whole holding)."""

    loadings: np.ndarray
    dv01_usd: float
    credit_cs01_usd: float
    key_rate_dv01: np.ndarray
    idio_pos: np.ndarray
    idio_usd: np.ndarray
    fund_kind: str
    market_value_usd: float


def _exposure(lines: pd.DataFrame, factors: list[str], universe: pd.Index) -> _Exposure:
    krd_cols = [c for c in lines.columns if c.startswith("key_rate_dv01_")]
    pos, idio = _idio(lines, universe)
    return _Exposure(
        _loadings(lines, factors),
        float(lines["dv01_usd"].sum()),
        float(lines["credit_cs01_usd"].sum()),
        lines[krd_cols].sum().to_numpy(dtype=float),
        pos,
        idio,
        _fund_kind(lines),
        float(lines["market_value_usd"].sum()),
    )


def _comb(n: int, k: int) -> int:
    from math import comb

    return comb(n, k)


def _check_covariance(covariance: Any, factors: list[str]) -> np.ndarray:
    if not isinstance(covariance, pd.DataFrame):
        raise InputError(
            f"covariance: expected a DataFrame (factor x factor, bp^2), got "
            f"{type(covariance).__name__}"
        )
    missing = [f for f in factors if f not in covariance.index or f not in covariance.columns]
    if missing:
        raise InputError(f"covariance: missing factor(s) {missing[:20]}; see factor_covariance")
    cov = covariance.loc[factors, factors].to_numpy(dtype=float)
    if not np.all(np.isfinite(cov)):
        raise InputError("covariance: has NaN or infinite entries")
    if not np.allclose(cov, cov.T, rtol=1e-10, atol=1e-12):
        raise InputError("covariance: is not symmetric")
    if np.linalg.eigvalsh(cov).min() < -1e-9 * max(1.0, float(np.abs(cov).max())):
        raise InputError("covariance: is not positive semi-definite")
    return cov


def _check_distinct(cm: np.ndarray, names: list[str]) -> None:
    d = np.sqrt(np.clip(np.diag(cm), 0.0, None))
    for j, n in enumerate(names):
        if not d[j] > 0:
            raise InputError(f"candidates: {n} has no risk (zero variance); drop it")
    corr = cm / np.outer(d, d)
    for i, j in itertools.combinations(range(len(names)), 2):
        if corr[i, j] > _IDENTICAL:
            raise InputError(
                f"candidates: {names[i]} and {names[j]} have identical risk (correlation "
                f"{corr[i, j]:.10f}); keep one of them"
            )


def _regression_moments(
    returns: Any, basket_returns: Any, names: list[str], market_value: float
) -> tuple[np.ndarray, tuple[np.ndarray, pd.DataFrame]]:
    if not isinstance(returns, pd.DataFrame) or not isinstance(basket_returns, pd.Series):
        raise InputError(
            "method='regression': give returns (a DataFrame of the candidates' daily returns) "
            "and basket_returns (a Series of the basket's daily returns, same index)"
        )
    missing = [n for n in names if n not in returns.columns]
    if missing:
        raise InputError(f"returns: no column for candidate(s) {missing}")
    if not returns.index.equals(basket_returns.index):
        raise InputError("returns and basket_returns: the indexes differ; align them first")
    data = returns[names].apply(pd.to_numeric, errors="coerce")
    y = pd.to_numeric(basket_returns, errors="coerce").to_numpy(dtype=float)
    if len(y) < len(names) + 2:
        raise InputError(
            f"returns: {len(y)} rows for {len(names)} candidates; give at least {len(names) + 2}"
        )
    values = data.to_numpy(dtype=float)
    for arr, what in ((values, "returns"), (y[:, None], "basket_returns")):
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.nonzero(bad)[0][0])
            raise InputError(f"{what} row {i} ({returns.index[i]}): not a finite return")
    pnl = y * market_value
    z = np.column_stack([pnl, values])
    full = np.cov(z, rowvar=False, ddof=1)
    return full, (pnl, data)


def _ols(data: tuple[np.ndarray, pd.DataFrame], chosen: list[str]) -> Any:
    import statsmodels.api as sm

    pnl, frame = data
    exog = sm.add_constant(frame[chosen], has_constant="add")
    return sm.OLS(pd.Series(pnl, index=frame.index, name="basket_pnl_usd"), exog).fit()


__all__ = ["HedgeSelection", "factor_covariance", "select_hedge"]
