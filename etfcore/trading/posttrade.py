"""Post-trade TCA: cost against the pre-trade mid, legging cost and saving, value-weighted.

:func:`tca` takes one row per line of an executed basket (its market value, the
pre-trade mid and the price it was executed at, optionally the estimated cost of
trading that bond alone, "legging") and returns a :class:`TcaResult`: per line and
for the basket, the cost in bp and in USD, the legging cost and the saving of the
portfolio trade over legging. Basket totals are **weighted by market value**.

Conventions
-----------
* **Cost, bp of the pre-trade mid**, signed by the client's side: a sale below the mid or
  a purchase above it is a positive cost::

      cost_bp = s x (pre_trade_mid - execution_price) / pre_trade_mid x 1e4,
      s = +1 for a client sale, -1 for a client purchase.

  The seed's worked example decides the denominator: bp of the mid reproduces its two
  un-rounded figures (06051GHD4: 101.20 -> 101.16 is 3.953 bp; 20030NBD4: 101.10 ->
  101.06 is 3.956 bp), bp of the execution price gives 3.954 and 3.958, and per 100 of
  face 4.0 for both.
* ``cost_usd = market_value_usd x cost_bp / 1e4``: the market value is taken as the
  line's value at the pre-trade mid, so ``cost_usd`` is the shortfall of the execution
  against the mid in dollars (par x (mid - execution) / 100 for a sale). When the lines
  carry their ``par`` the shortfall is computed from it and ``cost_bp`` is in bp of the
  market value, which may then include accrued interest: the TCA of an RFQ allocation
  (``tca(run_rfq(...))``, :func:`rfq_lines`) then adds up to the winning dealer's cost to
  the cent, and :meth:`TcaResult.against` sets it beside the quote's components and the
  cover.
* ``savings_bp = legging_cost_bp - cost_bp`` (positive: the portfolio trade was
  cheaper than trading each bond alone).
* Basket totals: ``sum(weight x x)`` with ``weight = market_value_usd / total``; so
  ``totals["cost_usd"] == totals["market_value_usd"] x totals["cost_bp"] / 1e4`` and the
  per-line dollars add up to the basket's. The plain (unweighted) mean of the lines is
  reported beside them, as ``plain_average``, because a printed "Weighted Avg." row is
  often that.

The seed's worked example (``etfcore.data.seed_path("seed_tca_as_published.csv")``, a $50 MM,
10-bond sell basket): the value-weighted cost is 4.78 bp ($23,894), legging 7.60 bp and
saving 2.82 bp; the brief's printed "Weighted Avg." row (5.0 / 8.1 / 3.1) is close to the
plain averages (4.95 / 8.10 / 3.15 bp) and is not value-weighted. Its printed per-line
costs are rounded to 0.1 bp except two that are truncated: 3.953 and 3.956 bp print as
3.9 (rounding would give 4.0), and its printed savings follow from those printed costs.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy
from .._validation import show
from ..errors import DataWarning, InputError
from ..liquidity._common import MIN_PLAUSIBLE_BP
from ..state import TRADE_SIDES

#: Accepted spellings of each input column (first: the canonical name), and the factor
#: that turns the column into the canonical unit (market values: USD).
COLUMN_ALIASES: dict[str, tuple[tuple[str, float], ...]] = {
    "id": (("id", 1.0), ("cusip", 1.0), ("isin", 1.0)),
    "market_value": (("market_value", 1.0), ("market_value_usd", 1.0), ("market_value_mm", 1e6)),
    "pre_trade_mid": (("pre_trade_mid", 1.0), ("pre_trade_mid_price", 1.0)),
    "execution_price": (
        ("execution_price", 1.0),
        ("portfolio_exec_price", 1.0),
        ("exec_price", 1.0),
    ),
    "par": (("par", 1.0), ("par_usd", 1.0)),
    "legging_cost_bp": (("legging_cost_bp", 1.0), ("legging_cost_bps", 1.0)),
    "trade_side": (("trade_side", 1.0), ("side", 1.0)),
    "cover_price": (("cover_price", 1.0),),
    # printed figures of a published TCA table, kept for comparison (never used to compute)
    "stated_cost_bp": (("cost_bp", 1.0), ("cost_bps", 1.0)),
    "stated_savings_bp": (("savings_bp", 1.0), ("savings_bps", 1.0)),
}
#: Columns :func:`tca` must find (under one of their spellings).
REQUIRED = ("id", "market_value", "pre_trade_mid", "execution_price")
#: An execution price more than this fraction away from its mid is refused as a unit
#: mix-up (a price per 1 against a mid per 100, a yield in the price column).
PRICE_RATIO_GUARD = 0.5
#: Relative tolerance of ``total_market_value`` against the sum of the lines (1e-9 of
#: $50 MM is 5 cents), plus half a cent absolute.
TOTAL_RTOL = 1e-9
TOTAL_ATOL_USD = 0.005
#: Per-line columns of :attr:`TcaResult.lines`, in order.
LINE_COLUMNS = (
    "trade_side",
    "market_value_usd",
    "weight",
    "pre_trade_mid",
    "execution_price",
    "cost_bp",
    "cost_usd",
    "legging_cost_bp",
    "legging_cost_usd",
    "savings_bp",
    "savings_usd",
    "wrong_side",
)
#: Cover columns (after ``wrong_side``), only when a cover price is given.
COVER_COLUMNS = ("cover_price", "cover_cost_bp", "cost_vs_cover_bp", "cost_vs_cover_usd")
#: Quantities averaged two ways in :attr:`TcaResult.totals` / :attr:`TcaResult.plain_average`.
BP_COLUMNS = ("cost_bp", "legging_cost_bp", "savings_bp")
_MAX_LISTED = 20


# ------------------------------------------------------------------ result
@dataclass(frozen=True, repr=False)
class TcaResult:
    """TCA of an executed basket, per line and value-weighted for the basket.

    Built by :func:`tca`. Properties return copies (the result is frozen).

    Attributes
    ----------
    lines : pandas.DataFrame
        One row per line, indexed by ``id``: ``trade_side`` (the client's),
        ``market_value_usd``, ``weight`` (share of the basket's market value),
        ``pre_trade_mid``, ``execution_price``, ``cost_bp`` / ``cost_usd``,
        ``legging_cost_bp`` / ``legging_cost_usd``, ``savings_bp`` / ``savings_usd``
        (NaN without a legging estimate), ``wrong_side`` (execution on the wrong side
        of the mid: a negative cost); with a cover, ``cover_price``, ``cover_cost_bp``
        (the cost had the cover been executed), ``cost_vs_cover_bp`` / ``_usd``
        (``cost_bp - cover_cost_bp``: negative when the winner beat the cover); and
        ``stated_cost_bp`` / ``stated_savings_bp`` when the input carried printed
        figures, then any other input columns as they came.
    totals : pandas.Series
        The basket: ``n_lines``, ``market_value_usd``, value-weighted ``cost_bp``,
        ``legging_cost_bp``, ``savings_bp`` (and ``cover_cost_bp``,
        ``cost_vs_cover_bp``), the dollar sums ``cost_usd``, ``legging_cost_usd``,
        ``savings_usd`` (``cost_vs_cover_usd``) and ``n_wrong_side``.
    plain_average : pandas.Series
        The unweighted mean of each bp column over the lines: what a "weighted
        average" row that is not value-weighted shows.
    wrong_side_ids : tuple
        Ids of the lines executed on the wrong side of their mid.
    strict : bool
    context : tuple of str
        Where the lines came from (an RFQ: its winner and cover), printed in the notes.

    Examples
    --------
    >>> import pandas as pd
    >>> r = tca(pd.DataFrame({"id": ["A", "B"], "market_value": [6e6, 2e6],
    ...     "pre_trade_mid": [100.0, 98.0], "execution_price": [99.95, 97.90],
    ...     "legging_cost_bp": [8.0, 15.0]}))
    >>> t, a = r.totals, r.plain_average
    >>> print(f"{t['cost_bp']:.2f} bp value-weighted, {a['cost_bp']:.2f} bp plain average")
    6.30 bp value-weighted, 7.60 bp plain average
    """

    _lines: pd.DataFrame
    _totals: pd.Series
    _plain_average: pd.Series
    wrong_side_ids: tuple[Any, ...]
    strict: bool
    context: tuple[str, ...] = ()

    # -------------------------------------------------------------- access
    @property
    def lines(self) -> pd.DataFrame:
        """Per-line TCA, indexed by ``id`` (a copy; columns in the class docstring)."""
        return frame_copy(self._lines)

    @property
    def totals(self) -> pd.Series:
        """Basket totals: value-weighted bp, summed USD (a copy)."""
        return frame_copy(self._totals)

    @property
    def plain_average(self) -> pd.Series:
        """Unweighted means of the per-line bp columns (a copy)."""
        return frame_copy(self._plain_average)

    @property
    def n_lines(self) -> int:
        """Number of lines."""
        return len(self._lines)

    @property
    def has_cover(self) -> bool:
        """Whether a cover price was given (the cover columns are present)."""
        return "cover_cost_bp" in self._lines.columns

    def __repr__(self) -> str:
        t = self._totals
        legging = (
            f", legging {t['legging_cost_bp']:.2f} bp, saving {t['savings_bp']:.2f} bp"
            if np.isfinite(t["legging_cost_bp"])
            else ""
        )
        wrong = f", {len(self.wrong_side_ids)} on the wrong side" if self.wrong_side_ids else ""
        return (
            f"TcaResult({self.n_lines:,} lines, ${t['market_value_usd']:,.0f}: cost "
            f"{t['cost_bp']:.2f} bp (${t['cost_usd']:,.0f}){legging}, value-weighted{wrong})"
        )

    # -------------------------------------------------------------- tables
    def to_frame(self, totals: bool = False) -> pd.DataFrame:
        """The per-line table (a copy), optionally with the two average rows under it.

        Parameters
        ----------
        totals : bool, default False
            Append a ``value_weighted`` row (the basket: bp weighted by market value,
            USD summed) and a ``plain_average`` row (unweighted means of the bp columns;
            its USD cells are empty). The index then holds the ids and these two labels.

        Examples
        --------
        >>> import pandas as pd
        >>> r = tca(pd.DataFrame({"id": ["A", "B"], "market_value": [6e6, 2e6],
        ...     "pre_trade_mid": [100.0, 98.0], "execution_price": [99.95, 97.90]}))
        >>> list(r.to_frame(totals=True).index)
        ['A', 'B', 'value_weighted', 'plain_average']
        """
        out = frame_copy(self._lines)
        if not totals:
            return out
        t = self._totals
        weighted = {c: t[c] for c in out.columns if c in t.index}
        weighted["weight"] = 1.0
        rows = pd.DataFrame(
            [weighted, dict(self._plain_average)], index=["value_weighted", "plain_average"]
        )
        frame = pd.concat([out.astype({"wrong_side": object}), rows.astype(object)], axis=0)
        frame.index.name = out.index.name
        return frame

    def explain_average(self, printed: Mapping[str, float]) -> pd.DataFrame:
        """Set a printed basket average beside the value-weighted and plain averages.

        Parameters
        ----------
        printed : mapping
            Printed figures by column, e.g. ``{"cost_bp": 5.0, "legging_cost_bp": 8.1,
            "savings_bp": 3.1}`` (the seed's "Weighted Avg." row).

        Returns
        -------
        pandas.DataFrame
            One row per quantity: ``printed_bp``, ``value_weighted_bp``,
            ``plain_average_bp``, the printed figure's distance to each
            (``printed_minus_value_weighted_bp``, ``printed_minus_plain_average_bp``) and
            ``closer_to`` (``"value_weighted"`` or ``"plain_average"``).

        Examples
        --------
        >>> import pandas as pd
        >>> r = tca(pd.DataFrame({"id": ["A", "B"], "market_value": [6e6, 2e6],
        ...     "pre_trade_mid": [100.0, 98.0], "execution_price": [99.95, 97.90]}))
        >>> r.explain_average({"cost_bp": 7.5})["closer_to"].iloc[0]
        'plain_average'
        """
        rows = {}
        for name, value in printed.items():
            if name not in BP_COLUMNS:
                raise InputError(
                    f"explain_average: unknown quantity {name!r}; use one of {list(BP_COLUMNS)}"
                )
            p = float(value)
            w = float(self._totals[name])
            a = float(self._plain_average[name])
            rows[name] = {
                "printed_bp": p,
                "value_weighted_bp": w,
                "plain_average_bp": a,
                "printed_minus_value_weighted_bp": p - w,
                "printed_minus_plain_average_bp": p - a,
                "closer_to": "value_weighted" if abs(p - w) <= abs(p - a) else "plain_average",
            }
        return pd.DataFrame.from_dict(rows, orient="index")

    def against(self, rfq: Any) -> pd.DataFrame:
        """The realised cost against the winner's quote components and the cover's quote.

        Parameters
        ----------
        rfq : RfqResult
            The RFQ these lines were executed in (:func:`etfcore.trading.run_rfq`); the
            lines must be its lines.

        Returns
        -------
        pandas.DataFrame
            Rows: the winner's components (``hedge_cost``, ``working_cost``,
            ``risk_charge``, ``margin``), ``winner_quote`` (their sum, the winner's
            quoted cost), ``tca_cost`` (what this TCA measured), ``tca_minus_quote``
            (rounding to the cent; about zero when the TCA is of the RFQ's allocation),
            ``cover_quote`` (the cover's quoted cost; NaN without a cover) and
            ``saving_vs_cover`` (cover quote minus the TCA cost). Columns: ``usd``,
            ``bp`` (of the RFQ's mid market value) and ``share_of_quote`` (of the winner's
            quoted cost). ``attrs`` holds the winner's and cover's names.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.trading import run_rfq
        >>> m = synthetic_market(0)
        >>> ids = m.etfs["IG_SHORT"].holdings.index[:10]
        >>> rfq = run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m)
        >>> t = tca(rfq).against(rfq)
        >>> bool(abs(t.loc["tca_minus_quote", "usd"]) < 0.01)
        True
        """
        if not _is_rfq(rfq):
            raise InputError(
                f"against: expected an RfqResult (etfcore.trading.run_rfq), got "
                f"{type(rfq).__name__}"
            )
        a = rfq.allocation
        ours = self._lines.index
        if len(ours) != len(a) or not ours.isin(a.index).all():
            extra = ours.difference(a.index)
            gone = a.index.difference(ours)
            raise InputError(
                f"against: the TCA's {len(ours)} lines are not the RFQ's {len(a)} lines "
                f"({len(extra)} not in the RFQ, e.g. {list(extra[:3])}; {len(gone)} missing, "
                f"e.g. {list(gone[:3])}); run tca on the RFQ (tca(rfq)) or its lines"
            )
        mv = float(rfq.market_value_usd)
        win = rfq.winning_quote
        usd: dict[str, float] = {
            name.removesuffix("_usd"): float(win.components[name]) for name in win.components
        }
        usd["winner_quote"] = float(win.cost_usd)
        usd["tca_cost"] = float(self._totals["cost_usd"])
        usd["tca_minus_quote"] = usd["tca_cost"] - usd["winner_quote"]
        cover = rfq.dealer_quotes[rfq.cover].cost_usd if rfq.cover is not None else np.nan
        usd["cover_quote"] = float(cover)
        usd["saving_vs_cover"] = usd["cover_quote"] - usd["tca_cost"]
        out = pd.DataFrame({"usd": pd.Series(usd)})
        out["bp"] = out["usd"] / mv * 1e4
        quoted = usd["winner_quote"]
        out["share_of_quote"] = out["usd"] / quoted if quoted else np.nan
        out.attrs = {"winner": rfq.winner, "cover": rfq.cover}
        return out

    def by(self, groups: Any) -> pd.DataFrame:
        """Value-weighted TCA by group (liquidity bucket, sector, dealer...).

        Parameters
        ----------
        groups : str, pandas.Series or mapping
            A column of :attr:`lines` (an input column passed through, e.g.
            ``"sector"``), or a label per line id.

        Returns
        -------
        pandas.DataFrame
            One row per group: ``n_lines``, ``market_value_usd``, value-weighted
            ``cost_bp``, ``legging_cost_bp``, ``savings_bp`` and summed ``cost_usd``,
            ``savings_usd``.

        Examples
        --------
        >>> import pandas as pd
        >>> r = tca(pd.DataFrame({"id": ["A", "B", "C"], "market_value": [6e6, 2e6, 2e6],
        ...     "pre_trade_mid": [100.0, 98.0, 99.0], "execution_price": [99.95, 97.9, 98.9],
        ...     "bucket": ["liquid", "illiquid", "illiquid"]}))
        >>> r.by("bucket")["n_lines"].to_dict()
        {'illiquid': 2, 'liquid': 1}
        """
        f = self._lines
        if isinstance(groups, str):
            if groups not in f.columns:
                raise InputError(
                    f"by: {groups!r} is not a column of the TCA lines; pass a Series of "
                    "labels by line id, or one of " + str(list(f.columns))
                )
            key = f[groups]
        else:
            key = pd.Series(groups) if isinstance(groups, Mapping) else groups
            if not isinstance(key, pd.Series):
                raise InputError(f"by: expected a column name or a Series by id, got {groups!r}")
            missing = f.index.difference(key.index)
            if len(missing):
                raise InputError(
                    f"by: no group for {len(missing)} line(s): "
                    + ", ".join(map(str, missing[:_MAX_LISTED]))
                )
            key = key.reindex(f.index)
        mv = f["market_value_usd"]
        g = pd.DataFrame({"key": key.to_numpy(), "mv": mv.to_numpy()})
        for c in BP_COLUMNS:
            g[c] = (f[c] * mv).to_numpy()
        g["cost_usd"] = f["cost_usd"].to_numpy()
        g["savings_usd"] = f["savings_usd"].to_numpy()
        s = g.groupby("key", sort=True)
        out = pd.DataFrame({"n_lines": s.size(), "market_value_usd": s["mv"].sum()})
        for c in BP_COLUMNS:
            out[c] = s[c].sum(min_count=1) / out["market_value_usd"]
        out["cost_usd"] = s["cost_usd"].sum()
        out["savings_usd"] = s["savings_usd"].sum(min_count=1)
        out.index.name = groups if isinstance(groups, str) else key.name
        return out

    # -------------------------------------------------------------- people
    def truncated_lines(self) -> tuple[Any, ...]:
        """Ids whose stated (printed) cost is the computed one truncated, not rounded, to 0.1 bp.

        Empty when the input carried no ``cost_bp`` / ``cost_bps`` column. A line is
        listed when its printed figure differs from ``round(cost_bp, 1)`` and equals the
        computed cost truncated toward zero at 0.1 bp (the seed: 3.953 and 3.956 bp
        print as 3.9).

        Examples
        --------
        >>> import pandas as pd
        >>> r = tca(pd.DataFrame({"id": ["A", "B"], "market_value": [1e6, 1e6],
        ...     "pre_trade_mid": [101.20, 100.0], "execution_price": [101.16, 99.95],
        ...     "cost_bps": [3.9, 5.0]}))
        >>> r.truncated_lines()
        ('A',)
        """
        f = self._lines
        if "stated_cost_bp" not in f.columns:
            return ()
        cost, stated = f["cost_bp"].to_numpy(), f["stated_cost_bp"].to_numpy()
        tol = 1e-9
        rounded = np.round(cost, 1)
        truncated = np.trunc(np.round(cost * 10, 9)) / 10
        hit = (np.abs(stated - rounded) > tol) & (np.abs(stated - truncated) <= tol)
        return tuple(f.index[hit].tolist())

    def notes(self) -> list[str]:
        """The conventions and caveats that :meth:`summary` prints, as sentences."""
        t, a = self._totals, self._plain_average
        out = [
            *self.context,
            "Cost = (pre-trade mid - execution) / mid x 1e4 for a client sale, the opposite "
            "sign for a purchase (positive: worse than the mid); with par given, bp of the "
            "mid market value (par x price shortfall / 100 over it); cost_usd = market value x "
            "cost_bp / 1e4; saving = legging cost - cost.",
            (
                f"Basket figures are weighted by market value: cost {t['cost_bp']:.2f} bp, "
                f"legging {t['legging_cost_bp']:.2f} bp, saving {t['savings_bp']:.2f} bp. The "
                f"plain (unweighted) average of the lines is {a['cost_bp']:.2f} / "
                f"{a['legging_cost_bp']:.2f} / {a['savings_bp']:.2f} bp: a printed 'weighted "
                "average' that matches it is not value-weighted."
            )
            if np.isfinite(t["legging_cost_bp"])
            else (
                f"Basket figures are weighted by market value: cost {t['cost_bp']:.2f} bp; the "
                f"plain (unweighted) average of the lines is {a['cost_bp']:.2f} bp. No legging "
                "cost was given, so legging and saving are empty."
            ),
        ]
        if self.wrong_side_ids:
            ids = ", ".join(map(str, self.wrong_side_ids[:_MAX_LISTED]))
            more = len(self.wrong_side_ids) - _MAX_LISTED
            out.append(
                f"{len(self.wrong_side_ids)} line(s) executed on the wrong side of the mid "
                f"(negative cost, kept in the totals): {ids}"
                + (f" and {more} more" if more > 0 else "")
                + "."
            )
        if "stated_cost_bp" in self._lines.columns:
            diff = (self._lines["cost_bp"] - self._lines["stated_cost_bp"]).abs()
            text = (
                f"Stated (printed) per-line costs differ from the computed ones by at most "
                f"{diff.max():.3f} bp."
            )
            truncated = self.truncated_lines()
            if truncated:
                f = self._lines.loc[list(truncated[:_MAX_LISTED])]
                shown = ", ".join(
                    f"{i} ({c:.3f} prints as {p:.1f})"
                    for i, c, p in zip(
                        f.index,
                        f["cost_bp"].to_numpy(),
                        f["stated_cost_bp"].to_numpy(),
                        strict=True,
                    )
                )
                text += f" Printed to 0.1 bp, rounded except {len(truncated)} truncated: {shown}."
            out.append(text)
        return out

    def summary(self, max_lines: int = 30) -> Any:
        """The basket's totals, both averages and the per-line table, with the notes.

        Parameters
        ----------
        max_lines : int, default 30
            Lines shown (the largest by market value when there are more).

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> import pandas as pd
        >>> r = tca(pd.DataFrame({"id": ["A", "B"], "market_value": [6e6, 2e6],
        ...     "pre_trade_mid": [100.0, 98.0], "execution_price": [99.95, 97.90]}))
        >>> "value-weighted" in str(r.summary())
        True
        """
        from .._results import make_summary

        t = self._totals
        basket = {
            "n_lines": int(t["n_lines"]),
            "market_value_usd": float(t["market_value_usd"]),
            "cost_usd": float(t["cost_usd"]),
            "legging_cost_usd": float(t["legging_cost_usd"]),
            "savings_usd": float(t["savings_usd"]),
            "n_wrong_side": int(t["n_wrong_side"]),
        }
        cols = [c for c in BP_COLUMNS]
        if self.has_cover:
            basket["cost_vs_cover_usd"] = float(t["cost_vs_cover_usd"])
            cols += ["cover_cost_bp", "cost_vs_cover_bp"]
        averages = pd.DataFrame(
            [t[cols].astype(float), self._plain_average.reindex(cols)],
            index=["value-weighted", "plain average"],
        )
        f = self._lines
        if len(f) > max_lines:
            f = f.loc[f["market_value_usd"].nlargest(max_lines).index]
        shown = ["trade_side", "market_value_usd", "pre_trade_mid", "execution_price", *cols]
        shown += [c for c in ("stated_cost_bp",) if c in f.columns]
        notes = self.notes()
        if len(self._lines) > max_lines:
            notes.append(f"Showing the {max_lines} largest of {len(self._lines):,} lines.")
        return make_summary(
            f"TCA: {self.n_lines:,} lines, cost against the pre-trade mid",
            [basket, averages, f[shown]],
            notes,
        )

    def plot(self, ax: Any = None, max_lines: int = 40) -> Any:
        """TCA per line: cost, legging cost and saving side by side, bp.

        Lines are sorted by saving. With more than ``max_lines`` lines the bars carry no
        id labels. Dashed lines mark the value-weighted basket figures.

        Returns the matplotlib Axes.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import pandas as pd
        >>> r = tca(pd.DataFrame({"id": ["A", "B"], "market_value": [6e6, 2e6],
        ...     "pre_trade_mid": [100.0, 98.0], "execution_price": [99.95, 97.90],
        ...     "legging_cost_bp": [8.0, 15.0]}))
        >>> r.plot().get_ylabel()
        'bp of the pre-trade mid'
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(9, 4), layout="constrained")
        f = self._lines.sort_values(["savings_bp", "cost_bp"])
        x = np.arange(len(f))
        width = 0.28
        colors = {"cost_bp": "#C44E52", "legging_cost_bp": "#8172B2", "savings_bp": "#55A868"}
        labels = {"cost_bp": "cost", "legging_cost_bp": "legging cost", "savings_bp": "saving"}
        t = self._totals
        for k, c in enumerate(BP_COLUMNS):
            if not np.isfinite(t[c]):
                continue
            ax.bar(
                x + (k - 1) * width,
                f[c],
                width,
                color=colors[c],
                label=f"{labels[c]} (basket {t[c]:.2f} bp)",
            )
            ax.axhline(t[c], color=colors[c], ls="--", lw=1)
        if len(f) <= max_lines:
            ax.set_xticks(x, [str(i) for i in f.index], rotation=60, ha="right", fontsize=8)
            ax.set_xlabel("line")
        else:
            ax.set_xlabel(f"line ({len(f):,}, sorted by saving)")
        ax.axhline(0.0, color="black", lw=0.6)
        ax.set_ylabel("bp of the pre-trade mid")
        ax.set_title(
            f"TCA per line: value-weighted cost {t['cost_bp']:.2f} bp "
            f"(${t['cost_usd']:,.0f}) against the pre-trade mid"
        )
        ax.legend(fontsize=8)
        return ax


# ------------------------------------------------------------------ the function
def tca(
    lines: Any,
    strict: bool = False,
    *,
    total_market_value: float | None = None,
    legging_cost_bp: Any = None,
) -> TcaResult:
    """TCA of an executed basket against the pre-trade mids, per line and value-weighted.

    Parameters
    ----------
    lines : pandas.DataFrame or RfqResult
        One row per line (or indexed by ``id``), or the result of
        :func:`etfcore.trading.run_rfq` (its allocation, with the winner's prices and the
        cover's, see :func:`rfq_lines`). Columns, with the spellings accepted:

        * ``id`` (or ``cusip``, ``isin``): unique line identifier;
        * ``market_value`` (USD; or ``market_value_usd`` USD, or ``market_value_mm`` in
          USD **millions**, as the seed's file): the line's value at the pre-trade mid;
        * ``pre_trade_mid``: the mid price before the trade (per 100 face);
        * ``execution_price`` (or ``portfolio_exec_price``, ``exec_price``): the price
          the line was executed at, same unit as the mid;
        * optional ``par`` (or ``par_usd``), USD face: then ``cost_usd`` is the cash
          shortfall ``par x (mid - execution) / 100`` and ``cost_bp`` is it in bp of
          ``market_value`` (which may then include accrued interest);
        * optional ``legging_cost_bp`` (or ``legging_cost_bps``): the estimated cost of
          trading the bond alone, bp of market value (>= 0);
        * optional ``trade_side`` (or ``side``): the client's, ``"sell"`` (default) or
          ``"buy"`` (case and surrounding blanks ignored);
        * optional ``cover_price``: the price of the cover (second-best) quote for the
          line, same unit as the mid;
        * optional printed figures ``cost_bp`` / ``cost_bps`` and ``savings_bp`` /
          ``savings_bps``: kept as ``stated_cost_bp`` / ``stated_savings_bp`` for
          comparison, never used to compute.

        Other columns are passed through to :attr:`TcaResult.lines`.
    strict : bool, default False
        Execution prices on the wrong side of the mid (a sale above it, a purchase below
        it) raise an InputError naming the lines; otherwise a :class:`DataWarning`
        names them, and they stay in the totals with their negative cost and
        ``wrong_side = True``.
    total_market_value : float, optional
        The basket's stated market value, USD: the lines must add up to it.
    legging_cost_bp : pandas.Series, mapping or float, optional
        Legging cost by line id (e.g. ``pre_trade(...).lines["legging_cost_bp"]``), bp;
        every line needs one. Not with a ``legging_cost_bp`` column.

    Returns
    -------
    TcaResult

    Raises
    ------
    InputError
        Naming the rows and ids: a missing column, a missing (NaN), zero or negative
        mid, execution price or market value, a negative or NaN legging cost (or legging
        costs all below 0.05 bp: decimals), an unknown side, duplicate ids, an execution
        price more than 50% from its mid (a unit mix-up), lines that do not add up to
        ``total_market_value``, and in strict mode wrong-side prices; a
        ``legging_cost_bp`` argument that misses lines.

    Notes
    -----
    ``cost_bp = s (mid - execution) / mid x 1e4`` with ``s = +1`` for a client sale
    and ``-1`` for a purchase (bp of the pre-trade mid: the seed's two unrounded figures,
    3.953 and 3.956 bp, decide it, see the module docstring); ``cost_usd =
    market_value x cost_bp / 1e4``. With ``par``, ``cost_bp = s (mid - execution) x 100
    par / market_value``: bp of the mid market value, so that with dirty market values
    (an RFQ allocation) ``cost_usd`` is the cash shortfall and equals the dealer's
    cost to rounding; without ``par`` the two definitions agree (``par = 100
    market_value / mid``); ``savings_bp = legging_cost_bp - cost_bp``;
    ``cover_cost_bp`` is the same formula at the cover price and ``cost_vs_cover_bp =
    cost_bp - cover_cost_bp``. Basket bp figures are weighted by market value and the
    dollars are summed, so the lines add up to the basket exactly; the unweighted mean
    is :attr:`TcaResult.plain_average`. All of it is array arithmetic (100,000 lines
    take a few milliseconds, ``benchmarks/bench_tca.py``).

    Examples
    --------
    The first three lines of the seed's worked example:

    >>> import pandas as pd
    >>> lines = pd.DataFrame({"cusip": ["00287YAE9", "92343VBG8", "06051GHD4"],
    ...     "market_value_mm": [6.5, 7.0, 5.5], "pre_trade_mid": [98.50, 92.75, 101.20],
    ...     "portfolio_exec_price": [98.45, 92.70, 101.16],
    ...     "legging_cost_bps": [8.0, 9.0, 6.0]})
    >>> r = tca(lines)
    >>> r.lines["cost_bp"].round(3).tolist()
    [5.076, 5.391, 3.953]
    >>> print(f"{r.totals['cost_bp']:.2f} bp, ${r.totals['cost_usd']:,.0f}")
    4.87 bp, $9,247
    """
    context: tuple[str, ...] = ()
    if _is_rfq(lines):
        context = (_rfq_note(lines),)
        lines = rfq_lines(lines)
    frame = _canonical_frame(lines)
    if legging_cost_bp is not None:
        frame["legging_cost_bp"] = _legging_argument(legging_cost_bp, frame)
    ids = frame["id"]
    labels = _Labels(ids)
    problems: list[str] = []
    mv = _positive_column(frame, "market_value", labels, problems)
    mid = _positive_column(frame, "pre_trade_mid", labels, problems)
    px = _positive_column(frame, "execution_price", labels, problems)
    legging = _legging_column(frame, labels, problems) if "legging_cost_bp" in frame else None
    cover = (
        _positive_column(frame, "cover_price", labels, problems) if "cover_price" in frame else None
    )
    par = _positive_column(frame, "par", labels, problems) if "par" in frame else None
    sign, side = _sides(frame, labels, problems)
    index = pd.Index(ids.array, name="id", copy=False)
    if not index.is_unique:
        dup = ids.duplicated(keep=False).to_numpy()
        groups: dict[Any, list[int]] = {}
        for i in np.flatnonzero(dup):
            groups.setdefault(ids.iat[int(i)], []).append(int(i))
        for key, where in list(groups.items())[:_MAX_LISTED]:
            problems.append(
                f"id {key!r} appears on rows {', '.join(map(str, where))}: each line once "
                "(aggregate its market value first)"
            )
    if problems:
        raise InputError.from_problems("tca lines", _cap(problems))
    ratio = np.abs(px / mid - 1.0)
    far = np.flatnonzero(ratio > PRICE_RATIO_GUARD)
    if len(far):
        raise InputError.from_problems(
            "tca lines",
            _cap(
                f"{labels[i]}: execution_price {show(px[i])} is more than "
                f"{PRICE_RATIO_GUARD:.0%} from pre_trade_mid {show(mid[i])}: are both per 100 "
                "face?"
                for i in far
            ),
        )
    if par is not None:
        value_price = mv / par * 100.0
        far = np.flatnonzero(np.abs(value_price / mid - 1.0) > PRICE_RATIO_GUARD)
        if len(far):
            raise InputError.from_problems(
                "tca lines",
                _cap(
                    f"{labels[i]}: market_value / par x 100 = {value_price[i]:.4g} is more than "
                    f"{PRICE_RATIO_GUARD:.0%} from pre_trade_mid {show(mid[i])}: are market "
                    "value and par both in USD?"
                    for i in far
                ),
            )
    total = float(mv.sum())
    if total_market_value is not None:
        stated = _stated_total(total_market_value)
        if not abs(total - stated) <= TOTAL_RTOL * abs(stated) + TOTAL_ATOL_USD:
            raise InputError(
                f"tca lines: the {len(mv):,} lines add up to ${total:,.2f} but "
                f"total_market_value is ${stated:,.2f} (difference ${total - stated:+,.2f}): "
                "a line is missing or a market value is wrong (market values are USD; "
                "market_value_mm is millions)"
            )

    # one (columns x lines) block holds every float column: the frame wraps it uncopied
    names = list(LINE_COLUMNS[1:-1])
    if cover is not None:
        names += list(COVER_COLUMNS)
    names += [c for c in ("stated_cost_bp", "stated_savings_bp") if c in frame]
    block = np.empty((len(names), len(mv)))
    col = {c: block[j] for j, c in enumerate(names)}
    col["market_value_usd"][:] = mv
    col["pre_trade_mid"][:] = mid
    col["execution_price"][:] = px
    # bp of the mid value per unit of price shortfall: 1e4 / mid, or 100 par / mv with par
    per_price = 1e4 / mid if par is None else 100.0 * par / mv
    cost_bp = col["cost_bp"]
    np.subtract(mid, px, out=cost_bp)
    cost_bp *= sign
    cost_bp *= per_price
    wrong = cost_bp < 0.0
    wrong_ids = tuple(index[wrong].tolist()) if wrong.any() else ()
    if wrong_ids:
        message = _wrong_side_message(np.flatnonzero(wrong), labels, side, px, mid, cost_bp)
        if strict:
            raise InputError(message)
        warnings.warn(message, DataWarning, stacklevel=2)
    np.divide(mv, total, out=col["weight"])
    mv_bp = mv * 1e-4  # USD per bp of each line
    np.multiply(mv_bp, cost_bp, out=col["cost_usd"])
    col["legging_cost_bp"][:] = legging if legging is not None else np.nan
    np.multiply(mv_bp, col["legging_cost_bp"], out=col["legging_cost_usd"])
    np.subtract(col["legging_cost_bp"], cost_bp, out=col["savings_bp"])
    np.multiply(mv_bp, col["savings_bp"], out=col["savings_usd"])
    if cover is not None:
        col["cover_price"][:] = cover
        np.subtract(mid, cover, out=col["cover_cost_bp"])
        col["cover_cost_bp"] *= sign
        col["cover_cost_bp"] *= per_price
        np.subtract(cost_bp, col["cover_cost_bp"], out=col["cost_vs_cover_bp"])
        np.multiply(mv_bp, col["cost_vs_cover_bp"], out=col["cost_vs_cover_usd"])
    for c in ("stated_cost_bp", "stated_savings_bp"):
        if c in frame:
            col[c][:] = _numbers(frame, c)
    out = pd.DataFrame(block.T, index=index, columns=names, copy=False)
    out.insert(0, "trade_side", side)
    out.insert(len(LINE_COLUMNS) - 1, "wrong_side", wrong)
    known = set(COLUMN_ALIASES)
    extra = {c: frame[c].array for c in frame if c not in known and c not in out.columns}
    if extra:
        out = pd.concat([out, pd.DataFrame(extra, index=index)], axis=1)
    data, weight = col, col["weight"]

    totals: dict[str, float] = {"n_lines": float(len(mv)), "market_value_usd": total}
    for c in ("cost", "legging_cost", "savings"):
        totals[f"{c}_bp"] = float(np.sum(weight * data[f"{c}_bp"]))
    for c in ("cost", "legging_cost", "savings"):
        totals[f"{c}_usd"] = float(data[f"{c}_usd"].sum())
    plain = {c: float(np.mean(data[c])) for c in BP_COLUMNS}
    if cover is not None:
        for c in ("cover_cost_bp", "cost_vs_cover_bp"):
            totals[c] = float(np.sum(weight * data[c]))
            plain[c] = float(np.mean(data[c]))
        totals["cost_vs_cover_usd"] = float(data["cost_vs_cover_usd"].sum())
    totals["n_wrong_side"] = float(len(wrong_ids))
    return TcaResult(
        _lines=out,
        _totals=pd.Series(totals, name="value_weighted"),
        _plain_average=pd.Series(plain, name="plain_average"),
        wrong_side_ids=wrong_ids,
        strict=bool(strict),
        context=context,
    )


# ------------------------------------------------------------------ helpers
def _canonical_frame(lines: Any) -> dict[str, pd.Series]:
    """The input's columns by canonical name, in canonical units (market value in USD).

    The Series keep the caller's index; every lookup below is positional.
    """
    if not isinstance(lines, pd.DataFrame):
        raise InputError(
            f"tca: expected a pandas DataFrame of lines, got {type(lines).__name__}; build one "
            "with columns id, market_value, pre_trade_mid, execution_price"
        )
    if "id" not in lines.columns and not any(a in lines.columns for a, _ in COLUMN_ALIASES["id"]):
        if lines.index.name in {a for a, _ in COLUMN_ALIASES["id"]}:
            lines = lines.reset_index()
    if len(lines) == 0:
        raise InputError("tca lines: the frame is empty; pass at least one executed line")
    renamed: dict[str, pd.Series] = {}
    used: set[str] = set()
    for canon, spellings in COLUMN_ALIASES.items():
        found = [(a, f) for a, f in spellings if a in lines.columns]
        if len(found) > 1:
            raise InputError(
                f"tca lines: columns {[a for a, _ in found]} all mean {canon!r}; keep one"
            )
        if found:
            alias, factor = found[0]
            col = lines[alias]
            if factor != 1.0:
                col = pd.to_numeric(col, errors="coerce") * factor
            renamed[canon] = col
            used.add(alias)
    missing = [c for c in REQUIRED if c not in renamed]
    if missing:
        spelled = "; ".join(
            f"{c} (or {', '.join(a for a, _ in COLUMN_ALIASES[c][1:])})" for c in missing
        )
        raise InputError(
            f"tca lines: missing column(s) {missing}: expected {spelled}; got "
            f"{[str(c) for c in lines.columns]}"
        )
    for c in lines.columns:
        if c not in used and c not in renamed:
            renamed[c] = lines[c]
    return renamed


class _Labels:
    """``row 3 (id 125581FE4)`` for row ``i``, built only for the rows that are named."""

    def __init__(self, ids: pd.Series) -> None:
        self._ids = ids

    def __getitem__(self, i: Any) -> str:
        return f"row {int(i)} (id {self._ids.iat[int(i)]})"


def _numbers(frame: dict[str, pd.Series], name: str) -> np.ndarray:
    col = frame[name]
    if pd.api.types.is_float_dtype(col.dtype):
        return col.to_numpy(dtype=float)
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)


def _positive_column(
    frame: dict[str, pd.Series], name: str, labels: _Labels, problems: list[str]
) -> np.ndarray:
    values = _numbers(frame, name)
    bad = ~(np.isfinite(values) & (values > 0))
    if bad.any():
        raw = frame[name]
        for i in np.flatnonzero(bad)[:_MAX_LISTED]:
            v: Any = raw.iat[int(i)]
            what = "is missing" if pd.isna(v) else f"{show(v)} must be a finite number > 0"
            problems.append(f"{labels[i]}: {name} {what}")
        if bad.sum() > _MAX_LISTED:
            problems.append(f"... and {int(bad.sum()) - _MAX_LISTED} more rows with bad {name}")
    return values


def _legging_column(
    frame: dict[str, pd.Series], labels: _Labels, problems: list[str]
) -> np.ndarray:
    values = _numbers(frame, "legging_cost_bp")
    bad = ~(np.isfinite(values) & (values >= 0))
    for i in np.flatnonzero(bad)[:_MAX_LISTED]:
        v: Any = frame["legging_cost_bp"].iat[int(i)]
        what = "is missing" if pd.isna(v) else f"{show(v)} must be a finite number >= 0 (bp)"
        problems.append(f"{labels[i]}: legging_cost_bp {what}")
    good = values[~bad]
    if good.size and 0 < good.max() < MIN_PLAUSIBLE_BP:
        problems.append(
            f"legging_cost_bp: the largest is {show(float(good.max()))} bp, which looks like a "
            f"decimal (a legging cost starts at {MIN_PLAUSIBLE_BP:g} bp); give basis points: "
            "8 bp is 8, not 0.0008"
        )
    return values


def _sides(
    frame: dict[str, pd.Series], labels: _Labels, problems: list[str]
) -> tuple[np.ndarray, Any]:
    """Sign (+1 sell, -1 buy) and the side word of each line (an array or a pandas array)."""
    n = len(frame["id"])
    if "trade_side" not in frame:
        return np.ones(n), np.full(n, "sell", dtype=object)
    col = frame["trade_side"]
    uniques = pd.unique(col)
    if all(isinstance(u, str) and u in TRADE_SIDES for u in uniques):  # the common case
        return np.where((col == "sell").to_numpy(dtype=bool), 1.0, -1.0), col.array
    codes, found = pd.factorize(col, use_na_sentinel=True)
    words = []
    for u in found:
        w = u.strip().lower() if isinstance(u, str) else u
        words.append(w if isinstance(w, str) and w in TRADE_SIDES else None)
    known = np.array([w is not None for w in words] + [False])
    bad = ~known[codes]  # code -1 (missing) indexes the trailing False
    for i in np.flatnonzero(bad)[:_MAX_LISTED]:
        problems.append(
            f"{labels[i]}: trade_side {show(col.iat[int(i)])} is not one of "
            f"{list(TRADE_SIDES)} (the client's side)"
        )
    lookup_sign = np.array([1.0 if w == "sell" else -1.0 for w in words] + [np.nan])
    word_table = np.array([w if w is not None else "" for w in words] + [""], dtype=object)
    return lookup_sign[codes], word_table[codes]


def _stated_total(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"total_market_value: {show(value)} is not a number (USD)") from None
    if not np.isfinite(v) or v <= 0:
        raise InputError(f"total_market_value: {show(value)} must be a finite number > 0 (USD)")
    return v


def _wrong_side_message(
    rows: np.ndarray,
    labels: _Labels,
    side: np.ndarray,
    px: np.ndarray,
    mid: np.ndarray,
    cost_bp: np.ndarray,
) -> str:
    parts = []
    for i in rows[:_MAX_LISTED]:
        where = "above" if px[i] > mid[i] else "below"
        parts.append(
            f"{labels[i]}: client {side[i]} at {px[i]:g}, {where} the mid {mid[i]:g} "
            f"({cost_bp[i]:+.2f} bp)"
        )
    more = f"; and {len(rows) - _MAX_LISTED} more" if len(rows) > _MAX_LISTED else ""
    return (
        f"tca lines: {len(rows)} execution price(s) on the wrong side of the pre-trade mid (a "
        "sale above the mid or a purchase below it; check the price, the mid or the side): "
        + "; ".join(parts)
        + more
    )


def _cap(problems: Any) -> list[str]:
    out = list(problems)
    if len(out) > _MAX_LISTED + 1:
        return [*out[:_MAX_LISTED], f"... and {len(out) - _MAX_LISTED} more"]
    return out


def _is_rfq(obj: Any) -> bool:
    return all(hasattr(obj, a) for a in ("allocation", "dealer_quotes", "winner", "cover"))


def _rfq_note(rfq: Any) -> str:
    cover = f", cover {rfq.cover}" if rfq.cover is not None else ", no cover"
    return (
        f"Lines from an RFQ ({rfq.direction}, {rfq.regime}): executed at {rfq.winner}'s "
        f"all-in price ${rfq.all_in_price_usd:,.2f}{cover}; prices are clean per 100, "
        "market values dirty (bp of the mid market value)."
    )


def rfq_lines(rfq: Any) -> pd.DataFrame:
    """The input of :func:`tca` for an RFQ: the winner's allocation and the cover's prices.

    Parameters
    ----------
    rfq : RfqResult
        From :func:`etfcore.trading.run_rfq`.

    Returns
    -------
    pandas.DataFrame
        One row per line: ``id``, ``par`` and ``market_value`` (USD, the mid value with
        accrued interest), ``pre_trade_mid`` and ``execution_price`` (clean, per 100:
        the allocation's), ``trade_side`` (the client's), ``channel`` (how the winner works
        the line out) and, when there is a cover, ``cover_price``: the clean price of
        the cover's quote allocated to the line as the winner's is
        (:attr:`RfqResult.cover_allocation`), else ``mid - s x cover line cost / par x
        100``.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.trading import run_rfq
    >>> m = synthetic_market(0)
    >>> ids = m.etfs["IG_SHORT"].holdings.index[:5]
    >>> list(rfq_lines(run_rfq(pd.DataFrame({"id": ids, "par": 1e6}), m)).columns)[:4]
    ['id', 'par', 'market_value', 'pre_trade_mid']
    """
    if not _is_rfq(rfq):
        raise InputError(
            f"rfq_lines: expected an RfqResult (etfcore.trading.run_rfq), got {type(rfq).__name__}"
        )
    a = rfq.allocation
    side = a["trade_side"].to_numpy()
    out = pd.DataFrame(
        {
            "id": a.index.to_numpy(),
            "par": a["par_usd"].to_numpy(dtype=float),
            "market_value": a["market_value_usd"].to_numpy(dtype=float),
            "pre_trade_mid": a["pre_trade_mid"].to_numpy(dtype=float),
            "execution_price": a["execution_price"].to_numpy(dtype=float),
            "trade_side": side,
        }
    )
    cover_allocation = getattr(rfq, "cover_allocation", None)
    if cover_allocation is not None:  # the cover's price allocated like the winner's
        out["cover_price"] = (
            cover_allocation["execution_price"].reindex(a.index).to_numpy(dtype=float)
        )
    elif rfq.cover is not None:
        cover_cost = rfq.dealer_quotes[rfq.cover].to_frame()["cost_usd"].reindex(a.index)
        sign = np.where(side == "sell", 1.0, -1.0)
        out["cover_price"] = (
            out["pre_trade_mid"].to_numpy()
            - sign * cover_cost.to_numpy(dtype=float) / out["par"].to_numpy() * 100.0
        )
    if "channel" in a.columns:
        out["channel"] = a["channel"].to_numpy()
    return out


def _legging_argument(value: Any, frame: dict[str, pd.Series]) -> pd.Series:
    """The ``legging_cost_bp`` argument as a column in line order (every line needs one)."""
    ids = frame["id"]
    if "legging_cost_bp" in frame:
        raise InputError(
            "legging_cost_bp: given twice (a column of the lines and the argument); keep one"
        )
    if isinstance(value, Mapping) and not isinstance(value, pd.Series):
        value = pd.Series(dict(value))
    if isinstance(value, pd.Series):
        missing = pd.Index(ids.to_numpy()).difference(value.index)
        if len(missing):
            shown = ", ".join(map(str, missing[:_MAX_LISTED]))
            raise InputError(
                f"legging_cost_bp: no legging cost for {len(missing)} line(s): {shown}; give "
                "one per line id"
            )
        if not value.index.is_unique:
            raise InputError("legging_cost_bp: the Series has duplicate ids; one value per line")
        return pd.Series(value.reindex(ids.to_numpy()).to_numpy(), index=ids.index)
    if np.ndim(value) == 0:
        return pd.Series(np.full(len(ids), value), index=ids.index)
    raise InputError(
        f"legging_cost_bp: expected a Series by line id, a mapping or one number, got "
        f"{type(value).__name__}"
    )
