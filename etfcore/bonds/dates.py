"""Dates as integer day numbers, and the one date parser of etfcore.

Kernels see dates as ``int64`` day numbers: days since 1970-01-01 (the numpy
``datetime64[D]`` epoch, so day 0 is 1970-01-01 and 2027-05-03 is day 20941).
Users write dates in many ways; :func:`to_days` (arrays) and :func:`to_day` (one date)
read every one of them by the same rules, and every date input of etfcore goes
through them. :func:`from_days` and :func:`to_timestamps` convert back.

The rules
---------
===================================  ==================================================
input                                read as
===================================  ==================================================
``datetime.date``, ``datetime``,     that calendar date (a time of day is dropped; a
``pandas.Timestamp``,                time-zone-aware timestamp gives its local date)
``numpy.datetime64``
integer from -25567 to 376199        a day number (1900-01-01 .. 2999-12-31)
integer from 19000101 to 29991231    ``yyyymmdd`` (``20270503`` is 2027-05-03); it must
                                     be a real date
any other integer                    an error (neither a day number nor ``yyyymmdd``)
whole float (``20270503.0``)         as the integer; NaN is a missing date
``"2027-05-03"`` (ISO, a time part   year-month-day; ``"2027/05/03"``, ``"2027.05.03"``
may follow)                          and ``"2027-5-3"`` too
``"20270503"``                       ``yyyymmdd``
``"Feb 01, 2046"``, ``"February 1    month names in English, full or three letters
2046"``, ``"01-Feb-2046"``,          (``Sept`` too), any case, with a 4-digit year
``"1 Feb 2046"``, ``"01FEB2046"``
``"03/05/2027"``, ``"03.05.2027"``,  day and month both <= 12 and different: an
``"03-05-2027"``                     error: the reading is ambiguous; the message says
                                     to write ISO ``"2027-05-03"`` or ``"2027-03-05"``
``"13/05/2027"``, ``"05/13/2027"``   only one reading is a real date: that one (13 May
                                     2027 both times); ``"05/05/2027"`` reads the same
                                     either way
``None``, NaN, NaT, ``""``, ``"-"``,  missing: :data:`NO_DATE` where a date is optional,
``"n/a"``                            an error where it is required
anything else (two-digit years,      an error naming the value and how to write it
``True``, ``"2027"``, ``"tomorrow"``)
===================================  ==================================================

Integers are never Excel serial numbers or nanosecond timestamps. Day numbers and
``yyyymmdd`` integers cannot be confused: the smallest ``yyyymmdd`` (19000101) is far
above the largest day number accepted (376199, 2999-12-31).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import pandas as pd

from ..errors import InputError

#: Sentinel day number for "no date" (an optional date that is absent).
NO_DATE = np.int64(-(2**40))

#: Day numbers accepted as integers: 1900-01-01 .. 2999-12-31.
MIN_DAY_NUMBER = -25567
MAX_DAY_NUMBER = 376199
#: ``yyyymmdd`` integers accepted: 1900-01-01 .. 2999-12-31.
MIN_YYYYMMDD = 19000101
MAX_YYYYMMDD = 29991231

_EPOCH = np.datetime64("1970-01-01", "D")
_ORDINAL_EPOCH = _dt.date(1970, 1, 1).toordinal()
_HOW = "write it as an ISO date such as '2030-05-15'"

# status codes of the parser (one per value)
_OK, _MISSING, _NOT_DATE, _AMBIGUOUS, _BAD_INT, _BAD_YMD = range(6)
#: Statuses of :func:`parse_days`: read, and missing (any other status is a bad value).
DATE_OK, DATE_MISSING = _OK, _MISSING

_MISSING_TEXT = frozenset({"", "-", "--", "nat", "nan", "none", "n/a", "na", "null"})
_MONTHS = {
    name: k + 1
    for k, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
_SUFFIX = r"(?:st|nd|rd|th)?"
# (pattern, order of the groups): y = year, m = month number, n = month name, d = day
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", "ymd"),
    (r"(\d{4})(\d{2})(\d{2})", "ymd"),
    (r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", "ymd"),
    (r"([A-Za-z]{3,9})\.?[\s\-]+(\d{1,2})" + _SUFFIX + r",?[\s\-]+(\d{4})", "ndy"),
    (r"(\d{1,2})" + _SUFFIX + r"[\s\-]*([A-Za-z]{3,9})\.?,?[\s\-]*(\d{4})", "dny"),
    (r"(\d{4})[\s\-]([A-Za-z]{3,9})[\s\-](\d{1,2})", "ynd"),
    (r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", "aby"),  # day/month or month/day
)
#: strptime formats tried first on string columns (the same dates the patterns read).
_FAST_FORMATS = ("%Y-%m-%d", "%b %d, %Y")
_COMPILED = tuple((re.compile(p), order) for p, order in _PATTERNS)


# --------------------------------------------------------------------------- core
def _ymd_days(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers of year/month/day arrays, and whether each is a real date."""
    y = np.asarray(y, dtype=np.int64)
    m = np.asarray(m, dtype=np.int64)
    d = np.asarray(d, dtype=np.int64)
    ok = (y >= 1000) & (y <= 9999) & (m >= 1) & (m <= 12) & (d >= 1)
    month = np.where(ok, (y - 1970) * 12 + (m - 1), 0).astype("datetime64[M]")
    first = month.astype("datetime64[D]").astype(np.int64)
    length = (month + 1).astype("datetime64[D]").astype(np.int64) - first
    ok &= d <= length
    return np.where(ok, first + d - 1, 0).astype(np.int64), ok


