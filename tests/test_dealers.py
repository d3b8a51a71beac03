"""Dealers: construction and validation, seeded panels, and one dealer's quote of a basket."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.bonds.pricing import price_bonds
from etfcore.errors import InputError
from etfcore.hedging import HedgeCostCurve, hedge_cost_curve, liquidity_backstop, select_hedge
from etfcore.market import synthetic_market
from etfcore.trading import Dealer, dealer_panel
from etfcore.trading._lines import basket_lines
from etfcore.trading.dealers import COMPONENTS, DealerQuote, default_curve

#: Money adds up to float rounding of sums of a few hundred terms.
USD_TOL = 1e-6
#: Basket z-spread solved to 1e-13 in the spread: its value matches to well under a cent.
VALUE_TOL_USD = 0.01


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


@pytest.fixture(scope="module")
def curve(market):
    return default_curve(market)


@pytest.fixture(scope="module")
def basket(market):
    rng = np.random.default_rng(7)
    ids = rng.choice(np.asarray(market.etfs["IG_BROAD"].holdings.index), 40, replace=False)
    return pd.DataFrame({"id": ids, "par": rng.uniform(1e6, 5e6, ids.size)})


def _dealer(curve_, **kw):
    base = dict(name="D", curve=curve_, risk_aversion=0.5, horizon_days=5, margin_bp=1.0)
    base.update(kw)
    return Dealer(**base)


# ---------------------------------------------------------------------- construction
@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"margin_bp": -0.5}, r"Dealer 'D': margin_bp: -0.5 must be a finite number >= 0"),
        ({"margin_bp": float("nan")}, r"margin_bp: nan must be"),
        ({"margin_bp": 600.0}, r"margin_bp: 600.0 is more than 500 bp"),
        ({"margin_bp": 0.0002}, r"margin_bp: 0.0002 looks like a decimal"),
        ({"risk_aversion": -1.0}, r"risk_aversion: -1.0 must be"),
        ({"horizon_days": 0.0}, r"horizon_days: 0.0 must be a finite number > 0"),
        ({"horizon_days": 30.0}, r"horizon_days: 30.0 is beyond the curve's longest horizon"),
        ({"max_instruments": 0}, r"max_instruments: 0 must be >= 1"),
        ({"max_instruments": 1.5}, r"max_instruments: 1.5 is not a whole number"),
        ({"curve": "curve.csv"}, r"curve: expected a HedgeCostCurve"),
        ({"axes": [1, 2]}, r"axes: expected a pandas Series \(or dict\)"),
        ({"axes": pd.Series({"A": np.nan})}, r"axes: bond A has par nan"),
        ({"inventory": pd.Series([1e6, 2e6], index=["A", "A"])}, r"inventory: bond A appears"),
        ({"backstops": ["x"]}, r"backstops: expected LiquidityBackstop objects"),
    ],
)
def test_bad_dealer(curve, kw, match):
    with pytest.raises(InputError, match=match):
        _dealer(curve, **kw)


def test_dealer_name_must_be_text(curve):
    with pytest.raises(InputError, match=r"Dealer: name '' must be a non-empty string"):
        _dealer(curve, name="")


def test_dealer_axes_from_dict_and_repr(curve):
    d = _dealer(curve, axes={"A": 1e6, "B": -2e6}, inventory={"C": 3e6})
    assert d.axes.to_dict() == {"A": 1e6, "B": -2e6}
    assert "2 axes, 1 inventory lines" in repr(d)


# ---------------------------------------------------------------------- panels
def test_panel_is_seeded(market):
    a, b = dealer_panel(market, n=4, seed=3), dealer_panel(market, n=4, seed=3)
    assert [d.name for d in a] == ["Dealer A", "Dealer B", "Dealer C", "Dealer D"]
    for x, y in zip(a, b, strict=True):
        assert (x.risk_aversion, x.horizon_days, x.margin_bp, x.max_instruments) == (
            y.risk_aversion,
            y.horizon_days,
            y.margin_bp,
            y.max_instruments,
        )
        pd.testing.assert_series_equal(x.axes, y.axes)
        pd.testing.assert_series_equal(x.inventory, y.inventory)
    other = dealer_panel(market, n=4, seed=4)
    assert [d.risk_aversion for d in other] != [d.risk_aversion for d in a]


def test_panel_dealers_differ_and_share_the_curve(market):
    panel = dealer_panel(market, n=5, seed=0)
    assert len({d.risk_aversion for d in panel}) == 5
    assert len({d.margin_bp for d in panel}) == 5
    assert all(d.curve is panel[0].curve for d in panel)
    assert [len(d.backstops) for d in panel] == [1, 0, 0, 1, 0]
    assert all(d.margin_bp >= 0 for d in panel)


@pytest.mark.parametrize(
    ("kw", "match"),
    [({"n": 0}, r"n: 0 must be >= 1"), ({"seed": -1}, r"seed: -1 must be >= 0")],
)
def test_bad_panel(market, kw, match):
    with pytest.raises(InputError, match=match):
        dealer_panel(market, **kw)


def test_panel_needs_a_market(market):
    with pytest.raises(InputError, match=r"market: expected a MarketState"):
        dealer_panel("market")


# ---------------------------------------------------------------------- one quote
def test_quote_components_and_signs(market, curve, basket):
    d = _dealer(curve)
    sell = d.quote(basket, market, "client_sells")
    buy = d.quote(basket, market, "client_buys")
    assert isinstance(sell, DealerQuote)
    for q, sign in ((sell, 1.0), (buy, -1.0)):
        assert set(q.components) == set(COMPONENTS)
        assert all(v >= 0 for v in q.components.values())
        assert_allclose(sum(q.components.values()), q.cost_usd, rtol=0, atol=USD_TOL)
        assert_allclose(
            q.all_in_price_usd, round(q.market_value_usd - sign * q.cost_usd, 2), atol=0
        )
        assert_allclose(q.cost_bp, q.cost_usd / q.market_value_usd * 1e4, rtol=1e-12)
        assert_allclose(q.to_frame()["cost_usd"].sum(), q.cost_usd, rtol=1e-12)
    assert sell.all_in_price_usd < sell.market_value_usd < buy.all_in_price_usd
    assert sell.spread_change_bp > 0 > buy.spread_change_bp
    assert_allclose(sell.mid_spread_bp, buy.mid_spread_bp, rtol=1e-12)


def test_margin_component(market, curve, basket):
    q = _dealer(curve, margin_bp=2.5).quote(basket, market)
    assert_allclose(q.components["margin_usd"], 2.5e-4 * q.market_value_usd, rtol=1e-12)


def _quote_cost_bp(curve_, instrument, notional, horizon, regime, side):
    """Reference: the curve's cost less its basis-risk component at the horizon.

    ``basis_risk_bp`` does not depend on the size, so it is interpolated in the
    horizon alone (linearly, as the curve does).
    """
    t = curve_.to_frame()
    t = t[(t["instrument"] == instrument) & (t["trade_side"] == side) & (t["regime"] == regime)]
    by_h = t.groupby("horizon_days")["basis_risk_bp"].first()
    basis = np.interp(horizon, by_h.index.to_numpy(), by_h.to_numpy())
    return curve_.cost(instrument, notional, horizon, regime, side) - basis


def _charged_vol(market, hedge):
    """Reference: daily tracking vol without each leg's basis noise (IG funds: 4 bp a day)."""
    from etfcore.hedging.selection import BASIS_VOL_BP

    assert all(i.startswith("IG_") for i in hedge.notional_usd.index)
    b = BASIS_VOL_BP["investment_grade"] * (5.0 if market.regime == "stress" else 1.0)
    var = hedge.tracking_vol_usd**2 - ((b * 1e-4 * hedge.notional_usd) ** 2).sum()
    return math.sqrt(var)


