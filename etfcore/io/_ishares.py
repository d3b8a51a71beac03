"""Reader for iShares "Detailed Holdings and Analytics" CSV files (bond ETFs).

An iShares holdings download has, in order:

* an optional preamble of about 9 lines (fund name, ``Fund Holdings as of,"Jan 05, 2026"``,
  inception date, shares outstanding, ...) and a blank line -- files passed around
  after download often lack it;
* a header row starting ``Name,Sector,Asset Class,Market Value,Weight (%),...``;
* one row per holding: fixed income, cash, money-market funds, derivatives;
* a blank line (often a single non-breaking space and commas) and a disclaimer /
  copyright footer in one quoted field.

Numbers carry thousands separators (``"1,234,567.89"``), dates read like
``"Jan 05, 2029"`` and ``"-"`` means "no value".
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from ..bonds.identifiers import check_identifier, is_cusip_shaped, is_us_treasury_cusip
from ..errors import DataWarning, InputError, describe_rows

if TYPE_CHECKING:  # pragma: no cover
    from ..bonds.bondset import BondSet

__all__ = [
    "AsOfInference",
    "IsharesHoldings",
    "bonds_frame",
    "days360_us",
    "infer_as_of_date",
    "infer_schedule_conventions",
    "read_ishares_holdings",
    "read_ishares_holdings_frame",
]

#: File column -> holdings column, with the kind of parsing each gets.
#: Kinds: "text", "number" (as is), "percent" (divided by 100), "date".
COLUMNS: dict[str, tuple[str, str]] = {
    "Name": ("name", "text"),
    "Sector": ("sector", "text"),
    "Asset Class": ("asset_class", "text"),
    "Market Value": ("market_value_usd", "number"),
    "Weight (%)": ("weight_pct", "number"),
    "Notional Value": ("notional_value_usd", "number"),
    "Par Value": ("par_value_usd", "number"),
    "CUSIP": ("cusip", "text"),
    "ISIN": ("isin", "text"),
    "SEDOL": ("sedol", "text"),
    "Price": ("price", "number"),
    "Location": ("location", "text"),
    "Exchange": ("exchange", "text"),
    "Currency": ("currency", "text"),
    "Duration": ("duration", "number"),
    "YTM (%)": ("ytm", "percent"),
    "FX Rate": ("fx_rate", "number"),
    "Maturity": ("maturity_date", "date"),
    "Coupon (%)": ("coupon_rate", "percent"),
    "Mod. Duration": ("mod_duration", "number"),
    "Yield to Call (%)": ("ytc", "percent"),
    "Yield to Worst (%)": ("ytw", "percent"),
    "Real Duration": ("real_duration", "number"),
    "Real YTM (%)": ("real_ytm", "percent"),
    "Market Currency": ("market_currency", "text"),
    "Accrual Date": ("accrual_date", "date"),
    "Effective Date": ("effective_date", "date"),
}
#: Columns every holdings file must have (the fixed-income ones too: this is a bond-ETF reader).
REQUIRED = (
    "Name",
    "Asset Class",
    "Market Value",
    "Weight (%)",
    "Par Value",
    "CUSIP",
    "Price",
    "Maturity",
    "Coupon (%)",
)
FIXED_INCOME = "Fixed Income"
_MISSING = {"", "-", "--", "n/a", "N/A", "NA"}
_NUMBER_RE = r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DATE_FORMATS = ("%b %d, %Y", "%Y-%m-%d", "%m/%d/%Y")
_HEADER_SEARCH_LINES = 40


class IsharesHoldings(NamedTuple):
    """What :func:`read_ishares_holdings` returns."""

    #: The fixed-income rows as a :class:`~etfcore.BondSet` (ids are CUSIPs).
    bonds: BondSet
    #: Every row of the file (bonds, cash, money market, derivatives), indexed by ``id``.
    holdings: pd.DataFrame


# ------------------------------------------------------------------------------- reading


def _norm(label: str) -> str:
    return " ".join(label.replace("\xa0", " ").split()).lower()


_KNOWN = {_norm(k): k for k in COLUMNS}


def _snake(label: str) -> str:
    text = re.sub(r"\(%\)", "pct", label)
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "column"


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Split CSV text into records, each with the file line on which it starts."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    start = 1
    try:
        for fields in reader:
            out.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"line {start}: the CSV cannot be parsed ({exc}); check the quoting on that line"
        ) from exc
    return out


def _is_header(fields: list[str]) -> bool:
    names = {_norm(f) for f in fields}
    return "name" in names and "asset class" in names


def _parse_date_text(value: str) -> pd.Timestamp | None:
    for fmt in _DATE_FORMATS:
        try:
            return pd.Timestamp(pd.to_datetime(value, format=fmt))
        except (ValueError, TypeError):
            continue
    return None


def _preamble(records: list[tuple[int, list[str]]], file: str) -> dict[str, Any]:
    """Read the key/value lines above the header (fund name, as-of date...)."""
    info: dict[str, Any] = {}
    for line, fields in records:
        cells = [f.strip() for f in fields]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if len(cells) == 1:
            info.setdefault("fund_name", cells[0])
            continue
        key, value = cells[0], cells[1]
        info[key] = value
        if _norm(key) == "fund holdings as of":
            if value in _MISSING:
                warnings.warn(
                    f"{file}: line {line} says 'Fund Holdings as of,{value}': the file has no "
                    "as-of date; pass settlement_date or use infer_as_of_date()",
                    DataWarning,
                    stacklevel=4,
                )
                continue
            date = _parse_date_text(value)
            if date is None:
                raise InputError(
                    f"{file}: line {line}, 'Fund Holdings as of': {value!r} is not a date; "
                    "expected e.g. 'Jan 05, 2026' (fix or delete the line)"
                )
            info["as_of_date"] = date
    return info


def _split_records(
    records: list[tuple[int, list[str]]], width: int, file: str
) -> tuple[list[int], list[list[str]]]:
    """Keep data rows; drop blank lines and the trailing footer; warn about other drops."""
    kind = []  # "data", "blank" or "text" per record
    for _, fields in records:
        cells = [f.strip() for f in fields]
        if not any(cells):
            kind.append("blank")
        elif not any(cells[1:]):
            kind.append("text")
        else:
            kind.append("data")
    last_data = max((i for i, k in enumerate(kind) if k == "data"), default=-1)
    lines: list[int] = []
    rows: list[list[str]] = []
    dropped: list[str] = []
    problems: list[str] = []
    for i, ((line, fields), k) in enumerate(zip(records, kind, strict=True)):
        if k == "blank" or (k == "text" and i > last_data):
            continue  # blank lines and the footer after the last holding
        if k == "text":
            dropped.append(f"line {line} ({fields[0].strip()[:60]!r})")
            continue
        if len(fields) > width and not any(f.strip() for f in fields[width:]):
            fields = fields[:width]
        if len(fields) != width:
            problems.append(
                f"line {line}: {len(fields)} fields, but the header has {width}; "
                'a value with a comma must be quoted ("1,234.50")'
            )
            continue
        lines.append(line)
        rows.append([f.strip() for f in fields])
    if problems:
        raise InputError.from_problems(f"{file}: rows with the wrong number of fields", problems)
    if dropped:
        warnings.warn(
            f"{file}: dropped {len(dropped)} row(s) that hold only a name and no values: "
            + describe_rows("", dropped).strip(),
            DataWarning,
            stacklevel=4,
        )
    return lines, rows


def _parse_numbers(
    text: pd.Series, where: Any, column: str, problems: list[str], kind: str
) -> np.ndarray:
    missing = text.isin(_MISSING).to_numpy()
    ok = text.str.fullmatch(_NUMBER_RE).fillna(False).to_numpy(dtype=bool) & (text != "").to_numpy()
    clean = text.str.replace(",", "", regex=False)
    values = np.full(len(text), np.nan)
    good = ok & ~missing
    if good.any():
        values[good] = clean[good].astype(float).to_numpy()
    for i in np.flatnonzero(~ok & ~missing):
        problems.append(
            f"{where(i)}, column {column!r}: cannot read {text.iloc[i]!r} as a number; "
            "use digits with an optional sign, thousands separator and decimal point "
            "(\"-1,234.50\"), or '-' for no value"
        )
    return values / 100.0 if kind == "percent" else values


def _parse_dates(text: pd.Series, where: Any, column: str, problems: list[str]) -> pd.Series:
    missing = text.isin(_MISSING).to_numpy()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    todo = ~missing
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        hit = parsed.notna().to_numpy()
        idx = np.flatnonzero(todo)[hit]
        out.iloc[idx] = parsed[hit].to_numpy()
        todo[idx] = False
    for i in np.flatnonzero(todo):
        problems.append(
            f"{where(i)}, column {column!r}: cannot read {text.iloc[i]!r} as a date; "
            "use the iShares form 'Jan 05, 2029' (or 2029-01-05), or '-' for no date"
        )
    return out


def _unmangle_cusip(cell: str, isin: str) -> str | None:
    """The CUSIP inside ``isin`` when ``cell`` is that CUSIP after a spreadsheet mangled it.

    Spreadsheets turn ``88732JAN8`` into the date-like ``88732Jan8``, drop leading zeros
    (``00774MAY1`` -> ``0774May1``) and show ``345397E66`` as the number ``3.45E+71``.
    Only those three patterns are repaired, and only from a valid US/CA ISIN.
    """
    if not isinstance(isin, str) or isin[:2] not in ("US", "CA"):
        return None
    check = check_identifier(isin)
    embedded = isin[2:11]
    if not check.valid or not check_identifier(embedded).valid:
        return None
    if cell.upper().zfill(9) == embedded:
        return embedded
    sci = re.fullmatch(r"(\d)(?:\.(\d+))?E\+(\d+)", cell, flags=re.IGNORECASE)
    num = re.fullmatch(r"(\d+)E(\d+)", embedded)
    if sci and num:
        digits = num[1].lstrip("0") or "0"
        exponent = int(num[2]) + len(digits) - 1
        mantissa = (sci[1] + (sci[2] or "")).rstrip("0")
        if int(sci[3]) == exponent and (
            digits.startswith(mantissa) or _rounds_to(digits, mantissa)
        ):
            return embedded
    return None


def _rounds_to(digits: str, mantissa: str) -> bool:
    """Whether the digit string rounded to ``len(mantissa)`` significant digits is ``mantissa``."""
    if len(mantissa) >= len(digits):
        return False
    scaled = round(int(digits) / 10 ** (len(digits) - len(mantissa)))
    return str(scaled) == mantissa


def _ids(frame: pd.DataFrame, lines: list[int], file: str, strict: bool) -> pd.Index:
    """Index values: CUSIP, else ISIN, else a synthetic id from the name (``USD_CASH``)."""
    ids: list[str] = []
    synthetic: list[bool] = []
    for cusip, isin, name, asset in zip(
        frame["cusip"], frame["isin"], frame["name"], frame["asset_class"], strict=True
    ):
        if isinstance(cusip, str) and cusip:
            ids.append(cusip)
            synthetic.append(False)
        elif isinstance(isin, str) and isin:
            ids.append(isin)
            synthetic.append(False)
        else:
            base = name if isinstance(name, str) and name else f"{asset}"
            ids.append(re.sub(r"[^0-9A-Z]+", "_", str(base).upper()).strip("_") or "HOLDING")
            synthetic.append(True)
    seen: dict[str, int] = {}
    first_line: dict[str, int] = {}
    out = []
    dups: list[tuple[int, str]] = []
    for i, value in enumerate(ids):
        n = seen.get(value, 0) + 1
        seen[value] = n
        if n == 1:
            first_line[value] = lines[i]
            out.append(value)
            continue
        out.append(f"{value}_{n}")
        if not synthetic[i]:
            dups.append(
                (
                    i,
                    f"line {lines[i]}: identifier {value} already on line {first_line[value]}; "
                    f"this row is kept as {value}_{n}",
                )
            )
    if dups:
        is_bond = frame["asset_class"].eq(FIXED_INCOME).to_numpy()
        bond_dups = [text for i, text in dups if is_bond[i]]
        if bond_dups and strict:
            raise InputError.from_problems(
                f"{file}: a bond appears twice; merge the rows or pass strict=False", bond_dups
            )
        warnings.warn(
            f"{file}: {len(dups)} duplicate identifier(s):\n  - "
            + "\n  - ".join(text for _, text in dups),
            DataWarning,
            stacklevel=4,
        )
    return pd.Index(out, name="id", dtype=object)


def read_ishares_holdings_frame(
    path: str | os.PathLike[str], *, strict: bool = True
) -> pd.DataFrame:
    """Read an iShares holdings CSV into a DataFrame of every row, without a BondSet.

    This is the table half of :func:`read_ishares_holdings`, without building a
    :class:`~etfcore.BondSet`: use it to inspect a file whose bonds do not all
    validate (a matured bond, a bad identifier).

    Parameters
    ----------
    path
        The CSV file.
    strict
        A fixed-income row whose CUSIP is not shaped like a CUSIP (and cannot be
        repaired from its ISIN), or a bond listed twice, is an error; with
        ``strict=False`` it is a :class:`~etfcore.DataWarning` and the row is kept.

    Returns
    -------
    pandas.DataFrame
        See :func:`read_ishares_holdings`.
    """
    path = Path(path)
    file = path.name
    if not path.is_file():
        raise FileNotFoundError(f"no iShares holdings file at {str(path)!r}")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{file}: not a text file ({exc}); expected an iShares holdings CSV"
        ) from exc
    try:
        records = _records(text)
    except InputError as exc:
        raise InputError(f"{file}: {exc}") from None
    header_at = next(
        (i for i, (_, fields) in enumerate(records[:_HEADER_SEARCH_LINES]) if _is_header(fields)),
        None,
    )
    if header_at is None:
        first = records[0][1][:4] if records else []
        raise InputError(
            f"{file}: not an iShares holdings file: no header row with 'Name' and 'Asset Class' "
            f"columns in the first {_HEADER_SEARCH_LINES} lines (the first line reads {first!r}); "
            "download the fund's 'Detailed Holdings and Analytics' CSV from ishares.com"
        )
    info = _preamble(records[:header_at], file)
    header_line, header = records[header_at]
    header = [h.strip() for h in header]
    while header and header[-1] == "":
        header.pop()
    canonical = [_KNOWN.get(_norm(h), h) for h in header]
    missing = [c for c in REQUIRED if c not in canonical]
    if missing:
        raise InputError(
            f"{file}: line {header_line}: missing column(s) {missing}; the header has "
            f"{header!r}. This reader needs an iShares bond-fund 'Detailed Holdings and "
            "Analytics' CSV"
        )
    dup = sorted({c for c in canonical if canonical.count(c) > 1})
    if dup:
        raise InputError(f"{file}: line {header_line}: column(s) {dup} appear twice")

    lines, rows = _split_records(records[header_at + 1 :], len(header), file)
    if not rows:
        raise InputError(f"{file}: the header on line {header_line} is followed by no holdings")
    raw = pd.DataFrame(rows, columns=canonical, dtype=str)
    if "CUSIP" in raw and "Name" in raw:
        label = [
            f"line {ln} ({c if c not in _MISSING else n[:30]})"
            for ln, c, n in zip(lines, raw["CUSIP"], raw["Name"], strict=True)
        ]
    else:  # pragma: no cover - REQUIRED has both
        label = [f"line {ln}" for ln in lines]

    def where(i: int) -> str:
        return label[i]

    problems: list[str] = []
    data: dict[str, Any] = {}
    for column in canonical:
        target, kind = COLUMNS.get(column, (_snake(column), "text"))
        text = raw[column]
        if kind in ("number", "percent"):
            data[target] = _parse_numbers(text, where, column, problems, kind)
        elif kind == "date":
            data[target] = _parse_dates(text, where, column, problems).to_numpy()
        else:
            data[target] = text.where(~text.isin(_MISSING)).to_numpy(dtype=object)
    if problems:
        shown = problems[:30] + (
            [f"... and {len(problems) - 30} more"] if len(problems) > 30 else []
        )
        raise InputError.from_problems(f"{file}: values that cannot be read", shown)
    for target, kind in COLUMNS.values():  # absent optional columns: all missing
        if target not in data:
            missing = np.datetime64("NaT", "ns") if kind == "date" else np.nan
            data[target] = np.full(len(raw), missing)
    frame = pd.DataFrame(data)
    for target, kind in COLUMNS.values():
        if kind == "date":
            frame[target] = pd.to_datetime(frame[target])
        elif kind == "text":
            frame[target] = frame[target].astype("str")

    repairs = _repair_cusips(frame, lines, file, strict)
    index = _ids(frame, lines, file, strict)
    frame.index = index

    is_bond = frame["asset_class"].eq(FIXED_INCOME)
    with np.errstate(divide="ignore", invalid="ignore"):
        dirty = frame["market_value_usd"] / frame["par_value_usd"] * 100.0
    ok = is_bond & (frame["par_value_usd"] > 0)
    frame["accrued_interest"] = (dirty - frame["price"]).where(ok)

    order = [t for t, _ in COLUMNS.values()]
    extra = [c for c in frame.columns if c not in order and c != "accrued_interest"]
    frame = frame[order + extra + ["accrued_interest"]]
    frame.attrs["source"] = str(path)
    if repairs:
        frame.attrs["cusip_repairs"] = repairs
    if "as_of_date" in info:
        frame.attrs["as_of_date"] = info["as_of_date"]
    if info:
        frame.attrs["preamble"] = {k: v for k, v in info.items() if k != "as_of_date"}
    return frame


def _repair_cusips(frame: pd.DataFrame, lines: list[int], file: str, strict: bool) -> dict:
    """Fix spreadsheet-mangled CUSIPs of bonds from their ISINs; flag the unfixable ones."""
    repairs: dict[str, str] = {}
    notes: list[str] = []
    unfixable: list[str] = []
    cusips = frame["cusip"].to_numpy(dtype=object)
    is_bond = frame["asset_class"].eq(FIXED_INCOME).to_numpy()
    for i, (cell, isin) in enumerate(zip(cusips, frame["isin"], strict=True)):
        if not is_bond[i] or not isinstance(cell, str) or is_cusip_shaped(cell):
            continue
        fixed = _unmangle_cusip(cell, isin)
        if fixed is not None:
            repairs[fixed] = cell
            notes.append(f"line {lines[i]}: {cell!r} -> {fixed} (from ISIN {isin})")
            cusips[i] = fixed
        else:
            unfixable.append(f"line {lines[i]}, column 'CUSIP': {check_identifier(cell).message}")
    frame["cusip"] = pd.array(cusips, dtype="str")
    if notes:
        warnings.warn(
            f"{file}: repaired {len(notes)} CUSIP(s) that a spreadsheet had mangled (read as "
            "dates or numbers), using the CUSIP inside each row's ISIN:\n  - "
            + "\n  - ".join(notes),
            DataWarning,
            stacklevel=4,
        )
    if unfixable:
        if strict:
            raise InputError.from_problems(
                f"{file}: bonds without a usable CUSIP; fix the cells or pass strict=False",
                unfixable,
            )
        warnings.warn(
            f"{file}: kept {len(unfixable)} bond(s) whose CUSIP cell is not a CUSIP "
            "(strict=False):\n  - " + "\n  - ".join(unfixable),
            DataWarning,
            stacklevel=4,
        )
    return repairs


def bonds_frame(holdings: pd.DataFrame) -> pd.DataFrame:
    """The fixed-income rows of a holdings frame in :meth:`BondSet.from_frame` form.

    Columns ``id`` (the CUSIP), ``coupon_rate`` (decimal), ``maturity_date``,
    ``frequency`` (2, or 0 for a zero-coupon bond), ``day_count`` (``"30/360 US"``;
    ``"ACT/ACT ICMA"`` for US Treasury CUSIPs), ``issue_date`` (the file's
    ``accrual_date`` when it is before the maturity, else NaT), ``first_coupon_date``
    and ``end_of_month`` (from the holdings columns of that name when present, as
    :func:`read_ishares_holdings` sets them; else NaT and True), and ``name``,
    ``sector``, ``isin``, ``accrual_date`` that :class:`~etfcore.BondSet` keeps as
    attributes.
    """
    fi = holdings.loc[holdings["asset_class"].eq(FIXED_INCOME)]
    coupon = fi["coupon_rate"]
    accrual = fi["accrual_date"]
    issue = accrual.where(accrual < fi["maturity_date"])
    if "first_coupon_date" in fi:
        first_coupon = fi["first_coupon_date"].where(issue.notna())
    else:
        first_coupon = pd.Series(pd.NaT, index=fi.index, dtype="datetime64[ns]")
    if "end_of_month" in fi:
        end_of_month = fi["end_of_month"].astype("boolean").fillna(True).astype(bool)
    else:
        end_of_month = pd.Series(True, index=fi.index)
    return pd.DataFrame(
        {
            "id": fi.index.to_numpy(dtype=object),
            "coupon_rate": coupon.to_numpy(),
            "maturity_date": fi["maturity_date"].to_numpy(),
            "frequency": np.where(coupon.to_numpy() == 0.0, 0, 2),
            "day_count": _day_counts(fi.index),
            "issue_date": issue.to_numpy(),
            "first_coupon_date": first_coupon.to_numpy(),
            "end_of_month": end_of_month.to_numpy(dtype=bool),
            "name": fi["name"].to_numpy(dtype=object),
            "sector": fi["sector"].to_numpy(dtype=object),
            "isin": fi["isin"].to_numpy(dtype=object),
            "accrual_date": accrual.to_numpy(),
        }
    )


def _bond_set(holdings: pd.DataFrame, *, strict: bool, settlement_date: Any) -> BondSet:
    """Build the BondSet of the fixed-income rows (the one call into etfcore.bonds.bondset)."""
    from ..bonds.bondset import BondSet

    file = Path(holdings.attrs.get("source", "holdings")).name
    frame = bonds_frame(holdings)
    if frame.empty:
        raise InputError(f"{file}: no '{FIXED_INCOME}' rows; this reader is for bond ETFs")
    try:
        return BondSet.from_frame(frame, strict=strict, settlement_date=settlement_date)
    except InputError as exc:  # say which file; rows count the file's bonds from 0
        raise InputError(f"{file}, fixed-income rows: {exc}", exc.problems) from exc


def read_ishares_holdings(
    path: str | os.PathLike[str],
    *,
    settlement_date: Any = None,
    strict: bool = True,
    infer_conventions: bool = True,
) -> IsharesHoldings:
    """Read an iShares "Detailed Holdings and Analytics" CSV of a bond ETF.

    Parameters
    ----------
    path
        The CSV file, with or without the iShares preamble above the header.
    settlement_date
        Passed to :meth:`BondSet.from_frame`: a bond that matures on or before it is
        an error. Defaults to nothing (no maturity check). The file's
        ``Fund Holdings as of`` date, when there is one, is in
        ``holdings.attrs["as_of_date"]``; without one, :func:`infer_as_of_date`
        estimates the settlement date from accrued interest. Also the date at
        which the schedule conventions are inferred; when it is None, that
        inference (only) uses :func:`infer_as_of_date`'s settlement date.
    strict
        A bad CUSIP/ISIN check digit, an unusable CUSIP or a bond listed twice is an
        error; ``strict=False`` turns each into a warning and keeps the row.
    infer_conventions
        Choose each bond's first coupon (short or long) and end-of-month rule
        from the file's accrued interest with :func:`infer_schedule_conventions`.
        With False every bond gets the defaults: a first period from the accrual
        date to the first roll date after it, and the end-of-month rule.

    Returns
    -------
    IsharesHoldings
        ``bonds``: a :class:`~etfcore.BondSet` of the ``Fixed Income`` rows, ids are
        CUSIPs, coupons semiannual 30/360 US (see :func:`bonds_frame`), issued on
        the file's accrual date.
        ``holdings``: every row, indexed by ``id`` (the CUSIP; else the ISIN; else a
        synthetic id from the name, such as ``"USD_CASH"``), with columns ``name,
        sector, asset_class, market_value_usd, weight_pct, notional_value_usd,
        par_value_usd, cusip, isin, sedol, price, location, exchange, currency,
        duration, ytm, fx_rate, maturity_date, coupon_rate, mod_duration, ytc, ytw,
        real_duration, real_ytm, market_currency, accrual_date, effective_date``,
        ``accrued_interest``, and the schedule conventions used for the BondSet:
        ``first_coupon_date`` (NaT: the first coupon is the first roll date after
        the accrual date), ``end_of_month`` (nullable boolean, NA for non-bonds)
        and ``convention_source`` (how each was decided, such as
        ``"file accrued: long first coupon"``; see
        :func:`infer_schedule_conventions`). Yields and coupons (``ytm``,
        ``coupon_rate``, ``ytc``, ``ytw``, ``real_ytm``) are decimals;
        ``weight_pct`` stays in percent; ``price`` and ``accrued_interest`` are per
        100 face; missing values (``"-"``) are NaN/NaT. ``attrs`` holds ``source``,
        ``as_of_date`` (when the preamble has one), ``preamble``,
        ``cusip_repairs`` (repaired CUSIP -> cell as read) and
        ``conventions_settlement_date`` (the date the conventions were inferred at).

    Raises
    ------
    InputError
        If the file is not an iShares holdings file (no ``Name``/``Asset Class``
        header), lacks a required column, has a row with the wrong number of
        fields, or a number or a date that cannot be read -- naming the line, the
        column and the value -- or if a bond fails :meth:`BondSet.from_frame`.
    FileNotFoundError
        If there is no file at ``path``.

    Warns
    -----
    DataWarning
        For CUSIPs repaired from the ISIN (a spreadsheet had turned ``88732JAN8``
        into ``88732Jan8`` or ``345397E66`` into ``3.45E+71``), rows that hold only
        a name and were dropped, (``strict=False``) rows kept despite a problem,
        and, once, the count of bonds whose inferred conventions differ from the
        defaults (or that the conventions could not be inferred at all).

    Notes
    -----
    Dropped silently, as documented: blank lines (including the line of a
    non-breaking space and commas iShares puts before the footer), the preamble,
    and the disclaimer footer after the last holding.

    ``accrued_interest = market_value_usd / par_value_usd * 100 - price`` for
    fixed-income rows with a positive par: iShares market values include accrued
    interest and prices are clean.

    The file gives neither first coupon dates nor the end-of-month rule; both
    change the accrued interest (and the first cash flow) of new issues and of
    month-end maturities. :func:`infer_schedule_conventions` picks, per bond, the
    reading that reproduces the file's accrued interest.
    """
    holdings = read_ishares_holdings_frame(path, strict=strict)
    file = Path(holdings.attrs.get("source", "holdings")).name
    settle = settlement_date
    if not holdings["asset_class"].eq(FIXED_INCOME).any():
        infer_conventions = False  # _bond_set says there is no bond
    elif infer_conventions and settle is None:
        try:
            settle = infer_as_of_date(holdings).settlement_date
        except InputError as exc:
            warnings.warn(
                f"{file}: schedule conventions not inferred (defaults used): the settlement "
                f"date could not be inferred ({exc}); pass settlement_date",
                DataWarning,
                stacklevel=2,
            )
            infer_conventions = False
    if infer_conventions:
        conventions = infer_schedule_conventions(holdings, settle)
        holdings.attrs["conventions_settlement_date"] = pd.Timestamp(settle)
        summary = _conventions_summary(conventions, file, pd.Timestamp(settle))
        if summary:
            warnings.warn(summary, DataWarning, stacklevel=2)
    else:
        conventions = _default_conventions(holdings, "not inferred (infer_conventions=False)")
    holdings = _with_conventions(holdings, conventions)
    bonds = _bond_set(holdings, strict=strict, settlement_date=settlement_date)
    return IsharesHoldings(bonds=bonds, holdings=holdings)


# --------------------------------------------------------- schedule conventions from accrued

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


def _months(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype(np.int64)


def _roll_back(maturity: np.ndarray, k: np.ndarray, end_of_month: np.ndarray) -> np.ndarray:
    """The ``k``-th semiannual roll date back from ``maturity`` (``datetime64[D]``).

    As :class:`~etfcore.BondSet` rolls (QuantLib's backward generation): the
    maturity's day, clamped to the month's length, or the month's last day when
    ``end_of_month`` and the maturity is a month end.
    """
    month = (_months(maturity) - 6 * k).astype("datetime64[M]")
    first = month.astype("datetime64[D]")
    length = ((month + 1).astype("datetime64[D]") - first).astype(np.int64)
    day = (maturity - maturity.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    month_end = (maturity + np.timedelta64(1, "D")).astype("datetime64[M]") != maturity.astype(
        "datetime64[M]"
    )
    dom = np.where(end_of_month & month_end, length, np.minimum(day, length))
    return first + (dom - 1)


def _rolls_to(maturity: np.ndarray, date: np.ndarray, end_of_month: np.ndarray) -> np.ndarray:
    """Smallest ``k >= 0`` whose roll date back from maturity is on or before ``date``."""
    gap = _months(maturity) - _months(date)
    k = np.maximum(-(-gap // 6), 0)
    return np.where(_roll_back(maturity, k, end_of_month) <= date, k, k + 1)


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
    from ..bonds.bondset import MAX_COUPON_RATE, BondSet
    from ..bonds.dates import to_day
    from ..bonds.pricing import accrued_interest

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

    # roll arithmetic on the usable bonds (NaT-free), with the default month-end rolls
    u = np.flatnonzero(usable)
    mat_u = maturity[u]
    issued = has_issue[u]
    iss_u = np.where(issued, issue[u], mat_u)  # a placeholder where there is none
    month_end = (mat_u + np.timedelta64(1, "D")).astype("datetime64[M]") != mat_u.astype(
        "datetime64[M]"
    )
    eom_true = np.ones(len(u), dtype=bool)
    k1 = _rolls_to(mat_u, iss_u, eom_true)  # roll(k1) <= issue < roll(k1 - 1)
    previous = _rolls_to(mat_u, np.full(len(u), settle_day), eom_true)  # last coupon paid
    seasoned = ~issued | (iss_u <= _roll_back(mat_u, previous + 1, eom_true))
    on_roll = _roll_back(mat_u, k1, eom_true) == iss_u
    unpaid = issued & (settle_day <= _roll_back(mat_u, np.maximum(k1 - 1, 0), eom_true))
    new_issue = issued & ~seasoned
    first_coupon = {}  # end_of_month -> (the long reading's first coupon, does it exist)
    for eom in (True, False):
        flag = np.full(len(u), eom)
        k2 = _rolls_to(mat_u, iss_u, flag) - 2  # the second roll date after the issue
        first_coupon[eom] = (_roll_back(mat_u, np.maximum(k2, 0), flag), issued & (k2 >= 0))

    # candidates: (position in u, first coupon or NaT, end_of_month)
    nat = np.datetime64("NaT", "D")
    cand_pos = [np.arange(len(u))]
    cand_fc = [np.full(len(u), nat)]
    cand_eom = [np.ones(len(u), dtype=bool)]
    cand_kind = [np.zeros(len(u), dtype=np.int64)]
    for kind, (long_, eom) in enumerate([(True, True), (False, False), (True, False)], start=1):
        fc, possible = first_coupon[eom]
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
        candidates = pd.DataFrame(
            {
                "id": [f"{i}#{k}" for i, k in zip(pos, kind_all, strict=True)],
                "coupon_rate": coupon[u][pos],
                "maturity_date": mat_u[pos],
                "issue_date": issue[u][pos],
                "first_coupon_date": np.concatenate(cand_fc),
                "frequency": 2,
                "day_count": _day_counts(fi.index[u][pos]),
                "end_of_month": np.concatenate(cand_eom),
            }
        )
        bonds = BondSet.from_frame(candidates, id_type="none")
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


def _day_counts(ids: pd.Index) -> np.ndarray:
    treasury = np.array([is_us_treasury_cusip(i) for i in ids], dtype=bool)
    return np.where(treasury, "ACT/ACT ICMA", "30/360 US")


# ----------------------------------------------------------------- as-of date from accrued


def days360_us(start: Any, end: Any) -> np.ndarray:
    """Return 30/360 US day counts between dates (vectorised, plain numpy).

    Parameters
    ----------
    start, end
        Arrays (or scalars) of ``datetime64[D]``-convertible dates, broadcast together.

    Returns
    -------
    numpy.ndarray
        ``int64`` days: ``360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)`` after the
        adjustments below.

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
    s = np.asarray(start, dtype="datetime64[D]")
    e = np.asarray(end, dtype="datetime64[D]")
    s, e = np.broadcast_arrays(s, e)
    return _days360_parts(_parts(s), _parts(e))


