"""etfcore.dynamics.estimate on real LQD data (iShares NAV, Yahoo unadjusted close).

Reference values: the iShares NAV file and the unadjusted close in ../shared/data/real
(SOURCES.md: close/NAV - 1 is -5.08% on 2020-03-19 and +5.04% on 2020-03-25).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.dynamics import fit_premium, premium_discount
from etfcore.dynamics.estimate import fit_flows
from etfcore.errors import InputError
from etfcore.io import read_nav_history

pytestmark = pytest.mark.real_data

CALM = ("2016-04-28", "2019-12-31")
STRESS = ("2020-02-24", "2020-04-30")
BP = 0.5  # the published figures are whole bp


@pytest.fixture(scope="module")
def lqd(request):
    base = request.getfixturevalue("real_data")
    nav = read_nav_history(base / "lqd_nav_daily_ishares_2002-07-22_to_2026-09-16.csv")
    close = pd.read_csv(
        base / "etf_ohlcv_2016-04_2021-04_unadjusted_close" / "LQD.csv",
        index_col="Date",
        parse_dates=True,
    )["Close"]
    return close, nav


@pytest.fixture(scope="module")
def lqd_fit(lqd):
    close, nav = lqd
    return fit_premium(close, nav, periods={"calm": CALM, "stress": STRESS})


def test_lqd_march_2020_premium(lqd):
    p = premium_discount(*lqd)
    assert_allclose(p["2020-03-12"], -502.0, atol=BP)
    assert_allclose(p["2020-03-19"], -508.0, atol=BP)
    assert_allclose(p["2020-03-25"], 504.0, atol=BP)
    assert len(p) == 1258  # the close's dates; NAV's other dates are trimmed


def test_lqd_half_life_calm_and_stress(lqd_fit):
    table = lqd_fit.persistence.to_frame()
    calm, stress = table.loc["calm"], table.loc["stress"]
    # about a day in calm markets (DESIGN.md: "AR(1) half-life about a day")
    assert calm["half_life_lower_days"] < 1.0 < calm["half_life_upper_days"]
    assert stress["half_life_days"] > calm["half_life_days"]
    # far from Fulkerson, Jordan and Riley's "up to about 30 days" at the daily close
    assert stress["half_life_upper_days"] < 30.0
    lo, hi = lqd_fit.half_life_conf_int
    assert lo < lqd_fit.half_life_days < hi


def test_lqd_band(lqd_fit):
    lower, upper = lqd_fit.band_bp
    median = float(lqd_fit.premium_bp.median())
    assert lower < median < upper
    # the calm band sits inside the published ~200 bp (Petajisto 2017): the March 2020
    # closes lie far outside it
    assert upper - lower < 200.0
    assert lqd_fit.premium_bp["2020-03-19"] < lower and lqd_fit.premium_bp["2020-03-25"] > upper


def test_lqd_price_leads_nav(lqd_fit):
    ci = lqd_fit.vecm.conf_int()
    assert ci.loc["alpha[nav]", "lower"] > 0.0  # NAV adjusts toward the price
    assert ci.loc["alpha[price]", "lower"] < 0.0 < ci.loc["alpha[price]", "upper"]
    assert lqd_fit.vecm.cointegrated
    assert lqd_fit.price_information_share > 0.5
    assert lqd_fit.vecm.component_share > 0.5


def test_lqd_nav_is_stale(lqd_fit):
    lo, _ = lqd_fit.staleness.lagged_response_conf_int()
    assert lo > 0.0  # NAV takes in yesterday's ETF moves today
    d = lqd_fit.staleness.decompose()
    # on 19 March 2020 part of the -508 bp discount is NAV not yet marked down
    row = d.loc["2020-03-19"]
    assert row["estimated_staleness_bp"] < 0.0
    assert row["premium_to_fair_value_bp"] > row["premium_bp"]


def test_lqd_shares_outstanding_too_short(real_data, lqd):
    """The shares file holds about six LQD dates in 2026: too few for the flow regression."""
    so = pd.read_csv(real_data / "etf_shares_outstanding_2025-2026.csv", parse_dates=["date"])
    lqd_so = so[so["ticker"] == "LQD"].set_index("date")["shares"].astype(float)
    prem = pd.Series(np.zeros(len(lqd_so)), lqd_so.index)
    with pytest.raises(InputError, match=r"shares_outstanding \(flows\): .* at least 20"):
        fit_flows(lqd_so, prem)
