"""``etfcore quote``: send a basket to a seeded dealer panel and print the RFQ.

Prints every dealer's all-in quote with its components, the winner and the cover, and
the allocation of the winning price to the lines. With no ``--basket`` the bundled seed
basket (``etfcore/data/seed/seed_basket.csv``, the brief's worked example) is read
leniently as of ``--as-of``; ``--basket CSV`` reads a file like it with
:func:`etfcore.io.read_basket` (strictly unless ``--lenient``). The market is the
synthetic market on the as-of date. A bad file or option prints one line on stderr naming
it and returns 2.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

from ..cli import error_line

#: The default as-of date: before the seed basket's maturities (the report uses the same).
DEFAULT_AS_OF = "2024-12-02"
#: Allocation lines printed before the rest are summed up.
MAX_PRINTED_LINES = 25

__all__ = ["DEFAULT_AS_OF", "add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    """Register ``quote`` on an ``argparse`` subparsers object.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="etfcore")
    >>> add_parser(parser.add_subparsers(dest="command"))
    >>> a = parser.parse_args(["quote", "--direction", "client_buys", "--dealers", "5"])
    >>> a.direction, a.dealers, a.regime, a.func is run
    ('client_buys', 5, 'normal', True)
    """
    p = subparsers.add_parser(
        "quote",
        help="RFQ: dealers quote one all-in price for a basket; winner, cover, allocation",
        description=(
            "Send a basket to a seeded panel of dealers on the synthetic market; print each "
            "quote (hedge cost, working cost, risk charge, margin), the winner and the cover, "
            "and the winning price allocated to the lines. Default basket: the bundled seed "
            "basket, read leniently."
        ),
    )
    p.add_argument(
        "--basket",
        metavar="CSV",
        default=None,
        help="a basket CSV like the seed's (CUSIP or ISIN, issuer, coupon, maturity, market "
        "value or par, optional side); default: the bundled seed basket",
    )
    p.add_argument(
        "--as-of",
        dest="as_of",
        default=DEFAULT_AS_OF,
        help=f"trade date of the market and of the basket checks (default {DEFAULT_AS_OF})",
    )
    p.add_argument(
        "--direction",
        choices=("client_sells", "client_buys"),
        default="client_sells",
        help="the client sells the basket (dealers bid) or buys it (they offer)",
    )
    p.add_argument("--dealers", type=int, default=3, help="number of dealers (default 3)")
    p.add_argument("--regime", choices=("normal", "stress"), default="normal")
    p.add_argument("--seed", type=int, default=0, help="market and panel seed (default 0)")
    p.add_argument(
        "--premium-bp",
        dest="premium_bp",
        type=float,
        default=None,
        help="the hedge ETFs' premium (+) or discount (-) to NAV, bp (default: at NAV)",
    )
    p.add_argument(
        "--lenient",
        action="store_true",
        help="read --basket leniently (keep flagged lines, warn) instead of strictly",
    )
    p.set_defaults(func=run)


def _load(args: argparse.Namespace) -> tuple[Any, str]:
    from ..errors import InputError
    from ..io import read_basket

    if args.basket is None:
        from ..data import seed_path

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            basket = read_basket(seed_path("seed_basket.csv"), as_of=args.as_of, strict=False)
        return basket, "the bundled seed basket (read leniently)"
    path = Path(args.basket)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: is not a file")
    try:
        with warnings.catch_warnings():
            if args.lenient:
                warnings.simplefilter("ignore")
            basket = read_basket(path, as_of=args.as_of, strict=not args.lenient)
    except InputError as exc:
        text = error_line(exc)
        msg = text if str(path) in text or path.name in text else f"{path}: {text}"
        raise InputError(msg) from None
    return basket, str(path)


def run(args: argparse.Namespace) -> int:
    """Handle ``etfcore quote``: print the RFQ, or one error line and exit code 2.

    Examples
    --------
    >>> import argparse
    >>> ns = argparse.Namespace(basket="/no/such.csv", as_of="2024-12-02",
    ...                         direction="client_sells", dealers=3, regime="normal",
    ...                         seed=0, lenient=False)
    >>> run(ns)
    2
    """
    from ..errors import InputError

    try:
        return _run(args)
    except (InputError, OSError) as exc:
        print(f"etfcore quote: error: {error_line(exc)}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from .._validation import integer
    from ..market import synthetic_market
    from .dealers import COMPONENTS, dealer_panel
    from .rfq import run_rfq

    n = integer(args.dealers, "--dealers", minimum=1)
    basket, label = _load(args)
    market = synthetic_market(args.seed, as_of=args.as_of, regime=args.regime)
    panel = dealer_panel(market, n=n, seed=args.seed)
    premium = getattr(args, "premium_bp", None)
    r = run_rfq(
        basket, market, panel, direction=args.direction, seed=args.seed, etf_premium_bp=premium
    )
    q = r.quotes
    side = "bids" if r.direction == "client_sells" else "offers"
    print(
        f"etfcore quote: {label}, {len(r.allocation)} lines, mid value "
        f"${r.market_value_usd:,.2f}; {r.direction}, {r.regime} regime, synthetic market "
        f"(seed {args.seed}, as of {args.as_of})"
        + ("" if premium is None else f"; hedge ETFs at {premium:+g} bp to NAV")
    )
    print(f"  {len(q)} dealers' {side} (costs in bp of the mid value; spread over Treasuries):")
    short = {c: c.replace("_cost_usd", "").replace("_usd", "") for c in COMPONENTS}
    head = "".join(f"{short[c]:>13s}" for c in COMPONENTS)
    print(
        f"    {'dealer':<10s}{'all-in price $':>20s}{'spread':>9s}{'change':>8s}{'cost':>8s}"
        f"{head}{'days':>6s}  hedge"
    )
    for name, row in q.iterrows():
        mv = row["market_value_usd"]
        comps = "".join(f"{row[c] / mv * 1e4:13.2f}" for c in COMPONENTS)
        print(
            f"    {str(name):<10s}{row['all_in_price_usd']:20,.2f}{row['spread_bp']:9.2f}"
            f"{row['spread_change_bp']:+8.2f}{row['cost_bp']:8.2f}{comps}"
            f"{row['horizon_days']:6g}  {row['hedge']}"
        )
    cover = (
        "no cover (one dealer)"
        if r.cover is None
        else f"cover {r.cover} at ${r.cover_price_usd:,.2f} "
        f"(${abs(r.all_in_price_usd - r.cover_price_usd):,.2f} behind)"
    )
    print(f"  winner {r.winner} at ${r.all_in_price_usd:,.2f}; {cover}")
    a = r.allocation
    print("  allocation of the winning price (clean prices per 100; values to the cent):")
    print(
        f"    {'id':<14s}{'par $':>16s}{'mid':>10s}{'execution':>11s}{'value $':>18s}"
        f"{'cost bp':>9s}  channel"
    )
    for bond, row in a.head(MAX_PRINTED_LINES).iterrows():
        print(
            f"    {str(bond):<14s}{row['par_usd']:16,.2f}{row['pre_trade_mid']:10.4f}"
            f"{row['execution_price']:11.4f}{row['value_usd']:18,.2f}{row['cost_bp']:9.2f}"
            f"  {row['channel']}"
        )
    if len(a) > MAX_PRINTED_LINES:
        rest = a.iloc[MAX_PRINTED_LINES:]
        print(f"    ... {len(rest)} more lines, ${rest['value_usd'].sum():,.2f}")
    cents = int((a["value_usd"] * 100).round().sum())
    print(
        f"    {'total':<14s}{a['par_usd'].sum():16,.2f}{'':21s}{cents / 100:18,.2f}"
        f"{r.winning_quote.cost_bp:9.2f}  (= the all-in price to the cent)"
    )
    return 0
