"""numba kernels of the bond layer.

Contract
--------
* Inputs are contiguous numpy arrays of ``int64`` / ``float64`` and scalars.
  Dates are ``int64`` day numbers (days since 1970-01-01); an absent date is
  ``NO_DATE``. Conventions are the integer codes of ``conventions.py``.
* No pandas, strings or Python objects. Kernels never raise for bad data: those
  that can fail return an ``int64`` status per item (``STATUS_*`` below) and the
  Python wrapper turns it into an exception that names the bond.
* All helpers of a kernel live in this file (numba's ``cache=True`` does not see
  a change in a helper that lives in another file).
* Cash flows of many bonds are stored as CSR arrays: bond ``i`` owns the flows
  ``offsets[i]:offsets[i + 1]``, in payment-date order.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .._jit import jit, pjit, prange

NO_DATE = -(2**40)

# day counts (conventions.py)
THIRTY_360_US = 0
THIRTY_360_BB = 1
THIRTY_E_360 = 2
ACT_ACT_ICMA = 3
ACT_360 = 4
ACT_365F = 5

# payment conventions (conventions.py)
UNADJUSTED = 0
FOLLOWING = 1
MODIFIED_FOLLOWING = 2
PRECEDING = 3

# solver status per item
STATUS_OK = 0
STATUS_NO_CONVERGENCE = 1
STATUS_NO_BRACKET = 2
STATUS_BAD_INPUT = 3
STATUS_NO_CASHFLOWS = 4

# yield conventions (pricing.YIELD_CONVENTIONS): how the fraction of a coupon period is discounted
YIELD_COMPOUNDED = 0  # (1 + y/f)^(-f t) throughout (QuantLib Compounded, the ICMA yield)
YIELD_STREET = 1  # compounded, but simple 1/(1 + y t) with one coupon period or less to go
YIELD_TREASURY = 2  # 31 CFR 356 App. B: simple over the fractional first quasi-coupon period

# the yield solver's domain (decimal): beyond it a price means bad data, not a yield
YIELD_MIN = -0.5
YIELD_MAX = 10.0

# flow kinds
FLOW_COUPON = 1  # a coupon (with the redemption added when it pays on the same date)
FLOW_REDEMPTION = 0  # a lone redemption (zero-coupon bond)


# --------------------------------------------------------------------------------------
# a vectorisable exp
# --------------------------------------------------------------------------------------
# This numba build has no SVML, so ``math.exp`` runs one value at a time. The polynomial
# below (Cody-Waite reduction, degree-12 Taylor in Estrin's form, exponent built from the
# integer bits) vectorises; its error against numpy.exp is a few units in the last place.
# The same code serves etfcore.bonds._curve_kernels; it is repeated here because numba's
# cache does not see changes to a helper that lives in another file.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
_SHIFTER = 6755399441055744.0
_SHIFTER_BITS = np.int64(0x4338000000000000)
_EXP_BIAS = np.int64(1023)
_C2 = 1.0 / 2.0
_C3 = 1.0 / 6.0
_C4 = 1.0 / 24.0
_C5 = 1.0 / 120.0
_C6 = 1.0 / 720.0
_C7 = 1.0 / 5040.0
_C8 = 1.0 / 40320.0
_C9 = 1.0 / 362880.0
_C10 = 1.0 / 3628800.0
_C11 = 1.0 / 39916800.0
_C12 = 1.0 / 479001600.0


@jit
def exp_inplace_nb(x, scratch):
    """Replace ``x`` by ``exp(x)``; ``scratch`` is an ``int64`` buffer of the same length.

    Inputs are clamped to [-708, 709]; NaN stays NaN.
    """
    n = x.shape[0]
    kf = scratch.view(np.float64)
    for i in range(n):
        v = x[i]
        v = -708.0 if v < -708.0 else v
        v = 709.0 if v > 709.0 else v
        shifted = v * _INV_LN2 + _SHIFTER
        k = shifted - _SHIFTER
        r = (v - k * _LN2_HI) - k * _LN2_LO
        r2 = r * r
        r4 = r2 * r2
        r8 = r4 * r4
        b0 = (1.0 + r) + r2 * (_C2 + _C3 * r)
        b1 = (_C4 + _C5 * r) + r2 * (_C6 + _C7 * r)
        b2 = (_C8 + _C9 * r) + r2 * (_C10 + _C11 * r)
        x[i] = b0 + r4 * b1 + r8 * (b2 + r4 * _C12)
        kf[i] = shifted
    for i in range(n):
        scratch[i] = (scratch[i] - _SHIFTER_BITS + _EXP_BIAS) << 52
    for i in range(n):
        x[i] *= kf[i]


# --------------------------------------------------------------------------------------
# civil dates
# --------------------------------------------------------------------------------------
@jit
def ymd_nb(z):
    """Day number -> (year, month, day); proleptic Gregorian (H. Hinnant's algorithm)."""
    z = z + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d


@jit
def days_nb(y, m, d):
    """(year, month, day) -> day number."""
    if m <= 2:
        y -= 1
    era = y // 400
    yoe = y - era * 400
    mm = m - 3 if m > 2 else m + 9
    doy = (153 * mm + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@jit
def is_leap_nb(y):
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


@jit
def days_in_month_nb(y, m):
    if m == 2:
        return 29 if is_leap_nb(y) else 28
    if m == 4 or m == 6 or m == 9 or m == 11:
        return 30
    return 31


@jit
def add_months_nb(d, n):
    """``d`` plus ``n`` months, the day clamped to the month's length (QuantLib Date + Period)."""
    y, m, dd = ymd_nb(d)
    total = y * 12 + (m - 1) + n
    ny = total // 12
    nm = total - ny * 12 + 1
    dim = days_in_month_nb(ny, nm)
    return days_nb(ny, nm, dd if dd < dim else dim)


@jit
def is_end_of_month_nb(d):
    y, m, dd = ymd_nb(d)
    return dd == days_in_month_nb(y, m)


@jit
def end_of_month_nb(d):
    y, m, dd = ymd_nb(d)
    return days_nb(y, m, days_in_month_nb(y, m))


@jit
def is_business_day_nb(d, holidays):
    """Weekday and not in ``holidays`` (sorted day numbers). 1970-01-01 was a Thursday."""
    if (d + 3) % 7 >= 5:
        return False
    k = np.searchsorted(holidays, d)
    return not (k < holidays.shape[0] and holidays[k] == d)


@jit
def adjust_nb(d, convention, holidays):
    """Roll ``d`` to a business day by ``convention``."""
    if convention == UNADJUSTED:
        return d
    if convention == PRECEDING:
        while not is_business_day_nb(d, holidays):
            d -= 1
        return d
    a = d
    while not is_business_day_nb(a, holidays):
        a += 1
    if convention == MODIFIED_FOLLOWING:
        _, m0, _ = ymd_nb(d)
        _, m1, _ = ymd_nb(a)
        if m1 != m0:
            a = d
            while not is_business_day_nb(a, holidays):
                a -= 1
    return a


# --------------------------------------------------------------------------------------
# day counts
# --------------------------------------------------------------------------------------
@jit
def day_count_30_360_nb(d1, d2, day_count):
    y1, m1, dd1 = ymd_nb(d1)
    y2, m2, dd2 = ymd_nb(d2)
    if day_count == THIRTY_360_US:
        if m1 == 2 and dd1 == days_in_month_nb(y1, 2):
            if m2 == 2 and dd2 == days_in_month_nb(y2, 2):
                dd2 = 30
            dd1 = 30
        if dd2 == 31 and dd1 >= 30:
            dd2 = 30
        if dd1 == 31:
            dd1 = 30
    elif day_count == THIRTY_360_BB:
        if dd1 == 31:
            dd1 = 30
        if dd2 == 31 and dd1 == 30:
            dd2 = 30
    else:  # 30E/360
        if dd1 == 31:
            dd1 = 30
        if dd2 == 31:
            dd2 = 30
    return 360 * (y2 - y1) + 30 * (m2 - m1) + (dd2 - dd1)


@jit
def _isma_months_nb(rs, re):
    # QuantLib: Integer(std::lround(12 * Real(refPeriodEnd - refPeriodStart) / 365))
    x = 12.0 * (re - rs) / 365.0
    return int(math.floor(x + 0.5))


@jit
def _isma_forward_nb(d1, d2, rs, re):
    """ACT/ACT ICMA for ``d1 >= rs`` (reference period [rs, re]), ``d2`` possibly past ``re``."""
    months = _isma_months_nb(rs, re)
    if months == 0:
        rs = d1
        re = add_months_nb(d1, 12)
        months = 12
    period = months / 12.0
    if d2 <= re:
        return period * (d2 - d1) / (re - rs)
    total = period * (re - d1) / (re - rs)
    i = 0
    while True:
        nrs = add_months_nb(re, months * i)
        nre = add_months_nb(re, months * (i + 1))
        if d2 < nre:
            break
        total += period
        i += 1
    m2 = _isma_months_nb(nrs, nre)
    return total + (m2 / 12.0) * (d2 - nrs) / (nre - nrs)


@jit
def year_fraction_icma_nb(d1, d2, rs, re):
    """ACT/ACT ICMA year fraction, following QuantLib's ``ActualActual(ISMA)``.

    Periods before the reference start are measured against notional reference
    periods obtained by stepping back ``months`` at a time from ``rs``.
    """
    if d1 == d2:
        return 0.0
    if d1 > d2:
        return -year_fraction_icma_nb(d2, d1, rs, re)
    if d1 >= rs:
        return _isma_forward_nb(d1, d2, rs, re)
    # d1 < rs: the part after rs against [rs, re] (and beyond), the part before
    # against notional periods stepping back from rs
    total = 0.0
    if d2 > rs:
        total += _isma_forward_nb(rs, d2, rs, re)
        upper = rs
    else:
        upper = d2
    cur_re = rs
    months = _isma_months_nb(rs, re)
    if months == 0:
        months = 12
    cur_rs = add_months_nb(rs, -months)
    while True:
        m = _isma_months_nb(cur_rs, cur_re)
        if m == 0:
            m = 12
        if d1 >= cur_rs:
            total += (m / 12.0) * (upper - d1) / (cur_re - cur_rs)
            break
        if upper > cur_rs:
            total += (m / 12.0) * (upper - cur_rs) / (cur_re - cur_rs)
            upper = cur_rs
        cur_re = cur_rs
        cur_rs = add_months_nb(cur_rs, -m)
    return total


@jit
def year_fraction_nb(d1, d2, rs, re, day_count):
    """Year fraction from ``d1`` to ``d2`` with reference period ``[rs, re]``."""
    if day_count <= THIRTY_E_360:
        return day_count_30_360_nb(d1, d2, day_count) / 360.0
    if day_count == ACT_ACT_ICMA:
        return year_fraction_icma_nb(d1, d2, rs, re)
    if day_count == ACT_360:
        return (d2 - d1) / 360.0
    return (d2 - d1) / 365.0


@jit
def year_fractions_nb(d1, d2, rs, re, day_count):
    """Vectorised :func:`year_fraction_nb` (for the public ``year_fraction`` helper)."""
    n = d1.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = year_fraction_nb(d1[i], d2[i], rs[i], re[i], day_count[i])
    return out


# --------------------------------------------------------------------------------------
# schedules
# --------------------------------------------------------------------------------------
@jit
def _roll_nb(maturity, k, months, eom):
    """The k-th roll date back from maturity (QuantLib backward generation, NullCalendar)."""
    if k == 0:
        return maturity
    d = add_months_nb(maturity, -k * months)
    if eom:
        d = end_of_month_nb(d)
    return d


@jit
def _count_flows_nb(maturity, issue, first_coupon, frequency, eom_flag, settle, pay_conv, holidays):
    if frequency == 0:
        pay = adjust_nb(maturity, pay_conv, holidays)
        return 1 if pay > settle else 0
    months = 12 // frequency
    eom = eom_flag and is_end_of_month_nb(maturity)
    exit_date = first_coupon if first_coupon != NO_DATE else issue
    n = 0
    k = 0
    while True:
        end = _roll_nb(maturity, k, months, eom)
        if k > 0 and issue != NO_DATE and end <= issue:
            break
        if adjust_nb(end, pay_conv, holidays) <= settle:
            break
        n += 1
        start = _roll_nb(maturity, k + 1, months, eom)
        if exit_date != NO_DATE and start < exit_date:
            break  # this was the first period
        k += 1
    return n


@pjit
def count_flows_nb(maturity, issue, first_coupon, frequency, eom_flag, settle, pay_conv, holidays):
    n = maturity.shape[0]
    counts = np.empty(n, dtype=np.int64)
    for i in prange(n):
        counts[i] = _count_flows_nb(
            maturity[i],
            issue[i],
            first_coupon[i],
            frequency[i],
            eom_flag[i],
            settle,
            pay_conv,
            holidays,
        )
    return counts


@pjit
def fill_flows_nb(
    offsets,
    maturity,
    issue,
    first_coupon,
    coupon_rate,
    frequency,
    day_count,
    eom_flag,
    settle,
    pay_conv,
    holidays,
    redemption,
    pay,
    amount,
    acc_start,
    acc_end,
    ref_start,
    ref_end,
    kind,
    t,
    dt,
    dtau,
    accrued,
):
    """Fill the CSR flow arrays (payment order) for every bond.

    Follows QuantLib's backward ``Schedule`` (NullCalendar, unadjusted accrual,
    end-of-month rule when the maturity is a month end) and ``FixedRateLeg``
    (irregular first period measured against the notional reference period
    ``[end - tenor, end]``, moved to the month end when the end-of-month flag is set
    and ``end`` is a month end). Amounts are per 100 face; the redemption is added to
    the last coupon. Also fills, per flow, the yield times ``t``/``dt`` (see
    :func:`_yield_times_bond_nb`) and ``dtau = (pay - settle) / 365``, and per bond the
    accrued interest at settlement.
    """
    n = maturity.shape[0]
    for i in prange(n):
        lo = offsets[i]
        hi = offsets[i + 1]
        if hi == lo:
            continue
        mat = maturity[i]
        accrued[i] = 0.0
        if frequency[i] == 0:
            p = adjust_nb(mat, pay_conv, holidays)
            pay[lo] = p
            amount[lo] = redemption[i]
            acc_start[lo] = NO_DATE
            acc_end[lo] = NO_DATE
            ref_start[lo] = add_months_nb(p, -12)
            ref_end[lo] = p
            kind[lo] = FLOW_REDEMPTION
            _yield_times_bond_nb(
                lo, hi, day_count[i], pay, acc_start, ref_start, ref_end, kind, settle, t, dt
            )
            dtau[lo] = (p - settle) / 365.0
            continue
        months = 12 // frequency[i]
        eom = eom_flag[i] and is_end_of_month_nb(mat)
        iss = issue[i]
        fc = first_coupon[i]
        exit_date = fc if fc != NO_DATE else iss
        j = hi - 1
        k = 0
        while j >= lo:
            end = _roll_nb(mat, k, months, eom)
            start = _roll_nb(mat, k + 1, months, eom)
            regular = True
            if exit_date != NO_DATE and start < exit_date:
                # first period: from the issue (effective) date
                regular = fc == NO_DATE and start == iss
                start = iss
            pay[j] = adjust_nb(end, pay_conv, holidays)
            acc_start[j] = start
            acc_end[j] = end
            if regular:
                rs = start
                re = end
            else:
                # QuantLib FixedRateLeg: calendar.advance(end, -tenor, conv, endOfMonth), with the
                # schedule's own end-of-month flag (not whether the maturity is a month end)
                rs = add_months_nb(end, -months)
                if eom_flag[i] and is_end_of_month_nb(end):
                    rs = end_of_month_nb(rs)
                re = end
            ref_start[j] = rs
            ref_end[j] = re
            amount[j] = coupon_rate[i] * 100.0 * year_fraction_nb(start, end, rs, re, day_count[i])
            kind[j] = FLOW_COUPON
            if k == 0:
                amount[j] += redemption[i]
            j -= 1
            k += 1
        _yield_times_bond_nb(
            lo, hi, day_count[i], pay, acc_start, ref_start, ref_end, kind, settle, t, dt
        )
        accrued[i] = _accrued_bond_nb(
            lo, coupon_rate[i], day_count[i], acc_start, acc_end, ref_start, ref_end, kind, settle
        )
        for q in range(lo, hi):
            dtau[q] = (pay[q] - settle) / 365.0


@jit
def unique_days_nb(days):
    """Sorted distinct values of ``days`` and, for each element, its position among them."""
    n = days.shape[0]
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    lo = days.min()
    hi = days.max()
    seen = np.zeros(hi - lo + 1, dtype=np.int64)
    for k in range(n):
        seen[days[k] - lo] = 1
    m = 0
    for k in range(seen.shape[0]):
        if seen[k]:
            seen[k] = m + 1
            m += 1
    uniq = np.empty(m, dtype=np.int64)
    for k in range(seen.shape[0]):
        if seen[k]:
            uniq[seen[k] - 1] = lo + k
    idx = np.empty(n, dtype=np.int64)
    for k in range(n):
        idx[k] = seen[days[k] - lo] - 1
    return uniq, idx


# --------------------------------------------------------------------------------------
# accrued interest and yield times
# --------------------------------------------------------------------------------------
@jit
def _accrued_bond_nb(
    k, coupon_rate, day_count, acc_start, acc_end, ref_start, ref_end, kind, settle
):
    """Accrued interest per 100 face of the flow at ``k`` (QuantLib ``Bond::accruedAmount``).

    The coupon paid next after settlement accrues from its accrual start to
    ``min(settle, accrual end)``; nothing accrues when settlement is on or before the
    accrual start, nor on a lone redemption.
    """
    if kind[k] != FLOW_COUPON:
        return 0.0
    a = acc_start[k]
    if settle <= a:
        return 0.0
    e = acc_end[k] if acc_end[k] < settle else settle
    return coupon_rate * 100.0 * year_fraction_nb(a, e, ref_start[k], ref_end[k], day_count)


@jit
def _yield_times_bond_nb(lo, hi, dc, pay, acc_start, ref_start, ref_end, kind, settle, t, dt):
    """Cumulative (``t``) and stepwise (``dt``) discounting times of flows ``lo:hi``.

    QuantLib's ``CashFlows`` stepwise time under the bond's own day count: for a coupon,
    the fraction of its period still to run (coupon period minus the part accrued at the
    previous payment or settlement date); for a lone redemption, the year fraction from
    settlement against a one-year notional period ending on the payment date.
    """
    last = settle
    cum = 0.0
    for k in range(lo, hi):
        if kind[k] == FLOW_COUPON:
            a = acc_start[k]
            if last != a:
                step = year_fraction_nb(a, pay[k], ref_start[k], ref_end[k], dc) - year_fraction_nb(
                    a, last, ref_start[k], ref_end[k], dc
                )
            else:
                step = year_fraction_nb(last, pay[k], ref_start[k], ref_end[k], dc)
        else:
            rs = ref_start[k] if last == settle else last
            step = year_fraction_nb(last, pay[k], rs, pay[k], dc)
        cum += step
        dt[k] = step
        t[k] = cum
        last = pay[k]


@pjit
def yield_times_nb(offsets, day_count, pay, acc_start, ref_start, ref_end, kind, settle):
    """Yield times of every bond's flows (see :func:`_yield_times_bond_nb`): ``(t, dt)``."""
    n = offsets.shape[0] - 1
    t = np.empty(pay.shape[0])
    dt = np.empty(pay.shape[0])
    for i in prange(n):
        _yield_times_bond_nb(
            offsets[i],
            offsets[i + 1],
            day_count[i],
            pay,
            acc_start,
            ref_start,
            ref_end,
            kind,
            settle,
            t,
            dt,
        )
    return t, dt


# --------------------------------------------------------------------------------------
# price, yield and risk at a yield
# --------------------------------------------------------------------------------------
@jit
def _simple_time_nb(lo, hi, dt, f, convention):
    """Years discounted at simple interest before the first flow, ``rho``, under ``convention``.

    The first flow is ``dt[lo]`` years away (``x = f dt[lo]`` coupon periods). Street:
    ``rho = dt[lo]`` when it is the only flow left and ``x <= 1`` (the money-market
    yield of the final period), else 0. Treasury auction (31 CFR 356 App. B): the
    fractional part of ``x``, ``rho = (x - floor(x)) / f``; the whole quasi-coupon
    periods before the first flow are compounded. Compounded: 0. A full period is the
    same at simple or compound interest, so ``rho`` is continuous where ``x`` is whole.
    """
    if convention == YIELD_COMPOUNDED or hi == lo:
        return 0.0
    step = dt[lo]
    if convention == YIELD_STREET:
        if hi - lo == 1 and f * step <= 1.0 + 1e-12:
            return step
        return 0.0
    x = f * step
    frac = x - math.floor(x)
    return frac / f if frac > 0.0 else 0.0


@jit
def _price_dp_nb(lo, hi, amount, t, dt, y, f, rho):
    """Dirty price at yield ``y`` (compounded ``f``/year) and its first yield derivative.

    Discount factors are built stepwise, ``(1 + y/f)^(-f dt)``; a step of exactly one
    period multiplies by ``v = 1/(1 + y/f)`` without an ``exp``. With ``rho > 0`` years
    at simple interest (:func:`_simple_time_nb`, computed once per bond by the caller),
    flow ``k`` is discounted by ``(1 + y/f)^(-f (t_k - rho)) / (1 + y rho)``.
    """
    base = 1.0 + y / f
    log_base = math.log(base)
    v = 1.0 / base
    period = 1.0 / f
    disc = 1.0
    p = 0.0
    tp = 0.0
    if rho == 0.0:
        for k in range(lo, hi):
            step = dt[k]
            if step == period:
                disc *= v
            else:
                disc *= math.exp(-f * step * log_base)
            c = amount[k] * disc
            p += c
            tp += c * t[k]
        return p, -tp / base
    q = 1.0 + y * rho
    disc = math.exp(-f * (dt[lo] - rho) * log_base) / q
    p = amount[lo] * disc
    tp = p * t[lo]
    for k in range(lo + 1, hi):
        step = dt[k]
        if step == period:
            disc *= v
        else:
            disc *= math.exp(-f * step * log_base)
        c = amount[k] * disc
        p += c
        tp += c * t[k]
    return p, -((tp - rho * p) / base + rho * p / q)


@jit
def _risk_nb(lo, hi, amount, t, dt, y, f, convention):
    """(modified duration, Macaulay duration, convexity) at yield ``y``.

    As QuantLib's ``CashFlows::duration`` / ``convexity`` with ``Compounded``:
    ``D_mod = sum(t c B) / ((1 + y/f) P)``, ``D_mac = (1 + y/f) D_mod``,
    ``C = sum(c B t (f t + 1)) / (f (1 + y/f)^2 P)``. With ``rho > 0`` years at simple
    interest (see :func:`_price_dp_nb`), the same derivatives of that price function:
    with ``T_k = t_k - rho`` and ``q = 1 + y rho``, ``a_k = T_k / (1 + y/f) + rho / q``,
    ``D_mod = sum(c a) / P``, ``C = sum(c (a^2 + T_k / (f (1 + y/f)^2) + rho^2 / q^2)) / P``
    and ``D_mac = sum(c t) / P`` (the present-value-weighted time to the flows).
    """
    if hi == lo or y != y:
        return np.nan, np.nan, np.nan
    base = 1.0 + y / f
    log_base = math.log(base)
    v = 1.0 / base
    period = 1.0 / f
    rho = _simple_time_nb(lo, hi, dt, f, convention)
    disc = 1.0
    p = 0.0
    tp = 0.0
    t2p = 0.0
    if rho == 0.0:
        for k in range(lo, hi):
            step = dt[k]
            if step == period:
                disc *= v
            else:
                disc *= math.exp(-f * step * log_base)
            c = amount[k] * disc
            tk = t[k]
            p += c
            tp += c * tk
            t2p += c * tk * (f * tk + 1.0)
        if p == 0.0:
            return np.nan, np.nan, np.nan
        mod = tp / (base * p)
        return mod, mod * base, t2p / (f * base * base * p)
    q = 1.0 + y * rho
    for k in range(lo, hi):
        step = dt[k]
        if k == lo:
            disc = math.exp(-f * (step - rho) * log_base) / q
        elif step == period:
            disc *= v
        else:
            disc *= math.exp(-f * step * log_base)
        c = amount[k] * disc
        tk = t[k]
        p += c
        tp += c * tk
        big_t = tk - rho
        a = big_t / base + rho / q
        t2p += c * (a * a + big_t / (f * base * base) + rho * rho / (q * q))
    if p == 0.0:
        return np.nan, np.nan, np.nan
    mod = ((tp - rho * p) / base + rho * p / q) / p
    return mod, tp / p, t2p / p


@jit
def _solve_yield_bond_nb(lo, hi, amount, t, dt, target, f, guess, tol, max_iter, convention):
    """Yield from a dirty price: Newton's method inside a shrinking bracket.

    Returns ``(yield, status)``. The bracket starts at [``YIELD_MIN``, ``YIELD_MAX``]
    (no price is evaluated there up front); a Newton step that leaves it is replaced
    by bisection. A price outside what the bracket's yields give ends at an edge with
    a large residual: status ``STATUS_NO_BRACKET``.
    """
    if hi == lo:
        return np.nan, STATUS_NO_CASHFLOWS
    if not (target > 0.0) or not np.isfinite(target):
        return np.nan, STATUS_BAD_INPUT
    rho = _simple_time_nb(lo, hi, dt, f, convention)
    y_lo = YIELD_MIN if YIELD_MIN > -0.99 * f else -0.99 * f
    y_hi = YIELD_MAX
    y = guess
    if not (y_lo < y < y_hi):
        y = 0.05
    g = np.inf
    for _ in range(max_iter):
        p, dp = _price_dp_nb(lo, hi, amount, t, dt, y, f, rho)
        g = p - target
        if g == 0.0:
            return y, STATUS_OK
        if g > 0.0:
            y_lo = y  # price too high: the yield is higher
        else:
            y_hi = y
        if dp < 0.0 and np.isfinite(dp):
            y_new = y - g / dp
            if abs(y_new - y) <= tol:
                return y_new, STATUS_OK
        else:
            y_new = 0.5 * (y_lo + y_hi)
        if not (y_lo < y_new < y_hi):
            y_new = 0.5 * (y_lo + y_hi)
        if y_hi - y_lo <= tol:
            break
        y = y_new
    # ended on the bracket: a root there, or a price no yield in range gives
    p, dp = _price_dp_nb(lo, hi, amount, t, dt, y, f, rho)
    if abs(p - target) <= 1e-9 * target:
        return y, STATUS_OK
    if y - (YIELD_MIN if YIELD_MIN > -0.99 * f else -0.99 * f) <= 1e-8 or YIELD_MAX - y <= 1e-8:
        return np.nan, STATUS_NO_BRACKET
    return np.nan, STATUS_NO_CONVERGENCE


@pjit
def price_from_yield_nb(offsets, amount, t, dt, yields, freq, convention):
    """Dirty price per 100 face from a yield (compounded ``freq`` times a year, ``convention``)."""
    n = offsets.shape[0] - 1
    out = np.empty(n)
    for i in prange(n):
        lo = offsets[i]
        hi = offsets[i + 1]
        rho = _simple_time_nb(lo, hi, dt, freq[i], convention)
        p, _ = _price_dp_nb(lo, hi, amount, t, dt, yields[i], freq[i], rho)
        out[i] = p
    return out


@pjit
def yield_analytics_nb(
    offsets, amount, t, dt, dirty, freq, guess, tol, max_iter, with_risk, convention
):
    """Yield from dirty price, and (``with_risk``) durations and convexity at that yield.

    Returns ``(yield, status, modified, macaulay, convexity)``.
    """
    n = offsets.shape[0] - 1
    y = np.full(n, np.nan)
    status = np.zeros(n, dtype=np.int64)
    mod = np.full(n, np.nan)
    mac = np.full(n, np.nan)
    cvx = np.full(n, np.nan)
    for i in prange(n):
        lo = offsets[i]
        hi = offsets[i + 1]
        yi, st = _solve_yield_bond_nb(
            lo, hi, amount, t, dt, dirty[i], freq[i], guess[i], tol, max_iter, convention
        )
        y[i] = yi
        status[i] = st
        if with_risk and st == STATUS_OK:
            mod[i], mac[i], cvx[i] = _risk_nb(lo, hi, amount, t, dt, yi, freq[i], convention)
    return y, status, mod, mac, cvx


@pjit
def yield_risk_nb(offsets, amount, t, dt, yields, freq, convention):
    """Modified duration, Macaulay duration and convexity at given yields."""
    n = offsets.shape[0] - 1
    mod = np.empty(n)
    mac = np.empty(n)
    cvx = np.empty(n)
    for i in prange(n):
        mod[i], mac[i], cvx[i] = _risk_nb(
            offsets[i], offsets[i + 1], amount, t, dt, yields[i], freq[i], convention
        )
    return mod, mac, cvx


# --------------------------------------------------------------------------------------
# price and spread risk from a discount curve
# --------------------------------------------------------------------------------------
def work_buffers(offsets):
    """Per-thread work rows as long as the longest bond's flows: ``(x, scratch)``.

    Small (threads x longest bond), so no large temporary is faulted in per call.
    Called from Python: the thread count is numba's configured maximum.
    """
    longest = max(1, int(np.diff(offsets).max())) if offsets.shape[0] > 1 else 1
    n_threads = numba.config.NUMBA_NUM_THREADS
    return np.empty((n_threads, longest)), np.empty((n_threads, longest), dtype=np.int64)


@jit
def _curve_price_bond_nb(lo, hi, amount, dtau, day_idx, df_days, df_settle, spread, xbuf, sbuf):
    """Dirty price and spread duration of one bond from discount factors and a z-spread.

    ``xbuf``/``sbuf`` are the per-thread work rows of :func:`work_buffers`; the
    spread factors ``exp(-s dtau)`` are computed there with the vectorised exp.
    """
    p = 0.0
    q = 0.0
    if spread == 0.0:
        for k in range(lo, hi):
            w = amount[k] * df_days[day_idx[k]]
            p += w
            q += w * dtau[k]
    else:
        tid = numba.get_thread_id()
        m = hi - lo
        x = xbuf[tid, :m]
        for k in range(m):
            x[k] = -spread * dtau[lo + k]
        exp_inplace_nb(x, sbuf[tid, :m])
        for k in range(m):
            w = amount[lo + k] * df_days[day_idx[lo + k]] * x[k]
            p += w
            q += w * dtau[lo + k]
    if p == 0.0:
        return 0.0, np.nan
    return p / df_settle, q / p


@pjit
def price_curve_nb(offsets, amount, dtau, day_idx, df_days, df_settle, spread, xbuf, sbuf):
    """Dirty price per 100 face and spread duration from a curve plus a z-spread per bond.

    ``dirty = sum(a_k DF(t_k) exp(-s (t_k - t_s))) / DF(t_s)`` over flows paid after
    settlement; ``DF`` is given per distinct payment day (``df_days[day_idx[k]]``), so
    the curve is evaluated once per day, not once per flow; ``dtau_k = t_k - t_s``.
    Spread duration is ``(1/P) sum(a_k D_k dtau_k)`` in years.
    """
    n = offsets.shape[0] - 1
    dirty = np.empty(n)
    sdur = np.empty(n)
    for i in prange(n):
        dirty[i], sdur[i] = _curve_price_bond_nb(
            offsets[i],
            offsets[i + 1],
            amount,
            dtau,
            day_idx,
            df_days,
            df_settle,
            spread[i],
            xbuf,
            sbuf,
        )
    return dirty, sdur


@pjit
def price_analytics_nb(
    offsets,
    amount,
    t,
    dt,
    dtau,
    day_idx,
    df_days,
    df_settle,
    spread,
    accrued,
    freq,
    coupon_rate,
    redemption,
    tol,
    max_iter,
    convention,
    xbuf,
    sbuf,
):
    """Everything :func:`etfcore.price_bonds` reports, per bond, in one parallel pass.

    Price from the curve plus z-spread, then the yield that gives that price (guess:
    coupon plus pull to par), then durations and convexity at that yield. Returns
    ``(dirty, spread_duration, yield, status, modified, macaulay, convexity)``.
    """
    n = offsets.shape[0] - 1
    dirty = np.empty(n)
    sdur = np.empty(n)
    y = np.full(n, np.nan)
    status = np.zeros(n, dtype=np.int64)
    mod = np.full(n, np.nan)
    mac = np.full(n, np.nan)
    cvx = np.full(n, np.nan)
    for i in prange(n):
        lo = offsets[i]
        hi = offsets[i + 1]
        d, sd = _curve_price_bond_nb(
            lo, hi, amount, dtau, day_idx, df_days, df_settle, spread[i], xbuf, sbuf
        )
        dirty[i] = d
        sdur[i] = sd
        t_last = t[hi - 1] if hi > lo else 1.0
        t_last = t_last if t_last > 0.05 else 0.05
        guess = coupon_rate[i] + (redemption[i] - (d - accrued[i])) / (100.0 * t_last)
        yi, st = _solve_yield_bond_nb(
            lo, hi, amount, t, dt, d, freq[i], guess, tol, max_iter, convention
        )
        y[i] = yi
        status[i] = st
        if st == STATUS_OK:
            mod[i], mac[i], cvx[i] = _risk_nb(lo, hi, amount, t, dt, yi, freq[i], convention)
    return dirty, sdur, y, status, mod, mac, cvx


@pjit
def solve_z_spread_nb(offsets, amount, dtau, day_idx, df_days, df_settle, dirty, tol, max_iter):
    """Continuously compounded z-spread that reprices each bond to ``dirty``."""
    n = offsets.shape[0] - 1
    out = np.full(n, np.nan)
    status = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        lo_k = offsets[i]
        hi_k = offsets[i + 1]
        target = dirty[i] * df_settle
        if hi_k == lo_k:
            status[i] = STATUS_NO_CASHFLOWS
            continue
        if not (target > 0.0) or not np.isfinite(target):
            status[i] = STATUS_BAD_INPUT
            continue
        lo = -1.0
        hi = 5.0
        s = 0.0
        ok = False
        for _ in range(max_iter):
            p = 0.0
            dp = 0.0
            for k in range(lo_k, hi_k):
                w = amount[k] * df_days[day_idx[k]] * math.exp(-s * dtau[k])
                p += w
                dp -= w * dtau[k]
            g = p - target
            if g == 0.0:
                ok = True
                break
            if g > 0.0:
                lo = s
            else:
                hi = s
            s_new = s - g / dp if dp < 0.0 else 0.5 * (lo + hi)
            if abs(s_new - s) <= tol:
                s = s_new
                ok = True
                break
            if not (lo < s_new < hi):
                s_new = 0.5 * (lo + hi)
            s = s_new
        if ok:
            out[i] = s
        else:
            status[i] = STATUS_NO_CONVERGENCE
    return out, status


@pjit
def spread_weighted_amounts_nb(offsets, amount, dtau, spread, sbuf):
    """``a_k exp(-s_i dtau_k)``: flow amounts with each bond's z-spread folded in.

    With these, scenario repricing needs no ``exp`` per flow and scenario.
    """
    n = offsets.shape[0] - 1
    out = np.empty(amount.shape[0])
    for i in prange(n):
        lo = offsets[i]
        hi = offsets[i + 1]
        s = spread[i]
        if s == 0.0:
            for k in range(lo, hi):
                out[k] = amount[k]
            continue
        for k in range(lo, hi):
            out[k] = -s * dtau[k]
        exp_inplace_nb(out[lo:hi], sbuf[numba.get_thread_id(), : hi - lo])
        for k in range(lo, hi):
            out[k] *= amount[k]
    return out


SCENARIO_BLOCK = 8


@jit
def _gather_block_nb(offsets, amount, day_idx, dfb, settle_col, out, s0, width):
    """``out[i, s0 + j] = sum_k amount_k dfb[day_idx_k, j] / dfb[settle_col, j]``, ``j < width``.

    ``dfb`` is ``(U, 8)``: a block of up to 8 scenarios stored day-major, so each flow's
    amount and day are read once and multiplied into 8 contiguous discount factors held
    in registers.
    """
    n = offsets.shape[0] - 1
    row = dfb[settle_col]
    i0 = 1.0 / row[0]
    i1 = 1.0 / row[1]
    i2 = 1.0 / row[2]
    i3 = 1.0 / row[3]
    i4 = 1.0 / row[4]
    i5 = 1.0 / row[5]
    i6 = 1.0 / row[6]
    i7 = 1.0 / row[7]
    for i in range(n):
        a0 = 0.0
        a1 = 0.0
        a2 = 0.0
        a3 = 0.0
        a4 = 0.0
        a5 = 0.0
        a6 = 0.0
        a7 = 0.0
        for k in range(offsets[i], offsets[i + 1]):
            a = amount[k]
            r = dfb[day_idx[k]]
            a0 += a * r[0]
            a1 += a * r[1]
            a2 += a * r[2]
            a3 += a * r[3]
            a4 += a * r[4]
            a5 += a * r[5]
            a6 += a * r[6]
            a7 += a * r[7]
        o = out[i]
        if width == 8:
            o[s0] = a0 * i0
            o[s0 + 1] = a1 * i1
            o[s0 + 2] = a2 * i2
            o[s0 + 3] = a3 * i3
            o[s0 + 4] = a4 * i4
            o[s0 + 5] = a5 * i5
            o[s0 + 6] = a6 * i6
            o[s0 + 7] = a7 * i7
        else:
            acc = (a0 * i0, a1 * i1, a2 * i2, a3 * i3, a4 * i4, a5 * i5, a6 * i6, a7 * i7)
            for j in range(width):
                o[s0 + j] = acc[j]


@pjit
def price_scenarios_nb(offsets, amount, day_idx, df, settle_col):
    """Dirty prices of every bond under every scenario, ``(N, S)``, from ``(S, U)`` factors.

    ``df[s, u]`` is scenario ``s``'s discount factor at distinct payment day ``u``;
    ``settle_col`` is the settlement day's column. Blocks of 8 scenarios run in parallel.
    """
    n_scen = df.shape[0]
    n_days = df.shape[1]
    n = offsets.shape[0] - 1
    out = np.empty((n, n_scen))
    n_blocks = (n_scen + SCENARIO_BLOCK - 1) // SCENARIO_BLOCK
    for blk in prange(n_blocks):
        s0 = blk * SCENARIO_BLOCK
        width = min(n_scen - s0, SCENARIO_BLOCK)
        dfb = np.ones((n_days, SCENARIO_BLOCK))
        for u in range(n_days):
            for j in range(width):
                dfb[u, j] = df[s0 + j, u]
        _gather_block_nb(offsets, amount, day_idx, dfb, settle_col, out, s0, width)
    return out


@pjit
def price_scenarios_zero_nb(offsets, amount, day_idx, zero_rates, i0, i1, c0, c1, settle_col):
    """As :func:`price_scenarios_nb`, computing each block's discount factors itself.

    ``log DF_s(u) = c0[u] z_s[i0[u]] + c1[u] z_s[i1[u]]`` for zero rates ``z_s`` on the
    curve's knots (linear-zero or log-linear-discount interpolation), so no ``(S, U)``
    matrix is ever stored: one vectorised ``exp`` per scenario and distinct day, one
    multiply-add per scenario and flow.
    """
    n_scen = zero_rates.shape[0]
    n_days = i0.shape[0]
    n = offsets.shape[0] - 1
    out = np.empty((n, n_scen))
    n_blocks = (n_scen + SCENARIO_BLOCK - 1) // SCENARIO_BLOCK
    for blk in prange(n_blocks):
        s0 = blk * SCENARIO_BLOCK
        width = min(n_scen - s0, SCENARIO_BLOCK)
        dfb = np.zeros((n_days, SCENARIO_BLOCK))
        for u in range(n_days):
            a0 = c0[u]
            a1 = c1[u]
            k0 = i0[u]
            k1 = i1[u]
            for j in range(width):
                dfb[u, j] = a0 * zero_rates[s0 + j, k0] + a1 * zero_rates[s0 + j, k1]
        flat = dfb.reshape(n_days * SCENARIO_BLOCK)
        exp_inplace_nb(flat, np.empty(flat.shape[0], dtype=np.int64))
        _gather_block_nb(offsets, amount, day_idx, dfb, settle_col, out, s0, width)
    return out


@pjit
def ladder_scenarios_zero_nb(ladder, zero_rates, i0, i1, c0, c1, settle_col):
    """Value of cash-flow ladders under many zero curves: ``(S, L)``.

    ``ladder`` is ``(L, U)``: cash per distinct payment day (a portfolio's flows,
    aggregated); ``log DF_s(u) = c0[u] z_s[i0[u]] + c1[u] z_s[i1[u]]`` over ``U + 1`` days
    whose last (``settle_col``) is settlement. Each scenario's discount row is computed
    with the vectorised exp and used at once, so no ``(S, U)`` matrix is stored.
    """
    n_scen = zero_rates.shape[0]
    n_ladders = ladder.shape[0]
    n_days = ladder.shape[1]
    n_points = i0.shape[0]
    out = np.empty((n_scen, n_ladders))
    for s in prange(n_scen):
        x = np.empty(n_points)
        scratch = np.empty(n_points, dtype=np.int64)
        for u in range(n_points):
            x[u] = c0[u] * zero_rates[s, i0[u]] + c1[u] * zero_rates[s, i1[u]]
        exp_inplace_nb(x, scratch)
        inv = 1.0 / x[settle_col]
        for q in range(n_ladders):
            acc = 0.0
            for u in range(n_days):
                acc += ladder[q, u] * x[u]
            out[s, q] = acc * inv
    return out


# --------------------------------------------------------------------------------------
# workouts (yield to call / worst)
# --------------------------------------------------------------------------------------
@jit
def workout_flows_nb(
    offsets,
    coupon_rate,
    day_count,
    pay,
    amount,
    acc_start,
    acc_end,
    ref_start,
    ref_end,
    kind,
    redemption,
    w_bond,
    w_date,
    w_price,
    pay_conv,
    holidays,
):
    """Cash flows of each workout: bond ``w_bond[j]`` redeemed at ``w_price[j]`` on ``w_date[j]``.

    Keeps the bond's coupons whose accrual ends on or before the workout date, and
    pays the workout price (plus the coupon accrued since the last such date, if the
    workout date is not a coupon date) on the workout date adjusted by ``pay_conv``.
    """
    m = w_bond.shape[0]
    counts = np.zeros(m, dtype=np.int64)
    for j in range(m):
        i = w_bond[j]
        c = 0
        partial = True
        for k in range(offsets[i], offsets[i + 1]):
            if kind[k] != FLOW_COUPON:
                break
            if acc_end[k] <= w_date[j]:
                c += 1
                if acc_end[k] == w_date[j]:
                    partial = False
            elif acc_start[k] < w_date[j]:
                break
            else:
                break
        counts[j] = c + (1 if partial else 0)
    w_off = np.zeros(m + 1, dtype=np.int64)
    for j in range(m):
        w_off[j + 1] = w_off[j] + counts[j]
    tot = w_off[m]
    o_pay = np.empty(tot, dtype=np.int64)
    o_amount = np.empty(tot)
    o_as = np.empty(tot, dtype=np.int64)
    o_ae = np.empty(tot, dtype=np.int64)
    o_rs = np.empty(tot, dtype=np.int64)
    o_re = np.empty(tot, dtype=np.int64)
    o_kind = np.empty(tot, dtype=np.int64)
    for j in range(m):
        i = w_bond[j]
        q = w_off[j]
        wd = w_date[j]
        last_k = -1
        for k in range(offsets[i], offsets[i + 1]):
            if kind[k] != FLOW_COUPON or acc_end[k] > wd:
                break
            o_pay[q] = pay[k]
            amt = amount[k]
            if k == offsets[i + 1] - 1:
                amt -= redemption[i]  # the bond's own redemption is replaced by the workout
            o_amount[q] = amt
            o_as[q] = acc_start[k]
            o_ae[q] = acc_end[k]
            o_rs[q] = ref_start[k]
            o_re[q] = ref_end[k]
            o_kind[q] = FLOW_COUPON
            last_k = k
            q += 1
        if q < w_off[j + 1]:
            # workout between coupon dates: partial coupon + price, paid on the workout date
            k = last_k + 1 if last_k >= 0 else offsets[i]
            a = acc_start[k]
            o_pay[q] = adjust_nb(wd, pay_conv, holidays)
            o_amount[q] = (
                coupon_rate[i]
                * 100.0
                * year_fraction_nb(a, wd, ref_start[k], ref_end[k], day_count[i])
                + w_price[j]
            )
            o_as[q] = a
            o_ae[q] = wd
            o_rs[q] = ref_start[k]
            o_re[q] = ref_end[k]
            o_kind[q] = FLOW_COUPON
        else:
            o_amount[q - 1] += w_price[j]
    return w_off, o_pay, o_amount, o_as, o_ae, o_rs, o_re, o_kind
