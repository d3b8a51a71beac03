"""The ``etfcore`` command line.

``etfcore demo`` prices a bundled synthetic broad investment-grade ETF (about 2,500
bonds) from a Treasury curve plus each bond's z-spread and prints its risk, its NAV
on the bid, mid and ask side, and its creation/redemption arbitrage band in normal
and stress markets, then a calm-vs-March-2020 simulation of its premium to NAV: what a
new user runs first.

``etfcore hedge`` chooses the ETF hedge of a bond basket (a seeded 200-bond IG basket of
the synthetic market, or ``--basket CSV``) and prints it with its cost; ``--out DIR``
writes the hedge-cost curve files (CSV, Parquet, JSON).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError


def _demo(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    from . import arbitrage_band
    from .bonds.dates import to_timestamps
    from .fund import fund_risk
    from .market import synthetic_market

    market = synthetic_market(seed=args.seed)
    etf = market.etfs[args.etf]
    t_build = time.perf_counter() - t0

    # the fund's risk, from the Treasury curve plus each bond's z-spread (one owner:
    # etfcore.fund.fund_risk prices the bonds and computes the key-rate durations)
    bonds = etf.bonds(market)
    t1 = time.perf_counter()
    risk = fund_risk(etf, market)
    t_risk = time.perf_counter() - t1
    totals = risk.totals
    krd_port = risk.key_rate_durations
    settle = to_timestamps(np.int64(market.settlement))
    print(f"etfcore demo: synthetic {args.etf} ETF (seed {args.seed})")
    print(
        f"  settlement {settle:%Y-%m-%d}; {len(bonds):,} bonds from "
        f"{bonds.attributes['issuer'].nunique():,} issuers; "
        f"{bonds.cashflows(market.settlement).payment.size:,} future cash flows"
    )
    print(
        f"  market value        ${totals['market_value_usd'] / 1e9:,.2f} bn "
        f"(par ${totals['par_usd'] / 1e9:,.2f} bn)"
    )
    print(f"  yield to maturity   {totals['yield_to_maturity']:.3%} (value-weighted)")
    print(f"  z-spread            {totals['z_spread'] * 1e4:,.1f} bp")
    print(f"  modified duration   {totals['modified_duration']:.2f} years")
    print(f"  spread duration     {totals['spread_duration']:.2f} years")
    print(f"  convexity           {totals['convexity']:.1f}")
    print(f"  DV01                ${totals['dv01_usd']:,.0f} per bp")
    print(
        "  key-rate durations  "
        + "  ".join(
            f"{_tenor(float(t))}:{abs(v) if abs(v) < 0.005 else v:.2f}"
            for t, v in zip(krd_port.index, krd_port.to_numpy(), strict=True)
        )
    )

    t3 = time.perf_counter()
    navs = {regime: etf.navs(market.with_regime(regime)) for regime in ("normal", "stress")}
    t_nav = time.perf_counter() - t3
    print(
        f"  shares outstanding  {etf.shares_outstanding:,.0f} "
        f"(creation unit {etf.creation_unit_size:,})"
    )
    for regime, nav in navs.items():
        width = (nav["ask"] / nav["bid"] - 1) * 1e4
        print(
            f"  NAV ({regime:6s})     bid {nav['bid']:.4f}  mid {nav['mid']:.4f}  "
            f"ask {nav['ask']:.4f}  (bid-ask {width:.1f} bp; official NAV = bid)"
        )
    t4 = time.perf_counter()
    for regime in ("normal", "stress"):
        band = arbitrage_band(etf, market.with_regime(regime), regime=regime)
        print(
            f"  arbitrage band ({regime}): create above {band.create_bp:+.1f} bp, "
            f"redeem below {band.redeem_bp:+.1f} bp of official NAV"
        )
        comp = band.components
        top = comp.abs().sum(axis=1).sort_values(ascending=False).index[:4]
        print(
            "      largest costs (create / redeem, bp): "
            + "; ".join(
                f"{name} {comp.loc[name, 'create']:+.1f} / {comp.loc[name, 'redeem']:+.1f}"
                for name in top
            )
        )
    t_band = time.perf_counter() - t4
    t5 = time.perf_counter()
    _premium_simulations(etf, market, args.seed)
    t_sim = time.perf_counter() - t5
    print(
        f"  timings             market {t_build * 1e3:,.0f} ms, prices, yields and risk "
        f"incl. key rates {t_risk * 1e3:,.1f} ms, NAVs {t_nav * 1e3:,.1f} ms, "
        f"bands {t_band * 1e3:,.0f} ms, premium simulations {t_sim * 1e3:,.0f} ms "
        "(a first run includes numba compilation)"
    )
    return 0


#: Paths and days of the demo's premium simulations (fast; the benchmark runs 10,000 x 252).
DEMO_PATHS, DEMO_DAYS = 2_000, 60


def _premium_simulations(etf: Any, market: Any, seed: int) -> None:
    """Calm vs March 2020: the simulated premium to official NAV (etfcore.dynamics)."""
    from .dynamics import simulate_premium

    print(
        f"  premium to official NAV, simulated ({DEMO_PATHS:,} paths x {DEMO_DAYS} days, "
        "APs at work; etfcore.dynamics.simulate_premium):"
    )
    for name in ("calm", "march_2020"):
        sim = simulate_premium(etf, market, name, n_paths=DEMO_PATHS, n_days=DEMO_DAYS, seed=seed)
        p = sim.premium_bp
        lo, med, hi = np.percentile(p, [5, 50, 95])
        redeemed = sim.redemptions.sum() / DEMO_PATHS
        worst = np.median(p.min(axis=1))
        print(
            f"    {name:<11s} median {med:+7.1f} bp, 5-95% {lo:+7.1f} / {hi:+7.1f} bp, "
            f"worst (median path) {worst:+7.1f} bp; outside band "
            f"{sim.outside_band.mean():5.1%} of days, capacity bound "
            f"{sim.capacity_bound.mean():5.1%}, {redeemed:,.0f} units redeemed a path"
        )


#: The default basket of ``etfcore hedge``: this many investment-grade bonds of the market.
HEDGE_BASKET_SIZE = 200
#: Sizes (USD) and horizons (days) of the hedge-cost curve ``etfcore hedge`` prints and writes.
HEDGE_CURVE_NOTIONALS_USD = tuple(float(v) for v in np.geomspace(1e6, 1e10, 9))
HEDGE_CURVE_HORIZONS_DAYS = (1.0, 5.0, 20.0)
#: Sizes shown in the printout of each leg's curve.
HEDGE_PRINT_NOTIONALS_USD = (1e7, 1e8, 1e9, 1e10)


class _CliError(Exception):
    """One line for the user (a bad file or option); exit code 2."""


def default_basket(market: Any, seed: int = 0, n: int = HEDGE_BASKET_SIZE) -> Any:
    """A seeded basket of ``n`` live IG bonds of ``market``, par uniform in $1-5mm.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> b = default_basket(synthetic_market(0), seed=0, n=5)
    >>> list(b.columns), len(b)
    (['id', 'par'], 5)
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    live = market.bonds.ids[np.asarray(market.bonds.maturity) > market.settlement]
    grades = market.bonds.attributes["grade"].reindex(live)
    pool = np.asarray(live[(grades == "IG").to_numpy()])
    ids = rng.choice(pool, min(n, pool.size), replace=False)
    return pd.DataFrame({"id": ids, "par": rng.uniform(1e6, 5e6, ids.size)})


