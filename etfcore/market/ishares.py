"""A fund and its market from a real iShares holdings file (LQD, HYG, IEF...).

:func:`etf_from_ishares` reads the file with :func:`etfcore.io.read_ishares_holdings`,
prices it on a Treasury curve of its as-of date (:func:`treasury_curve_on`) with
z-spreads solved from the file's prices, and returns a :class:`~etfcore.market.Market`
holding one :class:`~etfcore.fund.ETF` whose official (bid) NAV reproduces the file.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import warnings
from pathlib import Path
from typing import Any, NamedTuple, cast

import numpy as np
import pandas as pd

from .._deprecation import renamed_keywords
from .._validation import positive
from ..bonds.calendar import US_GOVERNMENT_BOND, settlement_date
from ..bonds.curves import NSSCurve, NSSFit, ZeroCurve, fit_nss
from ..bonds.dates import to_day, to_days, to_timestamps
from ..bonds.identifiers import is_us_treasury_cusip
from ..errors import DataWarning, InputError
from ..fund.etf import ETF, CreationFees
from .funds import ETF_RULES, EtfRule, etf_liquidity_model
from .market import Market
from .synthetic import synthetic_treasury_curve

__all__ = [
    "CURVE_SOURCES",
    "ISHARES_LIKE",
    "MEDIAN_ISSUE_SIZE_USD",
    "PRICE_SIDES",
    "IsharesFund",
    "TreasuryCurve",
    "etf_from_ishares",
    "treasury_curve_on",
]

#: Where :func:`treasury_curve_on` may take the curve from.
CURVE_SOURCES = ("auto", "treasury", "fred", "synthetic")
#: Which side the file's prices are on: iShares values bond ETFs at evaluated bid prices.
PRICE_SIDES = ("bid", "mid")
#: iShares tickers -> the synthetic ETF rule whose trading facts they share.
ISHARES_LIKE = {"LQD": "IG_BROAD", "HYG": "HY", "IEF": "TREASURY"}
#: Median issue size by grade, USD, used to estimate issue sizes from par (see
#: :func:`etf_from_ishares`): LQD's median issue is about $1.3bn (the TRACE notes of
#: :class:`etfcore.liquidity.BondLiquidityModel`); HY and Treasury are typical levels.
MEDIAN_ISSUE_SIZE_USD = {"IG": 1.3e9, "HY": 0.6e9, "UST": 100e9}

_PAR_FILE = "ust_par_yield_curve_*.csv"
_FRED_DIR = "fred_dgs"
_FRED_NAME = re.compile(r"DGS\d+(MO)?\.csv$", re.IGNORECASE)


class TreasuryCurve(NamedTuple):
    """What :func:`treasury_curve_on` returns: the curve, its fit and where it came from.

    Attributes
    ----------
    curve : ZeroCurve
        Referenced on the requested date.
    fit : NSSFit or None
        The Nelson-Siegel-Svensson fit (None for the synthetic curve).
    source : str
        Which data, which date, and how.
    exact : bool
        Whether the data are of the requested date itself.

    Examples
    --------
    >>> tc = treasury_curve_on("2025-12-17", source="synthetic")
    >>> curve, fit, source, exact = tc
    >>> fit is None, exact, source.startswith("the synthetic Treasury curve")
    (True, False, True)
    """

    #: Zero curve referenced on the requested date (sampled at the Treasury tenors).
    curve: ZeroCurve
    #: The Nelson-Siegel-Svensson fit it came from, on the data's own date (None for the
    #: synthetic curve).
    fit: NSSFit | None
    #: Which data, which date, and how: e.g. "NSS fit to FRED H.15 ... on 2025-12-17".
    source: str
    #: Whether the data are of the requested date itself.
    exact: bool


class IsharesFund(NamedTuple):
    """What :func:`etf_from_ishares` returns: the market **and** the fund, in that order.

    A named pair, so both spellings work::

        fund = etf_from_ishares(path)        # fund.market, fund.etf
        market, etf = etf_from_ishares(path)  # unpacks as before

    Attributes
    ----------
    market : Market
        The file's bonds, the Treasury curve, the z-spreads solved from the file's
        prices and the liquidity models; ``market.etfs`` holds the fund.
    etf : ETF
        The fund itself (``etf.nav(market, "bid")`` is its official NAV).

    Examples
    --------
    >>> fund = IsharesFund(market="the market", etf="the ETF")
    >>> market, etf = fund
    >>> (market, etf) == (fund.market, fund.etf)
    True
    >>> fund
    IsharesFund(market=..., etf=...)
    """

    market: Market
    etf: ETF

    def __repr__(self) -> str:
        name = getattr(self.etf, "name", None)
        if isinstance(self.etf, ETF):
            return f"IsharesFund({name}: {len(self.etf.holdings)} bonds; market=..., etf=...)"
        return "IsharesFund(market=..., etf=...)"


def _data_dir() -> Path | None:
    from ..io import real_data_dir

    try:
        return real_data_dir()
    except FileNotFoundError:
        return None


@functools.lru_cache(maxsize=16)
def _read_par_yields(path: str, mtime: float) -> pd.DataFrame:
    from ..io import read_treasury_par_yields

    return read_treasury_par_yields(path)


@functools.lru_cache(maxsize=32)
def _read_fred(path: str, mtime: float) -> pd.Series:
    from ..io import read_fred_series

    return read_fred_series(path)


def _fit_row(row: pd.Series, day: int) -> NSSFit:
    tenors = row.index.to_numpy(dtype=float)
    return fit_nss(tenors, row.to_numpy(dtype=float), day)


def _from_par_files(base: Path, day: int, exact_only: bool):
    """(NSS curve on ``day``, fit, source, exact) from the par-yield files, or None."""
    when = to_timestamps(np.int64(day))
    latest: tuple[pd.Timestamp, pd.Series, Path] | None = None
    for path in sorted(base.glob(_PAR_FILE), reverse=True):  # newest first
        frame = _read_par_yields(str(path), path.stat().st_mtime)
        if when in frame.index:
            row = cast(pd.Series, frame.loc[when]).dropna()
            if len(row) >= 4:
                fit = _fit_row(row, day)
                text = f"NSS fit to the Treasury par yields of {when:%Y-%m-%d} ({path.name})"
                return fit.curve, fit, text, True
        before = frame.loc[:when].dropna(how="all")
        if len(before) and (latest is None or before.index[-1] > latest[0]):
            latest = (before.index[-1], before.iloc[-1].dropna(), path)
        if len(frame) and frame.index[0] <= when:
            break  # older files hold nothing later than this one
    if exact_only or latest is None:
        return None
    date, row, path = latest
    fit = _fit_row(row, to_day(date))
    moved = NSSCurve(day, *fit.curve.params.to_numpy())
    text = (
        f"NSS fit to the Treasury par yields of {date:%Y-%m-%d} ({path.name}, its latest date "
        f"on or before {when:%Y-%m-%d}), moved to {when:%Y-%m-%d} (the same zero rate at the "
        "same years from the curve date)"
    )
    return moved, fit, text, False


def _from_fred(base: Path, day: int):
    """(NSS curve, fit, source, True) from FRED constant-maturity series of the day, or None."""
    folder = base / _FRED_DIR
    if not folder.is_dir():
        return None
    when = to_timestamps(np.int64(day))
    values = {}
    for path in sorted(folder.iterdir()):
        if not _FRED_NAME.match(path.name):
            continue
        series = _read_fred(str(path), path.stat().st_mtime)
        tenor = series.attrs.get("tenor_years")
        if tenor is None or when not in series.index or not np.isfinite(series.loc[when]):
            continue
        values[float(tenor)] = float(series.loc[when])
    if len(values) < 4:
        return None
    row = pd.Series(values).sort_index()
    fit = _fit_row(row, day)
    text = (
        f"NSS fit to the FRED H.15 constant-maturity Treasury yields of {when:%Y-%m-%d} "
        f"({len(row)} tenors, {_FRED_DIR}/DGS*.csv; the H.15 yields are read off the "
        "Treasury's par curve)"
    )
    return fit.curve, fit, text, True


def treasury_curve_on(date: Any, source: str = "auto") -> TreasuryCurve:
    """The US Treasury zero curve of ``date`` from the real data, or the best stand-in.

    Parameters
    ----------
    date : date-like
        The curve date (a trade date).
    source : {"auto", "treasury", "fred", "synthetic"}
        ``"auto"`` tries, in order: the Treasury daily par yield files
        (``ust_par_yield_curve_*.csv``) on ``date``; the FRED H.15 constant-maturity
        series (``fred_dgs/DGS*.csv``) on ``date``; the latest par-yield date before
        ``date``, moved to ``date``; the synthetic Treasury curve. ``"treasury"`` uses
        only the par yield files (latest date before when ``date`` is absent),
        ``"fred"`` only the FRED series on ``date``, ``"synthetic"`` the synthetic curve.

    Returns
    -------
    TreasuryCurve
        The curve (a :class:`~etfcore.ZeroCurve` at the 13 Treasury tenors, referenced
        on ``date``), its NSS fit, a description of the data and whether they are of
        ``date`` itself.

    Raises
    ------
    InputError
        For an unknown ``source``, or ``source="fred"`` / ``"treasury"`` with no data.

    Warns
    -----
    DataWarning
        When the curve is not fitted to data of ``date`` (an earlier date moved
        forward, or the synthetic curve): the message says which.

    Notes
    -----
    The par-yield and FRED files are read with :func:`etfcore.io.read_treasury_par_yields`
    and :func:`etfcore.io.read_fred_series` (every cell checked), cached by path and
    modification time.

    Examples
    --------
    >>> tc = treasury_curve_on("2025-12-17", source="synthetic")
    >>> f"{tc.curve.zero_rate(10.0):.4f}"  # doctest: +ELLIPSIS
    '0.0...'
    """
    if source not in CURVE_SOURCES:
        raise InputError(f"curve: unknown source {source!r}; use one of {list(CURVE_SOURCES)}")
    day = to_day(date, "date")
    when = to_timestamps(np.int64(day))
    base = _data_dir() if source != "synthetic" else None
    found = None
    if base is not None:
        if source in ("auto", "treasury"):
            found = _from_par_files(base, day, exact_only=source == "auto")
        if found is None and source in ("auto", "fred"):
            found = _from_fred(base, day)
        if found is None and source == "auto":
            found = _from_par_files(base, day, exact_only=False)
    if found is not None:
        nss, fit, text, exact = found
        if not exact:
            warnings.warn(
                f"Treasury curve for {when:%Y-%m-%d}: no par yields or FRED yields of that date; "
                f"using the {text}",
                DataWarning,
                stacklevel=2,
            )
        return TreasuryCurve(nss.to_zero_curve(), fit, text, exact)
    if source in ("fred", "treasury"):
        raise InputError(
            f"curve: no {source} data for {when:%Y-%m-%d} in the real-data directory "
            f"({base}); use curve='auto' or 'synthetic', or set ETFCORE_REAL_DATA"
        )
    text = "the synthetic Treasury curve (etfcore.market.synthetic_treasury_curve)"
    if source == "auto":
        warnings.warn(
            f"Treasury curve for {when:%Y-%m-%d}: no real Treasury data found; using {text}",
            DataWarning,
            stacklevel=2,
        )
    return TreasuryCurve(synthetic_treasury_curve(day), None, text, False)


def _rule_for(name: str) -> EtfRule | None:
    key = ISHARES_LIKE.get(str(name).upper())
    return ETF_RULES[key] if key else None


def _nav_on(nav_history: Any, name: str, trade: pd.Timestamp) -> tuple[float, str] | None:
    """(NAV per share on ``trade``, where from) from a history file or Series, or None."""
    label = None
    if nav_history is None:
        base = _data_dir()
        if base is None:
            return None
        files = sorted(base.glob(f"{str(name).lower()}_nav_daily*.csv"))
        if not files:
            return None
        nav_history = files[-1]
    if isinstance(nav_history, (str, os.PathLike)):
        from ..io import read_nav_history

        path = Path(nav_history)
        label = path.name
        series = read_nav_history(path)  # every cell checked, with file and line
    elif isinstance(nav_history, pd.Series):
        series = nav_history.copy()
        series.index = to_timestamps(to_days(series.index, "nav_history index"))
        label = "nav_history"
    else:
        raise InputError(
            f"nav_history: expected a file path or a Series of NAV by date, got "
            f"{type(nav_history).__name__}"
        )
    series = series.dropna().sort_index()
    if trade not in series.index:
        raise InputError(
            f"nav_history: {label} has no NAV on the as-of date {trade:%Y-%m-%d}; pass "
            "nav_per_share or shares_outstanding"
        )
    value = series.loc[trade]
    value = float(value.iloc[-1] if isinstance(value, pd.Series) else value)
    if not np.isfinite(value) or value <= 0:
        raise InputError(f"nav_history: {label} gives NAV {value!r} on {trade:%Y-%m-%d}")
    return value, label


def _preamble_shares(holdings: pd.DataFrame) -> float | None:
    """The preamble's ``Shares Outstanding`` (checked by the reader), or None."""
    value = holdings.attrs.get("shares_outstanding")
    return None if value is None else float(value)


