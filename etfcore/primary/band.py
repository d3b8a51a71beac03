"""The no-arbitrage band of an ETF, decomposed into what each cost contributes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import non_negative
from ..errors import InputError
from ..fund.etf import ETF
from ..state import MarketState, check_regime
from . import _liquidity as liq
from .agents import AuthorizedParticipant, _check_ap
from .baskets import Basket, bond_quotes, check_basket, check_units, pro_rata_basket
from .fees import order_fee

#: Rows of :attr:`ArbitrageBand.components`, in order, with what each one is.
COMPONENTS: dict[str, str] = {
    "fixed_fee": "fixed fee per order, over the order's value",
    "variable_fee": "in-kind and custom-basket charges on the in-kind part",
    "cash_charge": "cash charge on the cash part (cash in lieu; a whole cash order)",
    "basket_half_spread": "half bid-ask of the bonds the AP buys (create) or sells (redeem)",
    "nav_bid_side": "the fund takes and pays bonds at bid (official NAV), not mid",
    "basket_impact": "square-root impact of the in-kind bonds at the order's size vs ADV",
    "basket_vs_nav": "basket value on the bid side minus NAV x shares (0 for fund baskets)",
    "settlement_carry": "financing the position for the settlement lag at the AP's rate",
    "balance_sheet": "the AP's capital cost of the position over the horizon",
    "ap_cost": "the AP's own extra cost",
    "etf_half_spread": "half the ETF's quoted spread (sell shares / buy shares)",
    "etf_impact": "impact of selling / buying the order's shares on exchange",
}


@dataclass(frozen=True, repr=False)
class ArbitrageBand:
    """Where APs start to create and redeem, in bp of the official NAV, and why.

    Attributes
    ----------
    etf_name, regime : str
    units, shares : int
        Order size the band is for.
    nav_per_share : float
        Official (bid-side) NAV per share in ``regime``.
    nav_mid : float
        Mid NAV per share (for reference).
    create_bp : float
        Premium (ETF bid over official NAV, bp) above which creating pays: > 0.
    redeem_bp : float
        Premium (ETF ask over official NAV, bp) below which redeeming pays: < 0.
    components : pandas.DataFrame
        One row per cost (:data:`COMPONENTS`), columns ``create`` and ``redeem``:
        each cost's **signed contribution** to the threshold, bp of NAV x shares, so
        that ``create_bp = components.create.sum()`` and ``redeem_bp =
        components.redeem.sum()``. Costs push ``create`` up (> 0) and ``redeem`` down
        (< 0); ``nav_bid_side`` is a gain on redemption.
    value_usd : float
        NAV x shares of the order.
    fees_usd : pandas.DataFrame
        The order fee by part (:func:`order_fee`), columns ``create`` and ``redeem``.
    basket_kind : dict
        The kind of basket each side used.
    ap_name : str
    """

    etf_name: str
    regime: str
    units: int
    shares: int
    nav_per_share: float
    nav_mid: float
    create_bp: float
    redeem_bp: float
    components: pd.DataFrame
    value_usd: float
    fees_usd: pd.DataFrame
    basket_kind: dict
    ap_name: str

    def __repr__(self) -> str:
        return (
            f"ArbitrageBand({self.etf_name}, {self.regime}: create above "
            f"{self.create_bp:+.1f} bp, redeem below {self.redeem_bp:+.1f} bp of official "
            f"NAV {self.nav_per_share:.4f}; {self.units} unit(s))"
        )

    @property
    def width_bp(self) -> float:
        """``create_bp - redeem_bp``."""
        return self.create_bp - self.redeem_bp

    @property
    def create_price(self) -> float:
        """ETF bid above which APs create."""
        return self.nav_per_share * (1.0 + self.create_bp * 1e-4)

    @property
    def redeem_price(self) -> float:
        """ETF ask below which APs redeem."""
        return self.nav_per_share * (1.0 + self.redeem_bp * 1e-4)

    def thresholds_vs_mid_bp(self) -> pd.Series:
        """The two thresholds measured against mid NAV instead of official NAV, bp."""
        r = self.nav_per_share / self.nav_mid
        return pd.Series(
            {
                "create": ((1 + self.create_bp * 1e-4) * r - 1) * 1e4,
                "redeem": ((1 + self.redeem_bp * 1e-4) * r - 1) * 1e4,
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """The components (bp of NAV x shares), one row per cost."""
        return self.components

    def summary(self) -> pd.DataFrame:
        """Components with a threshold row, in bp and USD per order."""
        c = self.components
        out = pd.concat(
            [
                c,
                pd.DataFrame(
                    {"create": [self.create_bp], "redeem": [self.redeem_bp]}, index=["threshold"]
                ),
            ]
        )
        out.columns = ["create_bp", "redeem_bp"]
        out["create_usd"] = out["create_bp"] * 1e-4 * self.value_usd
        out["redeem_usd"] = out["redeem_bp"] * 1e-4 * self.value_usd
        out.index.name = (
            f"{self.etf_name} {self.regime}, {self.units} unit(s), NAV {self.nav_per_share:.4f}"
        )
        return out

    def plot(self, ax: Any = None):
        """Waterfall of the components: creation builds up, redemption builds down."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(8, 4.5))[1]
        c = self.components
        names = list(c.index)
        y = np.arange(len(names))
        for col, color, offset in (("create", "#55A868", -0.2), ("redeem", "#C44E52", 0.2)):
            vals = c[col].to_numpy()
            start = np.concatenate([[0.0], np.cumsum(vals)[:-1]])
            ax.barh(y + offset, vals, left=start, height=0.38, color=color, label=col)
        ax.axvline(self.create_bp, color="#55A868", ls="--", lw=1)
        ax.axvline(self.redeem_bp, color="#C44E52", ls="--", lw=1)
        ax.axvline(0.0, color="grey", lw=0.5)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlabel("bp of official NAV (cumulative)")
        ax.set_title(
            f"{self.etf_name} arbitrage band, {self.regime}: "
            f"{self.redeem_bp:+.1f} / {self.create_bp:+.1f} bp"
        )
        ax.legend(loc="lower right", fontsize=8)
        return ax


