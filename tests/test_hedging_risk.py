"""Basket risk (etfcore.hedging.risk): consistency with the fund layer, linearity, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.bonds.pricing import price_bonds
from etfcore.errors import InputError
from etfcore.fund.risk import fund_risk
from etfcore.hedging import BasketRisk, basket_risk, etf_risk_per_share
from etfcore.market import synthetic_market

#: Relative tolerance of sums that should agree up to floating-point reordering.
SUM_RTOL = 1e-10
#: Relative tolerance of a central finite difference against an analytic CS01 (1 bp bump).
BUMP_RTOL = 1e-5


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


def _positions(ids, par):
    return pd.DataFrame({"id": list(ids), "par": par})


def test_basket_of_fund_holdings_matches_fund_risk(market):
    etf = market.etfs["IG_INTERMEDIATE"]
    r = basket_risk(_positions(etf.holdings.index, etf.holdings.to_numpy()), market)
    totals = fund_risk(etf, market).totals
    assert isinstance(r, BasketRisk)
    assert_allclose(r.dv01_usd, totals["dv01_usd"], rtol=SUM_RTOL)
    assert_allclose(r.cs01_usd, totals["cs01_usd"], rtol=SUM_RTOL)
    assert_allclose(r.market_value_usd, totals["market_value_usd"], rtol=SUM_RTOL)
    krd = fund_risk(etf, market).key_rate_durations
    assert_allclose(
        r.key_rate_dv01.to_numpy(), krd.to_numpy() * r.market_value_usd * 1e-4, rtol=1e-9
    )
    assert r.n_lines == len(etf.holdings)


def test_cs01_against_a_z_spread_bump(market):
    """CS01 of a line vs a central difference of price_bonds with the z-spread bumped 1 bp."""
    ids = market.etfs["HY"].holdings.index[:5]
    par = np.array([1e6, -2e6, 3e6, 5e5, 1e7])
    r = basket_risk(_positions(ids, par), market)
    bonds = market.bonds.select(ids)
    z = market.z_spread.reindex(ids)
    up = price_bonds(bonds, market.curve, market.settlement, spread=z + 1e-4)["dirty_price"]
    dn = price_bonds(bonds, market.curve, market.settlement, spread=z - 1e-4)["dirty_price"]
    fd = -(up.to_numpy() - dn.to_numpy()) / 2.0 * par / 100.0
    assert_allclose(r.to_frame()["cs01_usd"].to_numpy(), fd, rtol=BUMP_RTOL)


def test_linear_in_positions_and_signs(market):
    ids = market.etfs["IG_SHORT"].holdings.index[:30]
    one = basket_risk(_positions(ids, 1e6), market)
    two = basket_risk(_positions(ids, 2e6), market)
    short = basket_risk(_positions(ids, -1e6), market)
    for attr in ("dv01_usd", "cs01_usd", "credit_cs01_usd", "market_value_usd"):
        assert_allclose(getattr(two, attr), 2 * getattr(one, attr), rtol=SUM_RTOL)
        assert_allclose(getattr(short, attr), -getattr(one, attr), rtol=SUM_RTOL)
    assert_allclose(short.modified_duration, one.modified_duration, rtol=SUM_RTOL)
    assert one.dv01_usd > 0 and short.dv01_usd < 0


def test_market_value_input_equals_par_input(market):
    ids = market.etfs["IG_BROAD"].holdings.index[:10]
    by_par = basket_risk(_positions(ids, 1e6), market)
    mv = by_par.to_frame()["market_value_usd"].to_numpy()
    by_mv = basket_risk(pd.DataFrame({"id": ids, "market_value_usd": mv}), market)
    assert_allclose(by_mv.to_frame()["par_usd"].to_numpy(), 1e6, rtol=1e-12)
    assert_allclose(by_mv.dv01_usd, by_par.dv01_usd, rtol=SUM_RTOL)


def test_duplicate_lines_are_added(market):
    ids = list(market.etfs["IG_BROAD"].holdings.index[:3])
    r = basket_risk(_positions([*ids, ids[0]], [1e6, 1e6, 1e6, 1e6]), market)
    f = r.to_frame()
    assert r.n_lines == 3 and f.loc[ids[0], "par_usd"] == 2e6


def test_key_rates_add_up_to_cs01_and_buckets_to_total(market):
    """Key rates are zero-rate sensitivities: their sum is the parallel zero shift = CS01."""
    ids = market.etfs["IG_BROAD"].holdings.index[::25]
    r = basket_risk(_positions(ids, 1e6), market)
    assert_allclose(r.key_rate_dv01.sum(), r.cs01_usd, rtol=1e-6)
    assert_allclose(r.cs01_by_sector.sum(), r.cs01_usd, rtol=SUM_RTOL)
    assert_allclose(r.cs01_by_rating.sum(), r.cs01_usd, rtol=SUM_RTOL)
    assert_allclose(r.modified_duration, r.dv01_usd / r.market_value_usd * 1e4, rtol=SUM_RTOL)
    assert r.key_rate_dv01.index.name == "tenor"


def test_treasuries_have_no_credit_cs01(market):
    ids = market.etfs["TREASURY"].holdings.index
    r = basket_risk(_positions(ids, 1e6), market)
    assert r.credit_cs01_usd == 0.0 and r.cs01_usd > 0
    assert list(r.cs01_by_sector.index) == ["Treasury"]


def test_results_are_copies_and_summary(market):
    ids = market.etfs["HY"].holdings.index[:5]
    r = basket_risk(_positions(ids, 1e6), market)
    f = r.to_frame()
    f["dv01_usd"] = 0.0
    krd = r.key_rate_dv01
    krd.iloc[:] = 0.0
    assert r.to_frame()["dv01_usd"].sum() > 0 and r.key_rate_dv01.sum() > 0
    text = str(r.summary())
    assert "dv01_usd" in text and "Basket risk" in text and "e+" not in text


def test_etf_risk_per_share(market):
    etf = market.etfs["IG_BROAD"]
    r = etf_risk_per_share(etf, market)
    totals = fund_risk(etf, market).totals
    assert_allclose(r.loc["dv01_usd", "fund"], totals["dv01_usd"], rtol=SUM_RTOL)
    assert_allclose(
        r.loc["dv01_usd", "per_share"], totals["dv01_usd"] / etf.shares_outstanding, rtol=SUM_RTOL
    )
    assert_allclose(r.loc["nav", "per_share"], etf.nav(market), rtol=SUM_RTOL)
    assert_allclose(r.loc["nav", "per_usd_notional"], 1.0, rtol=SUM_RTOL)
    assert_allclose(
        r.loc["dv01_usd", "per_usd_notional"],
        totals["dv01_usd"] / (etf.nav(market) * etf.shares_outstanding),
        rtol=SUM_RTOL,
    )
    ratings = [i for i in r.index if i.startswith("cs01_rating_")]
    assert_allclose(r.loc[ratings, "fund"].sum(), r.loc["credit_cs01_usd", "fund"], rtol=SUM_RTOL)


@pytest.mark.parametrize(
    ("positions", "match"),
    [
        ([("x", 1.0)], "expected a DataFrame"),
        (pd.DataFrame({"cusip": ["a"], "par": [1.0]}), "no 'id' column"),
        (pd.DataFrame({"id": ["a"], "qty": [1.0]}), "no 'par' or 'market_value_usd'"),
        (pd.DataFrame({"id": [], "par": []}), "basket is empty"),
        (pd.DataFrame({"id": ["NOTABOND1"], "par": [1e6]}), r"not bonds of the market.*NOTABOND1"),
    ],
)
def test_bad_positions(market, positions, match):
    with pytest.raises(InputError, match=match):
        basket_risk(positions, market)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf, "abc", 1e15])
def test_bad_amounts_name_the_row(market, value):
    ids = list(market.etfs["HY"].holdings.index[:3])
    frame = pd.DataFrame({"id": ids, "par": [1e6, 1e6, 1e6]}, dtype=object)
    frame.loc[2, "par"] = value
    with pytest.raises(InputError, match=rf"positions row 2 \(id {ids[2]}\): par"):
        basket_risk(frame, market)


def test_zero_market_value_basket(market):
    i = market.etfs["HY"].holdings.index[0]
    with pytest.raises(InputError, match="net market value is 0"):
        basket_risk(_positions([i, i], [1e6, -1e6]), market)


def test_matured_bond(market):
    import dataclasses

    first = market.bonds.ids[int(np.argmin(market.bonds.maturity))]
    later = dataclasses.replace(market, settlement=int(market.bonds.maturity.min()) + 1)
    with pytest.raises(InputError, match=rf"matured.*{first}"):
        basket_risk(_positions([first], [1e6]), later)


def test_bad_market_and_etf(market):
    with pytest.raises(InputError, match="market"):
        basket_risk(_positions(market.etfs["HY"].holdings.index[:1], 1e6), None)
    with pytest.raises(InputError, match="expected an ETF"):
        etf_risk_per_share("HY", market)
