"""Sweeps: one analysis over a grid of ETFs, dates, regimes and scenarios, locally or on Dask.

* :func:`run_sweep` -- run a named task (``"arbitrage_band"``, ``"hedge_cost_curve"``,
  ``"premium_simulation"``, ``"liquidity_backstop"``) or a callable over a grid (one
  DataFrame row per run) in this process, in a process pool, or on a Dask cluster
  (``client=``), into one tidy frame.
* :mod:`.tasks` -- the named tasks: the columns each reads, their defaults and checks.
* :func:`write_sweep` / :func:`read_sweep` -- the result as a partitioned Parquet dataset.

The top layer: it uses the public API of every layer below. Importing it imports neither
dask nor the layers it sweeps; ``client=`` needs ``dask.distributed`` (``pip install
'etfcore[dask]'``).
"""

from __future__ import annotations

from .parquet import read_sweep, write_sweep
from .run import RUN_COLUMN, run_sweep
from .tasks import PREMIUM_STATISTICS, TASKS

__all__ = ["PREMIUM_STATISTICS", "RUN_COLUMN", "TASKS", "read_sweep", "run_sweep", "write_sweep"]
