"""``etfcore hedge``: the printed hedge and its cost, the curve files, and bad paths (exit 2)."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from etfcore.cli import default_basket, main
from etfcore.hedging import HedgeCostCurve, hedge_leg_cost, select_hedge
from etfcore.market import synthetic_market

#: Printed notionals are in USD mm with one decimal.
PRINT_MM_ATOL = 0.05


@pytest.fixture(scope="module")
def market():
    return synthetic_market(0)


@pytest.fixture(scope="module")
def default_run(market):
    """What the default run must print: the same hedge computed through the library."""
    basket = default_basket(market, 0)
    return basket, select_hedge(basket, market, max_instruments=3)


def _leg_lines(out: str) -> dict[str, float]:
    """Instrument -> printed notional ($mm) from the hedge lines."""
    legs = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) > 3 and parts[0] in ("buy", "sell") and parts[2] == "$":
            legs[parts[1]] = float(parts[3].replace(",", ""))
    return legs


def test_default_basket_is_200_seeded_ig_bonds(market):
    b = default_basket(market, 0)
    assert len(b) == 200 and b["id"].is_unique
    grades = market.bonds.attributes["grade"].reindex(b["id"])
    assert (grades == "IG").all()
    pd.testing.assert_frame_equal(b, default_basket(market, 0))


def test_default_hedge_is_printed_with_its_cost(capsys, market, default_run):
    assert main(["hedge"]) == 0
    out = capsys.readouterr().out
    _, h = default_run
    legs = _leg_lines(out)
    assert set(legs) == set(h.notional_usd.index)
    for name, v in h.notional_usd.items():
        assert_allclose(legs[name], v / 1e6, atol=PRINT_MM_ATOL)
    assert "200-bond IG basket (seed 0)" in out
    assert f"variance reduction {h.variance_reduction:.1%}" in out
    # each leg's cost, as hedge_leg_cost gives it
    for name, v in h.notional_usd.items():
        side = "sell" if v < 0 else "buy"
        cost = hedge_leg_cost(name, market, abs(v), 1.0, "normal", side).iloc[0]
        assert f"cost {cost['cost_bp']:.2f} bp = ${cost['cost_usd']:,.0f}" in out
    assert "hedge-cost curve, bp (normal, 1 day(s))" in out
    assert "wrote" not in out


def test_options_and_curve_files_read_back(capsys, tmp_path, market):
    out_dir = tmp_path / "curves" / "new"  # created, parents too
    code = main(
        ["hedge", "--max-instruments", "1", "--regime", "stress", "--horizon-days", "5",
         "--out", str(out_dir)]
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "stress regime" in out and "over 5 day(s)" in out
    legs = _leg_lines(out)
    assert len(legs) == 1
    h = select_hedge(default_basket(market, 0), market.with_regime("stress"), max_instruments=1,
                     horizon_days=5)  # fmt: skip
    assert list(legs) == list(h.notional_usd.index)
    frames = []
    for ext in ("csv", "parquet", "json"):
        path = out_dir / f"hedge_cost_curve.{ext}"
        assert path.is_file() and str(path) in out
        curve = HedgeCostCurve.read(path)
        assert curve.schema_version == "1.0"
        assert curve.instruments == list(legs)
        assert set(curve.to_frame()["regime"]) == {"normal", "stress"}
        assert 5.0 in set(curve.to_frame()["horizon_days"])
        frames.append(curve.to_frame())
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])


def test_basket_csv(capsys, tmp_path, market):
    ids = market.etfs["HY"].holdings.index[:30]
    path = tmp_path / "hy.csv"
    pd.DataFrame({"id": ids, "par": 2e6, "desk": "flow"}).to_csv(path, index=False)
    assert main(["hedge", "--basket", str(path), "--max-instruments", "1"]) == 0
    out = capsys.readouterr().out
    assert "hy.csv" in out
    assert list(_leg_lines(out)) == ["HY"]  # an HY basket is hedged with the HY ETF
    assert "30 lines" in out


def _error(capsys, argv) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


def test_missing_basket_file(capsys, tmp_path):
    path = tmp_path / "nope.csv"
    err = _error(capsys, ["hedge", "--basket", str(path)])
    assert str(path) in err and "no such file" in err


def test_basket_is_a_directory(capsys, tmp_path):
    err = _error(capsys, ["hedge", "--basket", str(tmp_path)])
    assert str(tmp_path) in err and "is not a file" in err


def test_basket_without_par_column(capsys, tmp_path, market):
    path = tmp_path / "b.csv"
    pd.DataFrame({"id": market.bonds.ids[:3], "amount": 1e6}).to_csv(path, index=False)
    err = _error(capsys, ["hedge", "--basket", str(path)])
    assert "b.csv" in err and "missing column(s) ['par']" in err


def test_basket_not_a_csv(capsys, tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"\xff\xfe\x00binary\x00\xff")
    err = _error(capsys, ["hedge", "--basket", str(path)])
    assert "b.csv" in err and ("could not be read" in err or "missing column" in err)


def test_empty_basket_file(capsys, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    err = _error(capsys, ["hedge", "--basket", str(path)])
    assert "empty.csv" in err and "could not be read as a CSV" in err
    path.write_text("id,par\n")
    err = _error(capsys, ["hedge", "--basket", str(path)])
    assert "has no rows" in err


def test_basket_with_unknown_bonds(capsys, tmp_path, market):
    path = tmp_path / "b.csv"
    pd.DataFrame({"id": [market.bonds.ids[0], "NOT_A_BOND"], "par": 1e6}).to_csv(path, index=False)
    err = _error(capsys, ["hedge", "--basket", str(path)])
    assert "b.csv" in err and "NOT_A_BOND" in err and "not bonds of the market" in err


def test_basket_with_bad_par(capsys, tmp_path, market):
    path = tmp_path / "b.csv"
    pd.DataFrame({"id": market.bonds.ids[:2], "par": ["1e6", "lots"]}).to_csv(path, index=False)
    err = _error(capsys, ["hedge", "--basket", str(path)])
    assert "b.csv" in err and "row 1" in err


def test_out_is_a_file(capsys, tmp_path):
    path = tmp_path / "taken"
    path.write_text("x")
    err = _error(capsys, ["hedge", "--out", str(path)])
    assert str(path) in err and "not a directory" in err


def test_bad_max_instruments_and_horizon(capsys):
    err = _error(capsys, ["hedge", "--max-instruments", "9"])
    assert "max_instruments: 9" in err
    err = _error(capsys, ["hedge", "--horizon-days", "-1"])
    assert "--horizon-days" in err
    err = _error(capsys, ["hedge", "--horizon-days", "nan"])
    assert "--horizon-days" in err


def test_unknown_regime_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["hedge", "--regime", "panic"])
    assert exc.value.code == 2
    assert "panic" in capsys.readouterr().err


def test_demo_still_parses():
    """``demo`` is unchanged: its options are still there."""
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--etf", "NOPE"])
    assert exc.value.code == 2
