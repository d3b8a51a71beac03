"""BondSet: the reference data of many bonds as validated flat arrays."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import IdentifierWarning, InputError
from . import conventions as cv
from .dates import DATE_MISSING, DATE_OK, NO_DATE, date_problem, parse_days, to_day, to_timestamps

REQUIRED_COLUMNS = ("id", "coupon_rate", "maturity_date")
OPTIONAL_COLUMNS = (
    "issue_date",
    "first_coupon_date",
    "frequency",
    "day_count",
    "face",
    "end_of_month",
    "redemption",
    "call_date",
    "call_price",
)
#: Largest coupon accepted as a decimal; above it the column is almost surely in percent.
MAX_COUPON_RATE = 0.30


@dataclass(frozen=True, eq=False, repr=False)
class BondSet:
    """Reference data of many fixed-rate bonds as a struct of flat arrays.

    Build it with :meth:`from_frame`; every array is read-only and has one entry
    per bond, in the order of :attr:`ids`. Dates are ``int64`` day numbers (days
    since 1970-01-01); an absent optional date is ``NO_DATE``.

    Attributes
    ----------
    ids : pandas.Index
        Bond identifiers (unique strings).
    coupon_rate : numpy.ndarray
        Annual coupon as a decimal (0.045 for 4.5%).
    maturity, issue, first_coupon : numpy.ndarray
        Day numbers; ``issue`` and ``first_coupon`` may be ``NO_DATE``.
    frequency : numpy.ndarray
        Coupons per year: 1, 2, 4, 12, or 0 for a zero-coupon bond.
    day_count : numpy.ndarray
        Day-count codes (see :mod:`etfcore.bonds.conventions`).
    face : numpy.ndarray
        Face amount of one bond (minimum denomination); prices are per 100 face.
    end_of_month : numpy.ndarray
        End-of-month rule: when the maturity is a month end, every coupon date is.
    redemption : numpy.ndarray
        Redemption at maturity per 100 face (100 for a bullet).
    call_offsets, call_dates, call_prices : numpy.ndarray
        Call schedule as CSR arrays: bond ``i`` is callable on
        ``call_dates[call_offsets[i]:call_offsets[i + 1]]`` at the matching prices
        (per 100 face).
    attributes : pandas.DataFrame
        Every other column of the input frame (issuer, sector, rating...), by id.

    Notes
    -----
    Coupon dates roll back from the maturity (QuantLib's backward generation);
    with an issue date the first period runs from the issue date, short when the
    issue date is off the roll, or long when ``first_coupon_date`` skips roll
    dates. Without an issue date the bond is taken to have been issued long ago.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "id": ["037833AK6", "594918BY9"], "coupon_rate": [0.024, 0.033],
    ...     "maturity_date": ["2028-05-03", 20270206], "sector": ["Technology"] * 2})
    >>> bonds = BondSet.from_frame(frame)
    >>> bonds
    BondSet(2 bonds, maturities 2027-02-06..2028-05-03, coupons 2.4000%..3.3000%)
    >>> bonds.ids.tolist(), bonds.maturity.tolist()
    (['037833AK6', '594918BY9'], [21307, 20855])
    >>> bonds.attributes["sector"].tolist()
    ['Technology', 'Technology']
    """

    ids: pd.Index
    coupon_rate: np.ndarray
    maturity: np.ndarray
    issue: np.ndarray
    first_coupon: np.ndarray
    frequency: np.ndarray
    day_count: np.ndarray
    face: np.ndarray
    end_of_month: np.ndarray
    redemption: np.ndarray
    call_offsets: np.ndarray
    call_dates: np.ndarray
    call_prices: np.ndarray
    attributes: pd.DataFrame
    _cache: dict = field(default_factory=dict, compare=False)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        strict: bool = True,
        settlement_date: Any = None,
        calls: pd.DataFrame | None = None,
        id_type: str = "auto",
    ) -> BondSet:
        """Build a BondSet from a DataFrame, validating every row.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per bond. Required columns: ``id``, ``coupon_rate`` (decimal),
            ``maturity_date``. Optional: ``issue_date``, ``first_coupon_date``
            (must lie on the maturity's coupon roll; needs ``issue_date``),
            ``frequency`` (default 2; 0 for zero-coupon), ``day_count`` (default
            ``"30/360 US"``), ``face`` (default 100), ``end_of_month`` (default
            True), ``redemption`` (per 100 face, default 100), and ``call_date`` /
            ``call_price`` for a single call. Other columns are kept in
            :attr:`attributes`. If there is no ``id`` column, the index is used.
        strict : bool, default True
            A CUSIP or ISIN with a wrong check digit is an error; with
            ``strict=False`` it is an :class:`~etfcore.IdentifierWarning` and the
            row is kept.
        settlement_date : date-like, optional
            When given, a bond that matures on or before it is an error.
        calls : pandas.DataFrame, optional
            Call schedules: columns ``id``, ``call_date``, ``call_price`` (per 100
            face), one row per call date.
        id_type : {"auto", "cusip", "isin", "none"}
            Which identifier check to apply to ``id``: ``"auto"`` checks ids shaped
            like a CUSIP (9 characters) or an ISIN (12); optional ``cusip`` and
            ``isin`` columns are always checked.

        Returns
        -------
        BondSet

        Raises
        ------
        InputError
            Listing every problem found, one line per row and column, with the
            value and what to do.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "id": ["037833AK6", "594918BY9"], "coupon_rate": [0.024, 0.033],
        ...     "maturity_date": ["2028-05-03", 20270206], "sector": ["Technology"] * 2})
        >>> bonds = BondSet.from_frame(frame)
        >>> len(bonds), bonds.frequency.tolist()
        (2, [2, 2])
        >>> bad = frame.assign(maturity_date=["03/05/2028", "2027-02-06"])
        >>> try:
        ...     BondSet.from_frame(bad)
        ... except InputError as e:
        ...     print(str(e).splitlines()[1])  # doctest: +ELLIPSIS
          - row 0 (id 037833AK6), column 'maturity_date': '03/05/2028' is ambiguous: ...
        """
        if not isinstance(frame, pd.DataFrame):
            raise InputError(
                f"BondSet.from_frame: expected a pandas DataFrame, got {type(frame).__name__}"
            )
        df = frame.copy()
        if "id" not in df.columns:
            if df.index.name in ("id", "cusip", "isin") or (
                df.index.dtype == object and not isinstance(df.index, pd.RangeIndex)
            ):
                df = df.reset_index(names="id")
        missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
        if missing:
            raise InputError(
                f"BondSet.from_frame: missing column(s) {missing}; the frame has "
                f"{list(frame.columns)}. Required: {list(REQUIRED_COLUMNS)} "
                "(coupon_rate as a decimal)"
            )
        if len(df) == 0:
            raise InputError("BondSet.from_frame: the frame has no rows")
        df = df.reset_index(drop=True)
        problems: list[str] = []
        warn_rows: list[str] = []
        ids = df["id"]

        def where(i: int, col: str) -> str:
            return f"row {i} (id {ids.iloc[i]}), column '{col}'"

        # ---- ids
        id_str = ids.astype("string")
        for i in np.flatnonzero(
            ids.isna().to_numpy() | (id_str.str.strip() == "").fillna(True)
        ).tolist():
            problems.append(f"row {i}, column 'id': missing; give every bond an identifier")
        id_str = id_str.fillna("").str.strip()
        dup = id_str.duplicated(keep=False) & (id_str != "")
        if dup.any():
            for value, rows in id_str[dup].groupby(id_str[dup]).groups.items():
                problems.append(
                    f"rows {list(rows)}, column 'id': duplicate id {value!r}; ids must be unique"
                )
        problems_id, warnings_id = _check_identifiers(df, id_str, id_type)
        if strict:
            problems.extend(problems_id)
        else:
            warn_rows.extend(problems_id)
        problems.extend(warnings_id)

        # ---- coupon
        coupon = pd.to_numeric(df["coupon_rate"], errors="coerce").to_numpy(dtype=float)
        raw_coupon = df["coupon_rate"]
        for i in np.flatnonzero(
            np.isnan(coupon) | (coupon < 0) | (coupon > MAX_COUPON_RATE)
        ).tolist():
            c = float(coupon[i])
            if np.isnan(c):
                problems.append(
                    f"{where(i, 'coupon_rate')}: {raw_coupon.iloc[i]!r} is not a number; "
                    "give the annual coupon as a decimal (0.045 for 4.5%)"
                )
            elif c < 0:
                problems.append(f"{where(i, 'coupon_rate')}: {c!r} is negative; coupons are >= 0")
            else:
                problems.append(
                    f"{where(i, 'coupon_rate')}: {c!r} is not a plausible decimal coupon "
                    f"(> {MAX_COUPON_RATE}); if the column is in percent, divide it by 100"
                )

        # ---- dates
        maturity = _dates(df, "maturity_date", problems, where, required=True)
        issue = _dates(df, "issue_date", problems, where)
        first = _dates(df, "first_coupon_date", problems, where)
        settle = None if settlement_date is None else to_day(settlement_date, "settlement_date")

        # ---- conventions
        freq = _codes(df, "frequency", 2, cv.frequency_code, problems, where)
        day_count = _codes(df, "day_count", cv.THIRTY_360_US, cv.day_count_code, problems, where)
        face = _numbers(df, "face", 100.0, problems, where, positive=True)
        redemption = _numbers(df, "redemption", 100.0, problems, where, positive=True)
        eom = _booleans(df, "end_of_month", True, problems, where)

        # ---- cross-field checks (messages only for the rows that fail)
        has_mat = maturity != NO_DATE
        if settle is not None:
            for i in np.flatnonzero(has_mat & (maturity <= settle)).tolist():
                problems.append(
                    f"{where(i, 'maturity_date')}: {_fmt(maturity[i])} is on or before "
                    f"settlement {_fmt(settle)}: the bond has matured; remove it or settle earlier"
                )
        for i in np.flatnonzero(has_mat & (issue != NO_DATE) & (issue >= maturity)).tolist():
            problems.append(
                f"{where(i, 'issue_date')}: {_fmt(issue[i])} is on or after maturity "
                f"{_fmt(maturity[i])}; check the two dates"
            )
        for i in np.flatnonzero((freq == 0) & ~np.isnan(coupon) & (coupon != 0)).tolist():
            problems.append(
                f"{where(i, 'frequency')}: 0 (zero-coupon) with coupon_rate {float(coupon[i])!r}; "
                "a zero-coupon bond has coupon_rate 0"
            )
        for i in np.flatnonzero(has_mat & (first != NO_DATE)).tolist():
            problems.extend(
                _check_first_coupon(i, where, first[i], issue[i], maturity[i], freq[i], eom[i])
            )

        # ---- calls
        call_frame = _call_frame(df, calls, id_str, problems)
        if problems:
            raise InputError.from_problems("BondSet.from_frame", problems)
        if warn_rows:
            warnings.warn(
                "BondSet.from_frame: kept "
                f"{len(warn_rows)} row(s) whose identifier failed its check digit "
                "(strict=False):\n  - " + "\n  - ".join(warn_rows),
                IdentifierWarning,
                stacklevel=2,
            )
        index = pd.Index(id_str.to_numpy(dtype=object), name="id")
        pos = pd.Series(np.arange(len(index)), index=index)
        offsets, cdates, cprices, call_problems = _call_arrays(call_frame, pos, maturity, freq)
        if call_problems:
            raise InputError.from_problems("BondSet.from_frame (calls)", call_problems)
        extra = [c for c in df.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        attributes = df[extra].copy()
        attributes.index = index
        return cls._build(
            ids=index,
            coupon_rate=coupon,
            maturity=maturity,
            issue=issue,
            first_coupon=first,
            frequency=freq,
            day_count=day_count,
            face=face,
            end_of_month=eom,
            redemption=redemption,
            call_offsets=offsets,
            call_dates=cdates,
            call_prices=cprices,
            attributes=attributes,
        )

    @classmethod
    def _build(cls, **arrays: Any) -> BondSet:
        for key, value in arrays.items():
            if isinstance(value, np.ndarray):
                value = np.ascontiguousarray(value)
                value.setflags(write=False)
                arrays[key] = value
        return cls(**arrays)

    # ------------------------------------------------------------------ access
    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        n = len(self)
        if n == 0:
            return "BondSet(0 bonds)"
        mats = to_timestamps(np.array([self.maturity.min(), self.maturity.max()]))
        n_calls = int(np.count_nonzero(np.diff(self.call_offsets)))
        return (
            f"BondSet({n} bonds, maturities {mats[0]:%Y-%m-%d}..{mats[1]:%Y-%m-%d}, "
            f"coupons {self.coupon_rate.min():.4%}..{self.coupon_rate.max():.4%}"
            + (f", {n_calls} callable" if n_calls else "")
            + ")"
        )

    def position(self, ids: Sequence[object] | pd.Index) -> np.ndarray:
        """Positions of ``ids`` in this set.

        Raises
        ------
        InputError
            Naming every id that is not in the set.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "id": ["037833AK6", "594918BY9"], "coupon_rate": [0.024, 0.033],
        ...     "maturity_date": ["2028-05-03", 20270206], "sector": ["Technology"] * 2})
        >>> bonds = BondSet.from_frame(frame)
        >>> bonds.position(["594918BY9"]).tolist()
        [1]
        """
        pos = self.ids.get_indexer(pd.Index(ids))
        if (pos < 0).any():
            unknown = [i for i, p in zip(ids, pos, strict=True) if p < 0]
            raise InputError(
                f"{len(unknown)} id(s) not in this BondSet: {unknown[:20]}"
                + (" ..." if len(unknown) > 20 else "")
                + "; check the identifiers or build the BondSet with these bonds"
            )
        return pos

    def take(self, positions: Sequence[int] | np.ndarray) -> BondSet:
        """A new BondSet with the bonds at ``positions`` (in that order).

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "id": ["037833AK6", "594918BY9"], "coupon_rate": [0.024, 0.033],
        ...     "maturity_date": ["2028-05-03", 20270206], "sector": ["Technology"] * 2})
        >>> bonds = BondSet.from_frame(frame)
        >>> bonds.take([1]).ids.tolist()
        ['594918BY9']
        """
        pos = np.asarray(positions, dtype=np.int64)
        counts = np.diff(self.call_offsets)[pos]
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        # the calls of each selected bond, in order: start + 0..count-1
        sel = np.repeat(self.call_offsets[pos] - offsets[:-1], counts) + np.arange(offsets[-1])
        return BondSet._build(
            ids=self.ids[pos],
            coupon_rate=self.coupon_rate[pos],
            maturity=self.maturity[pos],
            issue=self.issue[pos],
            first_coupon=self.first_coupon[pos],
            frequency=self.frequency[pos],
            day_count=self.day_count[pos],
            face=self.face[pos],
            end_of_month=self.end_of_month[pos],
            redemption=self.redemption[pos],
            call_offsets=offsets,
            call_dates=self.call_dates[sel],
            call_prices=self.call_prices[sel],
            attributes=self.attributes.iloc[pos],
        )

    def select(self, ids: Sequence[object] | pd.Index) -> BondSet:
        """A new BondSet with the bonds named by ``ids``, in that order.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "id": ["037833AK6", "594918BY9"], "coupon_rate": [0.024, 0.033],
        ...     "maturity_date": ["2028-05-03", 20270206], "sector": ["Technology"] * 2})
        >>> bonds = BondSet.from_frame(frame)
        >>> bonds.select(["594918BY9", "037833AK6"]).ids.tolist()
        ['594918BY9', '037833AK6']
        """
        return self.take(self.position(ids))

    @classmethod
    def concat(cls, sets: Sequence[BondSet]) -> BondSet:
        """One BondSet with the bonds of ``sets``, in order (ids must stay unique).

        Attributes are aligned by column name (a column one set lacks is missing, NaN,
        for its bonds).

        Raises
        ------
        InputError
            If an item is not a BondSet, none is given, or an id is in two sets.

        Examples
        --------
        >>> import pandas as pd
        >>> a = BondSet.from_frame(pd.DataFrame({"id": ["037833AK6"], "coupon_rate": [0.024],
        ...     "maturity_date": ["2028-05-03"], "sector": ["Technology"]}))
        >>> b = BondSet.from_frame(pd.DataFrame({"id": ["594918BY9"], "coupon_rate": [0.033],
        ...     "maturity_date": ["2027-02-06"]}))
        >>> both = BondSet.concat([a, b])
        >>> both.ids.tolist(), both.attributes["sector"].tolist()
        (['037833AK6', '594918BY9'], ['Technology', nan])
        """
        sets = list(sets)
        if not sets:
            raise InputError("BondSet.concat: no BondSets given")
        for k, s in enumerate(sets):
            if not isinstance(s, BondSet):
                raise InputError(f"BondSet.concat: item {k} is a {type(s).__name__}, not a BondSet")
        ids = pd.Index(np.concatenate([s.ids.to_numpy(dtype=object) for s in sets]), name="id")
        if ids.has_duplicates:
            dup = ids[ids.duplicated()].unique().tolist()
            raise InputError(
                f"BondSet.concat: {len(dup)} id(s) in more than one set: {dup[:20]}; "
                "ids must be unique"
            )
        counts = np.concatenate([np.diff(s.call_offsets) for s in sets])
        attributes = pd.concat([s.attributes for s in sets], axis=0, sort=False)
        attributes.index = ids

        def cat(name: str) -> np.ndarray:
            return np.concatenate([getattr(s, name) for s in sets])

        return cls._build(
            ids=ids,
            coupon_rate=cat("coupon_rate"),
            maturity=cat("maturity"),
            issue=cat("issue"),
            first_coupon=cat("first_coupon"),
            frequency=cat("frequency"),
            day_count=cat("day_count"),
            face=cat("face"),
            end_of_month=cat("end_of_month"),
            redemption=cat("redemption"),
            call_offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            call_dates=cat("call_dates"),
            call_prices=cat("call_prices"),
            attributes=attributes,
        )

    def to_frame(self) -> pd.DataFrame:
        """The bonds as a DataFrame indexed by id (the inverse of :meth:`from_frame`).

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "id": ["037833AK6", "594918BY9"], "coupon_rate": [0.024, 0.033],
        ...     "maturity_date": ["2028-05-03", 20270206], "sector": ["Technology"] * 2})
        >>> bonds = BondSet.from_frame(frame)
        >>> bonds.to_frame()[["coupon_rate", "maturity_date"]].iloc[0].tolist()
        [np.float64(0.024), Timestamp('2028-05-03 00:00:00')]
        """
        out = pd.DataFrame(
            {
                "coupon_rate": self.coupon_rate,
                "maturity_date": to_timestamps(self.maturity),
                "issue_date": to_timestamps(self.issue),
                "first_coupon_date": to_timestamps(self.first_coupon),
                "frequency": self.frequency,
                "day_count": [cv.DAY_COUNT_NAMES[int(c)] for c in self.day_count],
                "face": self.face,
                "end_of_month": self.end_of_month,
                "redemption": self.redemption,
            },
            index=self.ids,
        )
        return pd.concat([out, self.attributes], axis=1)

    def calls_frame(self) -> pd.DataFrame:
        """The call schedules as a long DataFrame (id, call_date, call_price).

        Examples
        --------
        >>> import pandas as pd
        >>> callable_frame = pd.DataFrame({"id": ["A1"], "coupon_rate": [0.05],
        ...     "maturity_date": ["2035-05-15"], "call_date": ["2030-05-15"],
        ...     "call_price": [100.0]})
        >>> BondSet.from_frame(callable_frame).calls_frame().values.tolist()
        [['A1', Timestamp('2030-05-15 00:00:00'), 100.0]]
        """
        counts = np.diff(self.call_offsets)
        return pd.DataFrame(
            {
                "id": np.repeat(self.ids.to_numpy(), counts),
                "call_date": to_timestamps(self.call_dates),
                "call_price": self.call_prices,
            }
        )

    @property
    def is_callable(self) -> np.ndarray:
        """Whether each bond has a call schedule.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "id": ["037833AK6", "594918BY9"], "coupon_rate": [0.024, 0.033],
        ...     "maturity_date": ["2028-05-03", 20270206], "sector": ["Technology"] * 2})
        >>> bonds = BondSet.from_frame(frame)
        >>> bonds.is_callable.tolist()
        [False, False]
        """
        return np.diff(self.call_offsets) > 0

    def cashflows(self, settlement_date: Any, payment_convention: str = "unadjusted"):
        """The cash flows paid after ``settlement_date`` (cached per date and convention).

        Returns
        -------
        Cashflows
            Flat CSR arrays; see :class:`etfcore.bonds.schedule.Cashflows`.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "id": ["037833AK6", "594918BY9"], "coupon_rate": [0.024, 0.033],
        ...     "maturity_date": ["2028-05-03", 20270206], "sector": ["Technology"] * 2})
        >>> bonds = BondSet.from_frame(frame)
        >>> cf = bonds.cashflows("2026-01-15")
        >>> type(cf).__name__
        'Cashflows'
        """
        from .schedule import build_cashflows

        settle = to_day(settlement_date, "settlement_date")
        conv = cv.payment_convention_code(payment_convention)
        key = (settle, conv)
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) >= 8:
                self._cache.pop(next(iter(self._cache)))
            hit = build_cashflows(self, settle, conv)
            self._cache[key] = hit
        return hit


# ---------------------------------------------------------------------- helpers
def _fmt(day: int) -> str:
    return f"{to_timestamps(np.int64(day)):%Y-%m-%d}"


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT


def _dates(df: pd.DataFrame, col: str, problems: list[str], where, required=False) -> np.ndarray:
    """Read a date column with the package's one parser; collect a problem per bad row."""
    n = len(df)
    if col not in df.columns:
        return np.full(n, NO_DATE, dtype=np.int64)
    raw = df[col]
    days, status = parse_days(raw)
    missing = status == DATE_MISSING
    bad = ~missing & (status != DATE_OK)
    if bad.any():
        values = raw.to_numpy()
        for i in np.flatnonzero(bad):
            problems.append(f"{where(i, col)}: {date_problem(values[i], int(status[i]))}")
    if required:
        for i in np.flatnonzero(missing):
            problems.append(f"{where(i, col)}: missing; give a date such as 2030-05-15")
    return np.where(missing | bad, NO_DATE, days).astype(np.int64)


