"""The fund layer's public API: fund risk, renamed keywords, bad input, results objects.

Reference values: fund risk against a direct market-value-weighted sum over
``etfcore.price_bonds`` and ``etfcore.key_rate_durations`` (the bond layer, checked
against QuantLib in ``test_pricing_quantlib.py``); the rest are API contracts.
"""

from __future__ import annotations

import functools

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from statsmodels.iolib.summary2 import Summary  # noqa: E402

from etfcore import InputError, key_rate_durations, price_bonds  # noqa: E402
from etfcore.errors import EtfcoreDeprecationWarning  # noqa: E402
from etfcore.fund import (  # noqa: E402
    ETF,
    QUOTE_SIDES,
    SIDES,
    CreationFees,
    INavModel,
    check_side,
    fund_risk,
    inav_path,
)
from etfcore.fund.risk import BOND_COLUMNS, EXPOSURE_COLUMNS  # noqa: E402
from etfcore.market import synthetic_market  # noqa: E402

REL_TOL = 1e-12


@functools.cache
def setup():
    m = synthetic_market(seed=0)
    return m, m.etfs["IG_SHORT"]


# --------------------------------------------------------------------------- fund risk
def test_fund_risk_matches_a_direct_weighted_sum():
    m, etf = setup()
    r = fund_risk(etf, m)
    bonds = etf.bonds(m)
    spread = m.z_spread.reindex(bonds.ids)
    res = price_bonds(bonds, m.curve, m.settlement, spread=spread)
    krd = key_rate_durations(bonds, m.curve, m.settlement, spread=spread)
    par = etf.holdings.reindex(bonds.ids).to_numpy()
    mv = par * res["dirty_price"].to_numpy() / 100.0
    w = mv / mv.sum()
    t = r.totals
    np.testing.assert_allclose(t["market_value_usd"], mv.sum(), rtol=REL_TOL)
    np.testing.assert_allclose(t["modified_duration"], w @ res["modified_duration"], rtol=REL_TOL)
    np.testing.assert_allclose(t["spread_duration"], w @ res["spread_duration"], rtol=REL_TOL)
    np.testing.assert_allclose(t["dv01_usd"], (par * res["dv01"] / 100.0).sum(), rtol=REL_TOL)
    np.testing.assert_allclose(r.key_rate_durations.to_numpy(), w @ krd.to_numpy(), rtol=1e-10)
    table = r.to_frame()
    assert list(table.columns[: len(BOND_COLUMNS)]) == list(BOND_COLUMNS)
    assert [c for c in table.columns if c.startswith("krd_")] == [
        f"krd_{t:g}y" for t in krd.columns
    ]
    for exposure in (r.sector_exposure, r.rating_exposure):
        assert list(exposure.columns) == list(EXPOSURE_COLUMNS)
        np.testing.assert_allclose(exposure["weight"].sum(), 1.0, rtol=REL_TOL)
        np.testing.assert_allclose(exposure["dv01_usd"].sum(), t["dv01_usd"], rtol=1e-10)
    assert isinstance(r.summary(), Summary)


def test_holdings_frame_is_the_fund_risk_table():
    m, etf = setup()
    hf = etf.holdings_frame(m)
    pd.testing.assert_frame_equal(hf, fund_risk(etf, m).to_frame())
    # the old columns are all still there
    for col in (
        "par_usd",
        "clean_price",
        "accrued_interest",
        "market_value_usd",
        "weight",
        "half_spread_bp",
        "modified_duration",
        "spread_duration",
        "yield_to_maturity",
        "z_spread",
        "issuer",
        "sector",
        "rating",
    ):
        assert col in hf


def test_fund_risk_hands_out_copies():
    m, etf = setup()
    r = fund_risk(etf, m)
    for frame in (r.by_bond, r.to_frame(), r.sector_exposure, r.rating_exposure):
        frame.iloc[0, 1] = -999.0
    t = r.totals
    t.iloc[0] = -1.0
    assert r.by_bond.iloc[0, 1] != -999.0 and r.totals.iloc[0] != -1.0


def test_fund_risk_bad_input():
    m, etf = setup()
    with pytest.raises(InputError, match=r"etf: expected an ETF, got str"):
        fund_risk("LQD", m)
    with pytest.raises(InputError, match=r"market: expected a MarketState .*, got NoneType"):
        fund_risk(etf, None)


