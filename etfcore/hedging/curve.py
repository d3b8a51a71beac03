"""HedgeCostCurve: the hedge-cost surface pricing tools read, as a table and as files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._results import frame_copy, make_summary
from .._validation import show
from ..errors import InputError
from ..state import REGIMES, TRADE_SIDES, MarketState, check_regime
from .cost import (
    CHANNELS,
    COMPONENTS,
    check_horizons,
    check_instrument,
    check_notionals,
    check_parameters,
    check_trade_side,
    execution_costs,
    holding_costs,
    leg_inputs,
    premium_pushed_bp,
)

#: Version of the table layout; files of another version are refused on reading.
SCHEMA_VERSION = "1.0"
#: Key columns, then the total, the components, USD and channel: the file layout.
KEY_COLUMNS = ("instrument", "trade_side", "notional_usd", "horizon_days", "regime")
COLUMNS = (*KEY_COLUMNS, "cost_bp", *COMPONENTS, "cost_usd", "channel")
#: Default grids: 50 sizes from $1mm to $10bn, five horizons.
DEFAULT_NOTIONALS_USD = tuple(float(v) for v in np.geomspace(1e6, 1e10, 50))
DEFAULT_HORIZONS_DAYS = (1.0, 2.0, 5.0, 10.0, 20.0)
#: Costs may fall by at most this much (bp) from one size to the next in a file.
MONOTONE_TOLERANCE_BP = 1e-9
_META_KEY = b"etfcore.hedge_cost_curve"
_STRING_COLUMNS = ("instrument", "trade_side", "regime", "channel")


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its column order and dtypes fixed (strings str, numbers float)."""
    out = frame.loc[:, list(COLUMNS)].copy()
    for c in COLUMNS:
        if c in _STRING_COLUMNS:
            out[c] = out[c].astype(str)
        else:
            out[c] = out[c].astype("float64")
    out = out.sort_values(list(KEY_COLUMNS[:2]) + ["regime", "horizon_days", "notional_usd"])
    return out.reset_index(drop=True)


def _validate(frame: pd.DataFrame, metadata: dict, where: str) -> pd.DataFrame:
    version = metadata.get("schema_version")
    if version != SCHEMA_VERSION:
        raise InputError(
            f"{where}: schema version {show(version)}, this etfcore reads {SCHEMA_VERSION}; "
            "rebuild the curve with this version"
        )
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"{where}: missing column(s) {missing}; a curve file has {list(COLUMNS)}")
    out = _canonical(frame)
    bad_side = sorted(set(out["trade_side"]) - set(TRADE_SIDES))
    bad_regime = sorted(set(out["regime"]) - set(REGIMES))
    bad_channel = sorted(set(out["channel"]) - set(CHANNELS))
    for name, bad in (("trade_side", bad_side), ("regime", bad_regime), ("channel", bad_channel)):
        if bad:
            raise InputError(f"{where}: column {name} has unknown value(s) {bad}")
    num = out[[c for c in COLUMNS if c not in _STRING_COLUMNS]].to_numpy()
    if not np.isfinite(num).all():
        row = int(np.flatnonzero(~np.isfinite(num).all(axis=1))[0])
        raise InputError(f"{where}: row {row} has a missing or non-finite number")
    total = out[list(COMPONENTS)].sum(axis=1).to_numpy()
    off = np.abs(total - out["cost_bp"].to_numpy()) > 1e-6
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise InputError(f"{where}: row {row}: the components do not add up to cost_bp")
    for key, g in out.groupby(["instrument", "trade_side", "regime", "horizon_days"], sort=False):
        drop = np.diff(g["cost_bp"].to_numpy()) < -MONOTONE_TOLERANCE_BP
        if drop.any():
            i = int(np.flatnonzero(drop)[0]) + 1
            raise InputError(
                f"{where}: costs are not monotone in size for {key}: cost_bp falls at "
                f"notional_usd {show(g['notional_usd'].iloc[i])}"
            )
    return out


