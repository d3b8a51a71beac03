"""HedgeCostCurve: the grid, interpolation, channels, file round trips and bad files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from etfcore.errors import InputError
from etfcore.hedging.cost import COMPONENTS, hedge_leg_cost, leg_inputs
from etfcore.hedging.curve import COLUMNS, SCHEMA_VERSION, HedgeCostCurve, hedge_cost_curve
from etfcore.market import synthetic_market

#: The curve and hedge_leg_cost do the same arithmetic on the same arrays.
SAME_RTOL = 1e-12
SIZES = np.geomspace(1e6, 1e10, 20)
HORIZONS = (1.0, 5.0, 10.0)

_STATE: dict = {}


def _curve() -> tuple:
    if not _STATE:
        m = synthetic_market(0)
        _STATE["m"] = m
        _STATE["c"] = hedge_cost_curve(m, None, SIZES, HORIZONS)
    return _STATE["m"], _STATE["c"]


@pytest.fixture(scope="module")
def curve():
    return _curve()[1]


def test_table_layout(curve):
    t = curve.to_frame()
    assert list(t.columns) == list(COLUMNS)
    assert len(t) == 5 * 2 * 2 * len(SIZES) * len(HORIZONS)
    assert set(t["channel"]) <= {"secondary", "primary", "split"}
    assert_allclose(t[list(COMPONENTS)].sum(axis=1), t["cost_bp"], rtol=SAME_RTOL)
    assert curve.schema_version == SCHEMA_VERSION
    assert curve.as_of == "2026-01-16"


def test_grid_matches_leg_cost(curve):
    m = _curve()[0]
    leg = hedge_leg_cost("TREASURY", m, SIZES, 5.0, regime="stress", trade_side="buy")
    got = curve.cost("TREASURY", SIZES, 5.0, regime="stress", trade_side="buy")
    assert_allclose(got, leg["cost_bp"], rtol=SAME_RTOL)


def test_to_frame_is_a_copy(curve):
    t = curve.to_frame()
    t.loc[0, "cost_bp"] = -1.0
    assert curve.to_frame().loc[0, "cost_bp"] != -1.0


def test_interpolation_between_grid_points(curve):
    q0, q1 = SIZES[3], SIZES[4]
    c0, c1 = curve.cost("HY", [q0, q1], 1.0)
    mid = curve.cost("HY", 0.5 * (q0 + q1), 1.0)
    assert_allclose(mid, 0.5 * (c0 + c1), rtol=SAME_RTOL)
    assert c0 <= mid <= c1
    # linear in horizon
    a, b = curve.cost("HY", q0, 1.0), curve.cost("HY", q0, 5.0)
    assert_allclose(curve.cost("HY", q0, 3.0), 0.5 * (a + b), rtol=SAME_RTOL)
    # below the grid: the smallest grid point's cost
    assert curve.cost("HY", 1.0, 1.0) == curve.cost("HY", SIZES[0], 1.0)


def test_cost_is_vectorised(curve):
    q = np.random.default_rng(1).uniform(0, 1e10, 10_000)
    out = curve.cost("IG_BROAD", q, 2.0, "stress", "sell")
    assert out.shape == q.shape and np.isfinite(out).all()
    assert isinstance(curve.cost("IG_BROAD", 1e7), float)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.0, 1e10, allow_nan=False), min_size=2, max_size=30),
    st.floats(0.0, 10.0, allow_nan=False),
    st.sampled_from(["IG_BROAD", "IG_SHORT", "IG_INTERMEDIATE", "HY", "TREASURY"]),
    st.sampled_from(["normal", "stress"]),
    st.sampled_from(["buy", "sell"]),
)
def test_curve_cost_never_falls_with_size(sizes, horizon, name, regime, side):
    curve = _curve()[1]
    q = np.sort(np.asarray(sizes))
    c = curve.cost(name, q, horizon, regime, side)
    assert (np.diff(c) >= -1e-9).all()


def test_crossover_exists_and_cost_flattens(curve):
    cross = curve.crossover_usd()
    for regime in ("normal", "stress"):
        assert np.isfinite(cross.loc[("IG_INTERMEDIATE", "sell", regime)])
    # stress pushes the cross-over to smaller sizes (less ETF depth relative to the band)
    assert (
        cross.loc[("IG_INTERMEDIATE", "sell", "stress")]
        < cross.loc[("IG_INTERMEDIATE", "sell", "normal")]
    )
    t = curve.to_frame()
    g = t[(t.instrument == "IG_INTERMEDIATE") & (t.regime == "normal") & (t.horizon_days == 1)]
    g = g[g.trade_side == "sell"]
    big = g[g.channel != "secondary"]
    assert (big["primary_bp"] > 0).all()
    # flattening: past the cross-over each step up in size adds less execution cost
    # than the secondary market alone would (same ETF model, same sizes)
    m = _curve()[0]
    x_in = leg_inputs(m.etfs["IG_INTERMEDIATE"], m, "normal")
    pure = x_in.half_spread_bp + x_in.model.impact_bp(g["notional_usd"].to_numpy(), "normal")
    exe = g[["half_spread_bp", "impact_bp", "primary_bp", "waiting_risk_bp"]].sum(axis=1)
    step_curve, step_pure = np.diff(exe.to_numpy()), np.diff(pure)
    past = (g["channel"] != "secondary").to_numpy()[1:]
    assert (step_curve[past] < step_pure[past]).all()


@pytest.mark.parametrize("ext", ["csv", "parquet", "json"])
def test_round_trip_identical(curve, tmp_path, ext):
    path = getattr(curve, f"to_{ext}")(tmp_path / f"curve.{ext}")
    back = HedgeCostCurve.read(path)
    pdt.assert_frame_equal(back.to_frame(), curve.to_frame())
    assert back.as_of == curve.as_of
    assert back.parameters == curve.parameters
    assert back.schema_version == curve.schema_version


def _write_json(tmp_path, curve, change):
    path = curve.to_json(tmp_path / "c.json")
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))
    return path


def test_wrong_schema_version(curve, tmp_path):
    path = _write_json(tmp_path, curve, lambda d: d["metadata"].update(schema_version="0.9"))
    with pytest.raises(InputError, match=r"schema version '0.9', this etfcore reads 1.0"):
        HedgeCostCurve.read(path)


def test_missing_component_csv(curve, tmp_path):
    path = curve.to_csv(tmp_path / "c.csv")
    head, *_ = path.read_text().splitlines()
    frame = pd.read_csv(path, skiprows=1).drop(columns=["borrow_bp"])
    with path.open("w") as fh:
        fh.write(head + "\n")
        frame.to_csv(fh, index=False)
    with pytest.raises(InputError, match=r"missing column\(s\) \['borrow_bp'\]"):
        HedgeCostCurve.read(path)


def test_non_monotone_costs_parquet(curve, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = curve.to_parquet(tmp_path / "c.parquet")
    table = pq.read_table(path)
    frame = table.to_pandas()
    i = frame.index[(frame.instrument == "HY") & (frame.notional_usd == SIZES[-1])][0]
    frame.loc[i, "cost_bp"] -= 50.0
    frame.loc[i, "basis_risk_bp"] -= 50.0
    out = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(out.replace_schema_metadata(table.schema.metadata), path)
    with pytest.raises(InputError, match="costs are not monotone in size for \\('HY'"):
        HedgeCostCurve.read(path)


def test_components_that_do_not_add_up(curve, tmp_path):
    def change(doc):
        doc["data"][0][doc["columns"].index("cost_bp")] += 1.0

    with pytest.raises(InputError, match="row 0: the components do not add up"):
        HedgeCostCurve.read(_write_json(tmp_path, curve, change))


def test_not_a_curve_file(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not an etfcore curve"):
        HedgeCostCurve.read(p)
    with pytest.raises(InputError, match="give a .csv, .parquet or .json file"):
        HedgeCostCurve.read(tmp_path / "x.txt")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: c.cost("XYZ", 1e6), "instrument: 'XYZ' is not on the curve"),
        (lambda c: c.cost("HY", -1.0), "notional_usd: must be finite and >= 0"),
        (lambda c: c.cost("HY", [1e6, np.nan]), "notional_usd: must be finite and >= 0"),
        (lambda c: c.cost("HY", 1e6, -1.0), "horizon_days: must be finite and >= 0"),
        (lambda c: c.cost("HY", 1e6, np.nan), "horizon_days: must be finite and >= 0"),
        (lambda c: c.cost("HY", 1e6, regime="panic"), "regime"),
        (lambda c: c.cost("HY", 1e6, trade_side="short"), "trade_side"),
        (lambda c: c.cost("HY", 1e12), "beyond the curve's largest size"),
        (lambda c: c.cost("HY", 1e6, 50.0), "beyond the curve's longest horizon"),
    ],
)
def test_bad_queries(curve, call, match):
    with pytest.raises(InputError, match=match):
        call(curve)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"instruments": ["XYZ"]}, "instrument: 'XYZ' is not an ETF"),
        ({"notionals_usd": [1e6, -5.0]}, "notionals_usd: must be finite and >= 0"),
        ({"horizons_days": [np.nan]}, "horizons_days: must be finite and >= 0"),
        ({"regimes": ("normal", "calm")}, "regimes"),
    ],
)
def test_bad_build(kwargs, match):
    m = _curve()[0]
    with pytest.raises(InputError, match=match):
        hedge_cost_curve(m, **({"instruments": ["HY"]} | kwargs))


def test_a_regime_not_built(tmp_path):
    m = _curve()[0]
    c = hedge_cost_curve(m, ["HY"], [1e6, 1e7], [1], ("normal",))
    with pytest.raises(InputError, match="the curve has no stress sell costs for HY"):
        c.cost("HY", 1e6, regime="stress")


def test_plot_and_summary(curve):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = curve.plot(regime="stress")
    assert len(ax.get_lines()) >= 5
    plt.close("all")
    assert "crossover_usd" in str(curve.summary())


def test_summary_on_the_default_size_grid():
    """The default 50-size grid repeats rounded labels (1.0, 1.2, 1.5 $mm): summary shows a few
    distinct sizes instead of failing."""
    from etfcore.hedging.curve import hedge_cost_curve
    from etfcore.market import synthetic_market

    m = synthetic_market(0)
    text = str(hedge_cost_curve(m, ["HY"], horizons_days=[1], regimes=("normal",)).summary())
    assert "1mm_bp" in text and "10bn_bp" in text


def test_incomplete_or_repeated_grid_is_refused(curve):
    """A table missing a (size, horizon) point or repeating one is not a curve."""
    t = curve.to_frame()
    with pytest.raises(InputError, match=r"the grid for \('HY', 'buy', 'normal'\) is not complete"):
        HedgeCostCurve(table=t.drop(index=t.index[0]), as_of=curve.as_of, parameters={})
    doubled = pd.concat([t, t.iloc[:1]], ignore_index=True)
    with pytest.raises(InputError, match="is not complete"):
        HedgeCostCurve(table=doubled, as_of=curve.as_of, parameters={})


def test_a_first_slice_file_still_reads(curve, tmp_path):
    """Schema 1.0 files written before the dealer-flow parameters existed read as before."""
    path = curve.to_json(tmp_path / "c.json")
    doc = json.loads(path.read_text())
    for key in ("dealer_flow", "flow_n_paths", "flow_extra_days"):
        assert key in doc["metadata"]["parameters"]
        del doc["metadata"]["parameters"][key]
    path.write_text(json.dumps(doc))
    back = HedgeCostCurve.read(path)
    assert back.schema_version == SCHEMA_VERSION == "1.0"
    pdt.assert_frame_equal(back.to_frame(), curve.to_frame())
    assert "dealer_flow" not in back.parameters
