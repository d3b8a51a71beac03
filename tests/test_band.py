"""Issue 6 in the primary layer: regime from the market, order sizes, bad input, caches,
frozen results, renamed words, output for people."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from etfcore.errors import EtfcoreDeprecationWarning, InputError
from etfcore.liquidity import BondLiquidityModel, EtfLiquidityModel
from etfcore.market import synthetic_market
from etfcore.primary import (
    BASKET_SIDES,
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
    simulate_ap_day,
    simulate_ap_days,
)
from etfcore.state import ORDERS, MarketState

BP_TOL = 1e-9  # the same band computed two ways


@pytest.fixture(scope="module")
def market():
    return synthetic_market(seed=0)


@pytest.fixture(scope="module")
def ig(market):
    return market.etfs["IG_BROAD"]


@pytest.fixture(scope="module")
def band(market, ig):
    return arbitrage_band(ig, market)


# ---------------------------------------------------------------------- regime
def test_band_regime_comes_from_the_market(market, ig):
    stress_market = market.with_regime("stress")
    from_market = arbitrage_band(ig, stress_market)
    explicit = arbitrage_band(ig, market, "stress")
    assert from_market.regime == "stress"
    assert_allclose(from_market.create_bp, explicit.create_bp, atol=BP_TOL)
    assert_allclose(from_market.redeem_bp, explicit.redeem_bp, atol=BP_TOL)
    assert from_market.create_bp > arbitrage_band(ig, market).create_bp
    # an explicit argument still wins
    assert arbitrage_band(ig, stress_market, "normal").regime == "normal"


def test_ap_day_regime_comes_from_the_market(market, ig):
    stress_market = market.with_regime("stress")
    ap = AuthorizedParticipant("S", capacity_usd_per_day=100e6, stress_capacity_fraction=0.5)
    nav = ig.nav(stress_market, "bid")
    _, actions = simulate_ap_day(ig, stress_market, nav * (1 - 300e-4), [ap])
    assert actions.iloc[0]["units"] == int(50e6 // (nav * ig.creation_unit_size))
    stress_band = arbitrage_band(ig, stress_market)
    assert_allclose(actions.iloc[0]["create_bp"], stress_band.create_bp, rtol=1e-6)
    sim = simulate_ap_days(ig, stress_market, [ap], premium_bp=[0.0, 0.0])
    assert list(sim.daily["regime"]) == ["stress", "stress"]


def test_custom_basket_and_distance_regime_from_the_market(market, ig):
    d_normal = basket_distance(pro_rata_basket(ig, market), ig, market)
    d_stress = basket_distance(pro_rata_basket(ig, market), ig, market.with_regime("stress"))
    assert (
        d_stress.loc["avg_half_spread_bp", "fund"] > 3 * d_normal.loc["avg_half_spread_bp", "fund"]
    )


# ---------------------------------------------------------------------- order size
def test_threshold_bp_scalar_and_vector(band):
    assert isinstance(band.threshold_bp("create", 1), float)
    assert_allclose(band.threshold_bp("create", 1), band.create_bp, atol=BP_TOL)
    assert_allclose(band.threshold_bp("redeem", 1), band.redeem_bp, atol=BP_TOL)
    n = np.array([1.0, 2.0, 5.0, 50.0])
    th = band.threshold_bp("create", n)
    assert isinstance(th, np.ndarray) and th.shape == n.shape
    t = band.threshold_terms_bp().loc["create"]
    expected = t["size_free_bp"] + t["fixed_bp"] / n + t["sqrt_bp"] * np.sqrt(n)
    assert_allclose(th, expected, rtol=1e-15)
    grid = band.threshold_bp("redeem", np.arange(1, 7).reshape(2, 3))
    assert grid.shape == (2, 3)
    assert (band.threshold_bp("redeem", n) < 0).all()


def _scaled(basket, n):
    return basket.replace(
        units=n,
        par=basket.par * n,
        cash_component_usd=basket.cash_component_usd * n,
        cash_in_lieu_usd=basket.cash_in_lieu_usd * n,
        details=None,
    )


@pytest.mark.parametrize("units", [2, 5])
def test_threshold_bp_matches_the_band_of_the_scaled_basket(market, ig, band, units):
    """The same composition at n units: fixed fee / n, impacts x sqrt(n), the rest flat."""
    one = {o: pro_rata_basket(ig, market, order=o) for o in ORDERS}
    big = arbitrage_band(ig, market, basket={o: _scaled(b, units) for o, b in one.items()})
    assert big.units == units
    assert_allclose(band.threshold_bp("create", units), big.create_bp, rtol=1e-9)
    assert_allclose(band.threshold_bp("redeem", units), big.redeem_bp, rtol=1e-9)
    # and back: the band at n units scales to one unit
    assert_allclose(big.threshold_bp("create", 1), band.create_bp, rtol=1e-9)


def test_threshold_bp_bad_input(band):
    with pytest.raises(InputError, match="unknown order 'buy'"):
        band.threshold_bp("buy", 1)
    with pytest.raises(InputError, match="finite numbers of creation units > 0"):
        band.threshold_bp("create", np.array([1.0, 0.0]))
    with pytest.raises(InputError, match="finite numbers of creation units > 0"):
        band.threshold_bp("create", np.nan)


# ---------------------------------------------------------------------- baskets in, bad input
def test_basket_mapping_with_an_unknown_key(market, ig):
    b = pro_rata_basket(ig, market)
    with pytest.raises(InputError, match="unknown key.*'creation'"):
        arbitrage_band(ig, market, basket={"creation": b})


def test_basket_for_the_other_order_is_refused(market, ig):
    redeem = pro_rata_basket(ig, market, order="redeem")
    with pytest.raises(InputError, match=r"basket\['create'\]: this is a 'redeem' basket"):
        arbitrage_band(ig, market, basket={"create": redeem})
    create = pro_rata_basket(ig, market)
    with pytest.raises(InputError, match=r"basket\['redeem'\]: this is a 'create' basket"):
        arbitrage_band(ig, market, basket=(create, create))
    with pytest.raises(InputError, match="a sequence of baskets is a"):
        arbitrage_band(ig, market, basket=[create])
    # a single basket stands for both orders, as documented
    both = arbitrage_band(ig, market, basket=create)
    assert_allclose(both.create_bp, arbitrage_band(ig, market).create_bp, atol=BP_TOL)


def test_basket_from_par_worth_more_than_the_units(market, ig):
    par = ig.holdings.iloc[:5]  # the fund's whole holding of five bonds: billions
    with pytest.raises(InputError, match="more than 1 unit"):
        basket_from_par(ig, market, par)
    # at a size that fits, the cash in lieu is >= 0 and the basket is worth NAV x shares
    small = basket_from_par(ig, market, par / par.sum() * 5e6)
    assert small.cash_in_lieu_usd >= 0
    assert_allclose(small.value_usd(market), ig.nav(market, "bid") * small.shares, rtol=1e-9)


def test_percent_checks(market, ig):
    with pytest.raises(
        InputError, match=r"stress_capacity_fraction: 50(\.0)? looks like a percentage"
    ):
        AuthorizedParticipant("X", stress_capacity_fraction=50)
    with pytest.raises(InputError, match=r"liquidation_fraction: 50(\.0)? looks like a percentage"):
        simulate_ap_days(ig, market, premium_bp=[0.0], liquidation_fraction=50)
    with pytest.raises(InputError, match=r"max_weight: 25(\.0)? looks like a percentage"):
        custom_basket(ig, market, max_bonds=10, max_weight=25)
    with pytest.raises(InputError, match=r"persistence: 70(\.0)? looks like a percentage"):
        premium_path(5, rng=0, persistence=70)
    with pytest.raises(InputError, match="persistence: 1.0 must be in"):
        premium_path(5, rng=0, persistence=1.0)
    with pytest.raises(InputError, match="etf_price: nan must be a finite number > 0"):
        simulate_ap_day(ig, market, np.float64("nan"), AuthorizedParticipant("X"))
    with pytest.raises(InputError, match="settlement_days"):
        AuthorizedParticipant("X", settlement_days=1.5)
    with pytest.raises(InputError, match="rng"):
        premium_path(3, rng="seed")


def test_fee_and_distance_bad_input(market, ig):
    b = pro_rata_basket(ig, market)
    with pytest.raises(InputError, match=r"in_kind_value_usd: -1(\.0)? must be a finite number"):
        order_fee(ig, b, in_kind_value_usd=-1.0)
    with pytest.raises(InputError, match="give the market"):
        order_fee(ig, b)
    with pytest.raises(InputError, match="expected a Basket or a dict"):
        basket_distance("b", ig, market)
    with pytest.raises(InputError, match="mapping of baskets is empty"):
        basket_distance({}, ig, market)


# ---------------------------------------------------------------------- caches
def test_quote_cache_sweep_over_liquidity_models(market):
    """Models built and dropped in a loop: a reused id must never bring back old quotes."""
    ids = market.bonds.ids[:50]
    for i in range(30):
        model = BondLiquidityModel(base_spread_bp=2.0 + 0.37 * i)
        m = market.with_liquidity(model)
        got = bond_quotes(m, ids)["half_spread_bp"].to_numpy()
        fresh = model.half_spread_bp(m.bonds, "normal", settlement_date=m.settlement)
        assert_allclose(got, fresh.reindex(ids).to_numpy(), rtol=1e-12, err_msg=f"model {i}")
        del model, m
    from etfcore.primary import baskets

    assert len(baskets._QUOTE_CACHE) <= baskets._QUOTE_CACHE_SIZE


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.sampled_from(["model", "shift", "regime", "curve", "back"]), min_size=1, max_size=6
    ),
    seed=st.integers(0, 1000),
)
def test_quote_cache_any_sequence_of_market_changes(market, steps, seed):
    """Whatever the market went through, the cached quotes are the fresh ones."""
    from etfcore.primary import baskets

    rng = np.random.default_rng(seed)
    ids = market.bonds.ids[rng.choice(len(market.bonds), 20, replace=False)]
    m = market
    for step in steps:
        if step == "model":
            m = m.with_liquidity(BondLiquidityModel(base_spread_bp=float(rng.uniform(1, 10))))
        elif step == "shift":
            m = m.with_spread_shift(float(rng.uniform(-20, 20)))
        elif step == "regime":
            m = m.with_regime("stress" if m.regime == "normal" else "normal")
        elif step == "curve":
            m = m.with_curve(m.curve.shift(float(rng.uniform(-30, 30))))
        else:
            m = market
        got = bond_quotes(m, ids)
        fresh = baskets._quote_table(m, m.bonds.select(ids), m.regime)
        assert_allclose(got.to_numpy(), fresh.to_numpy(), rtol=1e-12, err_msg=str(steps))


def test_quote_cache_follows_spreads_by_value(market):
    ids = market.bonds.ids[:5]
    base = bond_quotes(market, ids)["dirty_mid"].to_numpy()
    wider = bond_quotes(market.with_spread_shift(10.0), ids)["dirty_mid"].to_numpy()
    assert (wider < base).all()
    assert_allclose(bond_quotes(market, ids)["dirty_mid"].to_numpy(), base, rtol=0)


# ---------------------------------------------------------------------- frozen results
def test_results_hand_out_copies(market, ig, band):
    frame = band.to_frame()
    frame.loc["fixed_fee", "create"] = 1e9
    assert band.components.loc["fixed_fee", "create"] != 1e9
    b = pro_rata_basket(ig, market)
    f = b.to_frame()
    f.iloc[0, 0] = -1.0
    assert b.details is not None and b.details.iloc[0, 0] != -1.0
    q = bond_quotes(market, market.bonds.ids[:3])
    q.iloc[0, 0] = -1.0
    assert bond_quotes(market, market.bonds.ids[:3]).iloc[0, 0] != -1.0
    sim = simulate_ap_days(
        ig, market, AuthorizedParticipant("A", capacity_usd_per_day=1e7), premium_bp=[0.0]
    )
    d = sim.to_frame()
    d.iloc[0, 1] = 1e9
    assert sim.daily.iloc[0, 1] != 1e9


# ---------------------------------------------------------------------- vocabulary
def test_orders_vocabulary(market, ig):
    assert BASKET_SIDES == ORDERS
    b = pro_rata_basket(ig, market, order="redeem")
    assert b.order == "redeem"
    with pytest.warns(EtfcoreDeprecationWarning, match="Basket.order"):
        assert b.side == "redeem"
    with pytest.warns(EtfcoreDeprecationWarning, match="as_order"):
        assert b.as_side("create").order == "create"


@pytest.mark.parametrize(
    "build",
    [
        lambda f, m, **kw: pro_rata_basket(f, m, **kw),
        lambda f, m, **kw: cash_basket(f, m, **kw),
        lambda f, m, **kw: custom_basket(f, m, max_bonds=10, **kw),
        lambda f, m, **kw: basket_from_par(f, m, pd.Series(1e6, index=f.holdings.index[:3]), **kw),
    ],
    ids=["pro_rata_basket", "cash_basket", "custom_basket", "basket_from_par"],
)
def test_side_keyword_still_works_with_a_warning(market, ig, build):
    new = build(ig, market, order="redeem")
    with pytest.warns(EtfcoreDeprecationWarning, match="'side=' is deprecated; use 'order='"):
        old = build(ig, market, side="redeem")
    assert old.order == new.order == "redeem"
    pd.testing.assert_series_equal(old.par, new.par)


def test_basket_constructor_and_quote_side_renames(market, ig):
    par = pd.Series({ig.holdings.index[0]: 1e6})
    with pytest.warns(EtfcoreDeprecationWarning, match="'side=' is deprecated; use 'order='"):
        old = Basket("IG_BROAD", 1, 100_000, side="redeem", kind="custom", par=par)
    assert old.order == "redeem"
    with pytest.warns(EtfcoreDeprecationWarning):
        assert old.replace(side="create").order == "create"
    b = pro_rata_basket(ig, market)
    with pytest.warns(EtfcoreDeprecationWarning, match="use 'quote_side='"):
        v_old = b.value_usd(market, side="ask")
    assert v_old == b.value_usd(market, quote_side="ask")
    with pytest.warns(EtfcoreDeprecationWarning, match="use 'quote_side='"):
        ik_old = b.in_kind_value_usd(market, side="mid")
    assert ik_old == b.in_kind_value_usd(market, quote_side="mid")
    with pytest.raises(InputError, match="unknown quote side 'best'"):
        b.value_usd(market, "best")


def test_old_import_paths():
    from etfcore.primary.agents import DEFAULT_AP, AuthorizedParticipant  # noqa: F401
    from etfcore.primary.baskets import (  # noqa: F401
        BASKET_SIDES,
        DEFAULT_TOLERANCES,
        basket_distance,
        custom_basket,
    )
    from etfcore.primary.participant import AuthorizedParticipant as AP

    assert AP is AuthorizedParticipant


# ---------------------------------------------------------------------- ETF liquidity
def test_etf_liquidity_from_the_market_or_the_fund(market, ig):
    from etfcore.primary import _liquidity

    model = market.etf_liquidity_model(ig.name)
    assert model is not None
    assert _liquidity.etf_model(ig, market) is model
    wide = EtfLiquidityModel(quoted_spread_bp_normal=20.0, quoted_spread_bp_stress=60.0)
    wider = arbitrage_band(ig, market.with_etf_liquidity({ig.name: wide}))
    assert_allclose(wider.components.loc["etf_half_spread", "create"], 10.0, rtol=1e-12)
    # a plain market state with no ETF models: built from the fund's quoted spread and ADV
    plain = MarketState(
        market.bonds, market.curve, market.z_spread, market.settlement, market.liquidity
    )
    fallback = _liquidity.etf_model(ig, plain)
    assert fallback.half_spread_bp("normal") == ig.quoted_spread_bp / 2
    assert fallback.daily_volume_usd("normal") == pytest.approx(
        ig.adv_shares * ig.nav(plain, "mid"), rel=1e-12
    )
    band = arbitrage_band(ig, plain)
    assert_allclose(
        band.components.loc["etf_half_spread", "create"], ig.quoted_spread_bp / 2, rtol=1e-12
    )


class HalfSpreadOnly:
    """A stand-in bond liquidity model that knows half-spreads and nothing else."""

    def half_spread_bp(self, bonds, regime="normal", scores=None, *, settlement_date=None):
        return pd.Series(5.0 if regime == "normal" else 25.0, index=bonds.ids)


def test_bond_model_without_volume_or_impact_uses_the_documented_fallback(market, ig):
    from etfcore.primary import _liquidity

    m = market.with_liquidity(HalfSpreadOnly(), liquidity_scores=None)
    band, stress = arbitrage_band(ig, m), arbitrage_band(ig, m, "stress")
    row = "basket_half_spread"
    # 25 / 5 bp; per unit of the (lower) stress NAV, a little more
    ratio = stress.components.loc[row, "create"] / band.components.loc[row, "create"]
    assert 5.0 < ratio < 5.05
    bonds = m.bonds.select(ig.holdings.index[:3])
    adv = _liquidity.bond_daily_volume_usd(m, bonds).to_numpy()
    size = bonds.attributes["issue_size_usd"].to_numpy(dtype=float)
    assert_allclose(adv, size * _liquidity.FALLBACK_DAILY_TURNOVER, rtol=1e-12)
    impact = _liquidity.bond_impact_bp(m, bonds, np.full(3, 1e6), "stress")
    expected = (
        _liquidity.STRESS_IMPACT_MULTIPLIER
        * _liquidity.FALLBACK_IMPACT_COEFFICIENT_BP
        * np.sqrt(1e6 / adv)
    )
    assert_allclose(impact, expected, rtol=1e-12)


# ---------------------------------------------------------------------- output
def _labels_inside(ax) -> None:
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    lo, hi = sorted(ax.get_ylim())
    ticks = [t for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True) if lo <= y <= hi]
    for t in [*ticks, ax.yaxis.label, ax.xaxis.label, ax.title]:
        if not t.get_text():
            continue
        bb = t.get_window_extent(renderer)
        assert bb.x0 >= box.x0 - 0.5 and bb.x1 <= box.x1 + 0.5, t.get_text()
        assert bb.y0 >= box.y0 - 0.5 and bb.y1 <= box.y1 + 0.5, t.get_text()


def test_plots_keep_their_labels_when_saved(market, ig, band, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    b = pro_rata_basket(ig, market)
    sim = simulate_ap_days(
        ig, market, AuthorizedParticipant("A", capacity_usd_per_day=1e7), premium_bp=[0.0, 50.0]
    )
    for name, ax in (("band", band.plot()), ("basket", b.plot()), ("sim", sim.plot())):
        path = tmp_path / f"{name}.png"
        ax.figure.savefig(path)  # no bbox_inches: the figure itself must hold its labels
        assert path.stat().st_size > 0
        _labels_inside(ax)
        plt.close(ax.figure)


def test_summaries_are_for_people(market, ig, band):
    from statsmodels.iolib.summary2 import Summary

    sim = simulate_ap_days(
        ig,
        market,
        AuthorizedParticipant("A", capacity_usd_per_day=5e7),
        premium_bp=[0.0, 80.0, 0.0, 0.0, 0.0],
    )
    b = pro_rata_basket(ig, market)
    for s in (band.summary(), sim.summary(), b.summary()):
        assert isinstance(s, Summary)
        text = str(s)
        assert "e+0" not in text and "e-0" not in text and "-0.00 " not in text
    text = str(sim.summary())
    assert "5.000000e+00" not in text
    line = next(x for x in text.splitlines() if x.strip().startswith("days "))
    assert line.split()[-1] == "5"
    usd = next(x for x in str(band.summary()).splitlines() if x.startswith("threshold"))
    assert "," in usd  # dollars with thousands separators, bp with 2 decimals
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b.summary()._repr_html_() if hasattr(b.summary(), "_repr_html_") else None


def test_default_band_skips_checks_its_pro_rata_baskets_always_pass(market):
    """The default band does not re-check the fund's own pro-rata baskets: they always pass.

    Holdings only, par at most what the fund holds, the fund's unit size: check_basket
    accepts them for every fund, order, size and regime, and the band is the same as
    with the baskets given explicitly (which are checked).
    """
    from etfcore.primary.baskets import check_basket, pro_rata_basket

    for mkt in (market, market.with_regime("stress")):
        for etf in market.etfs.values():
            for units in (1, 4):
                pair = {o: pro_rata_basket(etf, mkt, units, o) for o in ("create", "redeem")}
                for b in pair.values():
                    check_basket(b, etf, mkt)  # no error
                pd.testing.assert_frame_equal(
                    arbitrage_band(etf, mkt, units=units).cost_table(),
                    arbitrage_band(etf, mkt, basket=pair).cost_table(),
                    check_exact=True,
                )


def test_threshold_terms_by_position_equal_the_label_sums(market):
    """threshold_terms_bp's positional sums are the label-based sums, to the bit."""
    from etfcore.primary.band import FIXED_COMPONENTS, SQRT_COMPONENTS, TERM_COLUMNS

    for mkt in (market, market.with_regime("stress")):
        for etf in market.etfs.values():
            band = arbitrage_band(etf, mkt, units=2)
            rows = {}
            for o in ("create", "redeem"):
                c = band.components[o]
                fixed = float(c[list(FIXED_COMPONENTS)].sum())
                sqrt = float(c[list(SQRT_COMPONENTS)].sum())
                rows[o] = {
                    "size_free_bp": float(c.sum()) - fixed - sqrt,
                    "fixed_bp": fixed,
                    "sqrt_bp": sqrt,
                }
            want = pd.DataFrame(rows).T.loc[["create", "redeem"], list(TERM_COLUMNS)]
            want.index.name = "order"
            pd.testing.assert_frame_equal(band.threshold_terms_bp(), want, check_exact=True)
