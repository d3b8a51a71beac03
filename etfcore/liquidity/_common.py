"""Private helpers shared by the liquidity models: checks of bp values, ids, output shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import finite, positive, show
from ..bonds.bondset import BondSet
from ..errors import InputError

#: A spread or volatility in bp below this looks like a decimal (2.8 bp written 0.00028):
#: the tightest US ETFs quote about 0.3 bp, a Treasury bill a fraction of a bp.
MIN_PLAUSIBLE_BP = 0.05


def bp_value(
    value: Any,
    name: str,
    *,
    upper: float,
    lower_plausible: float = MIN_PLAUSIBLE_BP,
) -> float:
    """A finite number of basis points in ``[lower_plausible, upper]``.

    Below ``lower_plausible`` the value was almost surely written as a decimal; above
    ``upper`` it is implausible for the quantity. Both errors say which and how to fix.
    """
    v = positive(value, name)
    if v < lower_plausible:
        raise InputError(
            f"{name}: {show(v)} bp looks like a decimal (the smallest plausible value here is "
            f"{lower_plausible:g} bp); pass basis points: 2.8 bp is 2.8, not 0.00028"
        )
    if v > upper:
        raise InputError(f"{name}: {show(v)} bp is above the plausible {upper:g} bp")
    return v


def bounded(
    value: Any,
    name: str,
    *,
    lower: float,
    upper: float,
    lower_open: bool = False,
) -> float:
    """A finite number in ``[lower, upper]`` (``(lower, upper]`` with ``lower_open``)."""
    v = finite(value, name)
    if v < lower or (lower_open and v == lower) or v > upper:
        left = "(" if lower_open else "["
        raise InputError(f"{name}: {show(v)} must be in {left}{lower:g}, {upper:g}]")
    return v


def ids_of(bonds: object, where: str) -> pd.Index:
    """Bond ids of a BondSet, a frame indexed by id, or a list/array/Series of ids."""
    if isinstance(bonds, BondSet):
        return bonds.ids
    if isinstance(bonds, pd.DataFrame):
        return bonds.index
    if isinstance(bonds, pd.Series):
        return pd.Index(bonds.to_numpy())
    if isinstance(bonds, (pd.Index, list, tuple, np.ndarray)):
        return pd.Index(list(bonds))
    raise InputError(
        f"{where}: expected a BondSet, a DataFrame indexed by bond id or a list of ids, "
        f"got {type(bonds).__name__}"
    )


def like(values: np.ndarray, template: Any, name: str = "") -> Any:
    """Scalar in, float out; Series in, Series out (same index); otherwise an array."""
    if isinstance(template, pd.Series):
        return pd.Series(values, index=template.index, name=name)
    if np.ndim(template) == 0:
        return float(values.reshape(-1)[0])
    return values


def per_tier(tier: np.ndarray, values: Mapping[str, float]) -> np.ndarray:
    """``values[tier[i]]`` for every bond, one dict lookup per distinct tier."""
    codes, uniques = pd.factorize(tier)
    return np.array([values[t] for t in uniques], dtype=float)[codes]
