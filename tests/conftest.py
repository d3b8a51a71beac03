"""Shared fixtures: real-data location, global-RNG guard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from etfcore.io import _paths

REPO = Path(__file__).resolve().parents[1]


def real_data_dir() -> Path | None:
    """Where the real market data lives (the one rule of ``etfcore/io/_paths.py``), or None."""
    try:
        return _paths.real_data_dir()
    except FileNotFoundError:
        return None


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real-data directory, found as :func:`etfcore.io.real_data_dir` finds it.

    Skips the test, saying where it looked and how to point at the data, when it is absent.
    """
    try:
        return _paths.real_data_dir()
    except FileNotFoundError as exc:
        pytest.skip(f"real market data not found: {exc}")


@pytest.fixture(scope="session")
def seed_data() -> Path:
    """The brief's seed files: the copy bundled with the package (``etfcore/data/seed``).

    ``tests/test_tooling.py::test_bundled_seed_is_the_briefs`` checks it is byte for byte
    the brief's ``../shared/data/seed`` where that is present.
    """
    from etfcore.data import seed_path

    return seed_path().parent


@pytest.fixture(autouse=True)
def _no_global_rng():
    """Fail any test that draws from numpy's global random state."""
    before = np.random.get_state()[1].copy()  # noqa: NPY002 - the guard reads it on purpose
    yield
    after = np.random.get_state()[1]  # noqa: NPY002
    if not np.array_equal(before, after):
        pytest.fail("test touched numpy's global RNG; pass a Generator or a seed instead")
