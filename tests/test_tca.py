"""TCA (etfcore.tca, in etfcore/trading/posttrade.py): the worked example, conventions, bad input.

Reference: the brief's TCA table, ``shared/data/seed/seed_tca_as_published.csv`` (bundled as
``etfcore.data.seed_path("seed_tca_as_published.csv")``; a $50 MM,
10-bond client sale sent to three dealers), with its printed "Weighted Avg." row
5.0 / 8.1 / 3.1 bp (in the brief, not in the file). The value-weighted figures 4.78 / 7.60 /
2.82 bp and about $23,900 are issue 9's restatement of that table.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from etfcore.data import seed_path
from etfcore.errors import DataWarning, InputError
from etfcore.trading import TcaResult, tca
from etfcore.trading._cli_tca import add_parser

#: The brief prints per-line costs to 0.1 bp; issue 9: "match the printed ones to 0.06 bp".
PRINTED_TOL_BP = 0.06
#: Issue 9's value-weighted totals are given to 0.01 bp and "about $23,900".
TOTAL_TOL_BP = 0.005
COST_USD_TOL = 50.0
#: The brief's printed "Weighted Avg." row (cost, legging, saving), bp.
PRINTED_WEIGHTED_AVG = {"cost_bp": 5.0, "legging_cost_bp": 8.1, "savings_bp": 3.1}
#: The two lines whose printed cost is truncated rather than rounded (3.953 and 3.956 bp).
TRUNCATED = ("06051GHD4", "20030NBD4")
EXACT = 1e-12


@pytest.fixture
def seed_tca_file():
    return seed_path("seed_tca_as_published.csv")  # bundled copy of shared/data/seed's file


@pytest.fixture
def seed_tca(seed_tca_file):
    return pd.read_csv(seed_tca_file, dtype={"cusip": str})


def small(**overrides):
    base = {
        "id": ["A", "B", "C"],
        "market_value": [6e6, 2e6, 2e6],
        "pre_trade_mid": [100.0, 98.0, 101.0],
        "execution_price": [99.95, 97.90, 101.02],
        "legging_cost_bp": [8.0, 15.0, 6.0],
        "trade_side": ["sell", "sell", "buy"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


# ------------------------------------------------------------------ the worked example
def test_seed_per_line_costs_match_the_printed_ones(seed_tca):
    r = tca(seed_tca)
    got = r.lines["cost_bp"]
    printed = seed_tca.set_index("cusip")["cost_bps"]
    assert_allclose(got.to_numpy(), printed.to_numpy(), rtol=0, atol=PRINTED_TOL_BP)
    # bp of the mid: the brief's own unrounded figures for the two truncated lines
    assert_allclose(got[list(TRUNCATED)].to_numpy(), [3.953, 3.956], rtol=0, atol=5e-4)
    # savings printed = legging - printed cost; computed savings within the same tolerance
    assert_allclose(
        r.lines["savings_bp"].to_numpy(),
        seed_tca["savings_bps"].to_numpy(),
        rtol=0,
        atol=PRINTED_TOL_BP,
    )


def test_seed_prints_round_except_two_truncated_lines(seed_tca):
    """The brief rounds its per-line costs to 0.1 bp, except 3.953 and 3.956 print as 3.9."""
    cost = tca(seed_tca).lines["cost_bp"]
    printed = seed_tca.set_index("cusip")["cost_bps"]
    rounded = np.round(cost, 1)
    mismatched = sorted(rounded.index[~np.isclose(rounded, printed, atol=EXACT)])
    assert mismatched == sorted(TRUNCATED)
    truncated = np.floor(cost[list(TRUNCATED)] * 10) / 10
    assert_allclose(truncated.to_numpy(), printed[list(TRUNCATED)].to_numpy(), atol=EXACT)


def test_seed_truncated_lines_are_named(seed_tca):
    r = tca(seed_tca)
    assert r.truncated_lines() == TRUNCATED
    assert "06051GHD4 (3.953 prints as 3.9), 20030NBD4 (3.956 prints as 3.9)" in " ".join(r.notes())
    assert tca(small()).truncated_lines() == ()


def test_seed_denominator_is_the_mid(seed_tca):
    """bp of the mid gives 3.953 / 3.956; bp of the execution price would give 3.954 / 3.958."""
    d = seed_tca.set_index("cusip").loc[list(TRUNCATED)]
    of_exec = (d["pre_trade_mid"] - d["portfolio_exec_price"]) / d["portfolio_exec_price"] * 1e4
    assert np.round(of_exec, 3).tolist() == [3.954, 3.958]
    assert np.round(tca(seed_tca).lines.loc[list(TRUNCATED), "cost_bp"], 3).tolist() == [
        3.953,
        3.956,
    ]


def test_seed_totals_are_value_weighted(seed_tca):
    r = tca(seed_tca, total_market_value=50e6)
    t = r.totals
    assert_allclose(t["cost_bp"], 4.78, atol=TOTAL_TOL_BP)
    assert_allclose(t["legging_cost_bp"], 7.60, atol=TOTAL_TOL_BP)
    assert_allclose(t["savings_bp"], 2.82, atol=TOTAL_TOL_BP)
    assert_allclose(t["cost_usd"], 23_900, atol=COST_USD_TOL)
    assert t["market_value_usd"] == 50e6
    assert t["n_lines"] == 10 and t["n_wrong_side"] == 0
    assert r.wrong_side_ids == ()


def test_seed_printed_weighted_average_is_close_to_the_plain_average(seed_tca):
    r = tca(seed_tca)
    a = r.plain_average
    assert_allclose(a["cost_bp"], 4.9485, atol=1e-4)
    assert_allclose(a["legging_cost_bp"], 8.1, atol=EXACT)
    assert_allclose(a["savings_bp"], 3.1515, atol=1e-4)
    e = r.explain_average(PRINTED_WEIGHTED_AVG)
    assert (e["closer_to"] == "plain_average").all()
    assert (e["printed_minus_value_weighted_bp"].abs() > 0.2).all()
    assert (e["printed_minus_plain_average_bp"].abs() < 0.06).all()
    text = str(r.summary())
    assert "not value-weighted" in text and "4.78" in text and "4.95" in text


def test_seed_stated_columns_kept_for_comparison(seed_tca):
    lines = tca(seed_tca).lines
    assert_allclose(lines["stated_cost_bp"], seed_tca["cost_bps"].to_numpy())
    assert_allclose(lines["stated_savings_bp"], seed_tca["savings_bps"].to_numpy())
    assert_allclose(lines["market_value_usd"], seed_tca["market_value_mm"].to_numpy() * 1e6)


def test_seed_spelling_and_canonical_spelling_agree(seed_tca):
    canonical = pd.DataFrame(
        {
            "id": seed_tca["cusip"],
            "market_value": seed_tca["market_value_mm"] * 1e6,
            "pre_trade_mid": seed_tca["pre_trade_mid"],
            "execution_price": seed_tca["portfolio_exec_price"],
            "legging_cost_bp": seed_tca["legging_cost_bps"],
            "side": "sell",
        }
    )
    a, b = tca(seed_tca), tca(canonical)
    for c in ("cost_bp", "cost_usd", "legging_cost_bp", "savings_bp"):
        assert_allclose(a.lines[c], b.lines[c], rtol=EXACT)
    assert_allclose(a.totals[b.totals.index], b.totals, rtol=EXACT)


# ------------------------------------------------------------------ conventions
def test_sign_by_side_and_dollars():
    r = tca(small())
    f = r.lines
    # client sale below the mid: positive; client purchase above the mid: positive
    assert_allclose(f.loc["A", "cost_bp"], 5.0, rtol=1e-12)
    assert_allclose(f.loc["B", "cost_bp"], 0.1 / 98 * 1e4, rtol=1e-12)
    assert_allclose(f.loc["C", "cost_bp"], 0.02 / 101 * 1e4, rtol=1e-12)
    assert_allclose(f["cost_usd"], f["market_value_usd"] * f["cost_bp"] / 1e4, rtol=EXACT)
    assert_allclose(f["savings_bp"], f["legging_cost_bp"] - f["cost_bp"], rtol=EXACT)
    assert not f["wrong_side"].any()
    assert list(f["trade_side"]) == ["sell", "sell", "buy"]
    assert f.index.name == "id"


def test_default_side_is_sell_and_side_words_are_normalised():
    base = small(execution_price=[99.95, 97.90, 100.98]).drop(columns="trade_side")
    a = tca(base)
    assert (a.lines["trade_side"] == "sell").all()
    b = tca(base.assign(side=[" Sell", "SELL", "sell"]))
    assert_allclose(a.lines["cost_bp"], b.lines["cost_bp"])


def test_cost_usd_is_par_times_price_shortfall():
    """Market value at the mid: cost_usd = par x (mid - execution) / 100 for a sale."""
    par = np.array([5e6, 3e6])
    mid = np.array([98.5, 101.2])
    px = np.array([98.45, 101.16])
    r = tca(
        pd.DataFrame(
            {
                "id": ["a", "b"],
                "market_value": par * mid / 100,
                "pre_trade_mid": mid,
                "execution_price": px,
            }
        )
    )
    assert_allclose(r.lines["cost_usd"], par * (mid - px) / 100, rtol=1e-12)


def test_without_legging_the_legging_columns_are_empty():
    r = tca(small().drop(columns="legging_cost_bp"))
    assert r.lines["legging_cost_bp"].isna().all() and r.lines["savings_bp"].isna().all()
    assert np.isnan(r.totals["savings_bp"])
    assert "No legging cost" in " ".join(r.notes())
    assert "legging" not in repr(r)


def test_index_named_id_is_accepted():
    a = tca(small())
    b = tca(small().set_index("id"))
    assert_allclose(a.lines["cost_bp"], b.lines["cost_bp"])


def test_other_columns_pass_through_and_group():
    r = tca(small(bucket=["liquid", "illiquid", "illiquid"]))
    assert list(r.lines["bucket"]) == ["liquid", "illiquid", "illiquid"]
    g = r.by("bucket")
    assert_allclose(g["cost_usd"].sum(), r.totals["cost_usd"], rtol=1e-12)
    ill = r.lines.loc[["B", "C"]]
    want = (ill["cost_bp"] * ill["market_value_usd"]).sum() / ill["market_value_usd"].sum()
    assert_allclose(g.loc["illiquid", "cost_bp"], want, rtol=1e-12)
    g2 = r.by(pd.Series({"A": "x", "B": "y", "C": "y"}))
    assert_allclose(g2["cost_bp"].to_numpy(), g["cost_bp"].to_numpy()[::-1], rtol=1e-12)


def test_cover_columns():
    r = tca(small(cover_price=[99.90, 97.88, 101.05]))
    f = r.lines
    assert r.has_cover
    assert_allclose(f.loc["A", "cover_cost_bp"], 10.0, rtol=1e-12)
    assert_allclose(f["cost_vs_cover_bp"], f["cost_bp"] - f["cover_cost_bp"], rtol=EXACT)
    assert (f["cost_vs_cover_bp"] < 0).all()  # the winner beat the cover on every line
    w = f["weight"]
    assert_allclose(r.totals["cover_cost_bp"], (w * f["cover_cost_bp"]).sum(), rtol=1e-12)
    assert_allclose(r.totals["cost_vs_cover_usd"], f["cost_vs_cover_usd"].sum(), rtol=1e-12)
    assert "cost_vs_cover_bp" in str(r.summary())


def test_results_are_copies():
    r = tca(small())
    lines, totals, frame = r.lines, r.totals, r.to_frame()
    lines.loc["A", "cost_bp"] = 1e9
    totals["cost_bp"] = 1e9
    frame["cost_bp"] = 0.0
    assert r.lines.loc["A", "cost_bp"] < 10 and r.totals["cost_bp"] < 10
    assert isinstance(r, TcaResult)
    with pytest.raises(AttributeError):
        r.strict = True


def test_to_frame_with_totals():
    r = tca(small())
    f = r.to_frame(totals=True)
    assert list(f.index[-2:]) == ["value_weighted", "plain_average"]
    assert_allclose(float(f.loc["value_weighted", "cost_bp"]), r.totals["cost_bp"])
    assert_allclose(float(f.loc["plain_average", "cost_bp"]), r.lines["cost_bp"].mean())


def test_explain_average_refuses_unknown_quantity():
    with pytest.raises(InputError, match="unknown quantity 'cost'"):
        tca(small()).explain_average({"cost": 5.0})


def test_by_refuses_unknown_column_and_missing_labels():
    r = tca(small())
    with pytest.raises(InputError, match="'sector' is not a column"):
        r.by("sector")
    with pytest.raises(InputError, match=r"no group for 1 line\(s\): C"):
        r.by(pd.Series({"A": 1, "B": 2}))


def test_plot_and_summary_run():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = tca(small())
    ax = r.plot()
    assert "5.44 bp ($5,437)" in ax.get_title()
    assert len(ax.patches) == 9
    plt.close("all")
    big = tca(
        pd.DataFrame(
            {
                "id": range(100),
                "market_value": 1e6,
                "pre_trade_mid": 100.0,
                "execution_price": 99.9,
                "legging_cost_bp": 12.0,
            }
        )
    )
    ax = big.plot()
    assert "sorted by saving" in ax.get_xlabel()
    assert "Showing the 30 largest of 100 lines" in str(big.summary())
    plt.close("all")


# ------------------------------------------------------------------ invariants
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(1e3, 1e9),
            st.floats(50.0, 150.0),
            st.floats(-0.01, 0.01),
            st.one_of(st.just(0.0), st.floats(0.05, 50.0)),  # bp: below 0.05 is a decimal
            st.sampled_from(["buy", "sell"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_lines_add_up_to_the_basket(rows):
    mv, mid, move, legging, side = map(np.array, zip(*rows, strict=True))
    sign = np.where(side == "sell", 1.0, -1.0)
    px = mid * (1 - sign * np.abs(move))  # never on the wrong side
    frame = pd.DataFrame(
        {
            "id": np.arange(len(rows)),
            "market_value": mv,
            "pre_trade_mid": mid,
            "execution_price": px,
            "legging_cost_bp": legging,
            "trade_side": side,
        }
    )
    r = tca(frame)
    f, t = r.lines, r.totals
    assert_allclose(f["cost_usd"].sum(), t["cost_usd"], rtol=1e-12)
    assert_allclose(t["cost_usd"], t["market_value_usd"] * t["cost_bp"] / 1e4, rtol=1e-9, atol=1e-9)
    assert_allclose(t["savings_bp"], t["legging_cost_bp"] - t["cost_bp"], atol=1e-9)
    assert_allclose(f["weight"].sum(), 1.0, rtol=1e-12)
    assert (f["cost_bp"] >= 0).all()


def test_matches_a_plain_loop():
    rng = np.random.default_rng(7)
    n = 500
    mid = rng.uniform(80, 120, n)
    side = rng.choice(["buy", "sell"], n)
    sign = np.where(side == "sell", 1.0, -1.0)
    px = mid * (1 - sign * rng.uniform(0, 1e-3, n))
    mv = rng.uniform(1e5, 1e7, n)
    leg = rng.uniform(0, 30, n)
    r = tca(
        pd.DataFrame(
            {
                "id": np.arange(n),
                "market_value": mv,
                "pre_trade_mid": mid,
                "execution_price": px,
                "legging_cost_bp": leg,
                "trade_side": side,
            }
        )
    )
    cost = [
        (m - p) / m * 1e4 * (1 if s == "sell" else -1)
        for m, p, s in zip(mid, px, side, strict=True)
    ]
    assert_allclose(r.lines["cost_bp"], cost, rtol=1e-12)
    total = sum(c * v for c, v in zip(cost, mv, strict=True)) / sum(mv)
    assert_allclose(r.totals["cost_bp"], total, rtol=1e-12)


# ------------------------------------------------------------------ wrong side
def test_wrong_side_warns_naming_the_lines():
    frame = small(execution_price=[100.02, 97.90, 100.99])  # A sold above, C bought below
    with pytest.warns(DataWarning, match=r"2 execution price\(s\) on the wrong side") as rec:
        r = tca(frame)
    message = str(rec[0].message)
    assert "row 0 (id A): client sell at 100.02, above the mid 100" in message
    assert "row 2 (id C): client buy at 100.99, below the mid 101" in message
    assert r.wrong_side_ids == ("A", "C")
    assert list(r.lines["wrong_side"]) == [True, False, True]
    assert r.totals["n_wrong_side"] == 2
    assert "2 line(s) executed on the wrong side" in str(r.summary())
    # kept in the totals, not averaged away
    assert_allclose(r.totals["cost_usd"], r.lines["cost_usd"].sum(), rtol=1e-12)


def test_wrong_side_strict_raises():
    with pytest.raises(InputError, match=r"wrong side of the pre-trade mid.*row 0 \(id A\)"):
        tca(small(execution_price=[100.02, 97.90, 101.02]), strict=True)


def test_at_the_mid_is_not_wrong_side():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = tca(small(execution_price=[100.0, 98.0, 101.0]), strict=True)
    assert (r.lines["cost_bp"] == 0).all()


# ------------------------------------------------------------------ bad input
def test_missing_mid_column():
    with pytest.raises(InputError, match=r"missing column\(s\) \['pre_trade_mid'\]"):
        tca(small().drop(columns="pre_trade_mid"))


def test_missing_mid_value():
    with pytest.raises(InputError, match=r"row 1 \(id B\): pre_trade_mid is missing"):
        tca(small(pre_trade_mid=[100.0, np.nan, 101.0]))


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (np.nan, "market_value is missing"),
        (0.0, "market_value 0.0 must be"),
        (-1e6, "market_value -1000000.0 must be"),
    ],
)
def test_bad_market_value(value, what):
    with pytest.raises(InputError, match=rf"row 2 \(id C\): {what}"):
        tca(small(market_value=[6e6, 2e6, value]))


def test_bad_market_value_mm_names_the_row():
    with pytest.raises(InputError, match=r"row 0 \(id x\): market_value is missing"):
        tca(
            pd.DataFrame(
                {
                    "cusip": ["x"],
                    "market_value_mm": ["n/a"],
                    "pre_trade_mid": [100.0],
                    "portfolio_exec_price": [99.9],
                }
            )
        )


def test_bad_execution_price():
    with pytest.raises(InputError, match=r"row 0 \(id A\): execution_price -99.0 must be"):
        tca(small(execution_price=[-99.0, 97.9, 101.02]))


def test_every_problem_in_one_error():
    with pytest.raises(InputError, match=r"3 problems found") as exc:
        tca(
            small(
                market_value=[0.0, 2e6, 2e6],
                pre_trade_mid=[100.0, np.nan, 101.0],
                trade_side=["sell", "sell", "hold"],
            )
        )
    assert len(exc.value.problems) == 3


def test_duplicate_lines():
    with pytest.raises(InputError, match=r"id 'A' appears on rows 0, 2"):
        tca(small(id=["A", "B", "A"]))


def test_legging_costs_written_as_decimals():
    """8 bp written 0.0008: the project's one bp rule (below 0.05 bp is a decimal)."""
    lines = small().assign(legging_cost_bp=0.0008)
    with pytest.raises(InputError, match=r"legging_cost_bp: the largest is 0.0008 bp, which looks"):
        tca(lines)
    assert tca(small().assign(legging_cost_bp=0.0)).totals["legging_cost_bp"] == 0.0