def test_hedge_is_select_hedge_priced_from_the_curve(market, curve, basket):
    d = _dealer(curve, max_instruments=2, horizon_days=3)
    q = d.quote(basket, market)
    k = int(q.hedge_options.index[q.hedge_options["chosen"]][0])
    assert k >= 1 and q.n_instruments == len(q.hedge_legs) >= 1  # in normal markets it hedges
    _, lines = basket_lines(basket, market)
    pos = pd.DataFrame({"id": lines.index, "par": lines["par_usd"].to_numpy()})
    h = select_hedge(pos, market, max_instruments=k)
    pd.testing.assert_series_equal(q.hedge.notional_usd, h.notional_usd)
    expected = sum(
        _quote_cost_bp(curve, i, abs(n), 3, "normal", "sell" if n < 0 else "buy") * abs(n) * 1e-4
        for i, n in h.notional_usd.items()
    )
    assert_allclose(q.components["hedge_cost_usd"], expected, rtol=1e-12)
    # the curve's basis-risk charge is not in the quote: less than the curve's full cost
    full = sum(
        curve.cost(i, abs(n), 3, "normal", "sell" if n < 0 else "buy") * abs(n) * 1e-4
        for i, n in h.notional_usd.items()
    )
    assert q.components["hedge_cost_usd"] < full
    # risk charge: risk aversion x daily residual vol (without the legs' basis) x sqrt(h / 3)
    assert_allclose(q.residual_vol_usd, _charged_vol(market, h), rtol=1e-12)
    assert q.residual_vol_usd < h.tracking_vol_usd
    assert_allclose(
        q.components["risk_charge_usd"], 0.5 * q.residual_vol_usd * math.sqrt(3 / 3), rtol=1e-12
    )


