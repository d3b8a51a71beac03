"""The benchmarks' smoke runs: every benchmark still runs, and its implementations still agree.

Each benchmark in ``benchmarks/`` checks etfcore against a plain version of the same computation
(QuantLib, numpy, pandas, statsmodels, a local Dask cluster) before it times anything, and stops
with an error (exit code 1) when they disagree. ``--smoke`` runs those checks on tiny inputs
with one call per measurement and prints one ``agree:`` line per check that passed, then
``smoke: N agreement checks passed``. Here each benchmark runs in a fresh interpreter, as a
user runs it (``sys.executable``, the repository root as working directory, ``MPLBACKEND=Agg``),
and the test asserts its exit code and its agreement lines.

No time is asserted: these runs share a loaded machine, so timings say nothing here (the
benchmarks' smoke modes exit 0 whatever their speed targets). ``bench_hedging.py`` and
``bench_rfq.py`` have no ``--smoke`` yet: they run as ``--quick --no-cold-start --repeat 1``
(a few seconds each) and their own agreement lines (``== plain ...``) are counted instead.
Two more checks: a plain version broken by 1e-6 makes the smoke run fail, and
``cold_start.py`` (the fresh process behind ``bench_bonds.py``'s cold-start rows) prices as
the parent does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # ~1 minute in all on a busy 2-core machine

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
#: Per run: a warm smoke run takes 1-15 s; a cold numba cache compiles first.
TIMEOUT_S = 600
AGREE = r"^agree: "


@dataclass(frozen=True)
class Smoke:
    """How one benchmark's smoke run is called and what proves it checked agreement."""

    script: str
    args: tuple[str, ...]
    marker: str  # a regular expression, one match per agreement line
    min_checks: int  # at least this many agreement lines
    counted: bool = True  # it prints "smoke: N agreement checks passed"


SMOKES = (
    Smoke("bench_bonds.py", ("--smoke",), AGREE, 24),
    Smoke("bench_fund.py", ("--smoke",), AGREE, 18),
    Smoke("bench_dynamics.py", ("--smoke",), AGREE, 1),
    Smoke("bench_estimate.py", ("--smoke",), AGREE, 1),
    Smoke("bench_tca.py", ("--smoke",), AGREE, 3),
    Smoke("bench_sweep.py", ("--smoke",), AGREE, 4),
    Smoke(
        "bench_hedging.py",
        ("--quick", "--no-cold-start", "--repeat", "1"),
        r"== (plain|Python loop)",
        3,
        counted=False,
    ),
    Smoke(
        "bench_rfq.py",
        ("--quick", "--no-cold-start", "--repeat", "1"),
        r"== plain \(",
        4,
        counted=False,
    ),
)


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MPLBACKEND="Agg")
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


def tail(text: str, n: int = 3000) -> str:
    return text[-n:]


def test_every_benchmark_has_a_smoke_run() -> None:
    scripts = {p.name for p in BENCHMARKS.glob("bench_*.py")}
    assert scripts == {s.script for s in SMOKES}, "add the new benchmark to SMOKES"


@pytest.mark.parametrize("smoke", SMOKES, ids=[s.script for s in SMOKES])
def test_smoke_run_agrees(smoke: Smoke) -> None:
    done = run([str(BENCHMARKS / smoke.script), *smoke.args])
    assert done.returncode == 0, (
        f"{smoke.script} {' '.join(smoke.args)} exited {done.returncode}\n"
        f"stdout:\n{tail(done.stdout)}\nstderr:\n{tail(done.stderr)}"
    )
    lines = re.findall(smoke.marker, done.stdout, flags=re.MULTILINE)
    assert len(lines) >= smoke.min_checks, (
        f"{smoke.script}: {len(lines)} agreement lines ({smoke.marker!r}), expected at least "
        f"{smoke.min_checks}\n{tail(done.stdout)}"
    )
    if smoke.counted:
        summary = re.findall(r"^smoke: (\d+) agreement checks passed$", done.stdout, re.MULTILINE)
        assert summary == [str(len(lines))], (summary, len(lines))


#: A plain version made to disagree by a hair (far above every tolerance, far below anything a
#: reader would notice), then the smoke run: it must fail, naming the check.
BROKEN = {
    "bench_bonds.py": (
        "import common; f = common.np_price_curve; "
        "common.np_price_curve = lambda *a, **k: f(*a, **k) + 1e-6",
        "price: numpy dirty vs etfcore",
    ),
    "bench_fund.py": (
        "import bench_fund as b; f = b.np_nav_ladder; "
        "b.np_nav_ladder = lambda *a, **k: f(*a, **k) + 1e-6",
        "NAV: numpy ladder vs etfcore navs",
    ),
    "bench_dynamics.py": (
        "import bench_dynamics as b; f = b.simulate_paths_numpy; "
        "b.simulate_paths_numpy = lambda *a: tuple(x * (1 + 1e-6) for x in f(*a))",
        "Not equal to tolerance",
    ),
    "bench_tca.py": (
        "import bench_tca as b; f = b.plain_pandas; "
        "b.plain_pandas = lambda df: (lambda o: (o[0] + 1e-6, o[1], o[2]))(f(df))",
        "Not equal to tolerance",
    ),
}


@pytest.mark.parametrize("script", sorted(BROKEN))
def test_smoke_run_fails_when_the_plain_version_disagrees(script: str) -> None:
    patch, message = BROKEN[script]
    module = script.removesuffix(".py")
    code = (
        f"import sys; sys.path.insert(0, {str(BENCHMARKS)!r}); {patch}; "
        f"import {module}; sys.exit({module}.main(['--smoke']))"
    )
    done = run(["-c", code])
    assert done.returncode != 0, f"{script} passed with a broken twin\n{tail(done.stdout)}"
    assert "AssertionError" in done.stderr, tail(done.stderr)
    assert message in done.stderr, tail(done.stderr)
    assert not re.search(r"^smoke: ", done.stdout, re.MULTILINE), tail(done.stdout)


#: Fresh process (``cold_start.py``, which ``bench_bonds.py`` runs for its cold-start rows and
#: ``--smoke`` skips) against the same first call in the parent: the same clean prices.
COLD_START = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, {benchmarks!r})
import numpy as np
import bench_bonds, common
import etfcore

m = common.benchmark_market(200).subset(50)
with tempfile.TemporaryDirectory() as tmp:
    inputs = Path(tmp) / "inputs.npz"
    bench_bonds.write_cold_start_inputs(m, inputs)
    child, _ = bench_bonds.run_child(inputs)
frame = m.frame[["id", "coupon_rate", "maturity_date", "issue_date"]]
curve = etfcore.ZeroCurve(m.curve.reference_date, m.curve.tenors, m.curve.zero_rates)
here = etfcore.price_bonds(etfcore.BondSet.from_frame(frame), curve, m.settlement, m.spread)
want = float(here["clean_price"].sum())
assert child["n_bonds"] == 50, child
assert abs(child["clean_price_sum"] - want) <= 1e-9 * want, (child["clean_price_sum"], want)
print("agree: cold_start.py clean prices == this process", sorted(child))
"""


def test_cold_start_child_prices_as_in_process() -> None:
    done = run(["-c", COLD_START.format(benchmarks=str(BENCHMARKS))])
    assert done.returncode == 0, tail(done.stderr)
    assert "agree: cold_start.py clean prices == this process" in done.stdout, done.stdout
    for key in ("first_call", "import_etfcore", "modules_after_import", "second_call"):
        assert key in done.stdout  # the child reports each step (its values are not checked)
