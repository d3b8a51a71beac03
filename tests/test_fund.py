"""The fund: NAV on three sides, its invariants, income and distributions, bad input.

Reference values: a fund's NAV is checked against a direct per-bond sum over
``etfcore.price_bonds`` (the bond layer, itself checked against QuantLib in
``test_pricing_quantlib.py``); everything else is an invariant of the accounting.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import etfcore
from etfcore import BondSet, InputError, ZeroCurve, price_bonds, random_shocks
from etfcore.fund import (
    ETF,
    CreationFees,
    MarketState,
    collect_income,
    coupon_income,
    declare_distribution,
    pay_distribution,
)
from etfcore.liquidity import DEFAULT_BOND_MODEL
from etfcore.market.synthetic import synthetic_universe

NAV_TOL = 1e-8  # USD per share, against a direct per-bond calculation
REL_TOL = 1e-12  # relative, for identities that are exact up to rounding


@functools.cache
def market() -> MarketState:
    u = synthetic_universe(0, n_ig=1500, n_hy=500)
    return MarketState(u.bonds, u.curve, u.z_spread, u.settlement, DEFAULT_BOND_MODEL)


def make_fund(n: int = 300, seed: int = 0, name: str = "TEST", **kwargs) -> ETF:
    m = market()
    rng = np.random.default_rng(seed)
    ids = rng.choice(m.bonds.ids.to_numpy(), size=n, replace=False)
    par = rng.uniform(1e6, 2e7, n).round(-3)
    nav_guess = par.sum() * 1.0
    defaults = dict(
        shares_outstanding=nav_guess / 100.0,
        cash_usd=0.004 * nav_guess,
        receivables_usd=0.002 * nav_guess,
        liabilities_usd=0.003 * nav_guess,
        accrued_expenses_usd=0.0001 * nav_guess,
    )
    defaults.update(kwargs)
    return ETF(name, pd.Series(par, index=ids), **defaults)


@functools.cache
def fund() -> ETF:
    return make_fund()


# --------------------------------------------------------------------------- linearity
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.floats(0.01, 100.0), seed=st.integers(0, 10_000))
def test_nav_per_share_unchanged_when_everything_scales(k, seed):
    m = market()
    etf = make_fund(80, seed)
    scaled = etf.replace(
        holdings=etf.holdings * k,
        shares_outstanding=etf.shares_outstanding * k,
        cash_usd=etf.cash_usd * k,
        receivables_usd=etf.receivables_usd * k,
        liabilities_usd=etf.liabilities_usd * k,
        accrued_expenses_usd=etf.accrued_expenses_usd * k,
    )
    np.testing.assert_allclose(scaled.navs(m), etf.navs(m), rtol=REL_TOL)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed_a=st.integers(0, 10_000), seed_b=st.integers(0, 10_000))
def test_net_assets_add_when_funds_are_merged(seed_a, seed_b):
    m = market()
    a = make_fund(60, seed_a, "A")
    b = make_fund(90, seed_b, "B", cash_usd=-1e5)
    merged = ETF(
        "A+B",
        a.holdings.add(b.holdings, fill_value=0.0),
        shares_outstanding=a.shares_outstanding + b.shares_outstanding,
        cash_usd=a.cash_usd + b.cash_usd,
        receivables_usd=a.receivables_usd + b.receivables_usd,
        liabilities_usd=a.liabilities_usd + b.liabilities_usd,
        accrued_expenses_usd=a.accrued_expenses_usd + b.accrued_expenses_usd,
    )
    for side in ("bid", "mid", "ask"):
        np.testing.assert_allclose(
            merged.net_assets_usd(m, side),
            a.net_assets_usd(m, side) + b.net_assets_usd(m, side),
            rtol=REL_TOL,
        )


def test_bid_mid_ask_are_ordered_and_widen_in_stress():
    m = market()
    etf = fund()
    normal = etf.navs(m)
    stress = etf.navs(m.with_regime("stress"))
    assert normal["bid"] < normal["mid"] < normal["ask"]
    assert stress["bid"] < stress["mid"] < stress["ask"]
    np.testing.assert_allclose(stress["mid"], normal["mid"], rtol=REL_TOL)
    assert stress["ask"] - stress["bid"] > 2 * (normal["ask"] - normal["bid"])
    np.testing.assert_allclose(etf.official_nav(m), normal["bid"], rtol=REL_TOL)


# --------------------------------------------------------------------------- breakdown
def test_breakdown_adds_up_and_matches_per_bond_prices():
    m = market()
    etf = fund()
    frame = etf.nav_breakdown(m).to_frame()
    parts = frame.drop(index=["net_assets_usd", "shares_outstanding", "nav_per_share"])
    np.testing.assert_allclose(parts.sum(), frame.loc["net_assets_usd"], rtol=REL_TOL)
    bonds = etf.bonds(m)
    prices = price_bonds(bonds, m.curve, m.settlement, spread=m.z_spread.reindex(bonds.ids))
    h = m.half_spread_bp(bonds).to_numpy() * 1e-4
    par = etf.holdings.reindex(bonds.ids).to_numpy()
    clean = prices["clean_price"].to_numpy()
    acc = prices["accrued_interest"].to_numpy()
    other = etf.cash_usd + etf.receivables_usd - etf.liabilities_usd - etf.accrued_expenses_usd
    for side, sign in (("bid", -1.0), ("mid", 0.0), ("ask", 1.0)):
        bond_value = np.sum(par * (clean * (1 + sign * h) + acc) / 100.0)
        expected = (bond_value + other) / etf.shares_outstanding
        assert abs(frame.loc["nav_per_share", side] - expected) < NAV_TOL
        assert abs(etf.nav(m, side) - expected) < NAV_TOL
        np.testing.assert_allclose(
            frame.loc["accrued_interest_usd", side], np.sum(par * acc / 100.0), rtol=1e-12
        )
    assert "NAV bid" in repr(etf.nav_breakdown(m))
    assert "nav_per_share" in str(etf.nav_breakdown(m).summary())


def test_nav_scenarios_equal_a_loop_over_curves():
    m = market()
    etf = fund()
    scen = random_shocks(m.curve, 25, rng=np.random.default_rng(7))
    for side in ("bid", "mid", "ask"):
        many = etf.nav_scenarios(m, scen, side)
        loop = [etf.nav(m.with_curve(c), side) for c in scen]
        np.testing.assert_allclose(many.to_numpy(), loop, rtol=1e-12)
        assert list(many.index) == list(scen.names)


def test_curve_move_reuses_the_ladder_and_a_spread_move_does_not():
    m = market()
    etf = make_fund(50, 3)
    ladder = etf._ladder(m)[1]
    assert etf._ladder(m.with_curve(m.curve.shift(5.0)))[1] is ladder
    assert etf._ladder(m.with_regime(m.regime))[1] is ladder
    moved = m.with_spread_shift(10.0)
    assert etf._ladder(moved)[1] is not ladder
    assert etf.nav(moved) < etf.nav(m)


# --------------------------------------------------------------------------- accruals
def test_expense_accrual_is_expense_ratio_times_days():
    m = market()
    etf = fund()
    later = etf.accrue_expenses(m, days=7)
    expected = etf.net_assets_usd(m, "mid") * etf.expense_ratio * 7 / 365.0
    np.testing.assert_allclose(
        later.accrued_expenses_usd - etf.accrued_expenses_usd, expected, rtol=REL_TOL
    )
    np.testing.assert_allclose(
        etf.nav(m) - later.nav(m), expected / etf.shares_outstanding, rtol=1e-9
    )


def test_ex_date_drop_equals_the_distribution_and_payment_leaves_nav():
    m = market()
    etf = fund()
    ex = declare_distribution(etf, 0.37)
    for side in ("bid", "mid", "ask"):
        np.testing.assert_allclose(etf.nav(m, side) - ex.nav(m, side), 0.37, rtol=1e-10)
    np.testing.assert_allclose(ex.distributions_payable_usd, 0.37 * etf.shares_outstanding)
    paid = pay_distribution(ex)
    np.testing.assert_allclose(paid.navs(m), ex.navs(m), rtol=REL_TOL)
    np.testing.assert_allclose(ex.cash_usd - paid.cash_usd, 0.37 * etf.shares_outstanding)
    np.testing.assert_allclose(paid.liabilities_usd, etf.liabilities_usd)
    assert paid.distributions_payable_usd == 0.0
    with pytest.raises(InputError, match="no distribution is payable"):
        pay_distribution(paid)


# --------------------------------------------------------------------------- income
@functools.cache
def small_market() -> MarketState:
    """Four hand-made bonds: a 5% semiannual, a zero, a bond redeeming soon, a matured one."""
    frame = pd.DataFrame(
        {
            "id": ["SEMI", "ZERO", "SOON", "GONE"],
            "coupon_rate": [0.05, 0.0, 0.04, 0.03],
            "maturity_date": ["2030-06-15", "2026-03-31", "2026-03-01", "2025-12-01"],
            "frequency": [2, 0, 2, 2],
            "issue_date": ["2020-06-15", "2024-03-31", "2021-03-01", "2020-12-01"],
        }
    )
    bonds = BondSet.from_frame(frame)
    curve = ZeroCurve("2026-01-15", [0.5, 2, 10], [0.042, 0.040, 0.045])
    spread = pd.Series([0.008, 0.002, 0.005, 0.004], index=bonds.ids)
    return MarketState(bonds, curve, spread, "2026-01-16", DEFAULT_BOND_MODEL)


class FlatLiquidity:
    def half_spread_bp(self, bonds, regime="normal", scores=None):
        return pd.Series(4.0 if regime == "normal" else 20.0, index=bonds.ids)


def test_coupon_income_counts_coupons_and_redemptions_in_the_window():
    base = small_market()
    m = MarketState(base.bonds, base.curve, base.z_spread, base.settlement, FlatLiquidity())
    etf = ETF("INC", pd.Series({"SEMI": 2e6, "ZERO": 1e6, "SOON": 3e6}), 1e5)
    income = coupon_income(etf, m, "2026-01-16", "2026-06-30")
    # SEMI pays 2.5% on 15 Jun; ZERO redeems at 100; SOON pays its last coupon (30/360:
    # 1 Sep to 1 Mar is exactly half a year) and redeems
    np.testing.assert_allclose(income["SEMI"], 2e6 * 0.025)
    np.testing.assert_allclose(income["ZERO"], 1e6)
    np.testing.assert_allclose(income["SOON"], 3e6 * 1.02)
    np.testing.assert_allclose(income.attrs["redemption_usd"]["SOON"], 3e6)
    np.testing.assert_allclose(income.attrs["coupon_usd"]["ZERO"], 0.0)
    empty = coupon_income(etf, m, "2026-01-16", "2026-01-20")
    assert (empty == 0).all()
    collected = collect_income(etf, m, "2026-01-16", "2026-06-30")
    assert list(collected.holdings.index) == ["SEMI"]
    np.testing.assert_allclose(collected.cash_usd, income.sum())


def test_collected_income_moves_value_from_bonds_to_cash():
    m = market()
    etf = fund()
    end = m.settlement + 45
    # holdings that redeem in the window drop out of both funds being compared
    survivors = etf.holdings[etf.bonds(m).maturity > end + 1]
    etf = etf.replace(holdings=survivors)
    income = coupon_income(etf, m, m.settlement, end)
    assert income.sum() > 0
    collected = collect_income(etf, m, m.settlement, end)
    later = MarketState(m.bonds, m.curve, m.z_spread, end + 1, m.liquidity)
    for side in ("bid", "mid", "ask"):
        np.testing.assert_allclose(
            collected.net_assets_usd(later, side) - etf.net_assets_usd(later, side),
            income.sum(),
            rtol=1e-12,
        )


# --------------------------------------------------------------------------- bad input
def _etf(**kwargs):
    args = dict(name="BAD", holdings=pd.Series({"SEMI": 1e6}), shares_outstanding=1e4)
    args.update(kwargs)
    return ETF(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(holdings=pd.Series({"SEMI": -1e6})), r"holdings must be finite par amounts >= 0"),
        (dict(holdings=pd.Series({"SEMI": np.nan})), r"SEMI: (np.float64\()?nan"),
        (dict(holdings=pd.Series([1e6, 2e6], index=["SEMI", "SEMI"])), r"list bonds twice"),
        (dict(holdings={"SEMI": 1e6}), r"holdings must be a pandas Series"),
        (dict(shares_outstanding=-5.0), r"shares_outstanding: -5.0 must be a finite number >= 0"),
        (dict(shares_outstanding=0), r"needs shares outstanding > 0"),
        (dict(creation_unit_size=50_000.5), r"creation_unit_size 50000.5 must be a positive whole"),
        (dict(creation_unit_size=0), r"creation_unit_size 0 must be a positive whole"),
        (dict(liabilities_usd=-1.0), r"liabilities_usd: -1.0 must be a finite number >= 0"),
        (dict(expense_ratio=-0.001), r"expense_ratio"),
        (dict(cash_usd=np.inf), r"cash_usd inf is not finite"),
        (dict(fees="cheap"), r"fees must be a CreationFees"),
        (
            dict(liabilities_usd=1.0, distributions_payable_usd=2.0),
            r"distributions_payable_usd 2.0 exceeds liabilities_usd",
        ),
    ],
)
def test_etf_rejects_bad_fields(kwargs, match):
    with pytest.raises(InputError, match=match):
        _etf(**kwargs)


@pytest.mark.parametrize("field", ["fixed_usd", "in_kind_bp", "cash_bp", "custom_bp"])
def test_negative_fees_are_rejected(field):
    with pytest.raises(InputError, match=rf"{field}: -1.0 must be a finite number >= 0"):
        CreationFees(**{field: -1.0})


def test_holdings_referencing_unknown_bonds():
    etf = _etf(holdings=pd.Series({"SEMI": 1e6, "NOPE1": 1e6, "NOPE2": 5.0}))
    with pytest.raises(
        InputError,
        match=r"2 holding\(s\) reference bonds the market does not "
        r"have: \['NOPE1', 'NOPE2'\]",
    ):
        etf.nav(small_market())


def test_matured_holdings_are_rejected():
    etf = _etf(holdings=pd.Series({"SEMI": 1e6, "GONE": 1e6}))
    with pytest.raises(
        InputError,
        match=r"1 holding\(s\) pay nothing after settlement "
        r"2026-01-16: \['GONE'\]",
    ):
        etf.nav(small_market())
    with pytest.raises(InputError, match=r"paid everything on or before start"):
        coupon_income(etf, small_market(), "2026-01-16", "2026-02-16")


def test_unknown_side_and_regime():
    m = small_market()
    etf = _etf()
    with pytest.raises(InputError, match=r"quote_side: unknown quote side 'offer'"):
        etf.nav(m, "offer")
    with pytest.raises(InputError, match=r"unknown regime 'panic'"):
        m.with_regime("panic")
    with pytest.raises(InputError, match=r"regime: unknown regime 'calm'"):
        MarketState(m.bonds, m.curve, m.z_spread, m.settlement, m.liquidity, regime="calm")
    with pytest.raises(InputError, match=r"unknown regime 'x'"):
        m.half_spread_bp(regime="x")


def test_market_state_rejects_bad_inputs():
    m = small_market()
    with pytest.raises(InputError, match=r"bonds: expected a BondSet, got DataFrame"):
        MarketState(m.bonds.to_frame(), m.curve, m.z_spread, m.settlement, m.liquidity)
    with pytest.raises(InputError, match=r"curve: expected a ZeroCurve .*, got float"):
        MarketState(m.bonds, 0.04, m.z_spread, m.settlement, m.liquidity)
    with pytest.raises(InputError, match=r"z_spread: expected a pandas Series"):
        MarketState(m.bonds, m.curve, m.z_spread.to_dict(), m.settlement, m.liquidity)
    with pytest.raises(InputError, match=r"z_spread: no spread for 1 bond\(s\), e.g. \['GONE'\]"):
        MarketState(m.bonds, m.curve, m.z_spread.drop("GONE"), m.settlement, m.liquidity)
    bad = m.z_spread.copy()
    bad["ZERO"] = np.nan
    with pytest.raises(InputError, match=r"z_spread: bond ZERO has nan, which must be a finite"):
        MarketState(m.bonds, m.curve, bad, m.settlement, m.liquidity)


def test_other_bad_calls():
    m = market()
    etf = fund()
    with pytest.raises(InputError, match=r"price: -1.0 must be a finite number >= 0"):
        etf.premium_bp(-1.0, m)
    with pytest.raises(InputError, match=r"days: -2.0 must be a finite number >= 0"):
        etf.accrue_expenses(m, days=-2)
    with pytest.raises(InputError, match=r"scenarios: expected a CurveScenarios"):
        etf.nav_scenarios(m, m.curve)
    with pytest.raises(InputError, match=r"per_share: -0.1 must be a finite number >= 0"):
        declare_distribution(etf, -0.1)
    with pytest.raises(InputError, match=r"per_share: 'a lot' is not a number"):
        declare_distribution(etf, "a lot")
    with pytest.raises(InputError, match=r"end: 2026-01-01 is before start"):
        coupon_income(etf, m, m.settlement, "2026-01-01")


def test_synthetic_market_contract():
    market_module = etfcore.market
    if not hasattr(market_module, "synthetic_market"):
        pytest.skip("etfcore.market.synthetic_market is not there yet")
    sm = market_module.synthetic_market(seed=0)
    etf = sm.etfs["IG_BROAD"]
    navs = etf.navs(sm)
    assert navs["bid"] <= navs["mid"] <= navs["ask"]
    assert isinstance(etf.nav(sm, quote_side="mid"), float)
    assert etf.nav_breakdown(sm).nav_per_share["mid"] == pytest.approx(navs["mid"], rel=1e-12)


def test_fund_flows_are_the_rows_of_the_market_flows():
    """A fund's flows sliced from the market's equal the ones built for its own bonds."""
    from etfcore.fund.etf import _fund_flows
    from etfcore.market import synthetic_market

    m = synthetic_market(0)
    for market in (m, m.with_spread_shift(25.0)):
        for etf in m.etfs.values():
            bonds = etf.bonds(market)
            cf = bonds.cashflows(market.settlement)
            spread = market.z_spread.reindex(bonds.ids).to_numpy(dtype=float)
            want = (
                cf.offsets,
                cf.spread_weighted_amounts(spread),
                cf.day_index,
                cf.unique_days,
                cf.accrued,
            )
            names = ("offsets", "amounts", "day_index", "unique_days", "accrued")
            got = _fund_flows(etf, market, bonds)
            for name, a, b in zip(names, got, want, strict=True):
                assert a.dtype == b.dtype
                np.testing.assert_array_equal(a, b, err_msg=f"{etf.name}: {name}")
