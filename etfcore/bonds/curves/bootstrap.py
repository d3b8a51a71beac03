"""An exact bootstrap of US Treasury par yields into a zero curve."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import InputError
from ..dates import to_day
from ._checks import _TENOR_TOL, INTERPOLATIONS, _num, _tenor_label, _validate_rates
from .fit import _check_fit_inputs
from .treasury import _bill_discount
from .zero import ZeroCurve

if TYPE_CHECKING:  # pragma: no cover
    pass


# =====================================================================================
# bootstrap
# =====================================================================================


def bootstrap_par_yields(
    tenors: Any,
    par_yields: Any,
    reference_date: Any,
    interpolation: str = "linear_zero",
) -> ZeroCurve:
    """Bootstrap a zero curve that reprices the Treasury par curve exactly.

    Parameters
    ----------
    tenors
        Tenors in years, strictly increasing. Tenors above 1 year must lie on the
        half-year grid (2, 3, 5, ... years).
    par_yields
        Decimal par yields (bond-equivalent), one per tenor, no NaN (drop
        unpublished tenors first, e.g. ``series.dropna()``).
    reference_date
        The curve date.
    interpolation
        Interpolation of the returned :class:`ZeroCurve`.

    Returns
    -------
    ZeroCurve
        Knots at the bill tenors and at every half year up to the longest tenor.

    Notes
    -----
    * Bills (tenor <= 1 year) are zeros: their discount factor follows from the
      bond-equivalent yield (:meth:`ZeroCurve.treasury_par_yields`).
    * Coupon tenors: par yields are interpolated linearly in tenor (over all
      input tenors, flat beyond the ends) onto the semiannual grid 0.5, 1, ...,
      ``T_max``; grid points at or below the last bill tenor take their discount
      factor from the bill curve; each later grid point ``g_j`` solves
      ``c_j/2 * sum_{i<=j} DF(g_i) + DF(g_j) = 1`` exactly.
    * The knots are the bill tenors and the whole semiannual grid, so every coupon
      date of every input bond is a knot and every input par bond reprices to par
      (to rounding, ~1e-15) whatever the interpolation.

    Examples
    --------
    >>> par = [0.043, 0.041, 0.039, 0.040, 0.044]
    >>> curve = bootstrap_par_yields([0.5, 1, 2, 5, 10], par, "2025-07-11")
    >>> round(float(curve.par_yield(5.0)), 10)
    0.04
    """
    day = to_day(reference_date, where="reference_date")
    if interpolation not in INTERPOLATIONS:
        raise InputError(
            f"interpolation: unknown value {interpolation!r}; use one of {INTERPOLATIONS}"
        )
    t, y = _check_fit_inputs(tenors, par_yields)
    _validate_rates(y, t.size, "par_yields")  # no NaN here
    bill = t <= 1.0 + _TENOR_TOL
    off_grid = np.flatnonzero(~bill & (np.abs(t * 2 - np.round(t * 2)) > 1e-9))
    if off_grid.size:
        i = int(off_grid[0])
        raise InputError(
            f"tenors: position {i} value {_num(t[i])} is a coupon tenor (> 1 year) off the "
            "half-year grid; bootstrap_par_yields needs coupon tenors at whole half years"
        )
    bill_t, bill_y = t[bill], y[bill]
    bill_df = _bill_discount(bill_y, bill_t)
    bill_z = -np.log(bill_df) / bill_t
    if bill.all():
        return ZeroCurve._trusted(day, bill_t, bill_z, interpolation)
    n_grid = int(round(2 * t[-1]))
    grid = 0.5 * np.arange(1, n_grid + 1)
    last_bill = bill_t[-1] if bill_t.size else 0.0
    coupons = np.interp(grid, t, y)
    df = np.empty(n_grid)
    from_bills = grid <= last_bill + _TENOR_TOL
    if from_bills.any():
        bill_curve = ZeroCurve._trusted(day, bill_t, bill_z, interpolation)
        df[from_bills] = bill_curve._discount(grid[from_bills])
    annuity = 0.0
    for j in range(n_grid):
        if not from_bills[j]:
            c = coupons[j] / 2.0
            df[j] = (1.0 - c * annuity) / (1.0 + c)
        annuity += df[j]
    bad = np.flatnonzero(~(df > 0))
    if bad.size:
        j = int(bad[0])
        raise InputError(
            f"par_yields: the bootstrap gives a non-positive discount factor at "
            f"{_tenor_label(grid[j])}; the par yields are inconsistent"
        )
    grid_z = -np.log(df) / grid
    keep = ~np.isin(np.round(grid, 9), np.round(bill_t, 9))
    knots = np.concatenate((bill_t, grid[keep]))
    zeros = np.concatenate((bill_z, grid_z[keep]))
    order = np.argsort(knots)
    return ZeroCurve._trusted(day, knots[order], zeros[order], interpolation)
