"""etfcore.dynamics.estimate: recovery of known parameters from simulated data, bad input.

Every DGP below is simulated in the test with a fixed seed; the "reference values" are the
parameters that generated the data, and each is recovered within its confidence interval.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.dynamics import fit_premium, premium_discount
from etfcore.dynamics.estimate import (
    fit_ar1,
    fit_band_tar,
    fit_flows,
    fit_nav_staleness,
    fit_vecm,
    information_shares,
)
from etfcore.errors import ConvergenceError, DataWarning, InputError

SEEDS = (0, 1, 2)
EXACT = 1e-12


def days(n: int, start: str = "2004-01-01") -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n)


def ar1(n: int, phi: float, sigma: float, mean: float, rng: np.random.Generator) -> np.ndarray:
    p = np.empty(n)
    p[0] = mean
    for t in range(1, n):
        p[t] = mean + phi * (p[t - 1] - mean) + rng.normal(0, sigma)
    return p


def band_tar(n, lower, upper, phi_out, phi_in, sigma, rng):
    p = np.zeros(n)
    p[0] = 0.5 * (lower + upper)
    for t in range(1, n):
        q = p[t - 1]
        if q < lower:
            p[t] = lower + phi_out * (q - lower)
        elif q > upper:
            p[t] = upper + phi_out * (q - upper)
        else:
            p[t] = q * phi_in + (1 - phi_in) * 0.5 * (lower + upper)
        p[t] += rng.normal(0, sigma)
    return p


def vecm_dgp(n, a_price, a_nav, rng, sd=(0.004, 0.002), rho=0.3, const=0.001):
    """d y = alpha (y0 - y1 - const)_(t-1) + u, y = (log price, log NAV)."""
    cov = np.array([[sd[0] ** 2, rho * sd[0] * sd[1]], [rho * sd[0] * sd[1], sd[1] ** 2]])
    u = rng.multivariate_normal([0, 0], cov, size=n)
    y = np.empty((n, 2))
    y[0] = [4.6 + const, 4.6]
    alpha = np.array([a_price, a_nav])
    for t in range(1, n):
        ec = y[t - 1, 0] - y[t - 1, 1] - const
        y[t] = y[t - 1] + alpha * ec + u[t]
    return y, cov


def inside(value, interval):
    lo, hi = interval
    return lo <= value <= hi


# ----------------------------------------------------------------------- premium_discount
def test_premium_discount_convention_and_alignment():
    idx = days(4)
    price = pd.Series([101.0, 99.0, 100.0, 100.5], idx)
    nav = pd.Series([100.0, 100.0, 100.0, 100.0, 100.0], days(5, "2003-12-31"))
    out = premium_discount(price, nav)
    assert out.name == "premium_bp" and out.attrs["price"] == "close"
    assert_allclose(out.to_numpy(), [100.0, -100.0, 0.0, 50.0], atol=EXACT)
    assert list(out.index) == list(idx)


def test_premium_discount_midpoint():
    idx = days(2)
    out = premium_discount(
        None,
        pd.Series([100.0, 100.0], idx),
        bid=pd.Series([99.0, 100.0], idx),
        ask=pd.Series([101.0, 101.0], idx),
    )
    assert out.attrs["price"] == "bid/ask midpoint"
    assert_allclose(out.to_numpy(), [0.0, 50.0], atol=EXACT)


def test_premium_discount_arrays_by_position():
    assert_allclose(premium_discount([101.0, 99.0], [100.0, 100.0]).to_numpy(), [100, -100])


@pytest.mark.parametrize(
    ("price", "nav", "match"),
    [
        (
            [100.0, -1.0, 100.0],
            [100.0] * 3,
            r"price: .*2004-01-02 has -1.0; it must be a finite number > 0",
        ),
        ([100.0] * 3, [100.0, 0.0, 100.0], r"nav: .*2004-01-02 has 0.0"),
        ([100.0, np.inf, 100.0], [100.0] * 3, r"price: .*2004-01-02 has inf"),
        ([100.0, "abc", 100.0], [100.0] * 3, r"price: 2004-01-02 has 'abc', which is not a number"),
        ([100.0, np.nan, 100.0], [100.0] * 3, r"price: 2004-01-02 is NaN .*dropna=True"),
    ],
)
def test_premium_discount_bad_values(price, nav, match):
    idx = days(3)
    with pytest.raises(InputError, match=match):
        premium_discount(pd.Series(price, idx, dtype=object), pd.Series(nav, idx))


def test_duplicate_dates_named():
    idx = pd.DatetimeIndex(["2020-03-12", "2020-03-12", "2020-03-13"])
    with pytest.raises(
        InputError, match=r"price: date 2020-03-12 appears 2 times \(values 117.9, 118.0\)"
    ):
        premium_discount(pd.Series([117.9, 118.0, 123.1], idx), pd.Series([124.0] * 3, idx))


def test_no_overlap():
    with pytest.raises(
        InputError, match=r"do not overlap \(price 2004-01-01 to 2004-01-05; nav 2010"
    ):
        premium_discount(pd.Series(100.0, days(3)), pd.Series(100.0, days(3, "2010-01-01")))


def test_missing_date_inside_range_and_dropna():
    idx = days(5)
    nav = pd.Series(100.0, idx.delete(2))
    price = pd.Series(101.0, idx)
    with pytest.raises(
        InputError, match=r"nav: 2004-01-05 has no value \(the other series have price=101.0\)"
    ):
        premium_discount(price, nav)
    with pytest.warns(DataWarning, match=r"dropped 1 date .*2004-01-05"):
        out = premium_discount(price, nav, dropna=True)
    assert len(out) == 4 and out.attrs["n_dropped"] == 1


def test_bid_ask_errors():
    idx = days(2)
    nav = pd.Series(100.0, idx)
    with pytest.raises(InputError, match="bid, ask: give both"):
        premium_discount(None, nav, bid=pd.Series(99.0, idx))
    with pytest.raises(InputError, match="bid: 2004-01-02 has bid 101.0 above ask 100.5"):
        premium_discount(None, nav, bid=pd.Series([99.0, 101.0], idx), ask=pd.Series(100.5, idx))
    with pytest.raises(InputError, match="either price .* or bid and ask"):
        premium_discount(nav, nav, bid=nav, ask=nav)


def test_arrays_of_different_length():
    with pytest.raises(InputError, match="price has 3, nav has 2 values"):
        premium_discount([1.0, 2.0, 3.0], [1.0, 2.0])


# ----------------------------------------------------------------------- AR(1) / half-life
@pytest.mark.parametrize("seed", SEEDS)
def test_ar1_recovers_phi_and_half_life(seed):
    rng = np.random.default_rng(seed)
    phi = 0.7
    s = pd.Series(ar1(3000, phi, 12.0, 15.0, rng), days(3000))
    res = fit_ar1(s)
    assert inside(phi, res.conf_int().loc["phi[all]"])
    assert inside(math.log(0.5) / math.log(phi), res.half_life_conf_int)
    assert_allclose(res.to_frame().loc["all", "mean_bp"], 15.0, atol=3.0)


def test_ar1_by_period_and_regime_series():
    rng = np.random.default_rng(7)
    calm = ar1(1500, 0.4, 10.0, 15.0, rng)
    stress = ar1(1500, 0.9, 50.0, -50.0, rng)
    idx = days(3000)
    s = pd.Series(np.r_[calm, stress], idx)
    res = fit_ar1(s, periods={"calm": (idx[0], idx[1499]), "stress": (idx[1500], idx[-1])})
    ci = res.conf_int()
    assert inside(0.4, ci.loc["phi[calm]"]) and inside(0.9, ci.loc["phi[stress]"])
    hl_calm, lo, hi = res.half_life("calm")
    assert inside(math.log(0.5) / math.log(0.4), (lo, hi))
    regimes = pd.Series(["calm"] * 1500 + ["stress"] * 1500, idx)
    res2 = fit_ar1(s, periods=regimes)
    assert_allclose(res2.params["phi[stress]"], res.params["phi[stress]"], rtol=1e-12)
    assert "Half-life ln 0.5" in str(res.summary())


def test_ar1_errors():
    s = pd.Series(ar1(100, 0.5, 1.0, 0.0, np.random.default_rng(0)), days(100))
    with pytest.raises(InputError, match=r"premium_bp: 9 usable observations .* needs at least 20"):
        fit_ar1(s.iloc[:10])
    with pytest.raises(InputError, match=r"period 'short' of premium_bp: 4 usable"):
        fit_ar1(s, periods={"short": (s.index[0], s.index[4])})
    with pytest.raises(InputError, match=r"periods\['x'\]: start 2004-02-01 is after end"):
        fit_ar1(s, periods={"x": ("2004-02-01", "2004-01-01")})
    with pytest.raises(InputError, match="the regime Series has no label on 2004-01-01"):
        fit_ar1(s, periods=pd.Series("calm", s.index[1:]))
    with pytest.raises(InputError, match="alpha: 5 must be in"):
        fit_ar1(s, alpha=5)


def test_ar1_no_mean_reversion_is_a_convergence_error():
    walk = pd.Series(
        np.cumsum(np.random.default_rng(3).normal(0, 1, 300)) + 1e-3 * np.arange(300) ** 2,
        days(300),
    )
    with pytest.raises(
        ConvergenceError, match=r"AR\(1\) premium persistence on 2004-01-02 to .*phi = .* >= 1"
    ):
        fit_ar1(walk)


def test_nan_gap_named_and_dropna_reports():
    s = pd.Series(ar1(200, 0.5, 5.0, 0.0, np.random.default_rng(0)), days(200))
    s.iloc[50] = np.nan
    with pytest.raises(InputError, match=r"premium_bp: 2004-03-11 is NaN"):
        fit_ar1(s)
    with pytest.warns(DataWarning, match=r"dropped 1 date .*2004-03-11"):
        res = fit_ar1(s, dropna=True)
    assert res.nobs == 198


# ----------------------------------------------------------------------- band TAR
@pytest.mark.parametrize("seed", SEEDS)
def test_band_tar_recovers_band(seed):
    rng = np.random.default_rng(seed)
    lower, upper = -40.0, 25.0
    s = pd.Series(band_tar(4000, lower, upper, 0.3, 0.97, 15.0, rng), days(4000))
    res = fit_band_tar(s)
    (l_ci, u_ci) = res.band_conf_int
    assert inside(lower, l_ci) and inside(upper, u_ci)
    ci = res.conf_int()
    assert inside(0.3, ci.loc["phi[above]"]) and inside(0.3, ci.loc["phi[below]"])
    assert res.lr_linear > 0
    table = res.to_frame()
    assert table.loc["inside", "half_life_days"] > table.loc["above", "half_life_days"]


def test_band_tar_errors():
    s = pd.Series(ar1(50, 0.5, 5.0, 0.0, np.random.default_rng(0)), days(50))
    with pytest.raises(
        InputError, match=r"49 usable observations .* Band threshold AR\(1\).* at least 60"
    ):
        fit_band_tar(s)
    long = pd.Series(ar1(200, 0.5, 5.0, 0.0, np.random.default_rng(0)), days(200))
    with pytest.raises(InputError, match="min_regime_share: 0.5 must be in"):
        fit_band_tar(long, min_regime_share=0.5)
    with pytest.raises(InputError, match="n_grid: 2 must be"):
        fit_band_tar(long, n_grid=2)
    few = pd.Series(np.tile([0.0, 1.0], 100), days(200))
    with pytest.raises(ConvergenceError, match=r"Band threshold AR\(1\) .*on 2004-01-02 to"):
        fit_band_tar(few)


# ----------------------------------------------------------------------- flows
@pytest.mark.parametrize("seed", SEEDS)
def test_flows_recover_slope_with_hac(seed):
    rng = np.random.default_rng(seed)
    n = 2500
    prem = ar1(n, 0.6, 15.0, 10.0, rng)
    e = ar1(n, 0.5, 4.0, 0.0, rng)  # autocorrelated flow noise: HAC matters
    flow = np.r_[0.0, 1.0 + 0.25 * prem[:-1] + e[1:]]
    shares = 5e8 * np.cumprod(1 + flow / 1e4)
    idx = days(n)
    res = fit_flows(pd.Series(shares, idx), pd.Series(prem, idx))
    assert inside(0.25, res.conf_int().loc["premium_bp[L1]"])
    assert inside(1.0, res.conf_int().loc["const"])
    assert res.maxlags > 0 and "HAC" in str(res.summary())


def test_flows_errors():
    idx = days(10)
    with pytest.raises(InputError, match=r"shares_outstanding \(flows\): 9 usable .* at least 20"):
        fit_flows(pd.Series(1e6, idx), pd.Series(1.0, idx))
    with pytest.raises(InputError, match=r"shares_outstanding: .*2004-01-02 has -5.0"):
        fit_flows(pd.Series([1e6, -5.0] + [1e6] * 8, idx), pd.Series(1.0, idx))
    with pytest.raises(InputError, match="lags: 0 must be"):
        fit_flows(pd.Series(1e6, idx), pd.Series(1.0, idx), lags=0)


# ----------------------------------------------------------------------- VECM, information shares
@pytest.mark.parametrize("seed", SEEDS)
def test_vecm_recovers_adjustment_speeds(seed):
    rng = np.random.default_rng(seed)
    y, _ = vecm_dgp(3000, -0.05, 0.4, rng)
    idx = days(3000)
    res = fit_vecm(pd.Series(np.exp(y[:, 0]), idx), pd.Series(np.exp(y[:, 1]), idx), k_ar_diff=1)
    ci = res.conf_int()
    assert inside(-0.05, ci.loc["alpha[price]"]) and inside(0.4, ci.loc["alpha[nav]"])
    assert_allclose(res.params["beta[nav]"], -1.0, atol=0.01)  # super-consistent
    assert res.cointegrated


@pytest.mark.parametrize("seed", SEEDS)
def test_information_shares_when_price_leads(seed):
    rng = np.random.default_rng(seed)
    y, cov = vecm_dgp(3000, 0.0, 0.4, rng)
    idx = days(3000)
    res = fit_vecm(pd.Series(np.exp(y[:, 0]), idx), pd.Series(np.exp(y[:, 1]), idx))
    lo, hi = res.information_share_bounds
    assert 0.0 <= lo <= hi <= 1.0
    assert res.price_information_share > 0.85 and res.component_share > 0.85
    # the DGP's own shares: price alone carries the trend, so the upper bound is 1 and
    # the lower bound 1 - rho^2 (the correlated part of NAV's innovation goes to NAV)
    pop = information_shares(np.array([0.0, 0.4]), cov)
    assert_allclose(pop["hasbrouck_upper"], 1.0, atol=EXACT)
    assert_allclose(pop["hasbrouck_lower"], 1.0 - 0.3**2, atol=EXACT)
    assert inside(pop["hasbrouck_upper"], (hi - 0.02, 1.0))
    assert inside(pop["hasbrouck_lower"], (lo - 0.03, lo + 0.03))


def test_information_shares_when_nav_leads():
    y, _ = vecm_dgp(3000, -0.4, 0.0, np.random.default_rng(11))
    idx = days(3000)
    res = fit_vecm(pd.Series(np.exp(y[:, 0]), idx), pd.Series(np.exp(y[:, 1]), idx))
    assert res.price_information_share < 0.15


def test_information_shares_textbook_case():
    # uncorrelated errors: the bounds coincide, IS_j = psi_j^2 s_j^2 / sum psi^2 s^2
    out = information_shares(np.array([-0.1, 0.3]), np.diag([4.0, 1.0]))
    psi = np.array([0.3, 0.1])
    expect = psi[0] ** 2 * 4 / (psi[0] ** 2 * 4 + psi[1] ** 2 * 1)
    assert_allclose([out["hasbrouck_lower"], out["hasbrouck_upper"]], expect, atol=EXACT)
    assert_allclose(out["gonzalo_granger"], 0.75, atol=EXACT)


def test_vecm_errors():
    idx = days(30)
    with pytest.raises(InputError, match=r"price, nav: 30 usable .* VECM .* at least 50"):
        fit_vecm(pd.Series(100.0, idx), pd.Series(100.0, idx))
    idx = days(200)
    same = pd.Series(100 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.01, 200))), idx)
    with pytest.raises(
        ConvergenceError, match=r"VECM of log ETF price and log NAV on 2004-01-01 to"
    ):
        fit_vecm(same, same)
    with pytest.raises(InputError, match="k_ar_diff: -1 must be"):
        fit_vecm(same, same, k_ar_diff=-1)


# ----------------------------------------------------------------------- staleness
@pytest.mark.parametrize("seed", SEEDS)
def test_staleness_recovers_partial_adjustment(seed):
    rng = np.random.default_rng(seed)
    n, lam = 3000, 0.6
    v = 4.6 + np.cumsum(rng.normal(0, 0.003, n))  # the ETF price is the efficient price
    m = np.empty(n)
    m[0] = v[0]
    for t in range(1, n):
        m[t] = m[t - 1] + lam * (v[t] - m[t - 1]) + rng.normal(0, 0.0003)
    idx = days(n)
    res = fit_nav_staleness(pd.Series(np.exp(v), idx), pd.Series(np.exp(m), idx), lags=3)
    ci = res.conf_int(alpha=0.01)  # 99%: four coefficients x three seeds
    for k in range(4):
        assert inside(lam * (1 - lam) ** k, ci.loc[f"etf_return[L{k}]"])
    d = res.decompose()
    assert_allclose(
        d["premium_bp"], d["estimated_staleness_bp"] + d["premium_to_fair_value_bp"], atol=1e-9
    )
    # the premium here is all staleness: the estimated split explains most of it
    assert (d["premium_to_fair_value_bp"].std()) < 0.3 * d["premium_bp"].std()


def test_staleness_errors():
    idx = days(20)
    with pytest.raises(InputError, match=r"price, nav \(returns\): 19 usable .* at least 32"):
        fit_nav_staleness(pd.Series(100.0, idx), pd.Series(100.0, idx))
    with pytest.raises(InputError, match="lags: 0 must be"):
        fit_nav_staleness(pd.Series(100.0, idx), pd.Series(100.0, idx), lags=0)


# ----------------------------------------------------------------------- fit_premium
def _fund(n, seed, lam=0.6, prem_phi=0.5, prem_sd=8.0, noise=0.0003):
    """An efficient value V, a NAV that partially adjusts to it, a price with its own premium."""
    rng = np.random.default_rng(seed)
    v = 4.6 + np.cumsum(rng.normal(0, 0.003, n))
    m = np.empty(n)
    m[0] = v[0]
    for t in range(1, n):
        m[t] = m[t - 1] + lam * (v[t] - m[t - 1]) + rng.normal(0, noise)
    u = ar1(n, prem_phi, prem_sd, 10.0, rng) / 1e4
    idx = days(n)
    return pd.Series(np.exp(v + u), idx), pd.Series(np.exp(m), idx)


@pytest.mark.parametrize(("seed", "lam", "phi"), [(0, 0.6, 0.5), (1, 0.9, 0.8), (2, 0.3, 0.2)])
def test_fit_premium_on_several_dgps(seed, lam, phi):
    price, nav = _fund(2500, seed, lam=lam, prem_phi=phi)
    fit = fit_premium(price, nav)
    lo, hi = fit.half_life_conf_int
    assert 0 < lo <= fit.half_life_days <= hi
    assert fit.band_bp[0] < fit.band_bp[1]
    assert 0.0 <= fit.price_information_share <= 1.0
    text = str(fit.summary())
    assert "half-life_days" in text and "price information share" in text
    assert set(fit.to_frame()["band_regime"].unique()) <= {"", "below", "inside", "above"}
    assert fit.params.index[0].startswith("persistence.")


@pytest.mark.parametrize("seed", SEEDS)
def test_fit_premium_stale_nav_price_leads(seed):
    # NAV takes half of each move the same day, the price carries almost no noise of its own
    fit = fit_premium(*_fund(2500, seed, lam=0.5, prem_phi=0.5, prem_sd=1.0))
    lo, hi = fit.information_share_bounds
    assert hi > 0.99 and fit.price_information_share > 0.5
    assert fit.vecm.component_share > 0.8
    assert inside(0.5, fit.staleness.conf_int(alpha=0.01).loc["etf_return[L0]"])


def test_fit_premium_with_shares_and_midpoint():
    price, nav = _fund(600, 4)
    rng = np.random.default_rng(104)  # not the seed of _fund: its draws drive the premium
    prem = premium_discount(price, nav)
    flow = np.r_[0.0, 0.3 * prem.to_numpy()[:-1] + rng.normal(0, 3, 599)]
    shares = pd.Series(1e8 * np.cumprod(1 + flow / 1e4), price.index)
    fit = fit_premium(None, nav, shares, bid=price * 0.9999, ask=price * 1.0001)
    assert fit.flows is not None and inside(0.3, fit.flows.conf_int().loc["premium_bp[L1]"])
    assert fit.price_kind == "bid/ask midpoint"
    assert "flow slope" in str(fit.summary())


def test_fit_premium_errors():
    price, nav = _fund(300, 5)
    with pytest.raises(InputError, match="staleness_lags: 0 must be"):
        fit_premium(price, nav, staleness_lags=0)
    with pytest.raises(InputError, match=r"shares_outstanding: date .* appears 2 times"):
        fit_premium(price, nav, pd.Series(1e6, price.index[[0, 0, 1]]))
    with pytest.raises(InputError, match=r"49 usable observations .* needs at least 60"):
        fit_premium(price.iloc[:50], nav.iloc[:50])


def test_results_are_copies():
    price, nav = _fund(300, 6)
    fit = fit_premium(price, nav)
    prem, params = fit.premium_bp, fit.persistence.params
    prem.iloc[0] = 1e9
    params.iloc[0] = 1e9
    assert fit.premium_bp.iloc[0] != 1e9 and fit.persistence.params.iloc[0] != 1e9
    assert "PremiumFit" in repr(fit) and "VECMResults" in repr(fit.vecm)


def test_information_share_std_errors_match_monte_carlo():
    """The delta-method standard error of the Hasbrouck midpoint against its spread over
    40 simulated samples of the same VECM (seeded)."""
    mids, ses = [], []
    for seed in range(40):
        y, _ = vecm_dgp(800, -0.1, 0.3, np.random.default_rng(1000 + seed))
        idx = days(800)
        res = fit_vecm(pd.Series(np.exp(y[:, 0]), idx), pd.Series(np.exp(y[:, 1]), idx))
        mids.append(res.price_information_share)
        ses.append(res.share_bse["hasbrouck_mid"])
        lo, hi = res.price_information_share_conf_int()
        assert 0.0 <= lo <= res.price_information_share <= hi <= 1.0
    assert_allclose(np.mean(ses), np.std(mids, ddof=1), rtol=0.35)


def test_staleness_constant_price_is_a_convergence_error():
    idx = days(100)
    nav = pd.Series(100 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.01, 100))), idx)
    with pytest.raises(
        ConvergenceError, match=r"NAV staleness .* on 2004-01-01 to .*the ETF price does not move"
    ):
        fit_nav_staleness(pd.Series(100.0, idx), nav)


def test_fit_premium_dropna_reports():
    price, nav = _fund(400, 8)
    nav.iloc[[10, 20, 30]] = np.nan
    with pytest.raises(InputError, match=r"nav: 2004-01-15 is NaN .* 3 dates .* have a gap"):
        fit_premium(price, nav)
    with pytest.warns(DataWarning, match="dropped 3 dates"):
        fit = fit_premium(price, nav, dropna=True)
    assert fit.n_dropped == 3 and "3 dates dropped" in str(fit.summary())


def test_fit_premium_band_after_staleness_control():
    fit = fit_premium(*_fund(1500, 9))
    lo, hi = fit.band_fair_value.band_bp
    assert lo < hi
    assert "band after stale-NAV control_bp" in fit.headline().index


def test_index_kinds():
    # string dates are read as dates; whole numbers stay positions; others are an error
    p = premium_discount(pd.Series([101.0], ["2020-03-12"]), pd.Series([100.0], ["2020-03-12"]))
    assert p.index[0] == pd.Timestamp("2020-03-12")
    q = premium_discount(pd.Series([101.0, 99.0], [5, 6]), pd.Series([100.0, 100.0], [5, 6]))
    assert list(q.index) == [5, 6]
    with pytest.raises(InputError, match=r"price: the index must be dates; got \['a', 'b'\]"):
        premium_discount(pd.Series([1.0, 2.0], ["a", "b"]), pd.Series([1.0, 2.0], ["a", "b"]))
    with pytest.raises(InputError, match="some are indexed by date and some by position"):
        premium_discount(pd.Series([1.0], ["2020-01-02"]), [1.0])
    with pytest.raises(InputError, match=r"price: row 1 has -2.0"):
        premium_discount([1.0, -2.0], [1.0, 1.0])
    with pytest.raises(InputError, match=r"expected one series, got a DataFrame with columns"):
        premium_discount(pd.DataFrame({"a": [1.0], "b": [1.0]}), [1.0])


@pytest.fixture(scope="module")
def market():
    from etfcore.market import synthetic_market

    return synthetic_market(0)


@pytest.mark.parametrize("fund", ["IG_BROAD", "IG_SHORT", "IG_INTERMEDIATE", "HY", "TREASURY"])
def test_fit_premium_on_simulated_funds(market, fund):
    """Unchanged on funds it was not tuned to: the dynamics layer's own Monte Carlo."""
    from etfcore.dynamics import simulate_premium

    sim = simulate_premium(market.etfs[fund], market, "calm", n_paths=1, n_days=750, seed=3)
    idx = days(750, "2010-01-04")
    price = pd.Series(sim.price[0], idx)
    nav = pd.Series(sim.official_nav[0], idx)
    shares = pd.Series(sim.shares_outstanding[0], idx)
    fit = fit_premium(price, nav, shares)
    # the premium convention agrees with the simulation's own (bp of official NAV)
    assert_allclose(fit.premium_bp.to_numpy(), sim.premium_bp[0], atol=1e-6)
    lo, hi = fit.half_life_conf_int
    assert 0 < lo <= fit.half_life_days <= hi
    assert fit.band_bp[0] < fit.band_bp[1]
    assert 0.0 <= fit.price_information_share <= 1.0
    assert fit.flows is not None and np.isfinite(fit.flows.slope)
