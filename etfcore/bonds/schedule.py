"""Cash-flow schedules of many bonds at once, as flat CSR arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import _kernels as K
from . import conventions as cv
from .dates import NO_DATE, to_timestamps

if TYPE_CHECKING:
    from .bondset import BondSet


@dataclass(frozen=True, eq=False, repr=False)
class Cashflows:
    """The cash flows that a set of bonds pays after a settlement date.

    Bond ``i`` owns the flows ``offsets[i]:offsets[i + 1]``, in payment order.
    Amounts are per 100 face; the redemption is added to the last coupon (a
    zero-coupon bond has one flow, its redemption, of kind ``0``).

    Attributes
    ----------
    settlement : int
        Settlement day number; only flows paid strictly after it are present.
    payment_convention : int
        Business-day convention of the payment dates (accrual is unadjusted).
    offsets : numpy.ndarray
        ``int64``, length ``n_bonds + 1``.
    payment, accrual_start, accrual_end, reference_start, reference_end : numpy.ndarray
        Day numbers per flow (``NO_DATE`` accrual dates for a lone redemption).
    amount : numpy.ndarray
        Cash per 100 face.
    kind : numpy.ndarray
        1 for a coupon (with the redemption when it pays on maturity), 0 for a
        lone redemption.
    unique_days, day_index : numpy.ndarray
        The distinct payment days, sorted, and each flow's position among them:
        a curve is evaluated once per distinct day, not once per flow.
    time, step : numpy.ndarray
        Cumulative and stepwise discounting time of each flow under the bond's
        own day count (used for yields and durations).
    dtau : numpy.ndarray
        ACT/365F years from settlement to each payment (the z-spread's time).
    accrued : numpy.ndarray
        Accrued interest per 100 face at settlement, per bond.

    Notes
    -----
    The schedule follows QuantLib: backward generation from maturity with a null
    calendar (accrual dates unadjusted), the end-of-month rule when the maturity is
    the last day of its month, an irregular first period measured against the
    notional reference period ``[first coupon - tenor, first coupon]``, and coupons
    of ``rate x year_fraction(accrual start, accrual end)`` (so a 30/360 US coupon
    from Aug 31 to Feb 28 pays 178/360 of the rate, not half of it).
    """

    ids: pd.Index
    settlement: int
    payment_convention: int
    offsets: np.ndarray
    payment: np.ndarray
    amount: np.ndarray
    accrual_start: np.ndarray
    accrual_end: np.ndarray
    reference_start: np.ndarray
    reference_end: np.ndarray
    kind: np.ndarray
    unique_days: np.ndarray
    day_index: np.ndarray
    time: np.ndarray
    step: np.ndarray
    dtau: np.ndarray
    accrued: np.ndarray

    def __len__(self) -> int:
        return int(self.payment.shape[0])

    def __repr__(self) -> str:
        return (
            f"Cashflows({len(self.ids)} bonds, {len(self)} flows on "
            f"{len(self.unique_days)} distinct days, settlement "
            f"{to_timestamps(np.int64(self.settlement)):%Y-%m-%d}, "
            f"{cv.PAYMENT_CONVENTION_NAMES[self.payment_convention]})"
        )

    @property
    def counts(self) -> np.ndarray:
        """Number of flows per bond."""
        return np.diff(self.offsets)

    def to_frame(self) -> pd.DataFrame:
        """One row per flow: id, accrual and reference periods, payment date, amount."""
        return pd.DataFrame(
            {
                "id": np.repeat(self.ids.to_numpy(), self.counts),
                "accrual_start": to_timestamps(self.accrual_start),
                "accrual_end": to_timestamps(self.accrual_end),
                "ref_start": to_timestamps(self.reference_start),
                "ref_end": to_timestamps(self.reference_end),
                "payment_date": to_timestamps(self.payment),
                "amount": self.amount,
                "time": self.time,
            }
        )


def holidays_for(payment_convention: int) -> np.ndarray:
    """The holiday array a payment convention needs (none when unadjusted)."""
    if payment_convention == cv.UNADJUSTED:
        return np.empty(0, dtype=np.int64)
    from .calendar import US_GOVERNMENT_BOND

    return np.ascontiguousarray(US_GOVERNMENT_BOND.holidays, dtype=np.int64)


def build_cashflows(bonds: BondSet, settlement: int, payment_convention: int) -> Cashflows:
    """Generate the flows of every bond paid after ``settlement`` (see :class:`Cashflows`)."""
    holidays = holidays_for(payment_convention)
    settle = np.int64(settlement)
    counts = K.count_flows_nb(
        bonds.maturity,
        bonds.issue,
        bonds.first_coupon,
        bonds.frequency,
        bonds.end_of_month,
        settle,
        payment_convention,
        holidays,
    )
    offsets = np.zeros(len(bonds) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    total = int(offsets[-1])
    pay = np.empty(total, dtype=np.int64)
    amount = np.empty(total)
    acc_start = np.empty(total, dtype=np.int64)
    acc_end = np.empty(total, dtype=np.int64)
    ref_start = np.empty(total, dtype=np.int64)
    ref_end = np.empty(total, dtype=np.int64)
    kind = np.empty(total, dtype=np.int64)
    time = np.empty(total)
    step = np.empty(total)
    dtau = np.empty(total)
    accrued = np.zeros(len(bonds))
    K.fill_flows_nb(
        offsets,
        bonds.maturity,
        bonds.issue,
        bonds.first_coupon,
        bonds.coupon_rate,
        bonds.frequency,
        bonds.day_count,
        bonds.end_of_month,
        settle,
        payment_convention,
        holidays,
        bonds.redemption,
        pay,
        amount,
        acc_start,
        acc_end,
        ref_start,
        ref_end,
        kind,
        time,
        step,
        dtau,
        accrued,
    )
    unique_days, day_index = K.unique_days_nb(pay)
    arrays = dict(
        offsets=offsets,
        payment=pay,
        amount=amount,
        accrual_start=acc_start,
        accrual_end=acc_end,
        reference_start=ref_start,
        reference_end=ref_end,
        kind=kind,
        unique_days=unique_days,
        day_index=day_index,
        time=time,
        step=step,
        dtau=dtau,
        accrued=accrued,
    )
    for a in arrays.values():
        a.setflags(write=False)
    return Cashflows(
        ids=bonds.ids, settlement=int(settlement), payment_convention=payment_convention, **arrays
    )


__all__ = ["Cashflows", "build_cashflows", "NO_DATE"]
