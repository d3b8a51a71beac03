"""Readers for real market data files.

* iShares "Detailed Holdings and Analytics" CSVs of bond ETFs:
  :func:`read_ishares_holdings` (a :class:`~etfcore.BondSet` and a table of every
  row), :func:`read_ishares_holdings_frame` (the table only) and
  :func:`infer_as_of_date` (the settlement date implied by accrued interest) and
  :func:`infer_schedule_conventions` (long first coupons and the end-of-month rule
  that the file's accrued interest implies);
* US Treasury daily par yield curves (:func:`read_treasury_par_yields`) and FRED
  constant-maturity series (:func:`read_fred_series`), in decimals;
* FINRA TRACE per-bond trade activity (:func:`read_trace_activity`);
* a fund's daily NAV history (:func:`read_nav_history`), its daily market prices
  (:func:`read_etf_prices`; the unadjusted close is the one for premia) and shares
  outstanding (:func:`read_shares_outstanding`);
* a client's bond basket (portfolio-trade list): :func:`read_basket` ->
  :class:`PortfolioBasket` (identifiers and maturities validated, every problem in one
  error, flags for a trader: Treasury CUSIPs labelled as corporates, weights off);
* where the real data lives: :func:`real_data_dir`, :func:`real_data_path`
  (``$ETFCORE_REAL_DATA`` or ``shared/data/real`` above the current directory).

Malformed files raise :class:`~etfcore.InputError` naming the file, the line, the
column, the value and the fix; anything dropped or repaired other than blank lines
and footers is reported with a :class:`~etfcore.DataWarning`. Every reader checks its
cells on one path (``etfcore/io/_cells.py``): a cell that is not a finite number or
not a date in the file's layout is always an error; a number outside its column's
plausible range (a negative par, a Treasury yield of ``437``) or a required cell left
blank is an error, or with ``strict=False`` kept and listed in a DataWarning; the
file's own analytics outside a plausible range (an iShares yield of 250 %) are kept
with a DataWarning. Dates go through :func:`etfcore.bonds.dates.to_days`.
"""

from __future__ import annotations

from ._basket import PortfolioBasket, read_basket
from ._nav import read_nav_history
from ._paths import real_data_dir, real_data_path
from ._prices import read_etf_prices, read_shares_outstanding
from ._trace import read_trace_activity
from ._treasury import read_fred_series, read_treasury_par_yields
from .ishares import (
    AsOfInference,
    IsharesHoldings,
    infer_as_of_date,
    infer_schedule_conventions,
    read_ishares_holdings,
    read_ishares_holdings_frame,
)

__all__ = [
    "AsOfInference",
    "IsharesHoldings",
    "PortfolioBasket",
    "infer_as_of_date",
    "infer_schedule_conventions",
    "read_basket",
    "read_etf_prices",
    "read_fred_series",
    "read_ishares_holdings",
    "read_ishares_holdings_frame",
    "read_nav_history",
    "read_shares_outstanding",
    "read_trace_activity",
    "read_treasury_par_yields",
    "real_data_dir",
    "real_data_path",
]
