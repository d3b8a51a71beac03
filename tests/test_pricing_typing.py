"""The pricing API type-checks with the curves it documents (issue 6: ``DiscountCurve``).

``price_bonds(bonds, ZeroCurve(...))`` used to fail mypy because the Protocol declared a
settable ``reference_date`` that the frozen curves only expose read-only.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SNIPPET = """
from etfcore.bonds.bondset import BondSet
from etfcore.bonds.curves import NSSFit, ZeroCurve
from etfcore.bonds.pricing import DiscountCurve, price_bonds, z_spread_from_price


def use(bonds: BondSet, fit: NSSFit) -> None:
    zero = ZeroCurve("2026-01-02", [1.0, 2.0], [0.04, 0.041])
    price_bonds(bonds, zero, "2026-01-05")
    price_bonds(bonds, fit, "2026-01-05", yield_convention="compounded")
    z_spread_from_price(bonds, zero, 100.0, "2026-01-05")
    curve: DiscountCurve = zero
    print(curve.reference_date)
"""


@pytest.mark.slow
def test_zero_curve_and_nss_fit_are_discount_curves(tmp_path):
    exe = shutil.which("mypy", path=str(Path(sys.executable).parent)) or shutil.which("mypy")
    if exe is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]' installs it)")
    script = tmp_path / "use_pricing.py"
    script.write_text(SNIPPET)
    out = subprocess.run(
        [exe, "--follow-imports=silent", "--config-file", str(ROOT / "pyproject.toml"),
         str(script)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    errors = [line for line in out.stdout.splitlines() if str(script.name) in line]
    assert not errors, "\n".join(errors)
