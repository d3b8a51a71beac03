"""Pre-trade report: liquidity, legging cost, risk, ETF overlap and the PT-vs-legging saving."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.errors import InputError
from etfcore.hedging import basket_risk, hedge_cost_curve
from etfcore.market import synthetic_market
from etfcore.state import MarketState
from etfcore.trading import PreTradeReport, dealer_panel, pre_trade
from etfcore.trading.pretrade import LEGGING_DAYS_GRID, LINE_COLUMNS

#: Sums and weighted averages of the same numbers in another order.
RTOL_SUM = 1e-12
#: The hand-written liquidity formulas against the model's vectorised ones.
RTOL_FORMULA = 1e-10


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


@pytest.fixture(scope="module")
def small(market):
    """Six intermediate IG bonds, $5mm each, the client selling."""
    ids = market.etfs["IG_INTERMEDIATE"].holdings.index[:6]
    return pd.DataFrame({"id": ids, "par": 5e6})


def ig_basket(market, n=200, seed=1):
    """A seeded ``n``-bond synthetic IG basket, par $1-10mm a line, the client selling."""
    u = market.universe
    pool = u[(u["grade"] == "IG") & (u["years_to_maturity"] > 0.5)].index
    rng = np.random.default_rng(seed)
    ids = rng.choice(pool, n, replace=False)
    return pd.DataFrame({"id": ids, "par": rng.uniform(1e6, 1e7, n).round(-3)})


@pytest.fixture(scope="module")
def big_reports(market):
    basket = ig_basket(market)
    return {r: pre_trade(basket, market, regime=r, etfs=[]) for r in ("normal", "stress")}


# ---------------------------------------------------------------------- reference formulas
def hand_legging(model, feat, notional, days, regime, scores=None):
    """Legging cost (bp) from the formulas in BondLiquidityModel's Notes, written out here.

    Bid-ask ``b m_r (D + d0) (1 + p (1 - exp(-a / tau))) (S / S0)^-eps rho^(1/2 - s) R``,
    volume ``theta S max(2^(-a / h), f) nu^(s - 1/2)``, volatility ``sigma_y v_r D``
    (x5 in stress), and legging over n days
    ``BA / 2 + k sigma sqrt(Q / (n V)) + lambda sigma sqrt(n / 3)`` (Almgren and Chriss
    2001, "Optimal Execution of Portfolio Transactions", J. Risk 3(2)).
    """
    out = []
    for i, (_, row) in enumerate(feat.iterrows()):
        tier, d, a = row["tier"], row["duration_years"], row["age_years"]
        size = row["issue_size_usd"]
        s = 0.5 if scores is None else scores[i]
        clipped = min(max(size, model.min_issue_size_usd), model.max_issue_size_usd)
        ba = (
            model.base_spread_bp
            * model.rating_multiplier[tier]
            * (d + model.duration_offset_years)
            * (1 + model.age_premium * (1 - math.exp(-a / model.age_scale_years)))
            * (clipped / model.reference_issue_size_usd) ** (-model.size_elasticity)
            * model.score_spread_ratio ** (0.5 - s)
        )
        turnover = model.treasury_daily_turnover if tier == "UST" else model.daily_turnover
        volume = (
            turnover
            * max(size, model.min_issue_size_usd)
            * max(0.5 ** (a / model.volume_half_life_years), model.volume_age_floor)
            * model.volume_score_ratio ** (s - 0.5)
        )
        sigma = model.yield_volatility_bp * model.volatility_multiplier[tier] * d
        k = model.impact_coefficient_normal
        if regime == "stress":
            ba *= model.stress_spread_multiplier
            volume *= model.stress_volume_multiplier
            sigma *= model.stress_volatility_multiplier
            k = model.impact_coefficient_stress
        q, n = notional[i], days[i]
        out.append(
            ba / 2
            + k * sigma * math.sqrt(q / (n * volume))
            + model.legging_risk_aversion * sigma * math.sqrt(n / 3)
        )
    return np.array(out)


def features_of(market, report):
    return market.liquidity.features(
        market.bonds.select(report.lines.index), settlement_date=market.settlement
    )


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"id": [], "par": []}), "empty"),
        (pd.DataFrame({"id": ["X"], "par": [1e6]}), "not a bond of the market"),
        (pd.DataFrame({"par": [1e6]}), "no 'id' column"),
    ],
)
def test_basket_errors_come_from_basket_lines(market, frame, match):
    with pytest.raises(InputError, match=match):
        pre_trade(frame, market)


def test_bad_amount_duplicate_and_side(market, small):
    bad = small.copy()
    bad.loc[1, "par"] = -1e6
    with pytest.raises(InputError, match=r"row 1 .*must be > 0"):
        pre_trade(bad, market)
    with pytest.raises(InputError, match="appears in rows"):
        pre_trade(pd.concat([small, small.iloc[:1]], ignore_index=True), market)
    with pytest.raises(InputError, match="not a trade side"):
        pre_trade(small.assign(side="hold"), market)


def test_not_a_market(small):
    with pytest.raises(InputError, match="market: expected a MarketState"):
        pre_trade(small, None)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"regime": "panic"}, "regime"),
        ({"legging_days": 0}, r"legging_days: 0 must be a number of days in \(0, 260\]"),
        ({"legging_days": 300}, r"legging_days: 300"),
        ({"legging_days": -1.0}, "legging_days"),
        ({"legging_days": float("nan")}, "legging_days: nan"),
        ({"legging_days": "3"}, "legging_days: '3' is not a number of days"),
        ({"legging_days": True}, "legging_days: True is not a number"),
        ({"horizon_days": 0}, "horizon_days: 0 must be"),
        ({"horizon_days": 261}, "horizon_days: 261"),
        ({"max_instruments": 0}, "max_instruments: 0 must be >= 1"),
        ({"max_instruments": 1.5}, "max_instruments: 1.5 is not a whole number"),
        ({"n_buckets": 0}, "n_buckets: 0 must be >= 1"),
        ({"n_buckets": 7}, "n_buckets: 7 is more than the basket's 6 line"),
        ({"bucket_by": "size"}, r"bucket_by: 'size' is not one of \['bid_ask', 'score'\]"),
        ({"bucket_by": "score"}, "needs a liquidity score for every line"),
        ({"etfs": ["NOPE"]}, r"etfs: no ETF named \['NOPE'\]"),
        ({"hedge_curve": "curve.csv"}, "hedge_curve: expected a HedgeCostCurve"),
        ({"dealer": "Dealer A"}, "dealer: expected an etfcore.trading.Dealer, got str"),
    ],
)
def test_bad_arguments(market, small, kwargs, match):
    with pytest.raises(InputError, match=match):
        pre_trade(small, market, **kwargs)


def test_legging_days_series_must_cover_every_line(market, small):
    days = pd.Series(2.0, index=small["id"])
    with pytest.raises(InputError, match="legging_days"):
        pre_trade(small, market, legging_days=days.iloc[1:], etfs=[])
    days.iloc[2] = 400.0
    with pytest.raises(InputError, match=rf"legging_days: .*{small['id'].iloc[2]}: 400"):
        pre_trade(small, market, legging_days=days, etfs=[])


def test_liquidity_model_without_legging(market, small):
    class HalfSpreadOnly:
        def half_spread_bp(self, bonds, regime="normal", scores=None, *, settlement_date=None):
            return pd.Series(5.0, index=bonds.ids)

    plain = MarketState(
        market.bonds, market.curve, market.z_spread, market.settlement, HalfSpreadOnly()
    )
    with pytest.raises(InputError, match="has no .*legging_breakdown"):
        pre_trade(small, plain)


def test_hedge_curve_too_small_for_the_hedge(market, small):
    """A hedge beyond the curve's sizes is not priced: the dealer quotes without one."""
    curve = hedge_cost_curve(market, ["IG_BROAD"], [1e6, 2e6], [0, 1, 5], ("normal",))
    r = pre_trade(small, market, hedge_curve=curve, etfs=[])
    assert r.hedge.empty
    assert r.portfolio_trade["hedge_cost_usd"] == 0.0
    assert r.totals["variance_reduction"] == 0.0
    too_short = hedge_cost_curve(market, ["IG_BROAD"], [1e6, 1e9], [0, 1], ("normal",))
    with pytest.raises(InputError, match="horizon_days: 5.0 is beyond the curve's longest"):
        pre_trade(small, market, hedge_curve=too_short, etfs=[])


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"creation": "no"}, r"creation: 'no' must be True or False"),
        ({"creation": False, "dealer": "D"}, r"dealer: a Dealer prices with its own settings"),
    ],
)
def test_bad_creation(market, small, kw, match):
    if kw.get("dealer") == "D":
        from etfcore.trading import dealer_panel

        kw = {**kw, "dealer": dealer_panel(market, 1)[0]}
    with pytest.raises(InputError, match=match):
        pre_trade(small, market, etfs=[], **kw)


