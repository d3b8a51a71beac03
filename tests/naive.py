"""Naive twins of the bond-pricing kernels: plain Python, one bond at a time.

Everything here is written for readability, not speed: ``datetime.date`` arithmetic, Python
loops, no numpy vectorisation and no numba. Each function follows the QuantLib 1.44 algorithm
it mirrors, named in its docstring, so that a disagreement between etfcore and QuantLib can be
settled by a third, independent implementation (and a mistake in the QuantLib harness does not
go unnoticed because the kernels happen to share it).

The only thing borrowed from QuantLib is the list of US government-bond (SIFMA) holidays
(:func:`is_business_day`), which is data rather than an algorithm.

Sources (QuantLib, github.com/lballabio/QuantLib, as shipped in 1.44):

- ``ql/time/daycounters/thirty360.cpp``: ``US_Impl``, ``ISMA_Impl`` (bond basis), ``EU_Impl``.
- ``ql/time/daycounters/actualactual.cpp``: ``Old_ISMA_Impl`` (the ISMA day counter built
  without a schedule, as bonds use it), with notional reference periods.
- ``ql/time/schedule.cpp``: backward date generation, end-of-month adjustment, safety checks.
- ``ql/time/calendar.cpp``: ``Calendar::advance`` with the end-of-month flag.
- ``ql/cashflows/fixedratecoupon.cpp``: ``FixedRateLeg`` reference periods for odd coupons.
- ``ql/cashflows/cashflows.cpp``: ``getStepwiseDiscountTime``, ``npv``, ``modifiedDuration``,
  ``convexity``, ``accruedAmount``.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import functools
import math
from dataclasses import dataclass

# ------------------------------------------------------------------------------------------
# dates


def to_date(value) -> dt.date | None:
    """Return a ``datetime.date`` (``None`` for a missing value: None, NaN, NaT)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp (NaT has it too)
        if value != value:  # NaT
            return None
        return value.to_pydatetime().date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if type(value).__name__ == "NaTType":
        return None
    if hasattr(value, "astype"):  # numpy.datetime64
        if str(value) == "NaT":
            return None
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    return dt.date.fromisoformat(str(value)[:10])


def month_length(year: int, month: int) -> int:
    return _calendar.monthrange(year, month)[1]


def is_end_of_month(d: dt.date) -> bool:
    return d.day == month_length(d.year, d.month)


def end_of_month(d: dt.date) -> dt.date:
    return d.replace(day=month_length(d.year, d.month))


def add_months(d: dt.date, n: int) -> dt.date:
    """QuantLib ``Date + n*Months``: move the month, clamp the day to the month's length."""
    m0 = d.month - 1 + n
    year, month = d.year + m0 // 12, m0 % 12 + 1
    return dt.date(year, month, min(d.day, month_length(year, month)))


def add_years(d: dt.date, n: int) -> dt.date:
    """QuantLib ``Date + n*Years`` (Feb 29 clamps to Feb 28)."""
    return add_months(d, 12 * n)


def advance_months(d: dt.date, n: int, end_of_month_rule: bool) -> dt.date:
    """``NullCalendar().advance(d, n, Months, Unadjusted, end_of_month_rule)``.

    With the end-of-month rule a date on the last day of its month lands on the last day of
    the target month; otherwise the day is clamped (``add_months``).
    """
    d1 = add_months(d, n)
    if end_of_month_rule and is_end_of_month(d):
        return end_of_month(d1)
    return d1


@functools.cache
def _us_government_bond_holidays() -> frozenset[dt.date]:
    import QuantLib as ql

    cal = ql.UnitedStates(ql.UnitedStates.GovernmentBond)
    days = cal.holidayList(ql.Date(1, 1, 1990), ql.Date(31, 12, 2110), False)
    return frozenset(dt.date(h.year(), h.month(), h.dayOfMonth()) for h in days)


def is_business_day(d: dt.date) -> bool:
    """US government-bond (SIFMA) business day: QuantLib's holiday list, weekends excluded."""
    return d.weekday() < 5 and d not in _us_government_bond_holidays()


def adjust(d: dt.date, payment_convention: str) -> dt.date:
    """Business-day adjustment: ``unadjusted``, ``following`` or ``modified_following``."""
    if payment_convention == "unadjusted":
        return d
    out = d
    while not is_business_day(out):
        out += dt.timedelta(days=1)
    if payment_convention == "following":
        return out
    if payment_convention == "modified_following":
        if out.month != d.month:
            out = d
            while not is_business_day(out):
                out -= dt.timedelta(days=1)
        return out
    raise ValueError(f"unknown payment convention {payment_convention!r}")


