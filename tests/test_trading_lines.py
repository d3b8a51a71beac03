"""basket_lines: the trading layer's validated, priced basket lines (shared contract)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.bonds.pricing import price_bonds
from etfcore.errors import InputError
from etfcore.hedging import basket_risk
from etfcore.market import synthetic_market
from etfcore.trading._lines import LINE_COLUMNS, basket_lines, dealer_positions

#: Prices from two code paths of the same model (fund_risk vs price_bonds), per 100.
PRICE_TOL = 1e-9


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


@pytest.fixture(scope="module")
def ids(market):
    return list(market.etfs["IG_INTERMEDIATE"].holdings.index[:5])


def test_columns_index_and_prices(market, ids):
    basket = pd.DataFrame({"id": ids, "par": [1e6, 2e6, 3e6, 4e6, 5e6]})
    priced_in, lines = basket_lines(basket, market)
    assert priced_in is market
    assert tuple(lines.columns) == LINE_COLUMNS
    assert lines.index.name == "id" and list(lines.index) == ids
    assert (lines["trade_side"] == "sell").all()
    # reference: the bonds layer's own pricer on the market's curve and z-spreads
    sub = market.bonds.select(ids)
    ref = price_bonds(sub, market.curve, market.settlement, spread=market.z_spread.loc[ids])
    assert_allclose(lines["clean_price"], ref["clean_price"].to_numpy(), atol=PRICE_TOL)
    assert_allclose(lines["dirty_price"], ref["dirty_price"].to_numpy(), atol=PRICE_TOL)
    assert_allclose(lines["market_value_usd"], lines["par_usd"] * lines["dirty_price"] / 100)
    assert_allclose(lines["weight"].sum(), 1.0)
    uni = market.universe.loc[ids]
    assert list(lines["issuer"]) == list(uni["issuer"])
    assert list(lines["rating"]) == list(uni["rating"])
    assert list(lines["sector"]) == list(uni["sector"])


def test_market_value_gives_par(market, ids):
    mv = np.array([1e6, 2e6, 3e6, 4e6, 5e6])
    _, lines = basket_lines(pd.DataFrame({"id": ids, "market_value": mv}), market)
    assert_allclose(lines["market_value_usd"], mv)
    assert_allclose(lines["par_usd"], mv / (lines["dirty_price"] / 100))
    _, again = basket_lines(pd.DataFrame({"id": ids, "market_value_usd": mv}), market)
    pd.testing.assert_frame_equal(lines, again)


def test_id_as_index_and_sides(market, ids):
    basket = pd.DataFrame(
        {"par": 1e6, "trade_side": ["sell", "BUY", " Sell", "buy", "sell"]},
        index=pd.Index(ids, name="id"),
    )
    _, lines = basket_lines(basket, market)
    assert list(lines["trade_side"]) == ["sell", "buy", "sell", "buy", "sell"]


def test_dealer_sign_convention_feeds_hedging(market, ids):
    basket = pd.DataFrame({"id": ids, "par": 1e6, "side": ["sell"] * 3 + ["buy"] * 2})
    _, lines = basket_lines(basket, market)
    pos = dealer_positions(lines)
    assert pos["par"].tolist() == [1e6, 1e6, 1e6, -1e6, -1e6]
    risk = basket_risk(pos, market)
    only_long = basket_risk(pos.iloc[:3], market)
    assert risk.dv01_usd < only_long.dv01_usd


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [
        ("par", 0.0, r"row 1 \(id .*\): par 0.0 must be > 0"),
        ("par", -5.0, r"par -5.0 must be > 0"),
        ("par", np.nan, r"par nan is not a number"),
        ("par", "lots", r"par 'lots' is not a number"),
        ("par", 1e15, r"larger than"),
        ("market_value_usd", -1.0, r"market_value_usd -1.0 must be > 0"),
        ("side", "short", r"side 'short' is not a trade side; use one of \['buy', 'sell'\]"),
        ("trade_side", np.nan, r"trade_side nan is not a trade side"),
    ],
)
def test_bad_line_errors(market, ids, column, value, match):
    basket = pd.DataFrame({"id": ids, "par": 1e6}).astype({"par": object})
    if column == "market_value_usd":
        basket = basket.drop(columns="par").assign(market_value_usd=1e6)
    if column in ("side", "trade_side"):
        basket[column] = "sell"
    basket[column] = basket[column].astype(object)
    basket.loc[1, column] = value
    with pytest.raises(InputError, match=match):
        basket_lines(basket, market)


def test_duplicate_ids_are_an_error_not_summed(market, ids):
    basket = pd.DataFrame({"id": [ids[0], ids[1], ids[0]], "par": 1e6})
    with pytest.raises(InputError, match=r"id .* appears in rows \[0, 2\]; a basket line"):
        basket_lines(basket, market)


def test_unknown_and_matured_ids(market, ids):
    matured = market.bonds.ids[np.asarray(market.bonds.maturity) <= market.settlement]
    basket = pd.DataFrame({"id": [ids[0], "NOTABOND1"], "par": 1e6})
    with pytest.raises(InputError, match=r"row 1 \(id NOTABOND1\): not a bond of the market"):
        basket_lines(basket, market)
    if len(matured):
        basket = pd.DataFrame({"id": [ids[0], matured[0]], "par": 1e6})
        with pytest.raises(InputError, match="has matured"):
            basket_lines(basket, market)


def test_every_problem_in_one_message(market, ids):
    basket = pd.DataFrame(
        {"id": [ids[0], "NOPE", ids[0], ids[2]], "par": [1e6, 1e6, -1.0, 1e6]}
    ).assign(side=["sell", "sell", "sell", "hold"])
    with pytest.raises(InputError, match="4 problem") as info:
        basket_lines(basket, market)
    text = str(info.value)
    for piece in ("appears in rows [0, 2]", "par -1.0", "'hold'", "NOPE"):
        assert piece in text


def test_shape_errors(market, ids):
    with pytest.raises(InputError, match="expected a PortfolioBasket"):
        basket_lines([1, 2], market)
    with pytest.raises(InputError, match="no 'id' column"):
        basket_lines(pd.DataFrame({"par": [1.0]}), market)
    with pytest.raises(InputError, match="the basket is empty"):
        basket_lines(pd.DataFrame({"id": [], "par": []}), market)
    with pytest.raises(InputError, match="no 'par' or 'market_value_usd'"):
        basket_lines(pd.DataFrame({"id": ids}), market)
    with pytest.raises(InputError, match="my basket: 1 problem"):
        basket_lines(pd.DataFrame({"id": ids[:1], "par": [0.0]}), market, where="my basket")
    with pytest.raises(InputError, match="market: expected a MarketState"):
        basket_lines(pd.DataFrame({"id": ids, "par": 1.0}), None)


# ---------------------------------------------------------------------- PortfolioBasket
SEED_AS_OF = "2024-12-02"


@pytest.fixture(scope="module")
def seed_basket():
    from etfcore.data import seed_path
    from etfcore.errors import DataWarning
    from etfcore.io import read_basket

    with pytest.warns(DataWarning):
        return read_basket(seed_path("seed_basket.csv"), as_of=SEED_AS_OF, strict=False)


def test_portfolio_basket_of_new_bonds(seed_basket):
    market = synthetic_market(0, as_of=SEED_AS_OF)
    priced_in, lines = basket_lines(seed_basket, market)
    assert priced_in is not market and len(priced_in.bonds) == len(market.bonds) + 10
    assert tuple(lines.columns) == LINE_COLUMNS
    assert list(lines.index) == list(seed_basket.lines.index)
    # market values as given; par = market value / (dirty / 100)
    assert_allclose(lines["market_value_usd"], seed_basket.lines["market_value_usd"])
    assert_allclose(lines["par_usd"], lines["market_value_usd"] / (lines["dirty_price"] / 100))
    assert_allclose(lines["weight"], seed_basket.lines["weight"], atol=1e-12)
    assert lines.loc["912828U58", "issuer"] == "UnitedHealth Group Inc"
    assert (lines["rating"] == "BBB").all() and (lines["sector"] == "unknown").all()
    assert (lines["trade_side"] == "sell").all()
    # prices are the bonds layer's, in the extended market
    sub = priced_in.bonds.select(lines.index)
    ref = price_bonds(
        sub, priced_in.curve, priced_in.settlement, spread=priced_in.z_spread.loc[lines.index]
    )
    assert_allclose(lines["dirty_price"], ref["dirty_price"].to_numpy(), atol=PRICE_TOL)
    # the hedging layer works on the returned market, dealer long what the client sells
    risk = basket_risk(dealer_positions(lines), priced_in)
    assert_allclose(risk.market_value_usd, 50e6, rtol=1e-12)
    assert risk.dv01_usd > 0
    # the same basket again: the same extended market (cached on the basket)
    again, _ = basket_lines(seed_basket, market)
    assert again is priced_in


def test_portfolio_basket_with_prices_and_par(tmp_path):
    from etfcore.io import read_basket

    path = tmp_path / "b.csv"
    path.write_text(
        "id,issuer,coupon,maturity,par,price,side\n"
        "037833100,Apple,2.4,2030-05-03,1000000,95.5,sell\n"
        "594918104,Microsoft,3.3,2031-05-03,2000000,101.25,buy\n"
    )
    basket = read_basket(path, as_of=SEED_AS_OF)
    market = synthetic_market(0, as_of=SEED_AS_OF)
    priced_in, lines = basket_lines(basket, market)
    assert_allclose(lines["clean_price"], [95.5, 101.25], atol=PRICE_TOL)
    assert_allclose(lines["par_usd"], [1e6, 2e6])
    assert_allclose(lines["market_value_usd"], lines["par_usd"] * lines["dirty_price"] / 100)
    assert list(lines["trade_side"]) == ["sell", "buy"]
    assert dealer_positions(lines)["par"].tolist() == [1e6, -2e6]
