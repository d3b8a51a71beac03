"""Reader for a client's bond basket (a portfolio-trade list): :func:`read_basket`.

A basket file is a CSV with one line per bond: an identifier (CUSIP or ISIN), the
issuer, the coupon, the maturity, the market value or par, and optionally a clean
price, the client's side, a weight, a rating and a sector (the seed's
``seed_basket.csv`` is one). :func:`read_basket` checks every cell on the package's one
path (:mod:`etfcore.io._cells`), validates the identifiers' check digits and the
maturities against the as-of date, and reports every problem of the file in one
:class:`~etfcore.InputError`; with ``strict=False`` it keeps the lines whose problems
have a value to keep (a bad check digit, a matured bond) and says so in a
:class:`~etfcore.DataWarning`. It also flags what a trader must know before pricing:
a CUSIP whose issuer number is the US Treasury's on a line labelled with another
issuer, and weights that do not match the market values.

The result, :class:`PortfolioBasket`, holds the lines, a :class:`~etfcore.BondSet` of
the bonds and the flags; :meth:`PortfolioBasket.in_market` adds its bonds to a market
(spreads from the file's prices or a spread curve) so the trading layer can price them.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import decimals
from ..bonds.bondset import MAX_COUPON_RATE, BondSet
from ..bonds.dates import to_day, to_timestamps, today
from ..bonds.identifiers import check_identifiers, is_us_treasury_cusip
from ..errors import DataWarning, InputError
from ..state import TRADE_SIDES, IdentityCache, MarketState
from ._cells import MISSING, Bounds, CellLog

__all__ = [
    "DEFAULT_RATING",
    "DEFAULT_SECTOR",
    "DEFAULT_TRADE_SIDE",
    "WEIGHT_TOLERANCE",
    "PortfolioBasket",
    "read_basket",
]

#: Identifier columns, in the order they are looked for (the first one present is used).
ID_COLUMNS = ("cusip", "isin", "id")
#: Coupon columns: ``coupon_pct`` is in percent; ``coupon`` and ``coupon_rate`` are read
#: as percent or decimal by their values (see :func:`read_basket`).
COUPON_COLUMNS = ("coupon_pct", "coupon", "coupon_rate")
#: Amount columns and their scale to USD; exactly one market-value column may be given.
MARKET_VALUE_COLUMNS = {"market_value_mm": 1e6, "market_value_usd": 1.0, "market_value": 1.0}
PAR_COLUMNS = {"par": 1.0, "par_usd": 1.0}
#: Columns passed on to :meth:`BondSet.from_frame` when the file has them.
CONVENTION_COLUMNS = ("frequency", "day_count", "issue_date", "first_coupon_date")
#: The client's side when the file has no side column (or leaves a cell blank).
DEFAULT_TRADE_SIDE = "sell"
#: Rating of a line without one when its spread comes from a spread curve: BBB, the
#: largest rating bucket of the US IG corporate index (about half its market value).
DEFAULT_RATING = "BBB"
#: Sector of a line without one: ``None``, no sector add-on on the spread curve.
DEFAULT_SECTOR: str | None = None
#: A stated weight may differ from the line's share of market value by this much
#: (decimal, 0.05 percentage points: half the last digit of weights printed to 0.1%).
WEIGHT_TOLERANCE = 5e-4
#: Largest amount on one line, USD (larger is a unit mistake).
MAX_LINE_USD = 1e12

_AMOUNT = Bounds(0.0, MAX_LINE_USD, lower_open=True, hint="an amount in USD, > 0")
_PRICE = Bounds(0.0, 250.0, lower_open=True, hint="a clean price per 100 face (98.5)")
_COUPON_PCT = Bounds(0.0, 100 * MAX_COUPON_RATE, hint="a coupon in percent (4.25 for 4.25%)")
_WEIGHT = Bounds(0.0, 1.0, hint="a weight")
_SIDE_WORDS = {"sell": "sell", "buy": "buy"}
_GOVERNMENT_WORDS = ("treasury", "united states", "u.s. government", "us government")
#: Columns of :attr:`PortfolioBasket.lines`.
LINE_COLUMNS = (
    "issuer",
    "coupon",
    "maturity",
    "market_value_usd",
    "par_usd",
    "price",
    "trade_side",
    "weight",
    "rating",
    "sector",
)
FLAG_COLUMNS = ("line", "column", "kind", "value", "message")


def _norm(name: str) -> str:
    return "_".join(str(name).strip().lower().replace("-", " ").split())


def _read_rows(path: Path, what: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows (stripped text) and each row's line number in the file."""
    name = path.name
    if not path.exists():
        raise InputError(f"{what}: {path} does not exist; check the path")
    if path.is_dir():
        raise InputError(f"{what}: {path} is a directory; give the basket CSV file")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header: list[str] | None = None
            rows: list[list[str]] = []
            lines: list[int] = []
            too_long: list[str] = []
            for fields in reader:
                cells = [c.strip() for c in fields]
                if not any(cells):
                    continue
                if header is None:
                    header = cells
                    continue
                while len(cells) > len(header) and cells[-1] == "":
                    cells.pop()
                if len(cells) > len(header):
                    too_long.append(
                        f"line {reader.line_num}: {len(cells)} fields, but the header has "
                        f"{len(header)}; a value with a comma must be quoted"
                    )
                    continue
                rows.append(cells + [""] * (len(header) - len(cells)))
                lines.append(reader.line_num)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{what}: {name} is not a readable CSV text file ({exc})") from exc
    except OSError as exc:
        raise InputError(f"{what}: cannot read {path} ({exc.strerror or exc})") from exc
    if header is None:
        raise InputError(f"{what}: {name} is empty; give a header line and one line per bond")
    if too_long:
        raise InputError.from_problems(f"{what}: {name}: lines with too many fields", too_long)
    if not rows:
        raise InputError(f"{what}: {name} has a header but no lines; give one line per bond")
    return header, rows, lines


