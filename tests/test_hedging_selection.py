"""Hedge selection (etfcore.hedging.selection): choice, optimality, limits, naive twin, errors."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize

from etfcore.errors import InputError
from etfcore.hedging import HedgeSelection, basket_risk, factor_covariance, select_hedge
from etfcore.hedging.selection import IDIOSYNCRATIC_VOL_BP, RATE_VOL_BP, STRESS_MULTIPLIERS
from etfcore.market import synthetic_market

#: Relative tolerance of two computations of the same variance (different summation order).
VAR_RTOL = 1e-8
#: Variance slack when comparing an optimum with a generic optimiser's (scipy minimize).
OPT_RTOL = 1e-6


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


def _basket(market, grade, n, seed):
    rng = np.random.default_rng(seed)
    live = market.bonds.ids[np.asarray(market.bonds.maturity) > market.settlement]
    grades = market.bonds.attributes["grade"].reindex(live)
    pool = np.asarray(live[(grades == grade).to_numpy()])
    ids = rng.choice(pool, n, replace=False)
    return pd.DataFrame({"id": ids, "par": rng.uniform(1e6, 5e6, n)})


@pytest.fixture(scope="module")
def ig200(market):
    return _basket(market, "IG", 200, 1)


@pytest.mark.parametrize("case", ["all", "first10", "etf", 3, 4, 5, 6, 7, 8, 9])
def test_pure_rates_basket_picks_the_treasury_etf(market, case):
    """Treasury baskets: K=1 picks TREASURY; K=3 keeps it as the leg removing most risk.

    (The synthetic TREASURY fund holds 12 notes of 7-10 years: for a basket heavy in 20-30
    year bonds, e.g. ``_basket(market, "UST", 10, 2)``, the broad IG fund's long end ties
    with it at K=1 -- 0.906 each.)
    """
    a = market.bonds.attributes
    ust = a.index[(a["grade"] == "UST").to_numpy()]
    if case == "all":
        b = pd.DataFrame({"id": ust, "par": 1e6})
    elif case == "first10":
        b = pd.DataFrame({"id": ust[:10], "par": 1e6})
    elif case == "etf":
        b = pd.DataFrame({"id": market.etfs["TREASURY"].holdings.index, "par": 1e6})
    else:
        b = _basket(market, "UST", 10, case)
    h = select_hedge(b, market, max_instruments=1)
    assert isinstance(h, HedgeSelection)
    assert list(h.notional_usd.index) == ["TREASURY"]
    assert h.notional_usd["TREASURY"] < 0  # long bonds: sell the ETF
    assert h.variance_reduction > 0.9
    three = select_hedge(b, market, max_instruments=3)
    assert three.to_frame()["variance_reduction"].idxmax() == "TREASURY"
    assert three.variance_reduction >= h.variance_reduction


def test_hy_basket_picks_the_hy_etf(market):
    b = _basket(market, "HY", 50, 3)
    h = select_hedge(b, market, max_instruments=1)
    assert list(h.notional_usd.index) == ["HY"]
    three = select_hedge(b, market)
    assert three.to_frame()["variance_reduction"].idxmax() == "HY"
    assert h.variance_reduction > 0.9


def test_ig_basket_high_variance_reduction(market, ig200):
    h = select_hedge(ig200, market)
    assert h.variance_reduction > 0.99
    assert set(h.notional_usd.index) <= {"IG_BROAD", "IG_SHORT", "IG_INTERMEDIATE", "TREASURY"}
    assert abs(h.residual_dv01_usd) < 0.1 * h.basket.dv01_usd
    assert abs(h.residual_cs01_usd) < 0.1 * h.basket.credit_cs01_usd
    assert_allclose(h.to_frame()["variance_reduction"].sum(), h.variance_reduction, rtol=1e-9)
    assert h.tracking_vol_usd < h.basket_vol_usd


@pytest.mark.parametrize(("grade", "seed"), [("IG", 4), ("HY", 5), ("UST", 6), ("IG", 7)])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_best_subset_beats_or_equals_greedy(market, grade, seed, k):
    b = _basket(market, grade, 12 if grade == "UST" else 40, seed)
    best = select_hedge(b, market, max_instruments=k)
    greedy = select_hedge(b, market, max_instruments=k, search="greedy")
    assert best.tracking_vol_usd <= greedy.tracking_vol_usd * (1 + 1e-12)
    assert best.subsets_evaluated == sum(
        len(list(itertools.combinations(range(5), s))) for s in range(1, k + 1)
    )


def test_best_subset_equals_a_brute_force_with_scipy_minimize(market):
    """Naive twin: every subset solved by scipy's generic bounded minimiser on V(w)."""
    b = _basket(market, "IG", 40, 8)
    limit = 20e6
    h = select_hedge(
        b, market, max_instruments=2, short_limit_usd=limit, idiosyncratic=False, basis_vol_bp=0.0
    )
    names = list(market.etfs)
    # scipy on every pair, with the factor covariance built independently
    cov = factor_covariance(market)
    x = _naive_loadings(b, market, names, cov.index)
    s = cov.to_numpy()
    xb, xh = x[0], x[1:]
    best = np.inf
    for subset in itertools.combinations(range(len(names)), 2):
        a = xh[list(subset)]

        def f(w, a=a):
            r = xb + w @ a
            return float(r @ s @ r)

        res = minimize(f, np.zeros(2), bounds=[(-limit, np.inf)] * 2, method="L-BFGS-B",
                       options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})  # fmt: skip
        best = min(best, res.fun)
    for j in range(len(names)):
        r1 = minimize(lambda w, j=j: float((xb + w[0] * xh[j]) @ s @ (xb + w[0] * xh[j])),
                      np.zeros(1), bounds=[(-limit, np.inf)], method="L-BFGS-B")  # fmt: skip
        best = min(best, r1.fun)
    assert_allclose(h.basket_vol_usd**2, float(xb @ s @ xb), rtol=VAR_RTOL)
    assert (h.notional_usd >= -limit * (1 + 1e-9)).all()
    assert h.tracking_vol_usd**2 <= best * (1 + OPT_RTOL)


