"""The RFQ: winner and cover, both directions, the allocation to the cent, errors, the CLI."""

from __future__ import annotations

import argparse
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from etfcore.data import seed_path
from etfcore.errors import InputError
from etfcore.io import read_basket
from etfcore.market import synthetic_market
from etfcore.trading import Dealer, RfqResult, dealer_panel, run_rfq
from etfcore.trading._cli_quote import add_parser
from etfcore.trading.dealers import COMPONENTS
from etfcore.trading.rfq import ALLOCATION_COLUMNS, allocate_cents

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


@pytest.fixture(scope="module")
def panel(market):
    return dealer_panel(market, n=4, seed=0)


@pytest.fixture(scope="module")
def live_ids(market):
    b = market.bonds
    return np.asarray(b.ids[np.asarray(b.maturity) > market.settlement + 30])


@pytest.fixture(scope="module")
def basket(market, panel):
    rng = np.random.default_rng(11)
    ids = rng.choice(np.asarray(market.etfs["IG_BROAD"].holdings.index), 50, replace=False)
    # a few lines on the panel's axes, so that axes matter
    axed = [i for i in panel[1].axes.index if i not in ids][:5]
    ids = np.concatenate([ids, axed])
    return pd.DataFrame({"id": ids, "par": rng.uniform(1e6, 6e6, ids.size).round(-3)})


@pytest.fixture(scope="module")
def result(basket, market, panel):
    return run_rfq(basket, market, panel)


def _cents(values) -> int:
    return int(np.round(np.asarray(values, dtype=float) * 100).sum())


# ---------------------------------------------------------------------- winner and cover
def test_winner_is_the_best_quote_and_cover_the_second(result):
    q = result.quotes
    assert isinstance(result, RfqResult)
    assert list(q["rank"]) == [1, 2, 3, 4]
    prices = q["all_in_price_usd"]
    assert result.winner == prices.idxmax() == q.index[0]
    assert result.cover == q.index[1]
    assert prices.iloc[1] == prices.drop(result.winner).max()
    assert prices.is_monotonic_decreasing
    assert result.all_in_price_usd == prices.iloc[0]
    assert result.cover_price_usd == prices.iloc[1]


def test_client_buys_lowest_offer_wins(basket, market, panel):
    r = run_rfq(basket, market, panel, direction="client_buys")
    prices = r.quotes["all_in_price_usd"]
    assert r.winner == prices.idxmin()
    assert prices.is_monotonic_increasing
    assert (prices > r.market_value_usd).all()
    a = r.allocation
    assert (a["execution_price"] > a["pre_trade_mid"]).all()
    assert (a["value_usd"] > a["market_value_usd"]).all()
    assert (r.quotes["spread_change_bp"] < 0).all()
    assert set(a["trade_side"]) == {"buy"}


def test_client_sells_bids_below_mid(result):
    assert (result.quotes["all_in_price_usd"] < result.market_value_usd).all()
    a = result.allocation
    assert (a["execution_price"] < a["pre_trade_mid"]).all()
    assert (a["cost_bp"] > 0).all()
    assert (result.quotes["spread_change_bp"] > 0).all()
    assert set(a["trade_side"]) == {"sell"}


def test_quote_components_add_up(result):
    q = result.quotes
    comp = q[list(COMPONENTS)].sum(axis=1)
    assert_allclose(comp, q["cost_usd"], rtol=1e-12)
    assert_allclose(
        q["all_in_price_usd"], (q["market_value_usd"] - q["cost_usd"]).round(2), rtol=0, atol=0
    )
    assert (q[["hedge_cost_usd", "working_cost_usd", "risk_charge_usd"]] > 0).all().all()


def test_etf_discount_costs_a_seller_of_the_etf(basket, market, panel, result):
    """Client sells: dealers sell ETFs to hedge; a discount costs them, a premium helps."""
    assert (result.quotes["etf_premium_usd"] == 0).all()
    cheap = run_rfq(basket, market, panel, etf_premium_bp=-3.0)
    rich = run_rfq(basket, market, panel, etf_premium_bp={"IG_BROAD": 20.0, "HY": 20.0})
    assert (cheap.quotes["n_instruments"] > 0).all()
    assert (cheap.quotes["etf_premium_usd"] > 0).all()
    assert cheap.all_in_price_usd < result.all_in_price_usd
    assert (rich.quotes["etf_premium_usd"] <= 0).all()
    assert rich.all_in_price_usd >= result.all_in_price_usd
    # a deep discount: hedging pays less, most dealers (the winner too) leg without ETFs
    deep = run_rfq(basket, market, panel, etf_premium_bp=-50.0)
    assert deep.winning_quote.n_instruments == 0
    assert (
        deep.quotes["n_instruments"] <= cheap.quotes["n_instruments"].reindex(deep.quotes.index)
    ).all()
    assert (deep.quotes["n_instruments"] == 0).sum() >= 3
    assert cheap.all_in_price_usd > deep.all_in_price_usd
    ax = cheap.plot()
    assert len(ax.patches) == 5 * 4


