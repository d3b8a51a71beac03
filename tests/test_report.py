"""``etfcore report`` / ``etfcore.report.build_report``: the main job end to end.

The report runs on bundled data (the seed basket, the synthetic market) into a temporary
folder (about 10 s warm, so these tests are not marked slow: the page's structure is always
checked); the other end-to-end runs (a user basket with a curve file, a DataFrame basket,
the real LQD holdings) are marked slow; its files are checked, its page is parsed with the
standard library's HTML parser (every section with its figure and table, no broken link,
no missing image) and rendered in headless Chromium when it is installed. The real LQD
holdings run when present.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest

from etfcore.errors import InputError
from etfcore.report import DEFAULT_AS_OF, ReportResult, build_report
from etfcore.report._cli import add_parser
from etfcore.report._inputs import read_curve_file, ticker_from_path

#: Sections of the bundled run, in order.
SEED_SECTIONS = (
    "market",
    "basket",
    "etfs",
    "nav",
    "band",
    "premium",
    "hedge",
    "curves",
    "backstop",
    "pretrade",
    "rfq",
    "tca",
    "worked_example",
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: The seed's worked example, value-weighted (DESIGN.md; etfcore.trading.tca reproduces it).
SEED_COST_BP, SEED_LEGGING_BP, SEED_SAVING_BP = 4.78, 7.60, 2.82
BP_TOL = 0.005
LQD_FILE = "lqd_holdings_2026-01_approx.csv"
#: A Treasury par-yield file of two dates (percent, the Treasury's layout).
PAR_YIELDS = (
    "Date,1 Mo,3 Mo,6 Mo,1 Yr,2 Yr,5 Yr,10 Yr,30 Yr\n"
    "11/29/2024,4.70,4.59,4.44,4.29,4.15,4.05,4.18,4.36\n"
    "11/27/2024,4.72,4.60,4.45,4.31,4.22,4.13,4.25,4.44\n"
)


def _cli(argv: list[str]) -> int:
    """Run ``etfcore <argv>`` through etfcore.cli.main once it wires the report, else
    through a parser with only the report subcommand (the same handler)."""
    import etfcore.cli as cli

    if "report" in Path(cli.__file__).read_text():
        return int(cli.main(argv))
    parser = argparse.ArgumentParser(prog="etfcore")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportResult, str, str]:
    """The bundled run, not quiet, with what it printed to stdout and stderr."""
    out = tmp_path_factory.mktemp("seed-report")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        result = build_report(out / "etfcore-report")
    return result, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def seed_report(seed_run: tuple[ReportResult, str, str]) -> ReportResult:
    return seed_run[0]


# ---------------------------------------------------------------------------- HTML parser
class _Page(HTMLParser):
    """Sections (id -> tags inside), links, images and anchors of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[str] = []
        self.sections: dict[str, dict[str, int]] = {}
        self._stack: list[str] = []  # open <section> ids
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "section":
            self._stack.append(str(a.get("id", "")))
            self.sections.setdefault(self._stack[-1], {})
        if self._stack:
            counts = self.sections[self._stack[-1]]
            counts[tag] = counts.get(tag, 0) + 1
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "img":
            self.images.append(str(a.get("src", "")))
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._stack:
            self._stack.pop()
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


# ---------------------------------------------------------------------------- bundled run
def test_bundled_run_writes_every_file(seed_report: ReportResult) -> None:
    r = seed_report
    assert r.sections == SEED_SECTIONS
    assert r.html == r.out / "report.html" and r.html.is_file()
    for p in r.files:
        assert p.is_file() and p.stat().st_size > 0, p
        assert r.out in p.parents
    tables = sorted((r.out / "tables").glob("*.csv"))
    assert len(tables) >= len(SEED_SECTIONS)
    for csv in tables:
        parquet = csv.with_suffix(".parquet")
        assert parquet.is_file(), parquet
        back = pd.read_parquet(parquet)
        assert len(back) == len(pd.read_csv(csv)), csv.name
    for png in (r.out / "figures").glob("*.png"):
        assert png.read_bytes()[:8] == PNG_MAGIC, png
    assert {p.stem.split("_")[0] for p in (r.out / "figures").glob("*.png")} >= {
        "market",
        "basket",
        "nav",
        "band",
        "premium",
        "hedge",
        "curves",
        "backstop",
    }


