"""The layers of DESIGN.md: a layer imports only the layers below it, never one above.

Every ``import`` and ``from ... import`` in the package (module level and inside functions,
where the lazy imports are) is read with :mod:`ast` and mapped to the layer it reaches.
Command-line modules (``cli.py`` and each layer's ``_cli*.py``) sit at the edge and may
import anything; so may the package's ``__init__``, which only names things lazily.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "etfcore"

#: Bottom to top (DESIGN.md). Each layer may import every layer before it.
LAYERS = (
    "bonds",
    "state",
    "liquidity",
    "fund",
    "primary",
    "dynamics",
    "hedging",
    "trading",
    "report",
    "sweep",
)
#: Shared helpers every layer may use.
COMMON = {"errors", "_validation", "_results", "_deprecation", "_jit", "data", "__version__"}
#: Beside the layers: what each may import (besides COMMON).
SIDE = {
    "io": {"bonds", "state"},
    "market": {"bonds", "state", "liquidity", "fund", "io"},
}


def _allowed(layer: str) -> set[str]:
    if layer in SIDE:
        return SIDE[layer] | COMMON
    below = set(LAYERS[: LAYERS.index(layer)])
    # the layers above the fund build on real files and the synthetic market
    if LAYERS.index(layer) >= LAYERS.index("report"):
        below |= set(SIDE)
    return below | COMMON


def _imports(path: Path, package_dir: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, etfcore top-level part) of every import in one module."""
    parts = path.relative_to(package_dir.parent).with_suffix("").parts
    package = list(parts if path.name == "__init__.py" else parts[:-1])
    if path.name == "__init__.py":
        package = package[:-1] if package[-1] == "__init__" else package
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
            else:
                target = (node.module or "").split(".")
            if target[0] != "etfcore":
                continue
            if len(target) == 1:  # from etfcore import x / from .. import x
                found += [(node.lineno, a.name) for a in node.names]
            else:
                found.append((node.lineno, target[1]))
        elif isinstance(node, ast.Import):
            for a in node.names:
                target = a.name.split(".")
                if target[0] == "etfcore" and len(target) > 1:
                    found.append((node.lineno, target[1]))
    return found


def _modules() -> list[Path]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) == 1 or path.name.startswith("_cli"):
            continue  # top-level modules (cli, helpers, __init__) and command-line edges
        out.append(path)
    return out


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_layer_above_its_own(path):
    layer = path.relative_to(PACKAGE).parts[0]
    assert layer in LAYERS or layer in SIDE or layer in COMMON, f"unknown layer {layer}"
    if layer in COMMON:
        return
    allowed = _allowed(layer) | {layer}
    bad = [(line, target) for line, target in _imports(path) if target not in allowed]
    assert not bad, (
        f"{path.relative_to(PACKAGE)} ({layer}) imports a layer above it or beside it: "
        + ", ".join(f"line {line}: etfcore.{target}" for line, target in bad)
    )


def test_the_checker_sees_every_kind_of_import(tmp_path):
    """Relative, absolute, package-level and in-function imports are all found."""
    fund = tmp_path / "etfcore" / "fund"
    fund.mkdir(parents=True)
    module = fund / "x.py"
    module.write_text(
        "from ..state import MarketState\n"
        "import etfcore.hedging.cost\n"
        "from etfcore import trading\n"
        "def f():\n"
        "    from ..dynamics import simulate_premium\n"
        "    from . import etf\n"
    )
    found = _imports(module, tmp_path / "etfcore")
    assert found == [(1, "state"), (2, "hedging"), (3, "trading"), (5, "dynamics"), (6, "fund")]
    assert {t for _, t in found} - (_allowed("fund") | {"fund"}) == {
        "hedging",
        "trading",
        "dynamics",
    }
    assert "trading" not in _allowed("io") and "market" not in _allowed("io")
