"""SpreadCurve (etfcore.bonds.spreads): values, shocks, z-spreads, output, errors; the synthetic
market builds from it and gives the spreads it gave before."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore import BondSet, InputError
from etfcore.bonds.spreads import SpreadCurve
from etfcore.market.synthetic import (
    RATING_SPREAD_BP,
    SECTOR_SPREAD_BP,
    spread_curve_bp,
    spread_curves,
    spread_shape,
    synthetic_spread_curve,
    synthetic_universe,
)

matplotlib.use("Agg")

ROUNDING = 1e-14  # relative: the same numbers summed in another order


def small():
    return SpreadCurve(
        [0.0, 10.0, 30.0],
        ["A", "BBB"],
        [[40.0, 80.0, 90.0], [80.0, 120.0, 130.0]],
        {"Energy": 10.0, "Banking": -5.0},
        name="test",
    )


def test_linear_in_tenor_flat_outside_and_sector_add_on():
    sc = small()
    assert_allclose(sc.spread_bp("A", "Energy", [0.0, 5.0, 10.0, 20.0, 30.0, 45.0]),
                    [50.0, 70.0, 90.0, 95.0, 100.0, 100.0], rtol=ROUNDING)  # fmt: skip
    assert sc.spread_bp("BBB", "Banking", 10.0) == 115.0
    assert sc.spread_bp("BBB", None, 10.0) == 120.0  # no sector: no add-on
    assert sc.spread_bp("NR", "Treasury", 10.0) == 0.0  # zero sector needs no rating
    assert_allclose(sc.spread("BBB", "Banking", 10.0), 0.0115, rtol=ROUNDING)


def test_vectorised_over_ratings_sectors_and_years():
    sc = small()
    got = sc.spread_bp(["A", "BBB", "A"], ["Energy", "Treasury", "Banking"], [5.0, 5.0, 20.0])
    assert_allclose(got, [70.0, 0.0, 80.0], rtol=ROUNDING)
    assert got.shape == (3,)


def test_z_spreads_by_bond_id():
    f = pd.DataFrame(
        {
            "id": ["X1", "X2", "X3"],
            "coupon_rate": [0.05, 0.04, 0.03],
            "maturity_date": ["2031-01-15", "2036-01-15", "2027-01-15"],
            "rating": ["A", "BBB", "AA+"],
            "sector": ["Energy", "Banking", "Treasury"],
        }
    )
    bonds = BondSet.from_frame(f)
    z = small().z_spreads(bonds, "2026-01-15")
    years = (bonds.maturity - bonds.maturity[0] + 1826) / 365.25  # 2026-01-15 -> maturities
    expect = [(40 + 4 * years[0] + 10) * 1e-4, (80 + 4 * years[1] - 5) * 1e-4, 0.0]
    assert list(z.index) == ["X1", "X2", "X3"] and z.name == "z_spread"
    assert_allclose(z.to_numpy(), expect, rtol=1e-12)


def test_z_spreads_errors_name_the_bond():
    f = pd.DataFrame(
        {
            "id": ["X1", "X2"],
            "coupon_rate": [0.05, 0.04],
            "maturity_date": ["2031-01-15", "2036-01-15"],
            "rating": ["A", "BB"],
            "sector": ["Energy", "Crypto"],
        }
    )
    bonds = BondSet.from_frame(f)
    with pytest.raises(InputError, match=r"sector: bond X2: 'Crypto' is not a sector"):
        small().z_spreads(bonds, "2026-01-15")
    with pytest.raises(InputError, match=r"rating: bond X2: 'BB' is not a rating.*\['A', 'BBB'\]"):
        small().z_spreads(bonds, "2026-01-15", sector="")
    with pytest.raises(InputError, match=r"bonds have no 'grade' column"):
        small().z_spreads(bonds, "2026-01-15", rating="grade")
    with pytest.raises(InputError, match=r"years: bond X1: -0.0\d+ must be a finite number"):
        small().z_spreads(bonds, "2031-02-15", sector="")


def test_shocks_by_rating_sector_parallel_and_scale_return_new_curves():
    sc = small()
    up = sc.shocked(by_rating_bp={"BBB": 25.0}, by_sector_bp={"Energy": 5.0})
    assert up is not sc
    assert up.spread_bp("BBB", "Energy", 10.0) == 120.0 + 10.0 + 25.0 + 5.0
    assert up.spread_bp("A", "Banking", 10.0) == 80.0 - 5.0  # untouched
    assert sc.spread_bp("BBB", "Energy", 10.0) == 130.0  # the original is unchanged
    assert sc.parallel(10.0).spread_bp("A", None, 0.0) == 50.0
    assert sc.parallel(10.0).spread_bp("A", "Treasury", 0.0) == 0.0
    assert sc.shocked(scale=2.0, parallel_bp=-10.0).spread_bp("A", None, 10.0) == 150.0
    with pytest.raises(InputError, match=r"by_rating_bp: 'CCC' is not a rating"):
        sc.shocked(by_rating_bp={"CCC": 10.0})
    with pytest.raises(InputError, match=r"by_sector_bp: 'Treasury' is not a sector with"):
        sc.shocked(by_sector_bp={"Treasury": 10.0})
    with pytest.raises(InputError, match=r"scale: -1.0 must be a finite number >= 0"):
        sc.shocked(scale=-1.0)
    with pytest.raises(InputError, match=r"parallel_bp: nan must be a finite shift"):
        sc.parallel(float("nan"))


def test_frozen_and_copies():
    sc = small()
    with pytest.raises(AttributeError):
        sc.name = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        sc.spreads_bp[0, 0] = 1.0
    frame = sc.to_frame()
    frame.iloc[0, 0] = 999.0
    assert sc.spreads_bp[0, 0] == 40.0
    with pytest.raises(TypeError):
        sc.sector_bp["Energy"] = 1.0  # type: ignore[index]


def test_from_frame_summary_plot_repr():
    sc = small()
    again = SpreadCurve.from_frame(sc.to_frame(), sector_bp=sc.sector_bp)
    assert_allclose(again.spreads_bp, sc.spreads_bp)
    text = str(sc.summary())
    assert "30y_bp" in text and "130.00" in text and "Energy" in text
    ax = sc.plot()
    assert ax.get_xlabel() == "years to maturity"
    assert repr(sc) == "SpreadCurve(test: 2 ratings x 3 tenors (0..30 years), 2 sectors)"
    cols = pd.DataFrame({"5y": [70.0]}, index=["A"])
    assert SpreadCurve.from_frame(cols).tenors.tolist() == [5.0]


@pytest.mark.parametrize(
    "args, match",
    [
        (([1.0, 0.5], ["A"], [[1.0, 2.0]]), r"tenors: position 1 value 0.5 is not after"),
        (([-1.0], ["A"], [[10.0]]), r"tenors: .* negative tenor"),
        (([1.0, 2.0], ["A"], [[10.0]]), r"spreads_bp: shape \(1, 1\), expected \(1, 2\)"),
        (([1.0], ["A", "A"], [[10.0], [20.0]]), r"ratings: 'A' appears twice"),
        (([1.0], ["A"], [[np.nan]]), r"spreads_bp: position 0 has nan"),
        (([1.0, 10.0], ["A"], [[0.005, 0.008]]), r"looks like a decimal; pass basis points"),
        (([1.0], ["A"], [[10.0]], {"Treasury": 1.0}), r"also in zero_sectors"),
    ],
)
def test_construction_errors(args, match):
    with pytest.raises(InputError, match=match):
        SpreadCurve(*args)


def test_spread_bp_errors():
    with pytest.raises(InputError, match=r"rating: 'AAA' is not a rating of this spread curve"):
        small().spread_bp("AAA", None, 5.0)
    with pytest.raises(InputError, match=r"years: -1.0 must be a finite number of years"):
        small().spread_bp("A", None, -1.0)


# ------------------------------------------------------------------ the synthetic market
def test_synthetic_curve_is_the_old_formula():
    """RATING_SPREAD_BP x spread_shape + SECTOR_SPREAD_BP, as synthetic.py computed it."""
    sc = synthetic_spread_curve()
    years = np.linspace(0.0, 45.0, 451)
    for r in RATING_SPREAD_BP:
        for s in SECTOR_SPREAD_BP:
            old = RATING_SPREAD_BP[r] * spread_shape(years) + SECTOR_SPREAD_BP[s]
            assert_allclose(sc.spread_bp(r, s, years), old, rtol=ROUNDING)
            assert_allclose(spread_curve_bp(r, s, years), old, rtol=ROUNDING)
    table = spread_curves()
    for r in RATING_SPREAD_BP:  # the old table, exactly (values at the knots)
        assert (table.loc[r].to_numpy() == RATING_SPREAD_BP[r] * spread_shape(table.columns)).all()


def test_synthetic_universe_z_spreads_unchanged_for_seed_0():
    """Reference: synthetic_universe(0).z_spread computed by etfcore at commit 0de3e81
    (before the SpreadCurve), which drew spreads with RATING x shape + SECTOR inline."""
    z = synthetic_universe(0).z_spread
    assert len(z) == 5500
    ref = {
        "12TA7AA02": 0.008632911498118985,
        "121HCLA07": 0.006424748607680479,
        "10C9VNA02": 0.006086738239769428,
        "13GVPZA11": 0.006158798912223026,
        "12VAQEA34": 0.007929433561168032,
        "41QWFCAC7": 0.019879827570550568,
    }
    assert_allclose(z[list(ref)].to_numpy(), list(ref.values()), rtol=ROUNDING)
    assert_allclose(z.sum(), 59.48052714494044, rtol=ROUNDING)
    # and the SpreadCurve gives the median the draws scatter around
    u = synthetic_universe(0)
    median = synthetic_spread_curve().z_spreads(u.bonds, "2026-01-15")
    ratio = z / median
    assert 0.95 <= ratio.median() <= 1.05
