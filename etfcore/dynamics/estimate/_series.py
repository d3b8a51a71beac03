"""Series at the boundary: dates, alignment, NaN gaps, and the premium in bp."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..._validation import show
from ...errors import DataWarning, InputError
from ._base import date_text

_ALIGN_NOTE = "pass dropna=True to keep only the dates every series has"


def as_series(values: Any, name: str) -> pd.Series:
    """``values`` as a float Series sorted by date; errors name the date and the value.

    A Series keeps its index, converted to dates unless it is whole numbers (positions,
    ``row i`` in messages); a one-column DataFrame is its column; an array gets
    positions 0..n-1. Duplicate dates and values that are not numbers are errors.
    """
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise InputError(
                f"{name}: expected one series, got a DataFrame with columns "
                f"{list(values.columns)}; pass one column, e.g. df['Close']"
            )
        values = values.iloc[:, 0]
    if isinstance(values, pd.Series):
        s = values.copy()
        if not isinstance(s.index, pd.DatetimeIndex) and not pd.api.types.is_integer_dtype(
            s.index.dtype
        ):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # "could not infer format"
                    s.index = pd.DatetimeIndex(pd.to_datetime(s.index))
            except (TypeError, ValueError):
                raise InputError(
                    f"{name}: the index must be dates; got {s.index[:3].tolist()}..."
                ) from None
        if isinstance(s.index, pd.DatetimeIndex):
            if s.index.tz is not None:
                s.index = s.index.tz_localize(None)
            s.index = s.index.as_unit("ns")
    else:
        try:
            arr = np.asarray(values, dtype=object).reshape(-1)
        except (TypeError, ValueError):
            raise InputError(f"{name}: expected a Series or numbers, got {values!r}") from None
        s = pd.Series(arr)
    numeric = pd.to_numeric(s, errors="coerce")
    bad = numeric.isna() & s.notna()
    if bad.any():
        k = s.index[bad.to_numpy()][0]
        raise InputError(f"{name}: {date_text(k)} has {show(s[k])}, which is not a number")
    s = numeric.astype(float)
    s.name = name
    dup = s.index.duplicated(keep=False)
    if dup.any():
        k = s.index[dup][0]
        vals = ", ".join(show(v) for v in s[s.index == k].to_numpy())
        raise InputError(
            f"{name}: date {date_text(k)} appears {int((s.index == k).sum())} times "
            f"(values {vals}); keep one row per date"
        )
    if not s.index.is_monotonic_increasing:
        s = s.sort_index()
    return s


def _check_values(s: pd.Series, name: str, positive: bool) -> None:
    v = s.to_numpy()
    bad = np.isinf(v)
    if positive:
        bad |= ~np.isnan(v) & (v <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        more = f" (and {int(bad.sum()) - 1} more)" if bad.sum() > 1 else ""
        what = "a finite number > 0" if positive else "a finite number"
        raise InputError(
            f"{name}: {date_text(s.index[i])} has {show(v[i])}; it must be {what}{more}"
        )


def align(
    series: Mapping[str, Any],
    *,
    dropna: bool = False,
    positive: Sequence[str] = (),
) -> pd.DataFrame:
    """Inner-align named series on their common date range, one column each.

    Dates outside the range every series covers are trimmed. Inside it, a date that one
    series lacks or holds as NaN is a gap: an InputError naming the series and the
    date, unless ``dropna=True``, which drops those dates with a
    :class:`~etfcore.DataWarning` saying how many and which. ``attrs["n_dropped"]``
    says how many were dropped.
    """
    cols = {k: as_series(v, k) for k, v in series.items()}
    kinds = {isinstance(s.index, pd.DatetimeIndex) for s in cols.values()}
    if len(kinds) > 1:
        raise InputError(
            f"{', '.join(cols)}: some are indexed by date and some by position; "
            "give them all a date index (or all as plain arrays of equal length)"
        )
    for k, s in cols.items():
        if len(s) == 0:
            raise InputError(f"{k}: the series is empty")
        _check_values(s, k, k in positive)
    if kinds == {False}:
        lengths = {k: len(s) for k, s in cols.items()}
        if len(set(lengths.values())) > 1:
            raise InputError(
                f"{', '.join(f'{k} has {n}' for k, n in lengths.items())} values; plain "
                "arrays are matched by position and must have the same length (or pass "
                "Series indexed by date)"
            )
    start = max(s.index[0] for s in cols.values())
    end = min(s.index[-1] for s in cols.values())
    if start > end:
        spans = "; ".join(
            f"{k} {date_text(s.index[0])} to {date_text(s.index[-1])}" for k, s in cols.items()
        )
        raise InputError(f"{', '.join(cols)}: the dates do not overlap ({spans})")
    trimmed = {k: s.loc[start:end] for k, s in cols.items()}
    index = trimmed[next(iter(trimmed))].index
    for s in trimmed.values():
        index = index.union(s.index)
    frame = pd.DataFrame({k: s.reindex(index) for k, s in trimmed.items()})
    gaps = frame.isna()
    if gaps.to_numpy().any():
        rows = gaps.any(axis=1)
        if not dropna:
            first = frame.index[rows.to_numpy()][0]
            col = next(k for k in frame.columns if gaps.loc[first, k])
            present = col in trimmed and first in trimmed[col].index
            what = "is NaN" if present else "has no value"
            others = [f"{k}={show(frame.loc[first, k])}" for k in frame.columns if k != col]
            n = int(rows.sum())
            raise InputError(
                f"{col}: {date_text(first)} {what} (the other series have "
                f"{', '.join(others)}); {n} date{'s' if n != 1 else ''} in "
                f"{date_text(start)} to {date_text(end)} have a gap; {_ALIGN_NOTE}"
            )
        dropped = frame.index[rows.to_numpy()]
        shown = ", ".join(date_text(d) for d in dropped[:5])
        more = f" and {len(dropped) - 5} more" if len(dropped) > 5 else ""
        warnings.warn(
            f"dropna=True: dropped {len(dropped)} date{'s' if len(dropped) != 1 else ''} "
            f"with a NaN or a missing value in {', '.join(frame.columns)} ({shown}{more})",
            DataWarning,
            stacklevel=3,
        )
        frame = frame.loc[~rows.to_numpy()]
        frame.attrs["n_dropped"] = len(dropped)
    else:
        frame.attrs["n_dropped"] = 0
    if isinstance(frame.index, pd.DatetimeIndex):
        frame.index.name = "date"
    return frame


def _price_frame(price: Any, nav: Any, bid: Any, ask: Any, dropna: bool) -> pd.DataFrame:
    if (bid is None) != (ask is None):
        raise InputError("bid, ask: give both (the premium uses their midpoint) or neither")
    if bid is not None:
        if price is not None:
            raise InputError(
                "price: give either price (a close) or bid and ask (their midpoint is the "
                "price), not both"
            )
        frame = align(
            {"bid": bid, "ask": ask, "nav": nav}, dropna=dropna, positive=("bid", "ask", "nav")
        )
        crossed = frame["bid"] > frame["ask"]
        if crossed.any():
            k = frame.index[crossed.to_numpy()][0]
            raise InputError(
                f"bid: {date_text(k)} has bid {show(frame.loc[k, 'bid'])} above ask "
                f"{show(frame.loc[k, 'ask'])}; check the quote columns"
            )
        out = pd.DataFrame({"price": (frame["bid"] + frame["ask"]) / 2.0, "nav": frame["nav"]})
        out.attrs["n_dropped"] = frame.attrs["n_dropped"]
        out.attrs["price"] = "bid/ask midpoint"
        return out
    if price is None:
        raise InputError("price: give the ETF's close (or bid and ask)")
    frame = align({"price": price, "nav": nav}, dropna=dropna, positive=("price", "nav"))
    frame.attrs["price"] = "close"
    return frame


def premium_discount(
    price: Any,
    nav: Any,
    *,
    bid: Any = None,
    ask: Any = None,
    dropna: bool = False,
) -> pd.Series:
    r"""The ETF's premium (+) or discount (-) to NAV in basis points, by date.

    Parameters
    ----------
    price : pandas.Series or array-like or None
        The ETF's market price (the close), by date. ``None`` when ``bid`` and ``ask``
        are given.
    nav : pandas.Series or array-like
        The fund's official NAV per share, by date.
    bid, ask : pandas.Series or array-like, optional
        The ETF's closing bid and ask; their midpoint is the price (then ``price`` must
        be ``None``).
    dropna : bool
        Drop the dates where a series is NaN or missing (with a
        :class:`~etfcore.DataWarning` saying how many and which) instead of raising.

    Returns
    -------
    pandas.Series
        ``premium_bp`` indexed by ``date``; ``attrs["price"]`` says which price was used
        (``"close"`` or ``"bid/ask midpoint"``), ``attrs["n_dropped"]`` how many dates
        ``dropna`` dropped.

    Raises
    ------
    InputError
        Duplicate dates, series that do not overlap, a gap (a date one series lacks or
        holds as NaN inside the common range, unless ``dropna=True``), a non-positive or
        infinite price or NAV, a bid above its ask -- naming the series, the date and
        the value.

    Notes
    -----
    ``premium_bp = 10,000 x (price / nav - 1)``: the close (or the bid/ask midpoint)
    against the official NAV struck the same day (for US bond ETFs a bid-side NAV, so a
    small premium is normal). Series are inner-aligned: dates outside the range all of
    them cover are trimmed; inside it every date must be in every series. Plain arrays
    are matched by position.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.bdate_range("2020-03-11", periods=3)
    >>> price = pd.Series([104.0, 100.0, 106.0], index=days)
    >>> nav = pd.Series([105.0, 105.0, 101.0], index=days)
    >>> premium_discount(price, nav).round(1).tolist()
    [-95.2, -476.2, 495.0]
    """
    frame = _price_frame(price, nav, bid, ask, dropna)
    out = (1e4 * (frame["price"] / frame["nav"] - 1.0)).rename("premium_bp")
    out.attrs = {"price": frame.attrs["price"], "n_dropped": frame.attrs["n_dropped"]}
    return out


def premium_input(premium_bp: Any, name: str = "premium_bp", dropna: bool = False) -> pd.Series:
    """A premium Series (bp) checked for finite values; NaN gaps raise or drop."""
    frame = align({name: premium_bp}, dropna=dropna)
    s = frame[name]
    s.attrs = {"n_dropped": frame.attrs["n_dropped"]}
    return s


__all__ = ["premium_discount"]
