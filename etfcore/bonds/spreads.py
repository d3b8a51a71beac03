"""Credit spread curves by rating, sector and tenor: :class:`SpreadCurve`.

A corporate bond is priced at the Treasury zero curve plus a z-spread. Where a bond has
no quoted spread of its own (a new issue, a scenario, a hedge), its spread comes from a
curve of spreads by credit rating and years to maturity, plus an add-on by sector. The
hedging layer reads spread risk and spread shocks by rating and sector from it.

Units: the curve is stored and shocked in basis points (``_bp`` names);
:meth:`SpreadCurve.spread` and :meth:`SpreadCurve.z_spreads` return decimals (80 bp
is 0.008), the unit the pricing functions take.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import as_number, show
from ..errors import InputError
from .dates import to_day

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from statsmodels.iolib.summary2 import Summary

    from .bondset import BondSet

__all__ = ["SpreadCurve"]

_BP = 1e-4
#: Days per year for the years to maturity of :meth:`SpreadCurve.z_spreads`.
DAYS_PER_YEAR = 365.25


def _labels(values: Any, name: str) -> list[str]:
    out = [str(v).strip() for v in values]
    if any(v == "" for v in out):
        raise InputError(f"{name}: empty label in {list(values)!r}; give every row a name")
    seen: set[str] = set()
    for v in out:
        if v in seen:
            raise InputError(f"{name}: {v!r} appears twice; give each one row")
        seen.add(v)
    return out


def _finite_bp(values: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected numbers in basis points, got {values!r}") from None
    bad = np.flatnonzero(~np.isfinite(arr.reshape(-1)))
    if len(bad):
        raise InputError(
            f"{name}: position {int(bad[0])} has {show(arr.reshape(-1)[bad[0]])}; "
            "spreads must be finite numbers (bp)"
        )
    return arr


@dataclass(frozen=True, eq=False, repr=False)
class SpreadCurve:
    """Credit spreads (bp) by rating and years to maturity, plus a sector add-on.

    ``spread_bp(rating, sector, T) = table[rating](T) + sector_bp[sector]``, with
    ``table[rating](T)`` linear in ``T`` between the tenors and flat outside them.
    Sectors in ``zero_sectors`` (government bonds: ``"Treasury"``) have spread 0 at
    every rating and tenor (and need no rating).

    Build it with ``SpreadCurve(tenors, ratings, spreads_bp, sector_bp)`` or
    :meth:`from_frame`; it is frozen: :meth:`shocked` and :meth:`parallel` return
    new curves.

    Parameters
    ----------
    tenors : array-like of float
        Years to maturity of the table's columns, increasing, ``>= 0``.
    ratings : sequence of str
        Ratings, one per row of the table (``"AAA"``, ..., ``"CCC"``), unique.
    spreads_bp : array-like, shape (n_ratings, n_tenors)
        Spread of each rating at each tenor, in basis points.
    sector_bp : mapping of str to float, optional
        Add-on (bp, may be negative) of each sector; a bond's sector must be one of
        these or of ``zero_sectors``. ``None``: no sectors (use ``sector=None``).
    zero_sectors : sequence of str, default ("Treasury",)
        Sectors priced at zero spread.
    name : str, default ""
        A label for reprs and plots.

    Attributes
    ----------
    tenors : numpy.ndarray
    ratings : tuple of str
    spreads_bp : numpy.ndarray
        Read-only ``(n_ratings, n_tenors)`` table, bp.
    sector_bp : mapping of str to float
        Sector add-ons, bp (read-only).

    Raises
    ------
    InputError
        Unsorted or negative tenors, a table of the wrong shape, non-finite spreads,
        duplicate ratings or sectors, or a table that looks like decimals (every
        |spread| below 1 bp but not all zero).

    Notes
    -----
    Interpolation is linear in tenor on the spread itself (not on a discount factor),
    with flat extrapolation below the first and beyond the last tenor: a bond 40 years
    out gets the 30-year spread. The sector add-on is the same at every tenor and
    rating. :meth:`z_spreads` measures years to maturity as ACT/365.25 from the
    settlement date, as the synthetic market does.

    Examples
    --------
    >>> from etfcore.bonds.spreads import SpreadCurve
    >>> sc = SpreadCurve([1, 10], ["A", "BBB"], [[50, 80], [80, 120]], {"Banking": 5.0})
    >>> sc
    SpreadCurve(2 ratings x 2 tenors (1..10 years), 1 sectors)
    >>> float(sc.spread_bp("BBB", "Banking", 5.5))
    105.0
    >>> sc.spread_bp(["A", "BBB"], "Banking", [1.0, 20.0]).tolist()
    [55.0, 125.0]
    >>> float(sc.spread("A", "Treasury", 5.0))
    0.0
    """

    tenors: np.ndarray
    ratings: tuple[str, ...]
    spreads_bp: np.ndarray
    sector_bp: Mapping[str, float] | None = None
    zero_sectors: tuple[str, ...] = ("Treasury",)
    name: str = ""
    _sector_index: dict[str, int] = field(init=False, compare=False)
    _sector_values: np.ndarray = field(init=False, compare=False)

    def __post_init__(self) -> None:
        t = _finite_bp(self.tenors, "tenors").reshape(-1)
        if t.size == 0:
            raise InputError("tenors: empty; give at least one tenor (years)")
        if (t < 0).any():
            raise InputError(f"tenors: {t.tolist()} has a negative tenor; give years >= 0")
        if (np.diff(t) <= 0).any():
            i = int(np.flatnonzero(np.diff(t) <= 0)[0]) + 1
            raise InputError(
                f"tenors: position {i} value {t[i]:g} is not after position {i - 1} value "
                f"{t[i - 1]:g}; give increasing tenors"
            )
        ratings = tuple(_labels(self.ratings, "ratings"))
        table = _finite_bp(self.spreads_bp, "spreads_bp")
        if table.ndim == 1 and len(ratings) == 1:
            table = table[None, :]
        if table.shape != (len(ratings), t.size):
            raise InputError(
                f"spreads_bp: shape {table.shape}, expected ({len(ratings)}, {t.size}) "
                "(one row per rating, one column per tenor)"
            )
        sectors = dict(self.sector_bp or {})
        names = _labels(list(sectors), "sector_bp")
        add = _finite_bp([sectors[k] for k in sectors], "sector_bp")
        zero = tuple(_labels(self.zero_sectors, "zero_sectors"))
        both = set(names) & set(zero)
        if both:
            raise InputError(
                f"sector_bp: {sorted(both)} also in zero_sectors; a sector has one spread rule"
            )
        big = max(float(np.abs(table).max(initial=0.0)), float(np.abs(add).max(initial=0.0)))
        if 0.0 < big < 1.0:
            raise InputError(
                f"spreads_bp: the largest spread is {big:g}, which looks like a decimal; "
                "pass basis points (0.0105 is 105 bp)"
            )
        t = t.copy()
        table = np.ascontiguousarray(table, dtype=np.float64).copy()
        t.setflags(write=False)
        table.setflags(write=False)
        add.setflags(write=False)
        object.__setattr__(self, "tenors", t)
        object.__setattr__(self, "ratings", ratings)
        object.__setattr__(self, "spreads_bp", table)
        object.__setattr__(
            self, "sector_bp", MappingProxyType(dict(zip(names, add.tolist(), strict=True)))
        )
        object.__setattr__(self, "zero_sectors", zero)
        object.__setattr__(self, "_sector_index", {k: i for i, k in enumerate(names)})
        object.__setattr__(self, "_sector_values", add)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        sector_bp: Mapping[str, float] | pd.Series | None = None,
        zero_sectors: Sequence[str] = ("Treasury",),
        name: str = "",
    ) -> SpreadCurve:
        """Build a curve from a table of spreads (bp): ratings as rows, tenors as columns.

        Parameters
        ----------
        frame : pandas.DataFrame
            Index: ratings; columns: tenors in years (numbers, or labels such as
            ``"5y"``); values: bp.
        sector_bp, zero_sectors, name
            As in :class:`SpreadCurve`.

        Returns
        -------
        SpreadCurve

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({1.0: [50.0, 80.0], 10.0: [80.0, 120.0]}, index=["A", "BBB"])
        >>> SpreadCurve.from_frame(frame).ratings
        ('A', 'BBB')
        """
        if not isinstance(frame, pd.DataFrame):
            raise InputError(f"frame: expected a DataFrame, got {type(frame).__name__}")
        tenors = []
        for c in frame.columns:
            text = str(c).strip().lower().removesuffix("y").removesuffix("_bp")
            try:
                tenors.append(float(text))
            except ValueError:
                raise InputError(
                    f"frame: column {c!r} is not a tenor in years; name columns 1, 2, 5 ..."
                ) from None
        return cls(
            np.array(tenors),
            tuple(str(r) for r in frame.index),
            frame.to_numpy(dtype=np.float64),
            None if sector_bp is None else dict(sector_bp),
            tuple(zero_sectors),
            name,
        )

    # ------------------------------------------------------------------ access
    @property
    def sectors(self) -> tuple[str, ...]:
        """Sectors with an add-on (the zero sectors not included).

        Examples
        --------
        >>> SpreadCurve([5], ["A"], [[70]], {"Energy": 10.0}).sectors
        ('Energy',)
        """
        return tuple(self._sector_index)

    def __repr__(self) -> str:
        label = f"{self.name}: " if self.name else ""
        return (
            f"SpreadCurve({label}{len(self.ratings)} ratings x {self.tenors.size} tenors "
            f"({self.tenors[0]:g}..{self.tenors[-1]:g} years), {len(self._sector_index)} sectors)"
        )

    # ------------------------------------------------------------------ values
    def _rating_rows(self, rating: np.ndarray, labels: Any, skip: np.ndarray) -> np.ndarray:
        """Row of each rating; ``skip`` (zero-sector bonds) need no rating."""
        index = {r: i for i, r in enumerate(self.ratings)}
        rating = np.where(skip, self.ratings[0], rating.astype(object))
        uniq, inv = np.unique(rating.astype(str), return_inverse=True)
        rows = np.array([index.get(u, -1) for u in uniq], dtype=np.int64)
        if (rows < 0).any():
            bad = str(uniq[rows < 0][0])
            where = _first_label(labels, rating.astype(str) == bad)
            raise InputError(
                f"rating: {where}{bad!r} is not a rating of this spread curve; "
                f"use one of {list(self.ratings)}"
            )
        return rows[inv.reshape(-1)].reshape(rating.shape)

    def _sector_add(self, sector: np.ndarray, labels: Any) -> tuple[np.ndarray, np.ndarray]:
        """Add-on (bp) and a zero-sector mask per element."""
        s = sector.astype(object)
        is_none = np.array([v is None for v in s.reshape(-1)], dtype=bool).reshape(s.shape)
        s = np.where(is_none, "\0none", s).astype(object)
        uniq, inv = np.unique(s.astype(str), return_inverse=True)
        add = np.zeros(len(uniq))
        zero = np.zeros(len(uniq), dtype=bool)
        for j, u in enumerate(uniq):
            if u == "\0none":  # sector=None: no add-on
                continue
            if u in self.zero_sectors:
                zero[j] = True
            elif u in self._sector_index:
                add[j] = self._sector_values[self._sector_index[u]]
            else:
                where = _first_label(labels, s.astype(str) == u)
                known = [*self._sector_index, *self.zero_sectors]
                raise InputError(
                    f"sector: {where}{str(u)!r} is not a sector of this spread curve; "
                    f"use one of {known}"
                )
        inv = inv.reshape(-1)
        return add[inv].reshape(s.shape), zero[inv].reshape(s.shape)

    def _years(self, years: Any, labels: Any = None) -> np.ndarray:
        try:
            t = np.asarray(years, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(f"years: expected years to maturity, got {years!r}") from None
        bad = ~np.isfinite(t) | (t < 0)
        if bad.any():
            where = _first_label(labels, bad)
            raise InputError(
                f"years: {where}{show(t.reshape(-1)[np.flatnonzero(bad.reshape(-1))[0]])} "
                "must be a finite number of years to maturity >= 0"
            )
        return t

    def _interp(self, rows: np.ndarray, t: np.ndarray) -> np.ndarray:
        tenors = self.tenors
        if tenors.size == 1:
            return self.spreads_bp[rows, 0]
        tc = np.clip(t, tenors[0], tenors[-1])
        j = np.clip(np.searchsorted(tenors, tc, side="right") - 1, 0, tenors.size - 2)
        w = (tc - tenors[j]) / (tenors[j + 1] - tenors[j])
        lo = self.spreads_bp[rows, j]
        hi = self.spreads_bp[rows, j + 1]
        return np.where(w == 0.0, lo, lo + w * (hi - lo))

    def spread_bp(self, rating: Any, sector: Any, years: Any) -> Any:
        """Spread (bp) for ratings, sectors and years to maturity, broadcast together.

        Parameters
        ----------
        rating : str or array-like of str
        sector : str, None or array-like of str
            ``None`` means no sector add-on.
        years : float or array-like
            Years to maturity, ``>= 0``.

        Returns
        -------
        float or numpy.ndarray
            Basis points, the broadcast shape of the inputs (a numpy float for scalars).

        Raises
        ------
        InputError
            Naming the unknown rating or sector (and the known ones), or a negative or
            non-finite tenor.

        Examples
        --------
        >>> sc = SpreadCurve([0, 10], ["A"], [[40, 80]], {"Energy": 10.0})
        >>> sc.spread_bp("A", "Energy", [0.0, 5.0, 30.0]).tolist()
        [50.0, 70.0, 90.0]
        """
        r, s, t = np.broadcast_arrays(
            np.asarray(rating, dtype=object), np.asarray(sector, dtype=object), years
        )
        t = self._years(t)
        add, zero = self._sector_add(np.asarray(s), None)
        rows = self._rating_rows(np.asarray(r), None, zero)
        out = np.where(zero, 0.0, self._interp(rows, t) + add)
        return out[()] if out.ndim == 0 else out

    def spread(self, rating: Any, sector: Any, years: Any) -> Any:
        """Spread as a decimal (``spread_bp / 10,000``): the unit pricing takes.

        Parameters
        ----------
        rating, sector, years
            As in :meth:`spread_bp`.

        Returns
        -------
        float or numpy.ndarray
            Decimals (0.0105 for 105 bp).

        Examples
        --------
        >>> round(float(SpreadCurve([5], ["BBB"], [[105]]).spread("BBB", None, 5)), 6)
        0.0105
        """
        return self.spread_bp(rating, sector, years) * _BP

    def z_spreads(
        self,
        bonds: BondSet,
        settlement_date: Any,
        rating: str = "rating",
        sector: str = "sector",
    ) -> pd.Series:
        """Each bond's spread from the curve (decimal), by id: the hedging layer's input.

        Parameters
        ----------
        bonds : BondSet
            Bonds whose :attr:`~BondSet.attributes` hold a rating and a sector column.
        settlement_date : date-like
            Years to maturity run from here (ACT/365.25); any form
            :func:`~etfcore.bonds.dates.to_day` reads.
        rating, sector : str
            Names of the attribute columns (``sector=""``: no sector add-on).

        Returns
        -------
        pandas.Series
            Decimal z-spreads named ``"z_spread"``, indexed by bond id.

        Raises
        ------
        InputError
            A missing column, or a bond (named by id) with an unknown rating or sector,
            or one that has matured.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.bondset import BondSet
        >>> bonds = BondSet.from_frame(pd.DataFrame({
        ...     "id": ["X1", "X2"], "coupon_rate": [0.05, 0.04],
        ...     "maturity_date": ["2031-01-15", "2036-01-15"],
        ...     "rating": ["A", "BBB"], "sector": ["Energy", "Treasury"]}))
        >>> sc = SpreadCurve([0, 10], ["A", "BBB"], [[40, 80], [80, 120]], {"Energy": 10.0})
        >>> (sc.z_spreads(bonds, "2026-01-15") * 1e4).round(2).to_dict()
        {'X1': 70.0, 'X2': 0.0}
        """
        settle = to_day(settlement_date, "settlement_date")
        attrs = bonds.attributes
        for col in (rating, sector):
            if col and col not in attrs.columns:
                raise InputError(
                    f"z_spreads: the bonds have no {col!r} column (attributes: "
                    f"{list(attrs.columns)}); pass rating=/sector= column names"
                )
        labels = bonds.ids
        years = (np.asarray(bonds.maturity) - settle) / DAYS_PER_YEAR
        t = self._years(years, labels)
        if sector:
            add, zero = self._sector_add(attrs[sector].to_numpy(dtype=object), labels)
        else:
            add, zero = np.zeros(len(labels)), np.zeros(len(labels), dtype=bool)
        rows = self._rating_rows(attrs[rating].to_numpy(dtype=object), labels, zero)
        bp = np.where(zero, 0.0, self._interp(rows, t) + add)
        return pd.Series(bp * _BP, index=labels, name="z_spread")

    # ------------------------------------------------------------------ shocks
    def shocked(
        self,
        by_rating_bp: Mapping[str, float] | None = None,
        by_sector_bp: Mapping[str, float] | None = None,
        parallel_bp: float = 0.0,
        scale: float = 1.0,
    ) -> SpreadCurve:
        """A new curve with spreads shocked by rating, by sector and in parallel.

        ``new = scale x table[rating](T) + parallel_bp + by_rating_bp[rating]``
        ``+ sector_bp[sector] + by_sector_bp[sector]``; zero sectors stay at 0.

        Parameters
        ----------
        by_rating_bp : mapping of rating to bp, optional
            Added at every tenor of those ratings.
        by_sector_bp : mapping of sector to bp, optional
            Added to those sectors' add-ons.
        parallel_bp : float, default 0
            Added to every rating at every tenor.
        scale : float, default 1
            Multiplies the rating table first (a stress that widens spreads by a
            factor, 2.0 for a doubling); must be ``>= 0``.

        Returns
        -------
        SpreadCurve

        Raises
        ------
        InputError
            An unknown rating or sector, a non-finite shock, or a negative scale.

        Examples
        --------
        >>> sc = SpreadCurve([0, 10], ["A", "BBB"], [[40, 80], [80, 120]], {"Energy": 10.0})
        >>> up = sc.shocked(by_rating_bp={"BBB": 25}, by_sector_bp={"Energy": 5})
        >>> float(up.spread_bp("BBB", "Energy", 10)), float(up.spread_bp("A", "Energy", 10))
        (160.0, 95.0)
        """
        table = self.spreads_bp * as_number(scale, "scale")
        if not np.isfinite(scale) or scale < 0:
            raise InputError(f"scale: {show(scale)} must be a finite number >= 0")
        table = table + _shock_value(parallel_bp, "parallel_bp")
        for r, bp in dict(by_rating_bp or {}).items():
            if r not in self.ratings:
                raise InputError(
                    f"by_rating_bp: {r!r} is not a rating of this curve; "
                    f"use one of {list(self.ratings)}"
                )
            table[self.ratings.index(r)] += _shock_value(bp, f"by_rating_bp[{r!r}]")
        sectors = dict(self.sector_bp or {})
        for s, bp in dict(by_sector_bp or {}).items():
            if s not in sectors:
                raise InputError(
                    f"by_sector_bp: {s!r} is not a sector with an add-on in this curve; "
                    f"use one of {list(sectors)}"
                )
            sectors[s] = sectors[s] + _shock_value(bp, f"by_sector_bp[{s!r}]")
        return SpreadCurve(self.tenors, self.ratings, table, sectors, self.zero_sectors, self.name)

    def parallel(self, bp: float) -> SpreadCurve:
        """A new curve with every non-zero-sector spread moved by ``bp``.

        Parameters
        ----------
        bp : float
            Shift in basis points (negative to tighten).

        Returns
        -------
        SpreadCurve

        Examples
        --------
        >>> float(SpreadCurve([5], ["A"], [[70]]).parallel(10).spread_bp("A", None, 5))
        80.0
        """
        return self.shocked(parallel_bp=bp)

    # ------------------------------------------------------------------ output
    def to_frame(self) -> pd.DataFrame:
        """The rating x tenor table in bp (a copy): ratings as rows, years as columns.

        Returns
        -------
        pandas.DataFrame
            Sector add-ons are in :attr:`sector_bp`.

        Examples
        --------
        >>> SpreadCurve([1, 10], ["A"], [[50, 80]]).to_frame().loc["A"].tolist()
        [50.0, 80.0]
        """
        return frame_copy(
            pd.DataFrame(
                self.spreads_bp,
                index=pd.Index(self.ratings, name="rating"),
                columns=pd.Index(self.tenors, name="years"),
            )
        )

    def summary(self) -> Summary:
        """The curve as a statsmodels ``Summary``: spreads by rating and tenor, sectors.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> s = SpreadCurve([1, 10], ["A"], [[50, 80]], {"Energy": 10.0}).summary()
        >>> "80.00" in str(s)
        True
        """
        table = self.to_frame()
        table.columns = [f"{t:g}y_bp" for t in self.tenors]
        tables: list[Any] = [table]
        if self._sector_index:
            tables.append(pd.Series(dict(self.sector_bp or {}), dtype=float).to_frame("add_on_bp"))
        notes = [
            "Spreads in bp over the Treasury zero curve; linear in tenor, flat outside "
            f"{self.tenors[0]:g}..{self.tenors[-1]:g} years; sector add-on at every tenor.",
        ]
        if self.zero_sectors:
            notes.append(f"Zero-spread sectors: {', '.join(self.zero_sectors)}.")
        return make_summary(f"Spread curve {self.name}".strip(), tables, notes)

    def plot(self, ax: Axes | None = None, max_years: float | None = None) -> Axes:
        """Plot each rating's spread (bp) against years to maturity.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on (a new figure if None).
        max_years : float, optional
            Right end of the x-axis (the last tenor by default).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> ax = SpreadCurve([1, 10], ["A", "BBB"], [[50, 80], [80, 120]]).plot()
        >>> ax.get_ylabel()
        'spread (bp)'
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4), layout="constrained")
        end = float(self.tenors[-1] if max_years is None else max_years)
        grid = np.linspace(0.0, max(end, 1e-9), 200)
        for i, r in enumerate(self.ratings):
            ax.plot(grid, self._interp(np.full(grid.size, i), grid), label=r)
        ax.set_xlabel("years to maturity")
        ax.set_ylabel("spread (bp)")
        ax.set_title(f"Spread curve {self.name}".strip() + " (no sector add-on)")
        ax.legend(title="rating", ncol=2)
        return ax


def _shock_value(value: Any, name: str) -> float:
    v = as_number(value, name)
    if not np.isfinite(v):
        raise InputError(f"{name}: {show(v)} must be a finite shift in bp")
    return v


def _first_label(labels: Any, mask: np.ndarray) -> str:
    if labels is None:
        return ""
    i = int(np.flatnonzero(np.asarray(mask).reshape(-1))[0])
    return f"bond {labels[i]}: "
