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
* where the real data lives: :func:`real_data_dir`, :func:`real_data_path`
  (``$ETFCORE_REAL_DATA`` or ``shared/data/real`` above the current directory).

Malformed files raise :class:`~etfcore.InputError` naming the line, the column,
the value and the fix; anything dropped or repaired other than blank lines and
footers is reported with a :class:`~etfcore.DataWarning`.
"""

from __future__ import annotations

from ._paths import real_data_dir, real_data_path
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
    "infer_as_of_date",
    "infer_schedule_conventions",
    "read_fred_series",
    "read_ishares_holdings",
    "read_ishares_holdings_frame",
    "read_trace_activity",
    "read_treasury_par_yields",
    "real_data_dir",
    "real_data_path",
]
