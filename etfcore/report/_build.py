"""``build_report``: the whole chain, from a basket and a market to a report folder.

Each step is one method of :class:`_Run` that fills one :class:`~._page.Section` (text,
tables, figures) and one row of the summary (a headline and its time). The page and the
files are written by :mod:`._page`.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from ..errors import EtfcoreWarning, InputError
from ._inputs import check_file, name_file, out_dir, read_curve_file, ticker_from_path
from ._page import Section, write_report

__all__ = [
    "CURVE_HORIZONS_DAYS",
    "CURVE_NOTIONALS_USD",
    "DEFAULT_AS_OF",
    "DEFAULT_ETF",
    "DEFAULT_OUT",
    "PREMIUM_DAYS",
    "PREMIUM_PATHS",
    "ReportResult",
    "build_report",
]

#: As-of date of the bundled run: before every maturity of the seed basket.
DEFAULT_AS_OF = "2024-12-02"
#: The output folder when none is given.
DEFAULT_OUT = "etfcore-report"
#: The synthetic ETF the fund sections describe (LQD-like) unless told otherwise.
DEFAULT_ETF = "IG_BROAD"
#: Paths and days of the premium simulations (the ``etfcore demo`` sizes).
PREMIUM_PATHS, PREMIUM_DAYS = 2_000, 60
#: Sizes (USD) and horizons (days) of the hedge-cost curves written with the report.
CURVE_NOTIONALS_USD = tuple(float(v) for v in np.geomspace(1e6, 1e10, 17))
CURVE_HORIZONS_DAYS = (1.0, 5.0, 20.0)
#: Sizes shown in the curve table.
CURVE_TABLE_NOTIONALS_USD = (1e7, 1e8, 1e9, 1e10)
#: Days the dealer holds the hedge (the hedge section and its leg costs).
HEDGE_HORIZON_DAYS = 1.0
#: The iNAV's intraday move: a sell-off day, rates and spreads up linearly (bp).
INAV_INTERVALS, INAV_RATE_MOVE_BP, INAV_SPREAD_MOVE_BP = 14, 8.0, 12.0
REGIMES = ("normal", "stress")
#: The seed's printed "Weighted Avg." row (bp), set beside the value-weighted figures.
PRINTED_AVERAGE_BP = {"cost_bp": 5.0, "legging_cost_bp": 8.1, "savings_bp": 3.1}
SCENARIOS = ("calm", "march_2020")


@dataclass(frozen=True, repr=False)
class ReportResult:
    """What :func:`build_report` wrote, and the summary it printed.

    Attributes
    ----------
    out : pathlib.Path
        The report folder.
    html : pathlib.Path
        The page (``report.html``), self-contained: figures are embedded.
    files : tuple of pathlib.Path
        Every file written (tables in CSV and Parquet, curve files, figures, the page).
    sections : tuple of str
        The page's section ids, in order.
    warnings : tuple of str
        What the readers and models warned about (also listed on the page).

    Examples
    --------
    >>> r = ReportResult(Path("out"), Path("out/report.html"), (), ("inputs",), (),
    ...                  pd.DataFrame({"result": ["ok"], "seconds": [0.1]},
    ...                               index=pd.Index(["inputs"], name="step")))
    >>> r
    ReportResult(out/report.html: 1 sections, 0 files, 0.1 s)
    """

    out: Path
    html: Path
    files: tuple[Path, ...]
    sections: tuple[str, ...]
    warnings: tuple[str, ...]
    _steps: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        total = float(self._steps["seconds"].sum())
        return (
            f"ReportResult({self.html}: {len(self.sections)} sections, {len(self.files)} "
            f"files, {total:.1f} s)"
        )

    @property
    def steps(self) -> pd.DataFrame:
        """One row per step (index ``step``): ``title``, ``result`` (headline), ``seconds``.

        A copy.

        Examples
        --------
        >>> r = ReportResult(Path("o"), Path("o/report.html"), (), (), (),
        ...                  pd.DataFrame({"result": ["ok"], "seconds": [0.5]}))
        >>> float(r.steps["seconds"].sum())
        0.5
        """
        return frame_copy(self._steps)

    @property
    def total_seconds(self) -> float:
        """Wall time of all steps, s.

        Examples
        --------
        >>> r = ReportResult(Path("o"), Path("o/report.html"), (), (), (),
        ...                  pd.DataFrame({"result": ["a", "b"], "seconds": [0.5, 0.25]}))
        >>> r.total_seconds
        0.75
        """
        return float(self._steps["seconds"].sum())

    def to_frame(self) -> pd.DataFrame:
        """The summary table (same as :attr:`steps`), a copy.

        Examples
        --------
        >>> r = ReportResult(Path("o"), Path("o/report.html"), (), (), (),
        ...                  pd.DataFrame({"result": ["ok"], "seconds": [0.5]}))
        >>> list(r.to_frame().columns)
        ['result', 'seconds']
        """
        return frame_copy(self._steps)

    def summary(self) -> Any:
        """The steps with their headline numbers and times, and where the files are.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> r = ReportResult(Path("o"), Path("o/report.html"), (), (), (),
        ...                  pd.DataFrame({"result": ["ok"], "seconds": [0.5]}))
        >>> "report.html" in str(r.summary())
        True
        """
        notes = [f"page: {self.html}; {len(self.files)} files in {self.out}"]
        if self.warnings:
            notes.append(f"{len(self.warnings)} warning(s) from the data; see the page")
        return make_summary("etfcore report", [self._steps], notes)


# ---------------------------------------------------------------------------- helpers
def _usd_mm(v: float) -> str:
    return f"${v / 1e6:,.1f}mm"


def _bp(v: float) -> str:
    return f"{v:+.1f} bp"


def _tenor(years: float) -> str:
    return f"{years * 12:.0f}m" if years < 1 else f"{years:g}y"


def _figure(width: float = 8.0, height: float = 4.5, ncols: int = 1) -> tuple[Any, Any]:
    """A pyplot-free matplotlib figure (Agg canvas) and its axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols)
    return fig, axes


