"""Liquidity scores in [0, 1] per bond from TRACE trade counts and volumes."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .._validation import show
from ..bonds.bondset import BondSet
from ..bonds.dates import NO_DATE, to_day
from ..errors import DataWarning, InputError
from ._common import bounded, ids_of


def liquidity_scores_from_trace(
    trace: pd.DataFrame,
    ids: BondSet | pd.Index | Iterable[object],
    *,
    missing_score: float = 0.0,
    trade_count_weight: float = 0.5,
) -> pd.Series:
    """Liquidity score in [0, 1] per bond from TRACE trade counts and volumes.

    Parameters
    ----------
    trace : pandas.DataFrame
        Indexed by CUSIP with ``n_trades`` and ``total_volume_floor``, as
        :func:`etfcore.io.read_trace_activity` returns.
    ids : BondSet, pandas.Index or iterable
        The bonds to score (CUSIPs; compared upper-cased and stripped).
    missing_score : float
        Score of a bond absent from ``trace`` (0: the least liquid).
    trade_count_weight : float
        Weight of the trade-count rank; the volume rank gets the rest (0.5).

    Returns
    -------
    pandas.Series
        ``liquidity_score`` by id, in the order of ``ids``.
        ``attrs["missing_from_trace"]`` lists the ids not in ``trace``.

    Raises
    ------
    InputError
        If ``trace`` lacks the columns, has duplicate CUSIPs or NaN/negative counts
        or volumes, ``ids`` has duplicates or is empty, or ``missing_score`` /
        ``trade_count_weight`` is outside [0, 1].

    Warns
    -----
    DataWarning
        Listing the bonds absent from ``trace`` and the score they got (for a BondSet,
        also how many were issued after the TRACE window ended).

    Notes
    -----
    Each bond's score is ``w x pct(n_trades) + (1 - w) x pct(total_volume_floor)``,
    where ``pct`` is the mid-rank percentile ``(rank - 0.5) / N`` among **all** the
    bonds in ``trace`` (so a bond's score does not depend on which other bonds are
    asked for). Scores feed :meth:`BondLiquidityModel.bid_ask_bp`: a score-1 bond's
    spread is ``score_spread_ratio^-0.5`` (0.63x) of a neutral one, a score-0 bond's
    ``score_spread_ratio^0.5`` (1.58x).

    Examples
    --------
    >>> import pandas as pd
    >>> trace = pd.DataFrame({"n_trades": [900, 40, 5], "total_volume_floor": [5e8, 2e7, 1e6]},
    ...                      index=["037833DP2", "594918BW3", "38141GXZ2"])
    >>> liquidity_scores_from_trace(trace, ["037833DP2", "38141GXZ2"]).round(4).tolist()
    [0.8333, 0.1667]
    """
    where = "liquidity_scores_from_trace"
    missing_score = bounded(missing_score, "missing_score", lower=0.0, upper=1.0)
    w = bounded(trade_count_weight, "trade_count_weight", lower=0.0, upper=1.0)
    if not isinstance(trace, pd.DataFrame):
        raise InputError(f"{where}: trace must be a DataFrame (read_trace_activity's result)")
    need = [c for c in ("n_trades", "total_volume_floor") if c not in trace.columns]
    if need:
        raise InputError(
            f"{where}: trace lacks column(s) {need}; read it with etfcore.io.read_trace_activity"
        )
    if len(trace) == 0:
        raise InputError(f"{where}: trace has no rows")
    cusips = pd.Index(trace.index.astype(str).str.strip().str.upper())
    if cusips.has_duplicates:
        dups = cusips[cusips.duplicated()].unique().tolist()
        raise InputError(f"{where}: trace lists CUSIP(s) {dups[:20]} more than once")
    stats = {}
    for column in ("n_trades", "total_volume_floor"):
        v = pd.to_numeric(trace[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(v) | (v < 0)
        if bad.any():
            shown = ", ".join(
                f"{cusips[i]}: {show(trace[column].iloc[i])}" for i in np.flatnonzero(bad)[:20]
            )
            raise InputError(
                f"{where}: trace column {column!r} must be finite and >= 0; got {shown}"
            )
        stats[column] = pd.Series(v, index=cusips).rank(method="average").to_numpy()
    n = len(cusips)
    pct = w * (stats["n_trades"] - 0.5) / n + (1 - w) * (stats["total_volume_floor"] - 0.5) / n
    universe = pd.Series(pct, index=cusips)

    bondset = ids if isinstance(ids, BondSet) else None
    index = ids_of(ids, where)
    if len(index) == 0:
        raise InputError(f"{where}: no ids to score")
    if index.has_duplicates:
        dups = index[index.duplicated()].unique().tolist()
        raise InputError(f"{where}: ids {dups[:20]} appear more than once")
    keys = pd.Index([str(i).strip().upper() for i in index])
    scores = universe.reindex(keys).to_numpy()
    missing = np.isnan(scores)
    scores = np.where(missing, missing_score, scores)
    out = pd.Series(scores, index=index, name="liquidity_score")
    absent = list(index[missing])
    out.attrs["missing_from_trace"] = absent
    if absent:
        extra = ""
        if bondset is not None and "window_end" in trace.columns:
            end = pd.to_datetime(trace["window_end"]).max()
            if pd.notna(end):
                issue = bondset.issue[missing]
                late = int(np.sum((issue != NO_DATE) & (issue > to_day(end, "window_end"))))
                extra = f" ({late} of them issued after the TRACE window ended {end:%Y-%m-%d})"
        shown = ", ".join(str(a) for a in absent[:50])
        more = f" and {len(absent) - 50} more" if len(absent) > 50 else ""
        warnings.warn(
            f"{where}: {len(absent)} of {len(index)} bonds are not in the TRACE data{extra} and "
            f"get the low score {missing_score:g} (missing_score): {shown}{more}. The full list "
            "is in the result's attrs['missing_from_trace'].",
            DataWarning,
            stacklevel=2,
        )
    return out


__all__ = ["liquidity_scores_from_trace"]
