"""``run_sweep``: one analysis over a grid of runs, locally or on a Dask cluster, one tidy frame."""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed as futures_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from .._validation import integer, show
from ..errors import InputError
from .tasks import TASKS, check_task, task_function

#: The column of the result that says which grid row (by position) a result row comes from.
RUN_COLUMN = "run"

Chunk = list[tuple[int, dict[str, Any]]]


# ----------------------------------------------------------------------------- one chunk
def run_chunk(task: str | Callable[..., Any], chunk: Chunk) -> list[tuple[int, pd.DataFrame]]:
    """Run ``task`` on each ``(run, row)`` of ``chunk``: what a worker (or this process) does.

    Parameters
    ----------
    task : str or callable
        A name in :data:`~etfcore.sweep.tasks.TASKS` (the row is its checked
        parameters) or a callable (the row is the grid row as a dict).
    chunk : list of (int, dict)
        Run numbers and rows.

    Returns
    -------
    list of (int, DataFrame)
        Each run's result as a frame (:func:`as_frame`).

    Notes
    -----
    A pure function of its arguments, so a retried chunk (a lost worker) gives the same
    frames. An exception a run raises is re-raised with a note naming the run and row.

    Examples
    --------
    >>> from etfcore.sweep.run import run_chunk
    >>> [(run, frame.shape) for run, frame in run_chunk(lambda row: row, [(0, {"x": 1})])]
    [(0, (1, 1))]
    """
    fn = task_function(task)
    out = []
    for run, row in chunk:
        try:
            frame = as_frame(fn(row), run)
        except Exception as exc:
            exc.add_note(f"etfcore.sweep: raised by run {run} with {row!r}")
            raise
        out.append((run, frame))
    return out


def as_frame(result: Any, run: int = 0) -> pd.DataFrame:
    """One run's result as a DataFrame: a frame as it is, a dict or Series as one row.

    Parameters
    ----------
    result : DataFrame, dict or Series
        What a task returned for one run.
    run : int, default 0
        The run, for error messages.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        For a result of another type, or column names that are not strings.

    Notes
    -----
    A frame's index is kept as columns (``reset_index``: a band's ``component``) unless
    it is the default ``RangeIndex``, which is dropped; a dict or Series is one row, its
    keys the columns.

    Examples
    --------
    >>> from etfcore.sweep.run import as_frame
    >>> as_frame({"a": 1.5, "b": "x"}).to_dict("records")
    [{'a': 1.5, 'b': 'x'}]
    """
    if isinstance(result, pd.DataFrame):
        frame = result
        index = frame.index
        default = (
            isinstance(index, pd.RangeIndex)
            and index.name is None
            and index.start == 0
            and index.step == 1
        )
        frame = frame.reset_index(drop=default)
    elif isinstance(result, pd.Series):
        frame = pd.DataFrame([result.to_dict()])
    elif isinstance(result, dict):
        frame = pd.DataFrame([result])
    else:
        raise InputError(
            f"task: run {run} returned {type(result).__name__}; a task returns a DataFrame, "
            "a dict or a Series"
        )
    bad = [c for c in frame.columns if not isinstance(c, str)]
    if bad:
        raise InputError(
            f"task: run {run} returned column names that are not strings: {bad}; name them"
        )
    return frame


# ----------------------------------------------------------------------------- the grid
def _check_grid(grid: Any) -> pd.DataFrame:
    if not isinstance(grid, pd.DataFrame):
        raise InputError(
            f"grid: expected a pandas DataFrame with one row per run, got "
            f"{type(grid).__name__}; e.g. pandas.DataFrame({{'seed': [0, 1]}})"
        )
    if len(grid) == 0:
        raise InputError("grid: the grid has no rows; give one row per run")
    bad = [c for c in grid.columns if not isinstance(c, str)]
    if bad:
        raise InputError(f"grid: column names must be strings, got {bad}")
    dup = sorted({c for c in grid.columns if list(grid.columns).count(c) > 1})
    if dup:
        raise InputError(f"grid: duplicate columns {dup}")
    if RUN_COLUMN in grid.columns:
        raise InputError(
            f"grid: the column {RUN_COLUMN!r} is the sweep's run index; rename that column"
        )
    return grid


