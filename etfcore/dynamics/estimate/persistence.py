"""AR(1) / Ornstein-Uhlenbeck persistence of the premium and its half-life, by period."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ..._results import frame_copy, make_summary
from ..._validation import show
from ...errors import InputError
from ._base import (
    EstimateResults,
    cell,
    check_alpha,
    converge_error,
    data_range,
    date_text,
    need,
    z_value,
)
from ._series import premium_input

#: The fewest (lagged, current) pairs an AR(1) fit takes, per period.
MIN_AR1_OBS = 20

_MODEL = "AR(1) premium persistence"


def hac_maxlags(n: int) -> int:
    """Newey-West's rule of thumb for the HAC lag length: ``floor(4 (n/100)^(2/9))``."""
    return int(math.floor(4.0 * (n / 100.0) ** (2.0 / 9.0)))


def half_life(phi: float, se_phi: float, alpha: float) -> tuple[float, float, float]:
    """Half-life in days ``ln 0.5 / ln|phi|`` and its delta-method interval (log scale).

    The interval is ``hl x exp(-/+ z se)`` with ``se = se_phi / |phi ln|phi||``, the
    delta method applied to ``ln hl``, so it stays positive. ``|phi| >= 1`` (no
    reversion) gives an infinite half-life whose lower end comes from the lower end of
    ``phi``'s normal interval (``inf`` too if that is 1 or more); an upper end too
    large for a float is ``inf``.
    """
    a = abs(phi)
    z = z_value(alpha)
    if a >= 1.0:
        edge = a - z * se_phi
        lo = (
            math.log(0.5) / math.log(edge) if 0.0 < edge < 1.0 else (0.0 if edge <= 0 else math.inf)
        )
        return math.inf, lo, math.inf
    if a == 0.0:
        return 0.0, 0.0, 0.0
    hl = math.log(0.5) / math.log(a)
    se_log = se_phi / abs(a * math.log(a))
    step = z * se_log
    hi = hl * math.exp(step) if step < 700.0 else math.inf
    return hl, hl * math.exp(-min(step, 700.0)), hi