class _Run:
    """The state the steps share: inputs, market, basket, results, sections."""

    def __init__(
        self,
        *,
        basket: Any,
        holdings: Any,
        curve: Any,
        as_of: Any,
        regime: str,
        seed: int,
        etf: str | None,
        strict: bool,
        out: Path,
    ) -> None:
        self.out = out
        self.extra_files: list[Path] = []
        self.basket_arg = basket
        self.holdings = holdings
        self.curve_arg = curve
        self.as_of_arg = as_of
        self.regime = regime
        self.seed = seed
        self.etf_arg = etf
        self.strict = strict
        self.sections: list[Section] = []
        self.facts: dict[str, Any] = {}
        # set by the steps (markets are etfcore.market.Market objects, with their ETFs)
        self.market: Any = None
        self.bmarket: Any = None
        self.mkt: Any = None

    # ------------------------------------------------------------------ 1. inputs
    def market_step(self) -> tuple[Section, str]:
        from ..bonds.dates import to_day, to_timestamps
        from ..market import synthetic_market

        inputs: list[tuple[str, str]] = []
        if self.holdings is None:
            as_of = DEFAULT_AS_OF if self.as_of_arg is None else self.as_of_arg
            day = to_day(as_of, "as_of")
            market: Any = synthetic_market(self.seed, as_of=day)
            what = f"synthetic market (seed {self.seed})"
            if self.curve_arg is not None:
                curve, text = read_curve_file(self.curve_arg, day)
                market = market.with_curve(curve)
                inputs.append(("curve", text))
            else:
                inputs.append(("curve", "the synthetic Treasury curve"))
            name = self.etf_arg or DEFAULT_ETF
        else:
            from ..io import read_ishares_holdings_frame
            from ..market import etf_from_ishares

            path = check_file(self.holdings, "iShares holdings file")
            name = self.etf_arg or ticker_from_path(path)
            curve_obj: Any = "auto"
            if self.curve_arg is not None:
                frame = read_ishares_holdings_frame(path, strict=self.strict)
                when = frame.attrs.get("as_of_date", self.as_of_arg)
                if when is None:
                    raise InputError(
                        f"{path}: the file has no 'Fund Holdings as of' date; give --as-of so "
                        "that the curve file can be read on the holdings' date"
                    )
                curve_obj, text = read_curve_file(self.curve_arg, to_day(when, "as_of"))
                inputs.append(("curve", text))
            try:
                fund = etf_from_ishares(path, name, curve=curve_obj, strict=self.strict)
            except InputError as exc:
                raise name_file(exc, path) from None
            market = fund.market
            name = fund.etf.name
            what = f"{name} from {path.name}"
            if self.curve_arg is None:
                inputs.append(("curve", "the Treasury curve of the holdings' date (real data)"))
        if name not in market.etfs:
            raise InputError(f"etf: no ETF named {name!r}; the ETFs are {list(market.etfs)}")
        self.market = market
        self.etf_name = name
        trade = to_timestamps(np.int64(market.as_of)) if market.as_of is not None else None
        settle = to_timestamps(np.int64(market.settlement))
        self.facts["settlement"] = settle
        inputs[:0] = [
            ("market", what),
            ("as-of (trade date)", f"{trade:%Y-%m-%d}" if trade is not None else "n/a"),
            ("settlement", f"{settle:%Y-%m-%d}"),
            ("bonds", f"{len(market.bonds):,}"),
            ("ETFs", ", ".join(market.etfs)),
            ("fund described", name),
            ("regime of the trade", self.regime),
        ]
        table = pd.DataFrame(inputs, columns=["input", "value"]).set_index("input")
        fig, ax = _figure(7.5, 4.0)
        market.curve.plot(ax=ax)
        ax.set_title(f"Treasury zero curve, {settle:%Y-%m-%d}")
        sec = Section(
            "market",
            "Market and inputs",
            [
                f"The run prices everything in the {what}, settlement {settle:%Y-%m-%d}. "
                "Bonds are priced from the Treasury zero curve plus each bond's z-spread; bid "
                "and ask come from the liquidity model of the regime."
            ],
        )
        sec.add_table("inputs", "What the run used", table)
        sec.add_figure("zero_curve", "The Treasury zero curve the bonds are priced on", fig)
        return sec, f"{what}: {len(market.bonds):,} bonds, settlement {settle:%Y-%m-%d}"

    # ------------------------------------------------------------------ 2. basket
    def basket_step(self) -> tuple[Section, str]:
        from ..hedging import basket_risk
        from ..trading import basket_lines, dealer_positions

        basket, label, notes = self._load_basket()
        market = self.market
        if hasattr(basket, "in_market") and getattr(market, "credit_spread_curve", None) is None:
            from ..market.synthetic import synthetic_spread_curve

            # a market built from a holdings file has no spread curve for bonds it lacks
            market = basket.in_market(market, spread_curve=synthetic_spread_curve())
            notes.append(
                "The market has no spread curve of its own (it is built from a holdings "
                "file): the basket's bonds that it does not hold are priced at the synthetic "
                "spread curve by rating, sector and tenor over its Treasury curve."
            )
        market, lines = basket_lines(basket, market, where=label)
        sides = set(lines["trade_side"])
        if len(sides) != 1:
            raise InputError(
                f"{label}: the lines are on both sides (the client buys some and sells "
                "others); an RFQ quotes one direction: split the basket into a buy and a sell"
            )
        self.direction = "client_buys" if sides == {"buy"} else "client_sells"
        self.bmarket = market
        self.mkt = market if market.regime == self.regime else market.with_regime(self.regime)
        self.basket = basket
        self.lines = lines
        self.positions = dealer_positions(lines)
        risk = basket_risk(self.positions, self.mkt, name="basket")
        self.basket_risk = risk
        per_line = risk.to_frame()
        table = lines.join(
            per_line[["modified_duration", "spread_duration", "dv01_usd", "cs01_usd"]]
        )
        total = float(lines["market_value_usd"].sum())
        side_names = sorted(set(lines["trade_side"]))
        totals = pd.Series(
            {
                "lines": len(lines),
                "client_side": "/".join(side_names),
                "market_value_usd": total,
                "par_usd": float(lines["par_usd"].sum()),
                "dealer_dv01_usd": risk.dv01_usd,
                "dealer_credit_cs01_usd": risk.credit_cs01_usd,
                "modified_duration": risk.modified_duration,
                "spread_duration": risk.spread_duration,
            },
            name="basket",
        )
        fig, ax = _figure(8.0, 4.0)
        order = table.sort_values("dv01_usd")
        labels = [
            f"{i} {str(s)[:18]}" if isinstance(s, str) else str(i)
            for i, s in zip(order.index, order["issuer"], strict=True)
        ]
        ax.barh(labels, order["dv01_usd"].to_numpy(dtype=float), color="#4C72B0")
        ax.set_xlabel("dealer DV01, USD per bp (long what the client sells)")
        ax.set_title(
            f"Basket: {len(lines)} lines, {_usd_mm(total)}, DV01 ${risk.dv01_usd:,.0f}".replace(
                "$", r"\$"
            )
        )
        ax.tick_params(axis="y", labelsize=7)
        self.facts["basket_label"] = label
        sec = Section(
            "basket",
            "The basket",
            [
                f"{label}: {len(lines)} lines, market value {_usd_mm(total)} (model mid, "
                f"dirty), the client {' and '.join(side_names)}s. The dealer who takes it on is "
                f"long what the client sells: DV01 ${risk.dv01_usd:,.0f} and credit CS01 "
                f"${risk.credit_cs01_usd:,.0f} per bp, modified duration "
                f"{risk.modified_duration:.2f}.",
                *notes,
            ],
        )
        sec.add_table("lines", "Lines, priced at the model mid, with their risk", table)
        sec.add_table("totals", "The basket as a whole", totals)
        flags = getattr(basket, "flags", None)
        if isinstance(flags, pd.DataFrame) and len(flags):
            sec.add_table("flags", "What a trader must know about the file (reader flags)", flags)
        read_notes = getattr(basket, "notes", ())
        if read_notes:
            sec.add_table(
                "reading",
                "How the file was read",
                pd.DataFrame(
                    {"note": list(read_notes)}, index=pd.RangeIndex(1, len(read_notes) + 1)
                ),
            )
        sec.add_figure("dv01", "Each line's DV01 for the dealer", fig)
        return sec, (
            f"{label}: {len(lines)} lines, {_usd_mm(total)}, DV01 ${risk.dv01_usd:,.0f}/bp"
        )

    def _load_basket(self) -> tuple[Any, str, list[str]]:
        notes: list[str] = []
        arg = self.basket_arg
        as_of = self.market.as_of
        if isinstance(arg, pd.DataFrame) or hasattr(arg, "in_market"):
            return arg, "the basket", notes
        from ..io import read_basket

        if arg is None:
            from ..data import seed_path

            path = seed_path("seed_basket.csv")
            label = "The seed basket (bundled, read leniently)"
            path, dropped = self._live_seed(path)
            if dropped:
                label = "The seed basket's live lines (bundled, read leniently)"
                notes.append(
                    f"{len(dropped)} line(s) of the seed basket mature on or before the "
                    f"market's settlement and are left out: {', '.join(dropped)} (the lines "
                    f"kept are in {path.parent.name}/{path.name})."
                )
            basket = read_basket(path, as_of=as_of, strict=False)
            notes.append(
                "The seed basket is the brief's worked example: it is read leniently "
                "(strict=False) as of the market's date, so the problems a trader must know "
                "(bad check digits, a Treasury CUSIP labelled as a corporate issuer) are "
                "listed below as warnings instead of stopping the run."
            )
        else:
            path = check_file(arg, "basket")
            try:
                basket = read_basket(path, as_of=as_of, strict=self.strict)
            except InputError as exc:
                raise name_file(exc, path) from None
            label = f"The basket {path.name}"
        return basket, label, notes

    def _live_seed(self, path: Path) -> tuple[Path, list[str]]:
        """The seed basket without the lines that mature by the market's settlement.

        Only a market dated after some of its maturities (a real holdings file) needs it;
        the lines kept are written to ``inputs/`` in the report folder.
        """
        from ..bonds.dates import to_timestamps

        frame = pd.read_csv(path, dtype=str)
        maturity = pd.to_datetime(frame["maturity"], errors="coerce")
        settle = to_timestamps(np.int64(self.market.settlement))
        live = ~(maturity <= settle)
        if bool(live.all()):
            return path, []
        folder = self.out / "inputs"
        folder.mkdir(exist_ok=True)
        target = folder / "seed_basket_live.csv"
        frame[live.to_numpy()].to_csv(target, index=False)
        self.extra_files.append(target)
        return target, list(frame.loc[~live.to_numpy(), "cusip"])

    # ------------------------------------------------------------------ 3. ETFs
    def etfs_step(self) -> tuple[Section, str]:
        table = self.bmarket.etf_summary()
        etf = self.bmarket.etfs[self.etf_name]
        self.etf = etf
        b = self.basket_risk
        lines = self.lines
        mv = lines["market_value_usd"].to_numpy(dtype=float)
        fig, ax = _figure(7.0, 4.5)
        ax.scatter(
            table["modified_duration"],
            table["yield_to_maturity"] * 100,
            s=np.clip(table["net_assets_usd_bn"].to_numpy(dtype=float), 1, None) * 8,
            color="#4C72B0",
            alpha=0.7,
            label="ETFs (area ~ net assets)",
        )
        for name, row in table.iterrows():
            ax.annotate(
                str(name),
                (row["modified_duration"], row["yield_to_maturity"] * 100),
                fontsize=8,
                xytext=(4, 4),
                textcoords="offset points",
            )
        ax.axvline(b.modified_duration, color="#C44E52", ls="--", lw=1, label="basket duration")
        ax.set_xlabel("modified duration, years")
        ax.set_ylabel("yield to maturity, %")
        ax.set_title("The ETFs: yield against duration")
        ax.legend(fontsize=8, loc="upper right")
        row = table.loc[self.etf_name]
        head = (
            f"{self.etf_name}: {int(row['bonds']):,} bonds, yield "
            f"{row['yield_to_maturity']:.2%}, duration {row['modified_duration']:.2f}"
        )
        sec = Section(
            "etfs",
            "The ETFs",
            [
                f"Bond analytics of every ETF of the market (value-weighted over its bonds, "
                f"mid). The basket's duration is {b.modified_duration:.2f} against "
                f"{row['modified_duration']:.2f} for {self.etf_name}; its market value is "
                f"{_usd_mm(float(mv.sum()))}."
            ],
        )
        sec.add_table("summary", "Holdings, net assets, NAV, risk and trading facts", table)
        sec.add_figure("yield_duration", "Yield against duration, by ETF", fig)
        return sec, head

    # ------------------------------------------------------------------ 4. NAV / iNAV
    def nav_step(self) -> tuple[Section, str]:
        from ..fund import inav_path

        etf, market = self.etf, self.bmarket
        rows = {}
        breakdown = None
        for regime in REGIMES:
            m = market if market.regime == regime else market.with_regime(regime)
            nav = etf.navs(m)
            rows[regime] = {
                "nav_bid": float(nav["bid"]),
                "nav_mid": float(nav["mid"]),
                "nav_ask": float(nav["ask"]),
                "bid_ask_width_bp": float((nav["ask"] / nav["bid"] - 1.0) * 1e4),
                "net_assets_mid_usd": float(nav["mid"] * etf.shares_outstanding),
            }
            if regime == "normal":
                breakdown = etf.nav_breakdown(m)
        navs = pd.DataFrame.from_dict(rows, orient="index")
        navs.index.name = "regime"
        normal = market if market.regime == "normal" else market.with_regime("normal")
        k = np.linspace(0.0, 1.0, INAV_INTERVALS)
        res = inav_path(
            etf,
            normal,
            normal.curve.parallel_shocks(list(k * INAV_RATE_MOVE_BP)),
            list(k * INAV_SPREAD_MOVE_BP),
        )
        inav = res.summary_frame().rename(self.etf_name)
        fig, axes = _figure(11.0, 4.0, ncols=2)
        assert breakdown is not None
        breakdown.plot(ax=axes[0])
        res.plot(ax=axes[1])
        stale = float(res.summary_frame()["max_abs_staleness_bp"])
        n = rows["normal"]
        sec = Section(
            "nav",
            "NAV on three sides and iNAV",
            [
                f"{self.etf_name}'s NAV per share on the bid (the official NAV of US bond "
                f"ETFs), mid and ask: {n['nav_bid']:.4f} / {n['nav_mid']:.4f} / "
                f"{n['nav_ask']:.4f} in normal markets ({n['bid_ask_width_bp']:.1f} bp wide), "
                f"{rows['stress']['bid_ask_width_bp']:.1f} bp wide in stress.",
                f"The iNAV over a sell-off day ({INAV_INTERVALS} intervals, rates up "
                f"{INAV_RATE_MOVE_BP:g} bp and spreads up {INAV_SPREAD_MOVE_BP:g} bp): "
                f"evaluated prices are stale, so the published iNAV lags the true value by "
                f"up to {stale:.1f} bp; the fair-value iNAV tracks it.",
            ],
        )
        sec.add_table("nav", "NAV per share by quote side and regime", navs)
        sec.add_table("inav", "iNAV over the sell-off day", inav)
        sec.add_figure("nav_inav", "NAV by side (normal) and the intraday iNAV", fig)
        head = (
            f"bid/mid/ask {n['nav_bid']:.2f}/{n['nav_mid']:.2f}/{n['nav_ask']:.2f}; "
            f"iNAV staleness up to {stale:.1f} bp"
        )
        return sec, head

    # ------------------------------------------------------------------ 5. band
    def band_step(self) -> tuple[Section, str]:
        from ..primary import arbitrage_band

        etf, market = self.etf, self.bmarket
        bands = {}
        for regime in REGIMES:
            m = market if market.regime == regime else market.with_regime(regime)
            bands[regime] = arbitrage_band(etf, m, regime=regime)
        self.bands = bands
        comp = pd.DataFrame(
            {
                f"{order}_{r}_bp": bands[r].components[order]
                for r in REGIMES
                for order in ("create", "redeem")
            }
        )
        comp.loc["band"] = [
            getattr(bands[r], f"{order}_bp") for r in REGIMES for order in ("create", "redeem")
        ]
        comp.index.name = "component"
        fig, axes = _figure(12.0, 4.5, ncols=2)
        for ax, regime in zip(axes, REGIMES, strict=True):
            bands[regime].plot(ax=ax)
        n, s = bands["normal"], bands["stress"]
        head = (
            f"normal {n.redeem_bp:+.1f}/{n.create_bp:+.1f} bp, "
            f"stress {s.redeem_bp:+.1f}/{s.create_bp:+.1f} bp"
        )
        sec = Section(
            "band",
            "The arbitrage band, normal and stress",
            [
                f"APs create {self.etf_name} shares when the ETF trades above "
                f"{n.create_bp:+.1f} bp of official NAV and redeem below {n.redeem_bp:+.1f} bp "
                f"in normal markets; in stress the band widens to {s.redeem_bp:+.1f} / "
                f"{s.create_bp:+.1f} bp. The components are the costs an AP pays to buy or "
                "sell the basket, the fees and the carry (one creation unit)."
            ],
        )
        sec.add_table("components", "Band components, bp of official NAV", comp)
        sec.add_figure("band", "Band components, normal (left) and stress (right)", fig)
        return sec, head

    # ------------------------------------------------------------------ 6. premium
    def premium_step(self) -> tuple[Section, str]:
        from ..dynamics import simulate_premium

        etf, market = self.etf, self.bmarket
        normal = market if market.regime == "normal" else market.with_regime("normal")
        rows = {}
        sims = {}
        for name in SCENARIOS:
            sim = simulate_premium(
                etf, normal, name, n_paths=PREMIUM_PATHS, n_days=PREMIUM_DAYS, seed=self.seed
            )
            sims[name] = sim
            p = sim.premium_bp
            lo, med, hi = np.percentile(p, [5, 50, 95])
            rows[name] = {
                "median_bp": float(med),
                "p5_bp": float(lo),
                "p95_bp": float(hi),
                "worst_median_path_bp": float(np.median(p.min(axis=1))),
                "outside_band_share": float(np.mean(sim.outside_band)),
                "capacity_bound_share": float(np.mean(sim.capacity_bound)),
                "units_redeemed_per_path": float(sim.redemptions.sum() / PREMIUM_PATHS),
            }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "scenario"
        fig, axes = _figure(12.0, 4.5, ncols=2)
        for ax, name in zip(axes, SCENARIOS, strict=True):
            sims[name].plot(ax=ax)
        c, m = rows["calm"], rows["march_2020"]
        sec = Section(
            "premium",
            "Premium/discount: calm and March 2020",
            [
                f"{PREMIUM_PATHS:,} simulated paths of {PREMIUM_DAYS} days of "
                f"{self.etf_name}'s premium to official NAV with APs at work "
                "(etfcore.dynamics.simulate_premium). Calm: median "
                f"{c['median_bp']:+.1f} bp, 5-95% {c['p5_bp']:+.1f} / {c['p95_bp']:+.1f} bp. "
                f"March 2020: the median path's worst day is {m['worst_median_path_bp']:+.1f} "
                f"bp and AP capacity binds on {m['capacity_bound_share']:.0%} of days.",
            ],
        )
        sec.add_table("scenarios", "The premium to official NAV by scenario", table)
        sec.add_figure("premium", "Simulated premium: calm (left) and March 2020 (right)", fig)
        head = (
            f"calm median {c['median_bp']:+.1f} bp; March 2020 worst (median path) "
            f"{m['worst_median_path_bp']:+.1f} bp"
        )
        return sec, head

    # ------------------------------------------------------------------ 7. hedge
    def hedge_step(self) -> tuple[Section, str]:
        from ..hedging import hedge_leg_cost, select_hedge

        mkt = self.mkt
        k = min(3, len(mkt.etfs))
        h = select_hedge(self.positions, mkt, max_instruments=k, horizon_days=HEDGE_HORIZON_DAYS)
        self.hedge = h
        legs = h.to_frame()
        costs = []
        for inst, leg in legs.iterrows():
            q = abs(float(leg["notional_usd"]))
            c = hedge_leg_cost(
                str(inst), mkt, q, HEDGE_HORIZON_DAYS, self.regime, str(leg["trade_side"])
            ).iloc[0]
            costs.append(c)
        cost_cols = [
            "cost_bp",
            "cost_usd",
            "channel",
            "half_spread_bp",
            "impact_bp",
            "borrow_bp",
            "basis_risk_bp",
            "premium_risk_bp",
        ]
        if costs:
            cost_frame = pd.DataFrame(costs, index=legs.index)
            cost_frame = cost_frame[[c for c in cost_cols if c in cost_frame]]
            table = legs.join(cost_frame)
            total_usd = float(cost_frame["cost_usd"].sum())
        else:
            table = legs
            total_usd = 0.0
        mv = abs(self.basket_risk.market_value_usd)
        self.hedge_cost_usd = total_usd
        risk = pd.Series(
            {
                "basket_dv01_usd": h.basket.dv01_usd,
                "residual_dv01_usd": h.residual_dv01_usd,
                "basket_credit_cs01_usd": h.basket.credit_cs01_usd,
                "residual_credit_cs01_usd": h.residual_cs01_usd,
                "variance_reduction": h.variance_reduction,
                "basket_vol_usd": h.basket_vol_usd,
                "tracking_vol_usd": h.tracking_vol_usd,
                "tracking_vol_bp": h.tracking_vol_bp,
                "hedge_cost_usd": total_usd,
                "hedge_cost_bp": total_usd / mv * 1e4 if mv > 0 else np.nan,
            },
            name="hedge",
        )
        fig, ax = _figure(8.0, 4.0)
        krd = h.basket.key_rate_dv01
        res = h.residual_key_rate_dv01.reindex(krd.index)
        x = np.arange(len(krd))
        ax.bar(x - 0.2, krd.to_numpy(), width=0.4, color="#4C72B0", label="basket")
        ax.bar(x + 0.2, res.to_numpy(), width=0.4, color="#C44E52", label="basket + hedge")
        ax.set_xticks(x, [_tenor(float(t)) for t in krd.index], fontsize=8)
        ax.axhline(0.0, color="grey", lw=0.5)
        ax.set_xlabel("key rate")
        ax.set_ylabel("DV01, USD per bp")
        ax.set_title(f"Key-rate DV01: variance reduction {h.variance_reduction:.1%}")
        ax.legend(fontsize=8)
        text = "; ".join(
            f"{leg['trade_side']} {inst} {_usd_mm(abs(float(leg['notional_usd'])))}"
            for inst, leg in legs.iterrows()
        )
        sec = Section(
            "hedge",
            "The hedge and its cost",
            [
                f"The best hedge with at most {k} ETF(s) ({self.regime} regime, "
                f"{HEDGE_HORIZON_DAYS:g}-day horizon): {text or 'none'}. It removes "
                f"{h.variance_reduction:.1%} of the basket's variance and leaves a tracking "
                f"volatility of {h.tracking_vol_bp:.2f} bp (${h.tracking_vol_usd:,.0f}); it "
                f"costs ${total_usd:,.0f} ({risk['hedge_cost_bp']:.2f} bp of the basket).",
            ],
        )
        sec.add_table("legs", "Hedge legs and their cost (notional < 0: sell the ETF)", table)
        sec.add_table("risk", "Risk before and after the hedge", risk)
        sec.add_figure("key_rates", "Key-rate DV01 of the basket, before and after", fig)
        head = f"{text or 'no hedge'}; variance reduction {h.variance_reduction:.1%}"
        return sec, head

    # ------------------------------------------------------------------ 8. curves
    def curves_step(self, out: Path) -> tuple[Section, str]:
        from ..hedging import hedge_cost_curve

        legs = self.hedge.to_frame()
        instruments = list(legs.index) if len(legs) else [self.etf_name]
        curve = hedge_cost_curve(
            self.bmarket, instruments, CURVE_NOTIONALS_USD, CURVE_HORIZONS_DAYS, REGIMES
        )
        folder = out / "curves"
        folder.mkdir(exist_ok=True)
        written = [
            curve.to_json(folder / "hedge_cost_curve.json"),
            curve.to_parquet(folder / "hedge_cost_curve.parquet"),
            curve.to_csv(folder / "hedge_cost_curve.csv"),
        ]
        cross = curve.crossover_usd()
        rows = []
        for inst in instruments:
            side = str(legs.loc[inst, "trade_side"]) if len(legs) else "sell"
            for regime in REGIMES:
                costs = curve.cost(
                    inst, CURVE_TABLE_NOTIONALS_USD, HEDGE_HORIZON_DAYS, regime, side
                )
                row: dict[str, Any] = {"instrument": inst, "trade_side": side, "regime": regime}
                for q, v in zip(CURVE_TABLE_NOTIONALS_USD, np.atleast_1d(costs), strict=True):
                    row[f"cost_{q / 1e6:,.0f}mm_bp".replace(",", "")] = float(v)
                row["primary_from_usd"] = float(cross.get((inst, side, regime), np.nan))
                rows.append(row)
        table = pd.DataFrame(rows).set_index(["instrument", "trade_side", "regime"])
        main = instruments[0]
        side = str(legs.loc[main, "trade_side"]) if len(legs) else "sell"
        fig, axes = _figure(12.0, 4.5, ncols=2)
        for ax, regime in zip(axes, REGIMES, strict=True):
            curve.plot(ax=ax, horizon_days=HEDGE_HORIZON_DAYS, regime=regime, trade_side=side)
        schema = curve.schema_version
        self.curve_files = written
        horizons = ", ".join(f"{h:g}" for h in CURVE_HORIZONS_DAYS)
        sec = Section(
            "curves",
            "Hedge-cost curves",
            [
                f"The cost of each hedge leg by size, horizon ({horizons} days), side and "
                "regime, with its components and the cheaper channel "
                f"(secondary market or creation/redemption). {len(curve.table):,} rows, schema "
                f"version {schema}, written as JSON and Parquet (the files pricing tools read) "
                "and CSV.",
            ],
        )
        sec.add_table("costs", f"Cost in bp at {HEDGE_HORIZON_DAYS:g} day", table)
        sec.add_figure("curves", f"Cost against size ({side}), normal and stress", fig)
        for p in written:
            sec.add_file(p, f"hedge-cost curve ({p.suffix[1:].upper()})")
        return sec, f"{len(curve.table):,} rows for {', '.join(instruments)}; schema {schema}"

    # ------------------------------------------------------------------ 9. backstop
    def backstop_step(self) -> tuple[Section, str]:
        from ..hedging import liquidity_backstop

        bs = liquidity_backstop(self.etf, self.mkt, self.regime, positions=self.positions)
        table = bs.to_frame()
        basket = bs.basket_summary()
        q = np.geomspace(1e7, 3e10, 40)
        fig, ax = _figure(8.0, 4.0)
        for regime, style in (("normal", "-"), ("stress", "--")):
            cost = [bs.creation_cost_bp(float(v), regime) for v in q]
            ax.plot(q / 1e6, cost, style, color="#4C72B0", label=f"creation cost, {regime}")
        ax.set_xscale("log")
        ax.set_xlabel("bonds exited through creation, USD mm")
        ax.set_ylabel("cost, bp", color="#4C72B0")
        ax2 = ax.twinx()
        for regime, style in (("normal", "-"), ("stress", "--")):
            ax2.plot(
                q / 1e6,
                bs.days_to_absorb(q, regime),
                style,
                color="#C44E52",
                label=f"days, {regime}",
            )
        ax2.set_ylabel("days of AP capacity", color="#C44E52")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper left")
        ax.set_title(f"{self.etf_name} liquidity backstop")
        cap = bs.capacity_usd_per_day
        sec = Section(
            "backstop",
            "The liquidity backstop",
            [
                f"Past the band, APs create or redeem {self.etf_name} shares, so the ETF's "
                f"cost curve flattens at the primary-market cost. AP capacity is "
                f"{_usd_mm(cap)} a day in the {self.regime} regime; the basket's bonds that "
                "the fund holds could leave through a creation basket.",
            ],
        )
        sec.add_table("regimes", "Band, width and AP capacity by regime", table)
        sec.add_table("basket", "The basket against the fund's creation route", basket)
        sec.add_figure("backstop", "Cost and days of exiting bonds through creation", fig)
        return sec, f"AP capacity {_usd_mm(cap)}/day ({self.regime})"

    # ------------------------------------------------------------------ 10. pre-trade
    def pretrade_step(self) -> tuple[Section, str]:
        from ..trading import pre_trade

        pre = pre_trade(self.basket, self.mkt)
        self.pre = pre
        t = pre.totals
        lines = pre.lines
        fig, ax = _figure(8.0, 4.5)
        pre.plot(ax=ax)
        sec = Section(
            "pretrade",
            "Pre-trade analysis",
            [
                f"Trading each bond alone (legging) would cost {t['legging_cost_bp']:.2f} bp "
                f"(${t['legging_cost_usd']:,.0f}): spread, impact and the price risk of "
                f"taking days to finish; as one portfolio trade priced by a representative "
                f"dealer ({pre.dealer}) {t['pt_cost_bp']:.2f} bp, a saving of "
                f"{t['saving_bp']:.2f} bp ({t['saving_share']:.0%} of the legging cost). "
                f"Regime {pre.regime}; lines ranked into liquidity buckets by {pre.bucket_by}.",
            ],
        )
        sec.add_table("lines", "Per line: liquidity, legging cost, risk", lines)
        sec.add_table("totals", "The basket", t)
        sec.add_table("buckets", "By liquidity bucket (1 = most liquid)", pre.buckets)
        sec.add_table("etf_overlap", "Which ETFs hold the basket's bonds", pre.etf_overlap)
        sec.add_figure("pretrade", "Legging against portfolio-trade cost", fig)
        head = (
            f"legging {t['legging_cost_bp']:.2f} bp vs portfolio trade {t['pt_cost_bp']:.2f} "
            f"bp: saving {t['saving_bp']:.2f} bp"
        )
        return sec, head

    # ------------------------------------------------------------------ 11. RFQ
    def rfq_step(self) -> tuple[Section, str]:
        from ..trading import run_rfq

        direction = self.direction
        from ..trading import dealer_panel

        # the panel is drawn from the market before the basket's bonds were added (their
        # inventories and axes are bonds the market knew); it quotes in the extended one
        base = (
            self.market
            if self.market.regime == self.regime
            else self.market.with_regime(self.regime)
        )
        panel = dealer_panel(base, n=3, seed=self.seed)
        rfq = run_rfq(self.basket, self.mkt, dealers=panel, direction=direction, seed=self.seed)
        self.rfq = rfq
        quotes = rfq.quotes
        alloc = rfq.allocation
        q = rfq.winning_quote
        fig, ax = _figure(8.0, 4.5)
        rfq.plot(ax=ax)
        cover = (
            f"; the cover, {rfq.cover}, bid ${rfq.cover_price_usd:,.2f}"
            if rfq.cover is not None
            else ""
        )
        sec = Section(
            "rfq",
            "RFQ and the all-in price",
            [
                f"{len(quotes)} dealers quote one all-in price for the whole basket "
                f"({direction.replace('_', ' ')}, {rfq.regime} regime): hedge cost + the "
                "expected cost of working the bonds out over the dealer's horizon (less where "
                "its axes offset) + a risk charge on the residual + margin. "
                f"{rfq.winner} wins at ${rfq.all_in_price_usd:,.2f} ({q.cost_bp:.2f} bp "
                f"below the mid value ${rfq.market_value_usd:,.2f}){cover}.",
                "The all-in price is allocated back to the lines (a DV01 share of the hedge "
                "cost and risk charge, a market-value share of the margin, each line's own "
                "working cost) and rounded to the cent so that the lines add up to it: "
                f"${alloc['value_usd'].sum():,.2f}.",
            ],
        )
        sec.add_table("quotes", "Every dealer's quote and its components", quotes)
        sec.add_table("allocation", "The winning price, line by line", alloc)
        sec.add_figure("quotes", "Quotes and their components", fig)
        head = f"{rfq.winner} wins at ${rfq.all_in_price_usd:,.0f} ({q.cost_bp:.2f} bp)"
        return sec, head

    # ------------------------------------------------------------------ 12. TCA
    def tca_step(self) -> tuple[Section, str]:
        from ..trading.posttrade import tca

        frame = self.rfq.to_tca()
        legging = self.pre.lines["legging_cost_bp"]
        frame["legging_cost_bp"] = legging.reindex(frame["id"]).to_numpy()
        result = tca(frame)
        t = result.totals
        table = result.to_frame(totals=True)
        fig, ax = _figure(9.0, 4.5)
        result.plot(ax=ax)
        cover = (
            f" Against the cover's prices the execution saved {-t['cost_vs_cover_bp']:.2f} bp."
            if "cost_vs_cover_bp" in t.index and np.isfinite(t["cost_vs_cover_bp"])
            else ""
        )
        sec = Section(
            "tca",
            "TCA of the execution",
            [
                f"Cost against the pre-trade mid, per line and weighted by market value: "
                f"{t['cost_bp']:.2f} bp (${t['cost_usd']:,.0f}), against a legging cost of "
                f"{t['legging_cost_bp']:.2f} bp (the pre-trade estimate): "
                + (
                    f"a saving of {t['savings_bp']:.2f} bp."
                    if t["savings_bp"] >= 0
                    else f"the portfolio trade cost {-t['savings_bp']:.2f} bp more than "
                    "legging would have."
                )
                + cover,
            ],
        )
        sec.add_table("lines", "TCA per line, value-weighted and plain averages", table)
        sec.add_figure("tca", "Cost, legging cost and saving per line", fig)
        head = (
            f"cost {t['cost_bp']:.2f} bp (${t['cost_usd']:,.0f}) vs legging "
            f"{t['legging_cost_bp']:.2f} bp: saving {t['savings_bp']:.2f} bp"
        )
        return sec, head

    # ------------------------------------------------------------------ 13. worked example
    def worked_example_step(self) -> tuple[Section, str]:
        from ..data import seed_path
        from ..trading.posttrade import tca

        path = seed_path("seed_tca_as_published.csv")
        published = pd.read_csv(path, dtype={"cusip": str})
        result = tca(published)
        table = result.to_frame(totals=True)
        explain = result.explain_average(PRINTED_AVERAGE_BP)
        t = result.totals
        fig, ax = _figure(9.0, 4.5)
        result.plot(ax=ax)
        sec = Section(
            "worked_example",
            "The seed's worked example: TCA as published",
            [
                "The brief's $50 MM, 10-bond sell basket, executed at one portfolio price "
                f"({path.name}). Per line, cost = (mid - execution) / mid x 1e4 for a client "
                "sale; the basket totals are weighted by market value: cost "
                f"{t['cost_bp']:.2f} bp (${t['cost_usd']:,.0f}), legging "
                f"{t['legging_cost_bp']:.2f} bp, saving {t['savings_bp']:.2f} bp.",
                "The printed 'Weighted Avg.' row (5.0 / 8.1 / 3.1 bp) is not value-weighted: "
                "it is close to the plain average of the lines "
                f"({result.plain_average['cost_bp']:.2f} / "
                f"{result.plain_average['legging_cost_bp']:.2f} / "
                f"{result.plain_average['savings_bp']:.2f} bp).",
                *result.notes()[2:],
            ],
        )
        sec.add_table("lines", "TCA per line, with the value-weighted and plain averages", table)
        sec.add_table("printed_average", "The printed average against both averages", explain)
        sec.add_figure("tca", "Cost, legging cost and saving per line", fig)
        head = (
            f"value-weighted cost {t['cost_bp']:.2f} bp (${t['cost_usd']:,.0f}), legging "
            f"{t['legging_cost_bp']:.2f} bp, saving {t['savings_bp']:.2f} bp"
        )
        return sec, head