def _row_names(grid: pd.DataFrame) -> list[str]:
    index = grid.index
    plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    if plain:
        return [f"grid row {i}" for i in range(len(grid))]
    return [f"grid row {i} (index {show(k)})" for i, k in enumerate(index)]


def _records(grid: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], grid.to_dict("records"))


def _rows(task: str | Callable[..., Any], grid: pd.DataFrame, labels: Sequence[str]) -> Chunk:
    records = _records(grid)
    if not isinstance(task, str):
        return list(enumerate(records))
    spec = TASKS[task]
    unknown = [c for c in grid.columns if c not in spec.columns and c not in labels]
    if unknown:
        raise InputError(
            f"grid: task {task!r} does not read the column(s) {unknown}; it reads "
            f"{list(spec.columns)}. Pass labels={unknown} to carry them through to the "
            "result as labels, or drop them"
        )
    where = _row_names(grid)
    read = [c for c in grid.columns if c in spec.columns]
    defaults = spec.params({}, "default")
    # checks are memoised per (column, type, value): a long grid repeats few values
    checked: dict[tuple[str, str, Any], Any] = {}
    out: Chunk = []
    for i, record in enumerate(records):
        params = dict(defaults)
        for c in read:
            v = record[c]
            key: tuple[str, str, Any] | None = (c, type(v).__name__, v)
            try:
                hash(key)
            except TypeError:
                key = None
            if key is not None and key in checked:
                params[c] = checked[key]
                continue
            params[c] = spec.columns[c].check(v, f"{where[i]}, column {c!r}")
            if key is not None:
                checked[key] = params[c]
        out.append((i, params))
    return out


def _check_labels(labels: Any, grid: pd.DataFrame) -> list[str]:
    if labels is None:
        return []
    if isinstance(labels, str):
        labels = [labels]
    try:
        out = list(labels)
    except TypeError:
        raise InputError(f"labels: expected grid column names, got {show(labels)}") from None
    missing = [c for c in out if c not in grid.columns]
    if missing:
        raise InputError(
            f"labels: {missing} are not columns of the grid (its columns: {list(grid.columns)})"
        )
    return out


def _check_client(client: Any) -> Any:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is installed in the test environment
        raise InputError(
            "client: running a sweep on Dask needs dask.distributed; install it with "
            "pip install 'etfcore[dask]', or leave client out to run locally"
        ) from None
    if not isinstance(client, Client):
        raise InputError(
            f"client: expected a distributed.Client (e.g. Client('tcp://scheduler:8786')), got "
            f"{type(client).__name__}; leave client out to run locally"
        )
    if client.status != "running":
        raise InputError(f"client: the Client is {client.status}, not running; open a new one")
    return client


def _order(task: str | Callable[..., Any], rows: Chunk) -> Chunk:
    """Rows sharing a market next to each other (the market cache holds a few)."""
    if not isinstance(task, str):
        return rows
    return sorted(rows, key=lambda r: (r[1]["seed"], r[1]["as_of"], r[0]))


def _chunks(rows: Chunk, size: int) -> list[Chunk]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


# ----------------------------------------------------------------------------- progress
class _Quiet:
    def advance(self, n: int) -> None:
        pass


@contextmanager
def _progress(show_it: bool | None, total: int, what: str) -> Iterator[Any]:
    from rich.console import Console

    console = Console(stderr=True)
    if show_it is None:
        show_it = total > 1 and (console.is_terminal or console.is_jupyter)
    if not show_it:
        yield _Quiet()
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as bar:
        job = bar.add_task(what, total=total)

        class _Bar:
            def advance(self, n: int) -> None:
                bar.advance(job, n)

        yield _Bar()