def _grids(table: pd.DataFrame) -> dict:
    """``{(instrument, trade_side, regime): (sizes, horizons, cost (horizons x sizes))}``.

    ``table`` is canonical (sorted by the key columns, horizon, then size), so each
    key's rows are one block, horizon-major: a complete grid reshapes without a pivot.
    """
    cols = [table[c].to_numpy() for c in ("instrument", "trade_side", "regime")]
    n = len(table)
    change = np.zeros(n, dtype=bool)
    change[:1] = True
    for c in cols:
        change[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n)
    notional = table["notional_usd"].to_numpy(dtype=float)
    horizon = table["horizon_days"].to_numpy(dtype=float)
    cost = table["cost_bp"].to_numpy(dtype=float)
    out: dict = {}
    for i, j in zip(starts, ends, strict=True):
        key = (str(cols[0][i]), str(cols[1][i]), str(cols[2][i]))
        q = np.unique(notional[i:j])
        h = np.unique(horizon[i:j])
        shape = (h.size, q.size)
        if (
            j - i != h.size * q.size
            or not (notional[i:j].reshape(shape) == q).all()
            or not (horizon[i:j].reshape(shape) == h[:, None]).all()
        ):
            raise InputError(
                f"table: the grid for {key} is not complete (every size at every horizon, "
                "each once)"
            )
        out[key] = (q, h, cost[i:j].reshape(shape))
    return out