def _naive_loadings(positions, market, names, factors):
    """Loadings of the basket and of 1 USD of each ETF, from plain per-bond loops."""
    from etfcore.fund.risk import fund_risk

    rows = []
    frames = [basket_risk(positions, market).to_frame()]
    scales = [1.0]
    for n in names:
        etf = market.etfs[n]
        by_bond = fund_risk(etf, market).by_bond
        lines = basket_risk(pd.DataFrame({"id": by_bond.index, "par": by_bond["par_usd"]}), market)
        frames.append(lines.to_frame())
        scales.append(1.0 / (etf.nav(market) * etf.shares_outstanding))
    for frame, scale in zip(frames, scales, strict=True):
        load = dict.fromkeys(factors, 0.0)
        for _, row in frame.iterrows():
            for c in frame.columns:
                if c.startswith("key_rate_dv01_"):
                    load[f"rate_{c[14:-4]}"] += row[c]
            if row["sector"] != "Treasury":
                load[f"rating_{row['rating']}"] += row["credit_cs01_usd"]
                load[f"sector_{row['sector']}"] += row["credit_cs01_usd"]
        rows.append(np.array([load[f] for f in factors]) * scale)
    return np.vstack(rows)


def test_residual_matches_a_naive_combined_portfolio(market, ig200):
    """Basket + hedge as one bond portfolio: its DV01, CS01 and variance, computed plainly."""
    h = select_hedge(ig200, market, basis_vol_bp=0.0)
    parts = [ig200.set_index("id")["par"]]
    for name, w in h.notional_usd.items():
        etf = market.etfs[name]
        parts.append(etf.holdings * (w / (etf.nav(market) * etf.shares_outstanding)))
    par = pd.concat(parts).groupby(level=0).sum()
    combined = basket_risk(pd.DataFrame({"id": par.index, "par": par.to_numpy()}), market)
    assert_allclose(h.residual_dv01_usd, combined.dv01_usd, rtol=1e-8)
    assert_allclose(h.residual_cs01_usd, combined.credit_cs01_usd, rtol=1e-8)
    assert_allclose(h.residual_key_rate_dv01.to_numpy(), combined.key_rate_dv01.to_numpy(),
                    rtol=1e-8, atol=1e-6)  # fmt: skip
    cov = factor_covariance(market)
    lines = combined.to_frame()
    load = pd.Series(0.0, index=cov.index)
    for c in lines.columns:
        if c.startswith("key_rate_dv01_"):
            load[f"rate_{c[14:-4]}"] += lines[c].sum()
    credit = lines[lines["sector"] != "Treasury"]
    for prefix in ("rating", "sector"):
        for key, v in credit.groupby(prefix)["credit_cs01_usd"].sum().items():
            load[f"{prefix}_{key}"] += v
    idio_vol = np.where(lines["sector"] == "Treasury", IDIOSYNCRATIC_VOL_BP["govt"],
                        [IDIOSYNCRATIC_VOL_BP[r] for r in lines["rating"]])  # fmt: skip
    var = float(load @ cov.to_numpy() @ load) + float(((lines["cs01_usd"] * idio_vol) ** 2).sum())
    assert_allclose(h.tracking_vol_usd**2, var, rtol=VAR_RTOL)