def _numbers(df, col, default, problems, where, positive=False) -> np.ndarray:
    n = len(df)
    out = np.full(n, default, dtype=float)
    if col not in df.columns:
        return out
    raw = df[col]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    missing = raw.isna().to_numpy()
    bad = ~missing & np.isnan(values)
    for i in np.flatnonzero(bad):
        problems.append(f"{where(i, col)}: {raw.iloc[i]!r} is not a number")
    if positive:
        for i in np.flatnonzero(~missing & ~bad & ~(values > 0)):
            problems.append(f"{where(i, col)}: {float(values[i])!r} must be positive")
    ok = ~missing & ~bad
    out[ok] = values[ok]
    return out


def _codes(df, col, default, to_code, problems, where) -> np.ndarray:
    """Map a convention column to integer codes, parsing each distinct value once."""
    n = len(df)
    out = np.full(n, default, dtype=np.int64)
    if col not in df.columns:
        return out
    raw = df[col]
    missing = raw.isna().to_numpy()
    values = raw.tolist()  # Python scalars, so messages show 3, not np.int64(3)
    codes: dict[str, int | str] = {}
    for i in np.flatnonzero(~missing):
        v = values[i]
        key = f"{type(v).__name__}:{v}"
        if key not in codes:
            try:
                codes[key] = to_code(v, where(int(i), col))
            except InputError as e:
                codes[key] = str(e)
        code = codes[key]
        if isinstance(code, str):
            problems.append(code if values.index(v) == i else _reword(code, where(int(i), col)))
        else:
            out[i] = code
    return out


