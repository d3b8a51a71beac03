"""ScenarioPrices follows the results convention: summary() is a Summary, to_frame() a copy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.iolib.summary2 import Summary

import etfcore
from etfcore import BondSet, InputError

SETTLE = "2026-06-15"


@pytest.fixture(scope="module")
def result():
    bonds = BondSet.from_frame(
        pd.DataFrame(
            {
                "id": ["A", "B"],
                "coupon_rate": [0.05, 0.04],
                "maturity_date": ["2031-06-15", "2026-11-15"],
            }
        )
    )
    curve = etfcore.ZeroCurve(SETTLE, [1, 5, 10], [0.04, 0.042, 0.045])
    return etfcore.reprice_scenarios(bonds, curve.parallel_shocks([-100, 0, 100]), SETTLE)


def test_summary_is_a_statsmodels_summary(result):
    s = result.summary()
    assert isinstance(s, Summary)
    text = str(s)
    assert "2 bonds x 3 scenarios" in text
    assert "worst_change" in text


def test_to_frame_is_a_copy(result):
    frame = result.to_frame()
    frame.iloc[0, 0] = -1.0
    assert result.prices.iloc[0, 0] > 0
    assert result.to_frame().iloc[0, 0] > 0


def test_pnl_in_money_by_id(result):
    par = pd.Series({"B": 2e6, "A": 1e6})
    money = result.pnl(par)
    per_100 = result.pnl()
    np.testing.assert_allclose(money.loc["A"], per_100.loc["A"] * 1e4, rtol=1e-14)
    np.testing.assert_allclose(money.loc["B"], per_100.loc["B"] * 2e4, rtol=1e-14)


def test_pnl_par_missing_a_bond(result):
    with pytest.raises(InputError, match=r"par: does not match the bonds \(no value for 1 bond"):
        result.pnl(pd.Series({"A": 1e6}))
