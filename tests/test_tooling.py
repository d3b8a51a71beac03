"""The project's own rules, checked by the test suite so that CI runs them.

ruff (lint and format) and mypy must run clean on the package; every public name listed
by ``etfcore.__all__`` and every public submodule resolves; the README's code blocks run.
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import etfcore

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> list[str]:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]' installs it)")
    return [exe]


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_lint_is_clean():
    out = _run([*_tool("ruff"), "check", "etfcore", "tests", "benchmarks"])
    assert out.returncode == 0, out.stdout + out.stderr


def test_ruff_format_is_clean():
    out = _run([*_tool("ruff"), "format", "--check", "etfcore", "tests", "benchmarks"])
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.slow
def test_mypy_is_clean():
    out = _run([*_tool("mypy")])
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr[-2000:]


@pytest.mark.parametrize("name", sorted(etfcore.__all__))
def test_public_name_resolves(name):
    assert getattr(etfcore, name) is not None


def test_public_submodules_import():
    for name in etfcore._SUBMODULES:
        assert importlib.import_module(f"etfcore.{name}") is getattr(etfcore, name)


def _readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_blocks_run():
    """Every ```python block of the README runs, in order, in one namespace."""
    blocks = _readme_blocks()
    assert blocks, "README has no python examples"
    namespace: dict = {"__name__": "__readme__"}
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"README.md block {i + 1}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"README python block {i + 1} failed: {exc!r}\n{block}") from exc


def test_bundled_seed_is_the_briefs():
    """The package's seed files are the brief's, byte for byte (where the brief's are here)."""
    from etfcore.data import SEED_FILES, seed_path

    shared = ROOT.parent / "shared" / "data" / "seed"
    if not shared.is_dir():
        pytest.skip(f"the brief's seed folder is not here: {shared}")
    for name in SEED_FILES:
        assert seed_path(name).read_bytes() == (shared / name).read_bytes(), name
