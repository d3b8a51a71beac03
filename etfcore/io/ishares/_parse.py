"""Reading an iShares "Detailed Holdings and Analytics" CSV into a table of every row.

An iShares holdings download has, in order:

* an optional preamble of about 9 lines (fund name, ``Fund Holdings as of,"Jan 05, 2026"``,
  inception date, shares outstanding, ...) and a blank line -- files passed around
  after download often lack it;
* a header row starting ``Name,Sector,Asset Class,Market Value,Weight (%),...``;
* one row per holding: fixed income, cash, money-market funds, derivatives;
* a blank line (often a single non-breaking space and commas) and a disclaimer /
  copyright footer in one quoted field.

Numbers carry thousands separators (``"1,234,567.89"``), dates read like
``"Jan 05, 2029"`` and ``"-"`` means "no value". Every cell goes through
:class:`etfcore.io._cells.CellLog` (the readers' one checking path) with the rules
of :data:`BOND_RULES` and :data:`ROW_RULES`.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...bonds.bondset import MAX_COUPON_RATE
from ...bonds.identifiers import check_identifier, is_cusip_shaped
from ...errors import DataWarning, InputError, describe_rows
from .._cells import Bounds, CellLog

__all__ = [
    "BOND_RULES",
    "COLUMNS",
    "FIXED_INCOME",
    "REQUIRED",
    "ROW_RULES",
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
#: Cells that mean "no value". ``n/a`` is among them, but a required cell (below) that
#: holds one is reported, not read as NaN.
_MISSING = frozenset({"", "-", "--", "n/a", "N/A", "NA"})
_DATE_LAYOUTS = ("month_name", "iso", "mdy")
_DATE_FIX = "use the iShares form 'Jan 05, 2029' (or 2029-01-05), or '-' for no date"
_NUMBER_FIX = (
    "use digits with an optional sign, thousands separator and decimal point "
    "(\"-1,234.50\"), or '-' for no value"
)
_HEADER_SEARCH_LINES = 40
_SHARES = Bounds(0.0, math.inf, lower_open=True, hint="a number of shares")
_INF = math.inf

#: Checks on the ``Fixed Income`` rows: holdings column -> (plausible range, required).
#: Percent columns are checked in percent, as written. A cell outside its range, or a
#: required cell without a value (``-``, ``n/a``), is an InputError; with
#: ``strict=False`` it is kept (NaN when blank) and a DataWarning lists it.
BOND_RULES: dict[str, tuple[Bounds, bool]] = {
    "market_value_usd": (
        Bounds(0.0, _INF, lower_open=True, hint="a bond's market value in USD"),
        True,
    ),
    "par_value_usd": (Bounds(0.0, _INF, lower_open=True, hint="a bond's par value in USD"), True),
    "price": (Bounds(0.0, 1000.0, lower_open=True, hint="a clean price per 100 face"), True),
    "coupon_rate": (
        Bounds(0.0, 100 * MAX_COUPON_RATE, hint="a coupon in percent (4.9 for 4.9%)"),
        True,
    ),
}
#: Checks on every row (bonds, cash, money market, derivatives). ``warn_only`` ranges
#: are the file's own analytics, which etfcore does not use: outside them is a
#: DataWarning and the value is kept.
ROW_RULES: dict[str, Bounds] = {
    "weight_pct": Bounds(-100.0, 100.0, hint="a weight in percent"),
    "fx_rate": Bounds(0.0, _INF, lower_open=True, hint="an FX rate"),
    "ytm": Bounds(-50.0, 200.0, warn_only=True, hint="a yield in percent"),
    "ytc": Bounds(-50.0, 200.0, warn_only=True, hint="a yield in percent"),
    "ytw": Bounds(-50.0, 200.0, warn_only=True, hint="a yield in percent"),
    "real_ytm": Bounds(-50.0, 200.0, warn_only=True, hint="a yield in percent"),
    "duration": Bounds(-50.0, 100.0, warn_only=True, hint="a duration in years"),
    "mod_duration": Bounds(-50.0, 100.0, warn_only=True, hint="a duration in years"),
    "real_duration": Bounds(-50.0, 100.0, warn_only=True, hint="a duration in years"),
}


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


def _parse_date_text(value: str, line: int) -> pd.Timestamp | None:
    log = CellLog("", [f"line {line}"])
    day = log.dates(pd.Series([value]), "Fund Holdings as of", layouts=_DATE_LAYOUTS)[0]
    return None if log.errors or np.isnat(day) else pd.Timestamp(day)


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
            date = _parse_date_text(value, line)
            if date is None:
                raise InputError(
                    f"{file}: line {line}, 'Fund Holdings as of': {value!r} is not a date; "
                    "expected e.g. 'Jan 05, 2026' (fix or delete the line)"
                )
            info["as_of_date"] = date
        if _norm(key) == "shares outstanding" and value not in _MISSING:
            log = CellLog(file, [f"line {line}"])
            shares = log.numbers(pd.Series([value]), key, fix=_NUMBER_FIX)
            log.check(shares, pd.Series([value]), key, _SHARES)
            log.finish("the preamble's shares outstanding", stacklevel=5)
            info["shares_outstanding"] = float(shares[0])
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
    r"""Read an iShares holdings CSV into a DataFrame of every row, without a BondSet.

    This is the table half of :func:`read_ishares_holdings`, without building a
    :class:`~etfcore.BondSet`: use it to inspect a file whose bonds do not all
    validate (a matured bond, a bad identifier).

    Parameters
    ----------
    path
        The CSV file.
    strict
        A fixed-income row whose CUSIP is not shaped like a CUSIP (and cannot be
        repaired from its ISIN), a bond listed twice, or a cell outside its plausible
        range (:data:`BOND_RULES`, :data:`ROW_RULES`: a negative par, a price of
        ``n/a``) is an error; with ``strict=False`` it is a
        :class:`~etfcore.DataWarning` and the row is kept as read.

    Returns
    -------
    pandas.DataFrame
        See :func:`read_ishares_holdings`.

    Raises
    ------
    InputError
        Naming the file, the line (and CUSIP), the column and the value of every bad
        cell at once: see :func:`read_ishares_holdings`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> header = ("Name,Asset Class,Market Value,Weight (%),Par Value,CUSIP,Price,"
    ...           "Maturity,Coupon (%)")
    >>> row = 'ACME CORP,Fixed Income,"1,020,000.00",100,"1,000,000.00",037833DP2,101.00,' \
    ...       '"Jun 15, 2030",5.00'
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "holdings.csv")
    ...     _ = path.write_text(header + "\n" + row + "\n")
    ...     frame = read_ishares_holdings_frame(path)
    >>> frame.loc["037833DP2", ["price", "coupon_rate", "accrued_interest"]].round(4).tolist()
    [101.0, 0.05, 1.0]
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

    log = CellLog(file, label, strict=strict)
    is_bond_row = raw["Asset Class"].eq(FIXED_INCOME).to_numpy()
    data: dict[str, Any] = {}
    for column in canonical:
        target, kind = COLUMNS.get(column, (_snake(column), "cell_text"))
        cell_text: pd.Series = raw[column]
        if kind in ("number", "percent"):
            values = log.numbers(cell_text, column, missing=_MISSING, fix=_NUMBER_FIX)
            if target in BOND_RULES:
                bounds, required = BOND_RULES[target]
                log.check(
                    values,
                    cell_text,
                    column,
                    bounds,
                    rows=is_bond_row,
                    required=required,
                    missing_fix=f"every bond needs {bounds.hint}; '-' and 'n/a' are not values",
                )
            if target in ROW_RULES:
                log.check(values, cell_text, column, ROW_RULES[target])
            data[target] = values / 100.0 if kind == "percent" else values
        elif kind == "date":
            required_rows = is_bond_row if target == "maturity_date" else False
            days = log.dates(
                cell_text,
                column,
                layouts=_DATE_LAYOUTS,
                missing=_MISSING,
                required=required_rows,
                fix=_DATE_FIX,
            )
            data[target] = days.astype("datetime64[us]")
        else:
            data[target] = cell_text.where(~cell_text.isin(_MISSING)).to_numpy(dtype=object)
    log.finish("values that cannot be read or are out of range", stacklevel=4)
    for target, kind in COLUMNS.values():  # absent optional columns: all missing
        if target not in data:
            absent: Any = np.datetime64("NaT", "ns") if kind == "date" else np.nan
            data[target] = np.full(len(raw), absent)
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
    if "shares_outstanding" in info:
        frame.attrs["shares_outstanding"] = info["shares_outstanding"]
    parsed = ("as_of_date", "shares_outstanding")
    if info:
        frame.attrs["preamble"] = {k: v for k, v in info.items() if k not in parsed}
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