def test_quote_curve_drops_the_basis_component(curve):
    from etfcore.hedging.cost import COMPONENTS as CURVE_COMPONENTS
    from etfcore.trading.dealers import (
        EXCLUDED_CURVE_COMPONENTS,
        QUOTE_CURVE_COMPONENTS,
        quote_curve,
    )

    assert EXCLUDED_CURVE_COMPONENTS == ("basis_risk_bp",)
    assert set(QUOTE_CURVE_COMPONENTS) | set(EXCLUDED_CURVE_COMPONENTS) == set(CURVE_COMPONENTS)
    qc = quote_curve(curve)
    assert qc is quote_curve(curve)  # once per curve
    t, u = curve.to_frame(), qc.to_frame()
    assert_allclose(u["cost_bp"], t[list(QUOTE_CURVE_COMPONENTS)].sum(axis=1), rtol=1e-12)
    assert (u["basis_risk_bp"] == 0).all()
    pd.testing.assert_frame_equal(u[list(QUOTE_CURVE_COMPONENTS)], t[list(QUOTE_CURVE_COMPONENTS)])


def test_hedge_size_is_the_cheapest_option(market, curve, basket):
    """K = 0 (no hedge) .. max_instruments: the least hedge cost + premium + risk charge."""
    for regime in ("normal", "stress"):
        mk = market.with_regime(regime)
        d = _dealer(curve, max_instruments=3, horizon_days=5, risk_aversion=0.7)
        q = d.quote(basket, mk)
        o = q.hedge_options
        assert o.index.tolist() == [0, 1, 2, 3]
        assert_allclose(
            o["total_usd"],
            o[["hedge_cost_usd", "etf_premium_usd", "risk_charge_usd"]].sum(axis=1),
            rtol=1e-12,
        )
        chosen = o[o["chosen"]]
        assert len(chosen) == 1
        assert chosen["total_usd"].iloc[0] == o["total_usd"].min()
        for c in ("hedge_cost_usd", "etf_premium_usd", "risk_charge_usd"):
            assert_allclose(q.components[c], chosen[c].iloc[0], rtol=1e-12)
        assert q.n_instruments == chosen["n_legs"].iloc[0] == len(q.hedge_legs)
        assert q.hedge_choice in q.as_row()["hedge_choice"]
        # no hedge: no legs, the risk charge on the whole basket's daily vol
        none = o.loc[0]
        assert none["hedge_cost_usd"] == 0.0 and none["n_legs"] == 0
        daily = q.hedge.basket_vol_usd / math.sqrt(q.hedge.horizon_days)
        assert_allclose(none["residual_vol_usd"], daily, rtol=1e-12)
        assert_allclose(none["risk_charge_usd"], 0.7 * daily * math.sqrt(5 / 3), rtol=1e-12)
        # any hedge leaves less risk than none
        assert (o["residual_vol_usd"].iloc[1:] < none["residual_vol_usd"]).all()


def test_no_hedge_when_it_does_not_pay(market, curve, basket):
    """In stress the curve's premium risk makes the ETF hedge dearer than the risk it saves."""
    stress = market.with_regime("stress")
    q = _dealer(curve, max_instruments=2).quote(basket, stress)
    assert q.n_instruments == 0 and q.hedge_legs.empty
    assert q.components["hedge_cost_usd"] == 0.0
    assert q.hedge.variance_reduction == 0.0 and q.hedge.notional_usd.empty
    assert q.hedge_choice.startswith("no ETF hedge")
    assert q.as_row()["hedge"] == "none"
    hedged = q.hedge_options.loc[1]
    assert hedged["hedge_cost_usd"] > hedged["total_usd"] - hedged["risk_charge_usd"] - 1e-9
    assert hedged["total_usd"] > q.hedge_options.loc[0, "total_usd"]
    assert "DealerQuote" in str(q.summary())
    # a dealer who hates risk enough hedges again
    averse = _dealer(curve, max_instruments=2, risk_aversion=20.0).quote(basket, stress)
    assert averse.n_instruments >= 1


