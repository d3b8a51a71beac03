"""The iShares reader: the table of every row, the schedule conventions, and the BondSet."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from ..._results import frame_copy, make_summary
from ...errors import DataWarning, InputError
from ._asof import infer_as_of_date
from ._conventions import (
    _conventions_summary,
    _day_counts,
    _default_conventions,
    _with_conventions,
    infer_schedule_conventions,
)
from ._parse import FIXED_INCOME, read_ishares_holdings_frame

if TYPE_CHECKING:  # pragma: no cover
    from ...bonds.bondset import BondSet

__all__ = ["IsharesHoldings", "bonds_frame", "read_ishares_holdings"]


class IsharesHoldings(NamedTuple):
    r"""What :func:`read_ishares_holdings` returns: the bonds and the table of every row.

    A named pair: ``bonds, holdings = read_ishares_holdings(path)`` unpacks it.

    Attributes
    ----------
    bonds : BondSet
        The fixed-income rows as a :class:`~etfcore.BondSet` (ids are CUSIPs).
    holdings : pandas.DataFrame
        Every row of the file (bonds, cash, money market, derivatives), indexed by ``id``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> header = ("Name,Asset Class,Market Value,Weight (%),Par Value,CUSIP,Price,"
    ...           "Maturity,Coupon (%),Accrual Date")
    >>> rows = ['ACME CORP,Fixed Income,"1,020,000.00",98,"1,000,000.00",037833DP2,'
    ...         '101.00,"Jun 15, 2030",5.00,"Jun 15, 2020"',
    ...         'USD CASH,Cash,"20,000.00",2,"20,000.00",-,100,-,0,-']
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "holdings.csv")
    ...     _ = path.write_text("\n".join([header, *rows]) + "\n")
    ...     fund = read_ishares_holdings(path, settlement_date="2025-12-18")
    >>> fund
    IsharesHoldings(holdings.csv: 2 rows, 1 bonds, 1 other; market value $1,040,000)
    >>> fund.to_frame()["market_value_usd"].sum()
    np.float64(1040000.0)
    """

    bonds: BondSet
    holdings: pd.DataFrame

    def _facts(self) -> dict[str, Any]:
        h = self.holdings
        is_bond = h["asset_class"].eq(FIXED_INCOME) if "asset_class" in h else pd.Series(False)
        preamble = h.attrs.get("preamble") or {}
        as_of = h.attrs.get("as_of_date")
        settle = h.attrs.get("conventions_settlement_date")
        return {
            "fund": preamble.get("fund_name", ""),
            "file": Path(str(h.attrs.get("source", ""))).name,
            "as_of_date": f"{as_of:%Y-%m-%d}" if as_of is not None else "",
            "settlement_date": f"{settle:%Y-%m-%d}" if settle is not None else "",
            "rows": int(len(h)),
            "bonds": int(len(self.bonds)),
            "other_rows": int((~is_bond).sum()),
            "market_value_usd": float(h["market_value_usd"].sum()),
            "bond_market_value_usd": float(h.loc[is_bond, "market_value_usd"].sum()),
            "cusip_repairs": int(len(h.attrs.get("cusip_repairs", {}))),
        }

    def __repr__(self) -> str:
        f = self._facts()
        name = f["fund"] or f["file"] or "holdings"
        when = f"as of {f['as_of_date']}; " if f["as_of_date"] else ""
        return (
            f"IsharesHoldings({name}: {when}{f['rows']:,} rows, {f['bonds']:,} bonds, "
            f"{f['other_rows']:,} other; market value ${f['market_value_usd']:,.0f})"
        )

    def summary(self) -> Any:
        """The fund, its date and what the file holds, as a statsmodels ``Summary``.

        Returns
        -------
        statsmodels.iolib.summary2.Summary
            Counts, market values (USD), the as-of date (from the file's preamble)
            or the settlement date the schedule conventions were inferred at, the
            CUSIPs repaired, and the convention sources by count.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.bondset import BondSet
        >>> bonds = BondSet.from_frame(pd.DataFrame(
        ...     {"id": ["B1"], "coupon_rate": [0.05], "maturity_date": ["2030-06-15"]}))
        >>> holdings = pd.DataFrame({"asset_class": ["Fixed Income"],
        ...                          "market_value_usd": [1.02e6]}, index=["B1"])
        >>> "iShares holdings" in str(IsharesHoldings(bonds, holdings).summary())
        True
        """
        facts = self._facts()
        tables: list[Any] = [facts]
        if "convention_source" in self.holdings:
            counts = self.holdings["convention_source"].value_counts()
            tables.append(pd.DataFrame({"bonds": counts.to_numpy()}, index=counts.index))
        return make_summary(
            f"iShares holdings: {facts['fund'] or facts['file'] or 'holdings'}",
            tables,
            [
                "Market values in USD include accrued interest; the bonds are the "
                "'Fixed Income' rows, every other row (cash, money market, derivatives) "
                "is counted as other."
            ],
        )

    def to_frame(self) -> pd.DataFrame:
        """A copy of the table of every row (``holdings``), attrs included.

        Examples
        --------
        >>> import pandas as pd
        >>> holdings = pd.DataFrame({"asset_class": ["Cash"], "market_value_usd": [5.0]})
        >>> fund = IsharesHoldings(None, holdings)
        >>> fund.to_frame() is holdings
        False
        """
        return frame_copy(self.holdings)


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

    Parameters
    ----------
    holdings : pandas.DataFrame
        The ``holdings`` frame of :func:`read_ishares_holdings` (or
        :func:`read_ishares_holdings_frame`).

    Returns
    -------
    pandas.DataFrame
        One row per ``Fixed Income`` row, in file order.

    Examples
    --------
    >>> holdings = pd.DataFrame(
    ...     {
    ...         "asset_class": ["Fixed Income", "Cash"],
    ...         "coupon_rate": [0.05, 0.0],
    ...         "maturity_date": pd.to_datetime(["2030-06-15", None]),
    ...         "accrual_date": pd.to_datetime(["2020-06-15", None]),
    ...         "name": ["ACME CORP", "USD CASH"],
    ...         "sector": ["Technology", "Cash"],
    ...         "isin": ["US037833DP29", None],
    ...     },
    ...     index=pd.Index(["037833DP2", "USD_CASH"], name="id"),
    ... )
    >>> bonds_frame(holdings)[["id", "frequency", "day_count", "issue_date"]]
              id  frequency  day_count issue_date
    0  037833DP2          2  30/360 US 2020-06-15
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
    from ...bonds.bondset import BondSet

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
    r"""Read an iShares "Detailed Holdings and Analytics" CSV of a bond ETF.

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

    Each cell is checked as it is read (see :func:`read_ishares_holdings_frame`
    and :data:`~etfcore.io.ishares.BOND_RULES`): a bond's price of ``n/a``, a
    negative par, a coupon of 45 (%) or an unreadable number is an
    :class:`~etfcore.InputError` naming the file, the line, the CUSIP and the
    column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> header = ("Name,Asset Class,Market Value,Weight (%),Par Value,CUSIP,Price,"
    ...           "Maturity,Coupon (%),Accrual Date")
    >>> rows = ['ACME CORP,Fixed Income,"1,020,000.00",98,"1,000,000.00",037833DP2,'
    ...         '101.00,"Jun 15, 2030",5.00,"Jun 15, 2020"',
    ...         'USD CASH,Cash,"20,000.00",2,"20,000.00",-,100,-,0,-']
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "holdings.csv")
    ...     _ = path.write_text("\n".join([header, *rows]) + "\n")
    ...     bonds, holdings = read_ishares_holdings(path, settlement_date="2025-12-18")
    >>> list(bonds.ids), list(holdings.index)
    (['037833DP2'], ['037833DP2', 'USD_CASH'])
    >>> holdings.loc["037833DP2", "convention_source"]
    'default: seasoned (accrual date at or before the previous-but-one coupon)'
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
