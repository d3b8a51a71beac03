"""Execute every notebook in notebooks/ so that none can rot.

Notebooks are stored with outputs stripped; each runs top to bottom in a fresh kernel
with the notebooks directory as working directory (the real data is found the way
:func:`etfcore.io.real_data_dir` finds it). Sections that need the real market data skip
themselves, and say so in their output, when it is absent: the second test runs every
notebook with ``ETFCORE_REAL_DATA`` pointing at an empty directory to check that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
TIMEOUT_S = 600
SKIP_MESSAGE = "Real data not available, skipping"
_EXECUTED: dict[str, object] = {}  # notebook name -> executed notebook (with the real data)


def _execute(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        f"{path.name} is stored with outputs; strip them before committing"
    )
    client = nbclient.NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def _stream_text(nb) -> str:
    return "".join(
        out.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream"
    )


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    _EXECUTED[path.name] = _execute(path)


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_without_real_data(path, monkeypatch, tmp_path):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("ETFCORE_REAL_DATA", str(tmp_path))  # an empty directory
    nb = _execute(path)
    assert SKIP_MESSAGE in _stream_text(nb), (
        f"{path.name} ran without the real data but did not say which sections it skipped"
    )


@pytest.mark.notebook
@pytest.mark.slow
def test_notebook_03_prints_lqd_march_2020_from_data(real_data, monkeypatch):
    """The premia the story starts from are printed by code (iShares NAV, Yahoo close)."""
    path = next(p for p in NOTEBOOKS if p.name == "03_premium_discount.ipynb")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = _EXECUTED.get(path.name) or _execute(path)
    assert "March 2020 premium (bp): 12 Mar -502, 19 Mar -508, 25 Mar +504" in _stream_text(nb)