def _columns(header: list[str], name: str, what: str) -> dict[str, int]:
    cols: dict[str, int] = {}
    dup = []
    for j, h in enumerate(header):
        key = _norm(h)
        if key in cols:
            dup.append(h)
        cols[key] = j
    if dup:
        raise InputError(f"{what}: {name}: column(s) {dup} appear twice; give each column once")
    missing = []
    if not any(c in cols for c in ID_COLUMNS):
        missing.append("an identifier ('cusip', 'isin' or 'id')")
    if "issuer" not in cols:
        missing.append("'issuer'")
    if not any(c in cols for c in COUPON_COLUMNS):
        missing.append("a coupon ('coupon_pct' in percent, or 'coupon')")
    if "maturity" not in cols and "maturity_date" not in cols:
        missing.append("'maturity'")
    if not any(c in cols for c in (*MARKET_VALUE_COLUMNS, *PAR_COLUMNS)):
        missing.append("an amount ('market_value_mm', 'market_value_usd', 'market_value' or 'par')")
    if missing:
        raise InputError(
            f"{what}: {name}: missing column(s): {'; '.join(missing)}. The file has "
            f"{header}; a basket needs an identifier, issuer, coupon, maturity and market "
            "value or par per line"
        )
    several = [c for c in MARKET_VALUE_COLUMNS if c in cols]
    if len(several) > 1:
        raise InputError(
            f"{what}: {name}: several market-value columns {several}; give one (the amounts "
            "would disagree)"
        )
    return cols


def _coupon_in_percent(values: np.ndarray) -> bool:
    """True if a coupon column is in percent: some value fails the decimal-coupon check.

    The check is the package's "looks like a percentage" rule
    (:func:`etfcore._validation.decimals`) at the bonds layer's largest decimal coupon,
    :data:`~etfcore.bonds.bondset.MAX_COUPON_RATE` (0.30).
    """
    try:
        decimals(values, "coupon", limit=MAX_COUPON_RATE, allow_nan=True)
    except InputError:
        return True
    return False


def _day_text(day: int | np.integer) -> str:
    return f"{to_timestamps(np.int64(day)):%Y-%m-%d}"


