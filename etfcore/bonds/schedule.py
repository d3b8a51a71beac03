"""Cash-flow schedules of many bonds at once, as flat CSR arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
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

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> b = BondSet.from_frame(pd.DataFrame({"id": ["A"], "coupon_rate": [0.05],
    ...                                      "maturity_date": ["2028-01-15"]}))
    >>> cf = b.cashflows("2026-01-16")
    >>> cf.counts.tolist(), float(cf.amount[-1])
    ([4], 102.5)
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

    def spread_weighted_amounts(self, z_spread: Any) -> np.ndarray:
        """Each flow's amount with its bond's z-spread folded in: ``amount_k exp(-s_i dtau_k)``.

        Parameters
        ----------
        z_spread : array-like
            One decimal z-spread (continuously compounded) per bond, in this object's
            bond order.

        Returns
        -------
        numpy.ndarray
            One number per flow (per 100 face): discounting these with the risk-free
            curve gives the dirty price at the spread, so that scenario repricing needs
            no ``exp`` per flow and scenario.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.bondset import BondSet
        >>> b = BondSet.from_frame(pd.DataFrame({"id": ["A"], "coupon_rate": [0.05],
        ...                                      "maturity_date": ["2028-01-15"]}))
        >>> cf = b.cashflows("2026-01-16")
        >>> bool((cf.spread_weighted_amounts([0.01]) < cf.amount).all())
        True
        """
        spread = np.ascontiguousarray(np.asarray(z_spread, dtype=float).reshape(-1))
        if spread.shape[0] != len(self.ids):
            raise InputError(
                f"z_spread: {spread.shape[0]} spreads for {len(self.ids)} bonds; give one per bond"
            )
        return K.spread_weighted_amounts_nb(
            self.offsets, self.amount, self.dtau, spread, K.work_buffers(self.offsets)[1]
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per flow: id, accrual and reference periods, payment date, amount.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.bondset import BondSet
        >>> b = BondSet.from_frame(pd.DataFrame({"id": ["A"], "coupon_rate": [0.05],
        ...                                      "maturity_date": ["2028-01-15"]}))
        >>> b.cashflows("2026-01-16").to_frame()["payment_date"].iloc[0]
        Timestamp('2026-07-15 00:00:00')
        """
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
    """Generate the flows of every bond paid after ``settlement`` (see :class:`Cashflows`).

    ``BondSet.cashflows(settlement)`` calls it (and caches the result).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> b = BondSet.from_frame(pd.DataFrame({"id": ["A"], "coupon_rate": [0.05],
    ...                                      "maturity_date": ["2028-01-15"]}))
    >>> from etfcore.bonds import conventions as cv
    >>> from etfcore.bonds.dates import to_day
    >>> len(build_cashflows(b, to_day("2026-01-16"), cv.UNADJUSTED))
    4
    """
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


def ladder_values_on_scenarios(ladders: Any, days: Any, scenarios: Any) -> np.ndarray:
    """Value of cash-flow ladders under every curve of a ``CurveScenarios``: ``(S, L)``.

    Parameters
    ----------
    ladders : array-like, ``(L, U)``
        Cash per distinct payment day (a portfolio's flows aggregated by day).
    days : array-like of int, ``(U + 1,)``
        The payment days, then the settlement day last: values are at settlement,
        ``sum_u ladder[u] DF(u) / DF(settlement)``.
    scenarios : CurveScenarios
        The zero curves (one tenor grid).

    Notes
    -----
    One exponential per payment day and scenario, used at once (no ``(S, U)`` matrix
    is stored), in the bond layer's parallel scenario kernel.

    Examples
    --------
    >>> import numpy as np
    >>> from etfcore.bonds.curves import ZeroCurve
    >>> curve = ZeroCurve("2026-01-15", [1.0, 10.0], [0.04, 0.04])
    >>> days = np.array([curve.reference_date + 365, curve.reference_date])
    >>> values = ladder_values_on_scenarios([[100.0]], days, curve.parallel_shocks([0.0]))
    >>> bool(round(float(values[0, 0]), 6) == round(100 * np.exp(-0.04), 6))
    True
    """
    from .curves import exponent_coefficients

    d = np.asarray(days, dtype=np.int64)
    lad = np.ascontiguousarray(np.asarray(ladders, dtype=float))
    if lad.ndim != 2 or lad.shape[1] != d.shape[0] - 1:
        raise ValueError(
            f"ladders: shape {lad.shape}; expected (L, {d.shape[0] - 1}) for {d.shape[0]} days "
            "(payment days, then settlement)"
        )
    tau = (d - int(scenarios.reference_date)) / 365.0
    i0, i1, c0, c1 = exponent_coefficients(scenarios.tenors, tau, scenarios.interpolation)
    return K.ladder_scenarios_zero_nb(lad, scenarios.zero_rates, i0, i1, c0, c1, d.shape[0] - 1)


__all__ = ["Cashflows", "build_cashflows", "ladder_values_on_scenarios", "NO_DATE"]
