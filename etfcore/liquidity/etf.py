"""The ETF liquidity model: quoted spread, volume, volatility and square-root impact by regime."""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_keywords
from .._results import format_frame, frame_copy, make_summary
from .._validation import positive, show
from ..errors import InputError
from ..state import check_regime, check_trade_side
from ._common import bounded, bp_value, like

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

_ETF_PARAMETER_NOTES: dict[str, tuple[str, str]] = {
    "quoted_spread_bp_normal": ("bp of price", "SPIB quoted spread, normal times (SSGA)"),
    "quoted_spread_bp_stress": ("bp of price", "SPIB quoted spread, 24 Feb-24 Mar 2020 (SSGA)"),
    "adv_usd_normal": ("USD/day", "VCIT dollar volume 2019 (Yahoo, shared/data/real)"),
    "adv_usd_stress": ("USD/day", "VCIT dollar volume 24 Feb-24 Mar 2020"),
    "daily_volatility_bp_normal": ("bp of price/day", "VCIT daily return s.d. 2019"),
    "daily_volatility_bp_stress": ("bp of price/day", "VCIT daily return s.d. 24 Feb-24 Mar 2020"),
    "impact_coefficient_normal": ("-", "square-root law k, as for bonds"),
    "impact_coefficient_stress": ("-", "square-root law k, as for bonds"),
    "name": ("", "label"),
}

#: Range rule of each number of :class:`EtfLiquidityModel`, (value, name) -> float.
_ETF_PARAMETER_RULES: dict[str, Any] = {
    "quoted_spread_bp_normal": functools.partial(bp_value, upper=2000.0),
    "quoted_spread_bp_stress": functools.partial(bp_value, upper=2000.0),
    "adv_usd_normal": positive,
    "adv_usd_stress": positive,
    "daily_volatility_bp_normal": functools.partial(bp_value, upper=5000.0),
    "daily_volatility_bp_stress": functools.partial(bp_value, upper=5000.0),
    "impact_coefficient_normal": functools.partial(
        bounded, lower=0.0, upper=100.0, lower_open=True
    ),
    "impact_coefficient_stress": functools.partial(
        bounded, lower=0.0, upper=100.0, lower_open=True
    ),
}


def _notional(notional_usd: Any) -> np.ndarray:
    """USD of ETF shares traded, as an array: finite and >= 0 everywhere."""
    values = notional_usd.to_numpy() if isinstance(notional_usd, pd.Series) else notional_usd
    try:
        q = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"notional_usd: {show(notional_usd)} is not a number") from None
    bad = ~np.isfinite(q) | (q < 0)
    if bad.any():
        shown = ", ".join(show(v) for v in q.reshape(-1)[bad.reshape(-1)][:10])
        raise InputError(
            f"notional_usd: must be finite and >= 0 (USD of ETF shares traded); got {shown}"
        )
    return q