def test_short_and_notional_limits_are_respected(market, ig200):
    free = select_hedge(ig200, market)
    limit = 0.25 * float(free.notional_usd.abs().max())
    h = select_hedge(ig200, market, short_limit_usd=limit)
    assert (h.notional_usd >= -limit * (1 + 1e-9)).all()
    assert h.variance_reduction <= free.variance_reduction
    caps = {"IG_BROAD": 50e6, "IG_INTERMEDIATE": 0.0}
    c = select_hedge(ig200, market, max_notional_usd=caps)
    assert "IG_INTERMEDIATE" not in c.notional_usd.index
    if "IG_BROAD" in c.notional_usd.index:
        assert abs(c.notional_usd["IG_BROAD"]) <= 50e6 * (1 + 1e-9)
    none = select_hedge(ig200, market, short_limit_usd=0.0)
    assert (none.notional_usd >= 0).all()


def test_short_basket_buys_the_etf(market):
    b = _basket(market, "HY", 30, 9)
    b["par"] = -b["par"]
    h = select_hedge(b, market, max_instruments=1)
    assert list(h.notional_usd.index) == ["HY"] and h.notional_usd["HY"] > 0
    assert h.to_frame()["trade_side"].tolist() == ["buy"]


def test_horizon_scales_tracking_vol(market, ig200):
    one = select_hedge(ig200, market)
    ten = select_hedge(ig200, market, horizon_days=10)
    assert_allclose(ten.tracking_vol_usd, one.tracking_vol_usd * np.sqrt(10), rtol=1e-12)
    assert_allclose(ten.tracking_vol_bp, ten.tracking_vol_usd / ten.basket.market_value_usd * 1e4)
    assert_allclose(ten.notional_usd.to_numpy(), one.notional_usd.to_numpy(), rtol=1e-10)


def test_shares_are_notional_over_nav(market, ig200):
    h = select_hedge(ig200, market)
    navs = pd.Series({n: market.etfs[n].nav(market) for n in h.notional_usd.index})
    assert_allclose(h.shares.to_numpy(), (h.notional_usd / navs).to_numpy(), rtol=1e-12)


def test_custom_candidates_user_built_etf(market):
    """Any ETF the user builds (here: a sample of the broad fund) is a candidate."""
    broad = market.etfs["IG_BROAD"]
    sample = broad.replace(name="MY_IG", holdings=broad.holdings.iloc[::3])
    b = pd.DataFrame({"id": broad.holdings.index[::3], "par": broad.holdings.iloc[::3] / 100})
    h = select_hedge(b, market, [sample, market.etfs["TREASURY"]], 1, basis_vol_bp=0.0)
    assert list(h.notional_usd.index) == ["MY_IG"]
    assert h.variance_reduction > 0.999  # the basket is the fund, scaled: by construction


def test_factor_covariance_defaults_and_stress(market):
    cov = factor_covariance(market)
    vol = pd.Series(np.sqrt(np.diag(cov)), index=cov.index)
    assert_allclose(vol["rate_10y"], RATE_VOL_BP[10.0])
    assert np.linalg.eigvalsh(cov.to_numpy()).min() > 0
    stress = factor_covariance(market, regime="stress")
    svol = pd.Series(np.sqrt(np.diag(stress)), index=cov.index)
    assert_allclose(svol["rate_10y"], vol["rate_10y"] * STRESS_MULTIPLIERS["rates"])
    assert_allclose(svol["rating_BBB"], vol["rating_BBB"] * STRESS_MULTIPLIERS["spreads"])
    assert list(cov.index) == list(cov.columns)


