"""The named tasks of :func:`etfcore.sweep.run_sweep`: which grid columns each reads, and how.

Each named task is a :class:`SweepTask`: its grid columns with their defaults and checks,
and a pure function of one checked row (a dict) returning a DataFrame or a dict (one row).
Every task builds its market with :func:`etfcore.market.synthetic_market` from the row's
``seed`` and ``as_of`` (cached per process, so rows sharing a market reuse it) and calls
only the public API of the layer it sweeps.

========================  =====================================================================
task                      columns read (default)
========================  =====================================================================
``arbitrage_band``        ``seed`` (0), ``as_of`` (2026-01-15), ``etf`` ("IG_BROAD"),
                          ``regime`` ("normal"), ``units`` (1), ``horizon_days`` (1)
``hedge_cost_curve``      ``seed``, ``as_of``, ``etf`` (every ETF), ``regime`` (both),
                          ``notional_usd`` (the curve's 50 sizes), ``horizon_days`` (its 5)
``liquidity_backstop``    ``seed``, ``as_of``, ``etf`` ("IG_BROAD"), ``regime`` (both),
                          ``notional_usd`` (none: no days to absorb)
``premium_simulation``    ``seed``, ``as_of``, ``etf`` ("IG_BROAD"), ``scenario`` ("calm"),
                          ``n_paths`` (1000), ``n_days`` (252), ``sim_seed`` (= ``seed``)
========================  =====================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .._validation import choice, integer, non_negative, show
from ..errors import InputError

#: The synthetic market's ETFs (:data:`etfcore.market.funds.ETF_RULES`), fixed by design.
ETF_NAMES = ("IG_BROAD", "IG_SHORT", "IG_INTERMEDIATE", "HY", "TREASURY")
#: ``synthetic_market``'s default trade date.
DEFAULT_AS_OF = "2026-01-15"


# ------------------------------------------------------------------------- column checks
def _seed(value: Any, where: str) -> int:
    return integer(value, where, minimum=0)


def _as_of(value: Any, where: str) -> int:
    from ..bonds.dates import to_day

    return to_day(value, where)


def _etf(value: Any, where: str) -> str:
    return choice(value, where, ETF_NAMES)


def _regime(value: Any, where: str) -> str:
    from ..state import REGIMES

    return choice(value, where, REGIMES)


def _scenario(value: Any, where: str) -> str:
    from ..dynamics.simulate import SCENARIOS

    return choice(value, where, tuple(SCENARIOS))


def _count(value: Any, where: str) -> int:
    return integer(value, where, minimum=1)


def _non_negative(value: Any, where: str) -> float:
    return non_negative(value, where)


@dataclass(frozen=True)
class Column:
    """One grid column a named task reads: its default and its check.

    Attributes
    ----------
    default : object
        Used when the grid has no such column (``None``: the called function's own
        default, described in ``doc``).
    check : callable
        ``check(value, where) -> value``: the coerced value, or an InputError whose
        message starts with ``where`` (the row and the column).
    doc : str
        What the column means.

    Notes
    -----
    A grid value goes through ``check`` once per distinct value (checks are memoised),
    so a long grid of few values is checked fast.

    Examples
    --------
    >>> from etfcore.sweep.tasks import TASKS
    >>> TASKS["arbitrage_band"].columns["etf"].default
    'IG_BROAD'
    """

    default: Any
    check: Callable[[Any, str], Any]
    doc: str


@dataclass(frozen=True)
class SweepTask:
    """A named task: the grid columns it reads and the pure function it runs per row.

    Attributes
    ----------
    name : str
    columns : mapping of str to Column
        Every column the task reads, with its default and check.
    function : callable
        ``function(params) -> DataFrame | dict``, ``params`` one checked row with every
        column of :attr:`columns` (defaults filled in). Pure: the same row gives the same
        result in any process, so a retried run is identical.
    doc : str
        What one run computes and the rows it returns.

    Notes
    -----
    Every named task's columns include ``seed`` and ``as_of``, the market's key: the
    local runner runs rows that share a market one after the other.

    Examples
    --------
    >>> from etfcore.sweep.tasks import TASKS
    >>> list(TASKS["premium_simulation"].columns)[:3]
    ['seed', 'as_of', 'etf']
    """

    name: str
    columns: Mapping[str, Column]
    function: Callable[[dict[str, Any]], pd.DataFrame | dict[str, Any]]
    doc: str

    def params(self, row: Mapping[str, Any], where: str) -> dict[str, Any]:
        """The checked parameters of one grid row (defaults for absent columns).

        Parameters
        ----------
        row : mapping
            Column -> value of one grid row (only this task's columns are read).
        where : str
            The row, for error messages (``"grid row 3"``).

        Returns
        -------
        dict
            Every column of the task, coerced (``as_of`` as a day number).

        Raises
        ------
        InputError
            Naming the row, the column and the value.

        Notes
        -----
        A column absent from ``row`` takes its :class:`Column` default; a default of
        ``None`` stays ``None`` (the called function's own default).

        Examples
        --------
        >>> from etfcore.sweep.tasks import TASKS
        >>> p = TASKS["arbitrage_band"].params({"etf": "HY"}, "grid row 0")
        >>> p["etf"], p["regime"], p["units"]
        ('HY', 'normal', 1)
        """
        out: dict[str, Any] = {}
        for name, col in self.columns.items():
            if name in row:
                out[name] = col.check(row[name], f"{where}, column {name!r}")
            elif col.default is not None:
                out[name] = col.check(col.default, f"default {name!r}")
            else:
                out[name] = None
        return out


# ------------------------------------------------------------------------- the tasks
def _market(params: Mapping[str, Any]) -> Any:
    from ..market import synthetic_market

    return synthetic_market(params["seed"], as_of=params["as_of"])


def arbitrage_band_task(params: Mapping[str, Any]) -> pd.DataFrame:
    """One run of ``"arbitrage_band"``: the band's cost table, one row per component.

    Parameters
    ----------
    params : mapping
        ``seed``, ``as_of``, ``etf``, ``regime``, ``units``, ``horizon_days``.

    Returns
    -------
    pandas.DataFrame
        :meth:`etfcore.primary.ArbitrageBand.cost_table` with its index as a column:
        ``component`` (:data:`etfcore.primary.band.COMPONENTS` then ``"threshold"``),
        ``create_bp``, ``redeem_bp``, ``create_usd``, ``redeem_usd``.

    Notes
    -----
    ``arbitrage_band(market.etf(etf), market.with_regime(regime), units=units,
    horizon_days=horizon_days)`` on ``synthetic_market(seed, as_of)``. Each of the
    ``create_bp`` / ``redeem_bp`` columns of the component rows adds up to its
    ``threshold`` row.

    Examples
    --------
    >>> from etfcore.sweep.tasks import TASKS, arbitrage_band_task
    >>> t = arbitrage_band_task(TASKS["arbitrage_band"].params({}, "row 0"))
    >>> t["component"].iloc[-1], round(float(t["create_bp"].iloc[-1]), 2)
    ('threshold', 26.88)
    """
    from ..primary.band import arbitrage_band

    market = _market(params)
    band = arbitrage_band(
        market.etf(params["etf"]),
        market.with_regime(params["regime"]),
        units=params["units"],
        horizon_days=params["horizon_days"],
    )
    return band.cost_table().reset_index()


def hedge_cost_curve_task(params: Mapping[str, Any]) -> pd.DataFrame:
    """One run of ``"hedge_cost_curve"``: the curve's tidy table.

    Parameters
    ----------
    params : mapping
        ``seed``, ``as_of``, ``etf``, ``regime``, ``notional_usd``, ``horizon_days``;
        ``None`` for the last four is ``hedge_cost_curve``'s own default.

    Returns
    -------
    pandas.DataFrame
        :meth:`etfcore.hedging.HedgeCostCurve.to_frame`
        (:data:`etfcore.hedging.curve.COLUMNS`): one row per instrument, trade side,
        size, horizon and regime.

    Notes
    -----
    ``hedge_cost_curve(market, [etf], [notional_usd], [horizon_days], [regime])`` on
    ``synthetic_market(seed, as_of)``: a grid column fixes that dimension of the curve
    to the row's value; an absent one leaves it at the curve's default (every ETF, both
    regimes, :data:`~etfcore.hedging.curve.DEFAULT_NOTIONALS_USD`,
    :data:`~etfcore.hedging.curve.DEFAULT_HORIZONS_DAYS`).

    Examples
    --------
    >>> from etfcore.sweep.tasks import TASKS, hedge_cost_curve_task
    >>> row = {"etf": "HY", "regime": "normal", "notional_usd": 1e6, "horizon_days": 1}
    >>> t = hedge_cost_curve_task(TASKS["hedge_cost_curve"].params(row, "row 0"))
    >>> list(t["trade_side"])
    ['buy', 'sell']
    """
    from ..hedging.curve import hedge_cost_curve

    def one(name: str) -> list[Any] | None:
        return None if params[name] is None else [params[name]]

    market = _market(params)
    kwargs: dict[str, Any] = {
        "instruments": one("etf"),
        "notionals_usd": one("notional_usd"),
        "horizons_days": one("horizon_days"),
    }
    if params["regime"] is not None:
        kwargs["regimes"] = (params["regime"],)
    return hedge_cost_curve(market, **kwargs).to_frame()


def liquidity_backstop_task(params: Mapping[str, Any]) -> pd.DataFrame:
    """One run of ``"liquidity_backstop"``: the ETF's band and AP capacity per regime.

    Parameters
    ----------
    params : mapping
        ``seed``, ``as_of``, ``etf``, ``regime`` (``None``: both), ``notional_usd``
        (``None``: no ``absorb_days`` column).

    Returns
    -------
    pandas.DataFrame
        :meth:`etfcore.hedging.LiquidityBackstop.to_frame` with its index as a column:
        ``regime``, ``create_bp``, ``redeem_bp``, ``width_bp``,
        ``capacity_usd_per_day``, ``unit_value_usd``; and ``absorb_days``, the days of
        AP capacity ``notional_usd`` takes in that regime
        (:meth:`~etfcore.hedging.LiquidityBackstop.days_to_absorb`).

    Notes
    -----
    ``liquidity_backstop(market.etf(etf), market)`` on ``synthetic_market(seed,
    as_of)`` (the default AP panel, no basket); a ``regime`` column keeps that regime's
    row only.

    Examples
    --------
    >>> from etfcore.sweep.tasks import TASKS, liquidity_backstop_task
    >>> row = {"etf": "HY", "notional_usd": 1e9}
    >>> t = liquidity_backstop_task(TASKS["liquidity_backstop"].params(row, "row 0"))
    >>> list(t["regime"]), bool(t["absorb_days"].iloc[1] > t["absorb_days"].iloc[0])
    (['normal', 'stress'], True)
    """
    from ..hedging.backstop import liquidity_backstop

    market = _market(params)
    backstop = liquidity_backstop(market.etf(params["etf"]), market)
    table = backstop.to_frame().reset_index()
    if params["regime"] is not None:
        table = table[table["regime"] == params["regime"]].reset_index(drop=True)
    if params["notional_usd"] is not None:
        table["absorb_days"] = [
            float(backstop.days_to_absorb(params["notional_usd"], r)) for r in table["regime"]
        ]
    return table


#: The statistics of one premium simulation (``"premium_simulation"``), in order.
PREMIUM_STATISTICS = (
    "median_premium_bp",
    "sd_premium_bp",
    "premium_p01_bp",
    "premium_p05_bp",
    "premium_p95_bp",
    "premium_p99_bp",
    "worst_discount_bp",
    "median_path_worst_bp",
    "days_outside_band_share",
    "stress_days_share",
    "created_units_per_path",
    "redeemed_units_per_path",
    "capacity_bound_share",
    "band_normal_create_bp",
    "band_normal_redeem_bp",
    "band_stress_create_bp",
    "band_stress_redeem_bp",
)


def premium_simulation_task(params: Mapping[str, Any]) -> dict[str, Any]:
    """One run of ``"premium_simulation"``: the simulation's summary statistics (one row).

    Parameters
    ----------
    params : mapping
        ``seed``, ``as_of``, ``etf``, ``scenario``, ``n_paths``, ``n_days``,
        ``sim_seed`` (``None``: the row's ``seed``).

    Returns
    -------
    dict
        :data:`PREMIUM_STATISTICS`: the facts of
        :meth:`etfcore.dynamics.PremiumSimulation.summary` as numbers, and the tightest
        one-unit band over the APs per regime.

    Notes
    -----
    ``simulate_premium(market.etf(etf), market, scenario, n_paths, n_days,
    seed=sim_seed)`` on ``synthetic_market(seed, as_of)``. Over all path-days: the
    premium's median, standard deviation and 1/5/95/99th percentiles (numpy's linear
    percentiles) and minimum (``worst_discount_bp``); ``median_path_worst_bp`` the
    median over paths of each path's minimum; the shares of path-days outside the
    day's band, in stress and capacity bound; whole units created and redeemed per
    path.

    Examples
    --------
    >>> from etfcore.sweep.tasks import TASKS, premium_simulation_task
    >>> row = {"n_paths": 20, "n_days": 10}
    >>> s = premium_simulation_task(TASKS["premium_simulation"].params(row, "row 0"))
    >>> bool(s["premium_p05_bp"] <= s["median_premium_bp"] <= s["premium_p95_bp"])
    True
    """
    from ..dynamics.simulate import simulate_premium

    market = _market(params)
    seed = params["seed"] if params["sim_seed"] is None else params["sim_seed"]
    sim = simulate_premium(
        market.etf(params["etf"]),
        market,
        params["scenario"],
        n_paths=params["n_paths"],
        n_days=params["n_days"],
        seed=seed,
    )
    p = sim.premium_bp
    q = np.percentile(p, [1, 5, 50, 95, 99])
    regimes, orders = ("normal", "stress"), ("create", "redeem")
    band = sim.band_bp.reindex(index=list(regimes), columns=list(orders)).to_numpy(dtype=float)
    out = {
        "median_premium_bp": float(q[2]),
        "sd_premium_bp": float(p.std()),
        "premium_p01_bp": float(q[0]),
        "premium_p05_bp": float(q[1]),
        "premium_p95_bp": float(q[3]),
        "premium_p99_bp": float(q[4]),
        "worst_discount_bp": float(p.min()),
        "median_path_worst_bp": float(np.median(p.min(axis=1))),
        "days_outside_band_share": float(sim.outside_band.mean()),
        "stress_days_share": float(np.mean(sim.regime)),
        "created_units_per_path": float(sim.creations.sum() / p.shape[0]),
        "redeemed_units_per_path": float(sim.redemptions.sum() / p.shape[0]),
        "capacity_bound_share": float(sim.capacity_bound.mean()),
    }
    for i, regime in enumerate(regimes):
        for j, order in enumerate(orders):
            out[f"band_{regime}_{order}_bp"] = float(band[i, j])
    return {k: out[k] for k in PREMIUM_STATISTICS}


_MARKET_COLUMNS = {
    "seed": Column(0, _seed, "seed of synthetic_market (a whole number >= 0)"),
    "as_of": Column(DEFAULT_AS_OF, _as_of, "trade date of synthetic_market (date-like)"),
}

#: The named tasks of :func:`etfcore.sweep.run_sweep`.
TASKS: Mapping[str, SweepTask] = MappingProxyType(
    {
        "arbitrage_band": SweepTask(
            "arbitrage_band",
            MappingProxyType(
                {
                    **_MARKET_COLUMNS,
                    "etf": Column("IG_BROAD", _etf, f"ETF name, one of {list(ETF_NAMES)}"),
                    "regime": Column("normal", _regime, "liquidity regime, normal or stress"),
                    "units": Column(1, _count, "whole creation units of the order (>= 1)"),
                    "horizon_days": Column(1.0, _non_negative, "days the AP carries (>= 0)"),
                }
            ),
            arbitrage_band_task,
            "the band's cost table: one row per component and a threshold row",
        ),
        "hedge_cost_curve": SweepTask(
            "hedge_cost_curve",
            MappingProxyType(
                {
                    **_MARKET_COLUMNS,
                    "etf": Column(None, _etf, "hedge instrument (default: every ETF)"),
                    "regime": Column(None, _regime, "regime (default: normal and stress)"),
                    "notional_usd": Column(
                        None, _non_negative, "hedge size, USD (default: the curve's 50 sizes)"
                    ),
                    "horizon_days": Column(
                        None, _non_negative, "holding horizon (default: the curve's 5)"
                    ),
                }
            ),
            hedge_cost_curve_task,
            "the curve's tidy table: one row per instrument, side, size, horizon, regime",
        ),
        "liquidity_backstop": SweepTask(
            "liquidity_backstop",
            MappingProxyType(
                {
                    **_MARKET_COLUMNS,
                    "etf": Column("IG_BROAD", _etf, f"ETF name, one of {list(ETF_NAMES)}"),
                    "regime": Column(None, _regime, "regime (default: normal and stress)"),
                    "notional_usd": Column(
                        None, _non_negative, "size to absorb, USD (default: none)"
                    ),
                }
            ),
            liquidity_backstop_task,
            "the backstop's band and AP capacity: one row per regime",
        ),
        "premium_simulation": SweepTask(
            "premium_simulation",
            MappingProxyType(
                {
                    **_MARKET_COLUMNS,
                    "etf": Column("IG_BROAD", _etf, f"ETF name, one of {list(ETF_NAMES)}"),
                    "scenario": Column("calm", _scenario, "a name in dynamics SCENARIOS"),
                    "n_paths": Column(1000, _count, "Monte Carlo paths (>= 1)"),
                    "n_days": Column(252, _count, "days per path (>= 1)"),
                    "sim_seed": Column(None, _seed, "seed of the paths (default: seed)"),
                }
            ),
            premium_simulation_task,
            "summary statistics of the premium paths: one row",
        ),
    }
)


def task_function(task: str | Callable[..., Any]) -> Callable[..., Any]:
    """The function one run calls: a named task's, or the callable itself.

    Notes
    -----
    A worker receives the task's name, not its function, so a named task runs the
    worker's own etfcore code.

    Examples
    --------
    >>> task_function("arbitrage_band").__name__
    'arbitrage_band_task'
    """
    if isinstance(task, str):
        return TASKS[task].function
    return task


def check_task(task: Any) -> str | Callable[..., Any]:
    """``task`` if it is a task name in :data:`TASKS` or a callable, else an InputError.

    Notes
    -----
    A callable is not called here; what it returns is checked run by run
    (:func:`etfcore.sweep.run.as_frame`).

    Examples
    --------
    >>> check_task("hedge_cost_curve")
    'hedge_cost_curve'
    """
    if isinstance(task, str):
        if task not in TASKS:
            raise InputError(
                f"task: unknown task {task!r}; use one of {list(TASKS)} or a callable taking "
                "one grid row (a dict) and returning a DataFrame, a dict or a Series"
            )
        return task
    if callable(task):
        return task
    raise InputError(
        f"task: expected a task name ({', '.join(TASKS)}) or a callable, got {show(task)} "
        f"({type(task).__name__})"
    )


__all__ = [
    "ETF_NAMES",
    "PREMIUM_STATISTICS",
    "TASKS",
    "Column",
    "SweepTask",
    "arbitrage_band_task",
    "check_task",
    "hedge_cost_curve_task",
    "liquidity_backstop_task",
    "premium_simulation_task",
    "task_function",
]
