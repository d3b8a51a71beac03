"""Reader for a fund's daily NAV history (``Date,NAV``), such as iShares' LQD file."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ._cells import Bounds, CellLog, read_csv_text

__all__ = ["NAV_BOUNDS", "read_nav_history"]

#: A NAV per share must be a positive amount; above 100,000 USD a share is a typo.
NAV_BOUNDS = Bounds(0.0, 1e5, lower_open=True, hint="a NAV per share in USD")
_BLANK = frozenset({"", "-", "."})


def read_nav_history(path: str | os.PathLike[str], *, strict: bool = True) -> pd.Series:
    r"""Read a daily NAV history CSV with a date column and a NAV column.

    Parameters
    ----------
    path : path-like
        A CSV with columns ``Date`` and ``NAV`` (any case; other columns are
        ignored), such as ``lqd_nav_daily_ishares_2002-07-22_to_2026-09-16.csv``.
    strict : bool
        A NAV outside :data:`NAV_BOUNDS` (zero, negative, absurdly large) is an
        error; with ``strict=False`` it is kept and a
        :class:`~etfcore.DataWarning` names each cell.

    Returns
    -------
    pandas.Series
        NAV per share in USD, named ``"nav"``, indexed by an ascending
        ``DatetimeIndex`` named ``"date"``; a blank NAV is NaN. ``attrs["source"]``
        is the file name.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    InputError
        If the file lacks a date or NAV column, has a row with extra fields, a date
        that cannot be read (``YYYY-MM-DD`` or ``MM/DD/YYYY``, one layout per file),
        a NAV that is not a finite number, or a date twice -- naming the line, the
        column and the value of every bad cell.

    Notes
    -----
    Dates are read by :func:`etfcore.bonds.dates.to_days`. Dates that are not
    trading days (iShares' LQD file repeats the 2024-03-28 NAV on 2024-03-29 and
    2024-03-31) are kept as read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "nav.csv")
    ...     _ = path.write_text("Date,NAV\n2025-12-17,110.458527\n2025-12-16,110.2\n")
    ...     nav = read_nav_history(path)
    >>> [f"{d:%Y-%m-%d}" for d in nav.index], nav.round(2).tolist()
    (['2025-12-16', '2025-12-17'], [110.2, 110.46])
    """
    path = Path(path)
    file = path.name
    if not path.is_file():
        raise FileNotFoundError(f"read_nav_history: no file at {str(path)!r}")
    raw = read_csv_text(path, "read_nav_history")
    columns = {str(c).strip().lower(): c for c in raw.columns}
    if "date" not in columns or "nav" not in columns:
        raise InputError(
            f"read_nav_history: {file} needs columns Date and NAV, has {list(raw.columns)}; "
            "is this a NAV history file?"
        )
    raw = raw[[columns["date"], columns["nav"]]].apply(lambda col: col.str.strip())
    raw = raw.loc[~(raw == "").all(axis=1)]
    log = CellLog(file, [f"line {i + 2}" for i in raw.index], strict=strict)
    date_text, nav_text = raw[columns["date"]], raw[columns["nav"]]
    days = log.dates(
        date_text,
        columns["date"],
        layouts=("iso", "mdy"),
        missing=_BLANK,
        one_layout=True,
        required=True,
    )
    values = log.numbers(nav_text, columns["nav"], missing=_BLANK, thousands=True)
    log.check(values, nav_text, columns["nav"], NAV_BOUNDS)
    index = pd.DatetimeIndex(days.astype("datetime64[ns]"), name="date")
    duplicated = index.duplicated(keep=False) & ~np.isnat(days)
    for i in np.flatnonzero(duplicated):
        log.error(i, columns["date"], f"{date_text.iloc[i]!r} appears more than once")
    log.finish("values that cannot be read or are out of range")
    series = pd.Series(values, index=index, name="nav").sort_index()
    series.attrs["source"] = file
    return series