# ---------------------------------------------------------------------- numbers
def test_legging_against_hand_formulas(market, big_reports):
    for regime, report in big_reports.items():
        lines = report.lines
        feat = features_of(market, report)
        mv = lines["market_value_usd"].to_numpy()
        ref = hand_legging(market.liquidity, feat, mv, lines["legging_days"].to_numpy(), regime)
        assert_allclose(lines["legging_cost_bp"], ref, rtol=RTOL_FORMULA)
        parts = lines["half_spread_bp"] + lines["legging_impact_bp"] + lines["legging_risk_bp"]
        assert_allclose(parts, lines["legging_cost_bp"], rtol=RTOL_FORMULA)
        # the chosen days are the cheapest of the grid, by the hand formula too
        grid = np.column_stack(
            [
                hand_legging(market.liquidity, feat, mv, np.full(len(mv), d), regime)
                for d in LEGGING_DAYS_GRID
            ]
        )
        assert_allclose(lines["legging_cost_bp"], grid.min(axis=1), rtol=RTOL_FORMULA)
        assert_allclose(
            lines["legging_days"], np.asarray(LEGGING_DAYS_GRID)[grid.argmin(axis=1)], rtol=0
        )


def test_immediate_cost_against_hand_formulas(market, big_reports):
    """All at once = legging over one day without the waiting risk."""
    report = big_reports["normal"]
    lines = report.lines
    feat = features_of(market, report)
    mv = lines["market_value_usd"].to_numpy()
    one_day = hand_legging(market.liquidity, feat, mv, np.ones(len(mv)), "normal")
    risk = market.liquidity.legging_risk_aversion * lines["daily_volatility_bp"] / math.sqrt(3)
    assert_allclose(lines["cost_bp"], one_day - risk, rtol=RTOL_FORMULA)
    assert_allclose(lines["bid_ask_bp"], 2 * lines["half_spread_bp"], rtol=RTOL_FORMULA)
    assert_allclose(lines["days_of_volume"], mv / lines["daily_volume_usd"], rtol=RTOL_SUM)


