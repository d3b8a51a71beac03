"""``etfcore tca FILE [--strict]``: print the TCA table of an executed basket from a CSV.

The file holds one row per line in any spelling :func:`etfcore.trading.posttrade.tca` accepts
(e.g. the seed's ``cusip, market_value_mm, pre_trade_mid, portfolio_exec_price,
legging_cost_bps``). The command prints each line's cost, legging cost and saving (and the
file's printed figures beside them when it has ``cost_bps`` / ``savings_bps``), the
value-weighted basket totals, the plain average and the note on why they differ. A file
that cannot be read or whose lines are bad prints one line on stderr naming the file and
returns 2.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..cli import error_line
from ..errors import DataWarning, InputError
from .posttrade import TcaResult, tca

#: Identifier columns read as text (CUSIPs with leading zeros stay as written).
_ID_COLUMNS = ("id", "cusip", "isin")


def add_parser(subparsers: Any) -> None:
    """Register ``tca FILE [--strict]`` on an ``argparse`` subparsers object.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="etfcore")
    >>> add_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["tca", "basket.csv", "--strict"]).strict
    True
    """
    p = subparsers.add_parser(
        "tca",
        help="TCA of an executed basket: cost vs the pre-trade mid, legging, saving",
        description=(
            "Print per-line and value-weighted TCA of a CSV with id (or cusip), market_value "
            "(USD) or market_value_mm, pre_trade_mid, execution_price (or "
            "portfolio_exec_price), optional legging_cost_bp(s) and trade_side (client's)."
        ),
    )
    p.add_argument("file", metavar="FILE", help="CSV of executed lines")
    p.add_argument(
        "--strict",
        action="store_true",
        help="refuse execution prices on the wrong side of the mid (default: report them)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``etfcore tca``: print the table, return the exit code (2 on bad files)."""
    path = Path(args.file)
    try:
        if not path.is_file():
            raise _FileProblem("no such file" if not path.exists() else "not a file")
        try:
            header = pd.read_csv(path, nrows=0)
            dtypes = {c: str for c in header.columns if str(c).lower() in _ID_COLUMNS}
            frame = pd.read_csv(path, dtype=dtypes)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise _FileProblem(f"not a readable CSV ({error_line(exc)})") from None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)  # the notes name wrong-side lines
            result = tca(frame, strict=bool(args.strict))
    except (_FileProblem, InputError, OSError) as exc:
        print(f"etfcore tca: {path}: {error_line(exc)}", file=sys.stderr)
        return 2
    print(render(result, path.name))
    return 0


class _FileProblem(Exception):
    pass


def render(result: TcaResult, name: str = "") -> str:
    """The text table ``etfcore tca`` prints (lines, both averages, notes).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.trading.posttrade import tca
    >>> r = tca(pd.DataFrame({"id": ["A"], "market_value": [1e6], "pre_trade_mid": [100.0],
    ...     "execution_price": [99.95]}))
    >>> "value-weighted" in render(r, "x.csv")
    True
    """
    f = result.lines
    t, a = result.totals, result.plain_average
    has_leg = bool(np.isfinite(t["legging_cost_bp"]))
    stated = [c for c in ("stated_cost_bp", "stated_savings_bp") if c in f.columns]
    cols: list[tuple[str, str, str]] = [
        ("side", "trade_side", "s"),
        ("value $mm", "market_value_usd", "mm"),
        ("mid", "pre_trade_mid", "p"),
        ("exec", "execution_price", "p"),
        ("cost bp", "cost_bp", "bp"),
        ("cost $", "cost_usd", "usd"),
    ]
    if has_leg:
        cols += [("legging bp", "legging_cost_bp", "bp"), ("saving bp", "savings_bp", "bp")]
    if result.has_cover:
        cols += [("vs cover bp", "cost_vs_cover_bp", "bp")]
    labels = {"stated_cost_bp": "printed cost", "stated_savings_bp": "printed saving"}
    cols += [(labels[c], c, "bp1") for c in stated]

    prices = np.concatenate([f["pre_trade_mid"].to_numpy(), f["execution_price"].to_numpy()])
    price_digits = next(
        (d for d in range(2, 7) if np.allclose(prices, np.round(prices, d), rtol=0, atol=1e-9)), 6
    )

    def cell(v: Any, kind: str) -> str:
        if kind == "s":
            return str(v)
        if v is None or (isinstance(v, float) and not np.isfinite(v)):
            return ""
        v = float(v)
        text = {
            "mm": f"{v / 1e6:,.2f}",
            "p": f"{v:.{price_digits}f}",
            "bp": f"{v:.2f}",
            "bp1": f"{v:.1f}",
            "usd": f"{v:,.0f}",
        }[kind]
        return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text

    rows = [[str(i), *(cell(r[c], k) for _, c, k in cols)] for i, r in f.iterrows()]
    foot = [
        ["value-weighted", *(cell(t[c], k) if c in t.index else "" for _, c, k in cols)],
        ["plain average", *(cell(a[c], k) if c in a.index else "" for _, c, k in cols)],
    ]
    header = ["id", *(h for h, _, _ in cols)]
    table = [header, *rows, *foot]
    widths = [max(len(r[j]) for r in table) for j in range(len(header))]

    def line(r: list[str]) -> str:
        return "  ".join(
            (x.ljust(w) if j == 0 else x.rjust(w))
            for j, (x, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()

    rule = "-" * len(line(header))
    out = [
        f"etfcore tca: {name}, {result.n_lines:,} lines, ${t['market_value_usd'] / 1e6:,.2f} mm"
        if name
        else f"etfcore tca: {result.n_lines:,} lines",
        line(header),
        rule,
        *(line(r) for r in rows),
        rule,
        *(line(r) for r in foot),
        "",
    ]
    summary = (
        f"basket cost {t['cost_bp']:.2f} bp = ${t['cost_usd']:,.0f}"
        + (
            f"; legging {t['legging_cost_bp']:.2f} bp = ${t['legging_cost_usd']:,.0f}; saving "
            f"{t['savings_bp']:.2f} bp = ${t['savings_usd']:,.0f}"
            if has_leg
            else ""
        )
        + " (value-weighted)"
    )
    out.append(summary)
    out += [f"note: {n}" for n in result.notes()]
    return "\n".join(out)


__all__ = ["add_parser", "render", "run"]