def _progress(quiet: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]etfcore report[/bold] {task.description:<28}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=quiet,
    )


def _print_summary(steps: pd.DataFrame, html: Path, n_files: int, n_warnings: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="etfcore report", title_justify="left")
    table.add_column("step")
    table.add_column("result")
    table.add_column("s", justify="right")
    for _, row in steps.iterrows():
        table.add_row(str(row["title"]), str(row["result"]), f"{row['seconds']:.2f}")
    table.add_row("total", f"{n_files} files; page {html}", f"{steps['seconds'].sum():.2f}")
    console = Console()
    console.print(table)
    if n_warnings:
        console.print(f"{n_warnings} warning(s) from the data are listed on the page.")


def build_report(
    out: str | os.PathLike[str] = DEFAULT_OUT,
    basket: Any = None,
    holdings: str | os.PathLike[str] | None = None,
    curve: str | os.PathLike[str] | None = None,
    as_of: Any = None,
    regime: str = "normal",
    quiet: bool = False,
    seed: int = 0,
    *,
    etf: str | None = None,
    strict: bool = True,
) -> ReportResult:
    """Run the whole chain on a basket and write the report folder.

    Parameters
    ----------
    out : path-like, default ``"etfcore-report"``
        The report folder (created; files of the same names are replaced).
    basket : path-like, PortfolioBasket or pandas.DataFrame, optional
        A basket CSV (read by :func:`etfcore.io.read_basket`), a basket already read, or a
        DataFrame of market bonds (``id`` and ``par`` or ``market_value_usd``, optional
        ``trade_side``). Default: the bundled seed basket, read leniently as of the
        market's date.
    holdings : path-like, optional
        An iShares holdings file: the market is the fund's bonds priced from it
        (:func:`etfcore.market.etf_from_ishares`; the ticker comes from the file name).
        Default: the synthetic market.
    curve : path-like, optional
        A US Treasury par-yield file (the latest date on or before the as-of date is
        fitted, :func:`etfcore.fit_nss`) or a zero-curve CSV (``tenor_years``,
        ``zero_rate``). Default: the synthetic curve, or with ``holdings`` the real
        Treasury curve of the holdings' date.
    as_of : date-like, optional
        Trade date of the synthetic market and of the basket's checks (default
        :data:`DEFAULT_AS_OF`, 2024-12-02, before the seed basket's maturities). With
        ``holdings`` the market is of the file's date.
    regime : {"normal", "stress"}, default "normal"
        The regime the trade is hedged and priced in (bands, NAVs and simulations show
        both regimes whatever it is).
    quiet : bool, default False
        No progress and no summary table.
    seed : int, default 0
        Synthetic market and simulation seed.
    etf : str, optional
        The fund the NAV, band, premium and backstop sections describe (default
        ``IG_BROAD``, or the holdings file's fund).
    strict : bool, default True
        Passed to the readers of the user's files (the seed basket is always read
        leniently).

    Returns
    -------
    ReportResult
        The files written, the sections and the summary table (``steps``).

    Raises
    ------
    InputError
        A file that does not exist or cannot be read (the message starts with its path
        and says what is wrong), an output folder that cannot be created, a bad regime,
        date or ETF name.

    Notes
    -----
    The folder holds ``report.html`` (one section per step, figures embedded as base64
    PNGs, tables as HTML, links to every file), ``tables/<section>_<table>.csv`` and
    ``.parquet``, ``curves/hedge_cost_curve.json``, ``.parquet`` and ``.csv`` (schema
    version inside) and ``figures/<section>_<figure>.png``. Only public APIs run the
    chain: :func:`etfcore.trading._lines.basket_lines` (the layer's shared input), the
    fund, primary, dynamics and hedging layers. Warnings of etfcore's own classes (a
    lenient reader's list of problems, a curve not of the as-of date) are collected and
    listed on the page and in :attr:`ReportResult.warnings` rather than printed; other
    warnings pass through.

    Examples
    --------
    >>> from etfcore.report import build_report
    >>> result = build_report("etfcore-report", quiet=True)  # doctest: +SKIP
    >>> result.html.name  # doctest: +SKIP
    'report.html'
    """
    from ..state import check_regime

    regime = check_regime(regime)
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise InputError(f"seed: {seed!r} must be a whole number >= 0")
    folder = out_dir(out)
    for arg, what in ((holdings, "iShares holdings file"), (curve, "curve file")):
        if arg is not None:
            check_file(arg, what)
    if basket is not None and isinstance(basket, (str, os.PathLike)):
        check_file(basket, "basket")
    run = _Run(
        basket=basket,
        holdings=holdings,
        curve=curve,
        as_of=as_of,
        regime=regime,
        seed=int(seed),
        etf=etf,
        strict=strict,
        out=folder,
    )
    steps: list[tuple[str, str, Callable[[], tuple[Section, str]]]] = [
        ("market", "market and inputs", run.market_step),
        ("basket", "basket lines and risk", run.basket_step),
        ("etfs", "ETF analytics", run.etfs_step),
        ("nav", "NAV and iNAV", run.nav_step),
        ("band", "arbitrage bands", run.band_step),
        ("premium", "premium simulations", run.premium_step),
        ("hedge", "hedge selection and cost", run.hedge_step),
        ("curves", "hedge-cost curves", lambda: run.curves_step(folder)),
        ("backstop", "liquidity backstop", run.backstop_step),
        ("pretrade", "pre-trade analysis", run.pretrade_step),
        ("rfq", "RFQ and allocation", run.rfq_step),
        ("tca", "TCA", run.tca_step),
    ]
    if basket is None:
        steps.append(("worked_example", "the seed's worked example", run.worked_example_step))
    rows: list[dict[str, Any]] = []
    caught: list[str] = []
    sections: list[Section] = []
    with _progress(quiet) as progress, warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        task = progress.add_task("", total=len(steps) + 1)
        for key, title, fn in steps:
            progress.update(task, description=title)
            t0 = time.perf_counter()
            section, headline = fn()
            rows.append({"step": key, "title": title, "result": headline})
            rows[-1]["seconds"] = time.perf_counter() - t0
            sections.append(section)
            progress.advance(task)
        progress.update(task, description="writing the page")
        t0 = time.perf_counter()
        for w in record:
            if issubclass(w.category, EtfcoreWarning):
                text = f"{w.category.__name__}: {w.message}"
                if text not in caught:
                    caught.append(text)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        table = pd.DataFrame(rows).set_index("step")
        files = write_report(folder, sections, table, caught, title=_title(run))
        page_row = pd.DataFrame(
            {
                "title": ["tables, figures and page"],
                "result": [f"{len(files) + len(run.curve_files) + len(run.extra_files)} files"],
                "seconds": [time.perf_counter() - t0],
            },
            index=pd.Index(["page"], name="step"),
        )
        table = pd.concat([table, page_row])
        progress.advance(task)
    all_files = tuple(sorted({*files, *run.curve_files, *run.extra_files}))
    html = folder / "report.html"
    if not quiet:
        _print_summary(table, html, len(all_files), len(caught))
    return ReportResult(
        out=folder,
        html=html,
        files=all_files,
        sections=tuple(s.key for s in sections),
        warnings=tuple(caught),
        _steps=table,
    )


def _title(run: _Run) -> str:
    label = run.facts.get("basket_label", "basket")
    settle = run.facts.get("settlement")
    when = f", settlement {settle:%Y-%m-%d}" if settle is not None else ""
    return f"etfcore report: {label}, {run.etf_name}{when}"