def test_one_dealer_has_no_cover(basket, market, panel):
    r = run_rfq(basket, market, panel[0])
    assert r.winner == panel[0].name and r.cover is None
    assert np.isnan(r.cover_price_usd)
    assert "no cover" in repr(r)


def test_axes_reduce_a_dealers_cost_in_the_panel(basket, market, panel):
    d = panel[1]
    assert d.axes.index.isin(basket["id"]).sum() >= 5
    bare = Dealer(
        "bare",
        d.curve,
        d.risk_aversion,
        d.horizon_days,
        d.margin_bp,
        d.max_instruments,
    )
    r = run_rfq(basket, market, [d, bare])
    q = r.quotes
    assert q.loc[d.name, "working_cost_usd"] < q.loc["bare", "working_cost_usd"]
    assert q.loc[d.name, "axed_usd"] > 0 == q.loc["bare", "axed_usd"]
    assert r.winner == d.name


def test_stress_quotes_wider(basket, market, panel, result):
    stress = run_rfq(basket, market.with_regime("stress"), panel)
    assert stress.regime == "stress"
    wider = stress.quotes["cost_bp"] > 2 * result.quotes["cost_bp"].reindex(stress.quotes.index)
    assert wider.all()
    assert stress.all_in_price_usd < result.all_in_price_usd


def test_deterministic_by_seed(basket, market):
    a = run_rfq(basket, market, seed=1)
    b = run_rfq(basket, market, seed=1)
    pd.testing.assert_frame_equal(a.quotes, b.quotes)
    pd.testing.assert_frame_equal(a.allocation, b.allocation)
    c = run_rfq(basket, market, seed=2)
    assert not np.array_equal(a.quotes["all_in_price_usd"], c.quotes["all_in_price_usd"])


def test_default_panel_is_dealer_panel_of_the_seed(basket, market):
    r = run_rfq(basket, market, seed=5)
    by_hand = run_rfq(basket, market, dealer_panel(market, n=3, seed=5))
    pd.testing.assert_frame_equal(r.quotes, by_hand.quotes)


# ---------------------------------------------------------------------- allocation
def test_allocation_adds_up_to_the_cent(result):
    a = result.allocation
    assert list(a.columns) == list(ALLOCATION_COLUMNS)
    assert _cents(a["value_usd"]) == round(result.all_in_price_usd * 100)
    # every value is a whole number of cents
    assert_allclose(a["value_usd"] * 100, np.round(a["value_usd"] * 100), rtol=0, atol=1e-6)
    # execution prices pay the values: par x (clean + accrued) / 100
    lines = result.winning_quote.to_frame()
    assert_allclose(a["par_usd"], lines["par_usd"])
    dirty = a["execution_dirty_price"]
    assert_allclose(a["par_usd"] * dirty / 100, a["value_usd"], rtol=1e-13)


def test_allocation_follows_each_lines_share_of_cost(result):
    a = result.allocation
    share = result.winning_quote.to_frame()["cost_usd"]
    assert_allclose(a["cost_usd"], share, rtol=0, atol=0.01)  # within a cent of its share


def test_allocate_cents_largest_remainder():
    assert allocate_cents(np.array([0.333, 0.333, 0.334]), 1.0).tolist() == [33, 33, 34]
    assert allocate_cents(np.array([0.005, 0.005, 0.0]), 0.01).tolist() == [1, 0, 0]
    out = allocate_cents(np.array([10.0, 20.0]), 30.05)  # a gap beyond a cent a line
    assert out.sum() == 3005 and out.tolist() == [1003, 2002]
    assert allocate_cents(np.array([]), 0.0).tolist() == []


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 30),
    seed=st.integers(0, 2**31 - 1),
    direction=st.sampled_from(["client_sells", "client_buys"]),
    scale=st.sampled_from([1e3, 1e5, 1e6, 1e7]),
)
def test_allocation_adds_up_property(market, panel, live_ids, n, seed, direction, scale):
    rng = np.random.default_rng(seed)
    ids = rng.choice(live_ids, n, replace=False)
    par = rng.uniform(1.0, 20.0, n) * scale + rng.uniform(0, 1, n)  # odd cents
    r = run_rfq(pd.DataFrame({"id": ids, "par": par}), market, panel[:2], direction=direction)
    a = r.allocation
    assert len(a) == n
    assert _cents(a["value_usd"]) == round(r.all_in_price_usd * 100)
    assert r.winner == r.quotes.index[0]
    sign = 1.0 if direction == "client_sells" else -1.0
    assert (sign * (a["market_value_usd"] - a["value_usd"]) >= -0.01).all()


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("dealers", "match"),
    [
        ([], r"dealers: the panel is empty"),
        ((), r"dealers: the panel is empty"),
        (["Dealer A"], r"dealers\[0\]: expected a Dealer, got str"),
        (3, r"dealers: expected a list of Dealer objects, got int"),
    ],
)
def test_bad_panel(basket, market, dealers, match):
    with pytest.raises(InputError, match=match):
        run_rfq(basket, market, dealers)


