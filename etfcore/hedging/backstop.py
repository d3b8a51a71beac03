"""LiquidityBackstop: how much creation and redemption can absorb, at what cost, how fast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import show
from ..errors import InputError
from ..fund.etf import ETF
from ..state import REGIMES, MarketState, check_regime
from .cost import check_notionals, default_ap_panel

#: Band components a dealer who already holds the bonds does not pay when it exits
#: them through a creation basket (it need not buy them: the AP-inventory case).
BOND_PURCHASE_COMPONENTS = ("basket_half_spread", "nav_bid_side", "basket_impact", "basket_vs_nav")
#: Columns of :meth:`LiquidityBackstop.basket_table`.
BASKET_COLUMNS = ("par_usd", "market_value_usd", "in_holdings", "eligible", "creation_usd")


def _positions(positions: Any) -> pd.DataFrame:
    if not isinstance(positions, pd.DataFrame):
        raise InputError(
            "positions: expected a DataFrame with columns id and par, got "
            f"{type(positions).__name__}"
        )
    missing = [c for c in ("id", "par") if c not in positions.columns]
    if missing:
        raise InputError(f"positions: missing column(s) {missing}; give id and par (USD)")
    par = pd.to_numeric(positions["par"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(par)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"positions: row {i} (id {positions['id'].iloc[i]}): par "
            f"{show(positions['par'].iloc[i])} must be a finite number of USD"
        )
    out = pd.DataFrame({"id": positions["id"].astype(str).to_numpy(), "par_usd": par})
    return out.groupby("id", sort=False)["par_usd"].sum().to_frame()


@dataclass(frozen=True, repr=False)
class LiquidityBackstop:
    """The primary market behind one ETF: band, AP capacity, days to absorb a flow.

    Built by :func:`liquidity_backstop`.

    Attributes
    ----------
    etf_name, regime : str
        ``regime`` is the one :attr:`capacity_usd_per_day` and :meth:`days_to_absorb`
        use by default; the table has both.
    capacity_by_regime : pandas.Series
        AP capacity, USD a day, by regime (the sum over the APs).
    bands : dict
        ``{regime: ArbitrageBand}`` for one creation unit, normal and stress.
    ap_names : tuple of str
    basket : pandas.DataFrame or None
        Per bond of the given positions (:data:`BASKET_COLUMNS`), when given.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging.backstop import liquidity_backstop
    >>> m = synthetic_market(0)
    >>> b = liquidity_backstop(m.etfs["IG_BROAD"], m)
    >>> b.capacity_usd_per_day > 0, b.days_to_absorb(2 * b.capacity_usd_per_day)
    (True, 2.0)
    """

    etf_name: str
    regime: str
    capacity_by_regime: pd.Series
    bands: dict
    ap_names: tuple
    unit_value_usd: float
    basket: pd.DataFrame | None = None

    def __repr__(self) -> str:
        b = self.bands[self.regime]
        return (
            f"LiquidityBackstop({self.etf_name}, {self.regime}: band {b.redeem_bp:+.1f} / "
            f"{b.create_bp:+.1f} bp, APs ${self.capacity_usd_per_day / 1e6:,.0f} mm/day)"
        )

    @property
    def capacity_usd_per_day(self) -> float:
        """AP capacity in :attr:`regime`, USD a day (sum over the APs).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.backstop import liquidity_backstop
        >>> m = synthetic_market(0)
        >>> b = liquidity_backstop(m.etfs["HY"], m, regime="stress")
        >>> bool(b.capacity_usd_per_day == b.capacity_by_regime["stress"])
        True
        """
        return float(self.capacity_by_regime[self.regime])

    def days_to_absorb(self, notional_usd: Any, regime: str | None = None) -> Any:
        """Days of AP capacity a notional takes: ``notional / capacity``.

        Parameters
        ----------
        notional_usd : float or array-like
            USD, finite and >= 0.
        regime : {"normal", "stress"}, optional
            Default :attr:`regime`.

        Returns
        -------
        float or numpy.ndarray
            Fractional days (0 with unlimited capacity; inf with none).

        Raises
        ------
        InputError
            For a negative or NaN notional or an unknown regime.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.backstop import liquidity_backstop
        >>> m = synthetic_market(0)
        >>> b = liquidity_backstop(m.etfs["HY"], m)
        >>> d = b.days_to_absorb([1e8, 2e8])
        >>> round(float(d[1] / d[0]), 12)
        2.0
        """
        r = self.regime if regime is None else check_regime(regime)
        q = check_notionals(notional_usd)
        cap = float(self.capacity_by_regime[r])
        if np.isinf(cap):
            out = np.zeros_like(q)
        elif cap <= 0:
            out = np.where(q > 0, np.inf, 0.0)
        else:
            out = q / cap
        return float(out) if out.ndim == 0 else out

    def to_frame(self) -> pd.DataFrame:
        """One row per regime: band (bp of official NAV), width, AP capacity, unit value.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.backstop import liquidity_backstop
        >>> m = synthetic_market(0)
        >>> t = liquidity_backstop(m.etfs["IG_BROAD"], m).to_frame()
        >>> list(t.index), bool(t.loc["stress", "width_bp"] > t.loc["normal", "width_bp"])
        (['normal', 'stress'], True)
        """
        rows = {}
        for r in REGIMES:
            b = self.bands[r]
            rows[r] = {
                "create_bp": b.create_bp,
                "redeem_bp": b.redeem_bp,
                "width_bp": b.width_bp,
                "capacity_usd_per_day": float(self.capacity_by_regime[r]),
                "unit_value_usd": float(b.value_usd),
            }
        out = pd.DataFrame(rows).T
        out.index.name = "regime"
        return out

    def band_components(self) -> pd.DataFrame:
        """The bands' components (``ArbitrageBand.cost_table``), by regime and component.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.backstop import liquidity_backstop
        >>> m = synthetic_market(0)
        >>> t = liquidity_backstop(m.etfs["IG_BROAD"], m).band_components()
        >>> t.index.names
        FrozenList(['regime', 'component'])
        """
        return pd.concat({r: self.bands[r].cost_table() for r in REGIMES}, names=["regime"])

    def creation_cost_bp(self, notional_usd: float, regime: str | None = None) -> float:
        """Cost of exiting ``notional_usd`` of bonds already held through creation, bp.

        Notes
        -----
        The creation side of the band without the bond-purchase components
        (:data:`BOND_PURCHASE_COMPONENTS`: the dealer holds the bonds): fees, carry,
        balance sheet, AP cost and the ETF's half-spread, measured against the
        bonds' mid value, with the fixed fee spread over the order's ``r = notional /
        unit value`` units and the ETF impact scaled by ``sqrt(r)`` (orders below a
        unit cost one unit's bp).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.backstop import liquidity_backstop
        >>> m = synthetic_market(0)
        >>> b = liquidity_backstop(m.etfs["IG_BROAD"], m)
        >>> 0 < b.creation_cost_bp(1e8) < b.bands["normal"].create_bp
        True
        """
        r = self.regime if regime is None else check_regime(regime)
        q = float(check_notionals(notional_usd))
        c = self.bands[r].components["create"]
        n = max(q / self.unit_value_usd, 1.0)
        keep = c.drop(list(BOND_PURCHASE_COMPONENTS) + ["fixed_fee", "etf_impact"])
        return float(keep.sum() + c["fixed_fee"] / n + c["etf_impact"] * np.sqrt(n))

    def basket_table(self) -> pd.DataFrame:
        """Per bond of the positions: par, value, whether it can go into a creation basket.

        Raises
        ------
        InputError
            When the backstop was built without positions.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.backstop import liquidity_backstop
        >>> m = synthetic_market(0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> pos = {"id": list(etf.holdings.index[:2]), "par": [1e6, 2e6]}
        >>> import pandas as pd
        >>> b = liquidity_backstop(etf, m, positions=pd.DataFrame(pos))
        >>> bool(b.basket_table()["in_holdings"].all())
        True
        """
        if self.basket is None:
            raise InputError("basket_table: build the backstop with positions=")
        return frame_copy(self.basket)

    def basket_summary(self) -> pd.Series:
        """The basket's value, the part that could leave through creation, its cost and days.

        Returns
        -------
        pandas.Series
            ``market_value_usd`` (gross: longs plus the absolute value of shorts),
            ``overlap_usd`` (long bonds in the fund's holdings
            or eligible universe), ``overlap_share``, ``creation_cost_bp``,
            ``creation_cost_usd`` and ``days`` (of AP capacity in :attr:`regime`).

        Notes
        -----
        The overlap is an upper bound: a creation basket is delivered in the fund's
        proportions, so bonds of the overlap that the basket would hold in a different
        mix need other bonds bought alongside.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.backstop import liquidity_backstop
        >>> m = synthetic_market(0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> pos = pd.DataFrame({"id": list(etf.holdings.index[:2]), "par": [1e6, -2e6]})
        >>> s = liquidity_backstop(etf, m, positions=pos).basket_summary()
        >>> 0 < float(s["overlap_share"]) < 1
        True
        """
        t = self.basket_table()
        mv = float(t["market_value_usd"].abs().sum())
        overlap = float(t["creation_usd"].sum())
        cost = self.creation_cost_bp(overlap) if overlap > 0 else 0.0
        return pd.Series(
            {
                "market_value_usd": mv,
                "overlap_usd": overlap,
                "overlap_share": overlap / mv,
                "creation_cost_bp": cost,
                "creation_cost_usd": cost * 1e-4 * overlap,
                "days": self.days_to_absorb(overlap),
            },
            name=self.etf_name,
        )

    def summary(self) -> Any:
        """Band and capacity by regime, the band components, and the basket if given.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.backstop import liquidity_backstop
        >>> m = synthetic_market(0)
        >>> "LiquidityBackstop" in str(liquidity_backstop(m.etfs["HY"], m).summary())
        True
        """
        tables: list[Any] = [self.to_frame().reset_index()]
        bc = self.band_components()
        comp = pd.DataFrame(
            {
                f"{r}_{c}": bc.xs(r, level="regime")[c].to_numpy(dtype=float)
                for r in REGIMES
                for c in ("create_bp", "redeem_bp")
            },
            index=bc.xs(REGIMES[0], level="regime").index,
        )
        tables.append(comp.reset_index())
        if self.basket is not None:
            tables.append(self.basket_summary().to_dict())
        return make_summary(
            f"LiquidityBackstop: {self.etf_name} ({self.regime})",
            tables,
            [
                "Band: premium of the ETF to official NAV beyond which APs create (+) or "
                f"redeem (-), one creation unit, bp. APs: {', '.join(self.ap_names)}.",
            ],
        )


def liquidity_backstop(
    etf: ETF,
    market: MarketState,
    regime: str = "normal",
    positions: pd.DataFrame | None = None,
    aps: Any = None,
    eligible: Any = None,
) -> LiquidityBackstop:
    """The band, AP capacity and creation route of ``etf``, normal and stress.

    Parameters
    ----------
    etf : ETF
    market : MarketState
    regime : {"normal", "stress"}, default "normal"
        The regime of :attr:`LiquidityBackstop.capacity_usd_per_day` and
        :meth:`~LiquidityBackstop.days_to_absorb` (both are reported).
    positions : pandas.DataFrame, optional
        A basket: ``id`` (bonds of ``market.bonds``) and ``par`` (USD, negative for
        short).
    aps : AuthorizedParticipant or list, optional
        Default :func:`etfcore.hedging.cost.default_ap_panel`: three APs, each 0.3% of
        the fund's assets a day, half in stress (the dynamics layer's default panel).
    eligible : list of ids, optional
        The fund's eligible universe for creation baskets (default its holdings).

    Returns
    -------
    LiquidityBackstop

    Raises
    ------
    InputError
        For an unknown regime, a bad ETF or market, bad APs, or positions with
        unknown bonds, missing columns, NaN par or no market value.

    Notes
    -----
    Bands: :func:`etfcore.arbitrage_band` (one unit, the default AP) in
    ``market.with_regime(r)`` for both regimes. Capacity: the sum of the APs'
    ``capacity_usd(r)`` (``capacity_usd_per_day x stress_capacity_fraction`` in
    stress). A basket's long bonds that the fund holds (or may accept) could leave
    through a creation basket; shorts cannot.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> b = liquidity_backstop(m.etfs["IG_BROAD"], m)
    >>> bool(b.capacity_by_regime["stress"] < b.capacity_by_regime["normal"])
    True
    """
    from ..primary.band import arbitrage_band
    from ..primary.baskets import bond_quotes
    from ..primary.participant import check_aps

    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    if not isinstance(market, MarketState):
        raise InputError(f"market: expected a MarketState, got {type(market).__name__}")
    regime = check_regime(regime)
    panel = default_ap_panel(etf, market) if aps is None else check_aps(aps)
    bands = {
        r: arbitrage_band(etf, market if market.regime == r else market.with_regime(r))
        for r in REGIMES
    }
    capacity = pd.Series(
        {r: float(sum(ap.capacity_usd(r) for ap in panel)) for r in REGIMES},
        name="capacity_usd_per_day",
    )
    basket = None
    if positions is not None:
        pos = _positions(positions)
        try:
            quotes = bond_quotes(market, pos.index, regime)
        except InputError as exc:
            raise InputError(f"positions: {exc}") from None
        mv = pos["par_usd"].to_numpy() * quotes["dirty_mid"].to_numpy(dtype=float) / 100.0
        if not np.any(np.abs(mv) > 0):
            raise InputError("positions: the basket has zero market value")
        held = pos.index.isin(etf.holdings.index.astype(str))
        allowed = held if eligible is None else pos.index.isin(pd.Index(eligible).astype(str))
        basket = pd.DataFrame(
            {
                "par_usd": pos["par_usd"].to_numpy(),
                "market_value_usd": mv,
                "in_holdings": held,
                "eligible": allowed,
                "creation_usd": np.where(allowed & (mv > 0), mv, 0.0),
            },
            index=pos.index,
        )
    return LiquidityBackstop(
        etf_name=etf.name,
        regime=regime,
        capacity_by_regime=capacity,
        bands=bands,
        ap_names=tuple(ap.name for ap in panel),
        unit_value_usd=float(bands["normal"].value_usd),
        basket=basket,
    )


__all__ = ["BASKET_COLUMNS", "BOND_PURCHASE_COMPONENTS", "LiquidityBackstop", "liquidity_backstop"]
