"""Data files shipped with etfcore.

* ``seed/seed_basket.csv`` -- the brief's worked example: a $50 MM, 10-bond sell basket
  (CUSIP, issuer, coupon in percent, maturity, market value in $mm, weight in percent). It
  is teaching data, not market data: six of its CUSIPs fail the check digit, 912828U58
  is a Treasury CUSIP labelled UnitedHealth, and four bonds have matured by late 2026.
* ``seed/seed_tca_as_published.csv`` -- the TCA table of the same example as the brief
  prints it (pre-trade mids, portfolio execution prices, cost, legging cost and saving in
  bp, rounded; its "Weighted Avg." row is not value-weighted).

:func:`seed_path` gives the path of either file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["SEED_FILES", "seed_path"]

#: The files of ``etfcore/data/seed/``.
SEED_FILES = ("seed_basket.csv", "seed_tca_as_published.csv")


def seed_path(name: str = "seed_basket.csv") -> Path:
    """Return the path of a bundled seed file.

    Parameters
    ----------
    name : {"seed_basket.csv", "seed_tca_as_published.csv"}
        Which file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        For a name that is not one of :data:`SEED_FILES`.

    Notes
    -----
    The files are package data (``etfcore/data/seed/``), found with
    :mod:`importlib.resources`, so they are there in an installed wheel too.

    Examples
    --------
    >>> seed_path().name
    'seed_basket.csv'
    >>> seed_path("seed_tca_as_published.csv").read_text().splitlines()[0].split(",")[:3]
    ['cusip', 'market_value_mm', 'pre_trade_mid']
    """
    from ..errors import InputError

    if name not in SEED_FILES:
        raise InputError(f"seed file {name!r}: not bundled; use one of {list(SEED_FILES)}")
    return Path(str(resources.files("etfcore").joinpath("data", "seed", name)))