def test_duplicate_dealer_names(basket, market, panel):
    with pytest.raises(InputError, match=r"two dealers are named 'Dealer A'"):
        run_rfq(basket, market, [panel[0], panel[0]])


def test_negative_margin(panel):
    with pytest.raises(InputError, match=r"Dealer 'M': margin_bp: -1.0 must be"):
        Dealer("M", panel[0].curve, margin_bp=-1.0)


def test_unknown_direction(basket, market, panel):
    with pytest.raises(InputError, match=r"direction: 'client_shorts' is not one of"):
        run_rfq(basket, market, panel, direction="client_shorts")


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda b: b.iloc[:0], r"the basket is empty"),
        (lambda b: pd.concat([b, b.iloc[:1]]), r"appears in rows \[0, 55\]"),
        (lambda b: b.assign(id=["NOTABOND"] + list(b["id"].iloc[1:])), r"not a bond of the market"),
        (lambda b: b.assign(par=[0.0] + list(b["par"].iloc[1:])), r"par 0.0 must be > 0"),
        (lambda b: b.assign(par=[-1e6] + list(b["par"].iloc[1:])), r"par -1000000.0 must be > 0"),
        (lambda b: b.assign(trade_side="short"), r"trade_side 'short' is not a trade side"),
        (lambda b: b.assign(side=["buy"] + ["sell"] * 54), r"are on the other side"),
        (lambda b: b.drop(columns="par"), r"no 'par' or 'market_value_usd'"),
    ],
)
def test_basket_problems(basket, market, panel, edit, match):
    with pytest.raises(InputError, match=match):
        run_rfq(edit(basket), market, panel)


@pytest.mark.parametrize(
    ("premium", "match"),
    [
        ({"LQD": 10.0}, r"etf_premium_bp: 'LQD' is not an ETF of the market"),
        ({"HY": float("nan")}, r"etf_premium_bp\[HY\]: nan must be a finite premium in bp"),
        (-5000.0, r"etf_premium_bp\[HY\]: -5000.0 must be a finite premium in bp within"),
        ("wide", r"etf_premium_bp: 'wide' is not a number"),
    ],
)
def test_bad_etf_premium(basket, market, panel, premium, match):
    with pytest.raises(InputError, match=match):
        run_rfq(basket, market, panel, etf_premium_bp=premium)


def test_market_must_be_a_market(basket, panel):
    with pytest.raises(InputError, match=r"market: expected a MarketState"):
        run_rfq(basket, "market", panel)


# ---------------------------------------------------------------------- outputs
def test_outputs_are_copies_and_render(result):
    q = result.quotes
    q.iloc[0, 1] = -1.0
    assert result.quotes.iloc[0, 1] != -1.0
    a = result.allocation
    a["value_usd"] = 0.0
    assert result.allocation["value_usd"].sum() > 0
    pd.testing.assert_frame_equal(result.to_frame(), result.quotes)
    text = str(result.summary())
    assert "RFQ (client_sells, normal): 4 dealers, 55 lines" in text
    assert result.winner in text
    ax = result.plot()
    assert len(ax.patches) == 4 * 4  # four components stacked for each of four dealers
    assert result.plot(unit="usd").get_ylabel() == "cost, USD mm"
    with pytest.raises(InputError, match=r"unit: 'pct' is not one of"):
        result.plot(unit="pct")
    assert result.winner in repr(result)


def test_to_tca_feeds_tca(result):
    from etfcore.trading import tca

    frame = result.to_tca()
    assert list(frame.columns) == [
        "id",
        "par",
        "market_value",
        "pre_trade_mid",
        "execution_price",
        "trade_side",
        "cover_price",
    ]
    # line by line the cover may beat the winner (its own axes); in total it bids less
    assert _cents(result.cover_allocation["value_usd"]) == round(result.cover_price_usd * 100)
    t = tca(frame)
    assert (t.lines["cost_bp"] > 0).all()
    assert t.totals["cost_vs_cover_usd"] < 0


