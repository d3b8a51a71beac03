"""US Treasury quoting conventions: bills as bond-equivalent yields, coupons as par yields.

:data:`TREASURY_TENORS` are the 13 tenors of the Treasury's daily par yield curve.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._checks import _TENOR_TOL

if TYPE_CHECKING:  # pragma: no cover
    pass


# =====================================================================================
# Treasury conventions: bills as bond-equivalent yields, coupons as par yields
# =====================================================================================


def _bill_yield(discount: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Bond-equivalent yield of a zero (a bill) of ``t`` years with discount factor ``discount``.

    ``t <= 0.5``: ``DF = 1 / (1 + y t)``; ``0.5 < t <= 1``:
    ``DF = 1 / ((1 + y/2)(1 + (t - 1/2) y))`` (the Treasury's formula for bills of
    more than half a year, solved for ``y``).
    """
    g = 1.0 / discount - 1.0
    a = t - 0.5
    short = t <= 0.5
    y_short = g / np.where(short, t, 1.0)
    y_long = 2.0 * g / (t + np.sqrt(np.maximum(t * t + 2.0 * a * g, 0.0)))
    return np.where(short, y_short, y_long)


def _bill_discount(bey: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_bill_yield`."""
    a = np.maximum(t - 0.5, 0.0)
    return np.where(t <= 0.5, 1.0 / (1.0 + bey * t), 1.0 / ((1.0 + 0.5 * bey) * (1.0 + a * bey)))


def _coupon_schedule(
    maturities: np.ndarray, frequency: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coupon times of bonds paying ``frequency`` times a year, rolled back from maturity.

    Returns the concatenated times, the start offset of each bond in them, and the
    accrued fraction (years since the previous, notional, coupon date) of each bond.
    """
    period = 1.0 / frequency
    counts = np.maximum(np.ceil(maturities * frequency - _TENOR_TOL).astype(np.int64), 1)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    owner = np.repeat(np.arange(maturities.size), counts)
    k = np.arange(counts.sum()) - starts[owner]
    times = maturities[owner] - k * period
    first = maturities - (counts - 1) * period
    accrued = period - first
    accrued = np.where(np.abs(accrued) < _TENOR_TOL, 0.0, np.maximum(accrued, 0.0))
    return times, starts, accrued


class _TreasuryPlan:
    """Model-implied Treasury quotes from discount factors at a fixed set of times.

    ``tenors`` must be strictly increasing, so the bills (tenor <= 1y) come first.
    Bills quote the bond-equivalent yield of a zero; coupon tenors the par yield
    of a semiannual bond with coupons at ``T, T - 1/2, ...`` (clean price at par,
    so a tenor off the half-year grid pays a short first coupon with accrued).
    ``times`` are the times at which discount factors are needed; the other
    arrays are the flat description that the kernels in ``_curve_kernels`` take.
    """

    def __init__(self, tenors: np.ndarray):
        self.tenors = tenors
        self.is_bill = tenors <= 1.0 + _TENOR_TOL
        bill_t = np.ascontiguousarray(tenors[self.is_bill])
        coupon_t = tenors[~self.is_bill]
        ctimes, starts, accrued = _coupon_schedule(coupon_t, 2)
        self.times = np.unique(np.round(np.concatenate((bill_t, ctimes)), 12))
        self.bill_t = bill_t
        self.bill_pos = np.searchsorted(self.times, np.round(bill_t, 12)).astype(np.int64)
        self.cpn_pos = np.searchsorted(self.times, np.round(ctimes, 12)).astype(np.int64)
        self.cpn_start = np.append(starts, ctimes.size).astype(np.int64)
        self.final_pos = np.ascontiguousarray(self.cpn_pos[starts]).astype(np.int64)
        self.accrued = np.ascontiguousarray(accrued, dtype=np.float64)
        self.kernel_args = (
            self.times,
            self.bill_pos,
            self.bill_t,
            self.cpn_start,
            self.cpn_pos,
            self.final_pos,
            self.accrued,
        )

    def yields(self, discount: np.ndarray) -> np.ndarray:
        """Quotes (decimals) from discount factors at :attr:`times` (plain numpy)."""
        out = np.empty(self.tenors.size)
        out[self.is_bill] = _bill_yield(discount[self.bill_pos], self.bill_t)
        if self.final_pos.size:
            annuity = np.add.reduceat(0.5 * discount[self.cpn_pos], self.cpn_start[:-1])
            q = annuity - self.accrued
            out[~self.is_bill] = (1.0 - discount[self.final_pos]) / q
        return out


#: The 13 tenors (years) of the US Treasury daily par yield curve, 1 month to 30 years
#: (the 1.5-month and 6-week tenors added in 2025 are not included).
TREASURY_TENORS = np.array(
    [1 / 12, 2 / 12, 3 / 12, 4 / 12, 6 / 12, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0]
)