def test_factor_covariance_from_history(market):
    cov = factor_covariance(market)
    rng = np.random.default_rng(10)
    draws = rng.multivariate_normal(np.zeros(len(cov)), cov.to_numpy(), size=500)
    hist = pd.DataFrame(draws, columns=cov.index)
    hist["extra"] = 1.0
    est = factor_covariance(market, history=hist)
    assert_allclose(est.to_numpy(), np.cov(draws, rowvar=False))
    b = _basket(market, "IG", 30, 11)
    h = select_hedge(b, market, history=hist)
    assert h.variance_reduction > 0.9


def test_regression_method(market):
    """Returns simulated from the factor model: OLS hedge, R^2 = variance reduction."""
    b = _basket(market, "HY", 40, 12)
    cov = factor_covariance(market)
    names = list(market.etfs)
    x = _naive_loadings(b, market, names, cov.index)
    mv = basket_risk(b, market).market_value_usd
    rng = np.random.default_rng(13)
    f = rng.multivariate_normal(np.zeros(len(cov)), cov.to_numpy(), size=750)
    etf_ret = pd.DataFrame(-f @ x[1:].T, columns=names)  # return per USD: -loading x move
    noise = rng.normal(0.0, 5e-5, size=len(f))
    basket_ret = pd.Series(-f @ x[0] / mv + noise)
    h = select_hedge(b, market, method="regression", returns=etf_ret, basket_returns=basket_ret)
    assert h.method == "regression" and "HY" in h.notional_usd.index
    assert_allclose(h.variance_reduction, h.regression.rsquared, rtol=1e-8)
    assert_allclose(-h.regression.params[h.notional_usd.index].to_numpy(),
                    h.notional_usd.to_numpy(), rtol=1e-6)  # fmt: skip
    factor = select_hedge(b, market, idiosyncratic=False, basis_vol_bp=0.0)
    assert abs(h.variance_reduction - factor.variance_reduction) < 0.05


def test_summary_and_copies(market, ig200):
    h = select_hedge(ig200, market)
    text = str(h.summary())
    assert "variance_reduction" in text and "e+" not in text
    f = h.to_frame()
    f["notional_usd"] = 0.0
    n = h.notional_usd
    n[:] = 0.0
    assert (h.notional_usd != 0).all()
    assert "HedgeSelection(" in repr(h)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_instruments": 0}, r"max_instruments: 0 must be between 1 and .* \(5\)"),
        ({"max_instruments": 6}, r"max_instruments: 6 must be between 1"),
        ({"max_instruments": 2.5}, "max_instruments"),
        ({"method": "lasso"}, "method: 'lasso' is not one of"),
        ({"search": "random"}, "search"),
        ({"horizon_days": -1.0}, "horizon_days"),
        ({"horizon_days": np.nan}, "horizon_days"),
        ({"short_limit_usd": -1.0}, "short_limit_usd"),
        ({"max_notional_usd": np.nan}, "max_notional_usd"),
        ({"max_notional_usd": {"NOPE": 1.0}}, r"max_notional_usd: \['NOPE'\] are not candidates"),
        ({"short_limit_usd": {"HY": -5.0}}, r"short_limit_usd\[HY\]"),
        ({"method": "regression"}, "give returns"),
        ({"covariance": pd.DataFrame({"a": [1.0]})}, "covariance: missing factor"),
        ({"history": pd.DataFrame({"rate_1y": [1.0, 2.0]})}, "history: missing"),
    ],
)
def test_bad_arguments(market, ig200, kwargs, match):
    with pytest.raises(InputError, match=match):
        select_hedge(ig200, market, **kwargs)


def test_bad_positions_and_zero_market_value(market):
    with pytest.raises(InputError, match="not bonds of the market.*XYZ"):
        select_hedge(pd.DataFrame({"id": ["XYZ"], "par": [1e6]}), market)
    i = market.etfs["HY"].holdings.index[0]
    with pytest.raises(InputError, match="net market value is 0"):
        select_hedge(pd.DataFrame({"id": [i, i], "par": [1e6, -1e6]}), market)
    with pytest.raises(InputError, match=r"positions row 0 .*par nan"):
        select_hedge(pd.DataFrame({"id": [i], "par": [np.nan]}), market)