def test_given_legging_days(market, small):
    r = pre_trade(small, market, legging_days=3, etfs=[])
    assert (r.lines["legging_days"] == 3.0).all()
    assert r.legging_rule == "as given"
    days = pd.Series([1.0, 2.0, 3.0, 5.0, 0.5, 20.0], index=small["id"])
    r2 = pre_trade(small, market, legging_days=days, etfs=[])
    assert_allclose(r2.lines["legging_days"], days.to_numpy(), rtol=0)
    ref = hand_legging(
        market.liquidity,
        features_of(market, r2),
        r2.lines["market_value_usd"].to_numpy(),
        days.to_numpy(),
        "normal",
    )
    assert_allclose(r2.lines["legging_cost_bp"], ref, rtol=RTOL_FORMULA)


def test_scores_where_known(market, small):
    ids = list(small["id"])
    mine = pd.Series([0.9, 0.1, 0.5, 0.7, 0.3, 0.2], index=ids)
    scores = pd.Series(0.5, index=market.bonds.ids)  # a market's scores cover every bond
    scores[ids] = mine
    scored = market.with_liquidity(liquidity_scores=scores)
    r = pre_trade(small, scored, etfs=[], legging_days=2)
    assert_allclose(r.lines["liquidity_score"], mine.to_numpy(), rtol=0)
    ref = hand_legging(
        market.liquidity,
        features_of(market, r),
        r.lines["market_value_usd"].to_numpy(),
        np.full(6, 2.0),
        "normal",
        scores=mine.to_numpy(),
    )
    assert_allclose(r.lines["legging_cost_bp"], ref, rtol=RTOL_FORMULA)
    by_score = pre_trade(small, scored, etfs=[], bucket_by="score", n_buckets=2)
    assert by_score.lines.loc[ids[0], "liquidity_bucket"] == 1  # score 0.9: most liquid
    assert by_score.lines.loc[ids[1], "liquidity_bucket"] == 2
    assert_allclose(by_score.buckets["high"], [0.9, 0.3], rtol=0)
    # without scores the column is NaN, and the model's score factor is 1 (score 0.5)
    plain = pre_trade(small, market, etfs=[], legging_days=2)
    assert plain.lines["liquidity_score"].isna().all()
    assert_allclose(plain.lines["legging_cost_bp"].iloc[2], r.lines["legging_cost_bp"].iloc[2])


