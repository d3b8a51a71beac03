"""One path for checking the cells of a data file; every reader in :mod:`etfcore.io` uses it.

A reader hands each column's text to a :class:`CellLog`, which parses it and records
every bad cell by file, line and column. Three kinds of problem:

* **unreadable** -- a cell that is not a number (``"n/a"`` where a price is required,
  ``"12a"``, ``"inf"``, ``"nan"``) or not a date in the file's layout: always an
  :class:`~etfcore.InputError`, since there is no value to keep;
* **out of range** -- a number outside its column's plausible range (:class:`Bounds`:
  a negative par, a Treasury yield of ``437`` for 4.37 %), or a required cell left
  blank: an :class:`~etfcore.InputError` by default; with ``strict=False`` the value
  is kept as read (a blank as NaN) and one :class:`~etfcore.DataWarning` lists every
  such cell;
* **implausible, kept** -- a number outside a ``warn_only`` range (the file's own
  analytics, such as a yield to maturity of 150 %, which etfcore does not use): always
  a :class:`~etfcore.DataWarning` naming the cells, the values kept as read.

:meth:`CellLog.finish` raises one error listing every problem in the file (up to
``MAX_LISTED``), so a user fixes a file once. Dates go through
:func:`etfcore.bonds.dates.to_days`, the package's one date parser; the reader only
says which layouts its file uses (``"iso"`` ``2029-01-05``, ``"month_name"``
``Jan 05, 2029``, ``"mdy"`` ``01/05/2029``, ``"mdy2"`` ``01/05/29``), and month-first
layouts are rewritten to ISO first, because the file's layout, not a guess, says
which number is the month.
"""

from __future__ import annotations

import csv
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..bonds.dates import to_day, to_days
from ..errors import DataWarning, InputError

__all__ = ["MISSING", "Bounds", "CellLog", "check_field_counts", "read_csv_text"]

#: Cells that mean "no value" unless a reader says otherwise (iShares writes ``-``).
MISSING = frozenset({"", "-", "--"})
#: How many problems one error lists.
MAX_LISTED = 30

NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NON_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)

#: Date layouts: name -> (shape, what to call it in a message).
LAYOUTS: dict[str, tuple[re.Pattern[str], str]] = {
    "iso": (re.compile(r"\d{4}-\d{2}-\d{2}"), "YYYY-MM-DD"),
    "month_name": (re.compile(r"[A-Za-z]{3,9}\.? +\d{1,2}, *\d{4}"), "'Jan 05, 2029'"),
    "mdy": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), "MM/DD/YYYY"),
    "mdy2": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})"), "MM/DD/YY"),
}


@dataclass(frozen=True)
class Bounds:
    """The plausible range of a numeric column.

    Parameters
    ----------
    lower, upper : float
        Inclusive bounds (``-inf``/``inf`` for none).
    lower_open : bool
        The value must be strictly above ``lower`` (a price or a par: ``> 0``).
    integer : bool
        The value must be a whole number (a count).
    warn_only : bool
        Outside the range is a :class:`~etfcore.DataWarning` and the value is kept,
        even with ``strict=True`` (for the file's own analytics, which etfcore does
        not use).
    hint : str
        What the column holds, for messages: ``"a price per 100 face"``.

    Examples
    --------
    >>> Bounds(0.0, 1000.0, lower_open=True, hint="a price per 100 face").describe()
    'a price per 100 face, in (0, 1,000]'
    """

    lower: float = -math.inf
    upper: float = math.inf
    lower_open: bool = False
    integer: bool = False
    warn_only: bool = False
    hint: str = "a number"

    def describe(self) -> str:
        """The rule in words, for error messages."""
        if math.isinf(self.lower) and math.isinf(self.upper):
            text = self.hint
        elif math.isinf(self.upper):
            text = f"{self.hint}, {'>' if self.lower_open else '>='} {_fmt(self.lower)}"
        elif math.isinf(self.lower):
            text = f"{self.hint}, <= {_fmt(self.upper)}"
        else:
            left = "(" if self.lower_open else "["
            text = f"{self.hint}, in {left}{_fmt(self.lower)}, {_fmt(self.upper)}]"
        return text + (" (whole number)" if self.integer else "")

    def violations(self, values: np.ndarray) -> list[tuple[np.ndarray, str]]:
        """(mask of finite values breaking the rule, what is wrong) pairs."""
        finite = np.isfinite(values)
        low = values <= self.lower if self.lower_open else values < self.lower
        out = []
        if self.lower == 0.0:
            out.append((finite & (values < 0), "negative"))
            if self.lower_open:
                out.append((finite & (values == 0), "zero"))
        elif np.isfinite(self.lower):
            out.append((finite & low, f"below {_fmt(self.lower)}"))
        if np.isfinite(self.upper):
            out.append((finite & (values > self.upper), f"above {_fmt(self.upper)}"))
        if self.integer:
            out.append((finite & (values != np.round(values)), "not a whole number"))
        return out


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