@dataclass(frozen=True, repr=False)
class PortfolioBasket:
    r"""A client's bond basket read from a file: lines, bonds, flags (from :func:`read_basket`).

    Attributes
    ----------
    path : str
        The file read.
    as_of : int
        The as-of (trade) date as a day number; maturities were checked against it.
    coupon_unit : {"percent", "decimal"}
        How the file's coupon column was read (see :attr:`notes` for why).
    strict : bool
        The mode the file was read in.
    bonds : BondSet
        The basket's bonds (fixed-rate; semiannual 30/360 US unless the file gives
        ``frequency`` / ``day_count``), with ``issuer``, ``rating`` and ``sector``
        attributes.
    total_market_value_usd : float
        Sum of the lines' market values (NaN if a line gives only par).
    notes : tuple of str
        How the file was read: the columns used, units, defaults and what was ignored.
    kept : tuple of str
        With ``strict=False``, the problems whose lines were kept.

    Notes
    -----
    :attr:`lines`, :attr:`flags` and :meth:`to_frame` hand out copies.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from etfcore.io import read_basket
    >>> text = "cusip,issuer,coupon,maturity,par\n037833100,Apple Inc,0.024,2030-05-03,1e6\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "basket.csv")
    ...     _ = path.write_text(text)
    ...     basket = read_basket(path, as_of="2026-01-15")
    >>> basket
    PortfolioBasket(basket.csv: 1 lines, market value n/a, coupons in decimal, 0 flags)
    """

    path: str
    as_of: int
    coupon_unit: str
    strict: bool
    bonds: BondSet
    total_market_value_usd: float
    notes: tuple[str, ...]
    kept: tuple[str, ...]
    _lines: pd.DataFrame = field(repr=False)
    _flags: pd.DataFrame = field(repr=False)
    _file_lines: pd.Series = field(repr=False)
    _cache: IdentityCache = field(
        default_factory=lambda: IdentityCache(4), repr=False, compare=False
    )

    def __repr__(self) -> str:
        mv = self.total_market_value_usd
        shown = f"${mv:,.0f}" if np.isfinite(mv) else "n/a"
        return (
            f"PortfolioBasket({Path(self.path).name}: {len(self._lines)} lines, market value "
            f"{shown}, coupons in {self.coupon_unit}, {len(self._flags)} flags)"
        )

    @property
    def as_of_timestamp(self) -> pd.Timestamp:
        r"""The as-of date as a pandas Timestamp.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from etfcore.io import read_basket
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "b.csv")
        ...     _ = path.write_text(
        ...         "id,issuer,coupon,maturity,par\n037833100,Apple,2.4,2030-05-03,1e6\n")
        ...     read_basket(path, as_of="2026-01-15").as_of_timestamp
        Timestamp('2026-01-15 00:00:00')
        """
        return pd.Timestamp(to_timestamps(np.int64(self.as_of)))

    @property
    def lines(self) -> pd.DataFrame:
        r"""One row per line, indexed by ``id`` (a copy).

        Columns: ``issuer``, ``coupon`` (decimal), ``maturity`` (Timestamp),
        ``market_value_usd`` (NaN if the file gives only par), ``par_usd`` (NaN if not
        given), ``price`` (clean per 100, NaN if not given), ``trade_side`` (the
        client's: ``"sell"`` or ``"buy"``), ``weight`` (the file's stated weight as a
        decimal, NaN if none), ``rating``, ``sector`` (missing where not given).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from etfcore.io import read_basket
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "b.csv")
        ...     _ = path.write_text(
        ...         "id,issuer,coupon,maturity,par\n037833100,Apple,2.4,2030-05-03,1e6\n")
        ...     lines = read_basket(path, as_of="2026-01-15").lines
        >>> float(lines.loc["037833100", "coupon"]), lines.loc["037833100", "trade_side"]
        (0.024, 'sell')
        """
        return frame_copy(self._lines)

    @property
    def flags(self) -> pd.DataFrame:
        r"""What a trader must know, one row per flag (a copy).

        Columns ``id`` (index), ``line`` (the file's line number, NaN for the basket as
        a whole), ``column``, ``kind``, ``value`` and ``message``. Kinds:
        ``"treasury_prefix"`` (a US Treasury CUSIP on a line labelled with another
        issuer), ``"weight_mismatch"`` (a stated weight off its market-value share by
        more than :data:`WEIGHT_TOLERANCE`), ``"weights_total"`` (stated weights not
        adding up to 100%) and, with ``strict=False``, the kept problems
        (``"check_digit"``, ``"matured"``, ``"missing_issuer"``).

        Examples
        --------
        >>> import pathlib, tempfile, warnings
        >>> from etfcore.io import read_basket
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "b.csv")
        ...     _ = path.write_text(
        ...         "id,issuer,coupon,maturity,par\n912828U57,Acme Corp,2.75,2030-05-15,1e6\n")
        ...     with warnings.catch_warnings(record=True):
        ...         warnings.simplefilter("always")
        ...         flags = read_basket(path, as_of="2026-01-15").flags
        >>> flags["kind"].tolist()
        ['treasury_prefix']
        """
        return frame_copy(self._flags)

    def to_frame(self) -> pd.DataFrame:
        r"""The lines with the file's ``line`` numbers and a ``flags`` column (kinds, joined).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from etfcore.io import read_basket
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "b.csv")
        ...     _ = path.write_text(
        ...         "id,issuer,coupon,maturity,par\n037833100,Apple,2.4,2030-05-03,1e6\n")
        ...     frame = read_basket(path, as_of="2026-01-15").to_frame()
        >>> int(frame["line"].iloc[0]), frame["flags"].iloc[0]
        (2, '')
        """
        out = frame_copy(self._lines)
        out.insert(0, "line", self._file_lines.reindex(out.index).to_numpy())
        kinds: dict[Any, str] = (
            self._flags.groupby(level=0)["kind"].agg(", ".join).to_dict()
            if len(self._flags)
            else {}
        )
        out["flags"] = [kinds.get(i, "") for i in out.index]
        return out

    def summary(self) -> Any:
        r"""The basket at a glance: totals, how it was read, the lines and the flags.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from etfcore.io import read_basket
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "b.csv")
        ...     _ = path.write_text(
        ...         "id,issuer,coupon,maturity,par\n037833100,Apple,2.4,2030-05-03,1e6\n")
        ...     text = str(read_basket(path, as_of="2026-01-15").summary())
        >>> "coupon_unit" in text and "percent" in text
        True
        """
        lines = self._lines
        sides = lines["trade_side"].value_counts()
        facts = {
            "file": Path(self.path).name,
            "as_of": _day_text(self.as_of),
            "n_lines": len(lines),
            "total_market_value_usd": self.total_market_value_usd,
            "total_par_usd": float(lines["par_usd"].sum(min_count=len(lines))),
            "client_sells": int(sides.get("sell", 0)),
            "client_buys": int(sides.get("buy", 0)),
            "coupon_unit": self.coupon_unit,
            "strict": str(self.strict),
            "n_flags": len(self._flags),
            "n_kept_problems": len(self.kept),
        }
        shown = lines.assign(
            coupon_pct=lines["coupon"] * 100,
            maturity=lines["maturity"].dt.strftime("%Y-%m-%d"),
            weight_pct=lines["weight"] * 100,
        )[["issuer", "coupon_pct", "maturity", "market_value_usd", "par_usd", "trade_side"]]
        tables: list[Any] = [facts, shown]
        if len(self._flags):
            tables.append(self._flags[["line", "kind", "message"]])
        kept = (
            [f"{len(self.kept)} problem(s) kept (strict=False), listed with the flags"]
            if self.kept
            else []
        )
        return make_summary(
            f"Portfolio basket: {Path(self.path).name}", tables, [*self.notes, *kept]
        )

    # ------------------------------------------------------------------ pricing
    def spread_assumptions(
        self,
        market: MarketState,
        spread_curve: Any = None,
        rating: str | None = None,
        sector: str | None = None,
    ) -> pd.DataFrame:
        r"""How :meth:`in_market` sets the z-spread of each line the market does not know.

        Parameters
        ----------
        market, spread_curve, rating, sector
            As :meth:`in_market`.

        Returns
        -------
        pandas.DataFrame
            By id, for the bonds new to ``market``: ``z_spread_bp``, ``source``
            (``"price"``: solved from the file's clean price; ``"spread_curve"``),
            ``rating`` and ``sector`` used, and ``defaulted`` (what was a default).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from etfcore.io import read_basket
        >>> from etfcore.market import synthetic_market
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "b.csv")
        ...     _ = path.write_text(
        ...         "id,issuer,coupon,maturity,par\n037833100,Apple,2.4,2030-05-03,1e6\n")
        ...     basket = read_basket(path, as_of="2026-01-15")
        >>> a = basket.spread_assumptions(synthetic_market(0))
        >>> a[["source", "rating", "defaulted"]].iloc[0].tolist()
        ['spread_curve', 'BBB', 'rating BBB (DEFAULT_RATING); no sector add-on (DEFAULT_SECTOR)']
        """
        return _spread_assumptions(self, market, spread_curve, rating, sector)[0]

    def in_market(
        self,
        market: MarketState,
        spread_curve: Any = None,
        rating: str | None = None,
        sector: str | None = None,
    ) -> MarketState:
        r"""``market`` with the basket's bonds added, so that the trading layer can price them.

        Parameters
        ----------
        market : MarketState
            A market (an :class:`etfcore.market.Market` keeps its ETFs, which still
            resolve their holdings).
        spread_curve : SpreadCurve, optional
            Spreads by rating, sector and tenor for lines without a price. Default: the
            market's own, ``market.credit_spread_curve`` (the synthetic market's is
            :func:`etfcore.market.synthetic.synthetic_spread_curve`); a market without one
            needs this argument unless every new line has a price.
        rating : str, optional
            Rating of lines without one (default :data:`DEFAULT_RATING`, ``"BBB"``).
        sector : str, optional
            Sector of lines without one (default :data:`DEFAULT_SECTOR`: no add-on).

        Returns
        -------
        MarketState
            ``market`` itself when it knows every bond of the basket; else a market of
            the same class with the new bonds appended to its BondSet, their z-spreads,
            and (when the market has liquidity scores) scores for them.

        Raises
        ------
        InputError
            If a new bond matures on or before the market's settlement, a rating or
            sector is unknown to the spread curve, there is no spread curve for lines
            without a price, or a price cannot be matched.

        Notes
        -----
        * A line with a clean price gets the z-spread that reprices it on the market's
          curve (:func:`etfcore.bonds.pricing.z_spread_from_price`); a line without one
          gets ``spread_curve.spread(rating, sector, years to maturity)``.
        * Bonds the market already has keep the market's z-spread (the file's price
          does not move the market).
        * New bonds get ``grade`` ``"IG"`` (``"HY"`` for ratings below BBB), and the
          bond liquidity model's own defaults for issue size and age
          (``reference_issue_size_usd``, ``default_age_years``) when it has them; new
          liquidity scores are the median of the market's. A :class:`Market`'s
          ``source`` says what was added and which defaults were used
          (:meth:`spread_assumptions` lists them by line).
        * The extended market is cached on the basket for the same market and
          arguments (a few entries), so pricing a basket again does not rebuild it.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from etfcore.io import read_basket
        >>> from etfcore.market import synthetic_market
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "b.csv")
        ...     _ = path.write_text(
        ...         "id,issuer,coupon,maturity,market_value,price\n"
        ...         "037833100,Apple,2.4,2030-05-03,1e6,95.5\n")
        ...     basket = read_basket(path, as_of="2026-01-15")
        >>> m = synthetic_market(0)
        >>> extended = basket.in_market(m)
        >>> len(extended.bonds) - len(m.bonds), "037833100" in extended.bonds.ids
        (1, True)
        """
        key = ("in_market", id(market), id(spread_curve), rating, sector)
        hit = self._cache.get(key, (market, spread_curve))
        if hit is None:
            hit = _in_market(self, market, spread_curve, rating, sector)
            self._cache.put(key, (market, spread_curve), hit)
        return hit