@renamed_keywords(price_side="quote_side")
def etf_from_ishares(
    path: str | os.PathLike[str],
    name: str = "LQD",
    *,
    shares_outstanding: float | None = None,
    nav_per_share: float | None = None,
    nav_history: Any = None,
    curve: Any = "auto",
    quote_side: str = "bid",
    liquidity: Any = None,
    liquidity_scores: pd.Series | None = None,
    grade: str | None = None,
    creation_unit_size: int | None = None,
    expense_ratio: float | None = None,
    fees: CreationFees | None = None,
    adv_shares: float | None = None,
    quoted_spread_bp: float | None = None,
    strict: bool = True,
) -> IsharesFund:
    r"""Build an ETF and its market from an iShares "Detailed Holdings" file.

    **Returns two things, the market first:** an :class:`IsharesFund` named pair
    ``(market, etf)``. Write ``market, etf = etf_from_ishares(path)`` or
    ``fund = etf_from_ishares(path)`` and use ``fund.market`` and ``fund.etf``; the
    fund's NAV needs both (``etf.nav(market, "bid")``).

    Parameters
    ----------
    path : path-like
        The holdings CSV (e.g. ``real_data_path("lqd_holdings_2026-01_approx.csv")``).
    name : str, default "LQD"
        The fund's ticker. ``"LQD"``, ``"HYG"`` and ``"IEF"`` take their trading facts
        (creation unit, fees, expense ratio, volume, quoted spread, liquidity model)
        from the synthetic ``IG_BROAD``, ``HY`` and ``TREASURY`` rules
        (:data:`etfcore.market.ETF_RULES`); keywords override them.
    shares_outstanding : float, optional
        Default: the file's preamble (``Shares Outstanding``), else the file's total
        market value over ``nav_per_share``.
    nav_per_share : float, optional
        Default: the NAV on the as-of date from ``nav_history``.
    nav_history : path-like or pandas.Series, optional
        Daily NAV (columns ``Date``, ``NAV``). Default: ``<name>_nav_daily*.csv`` in the
        real-data directory (``lqd_nav_daily_ishares_2002-07-22_to_2026-09-16.csv``).
    curve : {"auto", "treasury", "fred", "synthetic"} or a curve
        Treasury curve of the as-of date (:func:`treasury_curve_on`), or a
        ``ZeroCurve``-like object to use as is.
    quote_side : {"bid", "mid"}
        Quote side of the file's prices (``price_side=``, its old name, still works
        with a deprecation warning). iShares values bond ETFs at evaluated bid prices,
        so by default each bond's mid is ``price / (1 - h)``, ``h`` its half-spread
        from ``liquidity``, and the bid NAV reproduces the file.
    liquidity : BondLiquidityModel, optional
        Default :data:`etfcore.liquidity.DEFAULT_BOND_MODEL`.
    liquidity_scores : pandas.Series, optional
        Per-bond scores in [0, 1] for the liquidity model (e.g.
        :func:`etfcore.liquidity.liquidity_scores_from_trace` of the TRACE file).
    grade : {"IG", "HY", "UST"}, optional
        Grade of the fund's bonds for the liquidity model (the file has no ratings);
        default from ``name`` (LQD: IG, HYG: HY, IEF: UST). Treasury CUSIPs are
        always ``"UST"``.
    creation_unit_size, expense_ratio, fees, adv_shares, quoted_spread_bp
        The ETF's facts (defaults: see ``name``; else :class:`~etfcore.fund.ETF`'s).
    strict : bool
        Passed to :func:`~etfcore.io.read_ishares_holdings`.

    Returns
    -------
    IsharesFund
        A named pair ``(market, etf)`` that unpacks like a tuple: ``market`` (the file's
        bonds, the curve, z-spreads, liquidity; ``etfs`` and ``etf_liquidity`` hold the
        fund; ``source`` says how it was built) and ``etf`` (the
        :class:`~etfcore.fund.ETF`).

    Raises
    ------
    InputError
        For a file the reader rejects, a bond that has matured by settlement, no way
        to find the shares outstanding, a bad ``quote_side``/``curve``, or a price no
        z-spread reproduces (:class:`~etfcore.ConvergenceError`).

    Warns
    -----
    DataWarning
        The reader's warnings (repaired CUSIPs, inferred schedule conventions); the
        as-of date inferred from accrued interest when the file has none; a curve not
        of the as-of date; shares outstanding derived from a NAV history.

    Notes
    -----
    * Settlement: the file's ``Fund Holdings as of`` date plus T+1, else the
      settlement date its accrued interest implies; the trade (as-of) date is the
      business day before.
    * Cash: every row that is not ``Fixed Income`` (cash, money-market funds,
      derivatives) at its market value.
    * The bonds' attributes gain ``issuer`` (the file's ``Name``), ``grade`` and
      ``issue_size_usd``, an estimate: an index fund holds about the same share of
      every issue, so issue size is taken proportional to par, scaled so that the
      median is :data:`MEDIAN_ISSUE_SIZE_USD` of the grade. The liquidity model reads
      grade and issue size.
    * Each bond's z-spread over the curve reprices its mid clean price exactly
      (:func:`etfcore.z_spread_from_price`), so the fund's bid NAV equals the file's
      market value per share up to accrued interest (etfcore's against the file's,
      within 0.005 per 100 for nearly every bond).

    Examples
    --------
    A one-bond fund written to a temporary file, on the synthetic Treasury curve:

    >>> import tempfile, pathlib
    >>> text = "\n".join([
    ...     'Fund Holdings as of,"Dec 17, 2025"',
    ...     'Shares Outstanding,"10,304.17"',
    ...     "",
    ...     "Name,Asset Class,Market Value,Weight (%),Par Value,CUSIP,Price,Maturity,"
    ...     "Coupon (%),Accrual Date",
    ...     'ACME CORP,Fixed Income,"1,010,416.67",98,"1,000,000.00",037833DP2,101.00,'
    ...     '"Jun 15, 2030",5.00,"Jun 15, 2020"',
    ...     'USD CASH,Cash,"20,000.00",2,"20,000.00",-,100,-,0,-',
    ... ]) + "\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "holdings.csv")
    ...     _ = path.write_text(text)
    ...     fund = etf_from_ishares(path, "LQD", curve="synthetic")
    >>> market, etf = fund  # the market first, then the ETF
    >>> fund.etf is etf, len(etf.holdings), etf.shares_outstanding
    (True, 1, 10304.17)
    >>> f"{etf.nav(market, 'bid'):.2f}"  # the file's value per share, on the bid
    '100.00'

    The real LQD file: ``etf_from_ishares(real_data_path("lqd_holdings_2026-01_approx.csv"))``.
    """
    from ..bonds.pricing import z_spread_from_price
    from ..io import read_ishares_holdings

    if quote_side not in PRICE_SIDES:
        raise InputError(f"quote_side: {quote_side!r}; use one of {list(PRICE_SIDES)}")
    if isinstance(curve, str) and curve not in CURVE_SOURCES:
        raise InputError(
            f"curve: unknown source {curve!r}; use one of {list(CURVE_SOURCES)} or pass a curve"
        )
    rule = _rule_for(name)
    if grade is None and rule is not None:
        grade = rule.grade
    if grade is not None and grade not in MEDIAN_ISSUE_SIZE_USD:
        raise InputError(f"grade: {grade!r}; use one of {list(MEDIAN_ISSUE_SIZE_USD)}")

    bonds, holdings = read_ishares_holdings(path, strict=strict)
    file = Path(holdings.attrs.get("source", str(path))).name
    notes: list[str] = [f"{name} from {file}"]

    # ---- dates
    if "as_of_date" in holdings.attrs:
        trade = pd.Timestamp(holdings.attrs["as_of_date"])
        settle = int(settlement_date(to_day(trade)))
        notes.append(f"as of {trade:%Y-%m-%d} (the file's 'Fund Holdings as of')")
    else:
        settle_ts = holdings.attrs.get("conventions_settlement_date")
        if settle_ts is None:
            from ..io import infer_as_of_date

            settle_ts = infer_as_of_date(holdings).settlement_date
        settle = to_day(settle_ts)
        trade = to_timestamps(np.int64(US_GOVERNMENT_BOND.advance(np.int64(settle), -1)))
        text = (
            f"as of {trade:%Y-%m-%d}, settlement {to_timestamps(np.int64(settle)):%Y-%m-%d} "
            "(inferred from the bonds' accrued interest: the file has no as-of date)"
        )
        notes.append(text)
        warnings.warn(f"{file}: {name} {text}", DataWarning, stacklevel=2)
    trade_day = to_day(trade)
    matured = bonds.maturity <= settle
    if matured.any():
        ids = list(bonds.ids[matured][:20])
        raise InputError(
            f"{file}: {int(matured.sum())} bond(s) mature on or before settlement "
            f"{to_timestamps(np.int64(settle)):%Y-%m-%d}: {ids}; their redemption belongs in cash"
        )

    # ---- attributes the liquidity model reads
    attrs = bonds.attributes.copy()
    if "issuer" not in attrs.columns and "name" in attrs.columns:
        attrs["issuer"] = attrs["name"]  # iShares names the issuer in "Name"
    ust = np.array([is_us_treasury_cusip(i) for i in bonds.ids], dtype=bool)
    if grade is not None or ust.any():
        g = np.full(len(bonds), grade if grade is not None else None, dtype=object)
        g[ust] = "UST"
        attrs["grade"] = g
        par = holdings.loc[bonds.ids, "par_value_usd"].to_numpy(dtype=float)
        size = np.full(len(bonds), np.nan)
        for key in ("IG", "HY", "UST"):
            sel = (g == key) & (par > 0)
            if sel.any():
                size[sel] = par[sel] * MEDIAN_ISSUE_SIZE_USD[key] / np.median(par[sel])
        attrs["issue_size_usd"] = size
        notes.append("issue sizes estimated from par (MEDIAN_ISSUE_SIZE_USD)")
    bonds = dataclasses.replace(bonds, attributes=attrs, _cache={})

    # ---- curve
    if isinstance(curve, str):
        chosen = treasury_curve_on(trade, curve)
        zero_curve = chosen.curve
        notes.append(f"curve: {chosen.source}")
    else:
        if not hasattr(curve, "discount_days"):
            raise InputError(f"curve: expected a source name or a ZeroCurve, got {curve!r}")
        zero_curve = curve
        notes.append("curve: given by the caller")

    # ---- liquidity and z-spreads
    if liquidity is None:
        from ..liquidity import DEFAULT_BOND_MODEL

        liquidity = DEFAULT_BOND_MODEL
    zero = pd.Series(0.0, index=bonds.ids, name="z_spread")
    market = Market(
        bonds=bonds,
        curve=zero_curve,
        z_spread=zero,
        settlement=settle,
        liquidity=liquidity,
        liquidity_scores=liquidity_scores,
    )
    price = holdings.loc[bonds.ids, "price"].to_numpy(dtype=float)
    if quote_side == "bid":
        h = market.half_spread_bp().to_numpy() * 1e-4
        mid_clean = price / (1.0 - h)
        notes.append("file prices read as bid: mid = price / (1 - half-spread)")
    else:
        mid_clean = price
        notes.append("file prices read as mid")
    z = z_spread_from_price(bonds, zero_curve, mid_clean, settle)
    market = market.with_spreads(z)

    # ---- the fund
    is_bond = holdings.index.isin(bonds.ids)
    cash = float(holdings.loc[~is_bond, "market_value_usd"].sum())
    total = float(holdings["market_value_usd"].sum())
    notes.append(
        f"cash ${cash / 1e6:,.1f}mm: {', '.join(holdings.loc[~is_bond, 'name'].astype(str))}"
        if (~is_bond).any()
        else "no cash rows"
    )
    if shares_outstanding is None:
        shares_outstanding = _preamble_shares(holdings)
        if shares_outstanding is not None:
            notes.append("shares outstanding from the file's preamble")
    if shares_outstanding is None:
        if nav_per_share is None:
            found = _nav_on(nav_history, name, trade)
            if found is None:
                raise InputError(
                    f"{file}: the file does not give {name}'s shares outstanding and no NAV "
                    f"history was found; pass shares_outstanding or nav_per_share"
                )
            nav_per_share, label = found
            text = (
                f"shares outstanding {total / nav_per_share:,.0f} = the file's total market "
                f"value ${total / 1e9:,.3f}bn / NAV {nav_per_share:.6f} on {trade:%Y-%m-%d} "
                f"({label})"
            )
            warnings.warn(f"{file}: {name} {text}", DataWarning, stacklevel=2)
        else:
            nav_per_share = positive(nav_per_share, "nav_per_share")
            text = (
                f"shares outstanding = total market value ${total / 1e9:,.3f}bn / "
                f"nav_per_share {nav_per_share:.6f}"
            )
        shares_outstanding = total / nav_per_share
        notes.append(text)
    shares_outstanding = positive(shares_outstanding, "shares_outstanding")

    facts: dict[str, Any] = {}
    if rule is not None:
        facts = {
            "creation_unit_size": rule.creation_unit_size,
            "expense_ratio": rule.expense_ratio,
            "fees": rule.fees,
            "adv_shares": rule.adv_shares,
            "quoted_spread_bp": rule.quoted_spread_bp,
        }
    given = {
        "creation_unit_size": creation_unit_size,
        "expense_ratio": expense_ratio,
        "fees": fees,
        "adv_shares": adv_shares,
        "quoted_spread_bp": quoted_spread_bp,
    }
    facts.update({k: v for k, v in given.items() if v is not None})
    par = holdings.loc[bonds.ids, "par_value_usd"].astype(float)
    etf = ETF(
        name=name,
        holdings=pd.Series(par.to_numpy(), index=bonds.ids, name="par_usd"),
        shares_outstanding=shares_outstanding,
        cash_usd=cash,
        description=f"{name} from {file}",
        **facts,
    )
    etf_liquidity = {}
    if rule is not None:
        nav_mid = etf.nav(market, "mid")
        model = etf_liquidity_model(rule, nav_mid)
        etf_liquidity[name] = dataclasses.replace(model, name=f"{name} ({rule.name} facts)")
    market = dataclasses.replace(
        market,
        etfs={name: etf},
        etf_liquidity=etf_liquidity,
        as_of=trade_day,
        source="; ".join(notes),
        _cache=market._cache,
    )
    return IsharesFund(market=market, etf=etf)