@dataclass(frozen=True)
class EtfLiquidityModel:
    r"""Quoted spread, volume, volatility and square-root impact of one ETF, by regime.

    Parameters
    ----------
    quoted_spread_bp_normal, quoted_spread_bp_stress : float
        Full quoted bid-ask, bp of price, in [0.05, 2000]: 2.8 and 8.8 (SPIB, SSGA;
        normal times and 24 Feb - 24 Mar 2020). A value below 0.05 bp is taken for a
        decimal and rejected.
    adv_usd_normal, adv_usd_stress : float
        Average daily dollar volume, > 0: $170mm and $546mm (VCIT, an intermediate IG
        ETF like SPIB: 2019 and 24 Feb - 24 Mar 2020; ETF volume roughly tripled in the
        stress).
    daily_volatility_bp_normal, daily_volatility_bp_stress : float
        Daily price volatility, bp, in [0.05, 5000]: 22.5 and 202 (VCIT, same windows;
        the stress figure includes the ETF's swings against NAV, which a hedger bears).
    impact_coefficient_normal, impact_coefficient_stress : float
        ``k`` of the square-root law, in (0, 100]: the bond model's 0.3 in both regimes.
    name : str
        A label.

    Raises
    ------
    InputError
        For a number outside its range (naming the parameter and the value).

    Notes
    -----
    A one-way trade of notional :math:`Q` costs half the quoted spread plus the
    square-root impact :math:`k\,\sigma\sqrt{Q / V}`, positive for buys and sells.
    The VCIT numbers are computed from
    ``shared/data/real/etf_ohlcv_2016-04_2021-04_unadjusted_close/VCIT.csv`` (close x
    volume; standard deviation of daily log returns of the adjusted close). SSGA's
    SPIB figures: the ETF quoted 2.8 bp against 14.6 bp for its basket in normal
    times and 8.8 bp against 68.5 bp from 24 Feb to 24 Mar 2020, so the ETF was the
    cheaper way to trade the basket in both. Past the arbitrage band APs create or
    redeem, which caps the cost of a very large ETF trade; that cap belongs to the
    primary-market layer, not to this model.

    The model is the :class:`etfcore.state.EtfLiquidityLike` that market states hold
    (``bid_ask_bp(regime)``, ``half_spread_bp(regime)``, ``daily_volume_usd(regime)``,
    ``impact_bp(notional_usd, regime)``).

    Examples
    --------
    >>> etf = EtfLiquidityModel()
    >>> etf.half_spread_bp("stress")
    4.4
    >>> round(etf.cost_bp(50e6, "normal", "sell"), 2)
    5.06
    >>> EtfLiquidityModel(quoted_spread_bp_normal=0.00028)
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: EtfLiquidityModel.quoted_spread_bp_normal: 0.00028 bp looks like ...
    """

    quoted_spread_bp_normal: float = 2.8
    quoted_spread_bp_stress: float = 8.8
    adv_usd_normal: float = 170e6
    adv_usd_stress: float = 546e6
    daily_volatility_bp_normal: float = 22.5
    daily_volatility_bp_stress: float = 202.0
    impact_coefficient_normal: float = 0.3
    impact_coefficient_stress: float = 0.3
    name: str = "intermediate IG corporate ETF (SPIB/VCIT-like)"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise InputError(f"EtfLiquidityModel.name: expected a str, got {show(self.name)}")
        for f in fields(self):
            if f.name != "name":
                rule = _ETF_PARAMETER_RULES[f.name]
                value = rule(getattr(self, f.name), f"EtfLiquidityModel.{f.name}")
                object.__setattr__(self, f.name, value)

    # ------------------------------------------------------------------ display
    def to_frame(self) -> pd.DataFrame:
        """Every parameter with its value, unit and source (one row per number).

        Returns
        -------
        pandas.DataFrame
            A new frame indexed by ``parameter``, columns ``value``, ``unit``, ``source``.

        Notes
        -----
        Units are those of the names: ``_bp`` basis points of price, ``_usd`` dollars
        a day; ``k`` has none.

        Examples
        --------
        >>> EtfLiquidityModel().to_frame().loc["quoted_spread_bp_stress", "value"]
        8.8
        """
        rows = [
            (f.name, getattr(self, f.name), *_ETF_PARAMETER_NOTES[f.name]) for f in fields(self)
        ]
        table = pd.DataFrame(rows, columns=["parameter", "value", "unit", "source"])
        return frame_copy(table.set_index("parameter"))

    def summary(self) -> Any:
        """The model at a glance: spread, volume, volatility and trade costs by regime.

        Returns
        -------
        statsmodels.iolib.summary2.Summary
            Prints as text, renders as HTML in Jupyter: one column per regime, rows
            formatted by their unit (bp with 2 decimals, USD in whole dollars).

        Notes
        -----
        ``cost_10mm_bp`` and ``cost_100mm_bp`` are the one-way costs (half-spread +
        square-root impact) of trading $10mm and $100mm of the ETF's shares.

        Examples
        --------
        >>> text = str(EtfLiquidityModel().summary())
        >>> [line.split()[1:] for line in text.splitlines() if line.startswith("quoted_spread")]
        [['2.80', '8.80']]
        """
        table = pd.DataFrame(
            {
                regime: {
                    "quoted_spread_bp": self.bid_ask_bp(regime),
                    "daily_volume_usd": self.daily_volume_usd(regime),
                    "daily_volatility_bp": self.daily_volatility_bp(regime),
                    "impact_coefficient": self._k(regime),
                    "cost_10mm_bp": self.cost_bp(1e7, regime),
                    "cost_100mm_bp": self.cost_bp(1e8, regime),
                }
                for regime in ("normal", "stress")
            }
        )
        by_row = format_frame(table.T).T  # each row formatted by the unit in its name
        return make_summary(
            f"EtfLiquidityModel: {self.name}",
            [by_row],
            [
                "Costs are one-way, bp of price against mid: half the quoted spread + "
                "k x daily volatility x sqrt(notional / daily volume).",
                "Defaults: SPIB quoted spread 2.8 / 8.8 bp (SSGA, normal / 24 Feb-24 Mar "
                "2020); VCIT volume and volatility over the same windows.",
            ],
        )

    # ------------------------------------------------------------------ costs
    def _pick(self, regime: Any, method: str, normal: float, stress: float) -> float:
        return stress if check_regime(regime, f"EtfLiquidityModel.{method}") == "stress" else normal

    def _k(self, regime: str) -> float:
        return (
            self.impact_coefficient_stress if regime == "stress" else self.impact_coefficient_normal
        )

    def bid_ask_bp(self, regime: str = "normal") -> float:
        """Full quoted bid-ask spread of the ETF, bp of price.

        Parameters
        ----------
        regime : {"normal", "stress"}
            The market regime.

        Returns
        -------
        float
            ``quoted_spread_bp_normal`` or ``quoted_spread_bp_stress``.

        Raises
        ------
        InputError
            For an unknown regime.

        Notes
        -----
        Ask minus bid over mid, as SSGA quotes SPIB's (2.8 bp normal, 8.8 bp stress).

        Examples
        --------
        >>> EtfLiquidityModel().bid_ask_bp("stress")
        8.8
        """
        return self._pick(
            regime, "bid_ask_bp", self.quoted_spread_bp_normal, self.quoted_spread_bp_stress
        )

    def half_spread_bp(self, regime: str = "normal") -> float:
        """Half the quoted spread, bp of price (a small one-way trade's cost against mid).

        Parameters
        ----------
        regime : {"normal", "stress"}
            The market regime.

        Returns
        -------
        float
            ``bid_ask_bp(regime) / 2``.

        Notes
        -----
        The ETF's bid and ask are ``mid x (1 -/+ half_spread_bp / 1e4)``.

        Examples
        --------
        >>> EtfLiquidityModel().half_spread_bp()
        1.4
        """
        return self.bid_ask_bp(regime) / 2.0

    def daily_volume_usd(self, regime: str = "normal") -> float:
        """Average daily dollar volume of the ETF's shares.

        Parameters
        ----------
        regime : {"normal", "stress"}
            The market regime.

        Returns
        -------
        float
            ``adv_usd_normal`` or ``adv_usd_stress``.

        Notes
        -----
        The ``V`` of the square-root impact ``k sigma sqrt(Q / V)``.

        Examples
        --------
        >>> f"{EtfLiquidityModel().daily_volume_usd('stress'):,.0f}"
        '546,000,000'
        """
        return self._pick(regime, "daily_volume_usd", self.adv_usd_normal, self.adv_usd_stress)

    def daily_volatility_bp(self, regime: str = "normal") -> float:
        """Daily price volatility of the ETF, bp of price.

        Parameters
        ----------
        regime : {"normal", "stress"}
            The market regime.

        Returns
        -------
        float
            ``daily_volatility_bp_normal`` or ``daily_volatility_bp_stress``.

        Notes
        -----
        The ``sigma`` of the square-root impact ``k sigma sqrt(Q / V)``.

        Examples
        --------
        >>> EtfLiquidityModel().daily_volatility_bp("normal")
        22.5
        """
        return self._pick(
            regime,
            "daily_volatility_bp",
            self.daily_volatility_bp_normal,
            self.daily_volatility_bp_stress,
        )

    def impact_bp(self, notional_usd: float | ArrayLike | pd.Series, regime: str = "normal") -> Any:
        r"""Square-root market impact of trading ``notional_usd`` of the ETF's shares, bp.

        Parameters
        ----------
        notional_usd : float, array-like or pandas.Series
            USD traded, finite and >= 0: a number (float out), an array (array out)
            or a Series (Series out, same index).
        regime : {"normal", "stress"}
            The market regime.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Impact in bp of price, shaped as ``notional_usd``.

        Raises
        ------
        InputError
            For an unknown regime, or a negative, NaN or non-numeric notional.

        Notes
        -----
        :math:`k\,\sigma\sqrt{Q/V}` with the regime's ``k``, daily volatility
        :math:`\sigma` and daily volume :math:`V`.

        Examples
        --------
        >>> etf = EtfLiquidityModel()
        >>> round(etf.impact_bp(170e6), 2)  # one day's volume: k x sigma
        6.75
        """
        regime = check_regime(regime, "EtfLiquidityModel.impact_bp")
        q = _notional(notional_usd)
        out = (
            self._k(regime)
            * self.daily_volatility_bp(regime)
            * np.sqrt(q / self.daily_volume_usd(regime))
        )
        return like(np.asarray(out, dtype=float), notional_usd, name="impact_bp")

    @renamed_keywords(side="trade_side")
    def cost_bp(
        self,
        notional_usd: float | ArrayLike | pd.Series,
        regime: str = "normal",
        trade_side: str = "buy",
    ) -> Any:
        r"""One-way cost against mid of trading ``notional_usd`` of the ETF, bp of price.

        Parameters
        ----------
        notional_usd : float, array-like or pandas.Series
            USD traded, as in :meth:`impact_bp`.
        regime : {"normal", "stress"}
            The market regime.
        trade_side : {"buy", "sell"}
            Checked; the cost is the same positive number for both. (Formerly
            ``side=``, still accepted with a deprecation warning.)

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Shaped as ``notional_usd``.

        Raises
        ------
        InputError
            For an unknown regime or trade side, or a negative or NaN notional.

        Notes
        -----
        Half the quoted spread + :math:`k\sigma\sqrt{Q/V}`. A buyer pays
        ``mid x (1 + cost_bp / 1e4)``, a seller receives ``mid x (1 - cost_bp / 1e4)``.

        Examples
        --------
        >>> EtfLiquidityModel().cost_bp(0.0, "stress", trade_side="sell")
        4.4
        """
        check_trade_side(trade_side, "EtfLiquidityModel.cost_bp")
        regime = check_regime(regime, "EtfLiquidityModel.cost_bp")
        impact = np.asarray(self.impact_bp(_notional(notional_usd), regime))
        return like(self.half_spread_bp(regime) + impact, notional_usd, name="cost_bp")

    @renamed_keywords(side="trade_side")
    def cost_usd(
        self,
        notional_usd: float | ArrayLike | pd.Series,
        regime: str = "normal",
        trade_side: str = "buy",
    ) -> Any:
        """One-way cost in USD of trading ``notional_usd`` of the ETF.

        Parameters and errors as :meth:`cost_bp`.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Shaped as ``notional_usd``.

        Notes
        -----
        ``cost_bp x notional_usd / 1e4``.

        Examples
        --------
        >>> f"{EtfLiquidityModel().cost_usd(50e6, 'normal'):,.0f}"
        '25,304'
        """
        q = _notional(notional_usd)
        cost = np.asarray(self.cost_bp(q, regime, trade_side)) * q / 1e4
        return like(cost, notional_usd, name="cost_usd")


#: The ETF model with SPIB's quoted spreads (2.8 / 8.8 bp) and VCIT's volume and volatility.
DEFAULT_ETF_MODEL = EtfLiquidityModel()

__all__ = ["DEFAULT_ETF_MODEL", "EtfLiquidityModel"]