def test_cli_demo_uses_fund_risk(capsys):
    from etfcore.cli import main

    assert main(["demo", "--etf", "IG_SHORT"]) == 0
    out = capsys.readouterr().out
    m, etf = setup()
    t = fund_risk(etf, m).totals
    assert f"{t['modified_duration']:.2f} years" in out
    assert "official NAV = bid" in out


# --------------------------------------------------------------------------- renames
@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("nav", ()),
        ("bond_value_usd", ()),
        ("net_assets_usd", ()),
        ("premium_bp", (100.0,)),
    ],
)
def test_side_keyword_still_works_with_a_warning(method, args):
    m, etf = setup()
    fn = getattr(etf, method)
    call_args = (*args, m) if method == "premium_bp" else (m,)
    with pytest.warns(EtfcoreDeprecationWarning, match=r"'side=' is deprecated; use 'quote_side='"):
        old = fn(*call_args, side="ask")
    assert old == fn(*call_args, quote_side="ask")


def test_side_and_quote_side_give_the_same_numbers():
    m, etf = setup()
    scen = m.curve.parallel_shocks([5.0, -5.0])
    with pytest.warns(EtfcoreDeprecationWarning):
        assert etf.nav(m, side="ask") == etf.nav(m, quote_side="ask")
    with pytest.warns(EtfcoreDeprecationWarning):
        pd.testing.assert_series_equal(
            etf.nav_scenarios(m, scen, side="bid"), etf.nav_scenarios(m, scen, quote_side="bid")
        )
    with pytest.warns(EtfcoreDeprecationWarning):
        old = inav_path(etf, m, scen, side="mid")
    new = inav_path(etf, m, scen, quote_side="mid")
    pd.testing.assert_frame_equal(old.to_frame(), new.to_frame())
    with pytest.warns(EtfcoreDeprecationWarning):
        assert old.side == "mid"
    model = INavModel(etf, m)
    state = model.initial_state()
    with pytest.warns(EtfcoreDeprecationWarning):
        assert state.nav("true", side="ask") == state.nav("true", quote_side="ask")
    with pytest.raises(InputError, match=r"got both 'side' \(deprecated\) and 'quote_side'"):
        etf.nav(m, side="bid", quote_side="bid")


def test_old_side_names_are_aliases():
    assert SIDES is QUOTE_SIDES
    assert [check_side(s) for s in QUOTE_SIDES] == [0, 1, 2]
    with pytest.raises(InputError, match=r"quote_side: unknown quote side 'offer'"):
        check_side("offer")


def test_results_index_is_named_quote_side():
    m, etf = setup()
    assert etf.navs(m).index.name == "quote_side"
    assert etf.nav_breakdown(m).to_frame().columns.name == "quote_side"
    assert INavModel(etf, m).initial_state().true_nav.index.name == "quote_side"


def test_official_nav_is_bid_and_nav_defaults_to_mid():
    m, etf = setup()
    assert etf.official_nav(m) == etf.nav(m, "bid")
    assert etf.nav(m) == etf.nav(m, "mid")
    assert "official" in ETF.nav.__doc__.splitlines()[0]


# --------------------------------------------------------------------------- bad input
def _etf(**kwargs):
    args = dict(name="BAD", holdings=pd.Series({"A": 1e6}), shares_outstanding=1e4)
    args.update(kwargs)
    return ETF(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(expense_ratio=14), r"expense_ratio: 14.0 looks like a percentage or basis points"),
        (dict(expense_ratio=0.14), r"expense_ratio: 0.14 looks like a percentage"),
        (dict(holdings=pd.Series({"A": 1e308})), r"holdings above 1e\+12 USD of par"),
        (dict(cash_usd=1e308), r"cash_usd 1e\+308 is larger than 1e\+13"),
        (dict(shares_outstanding=1e300), r"shares_outstanding: 1e\+300 is larger than"),
        (dict(liabilities_usd=1e200), r"liabilities_usd: 1e\+200 is larger than"),
        (dict(cash_usd="lots"), r"cash_usd 'lots' is not a number"),
        (dict(creation_unit_size="big"), r"creation_unit_size 'big' must be a positive whole"),
        (dict(name=""), r"name: expected a non-empty str"),
    ],
)
def test_etf_rejects_unit_errors_and_absurd_amounts(kwargs, match):
    with pytest.raises(InputError, match=match):
        _etf(**kwargs)