def test_curve_files_carry_their_schema_and_round_trip(seed_report: ReportResult) -> None:
    from etfcore.hedging import HedgeCostCurve

    folder = seed_report.out / "curves"
    meta = json.loads((folder / "hedge_cost_curve.json").read_text())
    assert meta["metadata"]["schema_version"] == "1.0"
    from_json = HedgeCostCurve.read(folder / "hedge_cost_curve.json")
    from_parquet = HedgeCostCurve.read(folder / "hedge_cost_curve.parquet")
    assert from_json.schema_version == from_parquet.schema_version == "1.0"
    pd.testing.assert_frame_equal(from_json.to_frame(), from_parquet.to_frame())
    assert set(from_json.to_frame()["regime"]) == {"normal", "stress"}


def test_page_structure(seed_report: ReportResult) -> None:
    page = _parse(seed_report.html)
    assert page.title.startswith("etfcore report")
    for key in SEED_SECTIONS:
        assert key in page.sections, f"section {key} missing"
        counts = page.sections[key]
        assert counts.get("img", 0) >= 1, f"section {key} has no figure"
        assert counts.get("figure", 0) >= 1, f"section {key} has no figure"
        assert counts.get("table", 0) >= 1, f"section {key} has no table"
        assert counts.get("h2", 0) == 1
    assert "summary" in page.sections and page.sections["summary"].get("table") == 1
    # every image is an embedded PNG that decodes
    assert len(page.images) >= len(SEED_SECTIONS)
    for src in page.images:
        assert src.startswith("data:image/png;base64,"), src[:40]
        assert base64.b64decode(src.split(",", 1)[1])[:8] == PNG_MAGIC
    # every link resolves: in-page anchors to ids, relative links to files of the folder
    assert page.links
    for href in page.links:
        url = urlparse(href)
        assert not url.scheme and not url.netloc, f"external link {href}"
        if href.startswith("#"):
            assert href[1:] in page.ids, f"broken anchor {href}"
        else:
            target = seed_report.out / url.path
            assert target.is_file(), f"broken link {href}"
    linked = {seed_report.out / urlparse(h).path for h in page.links if not h.startswith("#")}
    assert seed_report.out / "curves" / "hedge_cost_curve.json" in linked
    assert seed_report.out / "curves" / "hedge_cost_curve.parquet" in linked


def test_summary_and_seed_numbers(seed_run: tuple[ReportResult, str, str]) -> None:
    result, stdout, stderr = seed_run
    steps = result.steps
    assert list(steps.index[: len(SEED_SECTIONS)]) == list(SEED_SECTIONS)
    assert (steps["seconds"] >= 0).all() and result.total_seconds > 0
    assert "etfcore report" in stdout and "total" in stdout
    assert "Traceback" not in stderr
    assert "report.html" in str(result.summary())
    # the seed basket: ten lines, $50 MM, read leniently with its problems listed
    lines = pd.read_csv(result.out / "tables" / "basket_lines.csv", dtype={"id": str})
    assert len(lines) == 10
    np.testing.assert_allclose(lines["market_value_usd"].sum(), 50e6, rtol=1e-12)
    assert any("912828U58" in w for w in result.warnings)
    flags = pd.read_csv(result.out / "tables" / "basket_flags.csv", dtype={"id": str})
    assert "treasury_prefix" in set(flags["kind"])
    assert (flags["kind"] == "check_digit").sum() == 6  # DESIGN.md: six bad check digits
    # the RFQ's allocation adds up to the winning all-in price to the cent, and the TCA's
    # lines add up to the basket
    quotes = pd.read_csv(result.out / "tables" / "rfq_quotes.csv", index_col=0)
    alloc = pd.read_csv(result.out / "tables" / "rfq_allocation.csv", index_col=0)
    winner = quotes.index[quotes["rank"] == 1][0]
    assert round(float(alloc["value_usd"].sum()), 2) == round(
        float(quotes.loc[winner, "all_in_price_usd"]), 2
    )
    tca_lines = pd.read_csv(result.out / "tables" / "tca_lines.csv", index_col=0)
    per_line = tca_lines.drop(index=["value_weighted", "plain_average"])
    np.testing.assert_allclose(
        per_line["cost_usd"].sum(), float(tca_lines.loc["value_weighted", "cost_usd"]), rtol=1e-12
    )
    # the worked example's value-weighted totals (DESIGN.md: 4.78 / 7.60 / 2.82 bp)
    tca = pd.read_csv(result.out / "tables" / "worked_example_lines.csv", index_col=0)
    vw = tca.loc["value_weighted"]
    np.testing.assert_allclose(float(vw["cost_bp"]), SEED_COST_BP, atol=BP_TOL)
    np.testing.assert_allclose(float(vw["legging_cost_bp"]), SEED_LEGGING_BP, atol=BP_TOL)
    np.testing.assert_allclose(float(vw["savings_bp"]), SEED_SAVING_BP, atol=BP_TOL)


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def test_page_renders_in_headless_chromium(seed_report: ReportResult, tmp_path: Path) -> None:
    import matplotlib.image as mpimg

    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'); page not rendered")
    shot = tmp_path / "shot.png"
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
        "--disable-default-apps",
        "--hide-scrollbars",
        "--proxy-server=127.0.0.1:9",  # no network: the page must be self-contained
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        seed_report.html.resolve().as_uri(),
    ]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert shot.is_file(), "Chromium wrote no screenshot"
    img = mpimg.imread(shot)[..., :3]
    assert img.shape[0] >= 1000 and img.shape[1] >= 1000
    assert float(img.std()) > 0.05, "the screenshot is blank"
    not_background = np.abs(img - np.median(img.reshape(-1, 3), axis=0)).sum(axis=2) > 0.1
    assert not_background.mean() > 0.05, "the screenshot is nearly empty"


