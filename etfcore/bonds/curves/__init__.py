"""Yield curves: zero curves, many-scenario curves, and Treasury curve fitting.

A package since issue 6 (it was one module); every name it had is still importable
from ``etfcore.bonds.curves``. Its modules: :mod:`.zero`, :mod:`.scenarios`,
:mod:`.nss`, :mod:`.fit`, :mod:`.bootstrap`, :mod:`.treasury`.

* :class:`ZeroCurve` -- tenors and continuously compounded zero rates with an
  interpolation; discount factors by time or by day number.
* :class:`CurveScenarios` -- many zero curves on one tenor grid (parallel, twist,
  butterfly, key-rate and random shocks), discounted all at once.
* :func:`fit_nss` / :class:`NSSFit` / :class:`NSSCurve` -- a Nelson-Siegel-Svensson
  curve fitted to US Treasury par yields, as the Federal Reserve's GSW curve is.
* :func:`fit_nss_history` / :class:`NSSHistory` -- one NSS fit a day over a history.
* :func:`bootstrap_par_yields` -- an exact bootstrap of the same par yields.

Conventions used throughout
---------------------------
* Dates are ``int64`` day numbers (days since 1970-01-01, see
  :mod:`etfcore.bonds.dates`); anything date-like is accepted at the boundary.
* Time is ACT/365F from the curve's reference date: ``t = (day - reference_day) / 365``.
* Zero rates are decimals, continuously compounded: ``DF(t) = exp(-z(t) t)``.
* Shocks are in basis points (``_bp``) and are added to the zero rates at the knots.
* Treasury par yields are decimals, bond-equivalent: bills (tenor <= 1 year) are
  the bond-equivalent yield of a zero, longer tenors the coupon of a semiannual
  bond priced at par (see :meth:`ZeroCurve.treasury_par_yields`).
"""

from __future__ import annotations

# Every name other modules, tests, benchmarks and notebooks import from
# ``etfcore.bonds.curves`` stays importable from here (the module became a package).
# ruff: noqa: F401
from ._checks import (
    _BP,
    _DAYS_PER_YEAR,
    _PERCENT_GUARD,
    _TABLE_DAYS,
    _TENOR_TOL,
    INTERPOLATIONS,
)
from .bootstrap import bootstrap_par_yields
from .fit import (
    NSSFit,
    NSSHistory,
    _check_fit_inputs,
    _NSSProblem,
    _solve_nss,
    fit_nss,
    fit_nss_history,
)
from .nss import NSSCurve
from .scenarios import CurveScenarios, random_shocks
from .treasury import TREASURY_TENORS, _TreasuryPlan
from .zero import ZeroCurve, exponent_coefficients

__all__ = [
    "INTERPOLATIONS",
    "TREASURY_TENORS",
    "CurveScenarios",
    "NSSCurve",
    "NSSFit",
    "NSSHistory",
    "ZeroCurve",
    "bootstrap_par_yields",
    "exponent_coefficients",
    "fit_nss",
    "fit_nss_history",
    "random_shocks",
]