def _baskets(basket: Any, etf: ETF, market: MarketState, units: int) -> dict[str, Basket]:
    if basket is None:
        return {s: pro_rata_basket(etf, market, units, s) for s in ("create", "redeem")}
    if isinstance(basket, Basket):
        return {s: basket if basket.side == s else basket.as_side(s) for s in ("create", "redeem")}
    if isinstance(basket, Mapping):
        out = {}
        for s in ("create", "redeem"):
            b = basket.get(s)
            if b is None:
                b = pro_rata_basket(etf, market, units, s)
            if not isinstance(b, Basket):
                raise InputError(f"basket[{s!r}]: expected a Basket, got {type(b).__name__}")
            out[s] = b if b.side == s else b.as_side(s)
        return out
    if isinstance(basket, (tuple, list)) and len(basket) == 2:
        return _baskets({"create": basket[0], "redeem": basket[1]}, etf, market, units)
    raise InputError(
        "basket: give a Basket, a (create, redeem) pair or a mapping with keys "
        f"'create' and 'redeem'; got {type(basket).__name__}"
    )


def _side_components(
    etf: ETF,
    market: MarketState,
    basket: Basket,
    side: str,
    regime: str,
    ap: AuthorizedParticipant,
    horizon_days: float,
    nav: float,
) -> tuple[dict[str, float], pd.Series]:
    """Costs of one side as positive USD amounts (``nav_bid_side``: positive = AP loses)."""
    shares = basket.shares
    value = nav * shares
    fee = order_fee(etf.fees, basket, market)
    par = basket.par
    q = bond_quotes(market, par.index, regime)
    clean = q["clean_price"].to_numpy()
    h = q["half_spread_bp"].to_numpy() * 1e-4
    p = par.to_numpy()
    if side == "create":
        held = ap.inventory.reindex(par.index).fillna(0.0).to_numpy()
        traded = p - np.minimum(held, p)
    else:
        traded = p
    bid_side = float(np.dot(p, clean * h) / 100.0)
    half = float(np.dot(traded, clean * h) / 100.0)
    notional = traded * q["dirty_mid"].to_numpy() / 100.0
    impact = 0.0
    if len(par):
        bonds = market.bonds.select(par.index)
        impact_bp = liq.bond_impact_bp(market, bonds, notional, regime)
        impact = float(np.dot(notional, impact_bp) * 1e-4)
    in_kind_bid = float(np.dot(p, q["dirty_bid"].to_numpy()) / 100.0)
    gap = in_kind_bid + basket.cash_usd() - value
    carry = ap.funding_rate(market, regime) * ap.settlement_days / 360.0 * value
    etf_half, etf_impact = liq.etf_cost_bp(etf, market, value, regime)
    costs = {
        "fixed_fee": fee["fixed"],
        "variable_fee": fee["in_kind"] + fee["custom"],
        "cash_charge": fee["cash"],
        "basket_half_spread": half,
        "nav_bid_side": bid_side if side == "create" else -bid_side,
        "basket_impact": impact,
        "basket_vs_nav": gap if side == "create" else -gap,
        "settlement_carry": carry,
        "balance_sheet": ap.balance_sheet_cost_bp(regime) * 1e-4 * horizon_days * value,
        "ap_cost": ap.cost_bp * 1e-4 * value,
        "etf_half_spread": etf_half * 1e-4 * value,
        "etf_impact": etf_impact * 1e-4 * value,
    }
    return {k: float(v) / value * 1e4 for k, v in costs.items()}, fee