def _read_basket(path: str) -> Any:
    """The ``id`` and ``par`` columns of a basket CSV, else a _CliError naming the file."""
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise _CliError(f"{p}: no such file")
    if not p.is_file():
        raise _CliError(f"{p}: is not a file")
    try:
        frame = pd.read_csv(p, dtype={"id": str})
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # ParserError is a ValueError
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _CliError(f"{p}: could not be read as a CSV ({first})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in ("id", "par") if c not in frame.columns]
    if missing:
        raise _CliError(
            f"{p}: missing column(s) {missing}; a basket CSV has 'id' (bond id) and "
            f"'par' (USD, negative for a short); columns found: {list(frame.columns)}"
        )
    if len(frame) == 0:
        raise _CliError(f"{p}: has no rows; give one line per bond")
    return frame[["id", "par"]]


def error_line(exc: BaseException) -> str:
    """An exception as the one line a subcommand prints on stderr before exiting with 2.

    An :class:`~etfcore.InputError` with several problems becomes ``head: p1; p2; ...``;
    any other message has its line breaks folded.

    Examples
    --------
    >>> from etfcore.errors import InputError
    >>> error_line(InputError.from_problems("basket.csv", ["line 2: bad", "line 5: bad"]))
    'basket.csv: 2 problems found: line 2: bad; line 5: bad'
    >>> error_line(OSError())
    'OSError'
    """
    if isinstance(exc, InputError) and len(exc.problems) > 1:
        head = str(exc).splitlines()[0].rstrip(":")
        return f"{head}: " + "; ".join(" ".join(p.split()) for p in exc.problems)
    return " ".join(str(exc).split()) or type(exc).__name__


def _out_dir(path: str) -> Path:
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise _CliError(f"{p}: exists and is not a directory; give a directory for --out")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _CliError(f"{p}: cannot create the output directory ({exc.strerror})") from None
    return p


def _hedge(args: argparse.Namespace) -> int:
    try:
        return _hedge_run(args)
    except _CliError as exc:
        print(f"etfcore hedge: error: {exc}", file=sys.stderr)
        return 2


def _hedge_run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    from .hedging import hedge_cost_curve, hedge_leg_cost, select_hedge
    from .market import synthetic_market

    basket = _read_basket(args.basket) if args.basket is not None else None
    out = _out_dir(args.out) if args.out is not None else None
    if not (np.isfinite(args.horizon_days) and args.horizon_days > 0):
        raise _CliError(f"--horizon-days: {args.horizon_days:g} must be a positive number of days")
    market = synthetic_market(seed=args.seed)
    where = "the default basket"
    if basket is None:
        basket = default_basket(market, args.seed)
        name = f"{len(basket)}-bond IG basket (seed {args.seed})"
    else:
        where = str(args.basket)
        name = Path(args.basket).name
    mkt = market if market.regime == args.regime else market.with_regime(args.regime)
    try:
        h = select_hedge(
            basket, mkt, max_instruments=args.max_instruments, horizon_days=args.horizon_days
        )
    except InputError as exc:
        raise _CliError(f"{where}: {exc}") from None
    t_select = time.perf_counter() - t0
    b = h.basket
    print(f"etfcore hedge: {name}, synthetic market (seed {args.seed}), {args.regime} regime")
    print(
        f"  basket              {b.n_lines:,} lines, market value ${b.market_value_usd / 1e6:,.1f}"
        f" mm, DV01 ${b.dv01_usd:,.0f}, credit CS01 ${b.credit_cs01_usd:,.0f} per bp"
    )
    legs = h.to_frame()
    print(
        f"  hedge (at most {args.max_instruments} ETF(s), best subset of {h.subsets_evaluated} "
        f"evaluated; notional < 0: sell the ETF):"
    )
    total_usd = 0.0
    for inst, leg in legs.iterrows():
        q = abs(float(leg["notional_usd"]))
        cost = hedge_leg_cost(
            str(inst), mkt, q, args.horizon_days, args.regime, str(leg["trade_side"])
        ).iloc[0]
        total_usd += float(cost["cost_usd"])
        print(
            f"    {str(leg['trade_side']):4s} {inst:<16s} ${leg['notional_usd'] / 1e6:+10,.1f} mm "
            f"({leg['shares']:+,.0f} shares), removes {leg['variance_reduction']:6.1%} of the "
            f"variance\n         cost {cost['cost_bp']:.2f} bp = ${cost['cost_usd']:,.0f} "
            f"({cost['channel']}: spread {cost['half_spread_bp']:.2f}, impact "
            f"{cost['impact_bp']:.2f}, primary {cost['primary_bp'] + cost['waiting_risk_bp']:.2f}"
            f", borrow {cost['borrow_bp']:.2f}, basis {cost['basis_risk_bp']:.2f}, premium "
            f"{cost['premium_risk_bp']:.2f} bp)"
        )
    if legs.empty:
        print("    no hedge: the limits hold every leg at zero")
    print(
        f"  residual            DV01 ${h.residual_dv01_usd:,.0f}, credit CS01 "
        f"${h.residual_cs01_usd:,.0f} per bp; tracking vol {h.tracking_vol_bp:.2f} bp "
        f"(${h.tracking_vol_usd:,.0f}) over {args.horizon_days:g} day(s); variance reduction "
        f"{h.variance_reduction:.1%}"
    )
    print(
        f"  hedge cost          ${total_usd:,.0f} over {args.horizon_days:g} day(s) = "
        f"{total_usd / abs(b.market_value_usd) * 1e4:.2f} bp of the basket's market value"
    )
    t1 = time.perf_counter()
    instruments = list(legs.index) if len(legs) else sorted(market.etfs)
    horizons = sorted({*HEDGE_CURVE_HORIZONS_DAYS, float(args.horizon_days)})
    curve = hedge_cost_curve(
        market, instruments, HEDGE_CURVE_NOTIONALS_USD, horizons, ("normal", "stress")
    )
    t_curve = time.perf_counter() - t1
    sizes = "  ".join(f"{q / 1e6:>8,.0f}" for q in HEDGE_PRINT_NOTIONALS_USD)
    print(
        f"  hedge-cost curve, bp ({args.regime}, {args.horizon_days:g} day(s)); size $mm: {sizes}"
    )
    cross = curve.crossover_usd()
    for inst in instruments:
        side = str(legs.loc[inst, "trade_side"]) if len(legs) else "sell"
        costs = curve.cost(inst, HEDGE_PRINT_NOTIONALS_USD, args.horizon_days, args.regime, side)
        x = cross.get((inst, side, args.regime), np.nan)
        where_x = "none on the grid" if not np.isfinite(x) else f"${x / 1e6:,.0f} mm"
        print(
            f"    {side:4s} {inst:<16s}"
            + "".join(f"  {v:8.2f}" for v in costs)
            + f"   primary market from {where_x}"
        )
    if out is not None:
        written = [
            curve.to_csv(out / "hedge_cost_curve.csv"),
            curve.to_parquet(out / "hedge_cost_curve.parquet"),
            curve.to_json(out / "hedge_cost_curve.json"),
        ]
        print(
            f"  wrote {len(curve.table):,} curve rows (normal and stress) to "
            + ", ".join(str(p) for p in written)
        )
    print(
        f"  timings             market, risk and selection {t_select * 1e3:,.0f} ms, "
        f"leg costs and curve {t_curve * 1e3:,.0f} ms (a first run includes numba compilation)"
    )
    return 0


def _tenor(t: float) -> str:
    return f"{t * 12:.0f}m" if t < 1 else f"{t:g}y"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``etfcore`` command."""
    parser = argparse.ArgumentParser(prog="etfcore", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="price a bundled synthetic ETF: risk, NAV, arbitrage band")
    demo.add_argument("--seed", type=int, default=0, help="synthetic market seed (default 0)")
    demo.add_argument(
        "--etf",
        default="IG_BROAD",
        choices=["IG_BROAD", "IG_SHORT", "IG_INTERMEDIATE", "HY", "TREASURY"],
        help="which synthetic ETF (default IG_BROAD)",
    )
    demo.set_defaults(func=_demo)
    hedge = sub.add_parser("hedge", help="choose a basket's ETF hedge and print its cost")
    hedge.add_argument(
        "--basket",
        metavar="CSV",
        default=None,
        help="CSV with 'id' and 'par' (USD, negative = short) of bonds in the synthetic market "
        f"(default: a seeded {HEDGE_BASKET_SIZE}-bond IG basket)",
    )
    hedge.add_argument("--seed", type=int, default=0, help="market and basket seed (default 0)")
    hedge.add_argument(
        "--max-instruments", type=int, default=3, help="at most this many ETFs (default 3)"
    )
    hedge.add_argument("--regime", choices=["normal", "stress"], default="normal")
    hedge.add_argument(
        "--horizon-days", type=float, default=1.0, help="days the hedge is held (default 1)"
    )
    hedge.add_argument(
        "--out", metavar="DIR", default=None, help="write the hedge-cost curve (CSV, Parquet, JSON)"
    )
    hedge.set_defaults(func=_hedge)
    # the upper layers register their own subcommands (their modules import lazily)
    from .report._cli import add_parser as add_report
    from .trading._cli_quote import add_parser as add_quote
    from .trading._cli_tca import add_parser as add_tca

    add_report(sub)
    add_quote(sub)
    add_tca(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
