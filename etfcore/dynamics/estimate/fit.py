"""``fit_premium``: the whole estimation suite on one fund's price, NAV and shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..._results import frame_copy, make_summary
from ..._validation import show
from ...errors import InputError
from ._base import check_alpha, data_range
from ._series import _price_frame, align
from .cointegration import MIN_VECM_OBS, VECMResults, _fit_vecm_frame
from .flows import FlowResults, _fit_flows_frame
from .persistence import PersistenceResults, fit_ar1
from .staleness import StalenessResults, _fit_staleness_frame
from .threshold import BandTARResults, fit_band_tar


@dataclass(frozen=True, repr=False, eq=False)
class PremiumFit:
    """Every estimate of a fund's premium dynamics, and the headline numbers.

    Components: :attr:`persistence` (:class:`PersistenceResults`), :attr:`band`
    (:class:`BandTARResults`), :attr:`vecm` (:class:`VECMResults`), :attr:`staleness`
    (:class:`StalenessResults`), :attr:`band_fair_value` (the band TAR of the premium
    to the fair-value NAV, i.e. after the stale-NAV control) and :attr:`flows`
    (:class:`FlowResults`, ``None`` without shares outstanding).

    Notes
    -----
    The headline numbers are the components' (see :func:`fit_premium`).

    Examples
    --------
    >>> from etfcore.dynamics.estimate import fit_premium
    >>> from etfcore.dynamics.estimate._examples import example_fund
    >>> price, nav, shares = example_fund()
    >>> fit = fit_premium(price, nav, shares)
    >>> isinstance(fit.half_life_days, float), fit.flows is not None
    (True, True)
    """

    _premium: pd.Series
    persistence: PersistenceResults
    band: BandTARResults
    vecm: VECMResults
    staleness: StalenessResults
    band_fair_value: BandTARResults
    flows: FlowResults | None
    price_kind: str
    n_dropped: int

    @property
    def premium_bp(self) -> pd.Series:
        """The premium in bp by date (a copy)."""
        return frame_copy(self._premium)

    @property
    def half_life_days(self) -> float:
        """Whole-sample AR(1) half-life of the premium in days."""
        return self.persistence.half_life_days

    @property
    def half_life_conf_int(self) -> tuple[float, float]:
        """Its delta-method interval ``(lower, upper)`` in days."""
        return self.persistence.half_life_conf_int

    @property
    def band_bp(self) -> tuple[float, float]:
        """The estimated threshold band ``(lower, upper)`` in bp."""
        return self.band.band_bp

    @property
    def band_conf_int(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Hansen (2000) intervals of the two band edges."""
        return self.band.band_conf_int

    @property
    def price_information_share(self) -> float:
        """The ETF price's share of price discovery (midpoint of Hasbrouck's bounds)."""
        return self.vecm.price_information_share

    @property
    def information_share_bounds(self) -> tuple[float, float]:
        """Hasbrouck's ``(lower, upper)`` bounds for the ETF price."""
        return self.vecm.information_share_bounds

    @property
    def params(self) -> pd.Series:
        """All components' parameters, labelled ``component.name``."""
        parts = {
            "persistence": self.persistence.params,
            "band": self.band.params,
            "vecm": self.vecm.params,
            "staleness": self.staleness.params,
        }
        if self.flows is not None:
            parts["flows"] = self.flows.params
        out = [
            pd.Series(p.to_numpy(), index=[f"{c}.{k}" for k in p.index]) for c, p in parts.items()
        ]
        return pd.concat(out)

    def headline(self) -> pd.Series:
        """The headline numbers with their intervals, one row each.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_premium
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> "half-life_days" in fit_premium(price, nav).headline().index
        True
        """
        hl_lo, hl_hi = self.half_life_conf_int
        (l_lo, l_hi), (u_lo, u_hi) = self.band_conf_int
        is_lo, is_hi = self.information_share_bounds
        out: dict[str, Any] = {
            "sample": data_range(self._premium.index),
            "price": self.price_kind,
            "premium median_bp": float(self._premium.median()),
            "premium std_bp": float(self._premium.std()),
            "worst discount_bp": float(self._premium.min()),
            "largest premium_bp": float(self._premium.max()),
            "half-life_days": self.half_life_days,
            "half-life 95% lower_days": hl_lo,
            "half-life 95% upper_days": hl_hi,
            "band lower_bp": self.band_bp[0],
            "band lower 95% CI_bp": f"{l_lo:.2f} to {l_hi:.2f}",
            "band upper_bp": self.band_bp[1],
            "band upper 95% CI_bp": f"{u_lo:.2f} to {u_hi:.2f}",
            "price information share": self.price_information_share,
            "price IS 95% CI (sampling)": "{:.4f} to {:.4f}".format(
                *self.vecm.price_information_share_conf_int(0.05)
            ),
            "Hasbrouck bounds": f"{is_lo:.4f} to {is_hi:.4f}",
            "Gonzalo-Granger share": self.vecm.component_share,
            "band after stale-NAV control_bp": "{:.2f} to {:.2f}".format(
                *self.band_fair_value.band_bp
            ),
            "NAV same-day adjustment": self.staleness.adjustment_speed,
            "NAV lagged response": self.staleness.lagged_response,
        }
        if self.flows is not None:
            out["flow slope (bp shares / bp premium)"] = self.flows.slope
        return pd.Series(out, dtype=object)

    def to_frame(self) -> pd.DataFrame:
        """By date: the premium, its split into staleness and the rest, the TAR regime.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_premium
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> fit_premium(price, nav).to_frame().columns[-1]
        'band_regime'
        """
        d = self.staleness.decompose()
        lo, hi = self.band_bp
        lagged = self._premium.shift(1)
        regime = np.where(lagged < lo, "below", np.where(lagged > hi, "above", "inside"))
        d["band_regime"] = np.where(lagged.isna(), "", regime)
        return d

    def summary(self) -> Any:
        """Headline numbers, then the half-life by period; components have their own.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_premium
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> "price information share" in str(fit_premium(price, nav).summary())
        True
        """
        t = self.persistence.to_frame()[
            ["nobs", "half_life_days", "half_life_lower_days", "half_life_upper_days"]
        ]
        return make_summary(
            "Premium/discount dynamics",
            [self.headline(), t, self.band.to_frame()],
            [
                f"premium_bp = 10,000 (price / NAV - 1), price = {self.price_kind}"
                + (f"; {self.n_dropped} dates dropped (dropna)" if self.n_dropped else "")
                + ".",
                "Half-life: AR(1), delta-method interval. Band: three-regime threshold AR, "
                "grid search, Hansen (2000) intervals. Information shares: VECM of log "
                "price and log NAV, Hasbrouck bounds (midpoint shown). Each component "
                "(.persistence, .band, .vecm, .staleness, .band_fair_value, .flows) has its own "
                "summary(); .band_fair_value is the band of the premium to the fair-value NAV "
                "(after the stale-NAV control).",
            ],
        )

    def __repr__(self) -> str:
        return (
            f"<PremiumFit: {data_range(self._premium.index)}, half-life "
            f"{self.half_life_days:.2f} d, band {self.band_bp[0]:.1f} to "
            f"{self.band_bp[1]:.1f} bp, price IS {self.price_information_share:.2f}>"
        )


