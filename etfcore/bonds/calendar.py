"""Business-day calendars: the US government-bond (SIFMA) calendar, vectorised in numpy.

Dates are ``int64`` day numbers (days since 1970-01-01, see :mod:`etfcore.bonds.dates`).
A :class:`BusinessCalendar` turns its holiday list into lookup tables once (an "is open"
flag per day, a running count of business days, the list of business days), after which
every operation -- :meth:`~BusinessCalendar.is_business_day`,
:meth:`~BusinessCalendar.adjust`, :meth:`~BusinessCalendar.advance`,
:meth:`~BusinessCalendar.business_days_between` -- is a handful of fancy-indexing steps
over whole arrays, with no Python loop over dates.

Notes
-----
The supported range is 1901-01-01 to 2199-12-31, QuantLib's ``Date`` range. Dates
outside it, and results that would fall outside it (advancing past 2199-12-31), raise
:class:`~etfcore.errors.InputError`.

:data:`US_GOVERNMENT_BOND` reproduces QuantLib 1.44's
``UnitedStates(UnitedStates.GovernmentBond)`` day for day over the whole range; the
rules are listed in :func:`us_government_bond_holidays`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .conventions import (
    FOLLOWING,
    PAYMENT_CONVENTION_NAMES,
    PRECEDING,
    UNADJUSTED,
    payment_convention_code,
)
from .dates import to_days

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "US_GOVERNMENT_BOND",
    "BusinessCalendar",
    "settlement_date",
    "us_government_bond_holidays",
    "weekday",
]

#: First and last calendar years a :class:`BusinessCalendar` covers (QuantLib's range).
FIRST_YEAR = 1901
LAST_YEAR = 2199

_MIN_DAY = int(np.datetime64(f"{FIRST_YEAR}-01-01", "D").astype(np.int64))  # -25202
_MAX_DAY = int(np.datetime64(f"{LAST_YEAR}-12-31", "D").astype(np.int64))  # 83600
_RANGE_TEXT = f"{FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"

# Weekday numbers, Monday = 0 (1970-01-01, day 0, was a Thursday).
_MON, _TUE, _WED, _THU, _FRI, _SAT, _SUN = range(7)

# Special closings of the government-bond market that no rule produces (QuantLib 1.44).
_US_GOVERNMENT_BOND_SPECIAL_CLOSINGS = (
    "2004-06-11",  # funeral of President Reagan
    "2012-10-30",  # Hurricane Sandy
    "2018-12-05",  # funeral of President George H. W. Bush
)
_SPECIAL_CLOSING_DAYS = np.array(_US_GOVERNMENT_BOND_SPECIAL_CLOSINGS, "datetime64[D]").astype(
    np.int64
)


# --- small helpers ---------------------------------------------------------------------


def weekday(days: Any) -> Any:
    """Return the day of the week, Monday = 0 ... Sunday = 6.

    Parameters
    ----------
    days
        Day numbers, or anything :func:`~etfcore.bonds.dates.to_days` accepts.

    Returns
    -------
    numpy.int64 or numpy.ndarray or pandas.Series
        ``int64`` weekdays, the shape of ``days``.

    Notes
    -----
    Day 0, 1970-01-01, was a Thursday, so the weekday is ``(days + 3) mod 7``
    (the same numbering as :meth:`datetime.date.weekday`).

    Examples
    --------
    >>> int(weekday(0))  # 1970-01-01
    3
    >>> weekday(["2026-01-17", "2026-01-19"]).tolist()  # a Saturday and a Monday
    [5, 0]
    """
    arr, wrap = _as_days(days, "days", check_range=False)
    return wrap((arr + 3) % 7)


def _as_days(values: Any, where: str, check_range: bool = True) -> tuple[np.ndarray, Callable]:
    """Coerce dates to an ``int64`` array and return a function that restores the input's form.

    Every input goes through :func:`~etfcore.bonds.dates.to_days` (the package's one
    date parser: day numbers, ``yyyymmdd`` integers, ISO strings, dates...). The
    wrapper returns a numpy scalar for scalar input, a Series (same index) for a
    Series, an array otherwise.
    """
    arr = np.asarray(to_days(values, where=where), dtype=np.int64)
    if check_range:
        _check_range(arr, where)
    if isinstance(values, pd.Series):
        index, name = values.index, values.name

        def wrap(result: np.ndarray) -> Any:
            return pd.Series(result, index=index, name=name)

    elif arr.ndim == 0:

        def wrap(result: np.ndarray) -> Any:
            return result[()]

    else:

        def wrap(result: np.ndarray) -> Any:
            return result

    return arr, wrap


def _describe_day(day: int) -> str:
    try:
        return f"{day} ({np.datetime64(int(day), 'D')})"
    except (OverflowError, ValueError):
        return str(day)


def _check_range(days: np.ndarray, where: str) -> None:
    bad = (days < _MIN_DAY) | (days > _MAX_DAY)
    if bad.any():
        flat = np.flatnonzero(bad.ravel())
        i = int(flat[0])
        value = int(days.ravel()[i])
        row = "" if days.ndim == 0 else f"row {i} "
        more = f" ({flat.size} values out of range)" if flat.size > 1 else ""
        raise InputError(
            f"{where}: {row}day {_describe_day(value)} is outside the supported range "
            f"{_RANGE_TEXT}{more}; give dates within it"
        )


def _check_year(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{where}: expected an integer year, got {value!r}")
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            f"{where}: year {year} is outside the supported range {FIRST_YEAR}-{LAST_YEAR}; "
            "give a year within it"
        )
    return year


def _convention_code(convention: Any) -> int:
    if isinstance(convention, (int, np.integer)) and not isinstance(convention, bool):
        if int(convention) in PAYMENT_CONVENTION_NAMES:
            return int(convention)
    return payment_convention_code(convention, where="convention")


def _easter_sunday(years: np.ndarray) -> np.ndarray:
    """Day numbers of (Gregorian) Easter Sunday, by the anonymous computus."""
    y = np.asarray(years, dtype=np.int64)
    a = y % 19
    b, c = np.divmod(y, 100)
    d, e = np.divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = np.divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day0 = np.divmod(h + ell - 7 * m + 114, 31)
    first_of_month = (
        ((y - 1970) * 12 + (month - 1))
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    return first_of_month + day0


# --- the US government-bond rules -------------------------------------------------------


def us_government_bond_holidays(first_year: int, last_year: int) -> np.ndarray:
    """Return the US government-bond (SIFMA) holidays that fall on a weekday.

    Parameters
    ----------
    first_year, last_year
        Calendar years, inclusive, within 1901-2199.

    Returns
    -------
    numpy.ndarray
        Sorted ``int64`` day numbers of the weekday holidays in those years.

    Raises
    ------
    InputError
        If a year is not an integer in 1901-2199, or ``first_year > last_year``.

    Notes
    -----
    The rules are QuantLib 1.44's ``UnitedStates(UnitedStates.GovernmentBond)``;
    "observed" means a Sunday holiday moves to Monday and a Saturday one to Friday.

    * New Year's Day, January 1 (Sunday -> Monday January 2; a Saturday New Year's
      Day is *not* moved to Friday December 31).
    * Martin Luther King Jr. Day, third Monday of January, from 1983.
    * Washington's Birthday: February 22 observed until 1970; third Monday of February
      from 1971.
    * Good Friday (Easter Sunday - 2), except when it is also the first Friday of
      April (a non-farm-payroll release day, a SIFMA half day) from 1996 on:
      1996, 1999, 2007, 2010, 2012, 2015, 2021, 2023, 2026, 2034, ...
    * Memorial Day: May 30 observed until 1970; last Monday of May from 1971.
    * Juneteenth, June 19 observed, from 2022.
    * Independence Day, July 4 observed.
    * Labor Day, first Monday of September.
    * Columbus Day, second Monday of October, from 1971 (none before).
    * Veterans Day: November 11 (Sunday -> Monday, but *not* Saturday -> Friday) until
      1970 and from 1978; the fourth Monday of October in 1971-1977.
    * Thanksgiving, fourth Thursday of November.
    * Christmas, December 25 observed.
    * Special closings: 2004-06-11 (Reagan funeral), 2012-10-30 (Hurricane Sandy),
      2018-12-05 (G. H. W. Bush funeral). QuantLib 1.44 keeps 2012-10-29 and
      2025-01-09 (Carter funeral, a SIFMA early close) as business days, and so does
      this function.

    Examples
    --------
    >>> from etfcore.bonds.dates import to_timestamps
    >>> [str(t.date()) for t in to_timestamps(us_government_bond_holidays(2026, 2026))][:4]
    ['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25']
    """
    first = _check_year(first_year, "first_year")
    last = _check_year(last_year, "last_year")
    if first > last:
        raise InputError(
            f"first_year {first} is after last_year {last}; give first_year <= last_year"
        )
    start = int(np.datetime64(f"{first}-01-01", "D").astype(np.int64))
    stop = int(np.datetime64(f"{last + 1}-01-01", "D").astype(np.int64))
    days = np.arange(start, stop, dtype=np.int64)
    dt = days.astype("datetime64[D]")
    year = dt.astype("datetime64[Y]").astype(np.int64) + 1970
    month_start = dt.astype("datetime64[M]")
    m = month_start.astype(np.int64) % 12 + 1
    d = (dt - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    w = (days + 3) % 7
    mon, fri = w == _MON, w == _FRI

    def observed(month: int, day: int, saturday_to_friday: bool = True) -> np.ndarray:
        hit = (d == day) | ((d == day + 1) & mon)
        if saturday_to_friday:
            hit |= (d == day - 1) & fri
        return hit & (m == month)

    def nth_weekday(month: int, wd: int, n: int) -> np.ndarray:
        return (m == month) & (w == wd) & (d > 7 * (n - 1)) & (d <= 7 * n)

    new_year = observed(1, 1, saturday_to_friday=False)
    mlk = nth_weekday(1, _MON, 3) & (year >= 1983)
    washington = np.where(year >= 1971, nth_weekday(2, _MON, 3), observed(2, 22))
    memorial = np.where(year >= 1971, (m == 5) & mon & (d >= 25), observed(5, 30))
    juneteenth = observed(6, 19) & (year >= 2022)
    independence = observed(7, 4)
    labor = nth_weekday(9, _MON, 1)
    columbus = nth_weekday(10, _MON, 2) & (year >= 1971)
    veterans = np.where(
        (year <= 1970) | (year >= 1978),
        observed(11, 11, saturday_to_friday=False),
        nth_weekday(10, _MON, 4),
    )
    thanksgiving = nth_weekday(11, _THU, 4)
    christmas = observed(12, 25)

    good_friday_day = _easter_sunday(np.arange(first, last + 1)) - 2
    good_friday = np.isin(days, good_friday_day)
    good_friday &= ~((year >= 1996) & (m == 4) & (d <= 7))

    special = np.isin(days, _SPECIAL_CLOSING_DAYS)

    holiday = (
        new_year
        | mlk
        | washington
        | good_friday
        | memorial
        | juneteenth
        | independence
        | labor
        | columbus
        | veterans
        | thanksgiving
        | christmas
        | special
    )
    return days[holiday & (w < _SAT)]


# --- the calendar class -----------------------------------------------------------------


def _fixed_holidays(days: np.ndarray) -> Callable[[int, int], np.ndarray]:
    def rule(first_year: int, last_year: int) -> np.ndarray:
        return days

    return rule


@dataclass(frozen=True, eq=False)
class BusinessCalendar:
    """A business-day calendar over 1901-2199: weekends plus a list of holidays.

    Parameters
    ----------
    name
        A label for messages and reprs (``"US government bond (SIFMA)"``).
    holiday_rule
        A function ``(first_year, last_year) -> day numbers`` returning the weekday
        holidays in those years, such as :func:`us_government_bond_holidays`. It is called
        once, on first use, so that building a calendar costs nothing. To build a calendar
        from a fixed list of dates use :meth:`from_holidays`.

    Attributes
    ----------
    holidays : numpy.ndarray
        Sorted, unique, read-only ``int64`` day numbers of the weekday holidays,
        1901-2199 (built on first access).

    Notes
    -----
    Saturdays and Sundays are never business days. Every method accepts day numbers or
    anything :func:`~etfcore.bonds.dates.to_days` accepts (strings, ``datetime.date``,
    ``numpy.datetime64``, pandas timestamps, arrays and Series of them) and returns the
    input's shape: a numpy scalar for a scalar, an array for an array, a Series with the
    same index for a Series. Dates, and results, must lie in 1901-01-01..2199-12-31.

    The methods follow QuantLib's ``Calendar`` exactly: ``is_business_day`` is
    ``isBusinessDay``, ``adjust`` is ``adjust``, ``advance(d, n)`` is
    ``advance(d, n, Days)`` and ``business_days_between`` is ``businessDaysBetween``.

    Examples
    --------
    >>> from etfcore.bonds.dates import from_days
    >>> cal = BusinessCalendar.from_holidays("toy", ["2026-01-19"])
    >>> bool(cal.is_business_day("2026-01-19"))
    False
    >>> str(from_days(cal.advance("2026-01-16", 1)))
    '2026-01-20'
    """

    name: str
    holiday_rule: Callable[[int, int], Any] = field(repr=False)

    @classmethod
    def from_holidays(cls, name: str, holidays: Any) -> BusinessCalendar:
        """Build a calendar from an explicit list of holidays.

        Parameters
        ----------
        name
            A label for messages and reprs.
        holidays
            Dates (anything :func:`~etfcore.bonds.dates.to_days` accepts) in
            1901-2199. Weekend dates and duplicates are dropped.

        Returns
        -------
        BusinessCalendar
            The calendar.

        Raises
        ------
        InputError
            If a holiday is not a date or lies outside 1901-2199.

        Examples
        --------
        >>> cal = BusinessCalendar.from_holidays("one holiday", ["2026-07-03"])
        >>> cal.is_business_day(["2026-07-02", "2026-07-03"]).tolist()
        [True, False]
        """
        days, _ = _as_days(
            list(np.ravel(holidays)) if np.ndim(holidays) else [holidays], "holidays"
        )
        return cls(name, _fixed_holidays(np.asarray(days, dtype=np.int64)))

    # --- tables, built once --------------------------------------------------------------

    @cached_property
    def holidays(self) -> np.ndarray:
        """Sorted ``int64`` day numbers of the weekday holidays, 1901-2199."""
        days = np.asarray(self.holiday_rule(FIRST_YEAR, LAST_YEAR), dtype=np.int64).ravel()
        _check_range(days, f"{self.name} holidays")
        days = np.unique(days)
        days = days[(days + 3) % 7 < _SAT]
        days.setflags(write=False)
        return days

    @cached_property
    def _open(self) -> np.ndarray:
        """``_open[d - _MIN_DAY]``: is day ``d`` a business day."""
        days = np.arange(_MIN_DAY, _MAX_DAY + 1, dtype=np.int64)
        is_open = (days + 3) % 7 < _SAT
        is_open[self.holidays - _MIN_DAY] = False
        return is_open

    @cached_property
    def _business_days(self) -> np.ndarray:
        """Sorted day numbers of every business day, 1901-2199."""
        return np.flatnonzero(self._open).astype(np.int64) + _MIN_DAY

    @cached_property
    def _rank(self) -> np.ndarray:
        """``_rank[d - _MIN_DAY]``: how many business days come before day ``d``.

        One entry longer than the range, so that ``_rank[_MAX_DAY + 1 - _MIN_DAY]`` is the
        total count.
        """
        return np.concatenate(([0], np.cumsum(self._open, dtype=np.int64)))

    @cached_property
    def _month(self) -> np.ndarray:
        """``_month[d - _MIN_DAY]``: months since 1970-01 of day ``d``."""
        days = np.arange(_MIN_DAY, _MAX_DAY + 1, dtype=np.int64)
        return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)

    def _pick(self, index: np.ndarray, where: str, start: np.ndarray) -> np.ndarray:
        """Business days at ``index``, with an error if an index falls off the table."""
        n = self._business_days.size
        bad = (index < 0) | (index >= n)
        if bad.any():
            i = int(np.flatnonzero(bad.ravel())[0])
            row = "" if start.ndim == 0 else f"row {i} "
            raise InputError(
                f"{where}: {row}the result for {_describe_day(int(start.ravel()[i]))} falls "
                f"outside the supported range {_RANGE_TEXT}; use dates further from its ends"
            )
        return self._business_days[index]

    # --- public methods ------------------------------------------------------------------

    def is_business_day(self, dates: Any) -> Any:
        """Return whether each date is a business day.

        Parameters
        ----------
        dates
            Day numbers or dates, 1901-2199.

        Returns
        -------
        numpy.bool_ or numpy.ndarray or pandas.Series
            ``True`` on business days, the shape of ``dates``.

        Raises
        ------
        InputError
            If a value is not a date or lies outside 1901-01-01..2199-12-31.

        Notes
        -----
        A business day is a Monday-Friday that is not in :attr:`holidays`.

        Examples
        --------
        >>> US_GOVERNMENT_BOND.is_business_day(["2026-01-19", "2026-01-20"]).tolist()  # MLK Day
        [False, True]
        """
        days, wrap = _as_days(dates, "dates")
        return wrap(self._open[days - _MIN_DAY])

    def adjust(self, dates: Any, convention: str | int = "following") -> Any:
        """Move dates that are not business days by a convention; returns DAY NUMBERS.

        Parameters
        ----------
        dates
            Day numbers or dates, 1901-2199.
        convention
            ``"unadjusted"``, ``"following"``, ``"modified_following"`` or
            ``"preceding"`` (or their codes in :mod:`etfcore.bonds.conventions`).

        Returns
        -------
        numpy.int64 or numpy.ndarray or pandas.Series
            Adjusted ``int64`` day numbers, the shape of ``dates``.

        Raises
        ------
        InputError
            If a date is out of range, the convention is unknown, or the adjusted date
            would fall outside 1901-2199.

        Notes
        -----
        Business days are returned unchanged under every convention. Otherwise:

        * following: the first business day after the date;
        * modified following: the following business day, unless it is in the next
          month, in which case the preceding business day;
        * preceding: the last business day before the date;
        * unadjusted: the date itself.

        Examples
        --------
        >>> d = US_GOVERNMENT_BOND.adjust(["2026-05-30", "2026-05-30"])
        >>> [str(x) for x in d.astype("datetime64[D]")]
        ['2026-06-01', '2026-06-01']
        >>> from etfcore.bonds.dates import from_days
        >>> str(from_days(US_GOVERNMENT_BOND.adjust("2026-05-30", "modified_following")))
        '2026-05-29'
        """
        code = _convention_code(convention)
        days, wrap = _as_days(dates, "dates")
        if code == UNADJUSTED:
            return wrap(days.copy())
        offset = days - _MIN_DAY
        following = self._rank[offset]  # index of the first business day >= date
        preceding = self._rank[offset + 1] - 1  # index of the last business day <= date
        if code == FOLLOWING:
            return wrap(self._pick(following, "adjust", days))
        if code == PRECEDING:
            return wrap(self._pick(preceding, "adjust", days))
        # modified following: following, unless that changes the month (or runs off the
        # end of the table), then preceding
        table = self._business_days
        in_table = following < table.size
        candidate = table[np.minimum(following, table.size - 1)]
        month = self._month
        same_month = in_table & (month[candidate - _MIN_DAY] == month[offset])
        return wrap(self._pick(np.where(same_month, following, preceding), "adjust", days))

    def advance(self, dates: Any, business_days: Any) -> Any:
        """Move dates by a number of business days; returns DAY NUMBERS (ints).

        Parameters
        ----------
        dates
            Day numbers or dates, 1901-2199.
        business_days
            Whole number(s) of business days, positive, negative or zero; broadcast
            against ``dates``.

        Returns
        -------
        numpy.int64 or numpy.ndarray or pandas.Series
            ``int64`` day numbers, the broadcast shape of the inputs.

        Raises
        ------
        InputError
            If a date is out of range, ``business_days`` is not whole, or the result would
            fall outside 1901-2199.

        Notes
        -----
        Same as QuantLib's ``calendar.advance(d, n, Days)``: for ``n > 0`` the ``n``-th
        business day strictly after ``d``; for ``n < 0`` the ``|n|``-th business day
        strictly before ``d``; for ``n = 0`` the following-adjusted ``d``. So advancing
        a Saturday by one business day gives the Monday, not the Tuesday (compare
        :func:`settlement_date`).

        Examples
        --------
        >>> from etfcore.bonds.dates import from_days
        >>> str(from_days(US_GOVERNMENT_BOND.advance("2025-12-24", 1)))
        '2025-12-26'
        """
        days, wrap = _as_days(dates, "dates")
        n = np.asarray(business_days)
        if n.dtype.kind not in "iu":
            whole = n.dtype.kind == "f" and bool(np.all(np.isfinite(n) & (n == np.round(n))))
            if not whole:
                raise InputError(
                    f"business_days: expected whole numbers of days, got {business_days!r}; "
                    "round them first"
                )
        n = n.astype(np.int64)
        try:
            days_b, n_b = np.broadcast_arrays(days, n)
        except ValueError:
            raise InputError(
                f"business_days: shape {n.shape} does not broadcast against dates of shape "
                f"{days.shape}; give one number or one per date"
            ) from None
        offset = days_b - _MIN_DAY
        index = np.where(
            n_b > 0,
            self._rank[offset + 1] + n_b - 1,
            np.where(n_b < 0, self._rank[offset] + n_b, self._rank[offset]),
        )
        result = self._pick(index, "advance", days_b)
        if n.ndim and n_b.shape != days.shape:
            return result  # broadcast changed the shape: plain array
        return wrap(result)

    def business_days_between(
        self,
        start: Any,
        end: Any,
        include_first: bool = True,
        include_last: bool = False,
    ) -> Any:
        """Count business days between two dates.

        Parameters
        ----------
        start, end
            Day numbers or dates, 1901-2199; broadcast against each other.
        include_first, include_last
            Whether ``start`` and ``end`` themselves count (when business days).

        Returns
        -------
        numpy.int64 or numpy.ndarray or pandas.Series
            ``int64`` counts, negative when ``end`` is before ``start``.

        Raises
        ------
        InputError
            If a date is not a date or lies outside 1901-01-01..2199-12-31.

        Notes
        -----
        QuantLib's ``businessDaysBetween(from, to, includeFirst, includeLast)``: count the
        business days in the closed interval between the two dates, take off ``start`` if
        it is a business day and ``include_first`` is false, and ``end`` if it is one and
        ``include_last`` is false; negate when ``start > end``. Equal dates give 1 if the
        date is a business day and both flags are true, else 0. With the defaults and
        ``start <= end`` this is the number of business days in ``[start, end)``.

        Examples
        --------
        >>> int(US_GOVERNMENT_BOND.business_days_between("2026-01-16", "2026-01-20"))
        1
        """
        a, wrap_a = _as_days(start, "start")
        b, wrap_b = _as_days(end, "end")
        try:
            a_b, b_b = np.broadcast_arrays(a, b)
        except ValueError:
            raise InputError(
                f"end: shape {b.shape} does not broadcast against start of shape {a.shape}; "
                "give one date or one per start date"
            ) from None
        lo, hi = np.minimum(a_b, b_b) - _MIN_DAY, np.maximum(a_b, b_b) - _MIN_DAY
        count = self._rank[hi + 1] - self._rank[lo]
        if not include_first:
            count = count - self._open[a_b - _MIN_DAY]
        if not include_last:
            count = count - self._open[b_b - _MIN_DAY]
        count = np.where(a_b > b_b, -count, count)
        same = a_b == b_b
        if same.any():
            one = self._open[a_b - _MIN_DAY] & include_first & include_last
            count = np.where(same, one.astype(np.int64), count)
        count = count.astype(np.int64)
        if count.shape == a.shape:
            return wrap_a(count)
        if count.shape == b.shape:
            return wrap_b(count)
        return count

    def holidays_between(self, start: Any, end: Any) -> pd.DatetimeIndex:
        """Return the weekday holidays from ``start`` to ``end``, both included.

        Parameters
        ----------
        start, end
            One date each, 1901-2199, ``start <= end``.

        Returns
        -------
        pandas.DatetimeIndex
            The holidays, in order (weekends are not listed).

        Raises
        ------
        InputError
            If a date is out of range or ``start`` is after ``end``.

        Examples
        --------
        >>> US_GOVERNMENT_BOND.holidays_between("2026-12-01", "2026-12-31").strftime("%F").tolist()
        ['2026-12-25']
        """
        a, _ = _as_days(start, "start")
        b, _ = _as_days(end, "end")
        if a.ndim or b.ndim:
            raise InputError("holidays_between: give one start date and one end date")
        if a > b:
            raise InputError(
                f"holidays_between: start {_describe_day(int(a))} is after end "
                f"{_describe_day(int(b))}; swap them"
            )
        h = self.holidays
        chosen = h[np.searchsorted(h, a, "left") : np.searchsorted(h, b, "right")]
        return pd.DatetimeIndex(chosen.astype("datetime64[D]").astype("datetime64[ns]"))


#: The US government-bond (SIFMA) calendar, QuantLib's ``UnitedStates(GovernmentBond)``.
#: Its holiday table is built on first use.
US_GOVERNMENT_BOND = BusinessCalendar("US government bond (SIFMA)", us_government_bond_holidays)


def settlement_date(
    trade_date: Any, lag: int = 1, calendar: BusinessCalendar = US_GOVERNMENT_BOND
) -> Any:
    """Return the T+``lag`` settlement date as an int DAY NUMBER, not a ``date``.

    The result is days since 1970-01-01 (``20469`` is 2026-01-16), the form every
    etfcore function takes for a date; turn it into a date with
    :func:`~etfcore.bonds.dates.to_timestamps` (see the Examples). It stays a day
    number, as in earlier releases, so that arithmetic on it (``settle + 30``) and
    code that passes it on keep working. The same holds for
    :meth:`BusinessCalendar.adjust` and :meth:`BusinessCalendar.advance`.

    Parameters
    ----------
    trade_date
        Trade dates: day numbers or anything :func:`~etfcore.bonds.dates.to_days`
        accepts, 1901-2199.
    lag
        Settlement lag in business days, ``>= 0`` (1 for US Treasuries, T+1).
    calendar
        The business-day calendar, US government bond (SIFMA) by default.

    Returns
    -------
    int or numpy.ndarray or pandas.Series
        The settlement day number: a Python ``int`` for one trade date, an ``int64``
        array for an array, a Series for a Series.

    Raises
    ------
    InputError
        If ``lag`` is not a whole number ``>= 0`` or a date is out of range.

    Notes
    -----
    The trade date is first adjusted to the following business day -- a trade done on
    a Saturday or a holiday counts as done on the next business day -- and then advanced
    ``lag`` business days::

        settlement = advance(adjust(trade_date, "following"), lag)

    This differs from QuantLib's bare ``calendar.advance(trade_date, lag, Days)`` only
    when the trade date is not a business day: a Saturday trade settles T+1 on the
    Tuesday here, on the Monday in a bare ``advance``. ``lag = 0`` gives the adjusted
    trade date.

    Examples
    --------
    >>> settlement_date("2026-01-16")  # an int day number, not a date
    20473
    >>> from etfcore.bonds.dates import to_timestamps
    >>> to_timestamps(settlement_date("2026-01-16")).date()  # Friday -> Tuesday (MLK Day)
    datetime.date(2026, 1, 20)
    >>> to_timestamps(settlement_date("2026-01-17")).date()  # Saturday -> Wednesday
    datetime.date(2026, 1, 21)
    """
    if isinstance(lag, bool) or not isinstance(lag, (int, np.integer)) or lag < 0:
        raise InputError(
            f"lag: expected a whole number of business days >= 0, got {lag!r}; "
            "use 1 for T+1 (US Treasuries)"
        )
    if not isinstance(calendar, BusinessCalendar):
        raise InputError(
            f"calendar: expected a BusinessCalendar, got {type(calendar).__name__}; "
            "use etfcore.bonds.calendar.US_GOVERNMENT_BOND"
        )
    traded = calendar.adjust(trade_date, "following")
    settled = calendar.advance(traded, int(lag))
    if np.ndim(settled) == 0 and not isinstance(settled, pd.Series):
        return int(settled)
    return settled
