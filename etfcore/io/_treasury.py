"""Readers for US Treasury yield files: daily par yield curves and FRED ``DGS`` series."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataWarning, InputError, describe_rows
from ._cells import Bounds, CellLog, read_csv_text

__all__ = ["YIELD_BOUNDS", "read_fred_series", "read_treasury_par_yields", "tenor_in_years"]

_TENOR_RE = re.compile(
    r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>mo|mos|month|months|m|yr|yrs|year|years|y)\.?\s*$",
    re.IGNORECASE,
)
_DATE_LAYOUTS = ("iso", "mdy", "mdy2")
_FRED_MISSING = frozenset({"", "."})
_BLANK = frozenset({""})

#: The plausible range of a US Treasury yield, in percent as the files write it: the
#: highest on record is about 17.4 % (6-month bills, 1981; FRED ``DGS6MO``) and the
#: Treasury's published par curve is floored at zero. ``437`` (for 4.37) or a negative
#: yield is an error; with ``strict=False`` it is kept and a DataWarning names it.
YIELD_BOUNDS = Bounds(0.0, 25.0, hint="a yield in percent (4.37 for 4.37%)")


def tenor_in_years(label: str) -> float:
    """Return the tenor of a column label such as ``"1 Mo"``, ``"1.5 mo"`` or ``"30 yr"``, in years.

    Months are divided by 12 (``"6 Mo"`` -> 0.5, ``"1.5 Mo"`` -> 0.125).

    Parameters
    ----------
    label : str
        A column label of a Treasury par-yield file.

    Returns
    -------
    float

    Raises
    ------
    InputError
        If the label is not a number followed by a month or year unit.

    Examples
    --------
    >>> tenor_in_years("6 Mo"), tenor_in_years("30 Yr")
    (0.5, 30.0)
    """
    match = _TENOR_RE.match(str(label))
    if match is None:
        raise InputError(
            f"column {label!r} is not a tenor; expected a number and a unit such as '1 Mo', "
            "'1.5 Mo', '2 Yr' or '30 yr'; rename or remove the column"
        )
    n = float(match["n"])
    return n / 12.0 if match["unit"].lower().startswith("m") else n


def _read_text_table(path: str | os.PathLike[str], what: str) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what}: no file at {str(path)!r}")
    frame = read_csv_text(path, what)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def _labels(frame: pd.DataFrame) -> list[str]:
    return [f"line {i + 2}" for i in frame.index]  # the header is line 1


def _parse_dates(log: CellLog, text: pd.Series, column: str) -> pd.DatetimeIndex:
    """Dates of one layout for the whole column (YYYY-MM-DD, MM/DD/YYYY or MM/DD/YY)."""
    days = log.dates(text, column, layouts=_DATE_LAYOUTS, missing=_BLANK, one_layout=True)
    return pd.DatetimeIndex(days.astype("datetime64[ns]"))


def _parse_yields(log: CellLog, frame: pd.DataFrame, missing: frozenset[str]) -> pd.DataFrame:
    """Every column as a yield in percent: a number within :data:`YIELD_BOUNDS` or missing."""
    out = {}
    for column in frame.columns:
        text = frame[column]
        values = log.numbers(
            text,
            column,
            missing=missing,
            thousands=False,
            fix="expected a yield in percent, such as 4.25, or a blank",
        )
        log.check(values, text, column, YIELD_BOUNDS)
        out[column] = values
    return pd.DataFrame(out, index=frame.index)


def _find_date_column(frame: pd.DataFrame, file: str, names: tuple[str, ...]) -> str:
    for column in frame.columns:
        if column.lower() in names:
            return column
    raise InputError(
        f"{file}: no date column; expected one named {' or '.join(repr(n) for n in names)}, "
        f"found columns {list(frame.columns)!r}. Is this the right file?"
    )


def _check_duplicates(index: pd.DatetimeIndex, file: str) -> None:
    if index.has_duplicates:
        dups = index[index.duplicated()].unique()
        raise InputError(
            f"{file}: {len(dups)} date(s) appear more than once: "
            + ", ".join(str(d.date()) for d in dups[:10])
            + "; keep one row per date"
        )


def read_treasury_par_yields(path: str | os.PathLike[str], *, strict: bool = True) -> pd.DataFrame:
    r"""Read a US Treasury daily par yield curve CSV.

    Both layouts of the Treasury's "Daily Treasury Par Yield Curve Rates" file
    are read: ``date, 1 mo, 2 mo, ..., 30 yr`` with ``MM/DD/YYYY`` dates (the
    historical download) and ``Date, 1 Mo, 1.5 Mo, ..., 30 Yr`` with ISO dates,
    in either date order.

    Parameters
    ----------
    path
        The CSV file.
    strict
        A yield outside :data:`YIELD_BOUNDS` (negative, or above 25 %: ``437`` for
        4.37) is an error; with ``strict=False`` it is kept as read and a
        :class:`~etfcore.DataWarning` names each cell.

    Returns
    -------
    pandas.DataFrame
        Index: ``DatetimeIndex`` named ``"date"``, ascending. Columns: the
        file's tenors as floats in years (``1/12``, ``1.5/12``, ``2/12``,
        ``0.25``, ``4/12``, ``0.5``, ``1``, ``2``, ``3``, ``5``, ``7``, ``10``,
        ``20``, ``30``), ascending, in a column index named ``"tenor_years"``.
        Values: par yields as **decimals** (4.25 % -> 0.0425).

    Raises
    ------
    InputError
        If the file has no date column, a column that is not a tenor, a date that
        cannot be read (or is in another layout than the file's first date), a
        yield that is not a finite number (``n/a``, ``inf``) or (``strict``) is out
        of range, or a date that appears twice -- naming the file, the line, the
        column and the value of every bad cell at once.

    Warns
    -----
    DataWarning
        When rows with a date but no yield at all (e.g. 2010-10-11, Columbus
        Day, in the 1990-2023 file) are dropped; the message lists their dates.
        With ``strict=False``, naming each out-of-range yield kept.

    Notes
    -----
    A tenor that was not published on a date (1 mo before 2001-07-31, 20 yr
    in 1987-1993, 30 yr from 2002-02-19 to 2006-02-08, 1.5 mo before
    2025-02-18, ...) stays NaN: a curve fit should use the tenors present on
    each date. Lines that are empty, date included, are skipped silently. Dates
    are read by :func:`etfcore.bonds.dates.to_days`; a month-first layout is
    rewritten to ISO first, as the Treasury writes its dates month-first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = "Date,1 Mo,10 Yr\n01/03/2020,1.53,1.88\n01/02/2020,1.53,1.88\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "par.csv")
    ...     _ = path.write_text(text)
    ...     curve = read_treasury_par_yields(path)
    >>> [f"{d:%Y-%m-%d}" for d in curve.index], list(curve.columns.round(4))
    (['2020-01-02', '2020-01-03'], [0.0833, 10.0])
    >>> round(float(curve.loc["2020-01-03", 10.0]), 6)
    0.0188
    """
    file = Path(path).name
    raw = _read_text_table(path, "read_treasury_par_yields")
    date_col = _find_date_column(raw, file, ("date",))
    tenor_cols = [c for c in raw.columns if c != date_col]
    if not tenor_cols:
        raise InputError(f"{file}: no yield columns next to {date_col!r}; is this the right file?")
    tenors = []
    for column in tenor_cols:
        try:
            tenors.append(tenor_in_years(column))
        except InputError as exc:
            raise InputError(f"{file}: {exc}") from None
    if len(set(tenors)) != len(tenors):
        raise InputError(f"{file}: two columns give the same tenor: {tenor_cols!r}")

    blank_line = (raw == "").all(axis=1)
    raw = raw.loc[~blank_line]
    missing_date = raw[date_col].eq("").to_numpy()
    if missing_date.any():
        i = int(np.flatnonzero(missing_date)[0])
        raise InputError(
            f"{file}: line {raw.index[i] + 2} has yields but no date; "
            "add the date or delete the line"
        )
    log = CellLog(file, _labels(raw), strict=strict)
    values = _parse_yields(log, raw[tenor_cols], _BLANK)
    dates = _parse_dates(log, raw[date_col], date_col)
    log.finish("values that cannot be read or are out of range; fix or blank them")

    frame = pd.DataFrame(values.to_numpy() / 100.0, index=dates, columns=tenors)
    frame.index.name = "date"
    frame.columns.name = "tenor_years"
    _check_duplicates(dates, file)

    empty = frame.isna().all(axis=1)
    if empty.any():
        days = [str(d.date()) for d in frame.index[empty]]
        warnings.warn(
            f"{file}: dropped {len(days)} row(s) with a date but no yield at all: "
            + describe_rows("dates", days),
            DataWarning,
            stacklevel=2,
        )
        frame = frame.loc[~empty]
    frame = frame.sort_index().sort_index(axis=1)
    frame.attrs["source"] = str(path)
    return frame


def read_fred_series(
    path: str | os.PathLike[str], *, dropna: bool = False, strict: bool = True
) -> pd.Series:
    r"""Read a FRED constant-maturity Treasury series (``DGS10.csv`` and the like).

    Both FRED download layouts are read: ``observation_date,DGS10`` with blank
    missing values and ``DATE,DGS3`` with ``"."`` for missing values.

    Parameters
    ----------
    path
        The CSV file.
    dropna
        Drop the dates without a value (holidays). By default they are kept as NaN.
    strict
        A yield outside :data:`YIELD_BOUNDS` is an error; with ``strict=False`` it
        is kept and a :class:`~etfcore.DataWarning` names each cell.

    Returns
    -------
    pandas.Series
        Yields as **decimals**, indexed by an ascending ``DatetimeIndex`` named
        ``"date"``, named after the series (``"DGS10"``). For ``DGSn`` and
        ``DGSnMO`` series, ``attrs["tenor_years"]`` holds the tenor in years.

    Raises
    ------
    InputError
        If the file is not a two-column date/value file, or a date or a value
        cannot be read (``inf`` and ``n/a`` included; a blank or ``"."`` is a
        missing value), a value is out of range (``strict``), or a date appears
        twice -- naming the file, the line and the column of every bad cell.

    Warns
    -----
    DataWarning
        With ``strict=False``, naming each out-of-range value kept.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "DGS10.csv")
    ...     _ = path.write_text("observation_date,DGS10\n2025-12-17,4.15\n2025-12-18,\n")
    ...     series = read_fred_series(path)
    >>> series.round(6).tolist(), series.attrs["tenor_years"]
    ([0.0415, nan], 10.0)
    """
    file = Path(path).name
    raw = _read_text_table(path, "read_fred_series")
    date_col = _find_date_column(raw, file, ("observation_date", "date"))
    value_cols = [c for c in raw.columns if c != date_col]
    if len(value_cols) != 1:
        raise InputError(
            f"{file}: expected a date column and one value column, found {list(raw.columns)!r}; "
            "read FRED files one series at a time"
        )
    name = value_cols[0]
    raw = raw.loc[~(raw == "").all(axis=1)]
    log = CellLog(file, _labels(raw), strict=strict)
    values = _parse_yields(log, raw[[name]], _FRED_MISSING)[name].to_numpy() / 100.0
    dates = _parse_dates(log, raw[date_col], date_col)
    log.finish("values that cannot be read or are out of range; fix or blank them")
    series = pd.Series(values, index=dates, name=name)
    series.index.name = "date"
    _check_duplicates(dates, file)
    series = series.sort_index()
    if dropna:
        series = series.dropna()
    match = re.fullmatch(r"DGS(\d+)(MO)?", name.upper())
    if match:
        n = float(match[1])
        series.attrs["tenor_years"] = n / 12.0 if match[2] else n
    series.attrs["source"] = str(path)
    return series
