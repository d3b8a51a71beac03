"""Schedule conventions (long first coupons, the end-of-month rule) from a file's accrued interest.

Every date here comes from the bond layer: roll dates from the schedule of an
:class:`etfcore.BondSet` (:meth:`~etfcore.BondSet.cashflows`), accrued interest from
:func:`etfcore.accrued_interest`; nothing re-implements 30/360 or month rolls.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...bonds.identifiers import is_us_treasury_cusip
from ...errors import InputError
from ._parse import FIXED_INCOME

__all__ = [
    "CONVENTION_THRESHOLD",
    "SOURCE_LONG",
    "SOURCE_LONG_NOT_EOM",
    "SOURCE_NOT_EOM",
    "SOURCE_NO_ISSUE",
    "SOURCE_ON_ROLL",
    "SOURCE_SEASONED",
    "SOURCE_SHORT",
    "SOURCE_UNPAID",
    "infer_schedule_conventions",
]

#: A non-default schedule reading is chosen only when its accrued interest is closer to
#: the file's than the default's by more than this, per 100 face. Prices are rounded to
#: 0.01, so the file's accrued is known to +-0.005: two readings less than 0.01 apart
#: cannot be told apart. A long first coupon moves accrued by a whole stub of coupon
#: (0.1-2.5 per 100), the end-of-month rule by 1-3 days of accrual (0.01-0.05).
CONVENTION_THRESHOLD = 0.01

#: ``convention_source`` values.
SOURCE_LONG = "file accrued: long first coupon"
SOURCE_NOT_EOM = "file accrued: end_of_month False"
SOURCE_LONG_NOT_EOM = "file accrued: long first coupon, end_of_month False"
SOURCE_SEASONED = "default: seasoned (accrual date at or before the previous-but-one coupon)"
SOURCE_ON_ROLL = "default: regular first coupon (accrual date on the roll)"
SOURCE_SHORT = "default: short first coupon from the accrual date"
SOURCE_UNPAID = "default: short first coupon (first coupon not yet due; long accrues the same)"
SOURCE_NO_ISSUE = "default: no accrual date before maturity (regular schedule)"
_NOT_INFERRED = "not inferred: "

_CONVENTION_COLUMNS = ("first_coupon_date", "end_of_month", "convention_source")


def _default_conventions(holdings: pd.DataFrame, source: str) -> pd.DataFrame:
    fi = holdings.index[holdings["asset_class"].eq(FIXED_INCOME)]
    return pd.DataFrame(
        {
            "first_coupon_date": pd.Series(pd.NaT, index=fi, dtype="datetime64[ns]"),
            "end_of_month": pd.Series(True, index=fi, dtype="boolean"),
            "convention_source": pd.Series(source, index=fi, dtype=object),
        }
    )


def _with_conventions(holdings: pd.DataFrame, conventions: pd.DataFrame) -> pd.DataFrame:
    out = holdings.drop(columns=[c for c in _CONVENTION_COLUMNS if c in holdings])
    conv = conventions.reindex(holdings.index)
    out["first_coupon_date"] = pd.to_datetime(conv["first_coupon_date"])
    out["end_of_month"] = conv["end_of_month"].astype("boolean")
    out["convention_source"] = conv["convention_source"].astype(object)
    out.attrs = dict(holdings.attrs)
    return out


def _conventions_summary(conventions: pd.DataFrame, file: str, settle: pd.Timestamp) -> str:
    """One line of counts when any bond deviates from the defaults, else ''."""
    counts = conventions["convention_source"].value_counts()
    long_ = int(counts.get(SOURCE_LONG, 0))
    not_eom = int(counts.get(SOURCE_NOT_EOM, 0))
    both = int(counts.get(SOURCE_LONG_NOT_EOM, 0))
    if long_ + not_eom + both == 0:
        return ""
    skipped = int(conventions["convention_source"].str.startswith(_NOT_INFERRED).sum())
    unpaid = int(counts.get(SOURCE_UNPAID, 0))
    return (
        f"{file}: schedule conventions inferred from the file's accrued interest at "
        f"settlement {settle.date()}: {long_ + both} bond(s) with a long first coupon, "
        f"{not_eom + both} month-end maturities paying on the same day each month "
        f"(end_of_month False), out of {len(conventions)} bonds; {unpaid} new issue(s) whose "
        f"first coupon is not yet due keep a short first coupon (accrued cannot tell), "
        f"{skipped} not inferred. See holdings['convention_source']"
    )


def _day_counts(ids: pd.Index) -> np.ndarray:
    """``"ACT/ACT ICMA"`` for US Treasury CUSIPs, else ``"30/360 US"`` (iShares gives none)."""
    treasury = np.array([is_us_treasury_cusip(i) for i in ids], dtype=bool)
    return np.where(treasury, "ACT/ACT ICMA", "30/360 US")


def _is_month_end(days: np.ndarray) -> np.ndarray:
    """Whether each ``datetime64[D]`` day is the last of its month."""
    return (days + np.timedelta64(1, "D")).astype("datetime64[M]") != days.astype("datetime64[M]")


_SHIFT = np.int64(2**31)  # day numbers + _SHIFT are positive and below 2**32
_SPAN = np.int64(2**33)


class _Rolls:
    """Semiannual roll dates of many bonds after a date, from the bond layer's schedule.

    Bond ``i`` rolls on ``days[offsets[i]:offsets[i + 1]]`` (ascending, the last is the
    maturity): the accrual ends of its :meth:`BondSet.cashflows
    <etfcore.BondSet.cashflows>` built without an issue date (QuantLib backward
    generation, unadjusted, with the end-of-month rule as given).
    """

    def __init__(self, maturity: np.ndarray, end_of_month: np.ndarray | bool, since: int) -> None:
        from ...bonds.bondset import BondSet

        n = len(maturity)
        frame = pd.DataFrame(
            {
                "id": np.arange(n).astype(str),
                "coupon_rate": 0.05,
                "maturity_date": maturity,
                "frequency": 2,
                "end_of_month": np.broadcast_to(np.asarray(end_of_month, dtype=bool), (n,)),
            }
        )
        flows = BondSet.from_frame(frame, id_type="none").cashflows(int(since))
        self.offsets = np.asarray(flows.offsets, dtype=np.int64)
        self.days = np.asarray(flows.accrual_end, dtype=np.int64)
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(self.offsets))
        self._keys = owner * _SPAN + self.days + _SHIFT

    def last_on_or_before(self, day: np.ndarray) -> np.ndarray:
        """Per bond, the position of its last roll date on or before ``day`` (-1: none kept)."""
        n = len(self.offsets) - 1
        query = np.arange(n, dtype=np.int64) * _SPAN + _as_int(day) + _SHIFT
        pos = np.searchsorted(self._keys, query, side="right") - 1
        return np.where(pos >= self.offsets[:-1], pos, -1)

    def at(self, pos: np.ndarray, step: int) -> np.ndarray:
        """The roll date ``step`` rolls after position ``pos`` (NaT outside the bond)."""
        n = len(self.offsets) - 1
        target = pos + step
        inside = (pos >= 0) & (target >= self.offsets[:-1]) & (target < self.offsets[1 : n + 1])
        out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        out[inside] = self.days[target[inside]].astype("datetime64[D]")
        return out


def _as_int(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype="datetime64[D]").astype(np.int64)


def _candidate_bonds(
    coupon: np.ndarray,
    maturity: np.ndarray,
    issue: np.ndarray,
    first_coupon: np.ndarray,
    end_of_month: np.ndarray,
    day_count: np.ndarray,
) -> Any:
    """One :class:`~etfcore.BondSet` of candidate schedules (ids are positions)."""
    from ...bonds.bondset import BondSet

    frame = pd.DataFrame(
        {
            "id": np.arange(len(coupon)).astype(str),
            "coupon_rate": coupon,
            "maturity_date": maturity,
            "issue_date": issue,
            "first_coupon_date": first_coupon,
            "frequency": 2,
            "day_count": day_count,
            "end_of_month": end_of_month,
        }
    )
    return BondSet.from_frame(frame, id_type="none")


def infer_schedule_conventions(
    holdings: pd.DataFrame,
    settlement_date: Any,
    *,
    threshold: float = CONVENTION_THRESHOLD,
) -> pd.DataFrame:
    """Infer each bond's first coupon and end-of-month rule from the file's accrued interest.

    An iShares file gives a bond's accrual (dated) date but neither its first
    coupon date nor whether a month-end maturity pays on month ends. Both move
    the accrued interest, which the file does give (``market value / par x 100 -
    price``). For each fixed-income row this builds the candidate schedules,
    prices their accrued interest at ``settlement_date`` with
    :func:`etfcore.accrued_interest` (one :class:`~etfcore.BondSet` holding every
    candidate of every bond), and keeps the default unless another candidate is
    closer to the file's accrued by more than ``threshold``.

    Parameters
    ----------
    holdings
        The ``holdings`` frame of :func:`read_ishares_holdings` (or
        :func:`read_ishares_holdings_frame`): ``asset_class``, ``coupon_rate``,
        ``maturity_date``, ``accrual_date`` and ``accrued_interest``.
    settlement_date
        The date the file's accrued interest is for, e.g.
        ``infer_as_of_date(holdings).settlement_date``.
    threshold
        Per 100 face: how much closer to the file's accrued a non-default
        candidate must be to be chosen (default :data:`CONVENTION_THRESHOLD`,
        0.01: twice the +-0.005 of a price rounded to 2 decimals).

    Returns
    -------
    pandas.DataFrame
        By id, for the fixed-income rows: ``issue_date`` (the accrual date when it
        is before maturity, else NaT), ``first_coupon_date`` (NaT for the default:
        the first roll date after the issue date), ``end_of_month`` (bool),
        ``convention_source`` (str, below), ``accrued_interest`` (the file's),
        ``accrued_default`` and ``accrued_inferred`` (etfcore's under the default
        and the chosen schedule; NaN where not computed).

    Raises
    ------
    InputError
        If the frame lacks a column named above, or ``settlement_date`` is not a
        date.

    Notes
    -----
    Coupon dates roll back from maturity every six months. With ``k1`` the
    first roll date after the issue (accrual) date and ``k2`` the next, the
    candidates are:

    * the default: a first period from the issue date to ``k1`` (short, or
      regular when the issue date is on the roll) and, for a month-end maturity,
      month-end roll dates (``end_of_month`` True: Feb 28 -> Aug 31);
    * a long first coupon, paid on ``k2`` (``first_coupon_date = k2``), for
      bonds whose issue date is after the previous-but-one coupon date before
      settlement (for older bonds the first period is over and any reading
      gives the same accrued; they stay ``"default: seasoned ..."``);
    * for month-end maturities, both of the above with ``end_of_month`` False
      (Feb 28 -> Aug 28).

    ``convention_source`` says which was chosen and why:
    ``"file accrued: long first coupon"``, ``"file accrued: end_of_month
    False"``, ``"file accrued: long first coupon, end_of_month False"``, the
    ``"default: ..."`` values (seasoned; short first coupon; first coupon not
    yet due, where short and long accrue alike and the default stays; no
    accrual date) and ``"not inferred: ..."`` (zero coupon, matured at
    settlement, no accrued interest in the file, unusable coupon or maturity).

    Examples
    --------
    >>> holdings = pd.DataFrame(
    ...     {
    ...         "asset_class": "Fixed Income",
    ...         "coupon_rate": [0.054],
    ...         "maturity_date": pd.to_datetime(["2035-10-15"]),
    ...         "accrual_date": pd.to_datetime(["2025-08-12"]),
    ...         "accrued_interest": [1.893],
    ...     },
    ...     index=pd.Index(["682680DC4"], name="id"),
    ... )
    >>> conv = infer_schedule_conventions(holdings, "2025-12-18")
    >>> conv.loc["682680DC4", ["first_coupon_date", "convention_source"]].tolist()
    [Timestamp('2026-04-15 00:00:00'), 'file accrued: long first coupon']
    """
    from ...bonds.bondset import MAX_COUPON_RATE
    from ...bonds.dates import to_day
    from ...bonds.pricing import accrued_interest

    needed = ["asset_class", "coupon_rate", "maturity_date", "accrual_date", "accrued_interest"]
    missing = [c for c in needed if c not in holdings.columns]
    if missing:
        raise InputError(
            f"infer_schedule_conventions: the holdings frame lacks column(s) {missing}; pass "
            "the holdings of read_ishares_holdings()"
        )
    settle_day = np.datetime64(to_day(settlement_date, "settlement_date"), "D")
    fi = holdings.loc[holdings["asset_class"].eq(FIXED_INCOME)]
    n = len(fi)
    coupon = pd.to_numeric(fi["coupon_rate"], errors="coerce").to_numpy(dtype=float)
    maturity = pd.to_datetime(fi["maturity_date"]).to_numpy().astype("datetime64[D]")
    accrual = pd.to_datetime(fi["accrual_date"]).to_numpy().astype("datetime64[D]")
    observed = pd.to_numeric(fi["accrued_interest"], errors="coerce").to_numpy(dtype=float)
    has_issue = ~np.isnat(accrual) & ~np.isnat(maturity) & (accrual < maturity)
    issue = np.where(has_issue, accrual, np.datetime64("NaT"))

    source = np.full(n, SOURCE_NO_ISSUE, dtype=object)
    bad_terms = np.isnat(maturity) | ~(coupon >= 0) | ~(coupon <= MAX_COUPON_RATE)
    not_inferred = [
        (np.isnan(observed), "no accrued interest in the file (par or market value missing)"),
        (~np.isnat(maturity) & (maturity <= settle_day), "matures on or before settlement"),
        (coupon == 0, "zero coupon"),
        (bad_terms, "coupon or maturity unusable"),
    ]
    usable = np.ones(n, dtype=bool)
    for mask, why in not_inferred:
        source[mask] = _NOT_INFERRED + why
        usable &= ~mask

    # roll dates of the usable bonds from the bond layer's schedule; bonds issued before
    # ``since`` are seasoned (their previous-but-one coupon date is after it)
    u = np.flatnonzero(usable)
    mat_u = maturity[u]
    issued = has_issue[u]
    iss_u = np.where(issued, issue[u], mat_u)  # a placeholder where there is none
    month_end = _is_month_end(mat_u)
    since = int(settle_day.astype(np.int64)) - 600
    nat = np.datetime64("NaT", "D")
    first_coupon = {}  # end_of_month -> (the long reading's first coupon, does it exist)
    seasoned = on_roll = unpaid = np.zeros(len(u), dtype=bool)
    for eom in (True, False):
        # without the end-of-month rule only month-end maturities roll differently
        sub = np.arange(len(u)) if eom else np.flatnonzero(month_end)
        second = np.full(len(u), nat)
        if len(sub):
            rolls = _Rolls(mat_u[sub], eom, since)
            at_issue = rolls.last_on_or_before(iss_u[sub])  # roll(k1) <= issue < roll(k1 - 1)
            second[sub] = rolls.at(at_issue, 2)  # the second roll date after the issue date
            if eom:
                previous = rolls.last_on_or_before(np.full(len(u), settle_day))  # last coupon
                seasoned = ~issued | (at_issue < 0) | (iss_u <= rolls.at(previous, -1))
                on_roll = rolls.at(at_issue, 0) == iss_u
                unpaid = issued & (settle_day <= rolls.at(at_issue, 1))
        first_coupon[eom] = (second, issued & ~np.isnat(second))
    new_issue = issued & ~seasoned

    # candidates: (position in u, first coupon or NaT, end_of_month)
    cand_pos = [np.arange(len(u))]
    cand_fc = [np.full(len(u), nat)]
    cand_eom = [np.ones(len(u), dtype=bool)]
    cand_kind = [np.zeros(len(u), dtype=np.int64)]
    for kind, (long_, eom) in enumerate([(True, True), (False, False), (True, False)], start=1):
        fc, possible = first_coupon[eom]
        fc = np.where(possible, fc, nat)
        take = np.ones(len(u), dtype=bool)
        if long_:
            take &= new_issue & possible
        if not eom:
            take &= month_end
        idx = np.flatnonzero(take)
        cand_pos.append(idx)
        cand_fc.append(fc[idx] if long_ else np.full(len(idx), nat))
        cand_eom.append(np.full(len(idx), eom))
        cand_kind.append(np.full(len(idx), kind, dtype=np.int64))
    pos = np.concatenate(cand_pos)
    kind_all = np.concatenate(cand_kind)
    accrued = np.full((len(u), 4), np.nan)
    if len(pos):
        bonds = _candidate_bonds(
            coupon[u][pos],
            mat_u[pos],
            issue[u][pos],
            np.concatenate(cand_fc),
            np.concatenate(cand_eom),
            _day_counts(fi.index[u][pos]),
        )
        accrued[pos, kind_all] = accrued_interest(bonds, settle_day).to_numpy()

    error = np.abs(observed[u][:, None] - accrued)
    best = np.argmin(np.where(np.isnan(error), np.inf, error), axis=1)
    best_error = error[np.arange(len(u)), best]
    chosen = np.where(error[:, 0] - best_error > threshold, best, 0)

    names = {1: SOURCE_LONG, 2: SOURCE_NOT_EOM, 3: SOURCE_LONG_NOT_EOM}
    src_u = np.select(
        [seasoned, on_roll, unpaid],
        [SOURCE_SEASONED, SOURCE_ON_ROLL, SOURCE_UNPAID],
        SOURCE_SHORT,
    ).astype(object)
    src_u[~issued] = SOURCE_NO_ISSUE
    for k, text in names.items():
        src_u[chosen == k] = text
    source[u] = src_u

    fc_out = np.full(n, nat)
    fc_out[u[chosen == 1]] = first_coupon[True][0][chosen == 1]
    fc_out[u[chosen == 3]] = first_coupon[False][0][chosen == 3]
    eom_out = np.ones(n, dtype=bool)
    eom_out[u] = chosen < 2
    accrued_default = np.full(n, np.nan)
    accrued_default[u] = accrued[:, 0]
    accrued_inferred = np.full(n, np.nan)
    accrued_inferred[u] = accrued[np.arange(len(u)), chosen]
    return pd.DataFrame(
        {
            "issue_date": pd.to_datetime(issue),
            "first_coupon_date": pd.to_datetime(fc_out),
            "end_of_month": eom_out,
            "convention_source": source,
            "accrued_interest": observed,
            "accrued_default": accrued_default,
            "accrued_inferred": accrued_inferred,
        },
        index=fi.index,
    )