@pytest.mark.parametrize("direction", ["client_sells", "client_buys"])
def test_tca_of_to_tca_agrees_with_tca_of_the_rfq_to_the_cent(basket, market, panel, direction):
    """With par, tca(rfq.to_tca()) is the cash shortfall, as tca(rfq): the same to the cent.

    Without par the clean price shortfall was applied to the dirty value (about 1% more).
    """
    from etfcore.trading import tca

    r = run_rfq(basket, market, panel, direction)
    frame = r.to_tca()
    assert_allclose(frame["par"], r.allocation["par_usd"], rtol=0)
    a, b = tca(frame).totals, tca(r).totals
    assert round(a["cost_usd"], 2) == round(b["cost_usd"], 2)
    assert_allclose(a["cost_bp"], b["cost_bp"], rtol=1e-12)
    # and the TCA's dollar cost is the winner's cost to rounding of the line prices
    assert_allclose(a["cost_usd"], r.winning_quote.cost_usd, rtol=1e-6)
    dirty = tca(frame.drop(columns="par")).totals["cost_usd"]
    assert abs(dirty - b["cost_usd"]) > 0.01  # what par fixes


def test_seed_basket_both_directions(market):
    seed_market = synthetic_market(0, as_of="2024-12-02")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b = read_basket(seed_path("seed_basket.csv"), as_of="2024-12-02", strict=False)
    sells = run_rfq(b, seed_market)
    buys = run_rfq(b, seed_market, direction="client_buys")  # a file without sides
    assert_allclose(sells.market_value_usd, 50e6, rtol=1e-12)
    assert sells.all_in_price_usd < 50e6 < buys.all_in_price_usd
    assert _cents(sells.allocation["value_usd"]) == round(sells.all_in_price_usd * 100)
    assert len(buys.allocation) == 10


# ---------------------------------------------------------------------- CLI
def _cli(argv):
    parser = argparse.ArgumentParser(prog="etfcore")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["quote", *argv])
    return args.func(args)


def test_cli_default_seed_basket(capsys):
    assert _cli(["--dealers", "2"]) == 0
    out = capsys.readouterr().out
    assert "the bundled seed basket" in out and "winner Dealer" in out
    assert "cover Dealer" in out and "(= the all-in price to the cent)" in out


def test_cli_basket_file_buys_in_stress(tmp_path, capsys, market):
    ids = market.etfs["IG_SHORT"].holdings.index[:5]
    bonds = market.bonds.to_frame().loc[ids]
    path = tmp_path / "basket.csv"
    pd.DataFrame(
        {
            "id": ids,
            "issuer": "Issuer",
            "coupon": bonds["coupon_rate"].to_numpy(),
            "maturity": pd.to_datetime(bonds["maturity_date"]).dt.strftime("%Y-%m-%d"),
            "par": 1e6,
        }
    ).to_csv(path, index=False)
    argv = ["--basket", str(path), "--as-of", "2026-01-15", "--lenient"]
    assert _cli([*argv, "--direction", "client_buys", "--regime", "stress"]) == 0
    out = capsys.readouterr().out
    assert "offers" in out and "client_buys, stress regime" in out


def test_cli_etf_premium(capsys):
    assert _cli(["--dealers", "1", "--premium-bp", "-30"]) == 0
    out = capsys.readouterr().out
    assert "hedge ETFs at -30 bp to NAV" in out
    assert _cli(["--dealers", "1", "--premium-bp", "9999"]) == 2
    assert "etf_premium_bp" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--basket", "/no/such/basket.csv"], "/no/such/basket.csv: no such file"),
        (["--basket", "/tmp"], "/tmp: is not a file"),
        (["--dealers", "0"], "--dealers: 0 must be >= 1"),
    ],
)
def test_cli_bad_input_one_line(capsys, argv, message):
    assert _cli(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert err.startswith("etfcore quote: error: ")


def test_cli_strict_seed_file_fails_on_one_line(capsys, seed_data):
    assert _cli(["--basket", str(seed_data / "seed_basket.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "seed_basket.csv" in err and "check digit" in err


def test_cli_through_etfcore_main(capsys):
    from etfcore.cli import main

    assert main(["quote", "--dealers", "1", "--direction", "client_buys"]) == 0
    assert "offers" in capsys.readouterr().out
    assert main(["quote", "--basket", "/no/such.csv"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