@dataclass(frozen=True, repr=False)
class HedgeCostCurve:
    """Hedge cost in bp by instrument, trade side, notional, horizon and regime.

    Built by :func:`hedge_cost_curve` or read back with :meth:`read`.

    Attributes
    ----------
    table : pandas.DataFrame
        The tidy table (:data:`COLUMNS`): key columns, ``cost_bp`` and its components
        (:data:`etfcore.hedging.cost.COMPONENTS`, bp of notional), ``cost_usd`` and
        ``channel`` (``"secondary"``, ``"primary"`` or ``"split"``).
    as_of : str
        ISO date of the market the curve came from.
    parameters : dict
        The :class:`etfcore.hedging.cost.HedgeCostParameters` used.
    schema_version : str

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> from etfcore.hedging.curve import hedge_cost_curve
    >>> m = synthetic_market(0)
    >>> c = hedge_cost_curve(m, ["IG_BROAD"], [1e6, 1e8], [1, 5], regimes=("normal",))
    >>> c.schema_version, len(c.to_frame())
    ('1.0', 8)
    """

    table: pd.DataFrame
    as_of: str
    parameters: dict
    schema_version: str = SCHEMA_VERSION
    _grids: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = _canonical(self.table)
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "_grids", _grids(table))

    def __repr__(self) -> str:
        t = self.table
        return (
            f"HedgeCostCurve(as of {self.as_of}: {t['instrument'].nunique()} instruments, "
            f"{t['notional_usd'].nunique()} sizes, {t['horizon_days'].nunique()} horizons, "
            f"regimes {sorted(t['regime'].unique())}; schema {self.schema_version})"
        )

    # ------------------------------------------------------------------ queries
    @property
    def instruments(self) -> list[str]:
        """Instruments of the curve.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve
        >>> m = synthetic_market(0)
        >>> hedge_cost_curve(m, ["HY"], [1e6, 1e7], [1], ("normal",)).instruments
        ['HY']
        """
        return sorted(self.table["instrument"].unique())

    def cost(
        self,
        instrument: str,
        notional_usd: Any,
        horizon_days: float = 1,
        regime: str = "normal",
        trade_side: str = "sell",
    ) -> Any:
        """Cost in bp of a hedge leg, interpolated on the curve (vectorised in notional).

        Parameters
        ----------
        instrument : str
        notional_usd : float or array-like
            Finite, >= 0, at most the largest notional of the curve.
        horizon_days : float, default 1
            Finite, >= 0, at most the longest horizon of the curve.
        regime : {"normal", "stress"}, default "normal"
        trade_side : {"buy", "sell"}, default "sell"

        Returns
        -------
        float or numpy.ndarray
            A float for a scalar notional, an array of its shape otherwise.

        Raises
        ------
        InputError
            For an instrument, regime or side the curve does not have, a negative or
            NaN notional or horizon, or one beyond the curve's grid.

        Notes
        -----
        Linear in notional between grid sizes (so monotone, and never below the
        smaller grid point's cost) and linear in horizon between grid horizons.
        Below the smallest grid size or horizon the cost is the smallest grid
        point's (a conservative, flat extrapolation); beyond the largest, an error.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve
        >>> m = synthetic_market(0)
        >>> c = hedge_cost_curve(m, ["IG_BROAD"], [1e6, 1e8], [1, 5], ("normal",))
        >>> lo, mid, hi = c.cost("IG_BROAD", [1e6, 5e7, 1e8], horizon_days=2)
        >>> bool(lo <= mid <= hi)
        True
        """
        if not isinstance(instrument, str) or instrument not in self.instruments:
            raise InputError(
                f"instrument: {show(instrument)} is not on the curve; it has {self.instruments}"
            )
        regime = check_regime(regime)
        side = check_trade_side(trade_side)
        grid = self._grids.get((instrument, side, regime))
        if grid is None:
            raise InputError(f"regime: the curve has no {regime} {side} costs for {instrument}")
        q_grid, h_grid, cost = grid
        q = check_notionals(notional_usd)
        h = float(check_horizons(horizon_days))
        if q.size and q.max() > q_grid[-1]:
            raise InputError(
                f"notional_usd: {show(q.max())} is beyond the curve's largest size "
                f"{show(q_grid[-1])}; build the curve with larger notionals_usd"
            )
        if h > h_grid[-1]:
            raise InputError(
                f"horizon_days: {show(h)} is beyond the curve's longest horizon "
                f"{show(h_grid[-1])}; build the curve with longer horizons_days"
            )
        j = int(np.clip(np.searchsorted(h_grid, h, side="right") - 1, 0, h_grid.size - 1))
        if j + 1 < h_grid.size and h > h_grid[j]:
            t = (h - h_grid[j]) / (h_grid[j + 1] - h_grid[j])
            row = (1.0 - t) * cost[j] + t * cost[j + 1]
        else:
            row = cost[j]
        out = np.interp(q.reshape(-1), q_grid, row).reshape(q.shape)
        return float(out) if out.ndim == 0 else out

    def crossover_usd(self) -> pd.Series:
        """Smallest grid size where the secondary market is no longer the whole channel.

        Returns
        -------
        pandas.Series
            By (instrument, trade_side, regime): the first notional whose channel is
            ``"primary"`` or ``"split"``, NaN when the secondary market is cheapest at
            every size of the grid. The channel does not depend on the horizon.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve
        >>> m = synthetic_market(0)
        >>> c = hedge_cost_curve(m, ["IG_INTERMEDIATE"], [1e6, 1e10], [1], ("normal",))
        >>> float(c.crossover_usd().iloc[0]) / 1e9
        10.0
        """
        t = self.table
        t = t[t["horizon_days"] == t["horizon_days"].min()]
        rows = {}
        for key, g in t.groupby(["instrument", "trade_side", "regime"]):
            q = g.loc[g["channel"] != "secondary", "notional_usd"]
            rows[key] = float(q.min()) if len(q) else np.nan
        out = pd.Series(rows, name="crossover_usd", dtype=float)
        out.index.names = ["instrument", "trade_side", "regime"]
        return out

    # ------------------------------------------------------------------ output
    def to_frame(self) -> pd.DataFrame:
        """The tidy table (a copy), :data:`COLUMNS` in order.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve
        >>> m = synthetic_market(0)
        >>> t = hedge_cost_curve(m, ["HY"], [1e6], [1], ("normal",)).to_frame()
        >>> list(t.columns[:6])
        ['instrument', 'trade_side', 'notional_usd', 'horizon_days', 'regime', 'cost_bp']
        """
        return frame_copy(self.table)

    def metadata(self) -> dict[str, Any]:
        """Schema version, as-of date and parameters (what the files carry).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve
        >>> m = synthetic_market(0)
        >>> sorted(hedge_cost_curve(m, ["HY"], [1e6], [1], ("normal",)).metadata())
        ['as_of', 'parameters', 'schema_version']
        """
        return {
            "schema_version": self.schema_version,
            "as_of": self.as_of,
            "parameters": dict(self.parameters),
        }

    def to_csv(self, path: str | Path) -> Path:
        """Write the table as CSV; the first line is ``# etfcore`` and the metadata JSON.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve, HedgeCostCurve
        >>> m = synthetic_market(0)
        >>> c = hedge_cost_curve(m, ["HY"], [1e6, 1e7], [1], ("normal",))
        >>> with tempfile.TemporaryDirectory() as d:
        ...     back = HedgeCostCurve.read(c.to_csv(pathlib.Path(d) / "c.csv"))
        >>> back.to_frame().equals(c.to_frame())
        True
        """
        p = Path(path)
        with p.open("w", encoding="utf-8", newline="") as fh:
            fh.write("# etfcore " + json.dumps(self.metadata(), sort_keys=True) + "\n")
            self.table.to_csv(fh, index=False)
        return p

    def to_parquet(self, path: str | Path) -> Path:
        """Write the table as Parquet (pyarrow), the metadata in the file's schema.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve, HedgeCostCurve
        >>> m = synthetic_market(0)
        >>> c = hedge_cost_curve(m, ["HY"], [1e6, 1e7], [1], ("normal",))
        >>> with tempfile.TemporaryDirectory() as d:
        ...     back = HedgeCostCurve.read(c.to_parquet(pathlib.Path(d) / "c.parquet"))
        >>> back.as_of == c.as_of
        True
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        p = Path(path)
        table = pa.Table.from_pandas(self.table, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[_META_KEY] = json.dumps(self.metadata(), sort_keys=True).encode()
        pq.write_table(table.replace_schema_metadata(meta), p)
        return p

    def to_json(self, path: str | Path) -> Path:
        """Write ``{"metadata": ..., "columns": [...], "data": [[row]...]}`` as JSON.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve, HedgeCostCurve
        >>> m = synthetic_market(0)
        >>> c = hedge_cost_curve(m, ["HY"], [1e6, 1e7], [1], ("normal",))
        >>> with tempfile.TemporaryDirectory() as d:
        ...     back = HedgeCostCurve.read(c.to_json(pathlib.Path(d) / "c.json"))
        >>> back.schema_version
        '1.0'
        """
        p = Path(path)
        data = [
            [v.item() if isinstance(v, np.generic) else v for v in row]
            for row in self.table.itertuples(index=False, name=None)
        ]
        doc = {"metadata": self.metadata(), "columns": list(self.table.columns), "data": data}
        p.write_text(json.dumps(doc), encoding="utf-8")
        return p

    @classmethod
    def read(cls, path: str | Path) -> HedgeCostCurve:
        """Read a curve written by :meth:`to_csv`, :meth:`to_parquet` or :meth:`to_json`.

        The format is taken from the extension (``.csv``, ``.parquet``/``.pq``,
        ``.json``).

        Raises
        ------
        InputError
            For an unknown extension, a file that is not a curve, another schema
            version, a missing column, unknown sides/regimes/channels, components
            that do not add up, or costs that fall with size (saying which).

        Examples
        --------
        >>> HedgeCostCurve.read("curve.xlsx")
        Traceback (most recent call last):
        ...
        etfcore.errors.InputError: path: curve.xlsx: give a .csv, .parquet or .json file
        """
        p = Path(path)
        ext = p.suffix.lower()
        if ext not in (".csv", ".parquet", ".pq", ".json"):
            raise InputError(f"path: {p}: give a .csv, .parquet or .json file")
        where = f"{p.name}"
        try:
            if ext == ".csv":
                with p.open(encoding="utf-8") as fh:
                    first = fh.readline()
                    if not first.startswith("# etfcore "):
                        raise InputError(f"{where}: not an etfcore curve (no '# etfcore' line)")
                    meta = json.loads(first[len("# etfcore ") :])
                    frame = pd.read_csv(fh)
            elif ext == ".json":
                doc = json.loads(p.read_text(encoding="utf-8"))
                if not isinstance(doc, dict) or "metadata" not in doc:
                    raise InputError(f"{where}: not an etfcore curve (no metadata)")
                meta = doc["metadata"]
                frame = pd.DataFrame(doc.get("data", []), columns=doc.get("columns"))
            else:
                import pyarrow.parquet as pq

                table = pq.read_table(p)
                raw = (table.schema.metadata or {}).get(_META_KEY)
                if raw is None:
                    raise InputError(f"{where}: not an etfcore curve (no etfcore metadata)")
                meta = json.loads(raw)
                frame = table.to_pandas()
        except (OSError, ValueError) as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError(f"{where}: could not be read as a curve: {exc}") from None
        frame = _validate(frame, meta, where)
        return cls(
            table=frame,
            as_of=str(meta.get("as_of")),
            parameters=dict(meta.get("parameters") or {}),
            schema_version=str(meta["schema_version"]),
        )

    def summary(self) -> Any:
        """Cost at a few sizes per instrument (1-day, sell), and the cross-over sizes.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve
        >>> m = synthetic_market(0)
        >>> c = hedge_cost_curve(m, ["HY"], [1e6, 1e7], [1], ("normal",))
        >>> "HedgeCostCurve" in str(c.summary())
        True
        """
        t = self.table
        h0 = t["horizon_days"].min()
        sub = t[t["horizon_days"] == h0]
        table = sub.pivot_table(
            index=["instrument", "trade_side", "regime"], columns="notional_usd", values="cost_bp"
        )
        sizes = np.asarray(table.columns, dtype=float)
        if sizes.size > 6:  # a few sizes: the grid points nearest each power of ten
            decades = 10.0 ** np.arange(np.ceil(np.log10(sizes[0])), np.log10(sizes[-1]) + 1)
            keep = np.unique([np.abs(np.log(sizes / d)).argmin() for d in decades])
            table = table.iloc[:, keep]
        table.columns = [
            f"{q / 1e9:.3g}bn_bp" if q >= 1e9 else f"{q / 1e6:.3g}mm_bp" for q in table.columns
        ]
        cross = self.crossover_usd().rename("crossover_usd").to_frame()
        return make_summary(
            f"HedgeCostCurve as of {self.as_of} (schema {self.schema_version})",
            [table.reset_index(), cross.reset_index()],
            [
                f"Cost in bp of notional at a {h0:g}-day horizon. Cross-over: first size "
                "where the primary market takes part of the trade (NaN: never on the grid)."
            ],
        )

    def plot(
        self,
        ax: Any = None,
        horizon_days: float | None = None,
        regime: str = "normal",
        trade_side: str = "sell",
    ) -> Any:
        """Cost against size, one line per instrument, the channel cross-over marked.

        A dot marks the first size where the primary market takes part; the legend
        gives that size for each instrument. Returns the matplotlib Axes.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from etfcore.market import synthetic_market
        >>> from etfcore.hedging.curve import hedge_cost_curve
        >>> m = synthetic_market(0)
        >>> ax = hedge_cost_curve(m, ["HY"], [1e6, 1e7], [1], ("normal",)).plot()
        >>> ax.get_xlabel()
        'notional, USD mm'
        """
        import matplotlib.pyplot as plt

        regime = check_regime(regime)
        side = check_trade_side(trade_side)
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
        t = self.table
        h = t["horizon_days"].min() if horizon_days is None else float(horizon_days)
        sub = t[(t["horizon_days"] == h) & (t["regime"] == regime) & (t["trade_side"] == side)]
        for name, g in sub.groupby("instrument"):
            cross = g[g["channel"] != "secondary"]
            # the cross-over size goes in the legend: labels on the lines overlap
            where = (
                f"primary from \\${cross['notional_usd'].iloc[0] / 1e6:,.0f}mm"
                if len(cross)
                else "secondary only"
            )
            (line,) = ax.plot(
                g["notional_usd"] / 1e6, g["cost_bp"], lw=1.5, label=f"{name} ({where})"
            )
            if len(cross):
                x0 = cross["notional_usd"].iloc[0] / 1e6
                ax.plot(x0, cross["cost_bp"].iloc[0], "o", color=line.get_color())
        ax.set_xscale("log")
        ax.set_xlabel("notional, USD mm")
        ax.set_ylabel("hedge cost, bp of notional")
        ax.set_title(f"Hedge cost ({side}, {regime}, {h:g} day): dots mark the primary cross-over")
        ax.legend(fontsize=8)
        return ax


def hedge_cost_curve(
    market: MarketState,
    instruments: Any = None,
    notionals_usd: Any = None,
    horizons_days: Any = None,
    regimes: Any = ("normal", "stress"),
    parameters: Any = None,
    aps: Any = None,
) -> HedgeCostCurve:
    """Hedge-leg costs over a grid of instruments, sides, sizes, horizons and regimes.

    Parameters
    ----------
    market : MarketState
        With its ETFs (``market.etfs``).
    instruments : list of str, optional
        ETF names; default every ETF of the market.
    notionals_usd : array-like, optional
        Sizes, finite and >= 0; default :data:`DEFAULT_NOTIONALS_USD` ($1mm-$10bn).
    horizons_days : array-like, optional
        Finite and >= 0; default :data:`DEFAULT_HORIZONS_DAYS`.
    regimes : sequence of {"normal", "stress"}
    parameters : HedgeCostParameters or dict, optional
    aps : AuthorizedParticipant or list, optional
        Default :func:`etfcore.hedging.cost.default_ap_panel` for each ETF.

    Returns
    -------
    HedgeCostCurve

    Raises
    ------
    InputError
        For an unknown instrument or regime, negative or NaN sizes or horizons, or an
        empty grid.

    Notes
    -----
    Each cell is :func:`etfcore.hedging.cost.hedge_leg_cost`: execution depends on
    (instrument, side, regime, size), borrow and basis on (instrument, side, regime,
    horizon), so each is computed once on its grid (numpy) and the two are added by
    broadcasting; the premium component is the premium-risk charge (by horizon)
    plus the premium the hedge's own flow pushes against the dealer (by size and
    horizon, interpolated from the dealer-flow simulation's coarse grid,
    :func:`etfcore.hedging.cost.premium_pushed_bp`). The ETF's liquidity, band, AP
    capacity, simulated premium risk and flow grid are computed once per instrument
    and regime and cached.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> c = hedge_cost_curve(m, ["IG_BROAD"], [1e6, 1e9], [1], ("normal",))
    >>> bool(c.cost("IG_BROAD", 1e9) > c.cost("IG_BROAD", 1e6))
    True
    """
    if not isinstance(market, MarketState):
        raise InputError(f"market: expected a MarketState, got {type(market).__name__}")
    params = check_parameters(parameters)
    names = sorted(getattr(market, "etfs", {}) or {}) if instruments is None else instruments
    if isinstance(names, str):
        names = [names]
    etfs = [check_instrument(n, market) for n in names]
    q = np.unique(
        check_notionals(
            DEFAULT_NOTIONALS_USD if notionals_usd is None else notionals_usd, "notionals_usd"
        ).reshape(-1)
    )
    h = np.unique(
        check_horizons(
            DEFAULT_HORIZONS_DAYS if horizons_days is None else horizons_days, "horizons_days"
        ).reshape(-1)
    )
    regs = [
        check_regime(r, "regimes") for r in ([regimes] if isinstance(regimes, str) else regimes)
    ]
    if not etfs or q.size == 0 or h.size == 0 or not regs:
        raise InputError("hedge_cost_curve: give at least one instrument, size, horizon and regime")
    nq, nh = q.size, h.size
    blocks = []
    for etf in etfs:
        for regime in regs:
            x = leg_inputs(etf, market, regime, params, aps, max_horizon_days=max(20.0, h.max()))
            for side in TRADE_SIDES:
                exe, code = execution_costs(x, side, q, params)
                hold = holding_costs(x, side, h, params)
                block: dict[str, Any] = {
                    "instrument": np.full(nq * nh, etf.name, dtype=object),
                    "trade_side": np.full(nq * nh, side, dtype=object),
                    "notional_usd": np.tile(q, nh),
                    "horizon_days": np.repeat(h, nq),
                    "regime": np.full(nq * nh, regime, dtype=object),
                }
                for k in COMPONENTS:
                    block[k] = np.tile(exe[k], nh) if k in exe else np.repeat(hold[k], nq)
                # the premium the flow itself pushes depends on size and horizon
                block["premium_risk_bp"] = block["premium_risk_bp"] + premium_pushed_bp(
                    x, side, q, h
                ).reshape(-1)
                total = sum(block[k] for k in COMPONENTS)
                block["cost_bp"] = total
                block["cost_usd"] = total * 1e-4 * block["notional_usd"]
                block["channel"] = np.tile(np.asarray(CHANNELS, dtype=object)[code], nh)
                blocks.append(block)
    table = pd.DataFrame({c: np.concatenate([b[c] for b in blocks]) for c in COLUMNS})
    return HedgeCostCurve(
        table=table,
        as_of=market.settlement_timestamp.date().isoformat(),
        parameters=params.to_dict(),
    )


__all__ = [
    "COLUMNS",
    "DEFAULT_HORIZONS_DAYS",
    "DEFAULT_NOTIONALS_USD",
    "KEY_COLUMNS",
    "SCHEMA_VERSION",
    "HedgeCostCurve",
    "hedge_cost_curve",
]
