"""The primary market: baskets, fees, the arbitrage band and AP agents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import etfcore
from etfcore.errors import InputError
from etfcore.fund import ETF, CreationFees
from etfcore.market import synthetic_market
from etfcore.primary import (
    COMPONENTS,
    ArbitrageBand,
    AuthorizedParticipant,
    Basket,
    arbitrage_band,
    basket_distance,
    basket_from_par,
    bond_quotes,
    cash_basket,
    custom_basket,
    order_fee,
    premium_path,
    pro_rata_basket,
    process_creation,
    process_redemption,
    simulate_ap_day,
    simulate_ap_days,
)

# Tolerances, named.
VALUE_RTOL = 1e-9  # two independent valuations of the same bonds (NAV ladder vs price_bonds)
USD_ATOL = 1e-4  # bookkeeping identities in dollars on $10-100 mm orders
BP_ATOL = 1e-9  # components adding up to the thresholds


@pytest.fixture(scope="module")
def market():
    return synthetic_market(seed=0)


@pytest.fixture(scope="module")
def ig(market):
    return market.etfs["IG_BROAD"]


@pytest.fixture(scope="module")
def hy(market):
    return market.etfs["HY"]


@pytest.fixture(scope="module")
def small(market):
    """A hand-made 4-bond fund with round numbers, for worked examples."""
    ids = market.etfs["IG_INTERMEDIATE"].holdings.index[:4]
    par = pd.Series([20e6, 10e6, 5e6, 1_234_567.0], index=ids)
    return ETF(
        "SMALL",
        par,
        shares_outstanding=400_000,
        creation_unit_size=50_000,
        cash_usd=1_000_000.0,
        fees=CreationFees(fixed_usd=500.0, in_kind_bp=1.0, cash_bp=10.0, custom_bp=3.0),
        adv_shares=100_000,
        quoted_spread_bp=2.0,
    )


@pytest.fixture(scope="module")
def aps():
    return [
        AuthorizedParticipant(
            "AP1", cost_bp=1.0, capacity_usd_per_day=200e6, balance_sheet_limit_usd=1e9
        ),
        AuthorizedParticipant(
            "AP2", cost_bp=2.0, capacity_usd_per_day=100e6, balance_sheet_limit_usd=300e6
        ),
        AuthorizedParticipant(
            "AP3", cost_bp=4.0, capacity_usd_per_day=50e6, balance_sheet_limit_usd=100e6
        ),
    ]


# ---------------------------------------------------------------------- baskets
@pytest.mark.parametrize("name", ["IG_BROAD", "HY"])
@pytest.mark.parametrize("units", [1, 3])
def test_pro_rata_basket_is_worth_nav_times_shares(market, name, units):
    etf = market.etfs[name]
    b = pro_rata_basket(etf, market, units=units)
    shares = units * etf.creation_unit_size
    assert b.shares == shares
    # the fund's NAV (cash-flow ladder) against the basket (price_bonds + cash in lieu)
    assert_allclose(b.value_usd(market, "bid"), etf.nav(market, "bid") * shares, rtol=VALUE_RTOL)
    d = b.details
    par, target = d["par_usd"].to_numpy(), d["target_par_usd"].to_numpy()
    # tradable lots, rounded down, small pieces to cash
    assert np.all(par % 1_000 == 0)
    assert np.all(par <= target + 1e-6)
    assert np.all((par == 0) | (par >= 2_000))
    assert np.all(target - par < 2_000 + 1e-6)
    # cash in lieu is exactly the rounding, at the bid
    assert_allclose(b.cash_in_lieu_usd, float(d["cash_in_lieu_usd"].sum()), atol=USD_ATOL)
    q = bond_quotes(market, d.index)
    assert_allclose(
        b.cash_in_lieu_usd, float((target - par) @ q["dirty_bid"].to_numpy()) / 100, atol=USD_ATOL
    )
    # the cash component is the fund's own cash share
    assert_allclose(
        b.cash_component_usd,
        etf.cash_usd * shares / etf.shares_outstanding
        - etf.accrued_expenses_usd * shares / etf.shares_outstanding,
        rtol=1e-6,
    )


def test_pro_rata_basket_worked_example(market, small):
    b = pro_rata_basket(small, market, units=2)  # 100,000 of 400,000 shares: a quarter
    assert b.par.tolist() == [5e6, 2.5e6, 1.25e6, 308_000.0]
    q = bond_quotes(market, small.holdings.index)
    assert_allclose(b.cash_in_lieu_usd, 641.75 * q["dirty_bid"].iloc[3] / 100, atol=USD_ATOL)
    assert_allclose(b.cash_component_usd, 250_000.0, atol=USD_ATOL)


def test_cash_basket_is_all_cash(market, ig):
    b = cash_basket(ig, market, units=2)
    assert b.n_bonds == 0 and b.kind == "cash"
    assert_allclose(b.value_usd(market), ig.nav(market, "bid") * 200_000, rtol=VALUE_RTOL)


def test_basket_outputs(market, ig):
    import matplotlib

    matplotlib.use("Agg")
    b = pro_rata_basket(ig, market)
    s = b.totals()
    assert s["n_bonds"] == b.n_bonds and s["kind"] == "pro_rata"
    assert_allclose(s["total_value_usd"], b.value_usd(market), rtol=VALUE_RTOL)
    assert "pro_rata create basket" in str(b.summary())
    assert set(b.to_frame().columns) >= {"par_usd", "dirty_bid", "value_usd", "sector"}
    assert b.plot() is not None
    assert "pro_rata" in repr(b)
    vb = b.value_breakdown(market)
    assert vb.loc["total_usd", "bid"] < vb.loc["total_usd", "mid"] < vb.loc["total_usd", "ask"]


# ---------------------------------------------------------------------- custom
@pytest.mark.parametrize("name,k", [("IG_BROAD", 30), ("HY", 25)])
def test_custom_basket_tracks_the_fund_cheaply(market, name, k):
    etf = market.etfs[name]
    custom = custom_basket(etf, market, max_bonds=k)
    assert 1 <= custom.n_bonds <= k
    assert_allclose(
        custom.value_usd(market, "bid"), etf.nav(market, "bid") * custom.shares, rtol=VALUE_RTOL
    )
    assert 0 <= custom.cash_in_lieu_usd < 0.01 * custom.value_usd(market)
    rng = np.random.default_rng(7)
    ids = rng.choice(etf.holdings.index, size=k, replace=False)
    random = basket_from_par(etf, market, pd.Series(200_000.0, index=ids))
    pro_rata = pro_rata_basket(etf, market)
    d = basket_distance({"custom": custom, "random": random, "pro_rata": pro_rata}, etf, market)
    for metric in ("krd_distance", "spread_duration_gap", "sector_distance"):
        assert d.loc[metric, "custom"] < 0.1 * d.loc[metric, "random"], metric
    assert d.loc["krd_distance", "custom"] < 0.01  # years, over all tenors
    assert d.loc["sector_distance", "custom"] < 0.005  # half a percent of value
    # more liquid than the pro-rata basket
    assert d.loc["avg_half_spread_bp", "custom"] < 0.8 * d.loc["avg_half_spread_bp", "pro_rata"]
    assert d.loc["n_bonds", "custom"] == custom.n_bonds


def test_basket_distance_single(market, ig):
    c = custom_basket(ig, market, max_bonds=20)
    d = basket_distance(c, ig, market)
    assert list(d.columns) == ["fund", "basket", "difference"]
    krd = [r for r in d.index if r.startswith("krd_") and r != "krd_distance"]
    assert len(krd) == len(market.curve.tenors)
    assert_allclose(
        d.loc["krd_distance", "difference"],
        np.sqrt((d.loc[krd, "difference"] ** 2).sum()),
        rtol=1e-12,
    )


def test_custom_redemption_basket(market, hy):
    liquid = custom_basket(hy, market, max_bonds=25, order="redeem")
    shed = custom_basket(hy, market, max_bonds=25, order="redeem", prefer="illiquid first")
    for b in (liquid, shed):
        assert b.order == "redeem"
        held = hy.holdings.reindex(b.par.index)
        assert (b.par <= held).all()
    d = basket_distance({"liquid": liquid, "shed": shed}, hy, market)
    assert d.loc["avg_half_spread_bp", "shed"] > d.loc["avg_half_spread_bp", "fund"]
    assert d.loc["avg_half_spread_bp", "liquid"] < d.loc["avg_half_spread_bp", "fund"]
    # a named preference pulls that bond in
    favourite = hy.holdings.index[hy.holdings.argmax()]
    pref = custom_basket(
        hy, market, max_bonds=25, order="redeem", prefer=pd.Series({favourite: 200.0})
    )
    assert favourite in pref.par.index


def test_custom_basket_single_bond(market, ig):
    b = custom_basket(ig, market, max_bonds=1)
    assert b.n_bonds == 1


# ---------------------------------------------------------------------- fees
def test_order_fee_by_kind(market, small):
    b = pro_rata_basket(small, market, units=2)
    ik = b.in_kind_value_usd(market, "bid")
    fee = order_fee(small, b, market)
    assert_allclose(fee["fixed"], 500.0)
    assert_allclose(fee["in_kind"], 1e-4 * ik)
    assert fee["custom"] == 0.0
    assert_allclose(fee["cash"], 10e-4 * b.cash_in_lieu_usd)
    assert_allclose(fee["total"], fee.drop("total").sum())
    custom = b.replace(kind="custom")
    assert_allclose(order_fee(small, custom, market)["custom"], 3e-4 * ik)
    cash = cash_basket(small, market, units=2)
    assert_allclose(order_fee(small, cash, market)["cash"], 10e-4 * cash.cash_in_lieu_usd)


# ---------------------------------------------------------------------- processing
def test_create_then_redeem_returns_value_less_fees(market, small):
    create = pro_rata_basket(small, market, units=2)
    value = create.value_usd(market, "bid")
    # worked numbers: 2 units x 50,000 shares at the official NAV
    assert_allclose(value, small.nav(market, "bid") * 100_000, rtol=VALUE_RTOL)
    fee_c = float(order_fee(small, create, market)["total"])
    expected_fee = 500.0 + 1e-4 * create.in_kind_value_usd(market) + 1e-3 * create.cash_in_lieu_usd
    assert_allclose(fee_c, expected_fee, atol=USD_ATOL)

    after_create = process_creation(small, create, market)
    redeem = create.as_order("redeem")
    fee_r = float(order_fee(after_create, redeem, market)["total"])
    after_both = process_redemption(after_create, redeem, market)

    # the AP paid value + fee_c and got back value - fee_r
    ap_paid = value + fee_c
    ap_received = redeem.value_usd(market, "bid") - fee_r
    assert_allclose(ap_received - ap_paid, -(fee_c + fee_r), atol=USD_ATOL)
    # the fund is back where it was, plus both fees in cash
    assert after_both.shares_outstanding == small.shares_outstanding
    pd.testing.assert_series_equal(
        after_both.holdings.sort_index(), small.holdings.sort_index(), check_names=False
    )
    assert_allclose(after_both.cash_usd, small.cash_usd + fee_c + fee_r, atol=USD_ATOL)
    assert_allclose(
        after_both.nav(market, "bid"),
        small.nav(market, "bid") + (fee_c + fee_r) / small.shares_outstanding,
        rtol=1e-12,
    )


@pytest.mark.parametrize("kind", ["pro_rata", "custom", "cash"])
def test_creation_moves_nav_only_by_the_fee(market, ig, kind):
    units = 3
    if kind == "pro_rata":
        b = pro_rata_basket(ig, market, units=units)
    elif kind == "custom":
        b = custom_basket(ig, market, units=units, max_bonds=30)
    else:
        b = cash_basket(ig, market, units=units)
    fee = float(order_fee(ig, b, market)["total"])
    after = process_creation(ig, b, market, eligible=ig.holdings.index)
    assert after.shares_outstanding == ig.shares_outstanding + units * ig.creation_unit_size
    assert_allclose(
        after.nav(market, "bid"), ig.nav(market, "bid") + fee / after.shares_outstanding, rtol=1e-11
    )
    assert_allclose(after.cash_usd, ig.cash_usd + b.cash_usd() + fee, atol=USD_ATOL)
    # with no fees NAV does not move at all
    free = ig.replace(fees=CreationFees(0, 0, 0, 0))
    assert_allclose(
        process_creation(free, b, market).nav(market, "bid"), free.nav(market, "bid"), rtol=1e-12
    )


def test_redemption_reduces_holdings(market, ig):
    b = pro_rata_basket(ig, market, units=2, order="redeem")
    after = process_redemption(ig, b, market)
    assert after.shares_outstanding == ig.shares_outstanding - 200_000
    delta = ig.holdings.sub(after.holdings, fill_value=0.0)
    assert_allclose(delta.reindex(b.par.index).to_numpy(), b.par.to_numpy())


# ---------------------------------------------------------------------- band
@pytest.mark.parametrize("name", ["IG_BROAD", "HY", "IG_SHORT", "TREASURY"])
def test_band_signs_and_components(market, name):
    etf = market.etfs[name]
    band = arbitrage_band(etf, market)
    assert isinstance(band, ArbitrageBand)
    assert band.create_bp > 0 > band.redeem_bp
    c = band.components
    assert list(c.index) == list(COMPONENTS) and list(c.columns) == ["create", "redeem"]
    assert_allclose(c["create"].sum(), band.create_bp, atol=BP_ATOL)
    assert_allclose(c["redeem"].sum(), band.redeem_bp, atol=BP_ATOL)
    # every cost widens its side; the official NAV's bid side offsets the redemption
    # half-spread exactly
    costs = c.drop(index=["nav_bid_side", "basket_vs_nav"])
    assert (costs["create"] >= 0).all() and (costs["redeem"] <= 0).all()
    assert_allclose(c.loc["nav_bid_side", "redeem"], -c.loc["basket_half_spread", "redeem"])
    assert_allclose(c.loc["basket_vs_nav"].to_numpy(), 0.0, atol=1e-7)
    s = band.cost_table()
    assert_allclose(s.loc["threshold", "create_bp"], band.create_bp)
    assert_allclose(s.loc["threshold", "create_usd"], band.create_bp * 1e-4 * band.value_usd)


def test_public_contract(market, ig):
    band = etfcore.arbitrage_band(ig, market, regime="normal")
    assert band.create_bp > 0 and band.redeem_bp < 0
    assert isinstance(band.components, pd.DataFrame)


@pytest.mark.parametrize("name", ["IG_BROAD", "HY"])
def test_stress_band_is_wider_on_both_sides(market, name):
    etf = market.etfs[name]
    normal = arbitrage_band(etf, market, "normal")
    stress = arbitrage_band(etf, market, "stress")
    assert stress.create_bp > normal.create_bp
    assert stress.redeem_bp < normal.redeem_bp
    # the basket's bid-ask is several times wider in stress (Kargar et al. 2021: ~5x)
    ratio = (
        stress.components.loc["basket_half_spread", "create"]
        / normal.components.loc["basket_half_spread", "create"]
    )
    assert 3 < ratio < 7


def test_band_is_monotone_in_fees(market, ig):
    base = ig.fees
    bands = [
        arbitrage_band(ig.replace(fees=CreationFees(f, base.in_kind_bp, c, base.custom_bp)), market)
        for f, c in [(0.0, 0.0), (350.0, 15.0), (5_000.0, 15.0), (5_000.0, 50.0)]
    ]
    creates = [b.create_bp for b in bands]
    redeems = [b.redeem_bp for b in bands]
    assert np.all(np.diff(creates) > 0)
    assert np.all(np.diff(redeems) < 0)


def test_band_with_ap_costs_and_inventory(market, ig):
    plain = arbitrage_band(ig, market)
    costly = arbitrage_band(ig, market, ap=AuthorizedParticipant("X", cost_bp=3.0))
    assert_allclose(costly.create_bp - plain.create_bp, 3.0, atol=1e-9)
    assert_allclose(costly.redeem_bp - plain.redeem_bp, -3.0, atol=1e-9)
    basket = pro_rata_basket(ig, market)
    stocked = AuthorizedParticipant("Y", inventory=basket.par * 2)
    cheap = arbitrage_band(ig, market, ap=stocked)
    assert cheap.components.loc["basket_half_spread", "create"] == 0.0
    assert cheap.components.loc["basket_impact", "create"] == 0.0
    assert cheap.create_bp < plain.create_bp
    assert_allclose(cheap.redeem_bp, plain.redeem_bp)
    longer = arbitrage_band(ig, market, horizon_days=5)
    assert_allclose(
        longer.components.loc["balance_sheet", "create"],
        5 * plain.components.loc["balance_sheet", "create"],
    )


def test_band_with_custom_baskets(market, ig):
    custom = custom_basket(ig, market, max_bonds=30)
    band = arbitrage_band(ig, market, basket={"create": custom})
    assert band.basket_kind == {"create": "custom", "redeem": "pro_rata"}
    assert band.components.loc["variable_fee", "create"] > 0  # custom_bp
    plain = arbitrage_band(ig, market)
    assert (
        band.components.loc["basket_half_spread", "create"]
        < plain.components.loc["basket_half_spread", "create"]
    )


def test_band_outputs(market, ig):
    import matplotlib

    matplotlib.use("Agg")
    band = arbitrage_band(ig, market, units=2)
    assert band.units == 2 and band.shares == 200_000
    assert_allclose(band.create_price, band.nav_per_share * (1 + band.create_bp / 1e4))
    assert band.redeem_price < band.nav_per_share < band.create_price
    assert band.plot() is not None
    frame = band.to_frame()
    pd.testing.assert_frame_equal(frame, band.components)
    frame.iloc[0, 0] = 1e9  # a copy: the frozen band does not change
    assert band.components.iloc[0, 0] != 1e9
    mid = band.thresholds_vs_mid_bp()
    assert mid["create"] < band.create_bp and mid["redeem"] < band.redeem_bp
    assert "create above" in repr(band)


# ---------------------------------------------------------------------- AP agents
def test_no_action_inside_the_band(market, ig, aps):
    nav = ig.nav(market, "bid")
    after, actions = simulate_ap_day(ig, market, nav * (1 + 2e-4), aps)
    assert (actions["action"] == "none").all()
    assert after.shares_outstanding == ig.shares_outstanding
    assert len(actions) == len(aps)


def test_creation_up_to_capacity_in_whole_units(market, ig, aps):
    nav = ig.nav(market, "bid")
    after, actions = simulate_ap_day(ig, market, nav * (1 + 80e-4), aps)
    assert (actions["action"] == "create").all()
    unit_value = nav * ig.creation_unit_size
    for ap, row in zip(aps, actions.itertuples(), strict=True):
        assert isinstance(row.units, (int, np.integer)) and row.units >= 1
        assert row.shares == row.units * ig.creation_unit_size
        assert row.value_usd <= ap.capacity_usd_per_day + 0.01 * unit_value
        assert row.limited_by == "capacity"
        assert row.units == int(ap.capacity_usd_per_day // unit_value)
    created = int(actions["shares"].sum())
    assert after.shares_outstanding == ig.shares_outstanding + created


def test_redemption_fills_inventory_and_balance_sheet_binds(market, ig):
    nav = ig.nav(market, "bid")
    ap = AuthorizedParticipant("B", capacity_usd_per_day=1e9, balance_sheet_limit_usd=50e6)
    after, actions, (ap_after,) = simulate_ap_day(
        ig, market, nav * (1 - 60e-4), [ap], return_aps=True
    )
    row = actions.iloc[0]
    assert row["action"] == "redeem" and row["limited_by"] == "balance_sheet"
    assert row["units"] == int(50e6 // (nav * ig.creation_unit_size))
    assert ap_after.inventory.sum() > 0
    assert row["inventory_value_usd"] <= 50e6
    # its balance sheet is now full: it cannot redeem again
    _, again = simulate_ap_day(after, market, nav * (1 - 60e-4), [ap_after])
    assert again.iloc[0]["units"] == 0
    # but its inventory makes creating cheaper
    band_plain = arbitrage_band(after, market, ap=ap)
    band_stocked = arbitrage_band(after, market, ap=ap_after)
    assert band_stocked.create_bp < band_plain.create_bp


def test_stress_halves_capacity(market, ig):
    nav = ig.nav(market.with_regime("stress"), "bid")
    ap = AuthorizedParticipant("S", capacity_usd_per_day=100e6, stress_capacity_fraction=0.5)
    _, actions = simulate_ap_day(ig, market, nav * (1 - 300e-4), [ap], regime="stress")
    assert actions.iloc[0]["units"] == int(50e6 // (nav * ig.creation_unit_size))


def test_simulate_ap_days(market, ig, aps):
    regimes = ["normal"] * 3 + ["stress"] * 2 + ["normal"]
    sim = simulate_ap_days(ig, market, aps, n_days=6, regime=regimes, rng=11)
    again = simulate_ap_days(
        ig, market, aps, n_days=6, regime=regimes, rng=np.random.default_rng(11)
    )
    pd.testing.assert_frame_equal(sim.daily, again.daily)
    d = sim.daily
    assert len(d) == 6 and list(d["regime"]) == regimes
    net_units = (d["created_units"] - d["redeemed_units"]).sum()
    assert sim.etf.shares_outstanding == ig.shares_outstanding + net_units * ig.creation_unit_size
    inside = (d["premium_bp"] <= d["create_bp"]) & (d["premium_bp"] >= d["redeem_bp"])
    assert (d.loc[inside, "created_units"] + d.loc[inside, "redeemed_units"] == 0).all()
    assert sim.totals()["days"] == 6
    assert "days" in str(sim.summary())
    fixed = simulate_ap_days(ig, market, aps, premium_bp=[0.0, 1.0])
    assert fixed.daily["created_units"].sum() == 0 and fixed.daily["redeemed_units"].sum() == 0


def test_premium_path_is_seeded():
    assert_allclose(premium_path(5, rng=3), premium_path(5, rng=np.random.default_rng(3)))


# ---------------------------------------------------------------------- bad input
def test_fractional_units_are_refused(market, ig):
    with pytest.raises(InputError, match="whole number of creation units"):
        pro_rata_basket(ig, market, units=1.5)
    with pytest.raises(InputError, match="whole number of creation units"):
        arbitrage_band(ig, market, units=0)
    with pytest.raises(InputError, match="whole number of creation units"):
        Basket("IG_BROAD", 2.5, 100_000, "create", "custom", pd.Series({"A": 1000.0}))
    with pytest.raises(InputError, match="whole number of creation units"):
        custom_basket(ig, market, units=-1)


def test_bond_not_in_market(market, ig):
    with pytest.raises(InputError, match="not in the market"):
        basket_from_par(ig, market, pd.Series({"NOT_A_BOND": 1_000_000.0}))
    b = Basket("IG_BROAD", 1, 100_000, "create", "custom", pd.Series({"NOT_A_BOND": 1e6}))
    with pytest.raises(InputError, match="not in the market"):
        process_creation(ig, b, market)


def test_bond_outside_the_eligible_universe(market, ig):
    outside = market.bonds.ids.difference(ig.holdings.index)
    hy_bond = next(i for i in outside if market.bonds.attributes.loc[i, "grade"] == "HY")
    with pytest.raises(InputError, match="eligible universe"):
        basket_from_par(ig, market, pd.Series({hy_bond: 1_000_000.0}))
    b = Basket("IG_BROAD", 1, 100_000, "create", "custom", pd.Series({hy_bond: 1e6}))
    with pytest.raises(InputError, match="eligible universe"):
        process_creation(ig, b, market)
    with pytest.raises(InputError, match="eligible universe"):
        arbitrage_band(ig, market, basket={"create": b})
    # widening the universe lets it in
    process_creation(ig, b, market, eligible=ig.holdings.index.append(pd.Index([hy_bond])))


def test_redeeming_more_than_the_fund_holds(market, ig):
    bond = ig.holdings.index[0]
    b = Basket("IG_BROAD", 1, 100_000, "redeem", "custom", pd.Series({bond: ig.holdings[bond] * 2}))
    with pytest.raises(InputError, match="cannot deliver more par than it holds"):
        process_redemption(ig, b, market)


def test_wrong_side_and_wrong_fund(market, ig, small):
    b = pro_rata_basket(ig, market)
    with pytest.raises(InputError, match="cannot be processed as a redemption"):
        process_redemption(ig, b, market)
    with pytest.raises(InputError, match="cannot be processed as a creation"):
        process_creation(ig, b.as_order("redeem"), market)
    with pytest.raises(InputError, match="creation units of 100,000 shares"):
        process_creation(small, b, market)
    with pytest.raises(InputError, match="unknown order 'buy'"):
        pro_rata_basket(ig, market, order="buy")


def test_negative_par_is_refused():
    with pytest.raises(InputError, match="a negative par is not a delivery"):
        Basket("IG_BROAD", 1, 100_000, "create", "custom", pd.Series({"A": -1000.0}))


def test_negative_fees_and_capacities(market, ig):
    with pytest.raises(InputError, match="fixed_usd"):
        CreationFees(fixed_usd=-1.0)
    with pytest.raises(InputError, match="cash_bp"):
        ig.replace(fees=CreationFees(cash_bp=-5.0))
    with pytest.raises(InputError, match="capacity_usd_per_day"):
        AuthorizedParticipant("X", capacity_usd_per_day=-1e6)
    with pytest.raises(InputError, match="balance_sheet_limit_usd"):
        AuthorizedParticipant("X", balance_sheet_limit_usd=-1.0)
    with pytest.raises(InputError, match="cost_bp"):
        AuthorizedParticipant("X", cost_bp=-1.0)
    with pytest.raises(InputError, match="inventory par must be finite and >= 0"):
        AuthorizedParticipant("X", inventory=pd.Series({"A": -5.0}))


def test_unknown_regime(market, ig, aps):
    with pytest.raises(InputError, match="unknown regime 'panic'"):
        arbitrage_band(ig, market, regime="panic")
    with pytest.raises(InputError, match="unknown regime"):
        custom_basket(ig, market, regime="calm")
    with pytest.raises(InputError, match="unknown regime"):
        simulate_ap_day(ig, market, 100.0, aps, regime="crash")
    with pytest.raises(InputError, match="unknown regime"):
        simulate_ap_days(ig, market, aps, n_days=2, regime=["normal", "meltdown"])


def test_max_bonds_below_one(market, ig):
    with pytest.raises(InputError, match="max_bonds: K must be a whole number of bonds >= 1"):
        custom_basket(ig, market, max_bonds=0)
    with pytest.raises(InputError, match="max_bonds"):
        custom_basket(ig, market, max_bonds=2.5)
    with pytest.raises(InputError, match="max_weight"):
        custom_basket(ig, market, max_bonds=10, max_weight=0.05)


def test_other_bad_input(market, ig, aps):
    with pytest.raises(InputError, match="prefer: unknown preference"):
        custom_basket(ig, market, prefer="cheap first")
    with pytest.raises(InputError, match="horizon_days"):
        arbitrage_band(ig, market, horizon_days=-1)
    with pytest.raises(InputError, match="etf_price"):
        simulate_ap_day(ig, market, -5.0, aps)
    with pytest.raises(InputError, match="names must be unique"):
        simulate_ap_day(ig, market, 100.0, [aps[0], aps[0]])
    with pytest.raises(InputError, match="would leave"):
        pro_rata_basket(ig, market, units=10_000, order="redeem")