def _int_days(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integers read by the rule: day numbers, ``yyyymmdd``, or an error status."""
    v = np.asarray(v, dtype=np.int64)
    status = np.full(v.shape, _BAD_INT, dtype=np.int8)
    out = np.zeros(v.shape, dtype=np.int64)
    is_day = (v >= MIN_DAY_NUMBER) & (v <= MAX_DAY_NUMBER)
    out[is_day] = v[is_day]
    status[is_day] = _OK
    is_ymd = (v >= MIN_YYYYMMDD) & (v <= MAX_YYYYMMDD)
    if is_ymd.any():
        w = v[is_ymd]
        days, ok = _ymd_days(w // 10000, w // 100 % 100, w % 100)
        out[is_ymd] = days
        status[is_ymd] = np.where(ok, _OK, _BAD_YMD)
    return out, status


def _resolve(order: str, a: Any, b: Any, c: Any) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers and statuses of matched text groups (arrays of strings)."""
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    c = np.asarray(c, dtype=object)
    if order == "aby":
        x, z, y = a.astype(np.int64), b.astype(np.int64), c.astype(np.int64)
        dm, ok_dm = _ymd_days(y, z, x)  # day first
        md, ok_md = _ymd_days(y, x, z)  # month first
        status = np.where(ok_dm | ok_md, _OK, _BAD_YMD).astype(np.int8)
        status[ok_dm & ok_md & (x != z)] = _AMBIGUOUS
        return np.where(ok_dm, dm, md), status
    parts = dict(zip(order, (a, b, c), strict=True))
    if "n" in parts:
        month = np.array([_MONTHS.get(str(s).lower(), 0) for s in parts["n"]], dtype=np.int64)
        unknown = month == 0
    else:
        month = parts["m"].astype(np.int64)
        unknown = np.zeros(month.shape, dtype=bool)
    days, ok = _ymd_days(parts["y"].astype(np.int64), month, parts["d"].astype(np.int64))
    status = np.where(ok, _OK, _BAD_YMD).astype(np.int8)
    status[unknown] = _NOT_DATE
    return days, status


def _parse_text_array(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse stripped strings (no missing values), vectorised with one regex per form."""
    n = len(text)
    out = np.zeros(n, dtype=np.int64)
    status = np.full(n, _NOT_DATE, dtype=np.int8)
    missing = text.str.lower().isin(_MISSING_TEXT).to_numpy()
    status[missing] = _MISSING
    todo = ~missing
    for fmt in _FAST_FORMATS:  # C-speed passes for the common forms; the rest by regex
        if not todo.any():
            break
        sub = text[todo]
        parsed = pd.to_datetime(sub, format=fmt, errors="coerce")
        days = parsed.to_numpy().astype("datetime64[D]").astype(np.int64)
        hit = parsed.notna().to_numpy()
        rows = np.flatnonzero(todo)[hit]
        out[rows] = days[hit]
        status[rows] = _OK
        todo[rows] = False
    for pattern, order in _PATTERNS:
        if not todo.any():
            break
        sub = text[todo]
        groups = sub.str.extract("^" + pattern + "$", expand=True)
        hit = groups[0].notna().to_numpy()
        if not hit.any():
            continue
        g = groups[hit]
        days, st = _resolve(order, g[0].to_numpy(), g[1].to_numpy(), g[2].to_numpy())
        rows = np.flatnonzero(todo)[hit]
        out[rows] = days
        status[rows] = st
        todo[rows] = False
    return out, status


def _parse_text(text: str) -> tuple[int, int]:
    """One string (stripped), by the same patterns as :func:`_parse_text_array`."""
    if text.lower() in _MISSING_TEXT:
        return 0, _MISSING
    m = _COMPILED[0][0].fullmatch(text)
    if m is not None:  # ISO, the common case, without numpy
        return _scalar_ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for rx, order in _COMPILED[1:]:
        m = rx.fullmatch(text)
        if m is not None:
            days, st = _resolve(order, [m.group(1)], [m.group(2)], [m.group(3)])
            return int(days[0]), int(st[0])
    return 0, _NOT_DATE


def _scalar_ymd(y: int, m: int, d: int) -> tuple[int, int]:
    if not 1000 <= y <= 9999:
        return 0, _BAD_YMD
    try:
        return _dt.date(y, m, d).toordinal() - _ORDINAL_EPOCH, _OK
    except ValueError:
        return 0, _BAD_YMD


def _parse_one(value: Any) -> tuple[int, int]:
    """(day number, status) of one value of any accepted kind."""
    if isinstance(value, (bool, np.bool_)):
        return 0, _NOT_DATE
    if isinstance(value, (int, np.integer)):
        v = int(value)
        if MIN_DAY_NUMBER <= v <= MAX_DAY_NUMBER:
            return v, _OK
        if MIN_YYYYMMDD <= v <= MAX_YYYYMMDD:
            return _scalar_ymd(v // 10000, v // 100 % 100, v % 100)
        return 0, _BAD_INT
    if isinstance(value, str):
        return _parse_text(value.strip())
    if value is None or value is pd.NaT or value is pd.NA:
        return 0, _MISSING
    if isinstance(value, (float, np.floating)):
        if value != value:
            return 0, _MISSING
        if not np.isfinite(value) or value != int(value):
            return 0, _NOT_DATE
        return _parse_one(int(value))
    if isinstance(value, _dt.datetime):  # includes pandas.Timestamp
        return value.date().toordinal() - _ORDINAL_EPOCH, _OK
    if isinstance(value, _dt.date):
        return value.toordinal() - _ORDINAL_EPOCH, _OK
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return 0, _MISSING
        return int(value.astype("datetime64[D]").astype(np.int64)), _OK
    return 0, _NOT_DATE


def parse_days(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers and a status per value, never raising (the engine of :func:`to_days`).

    Returns flat ``int64`` days and ``int8`` statuses (0 = read, 1 = missing, other =
    not a date; :func:`date_problem` words it). Used by readers that collect every
    problem of a column before raising.

    Examples
    --------
    >>> days, status = parse_days(["2027-05-03", "03/05/2027", None])
    >>> int(days[0]), status.tolist()
    (20941, [0, 3, 1])
    >>> date_problem("03/05/2027", status[1])[:40]
    "'03/05/2027' is ambiguous: 3 May 2027 (d"
    """
    if isinstance(values, (pd.Series, pd.Index)):
        arr = values.to_numpy()
    else:
        arr = np.asarray(values) if not isinstance(values, np.ndarray) else values
        if arr.dtype.kind not in "iuMfOUSb":
            arr = np.asarray(list(np.ravel(values)), dtype=object)
    arr = arr.reshape(-1)
    kind = arr.dtype.kind
    n = len(arr)
    if kind in "iu":
        return _int_days(arr.astype(np.int64))
    if kind == "M":
        day = arr.astype("datetime64[D]")
        nat = np.isnat(day)
        return np.where(nat, 0, day.astype(np.int64)), np.where(nat, _MISSING, _OK).astype(np.int8)
    if kind == "f":
        nan = np.isnan(arr)
        whole = ~nan & np.isfinite(arr) & (arr == np.floor(np.where(nan, 0, arr)))
        out = np.zeros(n, dtype=np.int64)
        status = np.full(n, _NOT_DATE, dtype=np.int8)
        status[nan] = _MISSING
        if whole.any():
            big = np.abs(arr) > 2**62
            whole &= ~big
            out[whole], status[whole] = _int_days(arr[whole].astype(np.int64))
        return out, status
    if kind == "b":
        return np.zeros(n, dtype=np.int64), np.full(n, _NOT_DATE, dtype=np.int8)
    # strings and objects: parse each distinct value once
    codes, uniques = pd.factorize(pd.Series(arr, dtype=object), use_na_sentinel=True)
    u = np.asarray(uniques, dtype=object)
    u_days = np.zeros(len(u), dtype=np.int64)
    u_status = np.zeros(len(u), dtype=np.int8)
    is_str = np.fromiter((isinstance(x, str) for x in u), dtype=bool, count=len(u))
    if is_str.any():
        text = pd.Series(u[is_str], dtype=object).str.strip()
        u_days[is_str], u_status[is_str] = _parse_text_array(text)
    for j in np.flatnonzero(~is_str):
        u_days[j], u_status[j] = _parse_one(u[j])
    out = np.zeros(n, dtype=np.int64)
    status = np.full(n, _MISSING, dtype=np.int8)
    known = codes >= 0
    out[known] = u_days[codes[known]]
    status[known] = u_status[codes[known]]
    return out, status


def date_problem(value: Any, status: int) -> str:
    """What is wrong with ``value`` (a status from :func:`parse_days`), and what to do.

    Examples
    --------
    >>> days, status = parse_days(["2027-02-30"])
    >>> date_problem("2027-02-30", status[0])
    "'2027-02-30' is not a real calendar date; write it as an ISO date such as '2030-05-15'"
    """
    shown = _show(value)
    if status == _MISSING:
        return "missing; give a date such as '2030-05-15'"
    if status == _AMBIGUOUS:
        text = str(value).strip()
        a, b, y = (int(x) for x in re.split(r"[/.\-]", text))
        day_first = f"{y:04d}-{b:02d}-{a:02d}"
        month_first = f"{y:04d}-{a:02d}-{b:02d}"
        return (
            f"{shown} is ambiguous: {a} {_MONTH_NAMES[b - 1]} {y} (day first) or "
            f"{b} {_MONTH_NAMES[a - 1]} {y} (month first); write it as an ISO date: "
            f"'{day_first}' or '{month_first}'"
        )
    if status == _BAD_INT:
        return (
            f"{shown} is neither a day number ({MIN_DAY_NUMBER}..{MAX_DAY_NUMBER}, days since "
            f"1970-01-01) nor a yyyymmdd integer ({MIN_YYYYMMDD}..{MAX_YYYYMMDD}); {_HOW}"
        )
    if status == _BAD_YMD:
        return f"{shown} is not a real calendar date; {_HOW}"
    return f"{shown} is not a date; {_HOW}"


def _show(value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _raise_first(values: Any, status: np.ndarray, where: str, scalar: bool) -> None:
    flat = np.flatnonzero(status)
    i = int(flat[0])
    value = values if scalar else _element(values, i)
    more = f" (and {len(flat) - 1} more)" if len(flat) > 1 else ""
    row = "" if scalar else f" row {_label(values, i)}"
    raise InputError(f"{where}:{row} {date_problem(value, int(status[i]))}{more}")


def _element(values: Any, i: int) -> Any:
    if isinstance(values, (pd.Series, pd.Index)):
        return values.to_numpy()[i]
    if isinstance(values, np.ndarray):
        return values.reshape(-1)[i]
    return list(np.ravel(np.asarray(values, dtype=object)))[i]


def _label(values: Any, i: int) -> str:
    if isinstance(values, pd.Series) and not isinstance(values.index, pd.RangeIndex):
        return f"{i} ({values.index[i]})"
    return str(i)


# --------------------------------------------------------------------------- public
def to_days(values: Any, where: str = "date", allow_missing: bool = False) -> np.ndarray:
    """Read dates, written in any accepted form, as ``int64`` day numbers.

    The one date parser of etfcore: every date input of the package goes through it
    (or :func:`to_day`), with the rules in the module docstring
    (:mod:`etfcore.bonds.dates`).

    Parameters
    ----------
    values : scalar or array-like
        Dates: ``datetime.date``/``datetime``, ``pandas.Timestamp``,
        ``numpy.datetime64`` (scalars or arrays), ISO strings (``"2027-05-03"``),
        ``yyyymmdd`` strings and integers (``20270503``), month-name forms
        (``"Feb 01, 2046"``), or integer day numbers (days since 1970-01-01).
    where : str, default "date"
        What the values are, for error messages (``"maturity_date"``).
    allow_missing : bool, default False
        If true, missing values (None, NaN, NaT, ``""``, ``"-"``, ``"n/a"``) become
        :data:`NO_DATE`, and so does :data:`NO_DATE` itself; otherwise they are an
        error.

    Returns
    -------
    numpy.ndarray
        ``int64`` day numbers, the shape of ``values`` (0-d for a scalar).

    Raises
    ------
    InputError
        Naming the first bad row, its value and how to write it (and how many more
        there are): a value that is not a date, an ambiguous day/month string
        (``"03/05/2027"``), an integer that is neither a day number nor ``yyyymmdd``,
        or a missing value when ``allow_missing`` is false.

    Notes
    -----
    Vectorised: integer and ``datetime64`` arrays are converted with numpy; strings
    are parsed once per distinct value, one regular expression per written form over
    the whole column. Day numbers are ``datetime64[D]`` integers, so
    ``to_days(x) == np.asarray(x, "datetime64[D]").astype(int)`` for ISO input.

    Examples
    --------
    >>> import datetime, numpy as np, pandas as pd
    >>> to_days(["2027-05-03", "20270503", "Feb 01, 2046", "13/05/2027"]).tolist()
    [20941, 20941, 27790, 20951]
    >>> to_days([20270503, 20941, datetime.date(2027, 5, 3)]).tolist()
    [20941, 20941, 20941]
    >>> int(to_days(pd.Timestamp("2027-05-03 16:00")))
    20941
    >>> to_days(["2027-05-03", None], allow_missing=True).tolist()
    [20941, -1099511627776]
    >>> to_days(["03/05/2027"], where="maturity_date")
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: maturity_date: row 0 '03/05/2027' is ambiguous: 3 May 2027 (day first) or 5 March 2027 (month first); write it as an ISO date: '2027-05-03' or '2027-03-05'
    """  # noqa: E501
    scalar = np.ndim(values) == 0 and not isinstance(values, (pd.Series, pd.Index))
    if scalar:
        day, st = _parse_one(values)
        if st == _OK:
            return np.asarray(day, dtype=np.int64)
        if st == _MISSING and allow_missing:
            return np.asarray(NO_DATE, dtype=np.int64)
        if allow_missing and isinstance(values, (int, np.integer)) and values == NO_DATE:
            return np.asarray(NO_DATE, dtype=np.int64)
        _raise_first(values, np.array([st], dtype=np.int8), where, scalar=True)
    shape = np.shape(values)
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu" and values.size:
        lo, hi = values.min(), values.max()
        if MIN_DAY_NUMBER <= lo and hi <= MAX_DAY_NUMBER:  # the fast path: day numbers
            return values.astype(np.int64)
    out, status = parse_days(values)
    if allow_missing:
        if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
            status[values.reshape(-1) == NO_DATE] = _MISSING
        missing = status == _MISSING
        status[missing] = _OK
        out[missing] = NO_DATE
    if status.any():
        _raise_first(values, status, where, scalar=False)
    return out.reshape(shape)


def to_day(value: Any, where: str = "date") -> int:
    """Read one date, written in any accepted form, as an ``int`` day number.

    Parameters
    ----------
    value : date-like
        One date; see :func:`to_days` for the accepted forms.
    where : str, default "date"
        What the value is, for error messages.

    Returns
    -------
    int
        Days since 1970-01-01.

    Raises
    ------
    InputError
        If ``value`` is not one date (missing, several, ambiguous or unreadable).

    Examples
    --------
    >>> to_day("2027-05-03"), to_day(20270503), to_day(20941), to_day("May 3, 2027")
    (20941, 20941, 20941, 20941)
    >>> to_day("2027")
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: date: '2027' is not a date; write it as an ISO date such as '2030-05-15'
    """  # noqa: E501
    if np.ndim(value) != 0 or isinstance(value, (pd.Series, pd.Index)):
        raise InputError(f"{where}: expected one date, got {value!r}")
    day, st = _parse_one(value)
    if st != _OK:
        _raise_first(value, np.array([st], dtype=np.int8), where, scalar=True)
    return day


def from_days(days: Any) -> Any:
    """Convert day numbers back to ``numpy.datetime64[D]`` (NaT for :data:`NO_DATE`).

    Parameters
    ----------
    days : int or array-like of int
        Day numbers (days since 1970-01-01).

    Returns
    -------
    numpy.ndarray
        ``datetime64[D]`` values, the shape of ``days``.

    Examples
    --------
    >>> str(from_days(20941))
    '2027-05-03'
    """
    arr = np.asarray(days, dtype=np.int64)
    return np.where(arr == NO_DATE, np.datetime64("NaT"), arr.astype("datetime64[D]"))


@overload
def to_timestamps(days: int | np.integer) -> pd.Timestamp: ...
@overload
def to_timestamps(days: np.ndarray | Sequence[int] | pd.Index) -> pd.DatetimeIndex: ...
def to_timestamps(days: Any) -> Any:
    """Convert day numbers to pandas timestamps (a ``DatetimeIndex`` for arrays).

    Parameters
    ----------
    days : int or array-like of int
        Day numbers (days since 1970-01-01); :data:`NO_DATE` becomes ``NaT``.

    Returns
    -------
    pandas.Timestamp or pandas.DatetimeIndex

    Examples
    --------
    >>> to_timestamps(20941)
    Timestamp('2027-05-03 00:00:00')
    >>> list(to_timestamps([20941, 20942]).strftime("%Y-%m-%d"))
    ['2027-05-03', '2027-05-04']
    """
    arr = np.asarray(days, dtype=np.int64)
    if arr.ndim == 0:
        return pd.Timestamp(from_days(arr).item()) if arr != NO_DATE else pd.NaT
    return pd.DatetimeIndex(from_days(arr).astype("datetime64[ns]"))


def today() -> int:
    """Today's date (the machine's local date) as a day number.

    Returns
    -------
    int
        Days since 1970-01-01.

    Examples
    --------
    >>> today() > to_day("2026-01-01")
    True
    """
    return to_day(_dt.date.today())


__all__ = [
    "DATE_MISSING",
    "DATE_OK",
    "MAX_DAY_NUMBER",
    "MAX_YYYYMMDD",
    "MIN_DAY_NUMBER",
    "MIN_YYYYMMDD",
    "NO_DATE",
    "date_problem",
    "from_days",
    "parse_days",
    "to_day",
    "to_days",
    "to_timestamps",
    "today",
]