# ---------------------------------------------------------------------- reading
def read_basket(
    path: str | os.PathLike[str], as_of: Any = None, strict: bool = True
) -> PortfolioBasket:
    r"""Read a client's bond basket (portfolio-trade list) from a CSV file.

    Parameters
    ----------
    path : str or path-like
        A CSV with a header line. Columns (names are case-insensitive):

        * identifier: ``cusip``, ``isin`` or ``id`` (the first present), a CUSIP or an
          ISIN with a valid check digit;
        * ``issuer``;
        * coupon: ``coupon_pct`` (percent), or ``coupon`` / ``coupon_rate`` (percent or
          decimal, detected from the values: see Notes);
        * ``maturity`` (or ``maturity_date``): ``2029-11-21``, ``Nov 21, 2029`` or
          ``11/21/2029``;
        * amount: one of ``market_value_mm`` (USD millions), ``market_value_usd``,
          ``market_value`` (USD), and/or ``par`` (face, USD);
        * optional: ``price`` (clean, per 100), ``side`` / ``trade_side`` (the client's:
          ``sell`` or ``buy``; default sell), ``weight_pct`` / ``weight``, ``rating``,
          ``sector``, and the conventions ``frequency``, ``day_count``, ``issue_date``,
          ``first_coupon_date`` (defaults: semiannual 30/360 US, as US corporates).
    as_of : date-like, optional
        Trade date the maturities are checked against (default: today). A bond that
        matures on or before it is a problem.
    strict : bool, default True
        Every problem is an error. With ``False``, a bad check digit, a matured bond or
        a blank issuer is reported in one :class:`~etfcore.DataWarning` and the line
        is kept (and flagged); problems without a value to keep (an unreadable number,
        a missing maturity, a duplicate id, an unknown side, a market value <= 0)
        remain errors.

    Returns
    -------
    PortfolioBasket

    Raises
    ------
    InputError
        A path that does not exist or cannot be read (naming it), a missing column, or
        one error listing every problem of the file, each by line number, id, column
        and value with what to do (the message shows the first 30, ``.problems`` holds
        them all); the flags (below) are added to the message.

    Warns
    -----
    DataWarning
        One per read, when there are flags (a US Treasury CUSIP labelled with another
        issuer; weights that do not match the market values, and by how much) or, with
        ``strict=False``, kept problems.

    Notes
    -----
    * Coupon unit: ``coupon_pct`` is percent. A ``coupon`` or ``coupon_rate`` column is
      percent when some value fails the package's "looks like a percentage" check
      (:func:`etfcore._validation.decimals`) at the largest plausible decimal coupon,
      ``MAX_COUPON_RATE = 0.30`` of :mod:`etfcore.bonds.bondset`; otherwise decimal.
      :attr:`PortfolioBasket.coupon_unit` and :attr:`PortfolioBasket.notes` say which.
    * Weights (``weight_pct`` percent; ``weight`` percent if it sums to more than 10,
      else decimal) are compared with each line's share of the total market value: a
      difference above :data:`WEIGHT_TOLERANCE` (0.05 percentage points) is flagged,
      as is a total that is not 100%.
    * A line's file line number counts the header as line 1 (blank lines count too).

    Examples
    --------
    The seed basket has bad check digits and bonds that matured before today; read
    strictly, one error lists them all. Read leniently with an as-of date before its
    maturities, it keeps every line and flags the Treasury CUSIP labelled UnitedHealth:

    >>> import warnings
    >>> import etfcore
    >>> from etfcore.data import seed_path
    >>> from etfcore.io import read_basket
    >>> seed = seed_path("seed_basket.csv")
    >>> try:
    ...     read_basket(seed, as_of="2026-12-03")
    ... except etfcore.InputError as e:
    ...     print(str(e).splitlines()[0])  # doctest: +ELLIPSIS
    seed_basket.csv: 10 problem(s) in the basket (strict=False keeps the lines with a ...
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     basket = read_basket(seed, as_of="2024-12-02", strict=False)
    >>> len(basket.lines), basket.coupon_unit, f"${basket.total_market_value_usd:,.0f}"
    (10, 'percent', '$50,000,000')
    >>> basket.flags.loc["912828U58", "kind"].tolist()
    ['check_digit', 'treasury_prefix']
    """
    what = "read_basket"
    file = Path(os.fspath(path)) if isinstance(path, (str, os.PathLike)) else None
    if file is None:
        raise InputError(f"{what}: path must be a file path (str or Path), got {type(path)}")
    as_of_day = today() if as_of is None else to_day(as_of, "as_of")
    header, rows, line_numbers = _read_rows(file, what)
    name = file.name
    cols = _columns(header, name, what)
    text = pd.DataFrame(rows, columns=[_norm(h) for h in header], dtype=object)
    notes: list[str] = []
    id_col = next(c for c in ID_COLUMNS if c in cols)
    ids = text[id_col].astype(str)
    labels = [
        f"line {ln} ({i})" if i else f"line {ln}" for ln, i in zip(line_numbers, ids, strict=True)
    ]
    log = CellLog(name, labels, strict=strict)
    # (row, column, kind, value, message) of each problem strict=False keeps
    soft_kind: list[tuple[int | None, str, str, str, str]] = []

    def soft(i: int, column: str, kind: str, value: str, message: str) -> None:
        log.out_of_range(i, column, message)
        soft_kind.append((i, column, kind, value, message))

    # ---- identifiers
    checked = check_identifiers(ids.to_numpy(dtype=object))
    for i in range(len(ids)):
        v = ids.iloc[i]
        if v in MISSING:
            log.error(i, id_col, "blank; give the bond's CUSIP or ISIN")
            continue
        kind = checked["kind"].iloc[i]
        if kind == "other":
            log.error(i, id_col, f"{checked['message'].iloc[i]}; give the bond's CUSIP or ISIN")
        elif not checked["valid"].iloc[i]:
            expected = checked["expected_check_digit"].iloc[i]
            soft(
                i,
                id_col,
                "check_digit",
                v,
                f"{kind.upper()} {v!r}: check digit should be {expected}, got {v[-1]}; "
                "correct the identifier",
            )
    dup = ids.duplicated(keep=False) & ~ids.isin(MISSING)
    for value, where in ids[dup].groupby(ids[dup]).groups.items():
        at = [line_numbers[int(k)] for k in where]
        for k in list(where)[1:]:
            log.error(
                int(k),
                id_col,
                f"{value!r} is also on line(s) {at[:1]}; a bond appears once in a basket "
                "(merge the lines)",
            )

    # ---- issuer
    issuer = text["issuer"]
    for i in np.flatnonzero(issuer.isin(MISSING).to_numpy()).tolist():
        soft(int(i), "issuer", "missing_issuer", "", "blank; give the issuer's name")

    # ---- coupon
    coupon_col = next(c for c in COUPON_COLUMNS if c in cols)
    coupon_raw = log.numbers(text[coupon_col], coupon_col, thousands=False)
    if coupon_col == "coupon_pct":
        in_percent = True
        notes.append("coupons: column 'coupon_pct', read as percent (divided by 100)")
    else:
        in_percent = _coupon_in_percent(coupon_raw)
        top = float(np.nanmax(coupon_raw)) if np.isfinite(coupon_raw).any() else np.nan
        notes.append(
            f"coupons: column {coupon_col!r} detected as "
            + (
                f"percent (largest value {top:g} > {MAX_COUPON_RATE:g}, the largest plausible "
                "decimal coupon), divided by 100"
                if in_percent
                else f"decimal (no value above {MAX_COUPON_RATE:g}, the largest plausible "
                "decimal coupon)"
            )
        )
    coupon_unit = "percent" if in_percent else "decimal"
    pct = coupon_raw if in_percent else coupon_raw * 100.0
    for mask, what_is in _COUPON_PCT.violations(pct):
        for i in np.flatnonzero(mask).tolist():
            log.error(
                int(i),
                coupon_col,
                f"{text[coupon_col].iloc[i]!r} is {what_is} as a coupon in {coupon_unit}; "
                f"expected {_COUPON_PCT.describe()} (or its decimal)",
            )
    log.missing(
        coupon_raw,
        text[coupon_col],
        coupon_col,
        np.ones(len(ids), dtype=bool),
        fix="give the coupon (0 for a zero-coupon bond)",
    )
    coupon = coupon_raw / 100.0 if in_percent else coupon_raw

    # ---- maturity
    mat_col = "maturity" if "maturity" in cols else "maturity_date"
    maturity = log.dates(
        text[mat_col], mat_col, layouts=("iso", "month_name", "mdy"), required=False
    )
    mat_days = maturity.astype("datetime64[D]").astype(np.int64)
    missing_mat = np.isnat(maturity)
    for i in np.flatnonzero(missing_mat & text[mat_col].isin(MISSING).to_numpy()).tolist():
        log.error(int(i), mat_col, "blank; give the maturity date (YYYY-MM-DD)")
    as_of_text = _day_text(as_of_day)
    for i in np.flatnonzero(~missing_mat & (mat_days <= as_of_day)).tolist():
        soft(
            int(i),
            mat_col,
            "matured",
            text[mat_col].iloc[i],
            f"{_day_text(mat_days[i])} is on or before as_of {as_of_text}: the bond has "
            "matured; remove the line, or pass the basket's trade date as as_of",
        )

    # ---- amounts
    def amount(column: str, scale: float) -> np.ndarray:
        values = log.numbers(text[column], column) * scale
        cells = text[column]
        for mask, what_is in _AMOUNT.violations(values):
            for i in np.flatnonzero(mask).tolist():
                log.error(
                    int(i),
                    column,
                    f"{cells.iloc[i]!r} is {what_is}; a line's amount must be > 0 (the side "
                    "column says whether the client sells or buys)",
                )
        return values

    mv_col = next((c for c in MARKET_VALUE_COLUMNS if c in cols), None)
    par_col = next((c for c in PAR_COLUMNS if c in cols), None)
    n = len(ids)
    mv = amount(mv_col, MARKET_VALUE_COLUMNS[mv_col]) if mv_col else np.full(n, np.nan)
    par = amount(par_col, PAR_COLUMNS[par_col]) if par_col else np.full(n, np.nan)
    blank = np.isnan(mv) & np.isnan(par)
    used = " or ".join(repr(c) for c in (mv_col, par_col) if c)
    for i in np.flatnonzero(blank).tolist():
        if not any((int(i), c) in log._unreadable for c in (mv_col, par_col) if c):
            log.error(int(i), mv_col or str(par_col), f"blank; give the line's {used}")
    if mv_col:
        notes.append(
            f"market value: column {mv_col!r}"
            + (" (USD millions, x 1e6)" if mv_col == "market_value_mm" else " (USD)")
        )
    if par_col:
        notes.append(f"par: column {par_col!r} (USD face)")

    # ---- price
    price = np.full(n, np.nan)
    price_col = "price" if "price" in cols else "clean_price" if "clean_price" in cols else None
    if price_col:
        price = log.numbers(text[price_col], price_col)
        for mask, what_is in _PRICE.violations(price):
            for i in np.flatnonzero(mask).tolist():
                log.error(
                    int(i),
                    price_col,
                    f"{text[price_col].iloc[i]!r} is {what_is}; expected {_PRICE.describe()}",
                )
        notes.append(f"prices: column {price_col!r}, clean per 100 face")

    # ---- side
    side_col = "trade_side" if "trade_side" in cols else "side" if "side" in cols else None
    sides = np.full(n, DEFAULT_TRADE_SIDE, dtype=object)
    if side_col:
        n_default = 0
        for i, v in enumerate(text[side_col]):
            if v in MISSING:
                n_default += 1
                continue
            word = _SIDE_WORDS.get(v.lower())
            if word is None:
                log.error(
                    i,
                    side_col,
                    f"{v!r} is not a side; use one of {list(TRADE_SIDES)} (the client's side)",
                )
            else:
                sides[i] = word
        if n_default:
            notes.append(
                f"side: {n_default} blank cell(s) in {side_col!r} read as the default "
                f"{DEFAULT_TRADE_SIDE!r} (the client sells)"
            )
    else:
        notes.append(f"side: no side column; every line is a client {DEFAULT_TRADE_SIDE}")

    # ---- weight
    weight = np.full(n, np.nan)
    weight_col = "weight_pct" if "weight_pct" in cols else "weight" if "weight" in cols else None
    if weight_col:
        raw_w = log.numbers(text[weight_col], weight_col)
        total_w = float(np.nansum(raw_w))
        w_percent = weight_col == "weight_pct" or total_w > 10.0
        weight = raw_w / 100.0 if w_percent else raw_w
        notes.append(
            f"weights: column {weight_col!r} read as "
            + ("percent" if w_percent else "decimal")
            + ("" if weight_col == "weight_pct" else f" (the column sums to {total_w:g})")
        )
        for mask, what_is in _WEIGHT.violations(weight):
            for i in np.flatnonzero(mask).tolist():
                log.error(
                    int(i),
                    weight_col,
                    f"{text[weight_col].iloc[i]!r} is {what_is} as a weight; expected 0 to "
                    "100% of the basket",
                )

    def optional_text(column: str) -> np.ndarray:
        if column not in cols:
            return np.full(n, None, dtype=object)
        values = text[column].to_numpy(dtype=object).copy()
        values[text[column].isin(MISSING).to_numpy()] = None
        return values

    rating = optional_text("rating")
    sector = optional_text("sector")
    known = {
        id_col,
        "issuer",
        coupon_col,
        mat_col,
        *(c for c in (mv_col, par_col, price_col, side_col, weight_col) if c),
        "rating",
        "sector",
        *CONVENTION_COLUMNS,
    }
    ignored = [h for h in header if _norm(h) not in known]
    if ignored:
        notes.append(f"ignored column(s): {ignored}")

    # ---- flags a trader must know (warnings, and listed in a strict error)
    flags: list[tuple[int | None, str, str, str, str]] = []
    for i, v in enumerate(ids):
        who = str(issuer.iloc[i])
        if is_us_treasury_cusip(v) and not any(w in who.lower() for w in _GOVERNMENT_WORDS):
            flags.append(
                (
                    i,
                    id_col,
                    "treasury_prefix",
                    v,
                    f"{v} has the issuer number {(v[2:] if len(v) == 12 else v)[:6]} of the US "
                    f"Treasury, but the line says "
                    f"{who!r}; check which bond is meant before pricing it",
                )
            )
    if weight_col and np.isfinite(mv).all() and np.isfinite(weight).all():
        share = mv / mv.sum()
        off = weight - share
        for i in np.flatnonzero(np.abs(off) > WEIGHT_TOLERANCE).tolist():
            flags.append(
                (
                    int(i),
                    weight_col,
                    "weight_mismatch",
                    text[weight_col].iloc[i],
                    f"weight {weight[i]:.2%} but {share[i]:.2%} of the basket's market value "
                    f"(off by {off[i] * 1e4:+.1f} bp of weight); the market values are used",
                )
            )
        if not (np.abs(off) > WEIGHT_TOLERANCE).any():
            notes.append(
                f"weights: every stated weight is within {WEIGHT_TOLERANCE * 100:g} percentage "
                "points of its share of the market value"
            )
        total_off = float(weight.sum() - 1.0)
        if abs(total_off) > WEIGHT_TOLERANCE:
            flags.append(
                (
                    None,
                    weight_col,
                    "weights_total",
                    f"{weight.sum():.4%}",
                    f"the weights add up to {weight.sum():.2%}, not 100% (off by "
                    f"{total_off * 100:+.2f} percentage points)",
                )
            )

    elif weight_col:
        notes.append(
            "weights: not checked against market values (some lines give par only, "
            "without a market value)"
        )

    def flag_text(f: tuple[int | None, str, str, str, str]) -> str:
        where = log.where(f[0], f[1]) if f[0] is not None else f"column {f[1]!r}"
        return f"{where}: {f[4]}"

    # ---- the end: one error, or one warning
    problems = log.errors + (log.soft if strict else [])
    if problems:
        hint = (
            " (strict=False keeps the lines with a bad check digit, a matured bond or a "
            "blank issuer, flagged)"
            if strict and log.soft
            else ""
        )
        message = f"{name}: {len(problems)} problem(s) in the basket{hint}:\n  - " + "\n  - ".join(
            _listed(problems)
        )
        if flags:
            message += "\nalso flagged (not errors):\n  - " + "\n  - ".join(
                flag_text(f) for f in flags
            )
        raise InputError(message, problems)
    kept_text = tuple(f"kept (strict=False): {m}" for m in log.soft)
    if log.soft or flags:
        parts = [*kept_text, *(f"flag: {flag_text(f)}" for f in flags)]
        warnings.warn(
            f"{name}: {len(log.soft)} problem(s) kept and {len(flags)} flag(s):\n  - "
            + "\n  - ".join(_listed(parts)),
            DataWarning,
            stacklevel=2,
        )

    # ---- the result
    index = pd.Index(ids.to_numpy(dtype=object), name="id")
    lines = pd.DataFrame(
        {
            "issuer": issuer.mask(issuer.isin(MISSING)).to_numpy(dtype=object),
            "coupon": coupon,
            "maturity": to_timestamps(mat_days),
            "market_value_usd": mv,
            "par_usd": par,
            "price": price,
            "trade_side": sides,
            "weight": weight,
            "rating": rating,
            "sector": sector,
        },
        index=index,
    )
    frame = pd.DataFrame(
        {
            "id": index,
            "coupon_rate": coupon,
            "maturity_date": mat_days,
            "issuer": lines["issuer"].to_numpy(),
            "rating": rating,
            "sector": sector,
        }
    )
    for c in CONVENTION_COLUMNS:
        if c in cols:
            frame[c] = text[c].replace({m: None for m in MISSING}).to_numpy()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            bonds = BondSet.from_frame(frame, strict=False, id_type="none")
    except InputError as exc:
        # name the file's lines, not the frame's rows
        def line_of(m: re.Match[str]) -> str:
            return f"line {line_numbers[int(m.group(1))]} ("

        text_of = re.sub(r"row (\d+) \(id ", line_of, str(exc))
        raise InputError(f"{name}: {text_of}") from exc
    if not any(c in cols for c in ("frequency", "day_count")):
        notes.append("conventions: fixed-rate, semiannual, 30/360 US (US corporate defaults)")
    all_flags: list[tuple[int | None, str, str, str, str]] = [
        *(soft_kind if not strict else []),
        *flags,
    ]
    flag_frame = pd.DataFrame(
        {
            "line": pd.array(
                [line_numbers[f[0]] if f[0] is not None else None for f in all_flags],
                dtype="Int64",
            ),
            "column": [f[1] for f in all_flags],
            "kind": [f[2] for f in all_flags],
            "value": [f[3] for f in all_flags],
            "message": [f[4] for f in all_flags],
        },
        index=pd.Index(
            [ids.iloc[f[0]] if f[0] is not None else "(basket)" for f in all_flags], name="id"
        ),
    )
    total = float(mv.sum()) if np.isfinite(mv).all() else float("nan")
    return PortfolioBasket(
        path=str(file),
        as_of=int(as_of_day),
        coupon_unit=coupon_unit,
        strict=bool(strict),
        bonds=bonds,
        total_market_value_usd=total,
        notes=tuple(notes),
        kept=kept_text,
        _lines=lines,
        _flags=flag_frame,
        _file_lines=pd.Series(line_numbers, index=index, name="line"),
    )


