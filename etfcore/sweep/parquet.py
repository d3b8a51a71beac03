"""A sweep's result as a partitioned Parquet dataset (pyarrow), read back identical."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .._validation import show
from ..errors import InputError
from .run import RUN_COLUMN

#: Version of the dataset layout written by :func:`write_sweep`.
SCHEMA_VERSION = 1
#: Key of etfcore's metadata in the dataset's ``_common_metadata`` schema.
METADATA_KEY = b"etfcore.sweep"
#: The file holding the full schema (partition columns included), beside the data files.
COMMON_METADATA = "_common_metadata"


def check_partition_cols(frame: pd.DataFrame, partition_cols: Any) -> list[str]:
    """The columns to partition a sweep dataset by, checked against a sweep (or its grid).

    Parameters
    ----------
    frame : pandas.DataFrame
        The sweep's result, or its grid (:func:`etfcore.sweep.run_sweep` checks the grid
        before the first run).
    partition_cols : str, list of str or None

    Returns
    -------
    list of str

    Raises
    ------
    InputError
        For a column that is not in ``frame``, a repeated one, one that is not strings,
        whole numbers or booleans (or a categorical of them), has missing values, or
        changes within a run.

    Notes
    -----
    Each column becomes one folder level, ``name=value`` (hive style, values
    URL-encoded), so its values must name folders and read back exactly: floats and
    dates do not (partition by a string column made from them instead).

    Examples
    --------
    >>> import pandas as pd
    >>> check_partition_cols(pd.DataFrame({"etf": ["HY"], "x": [1.0]}), "etf")
    ['etf']
    """
    if partition_cols is None:
        return []
    cols = [partition_cols] if isinstance(partition_cols, str) else list(partition_cols)
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise InputError(
            f"partition_cols: {missing} are not columns of the sweep (its grid columns are "
            "the ones to partition by)"
        )
    if len(set(cols)) < len(cols):
        raise InputError(f"partition_cols: {cols} repeats a column")
    for c in cols:
        values = frame[c]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = pd.Series(values.cat.categories)
        discrete = (
            pd.api.types.is_integer_dtype(values)
            or pd.api.types.is_bool_dtype(values)
            or pd.api.types.is_string_dtype(values)
        )
        if not discrete or values.isna().any():
            raise InputError(
                f"partition_cols: {c!r} ({values.dtype}) cannot name a folder; partition by "
                "columns of strings or whole numbers without missing values"
            )
    if cols and RUN_COLUMN in frame.columns:
        varies = frame.groupby(RUN_COLUMN, sort=False)[cols].nunique().max()
        bad = [c for c in cols if varies[c] > 1]
        if bad:
            raise InputError(
                f"partition_cols: {bad} change within a run; partition by grid columns "
                "(the same on every row of a run)"
            )
    return cols


def check_target(path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """The folder a sweep dataset will be written to, checked before any work is done.

    Parameters
    ----------
    path : path
        A folder that does not exist or is empty; or, with ``overwrite``, one holding a
        sweep dataset.
    overwrite : bool, default False

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        For a file, or a folder holding files (unless ``overwrite`` and they are a sweep
        dataset: anything else is never deleted).

    Notes
    -----
    :func:`etfcore.sweep.run_sweep` calls it before the first run, so a sweep does not
    compute for an hour and then fail to write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     check_target(pathlib.Path(d) / "new").name
    'new'
    """
    root = Path(path)
    if not root.exists():
        return root
    if not root.is_dir():
        raise InputError(f"path: {str(root)!r} is a file; give a folder for the dataset")
    if any(root.iterdir()):
        if not overwrite:
            raise InputError(
                f"path: {str(root)!r} already holds files; give a new folder, or write with "
                "write_sweep(frame, path, overwrite=True) to replace a sweep written there"
            )
        if not (root / COMMON_METADATA).is_file():
            raise InputError(
                f"path: {str(root)!r} is not a sweep dataset (no {COMMON_METADATA}); "
                "overwrite only replaces a sweep"
            )
    return root


def write_sweep(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    partition_cols: Sequence[str] | None = None,
    *,
    overwrite: bool = False,
) -> Path:
    """Write a sweep's result as a Parquet dataset, partitioned by grid columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        A result of :func:`etfcore.sweep.run_sweep` (with its ``run`` column).
    path : path
        The dataset's folder; it must not exist or be empty, unless ``overwrite``.
    partition_cols : list of str, optional
        Columns of strings or whole numbers, the same on every row of a run (grid
        columns): one folder level each, hive style (``etf=HY/regime=stress/``).
    overwrite : bool, default False
        Replace an existing sweep dataset at ``path`` (never a folder that is not one).

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    InputError
        For a frame that is not a sweep result, a partition column that is not a column,
        not discrete, or changes within a run, or a ``path`` that already holds files.

    Notes
    -----
    Data files ``part-{i}.parquet`` in each partition folder, rows in the frame's order;
    ``_common_metadata`` holds the full Arrow schema (partition columns included, with
    pandas' dtypes) and etfcore's metadata (:data:`METADATA_KEY`: schema version,
    partition columns, column order). :func:`read_sweep` reads it back identical; any
    Parquet reader reads the data (``pandas.read_parquet(path)`` gives the partition
    columns as categories, rows in folder order).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from etfcore.sweep import read_sweep, write_sweep
    >>> frame = pd.DataFrame({"run": [0, 0, 1], "etf": ["HY", "HY", "IG"], "x": [1.0, 2.0, 3.0]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     root = write_sweep(frame, pathlib.Path(d) / "sweep", ["etf"])
    ...     names = sorted(p.name for p in root.iterdir())
    ...     back = read_sweep(root)
    >>> names, back.equals(frame)
    (['_common_metadata', 'etf=HY', 'etf=IG'], True)
    """
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame: expected the DataFrame run_sweep returns, got {type(frame)}")
    if RUN_COLUMN not in frame.columns:
        raise InputError(f"frame: no {RUN_COLUMN!r} column; write the frame run_sweep returns")
    cols = check_partition_cols(frame, partition_cols)
    if len(cols) == len(frame.columns):
        raise InputError("partition_cols: leave at least one column out of the partitioning")
    root = check_target(path, overwrite=overwrite)
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise InputError(f"frame: cannot be written as Parquet: {exc}") from None
    if root.exists() and any(root.iterdir()):
        shutil.rmtree(root)  # a sweep dataset (check_target), replaced with overwrite=True
    categories = {
        c: {"categories": frame[c].cat.categories.tolist(), "ordered": bool(frame[c].cat.ordered)}
        for c in cols
        if isinstance(frame[c].dtype, pd.CategoricalDtype)
    }
    meta = {
        "schema_version": SCHEMA_VERSION,
        "partition_cols": cols,
        "columns": list(frame.columns),
        # what Arrow does not give back as it was: object columns, categorical folders
        "object_columns": [c for c in frame.columns if frame[c].dtype == object],
        "categories": categories,
    }
    schema = _folder_types(table.schema, cols).with_metadata(
        {**(table.schema.metadata or {}), METADATA_KEY: json.dumps(meta).encode()}
    )
    table = table.cast(schema)
    partitioning = _partitioning(schema, cols)
    root.mkdir(parents=True, exist_ok=True)
    ds.write_dataset(
        table,
        root,
        format="parquet",
        partitioning=partitioning,
        basename_template="part-{i}.parquet",
        existing_data_behavior="overwrite_or_ignore",
        preserve_order=True,
    )
    pq.write_metadata(schema, root / COMMON_METADATA)
    return root


def read_sweep(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a dataset written by :func:`write_sweep` back into the frame it was written from.

    Parameters
    ----------
    path : path
        The dataset's folder.

    Returns
    -------
    pandas.DataFrame
        The same columns in the same order, the same dtypes (partition columns too), rows
        in run order, a ``RangeIndex``.

    Raises
    ------
    InputError
        For a folder that does not exist or is not a sweep dataset.

    Notes
    -----
    The schema comes from ``_common_metadata`` (so the partition columns get their
    written types back, not types guessed from folder names); rows are sorted by
    ``run``, stably, and each run's rows sit in one data file in their written order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from etfcore.sweep import read_sweep, write_sweep
    >>> frame = pd.DataFrame({"run": [0, 1], "seed": [3, 4], "x": [1.5, 2.5]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     back = read_sweep(write_sweep(frame, pathlib.Path(d) / "s", ["seed"]))
    >>> back.dtypes.astype(str).tolist(), back.equals(frame)
    (['int64', 'int64', 'float64'], True)
    """
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    root = Path(path)
    if not root.is_dir():
        raise InputError(f"path: no sweep dataset at {str(root)!r} (no such folder)")
    common = root / COMMON_METADATA
    try:
        schema = pq.read_schema(common)
    except (OSError, pa.ArrowException):
        raise InputError(
            f"path: {str(root)!r} is not a sweep dataset written by write_sweep (no readable "
            f"{COMMON_METADATA})"
        ) from None
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        raise InputError(f"path: {str(root)!r} is not a sweep dataset (no etfcore metadata)")
    meta = json.loads(raw)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise InputError(
            f"path: sweep dataset schema version {show(meta.get('schema_version'))}; this "
            f"etfcore reads version {SCHEMA_VERSION}"
        )
    cols = list(meta["partition_cols"])
    dataset = ds.dataset(
        root, schema=schema, format="parquet", partitioning=_partitioning(schema, cols)
    )
    frame = dataset.to_table().to_pandas()
    frame = frame.sort_values(RUN_COLUMN, kind="stable").reset_index(drop=True)
    frame = frame[list(meta["columns"])]
    for c in meta.get("object_columns", []):
        frame[c] = frame[c].astype(object)
    for c, cat in meta.get("categories", {}).items():
        frame[c] = pd.Categorical(frame[c], categories=cat["categories"], ordered=cat["ordered"])
    return frame


def _folder_types(schema: Any, cols: list[str]) -> Any:
    """The schema with each categorical partition column as its categories' type."""
    import pyarrow as pa

    for c in cols:
        i = schema.get_field_index(c)
        field = schema.field(i)
        if pa.types.is_dictionary(field.type):
            schema = schema.set(i, field.with_type(field.type.value_type))
    return schema


def _partitioning(schema: Any, cols: list[str]) -> Any:
    import pyarrow as pa
    import pyarrow.dataset as ds

    if not cols:
        return None
    return ds.partitioning(pa.schema([schema.field(c) for c in cols]), flavor="hive")


__all__ = [
    "COMMON_METADATA",
    "METADATA_KEY",
    "SCHEMA_VERSION",
    "check_partition_cols",
    "check_target",
    "read_sweep",
    "write_sweep",
]