def test_risk_is_the_dealers_position(market, small):
    mixed = small.assign(trade_side=["sell", "buy", "sell", "sell", "buy", "sell"])
    r = pre_trade(mixed, market, etfs=[])
    sign = np.where(mixed["trade_side"] == "buy", -1.0, 1.0)
    ref = basket_risk(pd.DataFrame({"id": small["id"], "par": small["par"] * sign}), market)
    ref_lines = ref.to_frame()
    assert_allclose(r.lines["dv01_usd"], ref_lines["dv01_usd"].to_numpy(), rtol=RTOL_SUM)
    assert_allclose(r.lines["cs01_usd"], ref_lines["cs01_usd"].to_numpy(), rtol=RTOL_SUM)
    assert (np.sign(r.lines["dv01_usd"]) == sign).all()
    assert_allclose(r.totals["dv01_usd"], ref.dv01_usd, rtol=RTOL_SUM)


def test_overlap_with_etf_holdings(market):
    ig_short = market.etfs["IG_SHORT"].holdings.index
    hy = market.etfs["HY"].holdings.index
    ids = list(ig_short[:3]) + list(hy[:2])
    r = pre_trade(pd.DataFrame({"id": ids, "par": 2e6}), market, etfs=["IG_SHORT", "HY"])
    held = r.lines["held_by"]
    assert all("IG_SHORT" in held[i] for i in ids[:3])
    assert all(held[i] == "HY" for i in ids[3:])
    o = r.etf_overlap
    assert o.loc["IG_SHORT", "n_lines"] == 3 and o.loc["HY", "n_lines"] == 2
    mv = r.lines["market_value_usd"]
    assert_allclose(o.loc["HY", "held_share"], mv.iloc[3:].sum() / mv.sum(), rtol=RTOL_SUM)
    # the client sells: every held line could leave through the fund's creation basket
    assert_allclose(o.loc["HY", "creation_usd"], mv.iloc[3:].sum(), rtol=1e-9)
    assert (r.lines["n_etfs"] >= 1).all()
    none = pre_trade(pd.DataFrame({"id": ids, "par": 2e6}), market, etfs=[])
    assert none.etf_overlap.empty and (none.lines["held_by"] == "").all()