# ------------------------------------------------------------------------------------------
# day counts

DAY_COUNTS = ("30/360 US", "30/360 BB", "30E/360", "ACT/ACT ICMA", "ACT/360", "ACT/365F")


def _is_last_of_february(d: dt.date) -> bool:
    return d.month == 2 and is_end_of_month(d)


def day_count_days(d1: dt.date, d2: dt.date, day_count: str) -> int:
    """Day count numerator (``DayCounter::dayCount``)."""
    if day_count in ("ACT/ACT ICMA", "ACT/360", "ACT/365F"):
        return (d2 - d1).days
    dd1, dd2 = d1.day, d2.day
    if day_count == "30/360 US":
        # Thirty360::US_Impl; the order of the checks matters
        if _is_last_of_february(d1):
            if _is_last_of_february(d2):
                dd2 = 30
            dd1 = 30
        if dd2 == 31 and dd1 >= 30:
            dd2 = 30
        if dd1 == 31:
            dd1 = 30
    elif day_count == "30/360 BB":
        # Thirty360::ISMA_Impl (bond basis)
        if dd1 == 31:
            dd1 = 30
        if dd2 == 31 and dd1 == 30:
            dd2 = 30
    elif day_count == "30E/360":
        # Thirty360::EU_Impl
        if dd1 == 31:
            dd1 = 30
        if dd2 == 31:
            dd2 = 30
    else:
        raise ValueError(f"unknown day count {day_count!r}")
    return 360 * (d2.year - d1.year) + 30 * (d2.month - d1.month) + (dd2 - dd1)