def _listed(problems: list[str], limit: int = 30) -> list[str]:
    if len(problems) > limit:
        return problems[:limit] + [f"... and {len(problems) - limit} more"]
    return list(problems)


# ---------------------------------------------------------------------- pricing
_HY_RATINGS = ("BB", "B", "CCC", "CC", "C", "D")


def _default_spread_curve(market: MarketState, spread_curve: Any) -> tuple[Any, str]:
    from ..bonds.spreads import SpreadCurve

    if spread_curve is not None:
        if not isinstance(spread_curve, SpreadCurve):
            raise InputError(
                f"spread_curve: expected an etfcore.SpreadCurve, got {type(spread_curve).__name__}"
            )
        return spread_curve, "the spread curve given"
    own = getattr(market, "credit_spread_curve", None)
    if isinstance(own, SpreadCurve):
        return own, "the market's spread curve (credit_spread_curve)"
    raise InputError(
        f"spread_curve: the market ({type(market).__name__}) has no spread curve to price "
        "lines without a price; pass spread_curve= (an etfcore.SpreadCurve, e.g. "
        "etfcore.market.synthetic.synthetic_spread_curve()) or give prices in the file"
    )


def _spread_assumptions(
    basket: PortfolioBasket,
    market: MarketState,
    spread_curve: Any,
    rating: str | None,
    sector: str | None,
) -> tuple[pd.DataFrame, str]:
    if not isinstance(market, MarketState):
        raise InputError(
            "market: expected a MarketState (for instance etfcore.market.synthetic_market()), "
            f"got {type(market).__name__}"
        )
    lines = basket._lines
    new = lines.index[market.bonds.ids.get_indexer(lines.index) < 0]
    sub = lines.loc[new]
    mat = basket.bonds.select(new).maturity
    gone = new[np.asarray(mat) <= market.settlement]
    if len(gone):
        raise InputError(
            f"{Path(basket.path).name}: {len(gone)} bond(s) mature on or before the market's "
            f"settlement {_day_text(market.settlement)}: {list(gone)}; remove them or use a "
            "market dated before their maturities"
        )
    rating_default = DEFAULT_RATING if rating is None else str(rating)
    sector_default = DEFAULT_SECTOR if sector is None else str(sector)
    has_rating = sub["rating"].notna().to_numpy()
    has_sector = sub["sector"].notna().to_numpy()
    used_rating = np.where(has_rating, sub["rating"].to_numpy(dtype=object), rating_default)
    used_sector = sub["sector"].to_numpy(dtype=object).copy()
    used_sector[~has_sector] = sector_default
    priced = sub["price"].notna().to_numpy()
    z = np.full(len(sub), np.nan)
    if priced.any():
        from ..bonds.pricing import z_spread_from_price

        bonds = basket.bonds.select(new[priced])
        z[priced] = z_spread_from_price(
            bonds, market.curve, sub["price"].to_numpy()[priced], market.settlement
        ).to_numpy()
    curve_name = "no spread curve (every new line has a price)"
    if (~priced).any():
        curve, curve_name = _default_spread_curve(market, spread_curve)
        years = (np.asarray(mat)[~priced] - market.settlement) / 365.25
        try:
            z[~priced] = curve.spread(used_rating[~priced], used_sector[~priced], years)
        except InputError as exc:
            raise InputError(
                f"{Path(basket.path).name}: {exc} (pass rating=/sector= for lines without "
                "them, or a spread_curve= that has them)"
            ) from exc
    defaulted = []
    for r_given, s_given, p in zip(has_rating, has_sector, priced, strict=True):
        if p:
            defaulted.append("")
            continue
        parts = []
        if not r_given:
            parts.append(
                f"rating {rating_default}" + (" (DEFAULT_RATING)" if rating is None else "")
            )
        if not s_given:
            parts.append(
                "no sector add-on (DEFAULT_SECTOR)"
                if sector_default is None
                else f"sector {sector_default}" + (" (DEFAULT_SECTOR)" if sector is None else "")
            )
        defaulted.append("; ".join(parts))
    table = pd.DataFrame(
        {
            "z_spread_bp": z * 1e4,
            "source": np.where(priced, "price", "spread_curve"),
            "rating": used_rating,
            "sector": used_sector,
            "defaulted": defaulted,
        },
        index=new,
    )
    return table, curve_name