# ---------------------------------------------------------------------- totals
def test_lines_add_up_to_totals(big_reports):
    for report in big_reports.values():
        lines, t = report.lines, report.totals
        mv = lines["market_value_usd"]
        assert list(lines.columns) == list(LINE_COLUMNS)
        assert_allclose(t["market_value_usd"], mv.sum(), rtol=RTOL_SUM)
        for c in ("legging_cost", "pt_cost", "saving"):
            assert_allclose(t[f"{c}_usd"], lines[f"{c}_usd"].sum(), rtol=RTOL_SUM)
            weighted = (lines[f"{c}_bp"] * mv).sum() / mv.sum()
            assert_allclose(t[f"{c}_bp"], weighted, rtol=1e-10, atol=1e-10)
        for c in ("bid_ask_bp", "cost_bp", "legging_days"):
            assert_allclose(t[c], np.average(lines[c], weights=mv), rtol=1e-10)
        pt = report.portfolio_trade
        assert_allclose(lines["pt_cost_usd"].sum(), pt["total_usd"], rtol=1e-10)
        parts = (
            lines["pt_workout_bp"]
            + lines["pt_hedge_bp"]
            + lines["pt_risk_bp"]
            + lines["pt_margin_bp"]
        )
        assert_allclose(parts, lines["pt_cost_bp"], rtol=1e-12)
        names = ("hedge_cost", "etf_premium", "working_cost", "risk_charge", "margin")
        assert_allclose(sum(pt[f"{c}_usd"] for c in names), pt["total_usd"], rtol=1e-12)
        b = report.buckets
        assert b["n_lines"].sum() == len(lines)
        assert_allclose(b["saving_usd"].sum(), t["saving_usd"], rtol=1e-10)
        assert_allclose(b["market_value_usd"].sum(), t["market_value_usd"], rtol=RTOL_SUM)


def test_hedge_leg_costs_add_up(big_reports):
    report = big_reports["normal"]
    h = report.hedge
    assert list(h.columns) == ["direction", "notional_usd", "trade_side", "cost_bp", "cost_usd"]
    assert not h.empty and (h["notional_usd"] < 0).all()  # a long basket is hedged short
    assert (h["direction"] == "client_sells").all()
    assert_allclose(h["cost_usd"].sum(), report.portfolio_trade["hedge_cost_usd"], rtol=1e-12)
    assert_allclose(h["cost_usd"], h["cost_bp"] * h["notional_usd"].abs() / 1e4, rtol=1e-12)
    assert 0.9 < report.totals["variance_reduction"] <= 1.0
    assert report.dealer == "representative dealer"