class CellLog:
    """Parse and check the cells of one file, collecting every problem.

    Parameters
    ----------
    file : str
        The file's name, for messages.
    labels : sequence of str
        Per data row, how to name it: ``"line 3"`` or ``"line 3 (03522AAJ9)"``.
    strict : bool
        Out-of-range and missing required values are errors; with False they are
        kept (blank as NaN) and reported in one :class:`~etfcore.DataWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> log = CellLog("t.csv", ["line 2", "line 3"])
    >>> text = pd.Series(["4.25", "437"])
    >>> values = log.numbers(text, "10 Yr")
    >>> log.check(values, text, "10 Yr", Bounds(0, 25, hint="a yield in %"))
    >>> log.soft
    ["line 3, column '10 Yr': '437' is above 25; expected a yield in %, in [0, 25]"]
    >>> log.finish("bad cells")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: t.csv: bad cells (strict=False keeps ...): 1 problem found:
      - line 3, column '10 Yr': '437' is above 25; expected a yield in %, in [0, 25]
    """

    def __init__(self, file: str, labels: Sequence[str], *, strict: bool = True) -> None:
        self.file = file
        self.labels = list(labels)
        self.strict = strict
        self.errors: list[str] = []  # unreadable: always an error
        self.soft: list[str] = []  # out of range / missing: error when strict
        self.kept: list[str] = []  # warn_only: always a warning
        self._unreadable: set[tuple[int, str]] = set()

    # --------------------------------------------------------------- recording
    def where(self, i: int | np.integer, column: str) -> str:
        """``"line 3, column 'Price'"``."""
        return f"{self.labels[int(i)]}, column {column!r}"

    def error(self, i: int | np.integer, column: str, message: str) -> None:
        """Record an unreadable cell (always an error)."""
        self._unreadable.add((int(i), column))
        self.errors.append(f"{self.where(i, column)}: {message}")

    def out_of_range(self, i: int | np.integer, column: str, message: str) -> None:
        """Record a cell that is readable but wrong (an error when strict, else kept)."""
        self.soft.append(f"{self.where(i, column)}: {message}")

    # --------------------------------------------------------------- numbers
    def numbers(
        self,
        text: pd.Series,
        column: str,
        *,
        missing: frozenset[str] | set[str] = MISSING,
        scale: float = 1.0,
        thousands: bool = True,
        fix: str = "",
    ) -> np.ndarray:
        """Parse a column of numbers; missing cells are NaN, unreadable cells recorded.

        ``thousands`` allows ``1,234,567.89``; ``scale`` multiplies the values (0.01
        for a percent column read as decimals). Infinite and NaN spellings (``inf``,
        ``nan``) and numbers that overflow are unreadable.
        """
        cells = text.to_numpy(dtype=object)
        is_missing = text.isin(missing).to_numpy()
        pattern = NUMBER if thousands else _PLAIN_NUMBER
        shaped = text.str.fullmatch(pattern.pattern).fillna(False).to_numpy(dtype=bool)
        values = np.full(len(cells), np.nan)
        good = shaped & ~is_missing
        if good.any():
            clean = text[good].str.replace(",", "", regex=False) if thousands else text[good]
            values[good] = clean.astype(float).to_numpy()
        overflow = good & ~np.isfinite(values)
        hint = fix or (
            "use digits with an optional sign"
            + (", thousands separator" if thousands else "")
            + " and decimal point, or leave the cell blank"
        )
        for i in np.flatnonzero(~shaped & ~is_missing):
            if _NON_FINITE.fullmatch(str(cells[i]).strip()):
                self.error(i, column, f"{cells[i]!r} is not a finite number; {hint}")
            else:
                self.error(i, column, f"cannot read {cells[i]!r} as a number; {hint}")
        for i in np.flatnonzero(overflow):
            self.error(i, column, f"{cells[i]!r} is not a finite number; {hint}")
        values[overflow] = np.nan
        return values * scale if scale != 1.0 else values

    def check(
        self,
        values: np.ndarray,
        text: pd.Series,
        column: str,
        bounds: Bounds,
        *,
        rows: np.ndarray | None = None,
        required: bool = False,
        missing_fix: str = "",
    ) -> None:
        """Check parsed numbers against ``bounds`` (on ``rows`` only, when given).

        With ``required``, a missing cell on those rows is a problem too.
        """
        cells = text.to_numpy(dtype=object)
        sel = np.ones(len(values), dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
        rule = bounds.describe()
        record = self.kept.append if bounds.warn_only else self.soft.append
        for mask, what in bounds.violations(np.where(sel, values, np.nan)):
            for i in np.flatnonzero(mask):
                record(f"{self.where(i, column)}: {cells[i]!r} is {what}; expected {rule}")
        if required:
            self.missing(values, text, column, sel, fix=missing_fix or f"give {bounds.hint}")

    def missing(
        self, values: np.ndarray, text: pd.Series, column: str, rows: np.ndarray, *, fix: str
    ) -> None:
        """Record missing (NaN, not unreadable) cells on ``rows`` as problems."""
        cells = text.to_numpy(dtype=object)
        for i in np.flatnonzero(rows & np.isnan(values)):
            if (int(i), column) in self._unreadable:
                continue
            what = "blank" if str(cells[i]).strip() == "" else f"{cells[i]!r} is not a value"
            self.soft.append(f"{self.where(i, column)}: {what}; {fix}")

    # --------------------------------------------------------------- dates
    def dates(
        self,
        text: pd.Series,
        column: str,
        *,
        layouts: Sequence[str] = ("iso",),
        missing: frozenset[str] | set[str] = MISSING,
        one_layout: bool = False,
        required: np.ndarray | bool = False,
        fix: str = "",
    ) -> np.ndarray:
        """Parse a column of dates with :func:`~etfcore.bonds.dates.to_days`.

        Returns ``datetime64[D]`` values (NaT where missing). A cell must have one of
        ``layouts``; with ``one_layout`` every cell must have the layout of the first
        one. ``required`` (a bool or a row mask): a missing cell there is a problem.
        """
        cells = text.to_numpy(dtype=object)
        n = len(cells)
        out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        is_missing = text.isin(missing).to_numpy()
        names = " or ".join(LAYOUTS[k][1] for k in layouts)
        iso = np.full(n, None, dtype=object)
        layout_of = np.full(n, -1)
        for k, key in enumerate(layouts):
            pattern = LAYOUTS[key][0]
            todo = (layout_of < 0) & ~is_missing
            if not todo.any():
                break
            sub = text[todo]
            hit = sub.str.fullmatch(pattern.pattern).fillna(False).to_numpy(dtype=bool)
            idx = np.flatnonzero(todo)[hit]
            layout_of[idx] = k
            if key in ("mdy", "mdy2"):
                parts = sub[hit].str.extract(pattern.pattern).astype(int).to_numpy()
                year = parts[:, 2]
                if key == "mdy2":  # as strptime's %y: 69-99 -> 19xx, 00-68 -> 20xx
                    year = np.where(year >= 69, 1900 + year, 2000 + year)
                month, day = parts[:, 0], parts[:, 1]
                iso[idx] = [
                    f"{y:04d}-{m:02d}-{d:02d}" for m, d, y in zip(month, day, year, strict=True)
                ]
            else:
                iso[idx] = cells[idx]
        hint = f"; {fix}" if fix else ""
        for i in np.flatnonzero((layout_of < 0) & ~is_missing):
            self.error(i, column, f"{cells[i]!r} is not a {names} date{hint}")
        if one_layout:
            present = np.flatnonzero(layout_of >= 0)
            if len(present):
                first = present[0]
                name = LAYOUTS[layouts[layout_of[first]]][1]
                for i in present[layout_of[present] != layout_of[first]]:
                    self.error(
                        i,
                        column,
                        f"{cells[i]!r} is not a date in this file's layout ({name}, as on "
                        f"{self.labels[first]}){hint}",
                    )
                    layout_of[i] = -1
        ok = np.flatnonzero(layout_of >= 0)
        if len(ok):
            unique, inverse = np.unique(iso[ok].astype(str), return_inverse=True)
            try:
                days = to_days(pd.Series(unique, dtype=object), column)
            except InputError:
                days = np.empty(len(unique), dtype=np.int64)
                bad = np.zeros(len(unique), dtype=bool)
                for j, value in enumerate(unique):
                    try:
                        days[j] = to_day(str(value), column)
                    except InputError:
                        bad[j] = True
                for i in ok[bad[inverse]]:
                    self.error(i, column, f"{cells[i]!r} is not a date{hint}")
                keep = ~bad[inverse]
                ok, inverse = ok[keep], inverse[keep]
            out[ok] = np.asarray(days, dtype=np.int64)[inverse].astype("datetime64[D]")
        rows = np.broadcast_to(np.asarray(required, dtype=bool), (n,))
        for i in np.flatnonzero(rows & is_missing):
            what = "blank" if str(cells[i]).strip() == "" else f"{cells[i]!r} is not a date"
            self.soft.append(f"{self.where(i, column)}: {what}; give a {names} date")
        return out

    # --------------------------------------------------------------- the end
    def finish(self, title: str, *, stacklevel: int = 3) -> None:
        """Raise one error for every problem recorded, or warn about what was kept.

        Raises
        ------
        InputError
            Listing the unreadable cells and, when ``strict``, the out-of-range and
            missing ones.

        Warns
        -----
        DataWarning
            With ``strict=False``, naming each out-of-range or missing cell kept; and
            for values outside a ``warn_only`` range, kept as read.
        """
        problems = self.errors + (self.soft if self.strict else [])
        if problems:
            hint = (
                " (strict=False keeps the values out of range or missing, with a DataWarning)"
                if self.soft
                else ""
            )
            raise InputError.from_problems(f"{self.file}: {title}{hint}", _listing(problems))
        if self.soft:
            warnings.warn(
                f"{self.file}: kept {len(self.soft)} value(s) outside their plausible range or "
                "missing, as read (strict=False; blanks are NaN):\n  - "
                + "\n  - ".join(_listing(self.soft)),
                DataWarning,
                stacklevel=stacklevel,
            )
        if self.kept:
            warnings.warn(
                f"{self.file}: {len(self.kept)} value(s) look implausible; kept as read:\n  - "
                + "\n  - ".join(_listing(self.kept)),
                DataWarning,
                stacklevel=stacklevel,
            )


def read_csv_text(path: str | Path, what: str) -> pd.DataFrame:
    r"""Every cell of a plain CSV file as text (nothing converted, nothing dropped).

    Raises
    ------
    InputError
        If the file is empty, not a readable CSV, or a row has more fields than the
        header (which pandas would shift silently): see :func:`check_field_counts`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "t.csv")
    ...     _ = path.write_text("Date,DGS10\n2020-01-02,\n")
    ...     read_csv_text(path, "read_fred_series").to_numpy().tolist()
    [['2020-01-02', '']]
    """
    path = Path(path)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skipinitialspace=True,
                encoding="utf-8-sig",
                index_col=False,
            )
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{what}: {path.name} is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{what}: {path.name} is not a readable CSV file ({exc})") from exc
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        check_field_counts(path, what)  # names the lines; pandas' warning does not
        raise InputError(f"{what}: {path.name}: {caught[0].message}")  # pragma: no cover
    return frame


