"""The report's inputs: checked paths, the curve file, the market and the basket.

Every problem with a file is an :class:`~etfcore.InputError` whose message starts with
the file's path and says what is wrong, so the command line can print it as one line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["check_file", "name_file", "out_dir", "read_curve_file", "ticker_from_path"]

#: Columns of a zero-curve CSV (the alternative to a Treasury par-yield file).
ZERO_CURVE_COLUMNS = ("tenor_years", "zero_rate")


def check_file(path: str | os.PathLike[str], what: str) -> Path:
    """``path`` as a Path if it is a readable file, else an InputError naming it.

    Examples
    --------
    >>> check_file("/no/such/basket.csv", "basket")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: /no/such/basket.csv: no such file (the basket)
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file (the {what})")
    if not p.is_file():
        raise InputError(f"{p}: is not a file (the {what}); give a CSV file")
    if not os.access(p, os.R_OK):
        raise InputError(f"{p}: cannot be read (permission denied; the {what})")
    return p


def name_file(error: InputError, path: Path) -> InputError:
    """The error's message with the file's full path in it (readers name the base name).

    Examples
    --------
    >>> str(name_file(InputError("b.csv: no rows"), Path("/data/b.csv")))
    '/data/b.csv: no rows'
    >>> str(name_file(InputError("no rows"), Path("/data/b.csv")))
    '/data/b.csv: no rows'
    """
    text = str(error)
    if str(path) in text:
        return error
    if path.name in text:
        return InputError(text.replace(path.name, str(path), 1))
    return InputError(f"{path}: {text}")


def out_dir(path: str | os.PathLike[str]) -> Path:
    """Create the output directory (and its parents); InputError if it cannot be.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     print(out_dir(pathlib.Path(tmp, "a", "b")).is_dir())
    True
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputError(f"{p}: exists and is not a directory; give a directory for the report")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{p}: cannot create the report directory ({exc.strerror or exc})"
        ) from None
    if not os.access(p, os.W_OK):
        raise InputError(f"{p}: the report directory is not writable")
    return p


def ticker_from_path(path: str | os.PathLike[str]) -> str:
    """The fund's ticker from a holdings file name: ``lqd_holdings_2026-01.csv`` -> ``LQD``.

    Examples
    --------
    >>> ticker_from_path("data/lqd_holdings_2026-01_approx.csv")
    'LQD'
    >>> ticker_from_path("HYG-holdings.csv")
    'HYG'
    """
    stem = Path(path).name.split(".")[0]
    for sep in ("-", " "):
        stem = stem.replace(sep, "_")
    first = stem.split("_")[0].strip()
    return first.upper() if first.isalnum() and 1 <= len(first) <= 6 else "ETF"


def _first_line(path: Path) -> str:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            for line in fh:
                if line.strip():
                    return line.strip().lower()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    raise InputError(f"{path}: the file is empty; give a Treasury par-yield or zero-curve CSV")


def _read_zero_curve(path: Path, day: int) -> tuple[Any, str]:
    from .._validation import decimals
    from ..bonds.curves import ZeroCurve

    try:
        frame = pd.read_csv(path)
    except (UnicodeDecodeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: could not be read as a CSV ({first})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ZERO_CURVE_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"{path}: not a Treasury par-yield file (no 'Date' column) nor a zero-curve CSV: "
            f"a zero curve needs the columns {list(ZERO_CURVE_COLUMNS)} (years, decimal "
            f"continuously compounded rates); missing {missing}"
        )
    tenors = pd.to_numeric(frame["tenor_years"], errors="coerce").to_numpy(dtype=float)
    rates = pd.to_numeric(frame["zero_rate"], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(tenors) | ~np.isfinite(rates))
    if bad.size:
        raise InputError(
            f"{path}: line(s) {[int(i) + 2 for i in bad[:10]]} have a tenor or zero rate "
            "that is not a number"
        )
    try:
        decimals(rates, "zero_rate", limit=1.0, labels=[f"line {i + 2}" for i in range(rates.size)])
        curve = ZeroCurve(day, tenors, rates)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    return curve, f"zero curve from {path.name} ({tenors.size} tenors)"


def read_curve_file(path: str | os.PathLike[str], day: int) -> tuple[Any, str]:
    r"""The Treasury zero curve of ``day`` from a par-yield file or a zero-curve CSV.

    Parameters
    ----------
    path : path-like
        A US Treasury daily par yield file (read by
        :func:`etfcore.io.read_treasury_par_yields`; the latest date on or before ``day``
        is fitted with :func:`etfcore.fit_nss` and moved to ``day``), or a CSV with the
        columns ``tenor_years`` and ``zero_rate`` (decimal, continuously compounded).
    day : int
        The curve's reference date (a day number, see :mod:`etfcore.bonds.dates`).

    Returns
    -------
    curve : ZeroCurve
    source : str
        Where it came from.

    Raises
    ------
    InputError
        Naming the file: unreadable, no date on or before ``day``, bad cells.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from etfcore.bonds.dates import to_day
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "zero.csv")
    ...     _ = p.write_text("tenor_years,zero_rate\n1,0.04\n10,0.045\n")
    ...     curve, source = read_curve_file(p, to_day("2024-12-02"))
    >>> round(float(curve.zero_rate(10.0)), 4), source
    (0.045, 'zero curve from zero.csv (2 tenors)')
    """
    from ..bonds.curves import NSSCurve, fit_nss
    from ..bonds.dates import to_day, to_timestamps
    from ..io import read_treasury_par_yields

    p = check_file(path, "curve file")
    head = _first_line(p)
    if "zero_rate" in head or "tenor_years" in head or "date" not in head:
        return _read_zero_curve(p, day)
    try:
        par = read_treasury_par_yields(p)
    except InputError as exc:
        raise name_file(exc, p) from None
    when = to_timestamps(np.int64(day))
    before = par.loc[:when].dropna(how="all")
    if before.empty:
        span = f"{par.index[0]:%Y-%m-%d} to {par.index[-1]:%Y-%m-%d}" if len(par) else "no dates"
        raise InputError(
            f"{p}: no par yields on or before {when:%Y-%m-%d} (the file covers {span}); give "
            "a file that covers the as-of date or another --as-of"
        )
    date = before.index[-1]
    row = before.iloc[-1].dropna()
    try:
        fit = fit_nss(row.index.to_numpy(dtype=float), row.to_numpy(dtype=float), to_day(date))
    except (InputError, ArithmeticError) as exc:
        raise InputError(
            f"{p}: the par yields of {date:%Y-%m-%d} cannot be fitted ({exc})"
        ) from None
    nss = NSSCurve(day, *fit.curve.params.to_numpy())
    moved = "" if date == when else f", moved to {when:%Y-%m-%d}"
    return (
        nss.to_zero_curve(),
        f"NSS fit to the Treasury par yields of {date:%Y-%m-%d} in {p.name}{moved}",
    )
