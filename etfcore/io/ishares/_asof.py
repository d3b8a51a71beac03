"""The settlement (as-of) date of a holdings file, from its bonds' accrued interest.

Every bond's schedule comes from the bond layer (:meth:`etfcore.BondSet.cashflows`,
the readings of :mod:`._conventions`) and every day count from
:func:`etfcore.year_fraction`; nothing here re-implements 30/360 or month rolls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..._results import frame_copy, make_summary
from ...errors import InputError
from ._conventions import _candidate_bonds, _day_counts, _is_month_end, _Rolls
from ._parse import FIXED_INCOME

__all__ = ["AsOfInference", "days360_us", "infer_as_of_date"]

_SPAN = np.int64(2**33)
_SHIFT = np.int64(2**31)
_CHUNK = 400_000  # candidate-days per block of the residual computation


def days360_us(start: Any, end: Any) -> np.ndarray:
    """Return 30/360 US day counts between dates (vectorised).

    Parameters
    ----------
    start, end
        Arrays (or scalars) of dates, broadcast together.

    Returns
    -------
    numpy.ndarray
        ``int64`` days: 360 times the ``"30/360 US"`` year fraction of
        :func:`etfcore.year_fraction` (the bond layer's day count).

    Notes
    -----
    The rules of :mod:`etfcore.bonds.conventions` (``30/360 US``), in order: if the
    start is the last day of February, the start day is 30, and if the end is
    also the last day of February, the end day is 30; then if the end day is 31
    and the start day is 30 or 31, the end day is 30; if the start day is 31 it
    is 30.

    Examples
    --------
    >>> int(days360_us(np.datetime64("2025-11-15"), np.datetime64("2026-01-06")))
    51
    """
    from ...bonds.pricing import year_fraction

    s = np.asarray(start, dtype="datetime64[D]")
    e = np.asarray(end, dtype="datetime64[D]")
    s, e = np.broadcast_arrays(s, e)
    fraction = year_fraction(s.ravel().astype(np.int64), e.ravel().astype(np.int64), "30/360 US")
    return np.rint(fraction * 360.0).astype(np.int64).reshape(s.shape)


@dataclass(frozen=True, eq=False, repr=False)
class AsOfInference:
    """The settlement date implied by the accrued interest in a holdings file.

    Attributes
    ----------
    settlement_date
        The date on which the most bonds' accrued interest matches the file's
        (market value / par x 100 - price).
    agreement
        Share of the bonds used whose accrued interest at ``settlement_date`` is
        within one day of accrual of the file's.
    candidates
        For each candidate date, the number of bonds whose accrued interest points
        to it (value counts, most common first).
    n_bonds
        Bonds used (semiannual fixed-rate rows with a coupon, a price, a par and a
        maturity).
    residual_days
        Per bond (by id): the file's accrued minus the model's at
        ``settlement_date``, in days of accrual.
    window
        The first and last dates searched.
    trade_date
        The US government-bond business day before ``settlement_date`` (T+1).

    Examples
    --------
    >>> result = AsOfInference(pd.Timestamp("2025-12-18"), 0.99, pd.Series(
    ...     [2970, 12], index=pd.to_datetime(["2025-12-18", "2026-06-18"])), 3002)
    >>> result
    AsOfInference(settlement_date=2025-12-18, agreement=0.990, n_bonds=3002)
    >>> "2025-12-18" in str(result.summary())
    True
    """

    settlement_date: pd.Timestamp
    agreement: float
    candidates: pd.Series
    n_bonds: int
    residual_days: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    trade_date: pd.Timestamp | None = None

    def summary(self) -> Any:
        """The inferred date, its support and the runners-up, as a statsmodels ``Summary``.

        Returns
        -------
        statsmodels.iolib.summary2.Summary
            Prints as text, renders as HTML in Jupyter.

        Examples
        --------
        >>> result = AsOfInference(pd.Timestamp("2025-12-18"), 0.99, pd.Series(
        ...     [2970], index=pd.to_datetime(["2025-12-18"])), 3002)
        >>> print(result.summary())  # doctest: +ELLIPSIS
        As-of date inferred from accrued interest...
        """
        noise = self.residual_days.abs()
        window = f"{self.window[0]:%Y-%m-%d} .. {self.window[1]:%Y-%m-%d}" if self.window else ""
        facts = {
            "settlement date": f"{self.settlement_date:%Y-%m-%d}",
            "trade date (T+1)": f"{self.trade_date:%Y-%m-%d}" if self.trade_date else "",
            "bonds used": int(self.n_bonds),
            "agreement (within 1 day)": f"{self.agreement:.1%}",
            "median |residual| (days)": f"{noise.median():.2f}" if len(noise) else "",
            "95% |residual| (days)": f"{noise.quantile(0.95):.2f}" if len(noise) else "",
            "window searched": window,
        }
        top = self.candidates.head(5)
        runners = pd.DataFrame(
            {"bonds": top.to_numpy()},
            index=[f"{d:%Y-%m-%d}" for d in top.index],
        )
        return make_summary(
            "As-of date inferred from accrued interest (semiannual coupons)",
            [facts, runners],
            [
                "Top candidate dates by the number of bonds whose accrued interest points to "
                "them; dates six months apart fit seasoned bonds alike, so recent issues and "
                "the window start decide."
            ],
        )

    def to_frame(self) -> pd.DataFrame:
        """The candidate dates and their support, a copy.

        Examples
        --------
        >>> result = AsOfInference(pd.Timestamp("2025-12-18"), 0.99, pd.Series(
        ...     [2970], index=pd.to_datetime(["2025-12-18"])), 3002)
        >>> result.to_frame()["bonds"].tolist()
        [2970]
        """
        frame = self.candidates.rename("bonds").to_frame()
        frame.index.name = "settlement_date"
        return frame_copy(frame)

    def __repr__(self) -> str:
        return (
            f"AsOfInference(settlement_date={self.settlement_date:%Y-%m-%d}, "
            f"agreement={self.agreement:.3f}, n_bonds={self.n_bonds})"
        )


def infer_as_of_date(
    holdings: pd.DataFrame,
    *,
    earliest: Any = None,
    latest: Any = None,
    tolerance_days: float = 1.0,
) -> AsOfInference:
    """Infer the settlement date of a holdings file from its bonds' accrued interest.

    For each semiannual fixed-rate bond the file gives ``accrued = market value /
    par x 100 - price`` (per 100 face). The bond layer gives the accrued interest
    on each day ``s`` of a window (``coupon x 100 x year_fraction(accrual start,
    s)`` over the coupon period containing ``s``, 30/360 US for corporates). Each
    bond gives one candidate date per coupon period (the day whose accrued is
    closest to the file's); the settlement date is the candidate most bonds share.

    Parameters
    ----------
    holdings
        The ``holdings`` frame of :func:`read_ishares_holdings`.
    earliest, latest
        The dates to search. By default from the latest ``accrual_date`` /
        ``effective_date`` of the bonds (nothing in the file starts after its
        as-of date) to the day before the earliest maturity, at most 3 years.
    tolerance_days
        A bond agrees with a date when its accrued interest there is within this
        many days of accrual of the file's.

    Returns
    -------
    AsOfInference

    Raises
    ------
    InputError
        If the frame lacks the columns needed, or has no usable bond.

    Notes
    -----
    Prices in iShares files are rounded to 2 decimals, so one bond's accrued is
    known to +-0.005 per 100: +-0.36 day of accrual for a 5% coupon, +-1.8 days
    for 1%. Several schedule readings are tried per bond and the closest kept per
    day: the accrual date as the issue date with a short or a long first coupon,
    and, for month-end maturities, the end-of-month rule on or off (the readings
    of :func:`infer_schedule_conventions`). The settlement date is T+1 from the
    file's as-of (trade) date.

    Examples
    --------
    Two bonds whose accrued interest (1.875 and 0.6 per 100: 108 and 48 days of
    30/360 accrual since their June 15 and August 15 coupons) both point to 2025-10-03:

    >>> holdings = pd.DataFrame(
    ...     {
    ...         "asset_class": "Fixed Income",
    ...         "market_value_usd": [10_187_500.0, 10_060_000.0],
    ...         "par_value_usd": [10_000_000.0, 10_000_000.0],
    ...         "price": [100.0, 100.0],
    ...         "coupon_rate": [0.0625, 0.045],
    ...         "maturity_date": pd.to_datetime(["2030-06-15", "2031-08-15"]),
    ...     },
    ...     index=["A", "B"],
    ... )
    >>> result = infer_as_of_date(holdings, earliest="2025-09-20", latest="2025-12-01")
    >>> f"{result.settlement_date:%Y-%m-%d}", result.n_bonds
    ('2025-10-03', 2)
    """
    from ...bonds.bondset import MAX_COUPON_RATE

    needed = [
        "asset_class",
        "market_value_usd",
        "par_value_usd",
        "price",
        "coupon_rate",
        "maturity_date",
    ]
    missing = [c for c in needed if c not in holdings.columns]
    if missing:
        raise InputError(
            f"infer_as_of_date: the holdings frame lacks column(s) {missing}; pass the "
            "holdings of read_ishares_holdings()"
        )
    h = holdings
    accrual = h["accrual_date"] if "accrual_date" in h else pd.Series(pd.NaT, index=h.index)
    usable = (
        h["asset_class"].eq(FIXED_INCOME)
        & (h["par_value_usd"] > 0)
        & h["price"].notna()
        & h["market_value_usd"].notna()
        & (h["coupon_rate"] > 0)
        & (h["coupon_rate"] <= MAX_COUPON_RATE)
        & h["maturity_date"].notna()
    )
    if not usable.any():
        raise InputError(
            "infer_as_of_date: no fixed-income row with a coupon, price, par and maturity"
        )
    b = h.loc[usable]
    observed = (b["market_value_usd"] / b["par_value_usd"] * 100.0 - b["price"]).to_numpy()
    coupon = b["coupon_rate"].to_numpy(dtype=float)
    maturity = pd.to_datetime(b["maturity_date"]).to_numpy().astype("datetime64[D]")
    accrual_d = pd.to_datetime(accrual.loc[b.index]).to_numpy().astype("datetime64[D]")

    start, end = _window(b, earliest, latest)
    days = np.arange(start, end + np.timedelta64(1, "D"), dtype="datetime64[D]")
    if len(days) == 0:
        raise InputError(f"infer_as_of_date: empty window {start} .. {end}; check earliest/latest")

    residual, period = _residuals(b.index, coupon, maturity, accrual_d, observed, days)
    absolute = np.abs(residual)
    picked = _best_day_per_period(absolute, period)
    keep = absolute.ravel()[picked] <= tolerance_days + 0.5
    candidates = days[picked[keep] % len(days)]
    if not len(candidates):
        raise InputError(
            f"infer_as_of_date: no date in {start} .. {end} matches any bond's accrued "
            "interest; widen the window with earliest/latest"
        )
    counts = pd.Series(pd.to_datetime(candidates)).value_counts()
    counts.index.name = "settlement_date"
    counts.name = "bonds"
    # the mode; ties go to the date where more bonds agree within the tolerance
    best_count = counts.iloc[0]
    tied = counts.index[counts == best_count]
    close = (absolute <= tolerance_days).sum(axis=0)
    pick = max(tied, key=lambda d: (close[np.searchsorted(days, np.datetime64(d, "D"))], -d.value))
    j = int(np.searchsorted(days, np.datetime64(pick, "D")))
    agreement = float(close[j] / len(b))
    settle = pd.Timestamp(pick)
    return AsOfInference(
        settlement_date=settle,
        agreement=agreement,
        candidates=counts,
        n_bonds=len(b),
        residual_days=pd.Series(residual[:, j], index=b.index, name="residual_days"),
        window=(pd.Timestamp(start), pd.Timestamp(end)),
        trade_date=_previous_business_day(settle),
    )


def _residuals(
    ids: pd.Index,
    coupon: np.ndarray,
    maturity: np.ndarray,
    accrual: np.ndarray,
    observed: np.ndarray,
    days: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """File accrued minus the bond layer's, in days of accrual, per bond and day.

    Returns the residual of the closest schedule reading per (bond, day), and each
    day's coupon period under the default reading (an increasing code per bond;
    large after maturity).
    """
    n, width = len(coupon), len(days)
    start = int(days[0].astype(np.int64))
    issued = ~np.isnat(accrual) & (accrual < maturity)
    issue = np.where(issued, accrual, np.datetime64("NaT"))
    month_end = _is_month_end(maturity)
    nat = np.datetime64("NaT", "D")
    # readings, in the order the closest is kept (ties to the earlier): end-of-month rule
    # on, then off (month-end maturities); for each, a short then a long first coupon.
    # A long first coupon is a reading only while it is still to be paid in the window.
    rows = [np.arange(n)]
    first = [np.full(n, nat)]
    eoms = [np.ones(n, dtype=bool)]
    for eom in (True, False):
        sub = np.arange(n) if eom else np.flatnonzero(month_end)
        if not eom:
            rows.append(sub)
            first.append(np.full(len(sub), nat))
            eoms.append(np.zeros(len(sub), dtype=bool))
        if not len(sub):
            continue
        rolls = _Rolls(maturity[sub], eom, start - 600)
        at_issue = rolls.last_on_or_before(np.where(issued[sub], issue[sub], maturity[sub]))
        second = rolls.at(at_issue, 2)
        take = issued[sub] & ~np.isnat(second) & (second > days[0])
        rows.append(sub[take])
        first.append(second[take])
        eoms.append(np.full(int(take.sum()), eom))
    row = np.concatenate(rows)
    bonds = _candidate_bonds(
        coupon[row],
        maturity[row],
        issue[row],
        np.concatenate(first),
        np.concatenate(eoms),
        _day_counts(ids[row]),
    )
    flows = bonds.cashflows(start - 1)  # every coupon period that ends in the window
    best = np.full((n, width), np.inf)
    period = np.full((n, width), np.iinfo(np.int64).max)
    scale = coupon[row] * 100.0 / 360.0  # accrued per day of 30/360 accrual
    # blocks never straddle two readings, so within a block each bond appears once
    block = max(1, _CHUNK // width)
    ends = np.cumsum([len(r) for r in rows])
    edges = sorted(set(range(0, len(row), block)) | {0, *ends.tolist()})
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        model, flow = _accrued_on_days(bonds, flows, lo, hi, days)
        r = (observed[row[lo:hi], None] - model) / scale[lo:hi, None]
        r = np.where(np.isnan(r), np.inf, r)
        i = row[lo:hi]
        better = np.abs(r) < np.abs(best[i])  # ties keep the earlier reading
        best[i] = np.where(better, r, best[i])
        if hi <= n:  # rows 0..n-1 are the default readings, row[k] == k
            period[lo:hi] = np.where(flow >= 0, flow, period[lo:hi])
    return best, period


def _accrued_on_days(
    bonds: Any, flows: Any, lo: int, hi: int, days: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Accrued interest per 100 face of bonds ``lo:hi`` on each day (NaN after maturity).

    The coupon paid next after day ``s`` accrues from its accrual start to ``s``
    (nothing before the start): ``rate x 100 x year_fraction``, as
    :func:`etfcore.accrued_interest` computes it. Also returns the position of that
    coupon among the bond's flows (-1 after maturity).
    """
    from ...bonds.conventions import DAY_COUNT_NAMES
    from ...bonds.pricing import year_fraction

    offsets = np.asarray(flows.offsets, dtype=np.int64)
    ends = np.asarray(flows.accrual_end, dtype=np.int64)
    owner = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
    keys = owner * _SPAN + ends + _SHIFT
    day = days.astype(np.int64)[None, :]
    rows = np.arange(lo, hi, dtype=np.int64)[:, None]
    k = np.searchsorted(keys, (rows * _SPAN + day + _SHIFT).ravel(), side="right")
    k = k.reshape(hi - lo, -1)  # the first flow of each bond ending after each day
    inside = k < offsets[rows + 1]
    k = np.where(inside, k, 0)
    start = np.asarray(flows.accrual_start, dtype=np.int64)[k]
    on = np.broadcast_to(day, k.shape)
    live = inside & (np.asarray(flows.kind)[k] == 1) & (on > start)
    codes = np.asarray(bonds.day_count)[lo:hi]
    fraction = np.zeros(k.shape)
    for code in np.unique(codes):
        sel = live & (codes == code)[:, None]
        fraction[sel] = year_fraction(
            start[sel],
            on[sel],
            DAY_COUNT_NAMES[int(code)],
            np.asarray(flows.reference_start, dtype=np.int64)[k[sel]],
            np.asarray(flows.reference_end, dtype=np.int64)[k[sel]],
        )
    rate = np.asarray(bonds.coupon_rate)[lo:hi, None]
    model = np.where(inside, rate * 100.0 * fraction, np.nan)
    flow = np.where(inside, k - offsets[rows], -1)
    return model, flow


def _best_day_per_period(absolute: np.ndarray, period: np.ndarray) -> np.ndarray:
    """Flat positions (bond x day) of the smallest ``absolute`` in each bond's period."""
    n, width = absolute.shape
    change = np.ones((n, width), dtype=bool)
    change[:, 1:] = period[:, 1:] != period[:, :-1]
    starts = np.flatnonzero(change.ravel())
    flat = absolute.ravel()
    lowest = np.minimum.reduceat(flat, starts)
    sizes = np.diff(np.append(starts, flat.size))
    hits = np.flatnonzero(flat == np.repeat(lowest, sizes))
    group = np.searchsorted(starts, hits, side="right") - 1
    _, first = np.unique(group, return_index=True)
    return hits[first]


def _window(b: pd.DataFrame, earliest: Any, latest: Any) -> tuple[np.datetime64, np.datetime64]:
    from ...bonds.dates import to_day

    if earliest is None:
        starts = [b[c].max() for c in ("accrual_date", "effective_date") if c in b]
        starts = [s for s in starts if pd.notna(s)]
        if not starts:
            raise InputError(
                "infer_as_of_date: the frame has no accrual_date/effective_date to start the "
                "search from; pass earliest="
            )
        earliest = max(starts)
    start = np.datetime64(to_day(earliest, "earliest"), "D")
    if latest is None:
        first_maturity = np.datetime64(to_day(b["maturity_date"].min(), "maturity_date"), "D")
        end = min(first_maturity - np.timedelta64(1, "D"), start + np.timedelta64(3 * 365, "D"))
    else:
        end = np.datetime64(to_day(latest, "latest"), "D")
    return start, end


def _previous_business_day(day: pd.Timestamp) -> pd.Timestamp:
    from ...bonds.calendar import US_GOVERNMENT_BOND

    previous = US_GOVERNMENT_BOND.advance(np.datetime64(day.date(), "D"), -1)
    return pd.Timestamp(np.datetime64(int(previous), "D"))
