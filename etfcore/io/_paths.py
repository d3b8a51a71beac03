"""Where the real market data lives.

The real data files (see ``shared/data/real/SOURCES.md``) are not part of the
package. They are found, in this order:

1. the directory named by the environment variable ``ETFCORE_REAL_DATA``;
2. a ``shared/data/real`` directory in the current directory or one of its
   parents (``../shared/data/real`` from a checkout of the repository);
3. a ``shared/data/real`` directory next to the installed package or one of
   its parents.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENV_VAR", "real_data_dir", "real_data_path"]

#: The environment variable that points at the real-data directory.
ENV_VAR = "ETFCORE_REAL_DATA"

_RELATIVE = Path("shared") / "data" / "real"


def _walk_up(start: Path) -> list[Path]:
    start = start.resolve()
    return [parent / _RELATIVE for parent in (start, *start.parents)]


def _candidates() -> list[Path]:
    seen: dict[Path, None] = {}
    for path in _walk_up(Path.cwd()) + _walk_up(Path(__file__).parent):
        seen.setdefault(path, None)
    return list(seen)


def real_data_dir() -> Path:
    """Return the directory that holds the real market data.

    Returns
    -------
    pathlib.Path
        ``$ETFCORE_REAL_DATA`` when it is set, otherwise the first
        ``shared/data/real`` directory found walking up from the current
        directory, then from the package's location.

    Raises
    ------
    FileNotFoundError
        If ``ETFCORE_REAL_DATA`` is set but is not a directory, or no
        ``shared/data/real`` directory is found; the message lists where it
        looked and how to set ``ETFCORE_REAL_DATA``.

    Notes
    -----
    The one rule for finding the data: the test suite's ``real_data`` fixture
    (``tests/conftest.py``) calls this function and skips, saying why, when it
    raises.

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with mock.patch.dict(os.environ, {"ETFCORE_REAL_DATA": tmp}):
    ...         print(real_data_dir() == pathlib.Path(tmp))
    True
    """
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if path.is_dir():
            return path
        raise FileNotFoundError(
            f"{ENV_VAR} is set to {env!r}, which is not a directory; point it at the folder "
            f"that holds the real market data files (e.g. export {ENV_VAR}=/path/to/shared/"
            "data/real) or unset it to search for shared/data/real"
        )
    looked = _candidates()
    for path in looked:
        if path.is_dir():
            return path
    shown = "\n  ".join(str(p) for p in looked)
    raise FileNotFoundError(
        f"real market data not found: {ENV_VAR} is not set and no shared/data/real directory "
        f"exists in the current directory, the package's directory or their parents. "
        f"Looked in:\n  {shown}\nSet {ENV_VAR} to the directory that holds the files, e.g. "
        f"export {ENV_VAR}=/path/to/shared/data/real"
    )


def real_data_path(name: str | os.PathLike[str]) -> Path:
    r"""Return the path of one real-data file, e.g. ``real_data_path("fred_dgs/DGS10.csv")``.

    Parameters
    ----------
    name : str or path-like
        The file's path inside the real-data directory.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FileNotFoundError
        If the real-data directory is not found (see :func:`real_data_dir`) or
        holds no file called ``name``.

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "DGS10.csv").write_text("DATE,DGS10\n")
    ...     with mock.patch.dict(os.environ, {"ETFCORE_REAL_DATA": tmp}):
    ...         print(real_data_path("DGS10.csv").name)
    DGS10.csv
    """
    base = real_data_dir()
    path = base / name
    if not path.exists():
        available = sorted(p.name for p in base.iterdir())
        raise FileNotFoundError(
            f"{name!s} is not in the real-data directory {base}; it holds: " + ", ".join(available)
        )
    return path
