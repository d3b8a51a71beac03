"""ScenarioPrices is frozen: its ``base`` and ``prices`` are read-only views, not copies."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pandas as pd
import pytest

import etfcore
from etfcore import BondSet
from etfcore.bonds.pricing import ScenarioPrices

SETTLE = "2026-06-15"
READ_ONLY = "assignment destination is read-only"


@pytest.fixture()
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


@pytest.mark.parametrize(
    "write",
    [
        lambda r: r.prices.iloc.__setitem__((0, 0), 0.0),
        lambda r: r.prices.loc.__setitem__("A", 0.0),
        lambda r: r.prices.to_numpy().__setitem__((0, 0), 0.0),
        lambda r: r.base.iloc.__setitem__(0, 0.0),
        lambda r: r.base.to_numpy().__setitem__(0, 0.0),
    ],
    ids=["prices.iloc", "prices.loc row", "prices.to_numpy", "base.iloc", "base.to_numpy"],
)
def test_writing_into_the_result_raises(result, write):
    before = result.to_frame()
    with pytest.raises(ValueError, match=READ_ONLY):
        write(result)
    pd.testing.assert_frame_equal(result.prices, before)


def test_frames_handed_out_by_methods_are_new_and_writable(result):
    frame = result.to_frame()
    frame.iloc[0, 0] = -1.0
    pnl = result.pnl()
    pnl.iloc[0, 0] = -1.0
    assert result.prices.iloc[0, 0] > 0
    assert result.pnl().iloc[0, 0] != -1.0


def test_read_only_views_are_not_copies():
    # built directly: the stored data is the given array, seen through a read-only view, and
    # the caller's own array keeps its flags
    prices = np.arange(6.0).reshape(3, 2)
    base = np.array([1.0, 2.0, 3.0])
    res = ScenarioPrices(
        base=pd.Series(base, index=list("abc"), copy=False),
        prices=pd.DataFrame(prices, index=list("abc"), copy=False),
    )
    assert np.shares_memory(res.prices.to_numpy(), prices)
    assert np.shares_memory(res.base.to_numpy(), base)
    assert prices.flags.writeable and base.flags.writeable
    assert not res.prices.to_numpy().flags.writeable
    assert list(res.prices.index) == ["a", "b", "c"]


def test_pickled_and_copied_results_stay_read_only(result):
    for other in (pickle.loads(pickle.dumps(result)), copy.deepcopy(result), copy.copy(result)):
        pd.testing.assert_frame_equal(other.prices, result.prices)
        pd.testing.assert_series_equal(other.base, result.base)
        with pytest.raises(ValueError, match=READ_ONLY):
            other.prices.iloc[0, 0] = 0.0
        with pytest.raises(ValueError, match=READ_ONLY):
            other.base.iloc[0] = 0.0


def test_key_rate_durations_still_work_on_read_only_prices():
    curve = etfcore.ZeroCurve(SETTLE, [1, 5, 10], [0.04, 0.042, 0.045])
    bonds = BondSet.from_frame(
        pd.DataFrame({"id": ["A"], "coupon_rate": [0.05], "maturity_date": ["2031-06-15"]})
    )
    krd = etfcore.key_rate_durations(bonds, curve, SETTLE)
    assert np.isfinite(krd.to_numpy()).all()


@pytest.mark.parametrize(
    ("par", "match"),
    [
        ([1e6, np.nan], r"par: every value must be a finite number; got row 1 \(id B\): nan"),
        ([1e6, 2e6, 3e6], r"par: 3 values \(shape \(3,\)\) for 2 bonds"),
        ("lots", r"par: 'lots' is not a number"),
    ],
)
def test_pnl_bad_par_is_named(result, par, match):
    with pytest.raises(etfcore.InputError, match=match):
        result.pnl(par)


def test_pnl_par_short_positions_and_other_bonds(result):
    par = pd.Series({"Z": 5e6, "B": -2e6, "A": 1e6})  # Z is not in the result: ignored
    np.testing.assert_allclose(
        result.pnl(par).to_numpy(), result.pnl([1e6, -2e6]).to_numpy(), rtol=0, atol=0
    )
    np.testing.assert_allclose(result.pnl(par).loc["B"], result.pnl().loc["B"] * -2e4, rtol=1e-14)