def _reword(message: str, location: str) -> str:
    """Put another row's location at the head of a convention error message."""
    return location + message[message.index(":") :] if ":" in message else message


def _booleans(df, col, default, problems, where) -> np.ndarray:
    n = len(df)
    out = np.full(n, default, dtype=np.bool_)
    if col not in df.columns:
        return out
    raw = df[col]
    if raw.dtype == bool:
        return raw.to_numpy(dtype=np.bool_)
    for i, v in enumerate(raw.tolist()):
        if _is_missing(v):
            continue
        if isinstance(v, (bool, np.bool_)) or v in (0, 1):
            out[i] = bool(v)
        elif str(v).strip().lower() in ("true", "false", "yes", "no", "y", "n"):
            out[i] = str(v).strip().lower() in ("true", "yes", "y")
        else:
            problems.append(f"{where(i, col)}: {v!r} is not true/false")
    return out


def _check_identifiers(df: pd.DataFrame, id_str: pd.Series, id_type: str):
    """Return (check-digit problems, other problems) for id / cusip / isin columns."""
    from .identifiers import check_identifiers

    if id_type not in ("auto", "cusip", "isin", "none"):
        raise InputError(f"id_type: {id_type!r} is not one of 'auto', 'cusip', 'isin', 'none'")
    digit_problems: list[str] = []
    other: list[str] = []
    columns: list[tuple[str, pd.Series, str]] = []
    if id_type != "none":
        columns.append(("id", id_str, id_type))
    for col in ("cusip", "isin"):
        if col in df.columns:
            columns.append((col, df[col].astype("string").fillna("").str.strip(), col))
    for col, values, kind in columns:
        table = check_identifiers(values.to_numpy(dtype=object))
        vals = values.to_numpy(dtype=object)
        empty = (values == "") | (values == "-")
        kinds = table["kind"].to_numpy(dtype=object)
        valid = table["valid"].to_numpy(dtype=bool)
        if kind in ("cusip", "isin"):
            for i in np.flatnonzero(~empty.to_numpy() & (kinds != kind)):
                other.append(
                    f"row {i} (id {id_str.iloc[i]}), column '{col}': {vals[i]!r} is not shaped "
                    f"like a {kind.upper()}"
                )
            checked = ~empty.to_numpy() & (kinds == kind)
        else:
            checked = ~empty.to_numpy() & (kinds != "other")
        expected = table["expected_check_digit"].to_numpy(dtype=object)
        for i in np.flatnonzero(checked & ~valid):
            v = vals[i]
            digit_problems.append(
                f"row {i} (id {id_str.iloc[i]}), column '{col}': {kinds[i].upper()} "
                f"{v!r} check digit should be {expected[i]}, got {v[-1]}"
                "; correct the identifier (or pass strict=False to keep the row)"
            )
    return digit_problems, other


