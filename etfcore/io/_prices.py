"""Readers for ETF market data: daily prices (OHLCV) and shares outstanding.

* :func:`read_etf_prices` -- a Yahoo-style daily price file, in either of its two layouts:
  ``Date,Open,High,Low,Close,Adj Close,Volume`` (the classic download: ``Close`` is the
  **unadjusted** market close, ``Adj Close`` is adjusted for dividends) or
  ``Date,Close,High,Low,Open,Volume`` (yfinance with ``auto_adjust``: every price is
  **dividend-adjusted**). The premium or discount to NAV needs the unadjusted close: the
  official NAV is not adjusted for past dividends, so an adjusted close is below NAV by the
  dividends paid since (LQD: several percent over a few years).
* :func:`read_shares_outstanding` -- a long ``date,ticker,shares[,price]`` file of shares
  outstanding, one row per fund and date.

The NAV history has its own reader, :func:`etfcore.io.read_nav_history`.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataWarning, InputError, describe_rows
from ._cells import Bounds, CellLog, read_csv_text

__all__ = [
    "PRICE_BOUNDS",
    "SHARES_BOUNDS",
    "VOLUME_BOUNDS",
    "read_etf_prices",
    "read_shares_outstanding",
]

#: A price per share must be positive; above 1,000,000 USD it is a typo (or a bad scale).
PRICE_BOUNDS = Bounds(0.0, 1e6, lower_open=True, hint="a price per share in USD")
#: A traded volume is a whole number of shares, zero or more (futures often report 0).
VOLUME_BOUNDS = Bounds(0.0, integer=True, hint="a volume in shares")
#: Shares outstanding: a positive whole number, below a trillion.
SHARES_BOUNDS = Bounds(0.0, 1e12, lower_open=True, integer=True, hint="a number of shares")

#: Cells meaning "no value" (Yahoo writes ``null`` on days without a price).
_MISSING = frozenset({"", "null"})
#: ``2020-03-19``, or the same day at midnight as pandas and yfinance write it
#: (``2020-03-19 00:00:00``, ``2020-03-19T00:00:00-04:00``).
_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_DATE_FIX = "give the date as YYYY-MM-DD (a time, if any, must be 00:00:00: the file is daily)"
_PRICE_NAMES = {
    "open": "open",
    "high": "high",
    "low": "low",
    "close": "close",
    "adj close": "adj_close",
    "adj_close": "adj_close",
    "adjclose": "adj_close",
    "adjusted close": "adj_close",
}
_VOLUME_NAMES = {"volume": "volume", "vol": "volume"}


def _strip_midnight(text: pd.Series) -> pd.Series:
    """``2020-03-19 00:00:00`` -> ``2020-03-19``; anything else is left for the date check."""
    match = text.str.fullmatch(_MIDNIGHT.pattern).fillna(False).astype(bool)
    out = text.copy()
    out[match] = text[match].str.slice(0, 10)
    return out


def read_etf_prices(
    path: str | os.PathLike[str],
    *,
    close_adjusted: bool | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    r"""Read a daily price file of an ETF (or a future or an index): date, OHLC, volume.

    Parameters
    ----------
    path : path-like
        A CSV with a ``Date`` column and any of ``Open``, ``High``, ``Low``, ``Close``,
        ``Adj Close`` and ``Volume`` (any case and order; ``Close`` is required; other
        columns are ignored), such as
        ``etf_ohlcv_2016-04_2021-04_unadjusted_close/LQD.csv``.
    close_adjusted : bool, optional
        Whether the file's ``Open``/``High``/``Low``/``Close`` are dividend-adjusted. By
        default inferred from the layout: a file with an ``Adj Close`` column has
        unadjusted prices next to it (Yahoo's download); a file without one is taken as
        yfinance's ``auto_adjust`` layout, whose prices are all adjusted. Pass ``False``
        for a file without ``Adj Close`` whose prices are not adjusted (futures, yield
        indices, a broker's closes).
    strict : bool
        A price outside :data:`PRICE_BOUNDS` (zero, negative, absurdly large), a volume
        that is negative or fractional, a high below the low, or a blank price on a row
        that has others is an error; with ``strict=False`` the values are kept as read
        (blanks as NaN) and one :class:`~etfcore.DataWarning` names each cell.

    Returns
    -------
    pandas.DataFrame
        Indexed by an ascending ``DatetimeIndex`` named ``"date"``. The column names say
        which prices they are: ``open``, ``high``, ``low``, ``close`` are market prices as
        traded (**unadjusted**), ``adj_open``, ``adj_high``, ``adj_low``, ``adj_close``
        are dividend-adjusted; ``volume`` in shares (float, so that a blank is NaN). Only
        the columns the file has are present. ``attrs["source"]`` is the file name and
        ``attrs["close_adjusted"]`` whether the file's prices were adjusted.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    InputError
        If the file lacks a date or a close column, has a row with extra fields, a date
        that cannot be read (``YYYY-MM-DD``, optionally ``00:00:00``, or
        ``MM/DD/YYYY``; one layout per file), a price or volume that is not a finite
        number (``n/a``, ``inf``), a date twice, or (``strict``) a value out of range --
        naming the file, the line, the column and the value of every bad cell at once.

    Warns
    -----
    DataWarning
        When rows with a date but no value at all (Yahoo's ``null`` rows) are dropped,
        listing their dates; with ``strict=False``, naming each value kept out of range.

    Notes
    -----
    **Premium/discount needs the unadjusted close.** The official NAV of a fund is not
    adjusted for the dividends it has paid, so the premium is ``close / nav - 1`` with the
    market ``close``; an ``adj_close`` is lower than the price traded by the dividends
    paid after that day, and its "premium" drifts down by the fund's yield each year.
    The ``etf_futures_daily_yfinance_adjusted_2002-2026`` files are adjusted (use them for
    total returns, not for premia); the ``etf_ohlcv_2016-04_2021-04_unadjusted_close``
    files carry both.

    A close outside the day's low-high range is kept as read: Yahoo's continuous futures
    settle outside the traded range on some days. Dates are read by
    :func:`etfcore.bonds.dates.to_days`; a daily file must not carry a time other than
    midnight.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = ("Date,Open,High,Low,Close,Adj Close,Volume\n"
    ...         "2020-03-19 00:00:00,108.0,108.5,103.1,105.05,98.1,60000000\n"
    ...         "2020-03-18 00:00:00,112.0,112.3,107.0,107.37,100.2,50000000\n")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "LQD.csv")
    ...     _ = path.write_text(text)
    ...     prices = read_etf_prices(path)
    >>> list(prices.columns), prices.attrs["close_adjusted"]
    (['open', 'high', 'low', 'close', 'adj_close', 'volume'], False)
    >>> [f"{d:%Y-%m-%d}" for d in prices.index], prices["close"].tolist()
    (['2020-03-18', '2020-03-19'], [107.37, 105.05])

    A yfinance ``auto_adjust`` file has adjusted prices only:

    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "LQD.csv")
    ...     _ = path.write_text("Date,Close,High,Low,Open,Volume\n2020-03-19,98.1,99,97,98,1\n")
    ...     list(read_etf_prices(path).columns)
    ['adj_open', 'adj_high', 'adj_low', 'adj_close', 'volume']
    """
    what = "read_etf_prices"
    path = Path(path)
    file = path.name
    if not path.is_file():
        raise FileNotFoundError(f"{what}: no file at {str(path)!r}")
    raw = read_csv_text(path, what)
    by_name = {str(c).strip().lower(): c for c in raw.columns}
    date_col = by_name.get("date")
    found = {_PRICE_NAMES[k]: c for k, c in by_name.items() if k in _PRICE_NAMES}
    order: tuple[str, ...] = ("open", "high", "low", "close", "adj_close")
    prices: dict[str, str] = {n: found[n] for n in order if n in found}
    volume: dict[str, str] = {_VOLUME_NAMES[k]: c for k, c in by_name.items() if k in _VOLUME_NAMES}
    if date_col is None or "close" not in prices:
        raise InputError(
            f"{what}: {file} needs a Date and a Close column, has {list(raw.columns)}; "
            "is this a daily price file?"
        )
    if close_adjusted is None:
        close_adjusted = "adj_close" not in prices
    elif close_adjusted and "adj_close" in prices:
        raise InputError(
            f"{what}: {file} has both Close and Adj Close, so its Close is the unadjusted "
            "market close; close_adjusted=True contradicts the file: leave it out"
        )
    columns = [date_col, *prices.values(), *volume.values()]
    raw = raw[columns].apply(lambda col: col.str.strip())
    raw = raw.loc[~(raw == "").all(axis=1)]
    log = CellLog(file, [f"line {i + 2}" for i in raw.index], strict=strict)
    date_text = raw[date_col]
    days = log.dates(
        _strip_midnight(date_text),
        date_col,
        layouts=("iso", "mdy"),
        missing=frozenset({""}),
        one_layout=True,
        required=True,
        fix=_DATE_FIX,
    )
    values: dict[str, np.ndarray] = {}
    for name, column in prices.items():
        text = raw[column]
        values[name] = log.numbers(text, column, missing=_MISSING, thousands=True)
        log.check(values[name], text, column, PRICE_BOUNDS)
    for name, column in volume.items():
        text = raw[column]
        values[name] = log.numbers(text, column, missing=_MISSING, thousands=True)
        log.check(values[name], text, column, VOLUME_BOUNDS)

    price_block = np.column_stack([values[name] for name in prices])
    empty = np.isnan(price_block).all(axis=1)  # a null row: dropped with a warning
    for name, column in prices.items():  # a blank price on a row that has prices
        log.missing(
            values[name],
            raw[column],
            column,
            ~empty,
            fix=f"give {PRICE_BOUNDS.hint}, or blank the whole row",
        )
    if "high" in prices and "low" in prices:
        below = values["high"] < values["low"]
        for i in np.flatnonzero(below):
            log.out_of_range(
                i,
                prices["high"],
                f"{raw[prices['high']].iloc[i]!r} is below the low "
                f"{raw[prices['low']].iloc[i]!r}; swap or fix them",
            )
    index = pd.DatetimeIndex(days.astype("datetime64[ns]"), name="date")
    duplicated = index.duplicated(keep=False) & ~np.isnat(days)
    for i in np.flatnonzero(duplicated):
        log.error(
            i, date_col, f"{date_text.iloc[i]!r} appears more than once; keep one row per date"
        )
    log.finish("values that cannot be read or are out of range")

    prefix = "adj_" if close_adjusted else ""
    names = {name: (name if name.startswith("adj_") else prefix + name) for name in prices}
    frame = pd.DataFrame({names[n]: values[n] for n in prices}, index=index)
    for name in volume:
        frame[name] = values[name]
    if empty.any():
        dropped = [f"{d:%Y-%m-%d}" for d in index[empty]]
        warnings.warn(
            f"{what}: {file}: dropped {len(dropped)} row(s) with a date but no price: "
            + describe_rows("dates", dropped),
            DataWarning,
            stacklevel=2,
        )
        frame = frame.loc[~empty]
    frame = frame.sort_index()
    frame.attrs["source"] = file
    frame.attrs["close_adjusted"] = bool(close_adjusted)
    return frame


def read_shares_outstanding(path: str | os.PathLike[str], *, strict: bool = True) -> pd.DataFrame:
    r"""Read a file of ETF shares outstanding: one row per ticker and date.

    Parameters
    ----------
    path : path-like
        A CSV with columns ``date``, ``ticker`` and ``shares`` (or
        ``shares_outstanding``), and optionally ``price``, in any case and order, such
        as ``etf_shares_outstanding_2025-2026.csv``.
    strict : bool
        A share count outside :data:`SHARES_BOUNDS` (zero, negative, fractional) or
        blank, or a price outside :data:`PRICE_BOUNDS`, is an error; with
        ``strict=False`` the values are kept as read (blanks as NaN) and one
        :class:`~etfcore.DataWarning` names each cell.

    Returns
    -------
    pandas.DataFrame
        Indexed by a ``(ticker, date)`` MultiIndex (tickers upper case, dates as
        Timestamps), sorted, with columns ``shares`` (float, so a blank kept with
        ``strict=False`` is NaN) and ``price`` (USD, NaN where blank or absent). One
        fund's series is ``frame.loc["LQD", "shares"]``. ``attrs["source"]`` is the
        file name.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    InputError
        If a required column is missing, a ticker is blank, a date cannot be read
        (``YYYY-MM-DD`` or ``MM/DD/YYYY``, one layout per file), a number is not finite,
        a ticker has a date twice, or (``strict``) a value is out of range -- naming
        the file, the line, the column and the value of every bad cell at once.

    Warns
    -----
    DataWarning
        With ``strict=False``, naming each value kept out of range or blank.

    Notes
    -----
    Dates are kept as read, weekends included (the 2025-2026 file has a Saturday,
    2026-03-28, repeating the next Monday's count): align them with a price or NAV series
    before differencing. The change in shares outstanding times NAV is the fund's net
    creation (+) or redemption (-) in USD.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = ("date,ticker,shares,price\n"
    ...         "2026-03-31,LQD,271400000,108.94\n2026-04-01,lqd,265300000,\n"
    ...         "2026-03-31,HYG,180000000,80.1\n")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "shares.csv")
    ...     _ = path.write_text(text)
    ...     shares = read_shares_outstanding(path)
    >>> lqd = shares.loc["LQD"]
    >>> [f"{d:%Y-%m-%d}" for d in lqd.index], (lqd["shares"] / 1e6).tolist()
    (['2026-03-31', '2026-04-01'], [271.4, 265.3])
    """
    what = "read_shares_outstanding"
    path = Path(path)
    file = path.name
    if not path.is_file():
        raise FileNotFoundError(f"{what}: no file at {str(path)!r}")
    raw = read_csv_text(path, what)
    by_name = {str(c).strip().lower(): c for c in raw.columns}
    shares_col = by_name.get("shares", by_name.get("shares_outstanding"))
    needed = {"date": by_name.get("date"), "ticker": by_name.get("ticker"), "shares": shares_col}
    absent = [k for k, v in needed.items() if v is None]
    if absent:
        raise InputError(
            f"{what}: {file} lacks column(s) {absent}; found {list(raw.columns)}. A shares "
            "outstanding file has date, ticker, shares and optionally price"
        )
    date_col, ticker_col = str(needed["date"]), str(needed["ticker"])
    shares_name = str(shares_col)
    price_col = by_name.get("price")
    keep = [date_col, ticker_col, shares_name] + ([price_col] if price_col is not None else [])
    raw = raw[keep].apply(lambda col: col.str.strip())
    raw = raw.loc[~(raw == "").all(axis=1)]
    if raw.empty:
        raise InputError(f"{what}: {file} has a header but no rows")
    log = CellLog(file, [f"line {i + 2}" for i in raw.index], strict=strict)
    ticker = raw[ticker_col].str.upper()
    for i in np.flatnonzero(ticker.eq("").to_numpy()):
        log.error(i, ticker_col, "blank; give every row its fund's ticker")
    days = log.dates(
        raw[date_col],
        date_col,
        layouts=("iso", "mdy"),
        missing=frozenset({""}),
        one_layout=True,
        required=True,
    )
    shares = log.numbers(raw[shares_name], shares_name, missing=_MISSING, thousands=True)
    log.check(shares, raw[shares_name], shares_name, SHARES_BOUNDS, required=True)
    if price_col is not None:
        price = log.numbers(raw[price_col], price_col, missing=_MISSING, thousands=True)
        log.check(price, raw[price_col], price_col, PRICE_BOUNDS)
    else:
        price = np.full(len(raw), np.nan)
    dates = pd.DatetimeIndex(days.astype("datetime64[ns]"))
    key = pd.MultiIndex.from_arrays([ticker.to_numpy(), dates], names=["ticker", "date"])
    duplicated = key.duplicated(keep=False) & ~np.isnat(days) & ticker.ne("").to_numpy()
    for i in np.flatnonzero(duplicated):
        log.error(
            i,
            date_col,
            f"{ticker.iloc[i]} on {raw[date_col].iloc[i]!r} appears more than once; "
            "keep one row per ticker and date",
        )
    log.finish("values that cannot be read or are out of range")
    frame = pd.DataFrame({"shares": shares, "price": price}, index=key).sort_index()
    frame.attrs["source"] = file
    return frame