def test_hedge_beyond_the_curve_is_not_priced(market, basket):
    small = hedge_cost_curve(market, ["IG_BROAD", "IG_SHORT"], [1e6, 2e6], [1, 5], ("normal",))
    q = _dealer(small).quote(basket, market)
    assert q.n_instruments == 0
    assert "not priced" in q.hedge_choice
    o = q.hedge_options
    assert np.isinf(o.loc[1:, "total_usd"]).all()
    assert o.loc[1:, "note"].str.contains("beyond the curve's largest size").all()


def test_etf_premium_component(market, curve, basket):
    """sum(q x p) / 1e4 x (1 - 2^(-h / half-life)) over the hedge legs (q < 0: sell)."""
    d = _dealer(curve, max_instruments=2, horizon_days=2)
    p = {"IG_BROAD": -4.0, "HY": 2.5, "IG_SHORT": 1.0, "IG_INTERMEDIATE": 0.0}
    q = d.quote(basket, market, etf_premium_bp=p)
    assert q.n_instruments >= 1
    legs = q.hedge_legs["notional_usd"]
    expected = sum(n * p.get(i, 0.0) for i, n in legs.items()) * 1e-4 * (1 - 0.5**2)
    assert_allclose(q.components["etf_premium_usd"], expected, rtol=1e-12)
    plain = d.quote(basket, market)
    assert plain.components["etf_premium_usd"] == 0.0
    # the premium changes what each hedge size costs, not the hedges themselves
    a, b = q.hedge_options, plain.hedge_options
    for c in ("hedge_cost_usd", "risk_charge_usd", "n_legs"):
        assert_allclose(a[c], b[c], rtol=0)
    assert (b["etf_premium_usd"] == 0).all()
    assert_allclose(
        q.cost_usd - plain.cost_usd,
        a.loc[a["chosen"], "total_usd"].iloc[0] - b.loc[b["chosen"], "total_usd"].iloc[0],
        rtol=0,
        atol=USD_TOL,
    )
    # a deep discount on the ETFs it would sell: the dealer stops hedging rather than pay it
    deep = d.quote(basket, market, etf_premium_bp=-50.0)
    assert deep.n_instruments == 0 and deep.components["etf_premium_usd"] == 0.0
    assert deep.cost_usd > plain.cost_usd
    # the client buys: the dealer buys the ETFs, and a discount helps it
    buy = d.quote(basket, market, "client_buys", etf_premium_bp=-4.0)
    assert buy.components["etf_premium_usd"] < 0


def test_working_cost_is_legging_spread_and_impact(market, curve, basket):
    q = _dealer(curve, horizon_days=4).quote(basket, market)
    _, lines = basket_lines(basket, market)
    bonds = market.bonds.select(lines.index)
    leg = market.liquidity.legging_breakdown(
        bonds, lines["market_value_usd"], 4, "normal", "sell", settlement_date=market.settlement
    )
    expected = ((leg["half_spread_bp"] + leg["impact_bp"]) * leg["notional_usd"] * 1e-4).sum()
    assert_allclose(q.components["working_cost_usd"], expected, rtol=1e-12)


def test_spread_reprices_the_basket(market, curve, basket):
    """Reference: price_bonds (the numba kernel) at one z-spread for every line."""
    q = _dealer(curve).quote(basket, market)
    _, lines = basket_lines(basket, market)
    bonds = market.bonds.select(lines.index)
    for spread_bp, value in ((q.spread_bp, q.all_in_price_usd), (q.mid_spread_bp, None)):
        prices = price_bonds(bonds, market.curve, market.settlement, spread_bp * 1e-4)
        total = float((prices["dirty_price"] * lines["par_usd"] / 100).sum())
        target = lines["market_value_usd"].sum() if value is None else value
        assert_allclose(total, target, rtol=0, atol=VALUE_TOL_USD)