@pytest.mark.parametrize("side", ["hold", None, 1])
def test_unknown_side(side):
    with pytest.raises(InputError, match=r"row 1 \(id B\): trade_side .* is not one of"):
        tca(small(trade_side=["sell", side, "buy"]))


def test_two_spellings_of_one_column():
    with pytest.raises(InputError, match=r"\['trade_side', 'side'\] all mean 'trade_side'"):
        tca(small(side="sell"))


def test_lines_do_not_add_up_to_the_stated_total():
    with pytest.raises(
        InputError,
        match=r"add up to \$10,000,000.00 but total_market_value "
        r"is \$10,500,000.00",
    ):
        tca(small(), total_market_value=10.5e6)
    tca(small(), total_market_value=10e6)  # adds up


@pytest.mark.parametrize("total", [0.0, -5.0, np.nan, "ten"])
def test_bad_stated_total(total):
    with pytest.raises(InputError, match="total_market_value"):
        tca(small(), total_market_value=total)


def test_price_unit_mix_up():
    with pytest.raises(
        InputError,
        match=r"row 0 \(id A\): execution_price 0.9995 is more than "
        r"50% from pre_trade_mid 100.0",
    ):
        tca(small(execution_price=[0.9995, 97.9, 101.02]))


def test_bad_legging_cost():
    with pytest.raises(InputError, match=r"row 1 \(id B\): legging_cost_bp -2.0 must be"):
        tca(small(legging_cost_bp=[8.0, -2.0, 6.0]))