def check_field_counts(path: str | Path, what: str) -> None:
    r"""Raise if a line of a CSV has more fields than its header (a value with an unquoted comma).

    pandas would silently shift such a row (its first field becomes the index).

    Raises
    ------
    InputError
        Naming the file and each line with too many fields.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "t.csv")
    ...     _ = path.write_text("Date,10 Yr\n2020-01-02,1,88\n")
    ...     check_field_counts(path, "read_treasury_par_yields")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: read_treasury_par_yields: t.csv: rows with more fields than ...
      - line 2: 3 fields, but the header has 2; a value with a comma must be quoted ("1,234.50")
    """
    path = Path(path)
    problems = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        width = None
        for fields in reader:
            while fields and fields[-1].strip() == "":
                fields = fields[:-1]
            if width is None:
                width = len(fields)
                continue
            if len(fields) > width:
                problems.append(
                    f"line {reader.line_num}: {len(fields)} fields, but the header has {width}; "
                    'a value with a comma must be quoted ("1,234.50")'
                )
    if problems:
        raise InputError.from_problems(
            f"{what}: {path.name}: rows with more fields than the header", _listing(problems)
        )


def _listing(problems: list[str]) -> list[str]:
    if len(problems) > MAX_LISTED:
        return problems[:MAX_LISTED] + [f"... and {len(problems) - MAX_LISTED} more"]
    return list(problems)
