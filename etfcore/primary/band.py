"""The no-arbitrage band of an ETF, decomposed into what each cost contributes.

Imports run one way: :mod:`.participant` <- this module <- :mod:`.agents`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import non_negative, show
from ..errors import InputError
from ..fund.etf import ETF
from ..state import ORDERS, MarketState, check_order, check_regime
from . import _liquidity as liq
from .baskets import (
    Basket,
    _pro_rata,
    _quotes_at,
    bond_quotes,
    check_basket,
    check_units,
    pro_rata_basket,
)
from .fees import order_fee
from .participant import AuthorizedParticipant, check_ap

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
#: Components that are a fixed amount per order: per unit of value they fall as 1 / n.
FIXED_COMPONENTS = ("fixed_fee",)
#: Components that follow the square-root law: per unit of value they grow as sqrt(n).
SQRT_COMPONENTS = ("basket_impact", "etf_impact")
#: Columns of :meth:`ArbitrageBand.threshold_terms_bp`.
TERM_COLUMNS = ("size_free_bp", "fixed_bp", "sqrt_bp")


@dataclass(frozen=True, repr=False)
class ArbitrageBand:
    """Where APs start to create and redeem, in bp of the official NAV, and why.

    Built by :func:`arbitrage_band`.

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
        The kind of basket each order used.
    ap_name : str

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> band = arbitrage_band(m.etfs["IG_BROAD"], m)
    >>> band.create_bp > 0 > band.redeem_bp, band.units
    (True, 1)
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
        """``create_bp - redeem_bp``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> arbitrage_band(m.etfs["IG_BROAD"], m).width_bp > 0
        True
        """
        return self.create_bp - self.redeem_bp

    @property
    def create_price(self) -> float:
        """ETF bid above which APs create.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> band = arbitrage_band(m.etfs["IG_BROAD"], m)
        >>> band.create_price > band.nav_per_share
        True
        """
        return self.nav_per_share * (1.0 + self.create_bp * 1e-4)

    @property
    def redeem_price(self) -> float:
        """ETF ask below which APs redeem.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> band = arbitrage_band(m.etfs["IG_BROAD"], m)
        >>> band.redeem_price < band.nav_per_share
        True
        """
        return self.nav_per_share * (1.0 + self.redeem_bp * 1e-4)

    def thresholds_vs_mid_bp(self) -> pd.Series:
        """The two thresholds measured against mid NAV instead of official NAV, bp.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> band = arbitrage_band(m.etfs["IG_BROAD"], m)
        >>> bool(band.thresholds_vs_mid_bp()["create"] < band.create_bp)
        True
        """
        r = self.nav_per_share / self.nav_mid
        return pd.Series(
            {
                "create": ((1 + self.create_bp * 1e-4) * r - 1) * 1e4,
                "redeem": ((1 + self.redeem_bp * 1e-4) * r - 1) * 1e4,
            }
        )

    # ------------------------------------------------------------------ order size
    def threshold_terms_bp(self) -> pd.DataFrame:
        """The thresholds split by how they scale with order size, bp at this band's size.

        Returns
        -------
        pandas.DataFrame
            Index ``create``, ``redeem``; columns ``size_free_bp`` (every component
            proportional to the order's value), ``fixed_bp`` (the fixed fee,
            :data:`FIXED_COMPONENTS`) and ``sqrt_bp`` (the square-root impacts,
            :data:`SQRT_COMPONENTS`). They add up to ``create_bp`` / ``redeem_bp``.
            These are the inputs of the AP-decision kernel.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> band = arbitrage_band(m.etfs["IG_BROAD"], m)
        >>> t = band.threshold_terms_bp()
        >>> round(float(t.loc["create"].sum() - band.create_bp), 9)
        0.0
        """
        comp = self.components
        values = comp[list(ORDERS)].to_numpy(dtype=float)
        if comp.index.is_unique and np.isfinite(values).all():
            # the same sums, by position (no label lookups, no frame transposes)
            fixed_at = comp.index.get_indexer(pd.Index(FIXED_COMPONENTS))
            sqrt_at = comp.index.get_indexer(pd.Index(SQRT_COMPONENTS))
            if (fixed_at >= 0).all() and (sqrt_at >= 0).all():
                terms = np.empty((len(ORDERS), len(TERM_COLUMNS)))
                for j in range(len(ORDERS)):
                    col = values[:, j]
                    fixed = float(col[fixed_at].sum())
                    sqrt = float(col[sqrt_at].sum())
                    terms[j] = (float(col.sum()) - fixed - sqrt, fixed, sqrt)
                return pd.DataFrame(
                    terms,
                    index=pd.Index(list(ORDERS), name="order"),
                    columns=pd.Index(list(TERM_COLUMNS)),
                )
        rows = {}
        for o in ORDERS:
            c = self.components[o]
            fixed = float(c[list(FIXED_COMPONENTS)].sum())
            sqrt = float(c[list(SQRT_COMPONENTS)].sum())
            rows[o] = {
                "size_free_bp": float(c.sum()) - fixed - sqrt,
                "fixed_bp": fixed,
                "sqrt_bp": sqrt,
            }
        out = pd.DataFrame(rows).T.loc[list(ORDERS), list(TERM_COLUMNS)]
        out.index.name = "order"
        return out

    def _terms(self, order: str) -> tuple[float, float, float]:
        """(size-free, fixed, square-root) terms of ``order``, bp at this band's size."""
        a, f, c = self.threshold_terms_bp().loc[order].to_numpy(dtype=float)
        return float(a), float(f), float(c)

    def threshold_bp(self, order: str, units: Any) -> Any:
        """The ``order`` threshold for an order of ``units`` creation units, bp of NAV.

        Parameters
        ----------
        order : {"create", "redeem"}
        units : float or array-like
            Order size in creation units, > 0 (whole units in practice; the formula
            extends smoothly).

        Returns
        -------
        float or numpy.ndarray
            A float for a scalar, an array of the same shape for an array.

        Raises
        ------
        InputError
            For an unknown order, or sizes that are not finite numbers > 0.

        Notes
        -----
        With ``r = units / self.units`` and the terms of :meth:`threshold_terms_bp`
        (``a`` size-free, ``f`` fixed, ``c`` square-root)::

            threshold(units) = a + f / r + c sqrt(r)

        Per unit of value the fixed fee falls as ``1 / n``, the square-root impacts of
        the bonds and of the ETF grow as ``sqrt(n)`` (their bp cost is ``k sigma
        sqrt(Q / ADV)``), and every other cost is proportional to the order's value.
        At ``units = self.units`` it is ``create_bp`` / ``redeem_bp``. The basket's
        composition is held fixed (the band's pro-rata or custom basket, scaled).

        Examples
        --------
        >>> import numpy as np
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> band = arbitrage_band(m.etfs["IG_BROAD"], m)
        >>> round(band.threshold_bp("create", 1) - band.create_bp, 12)
        0.0
        >>> th = band.threshold_bp("create", np.array([1, 10, 100]))
        >>> th.shape, bool(th[2] > th[0])
        ((3,), True)
        """
        o = check_order(order)
        try:
            n = np.asarray(units, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"units: {show(units)} is not a number of creation units") from None
        if not np.all(np.isfinite(n) & (n > 0)):
            raise InputError(
                f"units: order sizes must be finite numbers of creation units > 0, got "
                f"{show(units) if n.ndim == 0 else n[~(np.isfinite(n) & (n > 0))][:5].tolist()}"
            )
        a, f, c = self._terms(o)
        r = n / self.units
        out = a + f / r + c * np.sqrt(r)
        return float(out) if out.ndim == 0 else out

    # ------------------------------------------------------------------ output
    def to_frame(self) -> pd.DataFrame:
        """The components (bp of NAV x shares), one row per cost; a copy.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> band = arbitrage_band(m.etfs["IG_BROAD"], m)
        >>> list(band.to_frame().columns)
        ['create', 'redeem']
        """
        return frame_copy(self.components)

    def cost_table(self) -> pd.DataFrame:
        """Components with a threshold row, in bp and in USD per order (numbers).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> band = arbitrage_band(m.etfs["IG_BROAD"], m)
        >>> t = band.cost_table()
        >>> list(t.columns), bool(t.loc["threshold", "create_bp"] == band.create_bp)
        (['create_bp', 'redeem_bp', 'create_usd', 'redeem_usd'], True)
        """
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
        out.index.name = "component"
        return out

    def summary(self) -> Any:
        """The band and its components, in bp of NAV and USD per order.

        Returns
        -------
        statsmodels.iolib.summary2.Summary
            Prints as text, renders as HTML in Jupyter; bp with 2 decimals, USD in
            whole dollars (:meth:`cost_table` has the numbers).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> lines = str(arbitrage_band(m.etfs["IG_BROAD"], m).summary()).splitlines()
        >>> lines[0].strip()
        'IG_BROAD arbitrage band, normal'
        >>> next(line for line in lines if line.startswith("threshold")).split()
        ['threshold', '26.88', '-5.18', '29,532', '-5,692']
        """
        facts = {
            "units": self.units,
            "shares": self.shares,
            "nav_per_share": self.nav_per_share,
            "order_value_usd": self.value_usd,
            "create_bp": self.create_bp,
            "redeem_bp": self.redeem_bp,
            "width_bp": self.width_bp,
            "ap": self.ap_name,
            "baskets": ", ".join(f"{k} {v}" for k, v in self.basket_kind.items()),
        }
        return make_summary(
            f"{self.etf_name} arbitrage band, {self.regime}",
            [facts, self.cost_table()],
            [
                "bp of the order's value at the official (bid-side) NAV; create costs are "
                "> 0, redeem costs < 0; each column adds up to its threshold."
            ],
        )

    def plot(self, ax: Any = None) -> Any:
        """Waterfall of the components: creation builds up, redemption builds down.

        Returns the matplotlib Axes; a new figure uses constrained layout, so saved
        figures keep their component labels.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> ax = arbitrage_band(m.etfs["IG_BROAD"], m).plot()
        >>> ax.get_xlabel()
        'bp of official NAV (cumulative)'
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
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
        return {o: pro_rata_basket(etf, market, units, o) for o in ORDERS}
    if isinstance(basket, Basket):
        # one basket stands for both orders (documented): the same bonds either way
        return {o: basket if basket.order == o else basket.as_order(o) for o in ORDERS}
    if isinstance(basket, Mapping):
        unknown = [k for k in basket if k not in ORDERS]
        if unknown:
            raise InputError(
                f"basket: unknown key(s) {', '.join(show(k) for k in unknown)}; a basket "
                f"mapping has keys {list(ORDERS)} (the order each basket is for)"
            )
        out = {}
        for o in ORDERS:
            b = basket.get(o)
            if b is None:
                b = pro_rata_basket(etf, market, units, o)
            if not isinstance(b, Basket):
                raise InputError(f"basket[{o!r}]: expected a Basket, got {type(b).__name__}")
            if b.order != o:
                raise InputError(
                    f"basket[{o!r}]: this is a {b.order!r} basket; build the {o!r} basket "
                    f"for the {o!r} order (or pass basket.as_order({o!r}) to use the same "
                    "bonds both ways)"
                )
            out[o] = b
        return out
    if isinstance(basket, (tuple, list)):
        if len(basket) != 2:
            raise InputError(
                f"basket: a sequence of baskets is a (create, redeem) pair; got {len(basket)}"
            )
        return _baskets({"create": basket[0], "redeem": basket[1]}, etf, market, units)
    raise InputError(
        "basket: give a Basket, a (create, redeem) pair or a mapping with keys "
        f"'create' and 'redeem'; got {type(basket).__name__}"
    )


def _order_components(
    etf: ETF,
    market: MarketState,
    basket: Basket,
    order: str,
    ap: AuthorizedParticipant,
    horizon_days: float,
    nav: float,
) -> tuple[dict[str, float], pd.Series]:
    """Costs of one order as positive bp (``nav_bid_side``: positive = AP loses)."""
    regime = market.regime
    shares = basket.shares
    value = nav * shares
    par = basket.par
    pos = market.bonds.ids.get_indexer(par.index)  # one id lookup for quotes and bonds
    q = (
        bond_quotes(market, par.index, regime)
        if (pos < 0).any()
        else _quotes_at(market, pos, regime)
    )
    p = par.to_numpy()
    # the basket's in-kind value on the bid side (Basket.in_kind_value_usd, same quotes)
    in_kind_bid = float(np.dot(p, q["dirty_bid"].to_numpy()) / 100.0)
    fee = order_fee(etf.fees, basket, market, in_kind_value_usd=in_kind_bid)
    clean = q["clean_price"].to_numpy()
    h = q["half_spread_bp"].to_numpy() * 1e-4
    if order == "create":
        if len(ap.inventory):
            held = ap.inventory.reindex(par.index).fillna(0.0).to_numpy()
        else:
            held = np.zeros(len(p))
        traded = p - np.minimum(held, p)
    else:
        traded = p
    bid_side = float(np.dot(p, clean * h) / 100.0)
    half = float(np.dot(traded, clean * h) / 100.0)
    notional = traded * q["dirty_mid"].to_numpy() / 100.0
    impact = 0.0
    if len(par):
        impact_bp = liq.bond_impact_at(market, pos, notional, regime)
        if impact_bp is None:
            impact_bp = liq.bond_impact_bp(market, market.bonds.take(pos), notional, regime)
        impact = float(np.dot(notional, impact_bp) * 1e-4)
    gap = in_kind_bid + basket.cash_usd() - value
    carry = ap.funding_rate(market, regime) * ap.settlement_days / 360.0 * value
    etf_half, etf_impact = liq.etf_cost_bp(etf, market, value, regime)
    costs = {
        "fixed_fee": fee["fixed"],
        "variable_fee": fee["in_kind"] + fee["custom"],
        "cash_charge": fee["cash"],
        "basket_half_spread": half,
        "nav_bid_side": bid_side if order == "create" else -bid_side,
        "basket_impact": impact,
        "basket_vs_nav": gap if order == "create" else -gap,
        "settlement_carry": carry,
        "balance_sheet": ap.balance_sheet_cost_bp(regime) * 1e-4 * horizon_days * value,
        "ap_cost": ap.cost_bp * 1e-4 * value,
        "etf_half_spread": etf_half * 1e-4 * value,
        "etf_impact": etf_impact * 1e-4 * value,
    }
    return {k: float(v) / value * 1e4 for k, v in costs.items()}, fee


def _band(
    etf: ETF,
    market: MarketState,
    baskets: dict[str, Basket],
    ap: AuthorizedParticipant,
    horizon_days: float,
) -> ArbitrageBand:
    """The band of already checked baskets in ``market`` (its regime)."""
    nav = etf.nav(market, "bid")
    parts, fees = {}, {}
    for o, sign in (("create", 1.0), ("redeem", -1.0)):
        comp, fee = _order_components(etf, market, baskets[o], o, ap, horizon_days, nav)
        parts[o] = {k: sign * v for k, v in comp.items()}
        fees[o] = fee
    components = pd.DataFrame(parts).loc[list(COMPONENTS)]
    components.index.name = "component"
    b0 = baskets["create"]
    return ArbitrageBand(
        etf_name=etf.name,
        regime=market.regime,
        units=b0.units,
        shares=b0.shares,
        nav_per_share=nav,
        nav_mid=etf.nav(market, "mid"),
        create_bp=float(components["create"].sum()),
        redeem_bp=float(components["redeem"].sum()),
        components=components,
        value_usd=nav * b0.shares,
        fees_usd=pd.DataFrame(fees),
        basket_kind={o: b.kind for o, b in baskets.items()},
        ap_name=ap.name,
    )


def _one_unit_band(
    etf: ETF, market: MarketState, ap: AuthorizedParticipant, horizon_days: float
) -> ArbitrageBand:
    """The band an AP sees for one unit of the fund's pro-rata basket (AP simulations).

    When the fund has one creation unit of shares or fewer, no redemption is possible,
    but the band is still defined: the redemption side is priced on the same pro-rata
    composition (the creation basket, going the other way), unchecked.
    """
    create = _pro_rata(etf, market, 1, "create", 1_000.0, 2_000.0)
    if etf.shares_outstanding > etf.creation_unit_size:
        redeem = _pro_rata(etf, market, 1, "redeem", 1_000.0, 2_000.0)
    else:
        redeem = create.as_order("redeem")
    return _band(etf, market, {"create": create, "redeem": redeem}, ap, horizon_days)


def arbitrage_band(
    etf: ETF,
    market: MarketState,
    regime: str | None = None,
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
    regime : {"normal", "stress"}, optional
        Liquidity regime of the bonds, the ETF and the AP's costs; the official NAV
        is struck in the same regime. Default: the market's (``market.regime``), so
        ``arbitrage_band(etf, market.with_regime("stress"))`` is the stress band.
    basket : Basket, (create, redeem) pair or mapping, optional
        The baskets; default the fund's pro-rata basket for ``units`` for each order.
        A mapping has keys ``"create"`` and/or ``"redeem"`` (a missing one is the
        pro-rata basket) and each basket must be for its key's order. **One Basket
        on its own is used for both orders** (the same bonds delivered and received).
        A basket's own units win over ``units``.
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
        For an unknown regime, a fractional number of units, a negative horizon, a
        basket mapping with an unknown key, a basket given for the other order, or
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
    creation side most. :meth:`ArbitrageBand.threshold_bp` scales the band to
    other order sizes.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> band = arbitrage_band(etf, m)
    >>> band.create_bp > 0 > band.redeem_bp
    True
    >>> arbitrage_band(etf, m.with_regime("stress")).create_bp > band.create_bp
    True
    """
    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    if not isinstance(market, MarketState):
        raise InputError(f"market: expected a MarketState, got {type(market).__name__}")
    regime = market.regime if regime is None else check_regime(regime)
    units = check_units(units)
    ap = check_ap(ap)
    horizon = non_negative(horizon_days, "horizon_days")
    mkt = market if regime == market.regime else market.with_regime(regime)
    baskets = _baskets(basket, etf, mkt, units)
    if baskets["create"].units != baskets["redeem"].units:
        raise InputError(
            f"basket: the create basket is for {baskets['create'].units} unit(s) and the redeem "
            f"basket for {baskets['redeem'].units}; give baskets of the same size"
        )
    if basket is not None or eligible is not None:
        # the fund's own pro-rata baskets pass by construction (its holdings, par at most
        # what it holds, its unit size): only given baskets or universes are checked
        for b in baskets.values():
            check_basket(b, etf, mkt, eligible)
    return _band(etf, mkt, baskets, ap, horizon)


__all__ = [
    "COMPONENTS",
    "FIXED_COMPONENTS",
    "SQRT_COMPONENTS",
    "TERM_COLUMNS",
    "ArbitrageBand",
    "arbitrage_band",
]