_Parts = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _parts(days: np.ndarray) -> _Parts:
    """Year, month, day and "is the last day of February" of ``datetime64[D]`` values."""
    y, m, d = _ymd(days)
    return y, m, d, (m == 2) & (d == _month_length(y, m))


def _take(parts: _Parts, index: np.ndarray) -> _Parts:
    return tuple(p[index] for p in parts)  # type: ignore[return-value]


def _days360_parts(start: _Parts, end: _Parts) -> np.ndarray:
    y1, m1, d1, feb_end1 = start
    y2, m2, d2, feb_end2 = end
    d2 = np.where(feb_end1 & feb_end2, 30, d2)
    d1 = np.where(feb_end1, 30, d1)
    d2 = np.where((d2 == 31) & (d1 >= 30), 30, d2)
    d1 = np.where(d1 == 31, 30, d1)
    return 360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1)


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    y = years.astype(np.int64) + 1970
    m = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    d = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, d


def _month_length(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    first = (np.asarray(y - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    return ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)


def _coupon_dates_back(
    maturity: np.datetime64, first_needed: np.datetime64, end_of_month: bool = True
) -> np.ndarray:
    """Semiannual coupon dates rolled back from maturity, ascending.

    The dates run from the last one on or before ``first_needed`` to the maturity.
    With ``end_of_month`` a month-end maturity rolls to month ends (Feb 28 -> Aug 31).
    """
    month = maturity.astype("datetime64[M]")
    day = int((maturity - month.astype("datetime64[D]")).astype(np.int64)) + 1
    length = int(((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(int))
    count = int((month - first_needed.astype("datetime64[M]")).astype(np.int64)) // 6 + 2
    months = month - 6 * np.arange(max(count, 1))
    firsts = months.astype("datetime64[D]")
    lengths = ((months + 1).astype("datetime64[D]") - firsts).astype(np.int64)
    day_of_month = lengths if (end_of_month and day == length) else np.minimum(day, lengths)
    return (firsts + (day_of_month - 1))[::-1]


def _is_month_end(day: np.datetime64) -> bool:
    return (day + np.timedelta64(1, "D")).astype("datetime64[M]") != day.astype("datetime64[M]")


def _accrual_residuals(
    days: np.ndarray,
    day_parts: _Parts,
    maturity: np.datetime64,
    accrual: np.datetime64,
    coupon_pct: float,
    observed: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Residual (file accrued - model accrued) in days of accrual for each day, and its period.

    Several readings of the schedule are tried and the closest one kept per day:
    end-of-month roll or not (month-end maturities only), and, for a bond whose
    accrual date is recent, a short first coupon (accrue from the accrual date to the
    first roll date after it) or a long one (to the second).
    """
    start = days[0] - np.timedelta64(200, "D")
    best = np.full(len(days), np.inf)
    period = np.zeros(len(days), dtype=np.int64)
    for eom in (True, False) if _is_month_end(maturity) else (True,):
        coupons = _coupon_dates_back(maturity, start, end_of_month=eom)
        pos = np.searchsorted(coupons, days, side="right") - 1
        last = np.maximum(pos, 0)
        begins = [last]
        if not np.isnat(accrual):
            k = int(np.searchsorted(coupons, accrual, side="right"))
            first = coupons[k] if k < len(coupons) else maturity
            second = coupons[k + 1] if k + 1 < len(coupons) else maturity
            at_accrual = len(coupons)  # index of the accrual date appended below
            begins = [
                np.where(days < first, at_accrual, last),
                np.where(days < second, at_accrual, last),
            ]
            coupons = np.append(coupons, accrual)
        coupon_parts = _parts(coupons)
        for begin in begins:
            model = coupon_pct * _days360_parts(_take(coupon_parts, begin), day_parts) / 360.0
            r = (observed - model) / (coupon_pct / 360.0)
            better = np.abs(r) < np.abs(best)
            best = np.where(better, r, best)
        if eom:
            period = pos
    return best, period


@dataclass(frozen=True, eq=False, repr=False)
class AsOfInference:
    """The settlement date implied by the accrued interest in a holdings file.

    Attributes
    ----------
    settlement_date
        The date on which the most bonds' 30/360 accrued interest matches the
        file's (market value / par x 100 - price).
    agreement
        Share of the bonds used whose accrued interest at ``settlement_date`` is
        within one day of accrual of the file's.
    candidates
        For each candidate date, the number of bonds whose accrued interest points
        to it (value counts, most common first).
    n_bonds
        Bonds used (semiannual 30/360 fixed-rate rows with a coupon, a price, a par
        and a maturity).
    residual_days
        Per bond (by id): the file's accrued minus the model's at
        ``settlement_date``, in days of accrual.
    window
        The first and last dates searched.
    trade_date
        The US government-bond business day before ``settlement_date`` (T+1).
    """

    settlement_date: pd.Timestamp
    agreement: float
    candidates: pd.Series
    n_bonds: int
    residual_days: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    trade_date: pd.Timestamp | None = None

    def summary(self) -> str:
        """A few lines on the inferred date, its support and the runners-up."""
        top = self.candidates.head(5)
        runners = ", ".join(f"{d.date()} ({n})" for d, n in top.items())
        noise = self.residual_days.abs()
        window = f"{self.window[0].date()} .. {self.window[1].date()}" if self.window else "n/a"
        aliases = self.candidates.drop(self.settlement_date, errors="ignore")
        alias_text = (
            f"{aliases.index[0].date()} ({aliases.iloc[0]} bonds)" if len(aliases) else "none"
        )
        lines = [
            "As-of date inferred from accrued interest (30/360 US, semiannual)",
            f"  settlement date : {self.settlement_date.date()}",
            f"  trade date (T+1): {self.trade_date.date() if self.trade_date else 'n/a'}",
            f"  agreement       : {self.agreement:.1%} of {self.n_bonds} bonds within 1 day",
            f"  |residual| days : median {noise.median():.2f}, 95% {noise.quantile(0.95):.2f}",
            f"  top candidates  : {runners}",
            f"  window searched : {window}",
            f"  next best       : {alias_text}; dates six months apart fit seasoned bonds",
            "                    alike, so recent issues and the window start decide",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"AsOfInference(settlement_date={self.settlement_date.date()}, "
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
    par x 100 - price`` (per 100 face). Under 30/360 US the accrued interest on
    settlement date ``s`` is ``coupon x 100 x days360(last coupon, s) / 360``,
    with coupon dates rolled back from maturity. Each bond gives one candidate
    date per coupon period (the day whose accrued is closest to the file's);
    the settlement date is the candidate most bonds share.

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
    for 1%. Bonds whose accrual date is recent accrue from that date (a short
    first coupon); a long first coupon is not detectable from the file and such
    a bond may disagree. The settlement date is T+1 from the file's as-of
    (trade) date.
    """
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
        & h["maturity_date"].notna()
    )
    if not usable.any():
        raise InputError(
            "infer_as_of_date: no fixed-income row with a coupon, price, par and maturity"
        )
    b = h.loc[usable]
    observed = (b["market_value_usd"] / b["par_value_usd"] * 100.0 - b["price"]).to_numpy()
    coupon_pct = b["coupon_rate"].to_numpy() * 100.0
    maturity = b["maturity_date"].to_numpy().astype("datetime64[D]")
    accrual_d = accrual.loc[b.index].to_numpy().astype("datetime64[D]")

    start, end = _window(b, earliest, latest)
    days = np.arange(start, end + np.timedelta64(1, "D"), dtype="datetime64[D]")
    if len(days) == 0:
        raise InputError(f"infer_as_of_date: empty window {start} .. {end}; check earliest/latest")

    day_parts = _parts(days)
    residual = np.empty((len(b), len(days)))
    candidates: list[np.datetime64] = []
    for i in range(len(b)):
        r, period = _accrual_residuals(
            days, day_parts, maturity[i], accrual_d[i], coupon_pct[i], observed[i]
        )
        residual[i] = r
        # one candidate per coupon period: the closest day, if close enough
        for p in np.unique(period):
            in_p = np.flatnonzero(period == p)
            j = in_p[np.argmin(np.abs(r[in_p]))]
            if abs(r[j]) <= tolerance_days + 0.5:
                candidates.append(days[j])
    if not candidates:
        raise InputError(
            f"infer_as_of_date: no date in {start} .. {end} matches any bond's accrued "
            "interest; widen the window with earliest/latest"
        )
    counts = pd.Series(pd.to_datetime(np.array(candidates))).value_counts()
    counts.index.name = "settlement_date"
    counts.name = "bonds"
    # the mode; ties go to the date where more bonds agree within the tolerance
    best_count = counts.iloc[0]
    tied = counts.index[counts == best_count]
    close = (np.abs(residual) <= tolerance_days).sum(axis=0)
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


def _window(b: pd.DataFrame, earliest: Any, latest: Any) -> tuple[np.datetime64, np.datetime64]:
    if earliest is None:
        starts = [b[c].max() for c in ("accrual_date", "effective_date") if c in b]
        starts = [s for s in starts if pd.notna(s)]
        if not starts:
            raise InputError(
                "infer_as_of_date: the frame has no accrual_date/effective_date to start the "
                "search from; pass earliest="
            )
        earliest = max(starts)
    start = np.datetime64(pd.Timestamp(earliest).date(), "D")
    if latest is None:
        end = np.datetime64(pd.Timestamp(b["maturity_date"].min()).date(), "D") - np.timedelta64(
            1, "D"
        )
        end = min(end, start + np.timedelta64(3 * 365, "D"))
    else:
        end = np.datetime64(pd.Timestamp(latest).date(), "D")
    return start, end


def _previous_business_day(day: pd.Timestamp) -> pd.Timestamp | None:
    try:
        from ..bonds.calendar import US_GOVERNMENT_BOND
    except ImportError:  # pragma: no cover - the calendar is part of etfcore.bonds
        return None
    previous = US_GOVERNMENT_BOND.advance(np.datetime64(day.date(), "D"), -1)
    return pd.Timestamp(np.datetime64(int(previous), "D"))
