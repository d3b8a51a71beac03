"""QuantLib 1.44 as the reference for etfcore's bond pricing: bonds, curves, analytics.

Every reference value in ``test_pricing_quantlib.py`` is computed here, in the test run, from
the installed QuantLib (a test dependency, ``QuantLib>=1.34``; the calls below were checked
against the 1.44 Python signatures with ``help(ql.BondFunctions.bondYield)`` and friends).

Conventions (the etfcore contract):

- schedule: ``Schedule(effective, maturity, Period(12 // frequency, Months), NullCalendar(),
  Unadjusted, Unadjusted, Backward, end_of_month, first_coupon_date)``; the effective date is
  the issue date, or ``settlement - 400 days`` for a bond without one (only future flows matter);
- payments adjusted on ``UnitedStates(GovernmentBond)`` with the payment convention;
- yields compounded at the bond's frequency (semiannual for zero-coupon bonds) with the bond's
  day count; durations and convexity at that yield;
- curve: ``ZeroCurve`` of continuously-compounded zero rates, linear in time, ACT/365F, with a
  node on the reference date (flat short end) and the last node beyond every maturity; a
  z-spread is a continuously-compounded spread added to the zero rate.

When QuantLib raises for a bond, the bond's id, the stage and QuantLib's message go to the
``failures`` frame that :func:`reference_analytics` returns: nothing is dropped silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import QuantLib as ql
from naive import effective_date, to_date

REFERENCE_COLUMNS = (
    "clean_price",
    "dirty_price",
    "accrued_interest",
    "yield_to_maturity",
    "modified_duration",
    "macaulay_duration",
    "convexity",
    "dv01",
)

#: QuantLib's message when an ACT/ACT (ISMA) year fraction runs from before a long first
#: coupon's reference period to after its end: the case of a long first coupon whose payment
#: date is moved past the coupon's accrual end by the business-day convention.
ISMA_LONG_FIRST_COUPON_MESSAGE = "invalid dates: d1 < refPeriodStart < refPeriodEnd < d2"

_BUSINESS_DAY = {
    "unadjusted": ql.Unadjusted,
    "following": ql.Following,
    "modified_following": ql.ModifiedFollowing,
}
_FREQUENCY = {1: ql.Annual, 2: ql.Semiannual, 4: ql.Quarterly, 12: ql.Monthly}
US_GOVERNMENT_BOND = ql.UnitedStates(ql.UnitedStates.GovernmentBond)


@contextlib.contextmanager
def evaluation_date(settlement):
    """Set QuantLib's global evaluation date to ``settlement`` and restore it afterwards.

    The reference calls pass the settlement date explicitly and do not depend on it; it is
    set (as the convention says) and put back so that no other test sees it changed.
    """
    settings = ql.Settings.instance()
    before = settings.evaluationDate
    settings.evaluationDate = ql_date(settlement)
    try:
        yield
    finally:
        settings.evaluationDate = before


def ql_date(d) -> ql.Date:
    d = to_date(d)
    return ql.Date(d.day, d.month, d.year)


_QL_EPOCH = dt.date(1899, 12, 30)  # QuantLib serial numbers count days from here (Excel's)


@functools.cache
def _serial_to_date(serial: int) -> dt.date:
    return _QL_EPOCH + dt.timedelta(days=serial)


def py_date(d: ql.Date) -> dt.date:
    return _serial_to_date(d.serialNumber())


def ql_day_counter(name: str) -> ql.DayCounter:
    """QuantLib day counter of an etfcore day-count name (ACT/ACT ISMA without a schedule)."""
    return {
        "30/360 US": lambda: ql.Thirty360(ql.Thirty360.USA),
        "30/360 BB": lambda: ql.Thirty360(ql.Thirty360.BondBasis),
        "30E/360": lambda: ql.Thirty360(ql.Thirty360.European),
        "ACT/ACT ICMA": lambda: ql.ActualActual(ql.ActualActual.ISMA),
        "ACT/360": lambda: ql.Actual360(),
        "ACT/365F": lambda: ql.Actual365Fixed(),
    }[name]()


def _field(row, key, default):
    value = row.get(key, default) if hasattr(row, "get") else default
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default
    if type(value).__name__ == "NaTType":
        return default
    return value


def frequency_of(row) -> int:
    return int(_field(row, "frequency", 2))


def day_count_of(row) -> str:
    return str(_field(row, "day_count", "30/360 US"))


def yield_frequency(row) -> int:
    """Compounding frequency of the yield: the coupon frequency, semiannual for zeros."""
    f = frequency_of(row)
    return 2 if f == 0 else f


def ql_bond(row, payment_convention: str, settlement) -> ql.Bond:
    """QuantLib bond of one frame row, face 100 (prices come out per 100 face)."""
    settlement = to_date(settlement)
    convention = _BUSINESS_DAY[payment_convention]
    maturity = ql_date(row["maturity_date"])
    effective = ql_date(effective_date(row, settlement))
    frequency = frequency_of(row)
    if frequency == 0:
        return ql.ZeroCouponBond(
            0, US_GOVERNMENT_BOND, 100.0, maturity, convention, 100.0, effective
        )
    first = to_date(_field(row, "first_coupon_date", None))
    schedule = ql.Schedule(
        effective,
        maturity,
        ql.Period(12 // frequency, ql.Months),
        ql.NullCalendar(),
        ql.Unadjusted,
        ql.Unadjusted,
        ql.DateGeneration.Backward,
        bool(_field(row, "end_of_month", True)),
        ql_date(first) if first is not None else ql.Date(),
    )
    return ql.FixedRateBond(
        0,
        100.0,
        schedule,
        [float(row["coupon_rate"])],
        ql_day_counter(day_count_of(row)),
        convention,
        100.0,
        effective,
        US_GOVERNMENT_BOND,
    )


# ------------------------------------------------------------------------------------------
# curves


@dataclass(frozen=True)
class CurveSpec:
    """A zero curve both libraries build identically.

    ``node_days`` are whole days from ``reference_date``, the first one 0 (the flat short
    end QuantLib needs); etfcore gets the others as tenors ``node_days / 365`` (ACT/365F), so
    both interpolate over the same times.
    """

    reference_date: dt.date
    node_days: tuple[int, ...]
    zero_rates: tuple[float, ...]

    @property
    def tenors(self) -> np.ndarray:
        return np.asarray(self.node_days[1:], dtype=float) / 365.0

    def to_etfcore(self):
        import etfcore

        return etfcore.ZeroCurve(
            self.reference_date, self.tenors, np.asarray(self.zero_rates[1:], dtype=float)
        )

    def to_quantlib(self) -> ql.ZeroCurve:
        return ql_curve(self)


def ql_curve(spec: CurveSpec) -> ql.ZeroCurve:
    ref = ql_date(spec.reference_date)
    dates = [ref + int(d) for d in spec.node_days]
    return ql.ZeroCurve(
        dates,
        [float(r) for r in spec.zero_rates],
        ql.Actual365Fixed(),
        ql.NullCalendar(),
        ql.Linear(),
        ql.Continuous,
    )


def ql_clean_price(bond, curve, settlement, spread: float = 0.0) -> float:
    """Clean price per 100 from a curve plus a continuously-compounded z-spread."""
    s = ql_date(settlement)
    if spread == 0.0:
        return ql.BondFunctions.cleanPrice(bond, curve, s)
    return ql.BondFunctions.cleanPrice(
        bond, curve, float(spread), ql.Actual365Fixed(), ql.Continuous, ql.Annual, s
    )


# ------------------------------------------------------------------------------------------
# cash flows


CASHFLOW_COLUMNS = (
    "id",
    "accrual_start",
    "accrual_end",
    "ref_start",
    "ref_end",
    "payment_date",
    "amount",
)


def ql_cashflow_records(row, settlement, payment_convention: str, bond=None) -> list[tuple]:
    """One bond's flows paid after ``settlement`` as tuples in ``CASHFLOW_COLUMNS`` order."""
    settlement = to_date(settlement)
    if bond is None:
        bond = ql_bond(row, payment_convention, settlement)
    out: list[list] = []
    for cf in bond.cashflows():
        pay = py_date(cf.date())
        if pay <= settlement:
            continue
        cp = ql.as_coupon(cf)
        if cp is None and out and out[-1][5] == pay:
            out[-1][6] += cf.amount()  # the redemption, paid with the last coupon
            continue
        if cp is None:
            out.append([row["id"], None, None, None, None, pay, cf.amount()])
        else:
            out.append(
                [
                    row["id"],
                    py_date(cp.accrualStartDate()),
                    py_date(cp.accrualEndDate()),
                    py_date(cp.referencePeriodStart()),
                    py_date(cp.referencePeriodEnd()),
                    pay,
                    cf.amount(),
                ]
            )
    return [tuple(r) for r in out]