def test_axes_reduce_the_cost(market, curve, basket):
    ids = basket["id"].astype(str)
    plain = _dealer(curve).quote(basket, market)
    half = _dealer(curve, axes=pd.Series(0.5 * basket["par"].to_numpy(), index=ids))
    q = half.quote(basket, market)
    assert q.components["working_cost_usd"] < plain.components["working_cost_usd"]
    assert q.all_in_price_usd > plain.all_in_price_usd  # a better bid for the client
    assert_allclose(q.axed_usd, 0.5 * plain.market_value_usd, rtol=1e-12)
    # sell axes do not help when the client sells; a buy axis covering everything: no working
    wrong = _dealer(curve, axes=pd.Series(-basket["par"].to_numpy(), index=ids))
    assert_allclose(
        wrong.quote(basket, market).components["working_cost_usd"],
        plain.components["working_cost_usd"],
        rtol=1e-12,
    )
    full = _dealer(curve, axes=pd.Series(2 * basket["par"].to_numpy(), index=ids))
    qf = full.quote(basket, market)
    assert qf.components["working_cost_usd"] == 0.0
    assert set(qf.to_frame()["channel"]) == {"axed"}


def test_inventory_offsets_client_buys(market, curve, basket):
    ids = basket["id"].astype(str)
    inv = pd.Series(basket["par"].to_numpy(), index=ids)
    plain = _dealer(curve).quote(basket, market, "client_buys")
    held = _dealer(curve, inventory=inv).quote(basket, market, "client_buys")
    assert held.components["working_cost_usd"] == 0.0
    assert held.all_in_price_usd < plain.all_in_price_usd  # a better offer
    # a long inventory does not offset a client sale
    sold = _dealer(curve, inventory=inv).quote(basket, market, "client_sells")
    assert sold.axed_usd == 0.0


def test_stress_quotes_wider(market, curve, basket):
    d = _dealer(curve)
    normal = d.quote(basket, market)
    stress = d.quote(basket, market.with_regime("stress"))
    assert stress.cost_bp > 2 * normal.cost_bp
    for c in ("working_cost_usd", "risk_charge_usd"):
        assert stress.components[c] > normal.components[c]
    # every hedge size costs more in stress
    a, b = stress.hedge_options, normal.hedge_options
    assert (a["total_usd"] > b["total_usd"]).all()
    assert (a["hedge_cost_usd"].iloc[1:] > b["hedge_cost_usd"].iloc[1:]).all()


@pytest.mark.parametrize("ext", ["csv", "parquet", "json"])
def test_dealer_from_curve_files_quotes_the_same(market, basket, tmp_path, ext):
    curve = hedge_cost_curve(market, notionals_usd=np.geomspace(1e6, 1e10, 12))
    path = getattr(curve, f"to_{ext}")(tmp_path / f"curve.{ext}")
    from_file = _dealer(HedgeCostCurve.read(path)).quote(basket, market)
    in_memory = _dealer(curve).quote(basket, market)
    assert from_file.all_in_price_usd == in_memory.all_in_price_usd
    assert from_file.components == in_memory.components
    assert from_file.spread_bp == in_memory.spread_bp


def test_backstop_routes_long_lines_through_creation(market, curve):
    etf = market.etfs["IG_BROAD"]
    stress = market.with_regime("stress")
    ids = np.asarray(etf.holdings.index[:40])
    basket = pd.DataFrame({"id": ids, "par": 2e6})
    b = liquidity_backstop(etf, stress, regime="stress")
    plain = _dealer(curve).quote(basket, stress)
    ap = _dealer(curve, backstops=b).quote(basket, stress)
    assert ap.creation_usd > 0
    assert ap.components["working_cost_usd"] < plain.components["working_cost_usd"]
    routed = ap.to_frame()
    created = routed["channel"] == "creation:IG_BROAD"
    assert created.any()
    assert_allclose(
        routed.loc[created, "working_cost_bp"], b.creation_cost_bp(ap.creation_usd, "stress")
    )
    # a client buy cannot leave through creation
    assert _dealer(curve, backstops=b).quote(basket, stress, "client_buys").creation_usd == 0


def test_quote_accepts_lines(market, curve, basket):
    _, lines = basket_lines(basket.assign(trade_side="sell"), market)
    d = _dealer(curve)
    assert d.quote(lines, market).all_in_price_usd == d.quote(basket, market).all_in_price_usd


@pytest.mark.parametrize(
    ("direction", "match"),
    [
        ("sell", r"direction: 'sell' is not one of \['client_sells', 'client_buys'\]"),
        (None, r"direction: None is not one of"),
    ],
)
def test_unknown_direction(market, curve, basket, direction, match):
    with pytest.raises(InputError, match=match):
        _dealer(curve).quote(basket, market, direction)


def test_lines_on_the_other_side(market, curve, basket):
    mixed = basket.assign(trade_side=["buy"] + ["sell"] * (len(basket) - 1))
    with pytest.raises(InputError, match=r"1 line\(s\) \(.+\) are on the other side of a "):
        _dealer(curve).quote(mixed, market, "client_sells")