def fit_premium(
    price: Any,
    nav: Any,
    shares_outstanding: Any = None,
    *,
    bid: Any = None,
    ask: Any = None,
    periods: Any = None,
    alpha: float = 0.05,
    k_ar_diff: int = 1,
    staleness_lags: int = 2,
    flow_lags: int = 1,
    dropna: bool = False,
) -> PremiumFit:
    r"""Estimate a fund's premium dynamics: persistence, band, who leads, staleness, flows.

    Parameters
    ----------
    price : pandas.Series or None
        ETF close by date (``None`` with ``bid`` and ``ask``).
    nav : pandas.Series
        Official NAV per share by date.
    shares_outstanding : pandas.Series, optional
        Shares outstanding by date; adds the flow regression.
    bid, ask : pandas.Series, optional
        Closing quotes; their midpoint is the price.
    periods : mapping or pandas.Series, optional
        Periods or regimes for the half-life (see :func:`fit_ar1`).
    alpha : float
        Intervals are ``1 - alpha``.
    k_ar_diff, staleness_lags, flow_lags : int
        Lags of the VECM, the staleness regression and the flow regression.
    dropna : bool
        Drop dates with a gap (with a :class:`~etfcore.DataWarning`) instead of raising.

    Returns
    -------
    PremiumFit

    Raises
    ------
    InputError
        Bad series (see :func:`premium_discount`), or too few dates: the AR(1) needs
        20 pairs (per period), the band TAR 60, the VECM 50, the staleness regression
        30 + lags, the flow regression 20 + lags.
    ConvergenceError
        An estimator failed (e.g. no mean reversion), naming the model and the dates.

    Notes
    -----
    One alignment for all: dates every series covers, gaps an error unless ``dropna``.
    The components are :func:`fit_ar1`, :func:`fit_band_tar`, :func:`fit_vecm`,
    :func:`fit_nav_staleness` and :func:`fit_flows` with their defaults.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(5)
    >>> n = 400
    >>> v = 4.6 + np.cumsum(rng.normal(0, 0.003, n))
    >>> m = np.empty(n); m[0] = v[0]
    >>> for t in range(1, n):
    ...     m[t] = m[t - 1] + 0.7 * (v[t] - m[t - 1]) + rng.normal(0, 0.0005)
    >>> days = pd.bdate_range("2019-01-01", periods=n)
    >>> fit = fit_premium(pd.Series(np.exp(v), days), pd.Series(np.exp(m), days))
    >>> lo, hi = fit.half_life_conf_int
    >>> bool(0 < lo <= fit.half_life_days <= hi), bool(0 <= fit.price_information_share <= 1)
    (True, True)
    """
    alpha = check_alpha(alpha)
    for name, v in (
        ("k_ar_diff", k_ar_diff),
        ("staleness_lags", staleness_lags),
        ("flow_lags", flow_lags),
    ):
        if (
            not isinstance(v, (int, np.integer))
            or isinstance(v, bool)
            or v < (0 if name == "k_ar_diff" else 1)
        ):
            raise InputError(
                f"{name}: {show(v)} must be a whole number >= {0 if name == 'k_ar_diff' else 1}"
            )
    frame = _price_frame(price, nav, bid, ask, dropna)
    kind = str(frame.attrs["price"])
    n_dropped = int(frame.attrs["n_dropped"])
    premium = (1e4 * (frame["price"] / frame["nav"] - 1.0)).rename("premium_bp")
    flows = None
    if shares_outstanding is not None:
        both = align(
            {"shares_outstanding": shares_outstanding, "premium_bp": premium},
            dropna=dropna,
            positive=("shares_outstanding",),
        )
        n_dropped += int(both.attrs["n_dropped"])
        flows = _fit_flows_frame(both, int(flow_lags), None)
    persistence = fit_ar1(premium, periods=periods, alpha=alpha)
    band = fit_band_tar(premium, alpha=alpha)
    from ._base import need

    need(len(frame), MIN_VECM_OBS, "price, nav", "VECM of log ETF price and log NAV", frame.index)
    vecm = _fit_vecm_frame(frame, int(k_ar_diff))
    staleness = _fit_staleness_frame(frame, int(staleness_lags))
    fair = staleness.decompose()["premium_to_fair_value_bp"].rename("premium_to_fair_value_bp")
    band_fair = fit_band_tar(fair, alpha=alpha)
    premium.attrs = {}
    return PremiumFit(
        premium, persistence, band, vecm, staleness, band_fair, flows, kind, n_dropped
    )


__all__ = ["PremiumFit", "fit_premium"]