def _in_market(
    basket: PortfolioBasket,
    market: MarketState,
    spread_curve: Any,
    rating: str | None,
    sector: str | None,
) -> MarketState:
    table, curve_name = _spread_assumptions(basket, market, spread_curve, rating, sector)
    if len(table) == 0:
        return market
    new = table.index
    added = basket.bonds.select(new)
    ratings = table["rating"].astype(str)
    attrs = pd.DataFrame(
        {
            "issuer": basket._lines.loc[new, "issuer"].to_numpy(),
            "sector": table["sector"].to_numpy(dtype=object),
            "rating": ratings.to_numpy(),
            "grade": np.where(ratings.str.upper().isin(_HY_RATINGS), "HY", "IG"),
        },
        index=new,
    )
    liq_defaults = []
    for column, attr in (
        ("issue_size_usd", "reference_issue_size_usd"),
        ("age_years", "default_age_years"),
    ):
        value = getattr(market.liquidity, attr, None)
        if value is not None:
            attrs[column] = float(value)
            liq_defaults.append(f"{column} {float(value):g} ({attr})")
    added = dataclasses.replace(added, attributes=attrs, _cache={})
    bonds = BondSet.concat([market.bonds, added])
    z = pd.concat([market.z_spread, table["z_spread_bp"] * 1e-4]).rename("z_spread")
    scores = market.liquidity_scores
    score_note = ""
    if scores is not None:
        fill = float(np.nanmedian(scores.to_numpy(dtype=float)))
        scores = pd.concat([scores, pd.Series(fill, index=new)]).rename(scores.name)
        score_note = f"; liquidity score {fill:.3f} (the median of the market's)"
    extended = market.with_bonds(bonds, z, liquidity_scores=scores)
    n_price = int((table["source"] == "price").sum())
    n_defaulted = int((table["defaulted"] != "").sum())
    note = (
        f"; basket {Path(basket.path).name}: {len(new)} bond(s) added, z-spreads from the "
        f"file's price for {n_price} and from {curve_name} for {len(new) - n_price}"
        + (f" ({n_defaulted} with defaults: see spread_assumptions)" if n_defaulted else "")
        + (f"; liquidity attributes {', '.join(liq_defaults)}" if liq_defaults else "")
        + score_note
    )
    if hasattr(extended, "source"):
        changes: dict[str, Any] = {"source": str(extended.source) + note}
        extended = dataclasses.replace(extended, **changes)
    return extended