def ql_bonds(frame: pd.DataFrame, settlement, payment_convention: str) -> list:
    """``ql_bond`` of every row, or the QuantLib error (a ``RuntimeError``) it raised."""
    out = []
    for row in frame.to_dict("records"):
        try:
            out.append(ql_bond(row, payment_convention, settlement))
        except RuntimeError as exc:
            out.append(exc)
    return out


def ql_cashflows(frame, settlement, payment_convention: str, bonds=None) -> pd.DataFrame:
    """Cash flows paid after ``settlement``, per 100 face, redemption added to the last coupon.

    ``frame`` is a bond frame (or one row as a mapping); ``bonds`` optionally the
    :func:`ql_bonds` of it. Columns as etfcore's ``cashflows().to_frame()``: id,
    accrual_start, accrual_end, ref_start, ref_end, payment_date, amount (dates as
    ``datetime.date``; None for a zero-coupon redemption's accrual and reference dates).
    """
    rows = frame.to_dict("records") if isinstance(frame, pd.DataFrame) else [frame]
    records = []
    for i, row in enumerate(rows):
        bond = None if bonds is None else bonds[i]
        if isinstance(bond, Exception):
            raise bond
        records.extend(ql_cashflow_records(row, settlement, payment_convention, bond))
    return pd.DataFrame(records, columns=list(CASHFLOW_COLUMNS))


