"""Calibration of the liquidity models to an ETF's quoted spread and its basket's bid-ask."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from .._validation import show
from ..bonds.bondset import BondSet
from ..errors import InputError
from ._common import bp_value
from .bonds import DEFAULT_BOND_MODEL, BondLiquidityModel
from .etf import DEFAULT_ETF_MODEL, EtfLiquidityModel

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike

#: SPIB (SPDR Portfolio Intermediate Term Corporate Bond ETF) quoted spread, bp, by regime:
#: SSGA, normal times vs 24 Feb - 24 Mar 2020 (DESIGN.md, Liquidity).
SPIB_ETF_SPREAD_BP: Mapping[str, float] = MappingProxyType({"normal": 2.8, "stress": 8.8})
#: Bid-ask of SPIB's underlying basket, bp, same source and windows.
SPIB_BASKET_SPREAD_BP: Mapping[str, float] = MappingProxyType({"normal": 14.6, "stress": 68.5})


class CalibratedModels(NamedTuple):
    """The pair of models :func:`calibrate` returns (unpacks as ``bond, etf``).

    Attributes
    ----------
    bond : BondLiquidityModel
        The bond model, scaled to the basket's bid-ask targets.
    etf : EtfLiquidityModel
        The ETF model, with the ETF's quoted spreads.

    Notes
    -----
    A named tuple, so ``bond, etf = calibrate(...)`` and ``calibrate(...).bond`` both
    work.

    Examples
    --------
    >>> from etfcore.liquidity import DEFAULT_BOND_MODEL, DEFAULT_ETF_MODEL
    >>> pair = CalibratedModels(DEFAULT_BOND_MODEL, DEFAULT_ETF_MODEL)
    >>> pair.etf.bid_ask_bp("stress")
    8.8
    """

    bond: BondLiquidityModel
    etf: EtfLiquidityModel


def calibrate(
    bonds: BondSet | pd.DataFrame,
    weights: pd.Series | ArrayLike,
    etf_spread_bp_normal: float = 2.8,
    basket_spread_bp_normal: float = 14.6,
    etf_spread_bp_stress: float = 8.8,
    basket_spread_bp_stress: float = 68.5,
    *,
    settlement_date: Any = None,
    scores: pd.Series | ArrayLike | None = None,
    bond_model: BondLiquidityModel | None = None,
    etf_model: EtfLiquidityModel | None = None,
) -> CalibratedModels:
    """Scale the liquidity models to an ETF's quoted spread and its basket's bid-ask.

    Parameters
    ----------
    bonds : BondSet or pandas.DataFrame
        The ETF's basket (see :meth:`BondLiquidityModel.features`).
    weights : pandas.Series or array-like
        Market-value weights of the basket (normalised here).
    etf_spread_bp_normal, etf_spread_bp_stress : float
        The ETF's quoted spread, bp (defaults: SPIB, 2.8 and 8.8).
    basket_spread_bp_normal, basket_spread_bp_stress : float
        The basket's value-weighted bid-ask, bp (defaults: SPIB, 14.6 and 68.5).
    settlement_date : date-like, optional
        Required when ``bonds`` is a BondSet.
    scores : pandas.Series or array-like, optional
        Liquidity scores used in the calibration (and later with the model).
    bond_model, etf_model : optional
        Models whose shape is kept (defaults :data:`DEFAULT_BOND_MODEL`,
        :data:`DEFAULT_ETF_MODEL`).

    Returns
    -------
    CalibratedModels
        ``(bond, etf)``: the bond model with ``base_spread_bp`` scaled so that the
        basket's normal bid-ask is ``basket_spread_bp_normal`` and
        ``stress_spread_multiplier = basket_spread_bp_stress / basket_spread_bp_normal``
        (both hit exactly); the ETF model with the two quoted spreads.

    Raises
    ------
    InputError
        For a spread that is not a positive number, a stress spread below the normal
        one, weights that do not match the bonds, and as
        :meth:`BondLiquidityModel.bid_ask_bp`.

    Notes
    -----
    The fit is two exact linear scalings: with ``B0`` the basket's weighted
    bid-ask under the base model in normal times,
    ``base_spread_bp <- base_spread_bp x basket_spread_bp_normal / B0`` and
    ``stress_spread_multiplier <- basket_spread_bp_stress / basket_spread_bp_normal``.
    Only the level and the stress multiple are fitted; the shape across ratings,
    maturities, ages and sizes stays the base model's. The default targets are SSGA's
    figures for SPIB (SPDR Portfolio Intermediate Term Corporate Bond ETF): ETF 2.8 bp
    against 14.6 bp for its basket in normal times, 8.8 against 68.5 bp from 24 Feb to
    24 Mar 2020 (DESIGN.md). The stress multiple, 68.5 / 14.6 = 4.69, sits by the
    "about five times" of Kargar, Lester, Lindsay, Liu, Weill and Zuniga (2021),
    "Corporate Bond Liquidity during the COVID-19 Crisis", Review of Financial Studies
    34(11).

    Examples
    --------
    >>> import pandas as pd
    >>> basket = pd.DataFrame({"tier": ["A", "BBB", "BBB"],
    ...                        "years_to_maturity": [3.0, 5.0, 8.0],
    ...                        "age_years": [1.0, 2.0, 4.0],
    ...                        "issue_size_usd": [2e9, 1e9, 5e8]}, index=["X1", "X2", "X3"])
    >>> bond, etf = calibrate(basket, basket["issue_size_usd"])
    >>> [round(bond.basket_bid_ask_bp(basket, basket["issue_size_usd"], r), 6)
    ...  for r in ("normal", "stress")]
    [14.6, 68.5]
    >>> etf.bid_ask_bp("normal"), etf.bid_ask_bp("stress")
    (2.8, 8.8)
    """
    targets = {
        "etf_spread_bp_normal": etf_spread_bp_normal,
        "basket_spread_bp_normal": basket_spread_bp_normal,
        "etf_spread_bp_stress": etf_spread_bp_stress,
        "basket_spread_bp_stress": basket_spread_bp_stress,
    }
    t = {name: bp_value(v, name, upper=2000.0) for name, v in targets.items()}
    for what in ("etf", "basket"):
        stress, normal = t[f"{what}_spread_bp_stress"], t[f"{what}_spread_bp_normal"]
        if stress < normal:
            raise InputError(
                f"calibrate: {what}_spread_bp_stress={show(stress)} is below "
                f"{what}_spread_bp_normal={show(normal)}; stress spreads are the wider ones"
            )
    if bond_model is not None and not isinstance(bond_model, BondLiquidityModel):
        raise InputError(
            f"bond_model: expected a BondLiquidityModel, got {type(bond_model).__name__}"
        )
    if etf_model is not None and not isinstance(etf_model, EtfLiquidityModel):
        raise InputError(
            f"etf_model: expected an EtfLiquidityModel, got {type(etf_model).__name__}"
        )
    base = DEFAULT_BOND_MODEL if bond_model is None else bond_model
    etf = DEFAULT_ETF_MODEL if etf_model is None else etf_model
    feat = base.features(bonds, settlement_date)
    got = base.basket_bid_ask_bp(feat, weights, "normal", scores)
    bond = replace(
        base,
        base_spread_bp=base.base_spread_bp * t["basket_spread_bp_normal"] / got,
        stress_spread_multiplier=t["basket_spread_bp_stress"] / t["basket_spread_bp_normal"],
    )
    etf = replace(
        etf,
        quoted_spread_bp_normal=t["etf_spread_bp_normal"],
        quoted_spread_bp_stress=t["etf_spread_bp_stress"],
    )
    return CalibratedModels(bond, etf)


__all__ = ["SPIB_BASKET_SPREAD_BP", "SPIB_ETF_SPREAD_BP", "CalibratedModels", "calibrate"]