def _check_first_coupon(i, where, fc, iss, mat, freq, eom) -> list[str]:
    from ._kernels import _roll_nb, is_end_of_month_nb

    out = []
    col = "first_coupon_date"
    if freq == 0:
        return [f"{where(i, col)}: a zero-coupon bond (frequency 0) has no first coupon date"]
    if iss == NO_DATE:
        return [f"{where(i, col)}: needs issue_date (the first period starts on the issue date)"]
    if not iss < fc <= mat:
        return [
            f"{where(i, col)}: {_fmt(fc)} must be after issue {_fmt(iss)} and on or before "
            f"maturity {_fmt(mat)}"
        ]
    months = 12 // int(freq)
    use_eom = bool(eom) and bool(is_end_of_month_nb(mat))
    k = 0
    while True:
        d = _roll_nb(mat, k, months, use_eom)
        if d <= fc:
            break
        k += 1
    if d != fc:
        out.append(
            f"{where(i, col)}: {_fmt(fc)} is not on the coupon roll of maturity {_fmt(mat)} "
            f"(nearest roll dates {_fmt(d)} and {_fmt(_roll_nb(mat, k - 1, months, use_eom))}); "
            "give the first regular coupon date"
        )
    return out


def _call_frame(df, calls, id_str, problems) -> pd.DataFrame:
    parts = []
    if "call_date" in df.columns:
        single = pd.DataFrame(
            {
                "id": id_str,
                "call_date": df["call_date"],
                "call_price": df["call_price"] if "call_price" in df.columns else 100.0,
            }
        )
        keep = ~single["call_date"].map(lambda v: _is_missing(v) or v in ("", "-"))
        parts.append(single[keep])
    if calls is not None:
        if not isinstance(calls, pd.DataFrame):
            raise InputError("calls: expected a DataFrame with columns id, call_date, call_price")
        miss = [c for c in ("id", "call_date", "call_price") if c not in calls.columns]
        if miss:
            raise InputError(
                f"calls: missing column(s) {miss}; expected id, call_date, call_price "
                "(price per 100 face)"
            )
        parts.append(calls[["id", "call_date", "call_price"]].astype({"id": "string"}))
    if not parts:
        return pd.DataFrame({"id": [], "call_date": [], "call_price": []})
    return pd.concat(parts, ignore_index=True)