# ----------------------------------------------------------------------------- executors
def _run_local(task: Any, chunks: list[Chunk], bar: Any) -> list[tuple[int, pd.DataFrame]]:
    out: list[tuple[int, pd.DataFrame]] = []
    for chunk in chunks:
        out.extend(run_chunk(task, chunk))
        bar.advance(len(chunk))
    return out


def _dumps(task: Callable[..., Any]) -> bytes:
    """A callable as bytes for a worker process: cloudpickle (by value) where installed."""
    try:
        import cloudpickle
    except ImportError:  # pragma: no cover - installed with dask
        return pickle.dumps(task)
    return bytes(cloudpickle.dumps(task))


def run_pickled(blob: bytes, chunk: Chunk) -> list[tuple[int, pd.DataFrame]]:
    """:func:`run_chunk` of a callable sent as bytes (a process-pool worker's entry point).

    Examples
    --------
    >>> import pickle
    >>> from etfcore.sweep.run import run_pickled
    >>> [f.shape for _, f in run_pickled(pickle.dumps(dict), [(0, {"x": 1})])]
    [(1, 1)]
    """
    return run_chunk(pickle.loads(blob), chunk)


def _run_processes(
    task: Any, chunks: list[Chunk], processes: int, bar: Any
) -> list[tuple[int, pd.DataFrame]]:
    blob = None
    if not isinstance(task, str):
        try:
            blob = _dumps(task)
        except Exception as exc:
            raise InputError(
                f"task: {task!r} cannot be sent to worker processes ({type(exc).__name__}: "
                f"{exc}); make it a plain function of the row, or run without processes="
            ) from None
    out: list[tuple[int, pd.DataFrame]] = []
    # spawn, not fork: numba's OpenMP threads do not survive a fork
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = {
            (
                pool.submit(run_chunk, task, chunk)
                if blob is None
                else pool.submit(run_pickled, blob, chunk)
            ): len(chunk)
            for chunk in chunks
        }
        try:
            for future in futures_completed(futures):
                out.extend(future.result())
                bar.advance(futures[future])
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return out


def _run_dask(
    task: Any, chunks: list[Chunk], client: Any, bar: Any
) -> list[tuple[int, pd.DataFrame]]:
    from distributed import as_completed

    name = task if isinstance(task, str) else getattr(task, "__name__", "task")
    name = re.sub(r"[^A-Za-z0-9_]+", "", name) or "task"
    token = uuid.uuid4().hex[:12]
    keys = [f"etfcore-sweep-{name}-{token}-{k}" for k in range(len(chunks))]
    # one map call: the task is serialised once and the graph sent in one message
    futures = client.map(functools.partial(run_chunk, task), chunks, key=keys)
    sizes = {f.key: len(c) for f, c in zip(futures, chunks, strict=True)}
    out: list[tuple[int, pd.DataFrame]] = []
    try:
        # the client's own loop: it need not be the default client
        for future in as_completed(futures, loop=client.loop):
            out.extend(future.result())
            bar.advance(sizes[future.key])
    finally:
        client.cancel(futures)
    return out


# ----------------------------------------------------------------------------- assembly
def _same(values: pd.Series, value: Any) -> bool:
    try:
        if pd.isna(value):
            return bool(values.isna().all())
        return bool(values.eq(value).all())
    except (TypeError, ValueError):
        return all(v == value for v in values.tolist())


def _assemble(
    grid: pd.DataFrame, results: Iterable[tuple[int, pd.DataFrame]], n: int
) -> pd.DataFrame:
    by_run = dict(results)
    records = _records(grid)
    grid_columns = set(grid.columns)
    frames = []
    for run in range(n):
        frame = by_run[run]
        if RUN_COLUMN in frame.columns:
            raise InputError(
                f"task: run {run} returned a column {RUN_COLUMN!r}, the sweep's run index; "
                "rename it"
            )
        shared = [c for c in frame.columns if c in grid_columns]
        for c in shared:
            if not _same(frame[c], records[run][c]):
                raise InputError(
                    f"task: run {run} returned a column {c!r} that is also a grid column, with "
                    f"values other than the row's {show(records[run][c])}; rename it"
                )
        frames.append(frame.drop(columns=shared) if shared else frame)
    counts = np.array([len(f) for f in frames], dtype=np.int64)
    runs = np.repeat(np.arange(n, dtype=np.int64), counts)
    left = grid.take(runs).reset_index(drop=True)
    left.insert(0, RUN_COLUMN, runs)
    filled = [f for f in frames if len(f)]
    right = (
        pd.concat(filled, ignore_index=True)
        if filled
        else frames[0].iloc[:0].reset_index(drop=True)
    )
    return pd.concat([left, right], axis=1)