def test_not_a_frame_and_empty():
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        tca([{"id": "A"}])
    with pytest.raises(InputError, match="the frame is empty"):
        tca(small().iloc[:0])


def test_many_bad_rows_are_capped():
    n = 50
    frame = pd.DataFrame(
        {"id": range(n), "market_value": 0.0, "pre_trade_mid": 100.0, "execution_price": 99.9}
    )
    with pytest.raises(InputError, match=r"and 30 more rows with bad market_value"):
        tca(frame)


# ------------------------------------------------------------------ command line
def run_cli(argv, capsys):
    parser = argparse.ArgumentParser(prog="etfcore")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_prints_the_seed_table(seed_tca_file, capsys):
    code, out, err = run_cli(["tca", str(seed_tca_file)], capsys)
    assert code == 0, err
    assert "06051GHD4" in out and "3.95" in out
    assert "value-weighted" in out and "4.78" in out and "7.60" in out and "2.82" in out
    assert "$23,894" in out
    assert "plain average" in out and "4.95" in out and "not value-weighted" in out


def test_cli_missing_file(tmp_path, capsys):
    path = tmp_path / "nope.csv"
    code, out, err = run_cli(["tca", str(path)], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(path) in err and "no such file" in err


def test_cli_bad_file_one_line(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("cusip,market_value_mm,portfolio_exec_price\nA,1.0,99\n")
    code, _, err = run_cli(["tca", str(path)], capsys)
    assert code == 2 and err.count("\n") == 1
    assert str(path) in err and "pre_trade_mid" in err


def test_cli_not_csv(tmp_path, capsys):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\x00\xff\xfe\x00garbage")
    code, _, err = run_cli(["tca", str(path)], capsys)
    assert code == 2 and err.count("\n") == 1 and str(path) in err


def test_cli_strict_wrong_side(tmp_path, capsys):
    path = tmp_path / "wrong.csv"
    small(execution_price=[100.02, 97.90, 101.02]).to_csv(path, index=False)
    code, _, err = run_cli(["tca", str(path), "--strict"], capsys)
    assert code == 2 and err.count("\n") == 1 and "wrong side" in err and "id A" in err
    code, out, err = run_cli(["tca", str(path)], capsys)
    assert code == 0 and "wrong side" in out and "A" in out


# ------------------------------------------------------------------ par, legging argument
def test_par_gives_bp_of_the_mid_value_and_the_cash_shortfall():
    par = np.array([5e6, 3e6])
    mid = np.array([98.5, 101.2])
    accrued = np.array([1.2, 0.4])
    px = np.array([98.45, 101.16])
    mv = par * (mid + accrued) / 100  # dirty market value
    r = tca(
        pd.DataFrame(
            {
                "id": ["a", "b"],
                "par": par,
                "market_value_usd": mv,
                "pre_trade_mid": mid,
                "execution_price": px,
            }
        )
    )
    f = r.lines
    assert_allclose(f["cost_usd"], par * (mid - px) / 100, rtol=1e-12)
    assert_allclose(f["cost_bp"], (mid - px) / (mid + accrued) * 1e4, rtol=1e-12)
    assert_allclose(
        r.totals["cost_usd"], r.totals["market_value_usd"] * r.totals["cost_bp"] / 1e4, rtol=1e-12
    )
    # par = 100 mv / mid: the same as without par
    clean = tca(
        pd.DataFrame(
            {
                "id": ["a", "b"],
                "par": par,
                "market_value": par * mid / 100,
                "pre_trade_mid": mid,
                "execution_price": px,
            }
        )
    )
    plain = tca(
        pd.DataFrame(
            {
                "id": ["a", "b"],
                "market_value": par * mid / 100,
                "pre_trade_mid": mid,
                "execution_price": px,
            }
        )
    )
    assert_allclose(clean.lines["cost_bp"], plain.lines["cost_bp"], rtol=1e-12)


def test_par_that_does_not_match_the_market_value():
    with pytest.raises(InputError, match=r"row 0 \(id a\): market_value / par x 100 = 0.985"):
        tca(
            pd.DataFrame(
                {
                    "id": ["a"],
                    "par": [5e8],
                    "market_value": [4.925e6],
                    "pre_trade_mid": [98.5],
                    "execution_price": [98.45],
                }
            )
        )


def test_legging_argument():
    base = small().drop(columns="legging_cost_bp")
    want = tca(small())
    for legging in (
        pd.Series({"C": 6.0, "A": 8.0, "B": 15.0, "Z": 1.0}),
        {"A": 8.0, "B": 15.0, "C": 6.0},
    ):
        got = tca(base, legging_cost_bp=legging)
        assert_allclose(got.lines["savings_bp"], want.lines["savings_bp"], rtol=EXACT)
    assert_allclose(tca(base, legging_cost_bp=10.0).lines["legging_cost_bp"], 10.0)


def test_legging_argument_errors():
    base = small().drop(columns="legging_cost_bp")
    with pytest.raises(InputError, match=r"no legging cost for 1 line\(s\): C"):
        tca(base, legging_cost_bp=pd.Series({"A": 8.0, "B": 15.0}))
    with pytest.raises(InputError, match="given twice"):
        tca(small(), legging_cost_bp=5.0)
    with pytest.raises(InputError, match=r"row 1 \(id B\): legging_cost_bp is missing"):
        tca(base, legging_cost_bp=pd.Series({"A": 8.0, "B": np.nan, "C": 1.0}))
    with pytest.raises(InputError, match="expected a Series by line id"):
        tca(base, legging_cost_bp=[1.0, 2.0, 3.0])


# ------------------------------------------------------------------ an RFQ
@pytest.fixture(scope="module")
def rfqs():
    from etfcore.market import synthetic_market
    from etfcore.trading import run_rfq

    m = synthetic_market(0)
    ids = m.etfs["IG_INTERMEDIATE"].holdings.index[:30]
    basket = pd.DataFrame({"id": ids, "par": 2e6})
    return {d: run_rfq(basket, m, direction=d) for d in ("client_sells", "client_buys")}


@pytest.mark.parametrize("direction", ["client_sells", "client_buys"])
def test_tca_of_an_rfq_adds_up_to_the_winners_cost(rfqs, direction):
    """TCA of the allocation: each line's cost is the allocation's, the basket the winner's."""
    rfq = rfqs[direction]
    r = tca(rfq)
    a = rfq.allocation
    assert list(r.lines.index) == list(a.index)
    assert_allclose(r.lines["cost_usd"], a["cost_usd"], rtol=0, atol=1e-6)
    assert_allclose(r.lines["cost_bp"], a["cost_bp"], rtol=1e-9)
    win = rfq.winning_quote
    assert abs(r.totals["cost_usd"] - win.cost_usd) < 0.01  # allocated to the cent
    assert_allclose(r.totals["cost_bp"], win.cost_bp, atol=1e-5)
    cover = rfq.dealer_quotes[rfq.cover]
    # the cover's quote allocated to the cent like the winner's
    assert_allclose(r.totals["cover_cost_bp"], cover.cost_bp, atol=1e-5)
    assert r.totals["cost_vs_cover_bp"] < 0  # the winner beat the cover
    assert not r.wrong_side_ids
    assert set(r.lines["trade_side"]) == {"sell" if direction == "client_sells" else "buy"}
    assert rfq.winner in " ".join(r.notes())


def test_against_the_winners_components_and_the_cover(rfqs):
    rfq = rfqs["client_sells"]
    t = tca(rfq).against(rfq)
    parts = [k.removesuffix("_usd") for k in rfq.winning_quote.components]
    assert {"hedge_cost", "working_cost", "risk_charge", "margin"} <= set(parts)
    assert_allclose(t.loc[parts, "usd"].sum(), t.loc["winner_quote", "usd"], atol=0.01)
    assert abs(t.loc["tca_minus_quote", "usd"]) < 0.01
    q = rfq.quotes
    assert_allclose(t.loc["cover_quote", "usd"], q.loc[rfq.cover, "cost_usd"], rtol=1e-12)
    assert t.loc["saving_vs_cover", "usd"] > 0
    assert_allclose(t.loc["winner_quote", "share_of_quote"], 1.0)
    assert t.attrs == {"winner": rfq.winner, "cover": rfq.cover}


def test_against_other_lines_or_not_an_rfq(rfqs):
    rfq = rfqs["client_sells"]
    with pytest.raises(InputError, match=r"the TCA's 3 lines are not the RFQ's 30 lines"):
        tca(small()).against(rfq)
    with pytest.raises(InputError, match="expected an RfqResult"):
        tca(small()).against(small())


def test_rfq_with_legging_from_the_pre_trade_report(rfqs):
    rfq = rfqs["client_sells"]
    ids = rfq.allocation.index
    legging = pd.Series(np.linspace(20.0, 40.0, len(ids)), index=ids)
    r = tca(rfq, legging_cost_bp=legging)
    assert_allclose(r.lines["legging_cost_bp"], legging.to_numpy())
    assert_allclose(r.totals["savings_bp"], r.totals["legging_cost_bp"] - r.totals["cost_bp"])


def test_rfq_at_an_etf_discount_costs_more(rfqs):
    """The dealers' premium component reaches the TCA: a discount on the hedge ETFs costs."""
    from etfcore.market import synthetic_market
    from etfcore.trading import run_rfq

    m = synthetic_market(0)
    base = rfqs["client_sells"]
    basket = pd.DataFrame({"id": base.allocation.index, "par": 2e6})
    cheap = tca(run_rfq(basket, m, etf_premium_bp=-20.0))
    assert cheap.totals["cost_bp"] > tca(base).totals["cost_bp"]
    t = cheap.against(run_rfq(basket, m, etf_premium_bp=-20.0))
    assert t.loc["etf_premium", "usd"] > 0 and abs(t.loc["tca_minus_quote", "usd"]) < 0.01


def test_the_package_attribute_is_the_function_in_any_import_order():
    """``etfcore.trading.tca`` stays the function after the module defining it is imported."""
    import etfcore
    import etfcore.trading
    import etfcore.trading.posttrade as module

    assert etfcore.trading.tca is module.tca is etfcore.tca
    r = etfcore.trading.tca(small(), total_market_value=10e6)
    assert_allclose(r.totals["cost_bp"], tca(small()).totals["cost_bp"])


def test_cli_through_etfcore_main(seed_tca_file, capsys, tmp_path):
    from etfcore.cli import main

    assert main(["tca", str(seed_tca_file)]) == 0
    assert "4.78" in capsys.readouterr().out
    assert main(["tca", str(tmp_path / "none.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "none.csv" in err


def test_the_allocation_frame_itself_is_accepted(rfqs):
    """``tca(rfq.allocation)``: id from the index, par_usd, its cost_bp kept as stated."""
    rfq = rfqs["client_buys"]
    a = tca(rfq.allocation)
    b = tca(rfq)
    assert_allclose(a.lines["cost_usd"], b.lines["cost_usd"], rtol=1e-12)
    assert_allclose(a.lines["stated_cost_bp"], a.lines["cost_bp"], rtol=1e-9)
