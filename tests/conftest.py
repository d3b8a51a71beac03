"""Shared fixtures: real-data location, global-RNG guard."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]


def real_data_dir() -> Path | None:
    """Where the real market data lives, or None when it is absent."""
    env = os.environ.get("ETFCORE_REAL_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "data" / "real")
    for c in candidates:
        if c.is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def real_data() -> Path:
    d = real_data_dir()
    if d is None:
        pytest.skip("real market data not found in ../shared/data/real or $ETFCORE_REAL_DATA")
    return d


@pytest.fixture(scope="session")
def seed_data() -> Path:
    d = REPO.parent / "shared" / "data" / "seed"
    if not d.is_dir():
        pytest.skip("seed data not found in ../shared/data/seed")
    return d


@pytest.fixture(autouse=True)
def _no_global_rng():
    """Fail any test that draws from numpy's global random state."""
    before = np.random.get_state()[1].copy()  # noqa: NPY002 - the guard reads it on purpose
    yield
    after = np.random.get_state()[1]  # noqa: NPY002
    if not np.array_equal(before, after):
        pytest.fail("test touched numpy's global RNG; pass a Generator or a seed instead")