# ----------------------------------------------------------------------------- public
def run_sweep(
    task: str | Callable[[dict[str, Any]], Any],
    grid: pd.DataFrame,
    client: Any = None,
    *,
    labels: Sequence[str] | None = None,
    processes: int | None = None,
    chunk_size: int = 1,
    progress: bool | None = None,
    to_parquet: str | os.PathLike[str] | None = None,
    partition_cols: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Run one analysis over a grid of runs and return one tidy frame.

    Parameters
    ----------
    task : str or callable
        A named task (:data:`etfcore.sweep.tasks.TASKS`): ``"arbitrage_band"``,
        ``"hedge_cost_curve"``, ``"premium_simulation"`` or ``"liquidity_backstop"``; or
        a callable taking one
        grid row (a dict of column to value) and returning a DataFrame (any number of
        rows), a dict or a Series (one row). It must be a pure function of the row.
    grid : pandas.DataFrame
        One row per run. For a named task, the columns it reads (below; an absent one
        takes its default) and any ``labels``. Its index is not used: a run is known by
        its position (``reset_index()`` first to keep an index).
    client : distributed.Client, optional
        Run on this Dask cluster, one Dask task per ``chunk_size`` runs. Default: run
        in this process.
    labels : list of str, optional
        Grid columns a named task does not read, carried to the result as they are
        (a desk, a book, a scenario tag). Any other column a named task does not read
        is an error.
    processes : int, optional
        Run locally in a pool of this many worker processes (spawned) instead of in this
        process. A callable ``task`` is sent with cloudpickle (lambdas and notebook
        functions too); what it uses must be picklable.
    chunk_size : int, default 1
        Runs per Dask or process-pool task.
    progress : bool, optional
        Show a rich progress bar on stderr; default: when stderr is a terminal or Jupyter
        and there is more than one run. ``False`` silences it.
    to_parquet : path, optional
        Also write the result as a Parquet dataset (:func:`etfcore.sweep.write_sweep`)
        in this directory.
    partition_cols : list of str, optional
        Grid columns to partition that dataset by (hive style, ``etf=HY/``).

    Returns
    -------
    pandas.DataFrame
        ``run`` (the grid row's position), the grid's columns repeated on each of that
        run's result rows, then the task's result columns; runs in grid order, each
        run's rows in the order the task returned them; a fresh ``RangeIndex``.

    Raises
    ------
    InputError
        For a grid that is not a DataFrame or has no rows, an unknown task name, a grid
        column a named task does not read (not in ``labels``), a bad value in a grid
        column (naming the row, the column and the value: an unknown ``etf``,
        ``regime`` or ``scenario``, a seed that is not a whole number >= 0, a date that
        cannot be read), a ``client`` that is not a running ``distributed.Client``, both
        ``client`` and ``processes``, or a task result that is not a frame, dict or
        Series. An exception a run raises propagates with a note naming the run.

    Notes
    -----
    Columns read by the named tasks (default in brackets); ``seed`` and ``as_of`` make
    the market, ``synthetic_market(seed, as_of)``:

    * ``"arbitrage_band"``: ``seed`` [0], ``as_of`` [2026-01-15], ``etf`` [IG_BROAD],
      ``regime`` [normal], ``units`` [1], ``horizon_days`` [1]. Result: the band's cost
      table, one row per ``component`` and a ``threshold`` row, with ``create_bp``,
      ``redeem_bp``, ``create_usd``, ``redeem_usd``
      (:func:`~etfcore.sweep.tasks.arbitrage_band_task`).
    * ``"hedge_cost_curve"``: ``seed``, ``as_of``, ``etf`` [every ETF], ``regime``
      [both], ``notional_usd`` [the curve's 50 sizes], ``horizon_days`` [its 5]. Result:
      ``HedgeCostCurve.to_frame()`` (:func:`~etfcore.sweep.tasks.hedge_cost_curve_task`).
    * ``"liquidity_backstop"``: ``seed``, ``as_of``, ``etf`` [IG_BROAD], ``regime``
      [both], ``notional_usd`` [none]. Result: ``LiquidityBackstop.to_frame()``, one
      row per regime, and ``absorb_days`` for ``notional_usd``
      (:func:`~etfcore.sweep.tasks.liquidity_backstop_task`).
    * ``"premium_simulation"``: ``seed``, ``as_of``, ``etf`` [IG_BROAD], ``scenario``
      [calm], ``n_paths`` [1000], ``n_days`` [252], ``sim_seed`` [the row's seed].
      Result: one row of summary statistics
      (:data:`~etfcore.sweep.tasks.PREMIUM_STATISTICS`).

    A result column with a grid column's name (the curve's ``regime`` when the grid
    fixes it) must hold the row's value and is not repeated; ``run`` is reserved.

    Every run is a pure function of its row, so the result is the same however it is
    run: in this process (numba's kernels use its threads), in a process pool, or on
    Dask with any number of workers, and when a Dask worker dies mid-sweep (the
    scheduler runs its lost tasks again on another worker). Locally, runs that share a
    market are run one after the other, since each process caches the last few markets;
    the result is still in grid order. On Dask, each worker process needs etfcore
    installed; use one thread per worker process (``nthreads=1``) and as many processes
    as cores, since the numba kernels are parallel already.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.sweep import run_sweep
    >>> grid = pd.DataFrame({"etf": ["IG_BROAD", "HY"], "regime": ["normal", "stress"]})
    >>> bands = run_sweep("arbitrage_band", grid, progress=False)
    >>> t = bands[bands["component"] == "threshold"]
    >>> t[["run", "etf", "regime"]].to_numpy().tolist()
    [[0, 'IG_BROAD', 'normal'], [1, 'HY', 'stress']]
    >>> bool((t["create_bp"] > 0).all())
    True
    """
    task = check_task(task)
    grid = _check_grid(grid)
    cols = _check_labels(labels, grid)
    if client is not None:
        client = _check_client(client)
        if processes is not None:
            raise InputError("processes: give client= (Dask) or processes= (local), not both")
    if processes is not None:
        processes = integer(processes, "processes", minimum=1)
    size = integer(chunk_size, "chunk_size", minimum=1)
    if progress is not None and not isinstance(progress, bool):
        raise InputError(f"progress: expected True, False or None, got {show(progress)}")
    if partition_cols is not None and to_parquet is None:
        raise InputError("partition_cols: give to_parquet= (the dataset's folder) as well")
    if to_parquet is not None:
        from .parquet import check_partition_cols, check_target

        check_target(to_parquet)
        check_partition_cols(grid, partition_cols)
    rows = _rows(task, grid, cols)
    chunks = _chunks(_order(task, rows), size)
    what = f"sweep {task if isinstance(task, str) else getattr(task, '__name__', 'task')}"
    with _progress(progress, len(rows), what) as bar:
        if client is not None:
            results = _run_dask(task, chunks, client, bar)
        elif processes is not None:
            results = _run_processes(task, chunks, processes, bar)
        else:
            results = _run_local(task, chunks, bar)
    out = _assemble(grid, results, len(rows))
    if to_parquet is not None:
        from .parquet import write_sweep

        write_sweep(out, Path(to_parquet), partition_cols)
    return out


__all__ = ["RUN_COLUMN", "as_frame", "run_chunk", "run_pickled", "run_sweep"]