# ------------------------------------------------------------------------------------------
# analytics


def ql_yield(bond, row, clean: float, settlement, compounding=ql.Compounded) -> float:
    """QuantLib yield from a clean price (``compounding``: ``ql.Compounded`` by default;
    ``ql.SimpleThenCompounded`` gives the 31 CFR 356 / final-period money-market forms)."""
    dc = ql_day_counter(day_count_of(row))
    return ql.BondFunctions.bondYield(
        bond,
        ql.BondPrice(float(clean), ql.BondPrice.Clean),
        dc,
        compounding,
        _FREQUENCY[yield_frequency(row)],
        ql_date(settlement),
        1e-14,
        500,
        0.05,
    )


def ql_clean_from_yield(bond, row, y: float, settlement, compounding=ql.Compounded) -> float:
    """QuantLib clean price per 100 face at yield ``y``."""
    return ql.BondFunctions.cleanPrice(
        bond,
        float(y),
        ql_day_counter(day_count_of(row)),
        compounding,
        _FREQUENCY[yield_frequency(row)],
        ql_date(settlement),
    )


def ql_risk(bond, row, y: float, settlement, compounding=ql.Compounded) -> dict:
    """Modified and Macaulay duration and convexity at yield ``y``."""
    rate = ql.InterestRate(
        float(y),
        ql_day_counter(day_count_of(row)),
        compounding,
        _FREQUENCY[yield_frequency(row)],
    )
    s = ql_date(settlement)
    return {
        "modified_duration": ql.BondFunctions.duration(bond, rate, ql.Duration.Modified, s),
        "macaulay_duration": ql.BondFunctions.duration(bond, rate, ql.Duration.Macaulay, s),
        "convexity": ql.BondFunctions.convexity(bond, rate, s),
    }


def _spreads(frame: pd.DataFrame, spread) -> np.ndarray:
    if isinstance(spread, pd.Series):
        return spread.reindex(frame["id"]).to_numpy(dtype=float)
    return np.broadcast_to(np.asarray(spread, dtype=float), (len(frame),)).copy()


def reference_analytics(
    frame: pd.DataFrame,
    curve_spec: CurveSpec,
    settlement,
    payment_convention: str = "unadjusted",
    spread=0.0,
    bonds: list | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """QuantLib analytics per bond, and the bonds QuantLib could not value.

    Returns
    -------
    analytics
        Indexed by id, the columns of ``REFERENCE_COLUMNS``: prices from the curve (plus the
        bond's z-spread), the yield of that clean price, durations and convexity at the
        yield, ``dv01 = modified_duration * dirty_price / 10_000``. NaN where QuantLib failed.
    failures
        One row per bond and stage that raised: id, stage (``"price"`` or ``"yield"``),
        message (QuantLib's).

    ``bonds``, the :func:`ql_bonds` of ``frame``, saves building them again.
    """
    settlement = to_date(settlement)
    with evaluation_date(settlement):
        return _reference_analytics(
            frame, curve_spec, settlement, payment_convention, spread, bonds
        )


def _reference_analytics(frame, curve_spec, settlement, payment_convention, spread, bonds):
    curve = ql_curve(curve_spec)
    spreads = _spreads(frame, spread)
    out, failures = [], []
    for i, row in enumerate(frame.to_dict("records")):
        rec = dict.fromkeys(REFERENCE_COLUMNS, np.nan)
        rec["id"] = row["id"]
        try:
            bond = ql_bond(row, payment_convention, settlement) if bonds is None else bonds[i]
            if isinstance(bond, Exception):
                raise bond
            clean = ql_clean_price(bond, curve, settlement, spreads[i])
            accrued = ql.BondFunctions.accruedAmount(bond, ql_date(settlement))
            rec.update(clean_price=clean, accrued_interest=accrued, dirty_price=clean + accrued)
        except RuntimeError as exc:
            failures.append({"id": row["id"], "stage": "price", "message": str(exc)})
            out.append(rec)
            continue
        try:
            y = ql_yield(bond, row, clean, settlement)
            rec["yield_to_maturity"] = y
            rec.update(ql_risk(bond, row, y, settlement))
            rec["dv01"] = rec["modified_duration"] * rec["dirty_price"] / 10_000.0
        except RuntimeError as exc:
            failures.append({"id": row["id"], "stage": "yield", "message": str(exc)})
        out.append(rec)
    analytics = pd.DataFrame(out).set_index("id")[list(REFERENCE_COLUMNS)]
    return analytics, pd.DataFrame(failures, columns=["id", "stage", "message"])
