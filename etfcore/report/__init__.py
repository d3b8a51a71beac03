"""The main job end to end: ``etfcore report`` and :func:`build_report`.

:func:`build_report` runs the whole chain on a basket -- bond analytics of the basket
and the ETFs, NAV on three sides and iNAV, the arbitrage band in normal and stress, a
premium/discount simulation calm and March 2020, the hedge and its cost, hedge-cost
curves and the liquidity backstop, the RFQ and the TCA -- and writes a report folder:
tables (CSV and Parquet), hedge-cost curves (JSON and Parquet with their schema
version), figures (PNG) and one self-contained HTML page. With no arguments it runs on
bundled data: the seed basket (``etfcore/data/seed/``) and the synthetic market.

The layer sits on top: it imports every layer below it (only their public APIs) and
nothing imports it. Importing it compiles nothing.
"""

from __future__ import annotations

from ._build import DEFAULT_AS_OF, DEFAULT_OUT, ReportResult, build_report

__all__ = ["DEFAULT_AS_OF", "DEFAULT_OUT", "ReportResult", "build_report"]