def test_expense_ratio_as_a_decimal_is_accepted():
    assert _etf(expense_ratio=0.0014).expense_ratio == 0.0014


def test_creation_fees_in_percent_are_rejected():
    with pytest.raises(InputError, match=r"cash_bp: 5000.0 bp is more than 10% of the order"):
        CreationFees(cash_bp=5000.0)


@pytest.mark.parametrize("bad", [None, "market", 3.0])
def test_nav_of_something_that_is_not_a_market(bad):
    m, etf = setup()
    with pytest.raises(InputError, match=r"market: expected a MarketState"):
        etf.nav(bad)
    with pytest.raises(InputError, match=r"market: expected a MarketState"):
        etf.navs(bad)
    with pytest.raises(InputError, match=r"market: expected a MarketState"):
        etf.nav_breakdown(bad)


def test_nav_is_finite_for_large_but_valid_holdings():
    m, etf = setup()
    big = etf.replace(holdings=etf.holdings * 10.0)
    assert np.isfinite(big.navs(m)).all()


# --------------------------------------------------------------------------- results
def test_results_hand_out_copies():
    m, etf = setup()
    bd = etf.nav_breakdown(m)
    for frame in (bd.to_frame(), bd.frame):
        frame.iloc[0, 0] = -1.0
    nav = bd.nav_per_share
    nav.iloc[0] = -1.0
    assert bd.to_frame().iloc[0, 0] != -1.0 and bd.nav_per_share.iloc[0] != -1.0
    res = inav_path(etf, m, m.curve.parallel_shocks([0.0, 10.0]))
    for series in (res.true_nav, res.stale_nav, res.fair_value_nav):
        series.iloc[0] = -1.0
    gap, buckets = res.bucket_staleness, res.buckets
    gap.iloc[0, 0] = -1.0
    buckets.iloc[0, 0] = -1
    assert (res.true_nav > 0).all() and (res.stale_nav > 0).all()
    assert res.bucket_staleness.iloc[0, 0] != -1.0 and res.buckets.iloc[0, 0] != -1
    model = INavModel(etf, m)
    buckets, adjustment = model.buckets, model.adjustment
    buckets.iloc[0, 0] = -1
    adjustment.iloc[0] = -1.0
    assert model.buckets.iloc[0, 0] != -1 and model.adjustment.iloc[0] != -1.0
    state = model.initial_state()
    with pytest.raises(ValueError, match="read-only"):
        state.true_value[0] = 0.0


def test_every_summary_is_a_statsmodels_summary():
    m, etf = setup()
    res = inav_path(etf, m, m.curve.parallel_shocks([0.0, 10.0]))
    model = INavModel(etf, m)
    for s in (
        etf.summary(m),
        m.summary(),
        etf.nav_breakdown(m).summary(),
        res.summary(),
        model.summary(),
        model.initial_state().summary(),
        fund_risk(etf, m).summary(),
    ):
        assert isinstance(s, Summary)
        text = str(s)
        assert "np.float64" not in text and "e+0" not in text and "-0.00 " not in text


def test_short_reprs():
    m, etf = setup()
    assert repr(etf).startswith("ETF('IG_SHORT': ")
    assert len(repr(etf)) < 120
    assert repr(fund_risk(etf, m)).startswith("FundRisk(IG_SHORT: ")
    assert repr(etf.nav_breakdown(m)).startswith("NavBreakdown(IG_SHORT: NAV bid ")


def test_curves_dated_after_settlement_are_rejected_everywhere():
    from etfcore import ZeroCurve

    m, etf = setup()
    late = ZeroCurve(m.settlement + 5, m.curve.tenors, m.curve.zero_rates)
    with pytest.raises(InputError, match=r"scenarios: settlement 2026-01-16 is before the curve"):
        etf.nav_scenarios(m, late.parallel_shocks([0.0]))
    model = INavModel(etf, m)
    with pytest.raises(InputError, match=r"curve_path: settlement 2026-01-16 is before"):
        model.path(late.parallel_shocks([0.0, 1.0]))
    with pytest.raises(InputError, match=r"curve_path: item 1: settlement 2026-01-16 is before"):
        model.path([m.curve, late])
    with pytest.raises(InputError, match=r"curve: settlement 2026-01-16 is before"):
        model.update(model.initial_state(), late)
