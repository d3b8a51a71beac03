"""``etfcore report``: the command line of :func:`etfcore.report.build_report`.

:func:`add_parser` registers the subcommand; the handler returns the exit code: 0, or 2
with one line on stderr naming the file and what is wrong (no traceback) for a bad path,
an unreadable file or a bad option (an :class:`~etfcore.InputError`, a
:class:`~etfcore.ConvergenceError` or an ``OSError``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["add_parser", "run"]


def run(args: argparse.Namespace) -> int:
    """Handle ``etfcore report``: build the report, or one error line and exit code 2.

    Examples
    --------
    >>> import argparse
    >>> ns = argparse.Namespace(out="/tmp/x", basket="/no/such.csv", holdings=None,
    ...                         curve=None, as_of=None, regime="normal", quiet=True, seed=0,
    ...                         etf=None, lenient=False)
    >>> run(ns)
    2
    """
    from ..cli import error_line
    from ..errors import ConvergenceError, InputError
    from ._build import build_report

    try:
        build_report(
            out=args.out,
            basket=args.basket,
            holdings=args.holdings,
            curve=args.curve,
            as_of=args.as_of,
            regime=args.regime,
            quiet=args.quiet,
            seed=args.seed,
            etf=args.etf,
            strict=not args.lenient,
        )
    except (InputError, ConvergenceError, OSError) as exc:
        print(f"etfcore report: error: {error_line(exc)}", file=sys.stderr)
        return 2
    return 0


def add_parser(subparsers: Any) -> None:
    """Register ``etfcore report`` on an ``argparse`` subparsers object.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="etfcore")
    >>> add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["report", "--quiet", "--regime", "stress"])
    >>> args.out, args.regime, args.quiet, args.func is run
    ('etfcore-report', 'stress', True, True)
    """
    from ._build import DEFAULT_AS_OF, DEFAULT_OUT

    p = subparsers.add_parser(
        "report",
        help="run the whole chain on a basket and write a report folder (HTML, tables, curves)",
        description=(
            "Bond analytics of the basket and the ETFs, NAV and iNAV, arbitrage bands, "
            "premium simulations, the hedge and its cost, hedge-cost curves, the liquidity "
            "backstop, the RFQ and the TCA, written to a folder with one HTML page. With no "
            "arguments: the bundled seed basket on the synthetic market."
        ),
    )
    p.add_argument(
        "--basket",
        metavar="CSV",
        default=None,
        help="a basket CSV like the seed's (CUSIP or ISIN, coupon, maturity, market value or "
        "par, optional side); default: the bundled seed basket, read leniently",
    )
    p.add_argument(
        "--holdings",
        metavar="CSV",
        default=None,
        help="an iShares holdings file of the ETF (e.g. LQD); default: the synthetic market",
    )
    p.add_argument(
        "--curve",
        metavar="CSV",
        default=None,
        help="a Treasury par-yield file or a zero-curve CSV (tenor_years, zero_rate)",
    )
    p.add_argument(
        "--as-of",
        metavar="DATE",
        default=None,
        help=f"trade date of the synthetic market and the basket's checks (default "
        f"{DEFAULT_AS_OF}, before the seed basket's maturities; with --holdings the market "
        "is of the file's date)",
    )
    p.add_argument("--regime", choices=["normal", "stress"], default="normal")
    p.add_argument("--etf", default=None, help="the fund the fund sections describe")
    p.add_argument(
        "--out",
        metavar="DIR",
        default=DEFAULT_OUT,
        help=f"output folder (default ./{DEFAULT_OUT}/)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress and no summary")
    p.add_argument("--seed", type=int, default=0, help="market and simulation seed (default 0)")
    p.add_argument(
        "--lenient",
        action="store_true",
        help="read the user's files leniently: problems become warnings listed in the report",
    )
    p.set_defaults(func=run)