# ---------------------------------------------------------------------- properties
@pytest.mark.parametrize("creation", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("regime", ["normal", "stress"])
def test_saving_is_largest_for_the_least_liquid(market, big_reports, regime, seed, creation):
    """Issue 9: the PT saving over legging grows from the most to the least liquid bonds.

    Meli and Todorova find portfolio trades over 40% cheaper than trading the bonds one
    by one, most for the least liquid; here the least liquid tercile saves the most in
    bp and as a share of its legging cost, in both regimes, on three seeded baskets, with
    the representative dealer's creation route and without it. Over ten seeds (1-10) the
    saving is, of legging (total / least liquid tercile): with creation 42% / 52% in
    normal times and 58% / 66% in stress (the dealer then hedges with no ETF: the curve's
    premium risk costs more than the risk it would save); without creation 15% / 16% and
    28% / 29% (the saving is then the risk charge on the diversified basket against each
    bond's own price risk, and working the bonds out over the dealer's horizon).
    """
    if seed == 1 and creation:
        report = big_reports[regime]
    else:
        report = pre_trade(
            ig_basket(market, seed=seed), market, regime=regime, etfs=[], creation=creation
        )
    b = report.buckets
    assert b.index.tolist() == [1, 2, 3]
    assert b["bid_ask_bp"].is_monotonic_increasing
    assert b["legging_cost_bp"].is_monotonic_increasing
    assert b["saving_bp"].is_monotonic_increasing
    assert b["saving_share"].is_monotonic_increasing
    assert b["saving_bp"].iloc[-1] > 0
    assert report.totals["saving_bp"] > 0
    assert (b["saving_bp"] > 0).all()
    if regime == "normal":
        assert b["saving_share"].iloc[-1] > (0.35 if creation else 0.1)


def test_stress_costs_above_normal(big_reports):
    n, s = big_reports["normal"].lines, big_reports["stress"].lines
    for c in ("bid_ask_bp", "cost_bp", "legging_cost_bp", "pt_workout_bp", "daily_volatility_bp"):
        assert (s[c] > n[c]).all(), c
    tn, ts = big_reports["normal"].totals, big_reports["stress"].totals
    assert ts["legging_cost_bp"] > tn["legging_cost_bp"]
    assert ts["pt_cost_bp"] > tn["pt_cost_bp"]


def test_market_without_etfs(market, small):
    plain = MarketState(
        market.bonds, market.curve, market.z_spread, market.settlement, market.liquidity
    )
    with pytest.raises(InputError, match="market: has no ETFs"):
        pre_trade(small, plain)


def test_a_dealer_of_the_panel(market, small):
    panel = dealer_panel(market, n=2, seed=0)
    r = pre_trade(small, market, dealer=panel[1], etfs=[])
    assert r.dealer == panel[1].name
    assert r.horizon_days == panel[1].horizon_days
    quote = panel[1].quote(small, market)
    assert_allclose(r.totals["pt_cost_usd"], quote.cost_usd, rtol=1e-12)
    with pytest.raises(
        InputError, match=r"dealer: a Dealer prices with its own settings; drop \['horizon_days'\]"
    ):
        pre_trade(small, market, dealer=panel[0], horizon_days=3)


def test_two_way_basket_is_quoted_per_side(market, small):
    mixed = small.assign(trade_side=["sell", "buy", "sell", "sell", "buy", "sell"])
    r = pre_trade(mixed, market, etfs=[])
    sells = pre_trade(mixed[mixed["trade_side"] == "sell"], market, etfs=[])
    buys = pre_trade(mixed[mixed["trade_side"] == "buy"], market, etfs=[], n_buckets=2)
    assert_allclose(
        r.totals["pt_cost_usd"],
        sells.totals["pt_cost_usd"] + buys.totals["pt_cost_usd"],
        rtol=1e-12,
    )
    assert set(r.hedge["direction"]) == {"client_sells", "client_buys"}
    assert_allclose(r.lines["legging_cost_bp"].iloc[[0, 2, 3, 5]], sells.lines["legging_cost_bp"])


def test_hedge_curve_given_limits_the_candidates(market, small):
    curve = hedge_cost_curve(market, ["IG_INTERMEDIATE"], [1e6, 1e9], [0, 1, 5], ("normal",))
    r = pre_trade(small, market, hedge_curve=curve, etfs=[])
    assert set(r.hedge.index) <= {"IG_INTERMEDIATE"}


def test_workout_against_hand_formulas(market):
    """Lines sold in the market are worked out at half-spread + impact over the horizon."""
    u = market.universe
    held = set().union(*(e.holdings.index for e in market.etfs.values()))
    free = [
        i for i in u.index[(u["grade"] == "IG") & (u["years_to_maturity"] > 1)] if i not in held
    ]
    basket = pd.DataFrame({"id": free[:8], "par": 4e6})
    for horizon in (1.0, 10.0):
        r = pre_trade(basket, market, horizon_days=horizon, etfs=[])
        lines = r.lines
        sold = (lines["pt_channel"] == "secondary").to_numpy()
        assert sold.all()  # no fund holds these bonds
        feat = features_of(market, r)
        mv = lines["market_value_usd"].to_numpy()
        full = hand_legging(market.liquidity, feat, mv, np.full(len(mv), horizon), "normal")
        risk = market.liquidity.legging_risk_aversion * lines["daily_volatility_bp"]
        ref = full - risk.to_numpy() * math.sqrt(horizon / 3)
        assert_allclose(lines["pt_workout_bp"].to_numpy()[sold], ref[sold], rtol=RTOL_FORMULA)
        lam = r.portfolio_trade["risk_aversion"]
        assert lam == market.liquidity.legging_risk_aversion
        pt = r.portfolio_trade
        assert_allclose(
            pt["risk_charge_usd"], lam * pt["residual_vol_usd"] * math.sqrt(horizon / 3)
        )


def test_creation_route_for_held_long_lines(big_reports):
    """The representative dealer is an AP: held long lines may leave by creation."""
    lines = big_reports["normal"].lines
    channel = lines["pt_channel"]
    assert channel.str.startswith("creation:").any()
    created = channel.str.startswith("creation:")
    assert (lines.loc[created, "n_etfs"] >= 0).all()
    assert set(channel) <= {"secondary"} | {
        f"creation:{e}" for e in ("IG_BROAD", "IG_SHORT", "IG_INTERMEDIATE", "HY", "TREASURY")
    }


# ---------------------------------------------------------------------- results object
def test_results_are_copies_and_frozen(market, small):
    r = pre_trade(small, market, etfs=[])
    assert isinstance(r, PreTradeReport)
    lines = r.lines
    lines["legging_cost_bp"] = 0.0
    assert (r.lines["legging_cost_bp"] > 0).all()
    t = r.totals
    t["saving_bp"] = 1e9
    assert r.totals["saving_bp"] != 1e9
    assert r.to_frame().equals(r.lines)
    with pytest.raises(AttributeError):
        r.regime = "stress"  # type: ignore[misc]
    assert repr(r).startswith("PreTradeReport(6 lines, $")


def test_summary_and_plot(market, small):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = pre_trade(small, market, etfs=["IG_INTERMEDIATE"])
    text = str(r.summary())
    for word in ("Pre-trade report", "saving_bp", "creation_cost_bp", "liquidity_bucket"):
        assert word in text
    ax = r.plot()
    assert ax.get_xlabel().startswith("liquidity bucket")
    ax2 = r.plot(by="line")
    assert ax2.get_xlabel() == "legging cost, bp of market value"
    with pytest.raises(InputError, match="by: 'tercile' is not one of"):
        r.plot(by="tercile")
    plt.close("all")


def test_seed_basket_from_file():
    """The seed's 10-bond sell basket read leniently (bonds the market does not know)."""
    import warnings

    from etfcore.data import seed_path
    from etfcore.io import read_basket

    as_of = "2024-12-02"  # before the seed's maturities
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reader's kept problems, tested in test_io_basket
        basket = read_basket(seed_path("seed_basket.csv"), as_of=as_of, strict=False)
    r = pre_trade(basket, synthetic_market(0, as_of=as_of))
    t = r.totals
    assert t["n_lines"] == 10
    assert_allclose(t["market_value_usd"], 50e6, rtol=RTOL_SUM)
    assert (r.lines["trade_side"] == "sell").all()
    assert (r.lines["legging_cost_bp"] > r.lines["half_spread_bp"]).all()
    assert_allclose(r.lines["pt_cost_usd"].sum(), r.portfolio_trade["total_usd"], rtol=1e-10)


def test_etf_premium_goes_to_the_quote(market, small):
    """Selling the hedge ETF at a discount costs the dealer as the discount reverts."""
    at_nav = pre_trade(small, market, etfs=[])
    cheap = pre_trade(small, market, etfs=[], etf_premium_bp=-2.0)
    pt = cheap.portfolio_trade
    assert at_nav.portfolio_trade["etf_premium_usd"] == 0.0
    assert pt["etf_premium_usd"] > 0  # the hedge is short ETFs (a client-sell basket)
    assert cheap.totals["pt_cost_usd"] > at_nav.totals["pt_cost_usd"]
    lines = cheap.lines
    parts = lines[["pt_workout_bp", "pt_hedge_bp", "pt_risk_bp", "pt_margin_bp"]].sum(axis=1)
    assert_allclose(parts, lines["pt_cost_bp"], rtol=1e-12)
    assert_allclose(lines["pt_cost_usd"].sum(), pt["total_usd"], rtol=1e-10)
    assert_allclose(lines["legging_cost_bp"], at_nav.lines["legging_cost_bp"], rtol=0)
    # a deep discount: hedging stops paying, the dealer quotes without the ETFs
    deep = pre_trade(small, market, etfs=[], etf_premium_bp=-50.0)
    assert deep.hedge.empty and deep.portfolio_trade["etf_premium_usd"] == 0.0
    assert deep.totals["pt_cost_usd"] > cheap.totals["pt_cost_usd"]
    with pytest.raises(InputError, match="etf_premium_bp"):
        pre_trade(small, market, etfs=[], etf_premium_bp={"NOPE": 5.0})