def _pairs(s: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    v = s.to_numpy()
    return v[1:], v[:-1], s.index[1:]


def _period_masks(index: pd.Index, periods: Any) -> dict[str, np.ndarray]:
    """Masks over the pairs (t-1, t) that lie in each period (both dates in it)."""
    prev, cur = index[:-1], index[1:]
    out: dict[str, np.ndarray] = {}
    if periods is None:
        return out
    if isinstance(periods, pd.Series):
        labels = periods.reindex(index)
        missing = labels.isna()
        if missing.any():
            k = index[missing.to_numpy()][0]
            raise InputError(
                f"periods: the regime Series has no label on {date_text(k)}; give one "
                "label per date of the premium"
            )
        lab = labels.to_numpy()
        for name in pd.unique(lab):
            out[str(name)] = (lab[:-1] == name) & (lab[1:] == name)
        return out
    if not isinstance(periods, Mapping):
        raise InputError(
            f"periods: expected a mapping name -> (start, end) or a Series of regime "
            f"labels by date, got {type(periods).__name__}"
        )
    for name, span in periods.items():
        try:
            lo, hi = span
            lo_t, hi_t = pd.Timestamp(lo), pd.Timestamp(hi)
        except (TypeError, ValueError):
            raise InputError(
                f"periods[{name!r}]: {show(span)} is not a (start, end) pair of dates"
            ) from None
        if lo_t > hi_t:
            raise InputError(
                f"periods[{name!r}]: start {lo_t:%Y-%m-%d} is after end {hi_t:%Y-%m-%d}"
            )
        out[str(name)] = (prev >= lo_t) & (cur <= hi_t)
    return out


@dataclass(frozen=True, repr=False, eq=False)
class PersistenceResults(EstimateResults):
    """AR(1) fits of the premium, on the whole sample and by period.

    ``params`` holds ``const[p]`` and ``phi[p]`` for each period ``p`` (``all`` is the
    whole sample); :meth:`to_frame` gives one row per period with the half-life, its
    interval and the Ornstein-Uhlenbeck parameters.

    Notes
    -----
    ``half_life_days = ln 0.5 / ln|phi|`` with a delta-method interval on its log.

    Examples
    --------
    >>> from etfcore.dynamics.estimate import fit_ar1, premium_discount
    >>> from etfcore.dynamics.estimate._examples import example_fund
    >>> price, nav, shares = example_fund()
    >>> res = fit_ar1(premium_discount(price, nav), periods={"2019": ("2019", "2019-12-31")})
    >>> list(res.to_frame().index), round(res.phi, 1)
    (['all', '2019'], 0.5)
    """

    _table: pd.DataFrame
    alpha: float
    maxlags: int

    @property
    def half_life_days(self) -> float:
        """Whole-sample half-life in days (``ln 0.5 / ln|phi|``)."""
        return cell(self._table, "all", "half_life_days")

    @property
    def half_life_conf_int(self) -> tuple[float, float]:
        """Whole-sample ``1 - alpha`` delta-method interval of the half-life (days)."""
        t = self._table
        return cell(t, "all", "half_life_lower_days"), cell(t, "all", "half_life_upper_days")

    @property
    def phi(self) -> float:
        """Whole-sample AR(1) coefficient."""
        return float(self._params["phi[all]"])

    def half_life(self, period: str = "all") -> tuple[float, float, float]:
        """``(half_life_days, lower, upper)`` of one period.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_ar1, premium_discount
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> hl, lo, hi = fit_ar1(premium_discount(price, nav)).half_life("all")
        >>> bool(lo < hl < hi)
        True
        """
        if period not in self._table.index:
            raise InputError(f"period: {period!r} is not one of {list(self._table.index)}")
        t = self._table
        return (
            cell(t, period, "half_life_days"),
            cell(t, period, "half_life_lower_days"),
            cell(t, period, "half_life_upper_days"),
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per period: nobs, dates, phi, half-life and interval, OU parameters.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_ar1, premium_discount
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> "half_life_days" in fit_ar1(premium_discount(price, nav)).to_frame()
        True
        """
        return frame_copy(self._table)

    def summary(self) -> Any:
        """Coefficients and the per-period half-life table.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_ar1, premium_discount
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> "phi[all]" in str(fit_ar1(premium_discount(price, nav)).summary())
        True
        """
        t = self._table[
            [
                "nobs",
                "phi",
                "half_life_days",
                "half_life_lower_days",
                "half_life_upper_days",
                "mean_bp",
                "sigma_bp",
            ]
        ]
        return make_summary(
            self.model_name,
            [self._header(), self._coef_table(), t],
            [
                "p_t = const + phi p_(t-1) + e_t on the premium in bp, OLS with HAC "
                f"(Newey-West, {self.maxlags} lags) standard errors.",
                "Half-life ln 0.5 / ln|phi| days; interval by the delta method on "
                f"ln(half-life), {100 * (1 - self.alpha):g}%. OU: kappa = -ln phi per day, "
                "mean_bp = const / (1 - phi), sigma_bp = residual standard deviation.",
            ],
        )


def fit_ar1(
    premium_bp: Any,
    *,
    periods: Any = None,
    alpha: float = 0.05,
    maxlags: int | None = None,
    dropna: bool = False,
) -> PersistenceResults:
    r"""Fit an AR(1) (a discretely sampled Ornstein-Uhlenbeck process) to the premium.

    Parameters
    ----------
    premium_bp : pandas.Series
        Premium in bp by date (e.g. from :func:`premium_discount`).
    periods : mapping or pandas.Series, optional
        Sub-periods to fit separately besides the whole sample: a mapping
        ``name -> (start, end)`` (inclusive dates) or a Series of regime labels by date
        (each label is one period, pooled over all its spells).
    alpha : float
        Intervals are ``1 - alpha``.
    maxlags : int, optional
        HAC lag length (default Newey-West's ``floor(4 (n/100)^(2/9))``).
    dropna : bool
        Drop NaN dates (with a warning) instead of raising.

    Returns
    -------
    PersistenceResults

    Raises
    ------
    InputError
        Fewer than :data:`MIN_AR1_OBS` (20) pairs in the sample or a period, a NaN
        (unless ``dropna``), bad periods.
    ConvergenceError
        ``phi >= 1`` in the sample or a period: no mean reversion, no finite half-life
        (names the period and its dates).

    Notes
    -----
    ``p_t = c + phi p_(t-1) + e_t`` by statsmodels OLS with HAC (Newey-West) standard
    errors; a pair enters a period when both its dates lie in it. Half-life in days is
    ``ln 0.5 / ln|phi|`` (observations are trading days); its interval is the delta
    method on ``ln(half-life)``: ``se = se(phi) / |phi ln|phi||``, so the interval is
    positive and skewed. OU equivalents: ``kappa = -ln phi`` per day, long-run mean
    ``c / (1 - phi)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> p = np.zeros(500)
    >>> for t in range(1, 500):
    ...     p[t] = 0.5 * p[t - 1] + rng.normal(0, 10)
    >>> res = fit_ar1(pd.Series(p, index=pd.bdate_range("2019-01-01", periods=500)))
    >>> lo, hi = res.half_life_conf_int
    >>> bool(lo < 1.0 < hi), round(res.phi, 1)
    (True, 0.5)
    """
    alpha = check_alpha(alpha)
    s = premium_input(premium_bp, "premium_bp", dropna)
    y, x, idx = _pairs(s)
    need(len(y), MIN_AR1_OBS, "premium_bp", _MODEL, s.index)
    masks = {"all": np.ones(len(y), dtype=bool), **_period_masks(s.index, periods)}
    n_lags = hac_maxlags(len(y)) if maxlags is None else int(maxlags)
    params: dict[str, float] = {}
    bse: dict[str, float] = {}
    rows = []
    for name, m in masks.items():
        n = int(m.sum())
        where = f"period {name!r} of premium_bp" if name != "all" else "premium_bp"
        rng_idx = idx[m]
        need(n, MIN_AR1_OBS, where, _MODEL, rng_idx)
        lags = min(n_lags, hac_maxlags(n)) if maxlags is None else n_lags
        X = sm.add_constant(x[m], has_constant="add")
        if np.ptp(x[m]) == 0.0:
            raise converge_error(
                _MODEL, rng_idx, f"the premium is constant ({show(x[m][0])} bp); nothing to fit"
            )
        res = sm.OLS(y[m], X).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
        c, phi = (float(v) for v in res.params)
        se_c, se_phi = (float(v) for v in res.bse)
        if not (np.isfinite(phi) and np.isfinite(se_phi)):
            raise converge_error(_MODEL, rng_idx, f"OLS gave phi={show(phi)}")
        if phi >= 1.0:
            raise converge_error(
                _MODEL + (f", period {name!r}" if name != "all" else ""),
                rng_idx,
                f"phi = {phi:.4f} >= 1: the premium does not mean-revert, so it has no "
                "finite half-life; fit a shorter or calmer period",
            )
        hl, lo, hi = half_life(phi, se_phi, alpha)
        resid_sd = float(np.sqrt(res.scale))
        kappa = -math.log(abs(phi)) if phi != 0 else math.inf
        params[f"const[{name}]"], params[f"phi[{name}]"] = c, phi
        bse[f"const[{name}]"], bse[f"phi[{name}]"] = se_c, se_phi
        rows.append(
            {
                "period": name,
                "nobs": n,
                "start": rng_idx[0],
                "end": rng_idx[-1],
                "phi": phi,
                "phi_se": se_phi,
                "half_life_days": hl,
                "half_life_lower_days": lo,
                "half_life_upper_days": hi,
                "kappa_per_day": kappa,
                "mean_bp": c / (1.0 - phi),
                "sigma_bp": resid_sd,
            }
        )
    table = pd.DataFrame(rows).set_index("period")
    return PersistenceResults(
        pd.Series(params),
        pd.Series(bse),
        len(y),
        idx[0],
        idx[-1],
        table,
        alpha,
        n_lags,
        model_name=_MODEL,
    )


__all__ = ["MIN_AR1_OBS", "PersistenceResults", "fit_ar1", "half_life", "hac_maxlags"]
_ = data_range