# ---------------------------------------------------------------------------- real data
@pytest.mark.slow
@pytest.mark.real_data
def test_lqd_holdings_run(real_data: Path, tmp_path: Path) -> None:
    path = real_data / LQD_FILE
    if not path.is_file():
        pytest.skip(f"{LQD_FILE} is not in the real-data directory {real_data}")
    result = build_report(tmp_path / "lqd", holdings=path, quiet=True)
    assert result.sections == SEED_SECTIONS
    inputs = pd.read_csv(result.out / "tables" / "market_inputs.csv", index_col=0)
    assert inputs.loc["fund described", "value"] == "LQD"
    etfs = pd.read_csv(result.out / "tables" / "etfs_summary.csv", index_col=0)
    assert list(etfs.index) == ["LQD"] and etfs.loc["LQD", "bonds"] > 2000
    page = _parse(result.html)
    for key in result.sections:
        assert page.sections[key].get("img", 0) >= 1 and page.sections[key].get("table", 0) >= 1


# ---------------------------------------------------------------------------- command line
@pytest.mark.parametrize(
    ("option", "what"),
    [
        ("--basket", "no such file (the basket)"),
        ("--holdings", "no such file (the iShares holdings file)"),
        ("--curve", "no such file (the curve file)"),
    ],
)
def test_cli_missing_file_one_line_exit_2(
    option: str, what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.csv"
    code = _cli(["report", option, str(missing), "--out", str(tmp_path / "out"), "--quiet"])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert str(missing) in lines[0] and what in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""


def test_cli_bad_files_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "basket.csv"
    bad.write_text("cusip,issuer\n00287YAE9,AbbVie\n")
    afile = tmp_path / "taken"
    afile.write_text("x")
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    empty_curve = tmp_path / "curve.csv"
    empty_curve.write_text("")
    cases = [
        (["--basket", str(bad)], str(bad)),
        (["--out", str(afile)], str(afile)),
        (["--basket", str(folder)], "is not a file"),
        (["--curve", str(empty_curve)], "empty"),
    ]
    for extra, needle in cases:
        argv = ["report", "--quiet", *extra]
        if "--out" not in extra:
            argv += ["--out", str(tmp_path / "out")]
        code = _cli(argv)
        err = capsys.readouterr().err
        assert code == 2, (extra, err)
        assert len(err.strip().splitlines()) == 1, err
        assert needle in err and "Traceback" not in err


@pytest.mark.slow
def test_cli_quiet_run_on_a_user_basket(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from etfcore.data import seed_path

    basket = tmp_path / "mine.csv"
    basket.write_text(seed_path().read_text())
    par = tmp_path / "par.csv"
    par.write_text(PAR_YIELDS)
    code = _cli(
        [
            "report",
            "--basket",
            str(basket),
            "--curve",
            str(par),
            "--lenient",
            "--as-of",
            DEFAULT_AS_OF,
            "--regime",
            "stress",
            "--out",
            str(tmp_path / "out"),
            "--quiet",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out == "" and captured.err == ""
    page = _parse(tmp_path / "out" / "report.html")
    assert "worked_example" not in page.sections  # only for the bundled seed basket
    assert {"basket", "hedge", "curves", "rfq", "tca"} <= set(page.sections)
    inputs = pd.read_csv(tmp_path / "out" / "tables" / "market_inputs.csv", index_col=0)
    assert "2024-11-29 in par.csv" in inputs.loc["curve", "value"]
    assert inputs.loc["regime of the trade", "value"] == "stress"


@pytest.mark.slow
def test_dataframe_basket_of_market_bonds(tmp_path: Path) -> None:
    from etfcore.market import synthetic_market

    market = synthetic_market(1, as_of=DEFAULT_AS_OF)
    ids = market.etfs["HY"].holdings.index[:12]
    basket = pd.DataFrame({"id": ids, "par": 2e6, "trade_side": "buy"})
    result = build_report(tmp_path / "r", basket=basket, etf="HY", seed=1, quiet=True)
    assert "worked_example" not in result.sections and "rfq" in result.sections
    inputs = pd.read_csv(result.out / "tables" / "market_inputs.csv", index_col=0)
    assert inputs.loc["fund described", "value"] == "HY"
    alloc = pd.read_csv(result.out / "tables" / "rfq_allocation.csv", index_col=0)
    assert set(alloc["trade_side"]) == {"buy"}
    assert (alloc["execution_price"] > alloc["pre_trade_mid"]).all()  # the client pays up
    with pytest.raises(InputError, match="both sides"):
        mixed = basket.assign(trade_side=["buy", "sell"] * 6)
        build_report(tmp_path / "m", basket=mixed, seed=1, quiet=True)


def test_cli_strict_basket_error_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from etfcore.data import seed_path

    basket = tmp_path / "seed.csv"
    basket.write_text(seed_path().read_text())
    code = _cli(["report", "--basket", str(basket), "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and str(basket) in err
    assert "check digit" in err


# ---------------------------------------------------------------------------- inputs
def test_build_report_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="regime"):
        build_report(tmp_path, regime="panic", quiet=True)
    with pytest.raises(InputError, match="seed"):
        build_report(tmp_path, seed=-1, quiet=True)
    with pytest.raises(InputError, match="no such file"):
        build_report(tmp_path, basket=tmp_path / "none.csv", quiet=True)


def test_zero_curve_file(tmp_path: Path) -> None:
    from etfcore.bonds.dates import to_day

    p = tmp_path / "zero.csv"
    p.write_text("tenor_years,zero_rate\n0.5,0.041\n2,0.042\n10,0.045\n30,0.047\n")
    curve, source = read_curve_file(p, to_day(DEFAULT_AS_OF))
    np.testing.assert_allclose(curve.zero_rate(10.0), 0.045, rtol=0, atol=1e-15)
    assert "zero.csv" in source
    p.write_text("tenor,rate\n1,0.04\n")
    with pytest.raises(InputError, match=r"zero.csv.*tenor_years"):
        read_curve_file(p, to_day(DEFAULT_AS_OF))
    p.write_text("tenor_years,zero_rate\n1,4.5\n10,4.7\n")
    with pytest.raises(InputError, match=r"zero.csv"):
        read_curve_file(p, to_day(DEFAULT_AS_OF))


def test_par_yield_curve_file(tmp_path: Path) -> None:
    from etfcore.bonds.dates import to_day

    p = tmp_path / "par.csv"
    p.write_text(PAR_YIELDS)
    curve, source = read_curve_file(p, to_day(DEFAULT_AS_OF))
    assert "2024-11-29" in source and "moved to 2024-12-02" in source
    assert 0.03 < float(curve.zero_rate(10.0)) < 0.05
    with pytest.raises(InputError, match=r"par.csv: no par yields on or before 2024-01-02"):
        read_curve_file(p, to_day("2024-01-02"))


def test_ticker_from_path() -> None:
    assert ticker_from_path("lqd_holdings_2026-01_approx.csv") == "LQD"
    assert ticker_from_path("/x/IEF.csv") == "IEF"
    assert ticker_from_path("(1).csv") == "ETF"