def test_bad_candidates(market, ig200):
    hy = market.etfs["HY"]
    with pytest.raises(InputError, match="HY and HY_COPY have identical risk"):
        select_hedge(ig200, market, {"HY": hy, "HY_COPY": hy.replace(name="HY_COPY")}, 1)
    with pytest.raises(InputError, match="HY and HY_X2 have identical risk"):
        select_hedge(ig200, market, [hy, hy.replace(name="HY_X2", holdings=hy.holdings * 2,
                                                    shares_outstanding=hy.shares_outstanding * 2)],
                     1)  # fmt: skip
    empty = hy.replace(name="CASH", holdings=hy.holdings * 0.0, cash_usd=1e9)
    with pytest.raises(InputError, match="CASH has no rate or spread risk"):
        select_hedge(ig200, market, [hy, empty], 1)
    with pytest.raises(InputError, match=r"candidates\[1\]: expected an ETF, got str"):
        select_hedge(ig200, market, [hy, "LQD"], 1)
    with pytest.raises(InputError, match="'HY' appears twice"):
        select_hedge(ig200, market, [hy, hy], 1)
    with pytest.raises(InputError, match="no candidate ETFs"):
        select_hedge(ig200, market, [], 1)
    with pytest.raises(InputError, match=r"max_instruments: 2 must be between 1 and .* \(1\)"):
        select_hedge(ig200, market, [hy], 2)


def test_bad_regression_inputs(market, ig200):
    names = list(market.etfs)
    rng = np.random.default_rng(14)
    ret = pd.DataFrame(rng.normal(0, 1e-3, (50, 5)), columns=names)
    base = pd.Series(rng.normal(0, 1e-3, 50))
    with pytest.raises(InputError, match=r"returns: no column for candidate\(s\) \['HY'\]"):
        select_hedge(ig200, market, method="regression", returns=ret.drop(columns="HY"),
                     basket_returns=base)  # fmt: skip
    with pytest.raises(InputError, match="indexes differ"):
        select_hedge(ig200, market, method="regression", returns=ret,
                     basket_returns=base.set_axis(range(1, 51)))  # fmt: skip
    bad = ret.copy()
    bad.iloc[7, 2] = np.nan
    with pytest.raises(InputError, match="returns row 7"):
        select_hedge(ig200, market, method="regression", returns=bad, basket_returns=base)
    with pytest.raises(InputError, match="give at least 7"):
        select_hedge(ig200, market, method="regression", returns=ret.iloc[:5],
                     basket_returns=base.iloc[:5])  # fmt: skip


def test_stress_regime_raises_risk_and_keeps_the_choice(market):
    b = _basket(market, "HY", 30, 15)
    normal = select_hedge(b, market, max_instruments=1)
    stress = select_hedge(b, market.with_regime("stress"), max_instruments=1)
    assert stress.basket_vol_usd > 2 * normal.basket_vol_usd
    assert list(stress.notional_usd.index) == ["HY"]


def test_basis_vol_argument(market, ig200):
    off = select_hedge(ig200, market, basis_vol_bp=0.0)
    on = select_hedge(ig200, market, basis_vol_bp={"IG_BROAD": 20.0})
    assert on.tracking_vol_usd > off.tracking_vol_usd
    with pytest.raises(InputError, match="basis_vol_bp"):
        select_hedge(ig200, market, basis_vol_bp=-1.0)


def test_bad_factor_covariance_inputs(market):
    cov = factor_covariance(market)
    hist = pd.DataFrame(np.zeros((3, len(cov))), columns=cov.index)
    hist.iloc[1, 4] = np.nan
    with pytest.raises(InputError, match=rf"history row 1 .*column {cov.index[4]}"):
        factor_covariance(market, history=hist)
    with pytest.raises(InputError, match="at least 2 days"):
        factor_covariance(market, history=hist.iloc[:1])
    with pytest.raises(InputError, match="expected a DataFrame"):
        factor_covariance(market, history=np.zeros((3, 3)))
    with pytest.raises(InputError, match="regime: 'calm' is not one of"):
        factor_covariance(market, regime="calm")
    asym = cov.copy()
    asym.iloc[0, 1] += 1.0
    b = _basket(market, "IG", 10, 16)
    with pytest.raises(InputError, match="not symmetric"):
        select_hedge(b, market, covariance=asym)
    neg = cov.copy()
    neg.iloc[0, 0] = -1.0
    with pytest.raises(InputError, match="positive semi-definite"):
        select_hedge(b, market, covariance=neg)
    h = select_hedge(b, market, covariance=cov)
    assert_allclose(h.variance_reduction, select_hedge(b, market).variance_reduction)


