"""The iShares "Detailed Holdings and Analytics" reader, in three parts.

* :mod:`._parse` -- the file to a table of every row, each cell checked
  (:func:`read_ishares_holdings_frame`);
* :mod:`._conventions` -- each bond's first coupon and end-of-month rule from the
  file's accrued interest (:func:`infer_schedule_conventions`);
* :mod:`._asof` -- the settlement date the accrued interest implies
  (:func:`infer_as_of_date`);
* :mod:`._reader` -- all of it, and the :class:`~etfcore.BondSet`
  (:func:`read_ishares_holdings`).

Dates, schedules and day counts come from the bond layer (:mod:`etfcore.bonds`).
"""

from __future__ import annotations

from ._asof import AsOfInference, days360_us, infer_as_of_date
from ._conventions import (
    CONVENTION_THRESHOLD,
    SOURCE_LONG,
    SOURCE_LONG_NOT_EOM,
    SOURCE_NO_ISSUE,
    SOURCE_NOT_EOM,
    SOURCE_ON_ROLL,
    SOURCE_SEASONED,
    SOURCE_SHORT,
    SOURCE_UNPAID,
    infer_schedule_conventions,
)
from ._parse import (
    BOND_RULES,
    COLUMNS,
    FIXED_INCOME,
    REQUIRED,
    ROW_RULES,
    read_ishares_holdings_frame,
)
from ._reader import IsharesHoldings, bonds_frame, read_ishares_holdings

__all__ = [
    "BOND_RULES",
    "COLUMNS",
    "CONVENTION_THRESHOLD",
    "FIXED_INCOME",
    "REQUIRED",
    "ROW_RULES",
    "SOURCE_LONG",
    "SOURCE_LONG_NOT_EOM",
    "SOURCE_NOT_EOM",
    "SOURCE_NO_ISSUE",
    "SOURCE_ON_ROLL",
    "SOURCE_SEASONED",
    "SOURCE_SHORT",
    "SOURCE_UNPAID",
    "AsOfInference",
    "IsharesHoldings",
    "bonds_frame",
    "days360_us",
    "infer_as_of_date",
    "infer_schedule_conventions",
    "read_ishares_holdings",
    "read_ishares_holdings_frame",
]