def arbitrage_band(
    etf: ETF,
    market: MarketState,
    regime: str = "normal",
    basket: Basket | Mapping[str, Basket] | tuple[Basket, Basket] | None = None,
    ap: AuthorizedParticipant | None = None,
    units: int = 1,
    horizon_days: float = 1.0,
    eligible: Any = None,
) -> ArbitrageBand:
    """The premium above which APs create and the discount below which they redeem.

    Parameters
    ----------
    etf : ETF
    market : MarketState
    regime : {"normal", "stress"}, default "normal"
        Liquidity regime of the bonds, the ETF and the AP's costs; the official NAV
        is struck in the same regime.
    basket : Basket, (create, redeem) pair or mapping, optional
        The baskets; default the fund's pro-rata basket for ``units`` on each side.
        One Basket is used for both sides. A basket's own units win over ``units``.
    ap : AuthorizedParticipant, optional
        Whose costs (funding, balance sheet, own cost, inventory); default
        :data:`DEFAULT_AP`.
    units : int, default 1
        Whole creation units.
    horizon_days : float, default 1
        Days the AP carries the position on its balance sheet.
    eligible : list of ids, optional
        The fund's eligible universe for creation baskets (default: its holdings).

    Returns
    -------
    ArbitrageBand
        ``create_bp`` > 0, ``redeem_bp`` < 0, ``components`` adding up to each.

    Raises
    ------
    InputError
        For an unknown regime, a fractional number of units, a negative horizon, or
        a basket the fund cannot process.

    Notes
    -----
    In bp of the order's value at official NAV, ``V = NAV_bid x shares``. Creation:
    the AP buys the in-kind bonds at the ask plus impact (bonds in its inventory
    need no buying), delivers them with the cash, pays the fee, finances the
    position for the settlement lag and carries it for ``horizon_days``, and sells
    the new shares at the ETF's bid (half-spread plus impact). It pays when::

        ETF bid / NAV - 1 > fees + half-spread + (mid - bid) + impact + carry
                            + balance sheet + own cost + ETF half-spread + ETF impact

    Redemption is the mirror image: buy shares at the ETF's ask, redeem, sell the
    bonds at the bid with impact. Because the official NAV already values the bonds
    at the bid, the bonds' half-spread on redemption is offset by ``nav_bid_side``
    and the band sits asymmetrically around the official NAV: a small premium is
    normal (BND averaged about +6 bp before 2020). In stress, wider bond and ETF
    spreads, higher impact and a dearer balance sheet widen both sides; the
    creation side most.

    Examples
    --------
    >>> import etfcore
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> band = etfcore.arbitrage_band(m.etfs["IG_BROAD"], m)
    >>> band.create_bp > 0 > band.redeem_bp
    True
    """
    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    regime = check_regime(regime)
    units = check_units(units)
    ap = _check_ap(ap)
    horizon = non_negative(horizon_days, "horizon_days")
    mkt = market.with_regime(regime)
    baskets = _baskets(basket, etf, mkt, units)
    if baskets["create"].units != baskets["redeem"].units:
        raise InputError(
            f"basket: the create basket is for {baskets['create'].units} unit(s) and the redeem "
            f"basket for {baskets['redeem'].units}; give baskets of the same size"
        )
    for b in baskets.values():
        check_basket(b, etf, mkt, eligible)
    nav = etf.nav(mkt, "bid")
    parts, fees = {}, {}
    for s, sign in (("create", 1.0), ("redeem", -1.0)):
        comp, fee = _side_components(etf, mkt, baskets[s], s, regime, ap, horizon, nav)
        parts[s] = {k: sign * v for k, v in comp.items()}
        fees[s] = fee
    components = pd.DataFrame(parts).loc[list(COMPONENTS)]
    components.index.name = "component"
    b0 = baskets["create"]
    return ArbitrageBand(
        etf_name=etf.name,
        regime=regime,
        units=b0.units,
        shares=b0.shares,
        nav_per_share=nav,
        nav_mid=etf.nav(mkt, "mid"),
        create_bp=float(components["create"].sum()),
        redeem_bp=float(components["redeem"].sum()),
        components=components,
        value_usd=nav * b0.shares,
        fees_usd=pd.DataFrame(fees),
        basket_kind={s: b.kind for s, b in baskets.items()},
        ap_name=ap.name,
    )


__all__ = ["COMPONENTS", "ArbitrageBand", "arbitrage_band"]