def test_best_subset_strictly_beats_greedy_on_an_hy_basket(market):
    """A case where the greedy path (HY first, then the best addition) is not optimal."""
    b = _basket(market, "HY", 40, 25)
    best = select_hedge(b, market, max_instruments=3)
    greedy = select_hedge(b, market, max_instruments=3, search="greedy")
    assert best.tracking_vol_usd < 0.99 * greedy.tracking_vol_usd
    assert best.variance_reduction > greedy.variance_reduction


@pytest.mark.real_data
@pytest.mark.slow
def test_a_real_holdings_file_etf_is_a_candidate(real_data):
    """LQD from its iShares holdings file (no ratings: bonds bucket by grade) hedges its bonds."""
    import warnings

    from etfcore.errors import DataWarning
    from etfcore.market import etf_from_ishares

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the reader reports its repairs
        lqd_market, lqd = etf_from_ishares(real_data / "lqd_holdings_2026-01_approx.csv")
    b = pd.DataFrame({"id": lqd.holdings.index[:50], "par": 1e6})
    assert basket_risk(b, lqd_market).cs01_by_rating.index.tolist() == ["IG"]
    h = select_hedge(b, lqd_market, max_instruments=1)
    assert list(h.notional_usd.index) == ["LQD"] and h.variance_reduction > 0.95
    with pytest.raises(InputError, match=r"max_instruments: 3 must be between 1 and .* \(1\)"):
        select_hedge(b, lqd_market)


def test_cached_exposures_follow_the_market(market, ig200):
    """Candidate exposures are cached per fund and market: a moved market recomputes them."""
    select_hedge(ig200, market)  # warm the caches
    moved = market.with_spread_shift(75.0)
    h = select_hedge(ig200, moved)
    parts = [ig200.set_index("id")["par"]]
    for name, w in h.notional_usd.items():
        etf = moved.etfs[name]
        parts.append(etf.holdings * (w / (etf.nav(moved) * etf.shares_outstanding)))
    par = pd.concat(parts).groupby(level=0).sum()
    combined = basket_risk(pd.DataFrame({"id": par.index, "par": par.to_numpy()}), moved)
    assert_allclose(h.residual_dv01_usd, combined.dv01_usd, rtol=1e-8)
    assert not np.isclose(h.basket.dv01_usd, basket_risk(ig200, market).dv01_usd, rtol=1e-6)


def test_candidate_exposure_from_the_table_is_the_funds_own(market):
    """The numpy exposure from the market's per-bond table equals the fund_risk lines' sums."""
    from etfcore.hedging.risk import _universe_table, etf_lines
    from etfcore.hedging.selection import _candidate_exposure, _exposure, factor_names

    table = _universe_table(market)
    factors = factor_names(market)
    for name, etf in market.etfs.items():
        got = _candidate_exposure(etf, market, table, factors)
        want = _exposure(etf_lines(etf, market), factors, table.index)
        assert got.fund_kind == want.fund_kind, name
        np.testing.assert_array_equal(got.idio_pos, want.idio_pos)
        for field in ("loadings", "key_rate_dv01", "idio_usd"):
            np.testing.assert_allclose(
                getattr(got, field), getattr(want, field), rtol=1e-12, atol=1e-9, err_msg=name
            )
        np.testing.assert_allclose(got.dv01_usd, want.dv01_usd, rtol=1e-12)
        np.testing.assert_allclose(got.credit_cs01_usd, want.credit_cs01_usd, rtol=1e-12)
        net = etf.nav(market) * etf.shares_outstanding
        np.testing.assert_allclose(got.market_value_usd + etf._other_assets(), net, rtol=1e-12)