def _lround(x: float) -> int:
    """C ``std::lround``: halves away from zero (Python's ``round`` rounds halves to even)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def _act_act_icma(d1: dt.date, d2: dt.date, ref_start, ref_end, strict: bool = True) -> float:
    """``ActualActual::Old_ISMA_Impl::yearFraction`` (QuantLib 1.44), line by line.

    QuantLib cannot measure a span that starts before the reference period and ends after it
    (``d1 < ref_start < ref_end < d2``) and raises. With ``strict=False`` that span is split
    at ``ref_start`` instead: the part before against notional periods stepping back from
    ``ref_start``, the part after against ``[ref_start, ref_end]`` and the periods rolling on
    from it -- both QuantLib's own rules for the two halves. etfcore measures it this way
    (a long first coupon paid after its accrual end needs it for the yield time).
    """
    if d1 == d2:
        return 0.0
    if d1 > d2:
        return -_act_act_icma(d2, d1, ref_start, ref_end, strict)
    ref_start = ref_start if ref_start is not None else d1
    ref_end = ref_end if ref_end is not None else d2
    if not (ref_end > ref_start and ref_end > d1):
        raise ValueError(
            f"invalid reference period: date 1: {d1}, date 2: {d2}, "
            f"reference period start: {ref_start}, reference period end: {ref_end}"
        )
    months = _lround(12 * float((ref_end - ref_start).days) / 365)
    if months == 0:
        ref_start = d1
        ref_end = add_years(d1, 1)
        months = 12
    period = float(months) / 12.0
    if d2 <= ref_end:
        if d1 >= ref_start:
            return period * float((d2 - d1).days) / (ref_end - ref_start).days
        previous_ref = add_months(ref_start, -months)
        if d2 > ref_start:
            return _act_act_icma(d1, ref_start, previous_ref, ref_start) + _act_act_icma(
                ref_start, d2, ref_start, ref_end
            )
        return _act_act_icma(d1, d2, previous_ref, ref_start)
    if not ref_start <= d1:
        if strict:
            raise ValueError("invalid dates: d1 < refPeriodStart < refPeriodEnd < d2")
        return _act_act_icma(d1, ref_start, ref_start, ref_end) + _act_act_icma(
            ref_start, d2, ref_start, ref_end
        )
    total = _act_act_icma(d1, ref_end, ref_start, ref_end)
    i = 0
    while True:
        new_ref_start = add_months(ref_end, months * i)
        new_ref_end = add_months(ref_end, months * (i + 1))
        if d2 < new_ref_end:
            break
        total += period
        i += 1
    total += _act_act_icma(new_ref_start, d2, new_ref_start, new_ref_end)
    return total


def year_fraction(
    d1: dt.date,
    d2: dt.date,
    ref_start: dt.date | None = None,
    ref_end: dt.date | None = None,
    day_count: str = "30/360 US",
    strict: bool = True,
) -> float:
    """Year fraction from ``d1`` to ``d2`` (``DayCounter::yearFraction``).

    The reference period matters for ``ACT/ACT ICMA`` only; ``strict`` is explained in
    :func:`_act_act_icma`.
    """
    if day_count == "ACT/ACT ICMA":
        return _act_act_icma(d1, d2, ref_start, ref_end, strict)
    if day_count == "ACT/365F":
        return (d2 - d1).days / 365.0
    if day_count == "ACT/360":
        return (d2 - d1).days / 360.0
    return day_count_days(d1, d2, day_count) / 360.0


# ------------------------------------------------------------------------------------------
# schedule and cash flows


@dataclass(frozen=True)
class Flow:
    """One cash flow per 100 face; ``is_coupon`` false for a zero-coupon redemption."""

    accrual_start: dt.date | None
    accrual_end: dt.date | None
    ref_start: dt.date | None
    ref_end: dt.date | None
    payment_date: dt.date
    amount: float
    coupon: float  # the coupon part of ``amount`` (0 for a zero-coupon bond)
    is_coupon: bool


def _get(row, key, default=None):
    try:
        value = row[key]
    except (KeyError, IndexError):
        return default
    if value is None:
        return default
    if isinstance(value, float) and math.isnan(value):
        return default
    if type(value).__name__ == "NaTType":
        return default
    return value


def effective_date(row, settlement: dt.date) -> dt.date:
    """Issue date, or a placeholder well before settlement when the bond has none."""
    issue = to_date(_get(row, "issue_date"))
    return issue if issue is not None else settlement - dt.timedelta(days=400)


def schedule_dates(
    effective: dt.date,
    maturity: dt.date,
    months: int,
    end_of_month_rule: bool,
    first_date: dt.date | None = None,
) -> tuple[list[dt.date], list[bool]]:
    """``Schedule(effective, maturity, months*Months, NullCalendar(), Unadjusted, Unadjusted,
    Backward, end_of_month_rule, first_date)``: dates and ``isRegular`` flags.
    """
    if first_date == effective:
        first_date = None
    if not effective < maturity:
        raise ValueError(f"effective date ({effective}) later than or equal to {maturity}")
    if first_date is not None and not effective < first_date < maturity:
        raise ValueError(f"first date ({first_date}) out of range [{effective}, {maturity})")
    dates = [maturity]
    regular: list[bool] = []
    seed = maturity
    exit_date = first_date if first_date is not None else effective
    periods = 1
    while True:
        temp = advance_months(seed, -periods * months, end_of_month_rule)
        if temp < exit_date:
            if first_date is not None and dates[0] != first_date:
                dates.insert(0, first_date)
                regular.insert(0, False)
            break
        if dates[0] != temp:
            dates.insert(0, temp)
            regular.insert(0, True)
        periods += 1
    if dates[0] != effective:
        dates.insert(0, effective)
        regular.insert(0, False)
    if end_of_month_rule and is_end_of_month(seed):
        for i in range(1, len(dates) - 1):
            dates[i] = end_of_month(dates[i])
        dates[-1] = end_of_month(dates[-1])
    # QuantLib's final safety checks
    if len(dates) >= 2 and dates[-2] >= dates[-1]:
        regular[-2] = dates[-2] == dates[-1]
        dates[-2] = dates[-1]
        dates.pop()
        regular.pop()
    if len(dates) >= 2 and dates[1] <= dates[0]:
        regular[1] = dates[1] == dates[0]
        dates[1] = dates[0]
        dates.pop(0)
        regular.pop(0)
    return dates, regular


def all_flows(row, settlement: dt.date, payment_convention: str) -> list[Flow]:
    """Every cash flow of the bond per 100 face, past ones included (redemption merged)."""
    maturity = to_date(row["maturity_date"])
    frequency = int(_get(row, "frequency", 2))
    day_count = str(_get(row, "day_count", "30/360 US"))
    rate = float(row["coupon_rate"])
    if frequency == 0:
        pay = adjust(maturity, payment_convention)
        return [Flow(None, None, None, None, pay, 100.0, 0.0, False)]
    months = 12 // frequency
    eom = bool(_get(row, "end_of_month", True))
    first = to_date(_get(row, "first_coupon_date"))
    dates, regular = schedule_dates(effective_date(row, settlement), maturity, months, eom, first)
    flows = []
    n = len(dates)
    for i in range(n - 1):
        start, end = dates[i], dates[i + 1]
        ref_start, ref_end = start, end
        if i == 0 and not regular[0]:
            ref_start = advance_months(end, -months, eom)
        elif i == n - 2 and i > 0 and not regular[-1]:
            ref_end = advance_months(start, months, eom)
        coupon = 100.0 * rate * year_fraction(start, end, ref_start, ref_end, day_count)
        last = i == n - 2
        flows.append(
            Flow(
                start,
                end,
                ref_start,
                ref_end,
                adjust(end, payment_convention),
                coupon + (100.0 if last else 0.0),
                coupon,
                True,
            )
        )
    return flows


def schedule(row, settlement, payment_convention: str = "unadjusted") -> list[Flow]:
    """Cash flows paid strictly after ``settlement``, per 100 face, redemption in the last."""
    settlement = to_date(settlement)
    return [
        f for f in all_flows(row, settlement, payment_convention) if f.payment_date > settlement
    ]


def accrued_interest(row, settlement, payment_convention: str = "unadjusted") -> float:
    """``CashFlows::accruedAmount``: accrued of the coupon(s) paid on the next payment date."""
    settlement = to_date(settlement)
    day_count = str(_get(row, "day_count", "30/360 US"))
    rate = float(row["coupon_rate"])
    future = schedule(row, settlement, payment_convention)
    if not future:
        return 0.0
    nxt = future[0]
    if not nxt.is_coupon:
        return 0.0
    if settlement <= nxt.accrual_start or settlement > nxt.payment_date:
        return 0.0
    return (
        100.0
        * rate
        * year_fraction(
            nxt.accrual_start,
            min(settlement, nxt.accrual_end),
            nxt.ref_start,
            nxt.ref_end,
            day_count,
        )
    )


def _stepwise_times(
    row, settlement: dt.date, payment_convention: str, strict: bool = True
) -> list[tuple[float, float]]:
    """``(amount, t)`` pairs with QuantLib's stepwise yield times (``getStepwiseDiscountTime``).

    ``t`` is cumulated over steps: each step is measured with the coupon's own reference
    period, from the previous payment date (or settlement) to this payment date.
    """
    day_count = str(_get(row, "day_count", "30/360 US"))
    out = []
    t = 0.0
    last_date = settlement
    for f in schedule(row, settlement, payment_convention):
        pay = f.payment_date
        if f.is_coupon:
            ref_start, ref_end = f.ref_start, f.ref_end
            if last_date != f.accrual_start:
                step = year_fraction(
                    f.accrual_start, pay, ref_start, ref_end, day_count, strict
                ) - year_fraction(f.accrual_start, last_date, ref_start, ref_end, day_count, strict)
            else:
                step = year_fraction(last_date, pay, ref_start, ref_end, day_count, strict)
            # the redemption is a separate cash flow in QuantLib on the same date: its step is 0
        else:
            ref_start = add_years(pay, -1) if last_date == settlement else last_date
            step = year_fraction(last_date, pay, ref_start, pay, day_count)
        t += step
        out.append((f.amount, t))
        last_date = pay
    return out


def _yield_frequency(row) -> int:
    frequency = int(_get(row, "frequency", 2))
    return 2 if frequency == 0 else frequency


def _simple_years(times: list[tuple[float, float]], f: int, yield_convention: str) -> float:
    """Years at simple interest before the first flow (0 when compounded throughout).

    street: the whole time to the only flow left, if it is at most one period away (the
    SIA money-market yield); treasury_auction (31 CFR 356 App. B): the fractional part of
    the first quasi-coupon period; compounded: none.
    """
    if yield_convention == "compounded" or not times:
        return 0.0
    t1 = times[0][1]
    if yield_convention == "street":
        return t1 if len(times) == 1 and f * t1 <= 1.0 + 1e-12 else 0.0
    if yield_convention == "treasury_auction":
        x = f * t1
        return (x - math.floor(x)) / f
    raise ValueError(yield_convention)


def _price_at(
    times: list[tuple[float, float]], y: float, f: int, yield_convention: str = "compounded"
) -> float:
    """``sum(c (1 + y/f)^(-f (t - rho))) / (1 + y rho)``, flow by flow (no stepping)."""
    rho = _simple_years(times, f, yield_convention)
    return sum(c * (1.0 + y / f) ** (-f * (t - rho)) for c, t in times) / (1.0 + y * rho)


def dirty_price_from_yield(
    row,
    y: float,
    settlement,
    payment_convention="unadjusted",
    strict: bool = True,
    yield_convention: str = "compounded",
) -> float:
    """Dirty price per 100 face at yield ``y`` (compounded at the bond's frequency)."""
    settlement = to_date(settlement)
    times = _stepwise_times(row, settlement, payment_convention, strict)
    return _price_at(times, y, _yield_frequency(row), yield_convention)


def price_from_yield(
    row,
    y: float,
    settlement,
    payment_convention="unadjusted",
    strict: bool = True,
    yield_convention: str = "compounded",
) -> dict:
    """``{"clean_price", "dirty_price", "accrued_interest"}`` at yield ``y``."""
    dirty = dirty_price_from_yield(row, y, settlement, payment_convention, strict, yield_convention)
    accrued = accrued_interest(row, settlement, payment_convention)
    return {"clean_price": dirty - accrued, "dirty_price": dirty, "accrued_interest": accrued}


def yield_from_price(
    row,
    clean_price: float,
    settlement,
    payment_convention="unadjusted",
    tol=1e-15,
    strict: bool = True,
    yield_convention: str = "compounded",
) -> float:
    """Yield that reprices ``clean_price``: bisection on ``[-0.5, 3]`` down to ``tol``.

    The dirty price falls as the yield rises, so the bracket halves until it is ``tol`` wide
    (or until its midpoint is one of its ends, at the resolution of a double).
    """
    settlement = to_date(settlement)
    times = _stepwise_times(row, settlement, payment_convention, strict)
    f = _yield_frequency(row)
    target = clean_price + accrued_interest(row, settlement, payment_convention)
    lo, hi = -0.5, 3.0

    def price(y: float) -> float:
        return _price_at(times, y, f, yield_convention)

    if price(lo) < target or price(hi) > target:
        raise ValueError(f"price {clean_price} not bracketed by yields [{lo}, {hi}]")
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if price(mid) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def duration_convexity(
    row, y: float, settlement, payment_convention="unadjusted", strict: bool = True
) -> dict:
    """Modified and Macaulay duration and convexity at yield ``y`` (``CashFlows`` formulas)."""
    settlement = to_date(settlement)
    f = _yield_frequency(row)
    p = dpdy = d2pdy2 = 0.0
    for c, t in _stepwise_times(row, settlement, payment_convention, strict):
        b = (1.0 + y / f) ** (-f * t)
        p += c * b
        dpdy -= c * b * t / (1.0 + y / f)
        d2pdy2 += c * b * t * (f * t + 1.0) / (f * (1.0 + y / f) ** 2)
    modified = -dpdy / p
    return {
        "modified_duration": modified,
        "macaulay_duration": modified * (1.0 + y / f),
        "convexity": d2pdy2 / p,
    }


# ------------------------------------------------------------------------------------------
# curve


def zero_rate(node_days, zero_rates, days: int) -> float:
    """Linear interpolation of zero rates in time (days/365), flat outside the nodes."""
    t = days / 365.0
    times = [d / 365.0 for d in node_days]
    if t <= times[0]:
        return zero_rates[0]
    if t >= times[-1]:
        return zero_rates[-1]
    for i in range(len(times) - 1):
        if times[i] <= t <= times[i + 1]:
            w = (t - times[i]) / (times[i + 1] - times[i])
            return zero_rates[i] + w * (zero_rates[i + 1] - zero_rates[i])
    raise AssertionError("unreachable")


def dirty_price_from_curve(
    row, node_days, zero_rates, settlement, payment_convention="unadjusted", spread=0.0
) -> float:
    """Dirty price per 100 face: each flow discounted at ``exp(-(z(t) + spread) * t)``.

    ``node_days`` are days from the curve's reference date, which is ``settlement``.
    """
    settlement = to_date(settlement)
    total = 0.0
    for f in schedule(row, settlement, payment_convention):
        days = (f.payment_date - settlement).days
        t = days / 365.0
        total += f.amount * math.exp(-(zero_rate(node_days, zero_rates, days) + spread) * t)
    return total
