"""Reader for per-bond TRACE activity aggregates (trade counts and volumes by CUSIP).

The file ``lqd_bonds_trace_activity_<start>_to_<end>.csv`` (see
``shared/data/real/SOURCES.md``) aggregates FINRA TRACE Enhanced trades of LQD's
bonds over one window, one row per CUSIP::

    cusip,window_start,window_end,n_trades,n_capped_trades,total_volume_floor,days_traded,
    n_customer_trades,n_dealer_trades,median_trade_size
    001055BJ0,2025-09-04,2025-12-04,1270,0,145070000.0,63,,,18000.0

It holds no prices. :func:`etfcore.liquidity.liquidity_scores_from_trace` turns it
into liquidity scores.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..bonds.identifiers import check_identifiers
from ..errors import DataWarning, InputError
from ._cells import Bounds, CellLog, read_csv_text

__all__ = ["TRACE_BOUNDS", "TRACE_COLUMNS", "read_trace_activity"]

#: Column -> (kind, required). Kinds: "date", "count" (a whole number >= 0),
#: "amount" (a number >= 0, USD par). Optional columns may be absent or blank.
TRACE_COLUMNS: dict[str, tuple[str, bool]] = {
    "window_start": ("date", True),
    "window_end": ("date", True),
    "n_trades": ("count", True),
    "n_capped_trades": ("count", False),
    "total_volume_floor": ("amount", True),
    "days_traded": ("count", False),
    "n_customer_trades": ("count", False),
    "n_dealer_trades": ("count", False),
    "median_trade_size": ("amount", False),
}
_MAX_LISTED = 20
#: The checks of each kind of column: counts are whole numbers >= 0, amounts >= 0.
TRACE_BOUNDS = {
    "count": Bounds(0.0, integer=True, hint="a count of trades or days"),
    "amount": Bounds(0.0, hint="a USD par amount"),
}
_BLANK = frozenset({""})


def _listing(problems: list[str]) -> list[str]:
    if len(problems) > _MAX_LISTED:
        return problems[:_MAX_LISTED] + [f"... and {len(problems) - _MAX_LISTED} more"]
    return problems


def read_trace_activity(path: str | os.PathLike[str], *, strict: bool = True) -> pd.DataFrame:
    r"""Read a per-CUSIP TRACE activity file (trade counts and volumes over a window).

    Parameters
    ----------
    path
        The CSV file, such as
        ``shared/data/real/lqd_bonds_trace_activity_2025-09-04_to_2025-12-04.csv``.
    strict
        A CUSIP with a wrong check digit, or a count or volume out of range
        (:data:`TRACE_BOUNDS`: negative, a fractional count) or blank where
        required, is an error; with ``strict=False`` it is a
        :class:`~etfcore.DataWarning` and the row is kept as read.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``cusip`` (upper case, stripped), in file order, with columns
        ``window_start``, ``window_end`` (Timestamps), ``n_trades`` (int64),
        ``n_capped_trades``, ``days_traded``, ``n_customer_trades``,
        ``n_dealer_trades`` (counts; float so that a blank is NaN),
        ``total_volume_floor`` (USD par traded, capped trades at their cap) and
        ``median_trade_size`` (USD par). Optional columns absent from the file are
        all NaN. ``attrs["source"]`` is the file name.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    InputError
        If the file is empty or not a CSV, lacks ``cusip``, ``window_start``,
        ``window_end``, ``n_trades`` or ``total_volume_floor``, has a blank or
        duplicate CUSIP, a bad check digit (``strict=True``), a value that is not a
        number or a date, a negative count or volume, a fractional count, or a
        window that ends before it starts -- naming the line, the column and the
        value. Every problem in the file is listed at once.

    Warns
    -----
    DataWarning
        With ``strict=False``, naming each CUSIP kept despite a bad check digit and
        each out-of-range value kept.

    Notes
    -----
    ``days_traded`` can exceed the number of bond-market days in the window (up to 73
    for 63 days in the LQD file, probably distinct report dates); it is kept as read.
    ``n_customer_trades`` and ``n_dealer_trades`` are empty in that file. Every cell
    goes through the readers' one checking path (numbers: finite, ``inf`` and ``nan``
    rejected; dates: YYYY-MM-DD, read by :func:`etfcore.bonds.dates.to_days`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = ("cusip,window_start,window_end,n_trades,total_volume_floor\n"
    ...         "037833DP2,2025-09-04,2025-12-04,100,5000000\n")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "trace.csv")
    ...     _ = path.write_text(text)
    ...     trace = read_trace_activity(path)
    >>> int(trace.loc["037833DP2", "n_trades"]), f"{trace['window_end'].iloc[0]:%Y-%m-%d}"
    (100, '2025-12-04')
    """
    path = Path(path)
    file = path.name
    if not path.is_file():
        raise FileNotFoundError(f"read_trace_activity: no file at {str(path)!r}")
    raw = read_csv_text(path, "read_trace_activity")
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    required = ["cusip"] + [c for c, (_, req) in TRACE_COLUMNS.items() if req]
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise InputError(
            f"read_trace_activity: {file} lacks column(s) {missing}; found {list(raw.columns)}. "
            f"A TRACE activity file has {['cusip', *TRACE_COLUMNS]}; is this the right file?"
        )
    raw = raw.apply(lambda col: col.str.strip())
    raw = raw.loc[~raw.eq("").all(axis=1)]
    if raw.empty:
        raise InputError(f"read_trace_activity: {file} has a header but no rows")
    line = raw.index.to_numpy() + 2  # header is line 1

    log = CellLog(file, [f"line {n}" for n in line], strict=strict)
    cusip = raw["cusip"].str.upper()
    for i in np.flatnonzero(cusip.eq("").to_numpy()):
        log.error(i, "cusip", "blank; give every row its CUSIP")
    dup = cusip.duplicated(keep=False) & cusip.ne("")
    for value, rows in cusip[dup].groupby(cusip[dup]).groups.items():
        lines = [int(r) + 2 for r in rows]
        log.errors.append(f"lines {lines}, column 'cusip': {value} appears more than once")
    checks = check_identifiers(cusip.where(cusip.ne(""), "?"))
    bad = (~checks["valid"].to_numpy()) & cusip.ne("").to_numpy()
    bad_messages = [
        f"line {line[i]}, column 'cusip': {checks['message'].iloc[i]}" for i in np.flatnonzero(bad)
    ]
    if strict:
        log.errors.extend(bad_messages)

    out: dict[str, Any] = {}
    for column, (kind, needed) in TRACE_COLUMNS.items():
        if column not in raw.columns:
            out[column] = (
                pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
                if kind == "date"
                else np.full(len(raw), np.nan)
            )
            continue
        text = raw[column]
        if kind == "date":
            days = log.dates(text, column, missing=_BLANK, required=needed)
            out[column] = pd.Series(days.astype("datetime64[ns]"), index=raw.index)
            continue
        values = log.numbers(text, column, missing=_BLANK, thousands=False)
        log.check(
            values,
            text,
            column,
            TRACE_BOUNDS[kind],
            required=needed,
            missing_fix="give a number >= 0",
        )
        out[column] = values
    start = pd.DatetimeIndex(out["window_start"])
    end = pd.DatetimeIndex(out["window_end"])
    backwards = np.asarray(end < start)
    for i in np.flatnonzero(backwards):
        log.errors.append(
            f"line {line[i]}: window_end {end[int(i)]:%Y-%m-%d} is before window_start "
            f"{start[int(i)]:%Y-%m-%d}"
        )
    log.file = f"read_trace_activity: {file}"
    log.finish("is malformed; fix these rows")
    if bad_messages:
        warnings.warn(
            f"read_trace_activity: {file}: kept {len(bad_messages)} row(s) whose CUSIP fails its "
            "check digit (strict=False):\n  " + "\n  ".join(_listing(bad_messages)),
            DataWarning,
            stacklevel=2,
        )
    frame = pd.DataFrame(
        {
            c: (np.asarray(v) if not isinstance(v, pd.Series) else v.to_numpy())
            for c, v in out.items()
        },
        index=pd.Index(cusip.to_numpy(), name="cusip"),
    )
    if frame["n_trades"].notna().all():  # a blank kept with strict=False stays NaN
        frame["n_trades"] = frame["n_trades"].astype(np.int64)
    frame.attrs["source"] = file
    return frame