def _call_arrays(calls: pd.DataFrame, pos: pd.Series, maturity, freq):
    n = len(pos)
    problems: list[str] = []
    if len(calls) == 0:
        return np.zeros(n + 1, dtype=np.int64), np.empty(0, np.int64), np.empty(0), problems
    ids = calls["id"].astype("string").str.strip()
    p = pos.reindex(ids.to_numpy()).to_numpy()
    dates = np.full(len(calls), NO_DATE, dtype=np.int64)
    prices = pd.to_numeric(calls["call_price"], errors="coerce").to_numpy(dtype=float)
    parsed, date_status = parse_days(calls["call_date"])
    ok_date = date_status == DATE_OK
    dates[ok_date] = parsed[ok_date]
    known = ~np.isnan(p)
    p_int = np.where(known, p, 0).astype(np.int64)
    bad = ~known | ~ok_date | ~(prices > 0)
    bad |= known & ok_date & (dates >= maturity[p_int])
    bad |= known & (freq[p_int] == 0)
    for j in np.flatnonzero(bad):
        label = f"calls row {j} (id {ids.iloc[j]})"
        if not known[j]:
            problems.append(f"{label}, column 'id': not a bond of this set")
            continue
        if not ok_date[j]:
            problems.append(
                f"{label}, column 'call_date': "
                + date_problem(calls["call_date"].iloc[j], int(date_status[j]))
            )
            continue
        if not prices[j] > 0:
            problems.append(
                f"{label}, column 'call_price': {calls['call_price'].iloc[j]!r} "
                "must be a positive price per 100 face"
            )
        if dates[j] >= maturity[p_int[j]]:
            problems.append(
                f"{label}, column 'call_date': {_fmt(dates[j])} is not before "
                f"maturity {_fmt(maturity[p_int[j]])}"
            )
        if freq[p_int[j]] == 0:
            problems.append(f"{label}: callable zero-coupon bonds are not supported")
    if problems:
        return None, None, None, problems
    order = np.lexsort((dates, p))
    p_sorted = p[order].astype(np.int64)
    d_sorted = dates[order]
    dup = (np.diff(p_sorted) == 0) & (np.diff(d_sorted) == 0)
    for j in np.flatnonzero(dup):
        problems.append(
            f"calls: bond {pos.index[p_sorted[j]]} has call date {_fmt(d_sorted[j])} twice"
        )
    counts = np.bincount(p_sorted, minlength=n)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return offsets, d_sorted, prices[order], problems
