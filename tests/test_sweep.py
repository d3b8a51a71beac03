"""etfcore.sweep: named tasks against the functions they call, grids, errors, Parquet, Dask.

The reference for every named task is the public function it wraps, called directly in the
test on the same inputs (``arbitrage_band``, ``hedge_cost_curve``, ``simulate_premium``).
The Dask tests use a LocalCluster of 2 worker processes x 1 thread and check that the
frames are identical (``check_exact``) to the local run, also when a worker is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etfcore import InputError
from etfcore.dynamics import simulate_premium
from etfcore.hedging import hedge_cost_curve, liquidity_backstop
from etfcore.market import synthetic_market
from etfcore.market.funds import ETF_RULES
from etfcore.primary import arbitrage_band
from etfcore.state import REGIMES
from etfcore.sweep import PREMIUM_STATISTICS, read_sweep, run_sweep, write_sweep
from etfcore.sweep.tasks import ETF_NAMES

SMALL_SIM = {"n_paths": 30, "n_days": 12}


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)


# --------------------------------------------------------------------- named tasks
def test_etf_names_are_the_synthetic_market_etfs():
    assert tuple(ETF_RULES) == ETF_NAMES


def test_arbitrage_band_rows_are_the_band_cost_table():
    grid = pd.DataFrame(
        {"etf": ["IG_BROAD", "HY", "IG_SHORT"], "regime": ["normal", "stress", "normal"]}
    )
    grid["units"] = [1, 2, 1]
    out = run_sweep("arbitrage_band", grid, progress=False)
    m = synthetic_market(0)
    n_rows = None
    for run, row in grid.iterrows():
        want = arbitrage_band(m.etf(row.etf), m.with_regime(row.regime), units=row.units)
        want = want.cost_table().reset_index()
        got = out[out["run"] == run].reset_index(drop=True)
        n_rows = len(want)
        assert (got[["etf", "regime", "units"]] == row[["etf", "regime", "units"]]).all().all()
        assert_same(got.drop(columns=["run", "etf", "regime", "units"]), want)
        # each threshold is the sum of its components (the band's own decomposition)
        parts = got[got["component"] != "threshold"]
        np.testing.assert_allclose(
            parts["create_bp"].sum(), got["create_bp"].iloc[-1], rtol=1e-12, atol=1e-12
        )
    assert list(out.columns[:4]) == ["run", "etf", "regime", "units"]
    assert len(out) == 3 * n_rows
    assert isinstance(out.index, pd.RangeIndex)


def test_absent_columns_take_the_defaults():
    out = run_sweep("arbitrage_band", pd.DataFrame(index=range(1)), progress=False)
    m = synthetic_market(0)
    want = arbitrage_band(m.etf("IG_BROAD"), m).cost_table().reset_index()
    assert_same(out.drop(columns="run"), want)


def test_as_of_is_read_as_a_date_in_any_form():
    grid = pd.DataFrame({"as_of": ["2026-01-15", "20260115", "2025-06-30"]})
    grid["as_of"] = grid["as_of"].astype(object)
    grid.loc[1, "as_of"] = pd.Timestamp("2026-01-15")
    out = run_sweep("arbitrage_band", grid, progress=False)
    cols = ["create_bp", "redeem_bp"]
    by_run = [out.loc[out["run"] == i, cols].reset_index(drop=True) for i in range(3)]
    assert_same(by_run[1], by_run[0])
    m = synthetic_market(0, as_of="2025-06-30")
    want = arbitrage_band(m.etf("IG_BROAD"), m).cost_table().reset_index()[cols]
    assert_same(by_run[2], want)
    assert not by_run[2].equals(by_run[0])
    assert out["as_of"].iloc[-1] == "2025-06-30"  # the grid's value, as written


def test_hedge_cost_curve_rows_are_the_curve_table():
    grid = pd.DataFrame(
        {"etf": ["HY", "IG_SHORT"], "regime": ["stress", "normal"], "notional_usd": [1e6, 5e8]}
    )
    out = run_sweep("hedge_cost_curve", grid, progress=False)
    m = synthetic_market(0)
    for run, row in grid.iterrows():
        want = hedge_cost_curve(m, [row.etf], [row.notional_usd], None, (row.regime,))
        want = want.to_frame().drop(columns=["notional_usd", "regime"])
        got = out[out["run"] == run].drop(columns=["run", "etf", "regime", "notional_usd"])
        assert_same(got.reset_index(drop=True), want)
    # the curve's regime and size columns are the grid's, not repeated
    assert list(out.columns).count("regime") == 1
    assert list(out.columns[:4]) == ["run", "etf", "regime", "notional_usd"]
    assert (out["instrument"] == out["etf"]).all()


def test_hedge_cost_curve_absent_dimensions_are_the_curve_defaults():
    grid = pd.DataFrame({"etf": ["HY"], "notional_usd": [1e7], "horizon_days": [2]})
    out = run_sweep("hedge_cost_curve", grid, progress=False)
    assert sorted(out["regime"].unique()) == ["normal", "stress"]
    assert len(out) == 2 * 2  # two sides x two regimes


def test_liquidity_backstop_rows_are_the_backstop_table():
    grid = pd.DataFrame({"etf": ["HY", "IG_BROAD"], "notional_usd": [1e9, 5e8]})
    out = run_sweep("liquidity_backstop", grid, progress=False)
    fixed = run_sweep("liquidity_backstop", grid.assign(regime="stress"), progress=False)
    m = synthetic_market(0)
    for run, row in grid.iterrows():
        b = liquidity_backstop(m.etf(row.etf), m)
        want = b.to_frame().reset_index()
        want["absorb_days"] = [b.days_to_absorb(row.notional_usd, r) for r in REGIMES]
        got = out[out["run"] == run].drop(columns=["run", "etf", "notional_usd"])
        assert_same(got.reset_index(drop=True), want)
        one = fixed[fixed["run"] == run].drop(columns=["run", "etf", "notional_usd", "regime"])
        assert_same(
            one.reset_index(drop=True),
            want[want["regime"] == "stress"].drop(columns="regime").reset_index(drop=True),
        )
    np.testing.assert_allclose(
        out["absorb_days"], out["notional_usd"] / out["capacity_usd_per_day"], rtol=1e-12
    )


def test_premium_simulation_statistics_are_the_simulation_summary():
    grid = pd.DataFrame({"etf": ["IG_BROAD", "HY"], "scenario": ["calm", "march_2020"]})
    grid = grid.assign(**SMALL_SIM)
    out = run_sweep("premium_simulation", grid, progress=False)
    assert list(out.columns) == ["run", *grid.columns, *PREMIUM_STATISTICS]
    m = synthetic_market(0)
    for run, row in grid.iterrows():
        sim = simulate_premium(m.etf(row.etf), m, row.scenario, seed=0, **SMALL_SIM)
        got = out.loc[run]
        p = sim.premium_bp
        assert got["worst_discount_bp"] == p.min()
        assert got["median_premium_bp"] == np.percentile(p, 50)
        assert got["days_outside_band_share"] == sim.outside_band.mean()
        assert got["band_stress_create_bp"] == sim.band_bp.loc["stress", "create"]
        text = str(sim.summary())
        for name in ("median_premium_bp", "sd_premium_bp", "premium_p05_bp", "worst_discount_bp"):
            line = next(x for x in text.splitlines() if x.startswith(name))
            assert line.split()[-1] == f"{got[name]:,.2f}", name


def test_premium_simulation_sim_seed_defaults_to_the_seed():
    grid = pd.DataFrame({"sim_seed": [0, 0, 1]}).assign(**SMALL_SIM)
    out = run_sweep("premium_simulation", grid, progress=False)
    default = run_sweep("premium_simulation", pd.DataFrame(SMALL_SIM, index=[0]), progress=False)
    cols = list(PREMIUM_STATISTICS)
    assert (out.loc[0, cols] == default.loc[0, cols]).all()
    assert out.loc[2, "median_premium_bp"] != out.loc[0, "median_premium_bp"]


def test_results_are_in_grid_order_whatever_the_run_order():
    # rows of two markets interleaved: run market by market, returned in grid order
    grid = pd.DataFrame({"seed": [1, 0, 1, 0], "etf": ["HY", "HY", "IG_BROAD", "IG_BROAD"]})
    out = run_sweep("arbitrage_band", grid, progress=False)
    one = [
        run_sweep("arbitrage_band", grid.iloc[[i]].reset_index(drop=True), progress=False)
        for i in range(4)
    ]
    want = pd.concat([f.assign(run=i) for i, f in enumerate(one)], ignore_index=True)
    assert_same(out, want)


def test_labels_are_carried_through():
    grid = pd.DataFrame({"etf": ["HY", "HY"], "desk": ["flow", "prop"], "book": [7, 8]})
    out = run_sweep("arbitrage_band", grid, labels=["desk", "book"], progress=False)
    assert list(out.columns[:4]) == ["run", "etf", "desk", "book"]
    assert out.groupby("run")["desk"].first().tolist() == ["flow", "prop"]
    assert out["book"].dtype == np.int64


def test_grid_index_is_not_used_and_grid_dtypes_are_kept():
    grid = pd.DataFrame({"etf": ["HY", "IG_BROAD"], "units": [1, 2]}, index=["a", "b"])
    out = run_sweep("arbitrage_band", grid, progress=False)
    assert out["run"].unique().tolist() == [0, 1]
    assert out["units"].dtype == np.int64 and out["run"].dtype == np.int64


# --------------------------------------------------------------------- callables
def test_callable_frames_dicts_and_series():
    grid = pd.DataFrame({"x": [1.0, 2.0], "name": ["a", "b"]})

    def frame(row):
        return pd.DataFrame({"k": [0, 1], "y": [row["x"], 2 * row["x"]]})

    out = run_sweep(frame, grid, progress=False)
    assert out["y"].tolist() == [1.0, 2.0, 2.0, 4.0]
    assert out["name"].tolist() == ["a", "a", "b", "b"]
    d = run_sweep(lambda row: {"y": row["x"] + 1}, grid, progress=False)
    s = run_sweep(lambda row: pd.Series({"y": row["x"] + 1}), grid, progress=False)
    assert_same(d, s)
    assert d["y"].tolist() == [2.0, 3.0]


def test_callable_named_index_becomes_a_column():
    def band(row):
        m = synthetic_market(0)
        return arbitrage_band(m.etf(row["etf"]), m).to_frame()

    out = run_sweep(band, pd.DataFrame({"etf": ["HY"]}), progress=False)
    assert list(out.columns) == ["run", "etf", "component", "create", "redeem"]


def test_callable_columns_shared_with_the_grid():
    grid = pd.DataFrame({"x": [1, 2]})
    same = run_sweep(lambda row: {"x": float(row["x"]), "y": 0}, grid, progress=False)
    assert list(same.columns) == ["run", "x", "y"]
    with pytest.raises(InputError, match=r"run 0 returned a column 'x' that is also a grid"):
        run_sweep(lambda row: {"x": 99}, grid, progress=False)
    with pytest.raises(InputError, match=r"run 0 returned a column 'run'"):
        run_sweep(lambda row: {"run": 99}, grid, progress=False)


def test_callable_bad_results():
    grid = pd.DataFrame({"x": [1]})
    with pytest.raises(InputError, match=r"run 0 returned list; a task returns a DataFrame"):
        run_sweep(lambda row: [1, 2], grid, progress=False)
    with pytest.raises(InputError, match=r"column names that are not strings: \[0\]"):
        run_sweep(lambda row: pd.DataFrame({0: [1]}), grid, progress=False)


def test_an_exception_in_a_run_names_the_run():
    def fail(row):
        if row["x"] == 2:
            raise ZeroDivisionError("boom")
        return {"y": 1}

    with pytest.raises(ZeroDivisionError, match="boom") as info:
        run_sweep(fail, pd.DataFrame({"x": [1, 2]}), progress=False)
    assert any("run 1" in note for note in info.value.__notes__)


# --------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ([{"etf": "HY"}], r"grid: expected a pandas DataFrame with one row per run, got list"),
        (pd.DataFrame({"etf": []}), r"grid: the grid has no rows"),
        (pd.DataFrame({"run": [1]}), r"the column 'run' is the sweep's run index"),
        (pd.DataFrame({0: [1]}), r"column names must be strings, got \[0\]"),
    ],
)
def test_bad_grids(grid, message):
    with pytest.raises(InputError, match=message):
        run_sweep("arbitrage_band", grid)


def test_duplicate_grid_columns():
    grid = pd.DataFrame([["HY", "HY"]], columns=["etf", "etf"])
    with pytest.raises(InputError, match=r"duplicate columns \['etf'\]"):
        run_sweep("arbitrage_band", grid)


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("band", r"task: unknown task 'band'; use one of \['arbitrage_band', 'hedge_cost_curve'"),
        (3, r"task: expected a task name .* or a callable, got 3 \(int\)"),
    ],
)
def test_bad_tasks(task, message):
    with pytest.raises(InputError, match=message):
        run_sweep(task, pd.DataFrame({"x": [1]}))


def test_unknown_columns_of_a_named_task():
    grid = pd.DataFrame({"etf": ["HY"], "desk": ["flow"], "n_paths": [10]})
    with pytest.raises(
        InputError,
        match=r"task 'arbitrage_band' does not read the column\(s\) \['desk', 'n_paths'\]; it "
        r"reads \['seed', 'as_of', 'etf', 'regime', 'units', 'horizon_days'\]\. Pass "
        r"labels=\['desk', 'n_paths'\]",
    ):
        run_sweep("arbitrage_band", grid)
    with pytest.raises(InputError, match=r"labels: \['book'\] are not columns of the grid"):
        run_sweep("arbitrage_band", grid, labels=["book"])


@pytest.mark.parametrize(
    ("task", "column", "values", "message"),
    [
        ("arbitrage_band", "etf", ["HY", "LQD"], r"grid row 1, column 'etf': 'LQD' is not one"),
        ("arbitrage_band", "regime", ["normal", "calm"], r"grid row 1, column 'regime': 'calm'"),
        ("premium_simulation", "scenario", ["covid"], r"grid row 0, column 'scenario': 'covid' "),
        ("arbitrage_band", "seed", [0, -1], r"grid row 1, column 'seed': -1 must be >= 0"),
        ("arbitrage_band", "seed", [0.5], r"grid row 0, column 'seed': 0.5 is not a whole num"),
        ("arbitrage_band", "seed", [np.nan], r"grid row 0, column 'seed': nan is not a whole"),
        ("arbitrage_band", "as_of", ["2026-13-45"], r"grid row 0, column 'as_of'"),
        ("arbitrage_band", "units", [0], r"grid row 0, column 'units': 0 must be >= 1"),
        ("arbitrage_band", "horizon_days", [-1.0], r"column 'horizon_days': -1.0 must be a fin"),
        ("premium_simulation", "n_paths", [10, 2.5], r"grid row 1, column 'n_paths': 2.5 is no"),
        ("hedge_cost_curve", "notional_usd", [np.nan], r"column 'notional_usd': nan must be a"),
        ("hedge_cost_curve", "etf", [None], r"grid row 0, column 'etf': None is not one of"),
    ],
)
def test_bad_grid_values_name_the_row_and_value(task, column, values, message):
    with pytest.raises(InputError, match=message):
        run_sweep(task, pd.DataFrame({column: values}))


def test_bad_values_in_an_indexed_grid_name_the_index():
    grid = pd.DataFrame({"etf": ["HY", "XYZ"]}, index=["first", "second"])
    with pytest.raises(InputError, match=r"grid row 1 \(index 'second'\), column 'etf': 'XYZ'"):
        run_sweep("arbitrage_band", grid)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"client": "tcp://scheduler:8786"}, r"client: expected a distributed.Client .* got str"),
        ({"chunk_size": 0}, r"chunk_size: 0 must be >= 1"),
        ({"processes": 0}, r"processes: 0 must be >= 1"),
        ({"progress": "yes"}, r"progress: expected True, False or None, got 'yes'"),
        ({"partition_cols": ["etf"]}, r"partition_cols: give to_parquet="),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(InputError, match=message):
        run_sweep("arbitrage_band", pd.DataFrame({"etf": ["HY"]}), **kwargs)


def test_without_dask_client_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    grid = pd.DataFrame({"etf": ["HY"]})
    with pytest.raises(InputError, match=r"needs dask.distributed; install it with pip install"):
        run_sweep("arbitrage_band", grid, client=object())
    assert len(run_sweep("arbitrage_band", grid, progress=False)) > 0


def test_import_does_not_import_dask_or_the_layers():
    code = (
        "import sys, etfcore.sweep; "
        "heavy = ('dask', 'distributed', 'numba', 'etfcore.hedging'); "
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------- progress
def test_progress_can_be_shown_and_silenced(capsys, monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)  # rich would take stderr for a terminal
    grid = pd.DataFrame({"etf": ["HY", "IG_BROAD"]})
    run_sweep("arbitrage_band", grid, progress=False)
    assert capsys.readouterr().err == ""
    run_sweep("arbitrage_band", grid, progress=True)
    err = capsys.readouterr().err
    assert "sweep arbitrage_band" in err and "2/2" in err
    run_sweep("arbitrage_band", grid)  # default: no terminal here, so silent
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------- Parquet
def test_parquet_dataset_reads_back_identical(tmp_path: Path):
    grid = pd.DataFrame(
        {
            "seed": [0, 0, 1],
            "etf": ["HY", "IG_BROAD", "HY"],
            "regime": ["stress", "normal", "normal"],
        }
    )
    out = run_sweep(
        "arbitrage_band",
        grid,
        progress=False,
        to_parquet=tmp_path / "bands",
        partition_cols=["etf", "regime"],
    )
    root = tmp_path / "bands"
    assert sorted(p.name for p in root.iterdir()) == ["_common_metadata", "etf=HY", "etf=IG_BROAD"]
    assert (root / "etf=HY" / "regime=stress" / "part-0.parquet").is_file()
    assert_same(read_sweep(root), out)
    # any Parquet reader reads it: the same rows, partition columns as categories
    plain = pd.read_parquet(root)
    assert len(plain) == len(out)
    # unpartitioned, and replaced with overwrite=True
    write_sweep(out, root, overwrite=True)
    assert sorted(p.name for p in root.iterdir()) == ["_common_metadata", "part-0.parquet"]
    assert_same(read_sweep(root), out)


def test_parquet_target_and_partitions_are_checked_before_the_runs(tmp_path: Path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    calls = []

    def task(row):
        calls.append(row)
        return {"y": 1}

    grid = pd.DataFrame({"x": [1.5, 2.5], "k": ["a", "b"]})
    with pytest.raises(InputError, match=r"already holds files; give a new folder"):
        run_sweep(task, grid, to_parquet=tmp_path / "full")
    with pytest.raises(InputError, match=r"partition_cols: 'x' \(float64\) cannot name a folder"):
        run_sweep(task, grid, to_parquet=tmp_path / "new", partition_cols=["x"])
    with pytest.raises(InputError, match=r"partition_cols: \['y'\] are not columns"):
        run_sweep(task, grid, to_parquet=tmp_path / "new", partition_cols=["y"])
    assert calls == [] and not (tmp_path / "new").exists()
    out = run_sweep(task, grid, to_parquet=tmp_path / "new", partition_cols="k")
    assert_same(read_sweep(tmp_path / "new"), out)


def test_parquet_of_a_curve_sweep_with_mixed_dtypes(tmp_path: Path):
    grid = pd.DataFrame({"etf": ["HY", "HY"], "notional_usd": [1e6, 1e9], "seed": [0, 0]})
    out = run_sweep("hedge_cost_curve", grid, progress=False)
    back = read_sweep(write_sweep(out, tmp_path / "c", ["seed", "etf"]))
    assert_same(back, out)


@pytest.mark.parametrize(
    "folder",
    [
        pd.array([True, True, False]),
        pd.Categorical(["a", "a", "b"], categories=["b", "a", "z"]),
        pd.Categorical([3, 3, 1]),
        pd.array([1, 1, 2], dtype="int32"),
        pd.array([1, 1, 2], dtype="Int64"),
        pd.Series(["a/b", "a/b", "c d"], dtype=object),
        pd.array(["x=1", "x=1", "é"], dtype="str"),
    ],
    ids=["bool", "category", "int-category", "int32", "Int64", "object", "str"],
)
def test_parquet_round_trip_of_dtypes(tmp_path: Path, folder):
    frame = pd.DataFrame(
        {
            "run": [0, 0, 1],
            "k": folder,
            "v": [1.0, np.nan, 3.0],
            "o": pd.Series(["1", "a", None], dtype=object),
            "c": pd.Categorical(["u", "v", "u"]),
            "t": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03"]),
            "n": pd.array([1, None, 3], dtype="Int64"),
        }
    )
    assert_same(read_sweep(write_sweep(frame, tmp_path / "s", ["k"])), frame)


def test_parquet_errors(tmp_path: Path):
    frame = pd.DataFrame({"run": [0, 0, 1], "x": [1.0, 2.0, 3.0], "k": ["a", "b", "a"]})
    with pytest.raises(InputError, match=r"partition_cols: 'x' \(float64\) cannot name a fold"):
        write_sweep(frame, tmp_path / "a", ["x"])
    with pytest.raises(InputError, match=r"partition_cols: \['k'\] change within a run"):
        write_sweep(frame, tmp_path / "a", ["k"])
    with pytest.raises(InputError, match=r"partition_cols: \['y'\] are not columns"):
        write_sweep(frame, tmp_path / "a", ["y"])
    mixed = pd.DataFrame({"run": [0, 1], "o": pd.Series([1, "a"], dtype=object)})
    with pytest.raises(InputError, match=r"frame: cannot be written as Parquet: .*column o"):
        write_sweep(mixed, tmp_path / "mixed")
    assert not (tmp_path / "mixed").exists()
    with pytest.raises(InputError, match=r"partition_cols: 'x' \(float64\) cannot"):
        write_sweep(frame.assign(x=[1.0, 1.0, np.nan]), tmp_path / "a", ["x"])
    with pytest.raises(InputError, match=r"frame: no 'run' column"):
        write_sweep(frame.drop(columns="run"), tmp_path / "a")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match=r"already holds files; give a new folder"):
        write_sweep(frame, tmp_path / "other")
    with pytest.raises(InputError, match=r"is not a sweep dataset \(no _common_metadata\)"):
        write_sweep(frame, tmp_path / "other", overwrite=True)
    assert (tmp_path / "other" / "notes.txt").read_text() == "mine"
    with pytest.raises(InputError, match=r"no sweep dataset at .* \(no such folder\)"):
        read_sweep(tmp_path / "missing")
    with pytest.raises(InputError, match=r"is not a sweep dataset written by write_sweep"):
        read_sweep(tmp_path / "other")


# --------------------------------------------------------------------- process pool
@pytest.mark.slow
def test_process_pool_gives_identical_results():
    grid = pd.DataFrame({"etf": ["HY", "IG_BROAD", "IG_SHORT"]})
    local = run_sweep("arbitrage_band", grid, progress=False)
    pooled = run_sweep("arbitrage_band", grid, processes=2, chunk_size=2, progress=False)
    assert_same(pooled, local)


def test_process_pool_refuses_unpicklable_callables():
    lock = threading.Lock()

    def locked(row):
        with lock:
            return {"y": 1}

    with pytest.raises(InputError, match=r"cannot be sent to worker processes \(TypeError"):
        run_sweep(locked, pd.DataFrame({"x": [1]}), processes=1, progress=False)


@pytest.mark.slow
def test_process_pool_runs_lambdas():
    grid = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    out = run_sweep(lambda row: {"y": row["x"] * 2}, grid, processes=2, progress=False)
    assert out["y"].tolist() == [2.0, 4.0, 6.0]


# --------------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


DASK_GRID = pd.DataFrame(
    {
        "seed": 0,
        "etf": ["IG_BROAD", "HY", "HY", "IG_BROAD", "IG_BROAD", "HY"],
        "scenario": ["calm", "march_2020", "calm", "taper_2013", "calm", "fed_backstop_2020"],
        "n_paths": [200, 150, 100, 200, 150, 100],
        "n_days": 40,
    }
)


def test_dask_gives_identical_results(dask_client):
    local = run_sweep("premium_simulation", DASK_GRID, progress=False)
    on_dask = run_sweep("premium_simulation", DASK_GRID, client=dask_client, progress=False)
    assert_same(on_dask, local)
    chunked = run_sweep(
        "premium_simulation", DASK_GRID, client=dask_client, chunk_size=4, progress=False
    )
    assert_same(chunked, local)


def test_dask_band_and_curve_and_callables(dask_client):
    grid = DASK_GRID[["seed", "etf"]].assign(regime=["normal", "stress"] * 3)
    assert_same(
        run_sweep("arbitrage_band", grid, client=dask_client, progress=False),
        run_sweep("arbitrage_band", grid, progress=False),
    )
    curve = grid.iloc[[1]].assign(notional_usd=1e8, horizon_days=5)
    assert_same(
        run_sweep("hedge_cost_curve", curve, client=dask_client, progress=False),
        run_sweep("hedge_cost_curve", curve, progress=False),
    )
    local = run_sweep(lambda row: {"y": row["seed"] * 2}, grid, progress=False)
    remote = run_sweep(lambda row: {"y": row["seed"] * 2}, grid, client=dask_client)
    assert_same(remote, local)


def test_dask_errors_propagate_with_the_run(dask_client):
    def fail(row):
        raise ArithmeticError(f"bad row {row['x']}")

    with pytest.raises(ArithmeticError, match="bad row 1"):
        run_sweep(fail, pd.DataFrame({"x": [1]}), client=dask_client, progress=False)


def test_a_client_that_is_not_the_default_and_a_closed_one(dask_client):
    import distributed

    client = distributed.Client(dask_client.cluster, set_as_default=False)
    grid = pd.DataFrame({"etf": ["HY", "IG_BROAD"]})
    assert_same(
        run_sweep("arbitrage_band", grid, client=client, progress=False),
        run_sweep("arbitrage_band", grid, progress=False),
    )
    client.close()
    with pytest.raises(InputError, match=r"client: the Client is closed, not running"):
        run_sweep("arbitrage_band", pd.DataFrame({"etf": ["HY"]}), client=client)
    with pytest.raises(InputError, match=r"give client= \(Dask\) or processes= \(local\)"):
        run_sweep("arbitrage_band", pd.DataFrame({"etf": ["HY"]}), client=dask_client, processes=2)


def test_dask_sweep_survives_a_killed_worker(dask_client):
    """A worker process killed (SIGKILL) while it runs a task: the scheduler reruns its tasks."""
    grid = pd.DataFrame(
        {
            "seed": 0,
            "etf": ["IG_BROAD", "HY"] * 3,
            "scenario": "march_2020",
            "n_paths": 4000,
            "n_days": 150,
            "sim_seed": [1, 2, 3, 4, 5, 6],
        }
    )
    local = run_sweep("premium_simulation", grid, progress=False)
    pids = dask_client.run(os.getpid)
    killed: dict[str, object] = {}

    def kill_a_busy_worker():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = {
                w: keys
                for w, keys in dask_client.processing().items()
                if any(str(k).startswith("etfcore-sweep-premium_simulation") for k in keys)
            }
            if busy:
                victim = sorted(busy)[0]
                time.sleep(0.2)  # into the run
                keys = list(dask_client.processing().get(victim, ()))
                os.kill(pids[victim], signal.SIGKILL)
                killed.update(address=victim, at=time.monotonic(), keys=keys)
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    on_dask = run_sweep("premium_simulation", grid, client=dask_client, progress=False)
    finished = time.monotonic()
    killer.join()
    assert killed, "no worker was caught running a task"
    assert killed["at"] < finished and killed["keys"]
    dask_client.wait_for_workers(2, timeout=60)
    assert killed["address"] not in dask_client.scheduler_info()["workers"]
    # the scheduler's own story: a task the dead worker held went back and ran again
    story = [s for s in dask_client.story(*killed["keys"]) if s[0] == "scheduler"]
    starts = {
        k: sum(1 for s in story if s[1] == k and s[3] == "processing") for k in killed["keys"]
    }
    assert max(starts.values()) >= 2, story
    assert_same(on_dask, local)
