"""etfcore._validation.per_bond: one float per bond from a scalar, a Series by id or an array.

The shared per-bond coercer (issue 6, "two per-bond coercers with different rules"): the
liquidity models use it for notionals, weights and scores; bond pricing can switch to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from etfcore._validation import per_bond
from etfcore.errors import InputError

IDS = pd.Index(["A", "B", "C"])


def test_scalar_is_broadcast_to_every_bond():
    out = per_bond(2.5, IDS, "x")
    assert_array_equal(out, [2.5, 2.5, 2.5])
    out[0] = 0.0  # a new, writable array
    assert_array_equal(per_bond(np.float64(2.5), IDS, "x"), [2.5, 2.5, 2.5])


def test_series_is_aligned_by_id_not_by_position():
    values = pd.Series([3.0, 1.0, 2.0], index=["C", "A", "B"])
    assert_array_equal(per_bond(values, IDS, "x"), [1.0, 2.0, 3.0])


def test_array_in_bond_order_and_a_copy():
    given = np.array([1.0, 2.0, 3.0])
    out = per_bond(given, IDS, "x")
    assert_array_equal(out, given)
    out[0] = 99.0
    assert given[0] == 1.0
    assert_array_equal(per_bond([1, 2, 3], list(IDS), "x"), [1.0, 2.0, 3.0])


def test_missing_ids_are_named_and_counted():
    with pytest.raises(
        InputError, match=r"x: does not match the bonds \(no value for 2 bond\(s\): B, C\)"
    ):
        per_bond(pd.Series([1.0], index=["A"]), IDS, "x")


def test_unknown_ids_are_an_error_or_ignored():
    values = pd.Series([1.0, 2.0, 3.0, 4.0], index=["A", "B", "C", "Z"])
    with pytest.raises(InputError, match=r"values for 1 unknown id\(s\): Z"):
        per_bond(values, IDS, "x")
    assert_array_equal(per_bond(values, IDS, "x", unknown_ids="ignore"), [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match=r"unknown_ids: 'drop' is not one of"):
        per_bond(values, IDS, "x", unknown_ids="drop")


def test_duplicate_ids_are_an_error():
    with pytest.raises(InputError, match=r"x: bond id\(s\) \['A'\] are given more than once"):
        per_bond(pd.Series([1.0, 2.0, 3.0, 4.0], index=["A", "A", "B", "C"]), IDS, "x")


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([1.0, 2.0], r"x: 2 values \(shape \(2,\)\) for 3 bonds"),
        (np.ones((3, 1)), r"x: 3 values \(shape \(3, 1\)\) for 3 bonds"),
        ("lots", r"x: 'lots' is not a number"),
        ([1.0, "two", 3.0], r"x: 'two' \(bond B\) is not a number"),
        ([True, False, True], r"x: True \(bond A\) is not a number"),
        ([1.0, np.nan, 3.0], r"x: every value must be a finite number; got B: nan"),
        ([1.0, np.inf, -np.inf], r"got B: inf, C: -inf"),
        (np.nan, r"x: nan must be a finite number"),
        (True, r"x: True is not a number"),
        (np.inf, r"x: inf must be a finite number"),
    ],
)
def test_bad_values(values, match):
    with pytest.raises(InputError, match=match):
        per_bond(values, IDS, "x")


def test_bounds_and_positive():
    with pytest.raises(
        InputError, match=r"x: every value must be a finite number in \[0, 1\]; got C: 1.5"
    ):
        per_bond([0.0, 1.0, 1.5], IDS, "x", lower=0.0, upper=1.0)
    with pytest.raises(InputError, match=r"x: every value must be a finite number > 0; got A: 0.0"):
        per_bond([0.0, 1.0, 1.5], IDS, "x", positive=True)
    with pytest.raises(InputError, match=r"x: -1.0 must be a finite number >= 0"):
        per_bond(-1.0, IDS, "x", lower=0.0)
    with pytest.raises(InputError, match=r"x: every value must be a finite number <= 2"):
        per_bond([0.0, 3.0, 1.0], IDS, "x", upper=2.0)


def test_nan_allowed_on_request_infinities_never():
    out = per_bond([1.0, np.nan, 3.0], IDS, "x", allow_nan=True)
    assert np.isnan(out[1])
    with pytest.raises(InputError, match=r"x: every value must be a number; got C: inf"):
        per_bond([1.0, np.nan, np.inf], IDS, "x", allow_nan=True)


def test_none_takes_the_default_or_is_an_error():
    assert_array_equal(per_bond(None, IDS, "x", default=0.5), [0.5, 0.5, 0.5])
    with pytest.raises(InputError, match=r"x: required; give one value per bond \(3 bonds\)"):
        per_bond(None, IDS, "x")


def test_many_bad_values_are_shortened():
    ids = pd.Index([f"B{i}" for i in range(30)])
    with pytest.raises(InputError, match=r"B19: -1.0 and 10 more$"):
        per_bond(-np.ones(30), ids, "x", lower=0.0)


def test_row_labels_name_the_row_and_the_id():
    # the bond-pricing messages: a user finds row 1 in the frame the BondSet came from
    with pytest.raises(
        InputError,
        match=r"x: every value must be a finite number > 0; got row 1 \(id B\): -3.0, "
        r"row 2 \(id C\): nan$",
    ):
        per_bond([1.0, -3.0, np.nan], IDS, "x", positive=True, row_labels=True)
    with pytest.raises(InputError, match=r"x: 'two' \(row 1, id B\) is not a number"):
        per_bond([1.0, "two", 3.0], IDS, "x", row_labels=True)
    # a scalar has no row: the message is the scalar one either way
    with pytest.raises(InputError, match=r"x: -1.0 must be a finite number > 0"):
        per_bond(-1.0, IDS, "x", positive=True, row_labels=True)
    assert_array_equal(per_bond([1.0, 2.0, 3.0], IDS, "x", row_labels=True), [1.0, 2.0, 3.0])