def test_curve_without_the_market_etfs(market, basket):
    from etfcore.trading.dealers import _Basket, _candidates

    curve = hedge_cost_curve(market, ["HY"], [1e6, 1e10], [1, 5], ("normal",))
    table = curve.to_frame().assign(instrument="OTHER")
    other = HedgeCostCurve(table=table, as_of=curve.as_of, parameters=curve.parameters)
    with pytest.raises(InputError, match=r"none of its curve's instruments \['OTHER'\]"):
        _dealer(other).quote(basket, market)
    assert _candidates(_dealer(curve), market) == ("HY",)
    assert _Basket.build(basket, market, "client_sells").sign == 1.0


def test_curve_without_the_regime(market, basket):
    curve = hedge_cost_curve(market, ["IG_BROAD", "HY"], [1e6, 1e10], [1, 5], ("normal",))
    with pytest.raises(InputError, match=r"hedge leg .*: regime: the curve has no stress"):
        _dealer(curve, horizon_days=2).quote(basket, market.with_regime("stress"))


def test_quote_summary_and_repr(market, curve, basket):
    q = _dealer(curve).quote(basket, market)
    assert "DealerQuote: D, client_sells" in str(q.summary())
    assert repr(q).startswith("DealerQuote('D', client_sells: $")
    legs = q.hedge_legs
    legs.iloc[:, 0] = 0.0  # a copy
    assert (q.hedge_legs["notional_usd"] != 0).all()


class _Delegating:
    """A liquidity model that is not a BondLiquidityModel (the generic legging path)."""

    def __init__(self, model, legging=True):
        self._m = model
        if legging:
            self.legging_breakdown = model.legging_breakdown

    def half_spread_bp(self, *a, **k):
        return self._m.half_spread_bp(*a, **k)

    def features(self, *a, **k):
        return self._m.features(*a, **k)


def test_generic_liquidity_model_gives_the_same_working_cost(market, curve, basket):
    other = market.with_liquidity(_Delegating(market.liquidity))
    d = _dealer(curve, horizon_days=3, axes=pd.Series(1e6, index=basket["id"].astype(str)))
    fast = d.quote(basket, market).components["working_cost_usd"]
    generic = d.quote(basket, other).components["working_cost_usd"]
    assert_allclose(generic, fast, rtol=1e-12)


def test_liquidity_model_without_legging(market, curve, basket):
    other = market.with_liquidity(_Delegating(market.liquidity, legging=False))
    with pytest.raises(InputError, match=r"market.liquidity: the bond liquidity model has no "):
        _dealer(curve).quote(basket, other)


def test_backstop_of_an_etf_the_market_lacks(market, curve):
    etf = market.etfs["IG_SHORT"].replace(name="OUTSIDE")
    ids = np.asarray(market.etfs["IG_SHORT"].holdings.index[:10])
    basket = pd.DataFrame({"id": ids, "par": 1e6})
    bare = liquidity_backstop(etf, market)
    with pytest.raises(InputError, match=r"backstop OUTSIDE is not an ETF of the market"):
        _dealer(curve, backstops=bare).quote(basket, market)
    with_pos = liquidity_backstop(etf, market, positions=basket)
    q = _dealer(curve, backstops=[with_pos]).quote(basket, market)  # eligible from positions
    assert q.creation_usd >= 0


def test_panel_needs_etfs(market):
    from etfcore.state import MarketState

    plain = MarketState(market.bonds, market.curve, market.z_spread, market.settlement,
                        market.liquidity)  # fmt: skip
    with pytest.raises(InputError, match=r"market: has no ETFs \(market.etfs\)"):
        dealer_panel(plain)


def test_default_curve_follows_the_etf_liquidity_and_scores(market):
    """The cached curve is the market's: new ETF liquidity models or scores give a new one."""
    import dataclasses

    base = default_curve(market)
    assert default_curve(market.with_regime("stress")) is base  # the curve holds both
    wider = {
        name: dataclasses.replace(model, quoted_spread_bp_normal=3 * model.quoted_spread_bp_normal)
        for name, model in market.etf_liquidity.items()
    }
    moved = market.with_etf_liquidity(wider)
    curve = default_curve(moved)
    assert curve is not base
    fresh = hedge_cost_curve(moved)
    pd.testing.assert_frame_equal(curve.to_frame(), fresh.to_frame())
    a, b = base.to_frame(), curve.to_frame()
    assert (b["half_spread_bp"] > a["half_spread_bp"]).any()
