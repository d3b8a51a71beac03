"""Named premium/discount scenarios, as data: frozen dataclasses users copy and change."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ..._validation import decimal, finite, integer, non_negative, show
from ...errors import InputError
from ...state import REGIMES, check_regime


@dataclass(frozen=True)
class CalendarSegment:
    """A stretch of days with a forced regime and deterministic moves.

    Parameters
    ----------
    days : int
        Length, >= 1.
    regime : {"normal", "stress"}
    spread_drift_bp : float, default 0
        Added to the spread factor every day of the segment, bp (widening > 0).
    rate_drift_bp : float, default 0
        Added to the rate factor every day, bp (yields up > 0).
    flow_share : float, default 0
        Added to the non-fundamental demand every day, a decimal share of the fund's
        assets (outflows < 0).

    Examples
    --------
    >>> CalendarSegment(5, "stress", spread_drift_bp=20.0).days
    5
    """

    days: int
    regime: str
    spread_drift_bp: float = 0.0
    rate_drift_bp: float = 0.0
    flow_share: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", integer(self.days, "CalendarSegment.days", minimum=1))
        object.__setattr__(self, "regime", check_regime(self.regime, "CalendarSegment.regime"))
        for f in ("spread_drift_bp", "rate_drift_bp"):
            object.__setattr__(self, f, finite(getattr(self, f), f"CalendarSegment.{f}"))
        object.__setattr__(
            self, "flow_share", decimal(self.flow_share, "CalendarSegment.flow_share", limit=0.5)
        )


def _pair(value: Any, name: str) -> tuple[float, float]:
    try:
        a, b = value
    except (TypeError, ValueError):
        raise InputError(
            f"{name}: give a (normal, stress) pair of numbers, got {show(value)}"
        ) from None
    return finite(a, f"{name}[normal]"), finite(b, f"{name}[stress]")


@dataclass(frozen=True)
class PremiumScenario:
    """The parameters of one premium/discount simulation, per regime (normal, stress).

    Every per-regime parameter is a ``(normal, stress)`` pair. Copy and change one with
    :func:`dataclasses.replace` (validated again).

    Parameters
    ----------
    name, description : str
    start_regime : {"normal", "stress"}, default "normal"
        The regime before day 0.
    transition : 2x2 nested tuple, default never leaves normal
        Daily Markov matrix over (normal, stress), rows sum to one:
        ``transition[r][s]`` = P(tomorrow s | today r).
    calendar : tuple of CalendarSegment, default ()
        Days at the start whose regime and drifts are given (an episode); the Markov
        chain takes over after it.
    rate_vol_bp : pair, default (5, 12)
        Daily sd of the Treasury rate factor, bp: about 5 bp a day for the 10-year in
        the 2010s; 12-15 bp in March 2020 (the 10-year moved 20-30 bp on several days).
    rate_loadings_slope : float, default 0.3
        The rate factor moves key rate ``k`` by ``1 + rate_loadings_slope x (1 - t_k /
        10)`` (short rates move more): mapped through the fund's key-rate durations.
    spread_vol_bp : pair, default (1.5, 12)
        Daily sd of the fund's credit-spread factor, bp (IG OAS: 1-2 bp a day in calm
        markets; 10-30 bp moves in March 2020).
    rate_spread_corr : pair, default (-0.2, -0.5)
        Correlation of the two shocks (flight to quality in stress).
    staleness : pair, default (0.6, 0.3)
        ``lambda``: share of the gap between the evaluated and the true spread closed a
        day (the fund layer's partial adjustment on spreads). Calibration: the calm
        value keeps the stale part of LQD's calm premium a few bp. ``march_2020`` uses
        0.5 in stress: with its widening of 18 bp a day the stale NAV (with the bid-side
        discount) is about 28% of the worst discount, as the ~29% of LQD's 12 and 19
        March 2020 discounts that etfcore's ``fit_premium(...).staleness`` attributes to
        stale NAV.
    impact_multiplier : pair, default (3, 4)
        Multiplies the ETF liquidity model's square-root impact ``k sigma``: demand that
        stays unabsorbed presses harder than a one-off trade. Calibrated with
        ``demand_vol_adv`` to LQD's calm premium sd (about 14 bp). ``march_2020`` uses 8
        in stress (the ETF's stressed one-off impact is already ~10x calm): with it the
        selling the APs cannot absorb holds the price about 340 bp below the fresh bond
        value at the worst, as LQD's estimated ~350-365 bp "really cheap" part (the ETF's
        market makers could not lay the risk off in a bond market whose costs of
        immediacy had risen about five times, Kargar et al. 2021).
    demand_persistence : float, default 0.55
        ``rho`` of the unabsorbed demand, a decimal in [0, 1): with the APs closing the
        gaps outside the band it gives LQD's calm AR(1) half-life of about one day
        (``ln 2 / -ln rho`` is 1.2 days for the demand alone). ``march_2020`` uses 0.9
        (half-life 6.6 days): the selling the APs do not absorb stays, so "the price does
        not come back for days" (issue 7; LQD closed below -90 bp on 9 of the 10
        trading days from 9 to 20 March 2020, iShares NAV and the unadjusted close).
    demand_vol_adv : pair, default (0.2, 0.1)
        Daily sd of the non-fundamental demand shock, as a share of the ETF's daily
        dollar volume in the regime (noise demand scales with how much the ETF trades;
        fund flows, below, with its size). 0.2 of LQD's volume is about 2% of its assets.
        ``march_2020`` uses 0.03 in stress (the stressed volume is about three times the
        calm one): the one-way outflows, not noise, drive the stress, so that the worst
        discount depends on how much of them the APs absorb.
    demand_drift_share : pair, default (0.001, 0)
        Mean daily demand (fund flows), share of the fund's assets (outflows < 0); the
        calm +0.1% a day puts LQD's median premium at about +14 bp.
    n_aps : int, default 3
        Default APs when none are given: US bond ETFs have about 3 active ones.
    ap_capacity_share : float, default 0.003
        Each default AP's daily capacity, share of the fund's assets (about $90mm a
        day for a $30bn fund; an assumption).
    ap_stress_capacity_fraction : float, default 0.5
        Share of that capacity a default AP still offers in stress. ``march_2020`` keeps
        0.5 (about 0.45% of assets a day for three APs against outflows of 1.2% a day):
        capacity binds on almost every stress day, and doubling it to 1.0 takes the
        median worst discount from about -470 to about -390 bp (tested).
    ap_balance_sheet_share : float, default 0.01
        Each default AP's balance-sheet limit (inventory plus order), share of assets.
        ``march_2020`` uses 0.02, so that the daily capacity, not the balance sheet, is
        the limit that binds over its 15 stress days (an AP redeeming its full stressed
        capacity and selling 15% a day holds about 0.9% of assets after 15 days): the
        capacity test above then measures capacity.
    liquidation : pair, default (0.5, 0.15)
        Share of its bond inventory an AP sells a day (slower in stress).

    Notes
    -----
    Which parameter came from which fact (checked in ``tests/test_simulate.py``; the
    numbers are for the synthetic LQD-like ``IG_BROAD`` of ``synthetic_market(0)``, 1,000
    paths of 45 days, seed 0; ``march_2020`` and ``fed_backstop_2020`` share every
    parameter but the calendar's rebound and the transition matrix):

    ========================== ================================ ==========================
    fact (source)              parameters it fixes              simulated
    ========================== ================================ ==========================
    LQD calm premium median    ``demand_drift_share`` normal    +14.1 bp (the bonds'
    ~+14 bp (DESIGN.md)        +0.1% (plus the bid-side NAV)    12.5 bp bid-mid + demand)
    LQD calm sd ~14 bp         ``demand_vol_adv`` 0.2,          12.6 bp
                               ``impact_multiplier`` 3
    LQD calm half-life ~1 day  ``demand_persistence`` 0.55      0.9 days
    LQD inside band 79% of     (outcome, not fitted)            77% of days inside
    days before 2020
    LQD -502 / -508 bp         ``staleness`` stress 0.5,        median over paths of the
    (2020-03-12 / 03-19)       ``impact_multiplier`` stress 8,  worst premium -471 bp
                               ``demand_persistence`` 0.9,
                               the calendar's +18 bp a day and
                               -1% of assets a day outflows
    ~29% of LQD's 12 / 19 Mar  ``staleness`` stress 0.5         stale NAV 28% of each
    discounts was stale NAV                                     path's worst discount
    (``fit_premium`` on LQD)                                    (median over paths)
    "AP balance sheets fill    ``ap_stress_capacity_fraction``  capacity binds on 98% of
    up ... the price does not  0.5, ``ap_balance_sheet_share``  stress days; doubling it
    come back for days"        0.02, ``demand_vol_adv`` stress  moves the median worst
    (issue 7)                  0.03                             from -471 to -388 bp
    LQD +504 bp (2020-03-25)   the backstop segment's -22 bp a  median over paths of the
                               day and +2% a day inflows        best premium +514 bp
    ========================== ================================ ==========================

    Raises
    ------
    InputError
        Negative capacities, volatilities or balance sheets; a transition matrix that is
        not 2x2 or whose rows do not sum to one; a staleness or liquidation outside
        (0, 1]; a persistence outside [0, 1).

    Examples
    --------
    >>> import dataclasses
    >>> s = dataclasses.replace(SCENARIOS["calm"], ap_capacity_share=0.001)
    >>> s.ap_capacity_share
    0.001
    >>> dataclasses.replace(s, ap_capacity_share=-1.0)
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: PremiumScenario.ap_capacity_share: -1.0 must be a number >= 0 ...
    """

    name: str = "custom"
    description: str = ""
    start_regime: str = "normal"
    transition: tuple[tuple[float, float], tuple[float, float]] = ((1.0, 0.0), (0.2, 0.8))
    calendar: tuple[CalendarSegment, ...] = field(default_factory=tuple)
    rate_vol_bp: tuple[float, float] = (5.0, 12.0)
    rate_loadings_slope: float = 0.3
    spread_vol_bp: tuple[float, float] = (1.5, 12.0)
    rate_spread_corr: tuple[float, float] = (-0.2, -0.5)
    staleness: tuple[float, float] = (0.6, 0.3)
    impact_multiplier: tuple[float, float] = (3.0, 4.0)
    demand_persistence: float = 0.55
    demand_vol_adv: tuple[float, float] = (0.2, 0.1)
    demand_drift_share: tuple[float, float] = (0.001, 0.0)
    n_aps: int = 3
    ap_capacity_share: float = 0.003
    ap_stress_capacity_fraction: float = 0.5
    ap_balance_sheet_share: float = 0.01
    liquidation: tuple[float, float] = (0.5, 0.15)

    def __post_init__(self) -> None:
        n = "PremiumScenario"
        set_ = object.__setattr__
        set_(self, "start_regime", check_regime(self.start_regime, f"{n}.start_regime"))
        set_(self, "transition", _transition(self.transition))
        cal = tuple(self.calendar)
        for i, seg in enumerate(cal):
            if not isinstance(seg, CalendarSegment):
                raise InputError(
                    f"{n}.calendar[{i}]: expected a CalendarSegment, got {type(seg).__name__}"
                )
        set_(self, "calendar", cal)
        for f in ("rate_vol_bp", "spread_vol_bp", "impact_multiplier", "demand_vol_adv"):
            a, b = _pair(getattr(self, f), f"{n}.{f}")
            set_(
                self, f, (non_negative(a, f"{n}.{f}[normal]"), non_negative(b, f"{n}.{f}[stress]"))
            )
        for f, lo, hi in (
            ("rate_spread_corr", -1.0, 1.0),
            ("staleness", 1e-6, 1.0),
            ("liquidation", 0.0, 1.0),
            ("demand_drift_share", -0.5, 0.5),
        ):
            a, b = _pair(getattr(self, f), f"{n}.{f}")
            for v, side in ((a, "normal"), (b, "stress")):
                if not lo <= v <= hi:
                    raise InputError(f"{n}.{f}[{side}]: {show(v)} must be in [{lo:g}, {hi:g}]")
            set_(self, f, (a, b))
        for f in ("impact_multiplier",):
            if min(getattr(self, f)) <= 0:
                raise InputError(f"{n}.{f}: {show(getattr(self, f))} must be > 0 in both regimes")
        rho = finite(self.demand_persistence, f"{n}.demand_persistence")
        if not 0.0 <= rho < 1.0:
            raise InputError(f"{n}.demand_persistence: {show(rho)} must be in [0, 1)")
        set_(self, "demand_persistence", rho)
        set_(
            self,
            "rate_loadings_slope",
            finite(self.rate_loadings_slope, f"{n}.rate_loadings_slope"),
        )
        set_(self, "n_aps", integer(self.n_aps, f"{n}.n_aps", minimum=1))
        for f in ("ap_capacity_share", "ap_balance_sheet_share"):
            set_(self, f, non_negative(getattr(self, f), f"{n}.{f}", allow_inf=True))
        set_(
            self,
            "ap_stress_capacity_fraction",
            decimal(
                self.ap_stress_capacity_fraction,
                f"{n}.ap_stress_capacity_fraction",
                limit=1.0,
                lower=0.0,
            ),
        )

    @property
    def calendar_days(self) -> int:
        """Days covered by the calendar.

        Examples
        --------
        >>> SCENARIOS["march_2020"].calendar_days > 0
        True
        """
        return int(sum(seg.days for seg in self.calendar))

    def calendar_arrays(self, n_days: int, assets_usd: float) -> tuple[np.ndarray, ...]:
        """The calendar as kernel arrays over ``n_days``.

        Regime code (-1: the Markov chain decides), rate drift (bp), spread drift (bp)
        and demand (USD) per day.

        Examples
        --------
        >>> reg, *_ = SCENARIOS["march_2020"].calendar_arrays(3, 1e9)
        >>> reg.tolist()
        [0, 0, 0]
        """
        regime = np.full(n_days, -1, dtype=np.int64)
        rate = np.zeros(n_days)
        spread = np.zeros(n_days)
        demand = np.zeros(n_days)
        t = 0
        for seg in self.calendar:
            stop = min(t + seg.days, n_days)
            regime[t:stop] = REGIMES.index(seg.regime)
            rate[t:stop] = seg.rate_drift_bp
            spread[t:stop] = seg.spread_drift_bp
            demand[t:stop] = seg.flow_share * assets_usd
            t = stop
            if t >= n_days:
                break
        return regime, rate, spread, demand


def _transition(value: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"PremiumScenario.transition: expected a 2x2 matrix of probabilities, got {show(value)}"
        ) from None
    if arr.shape != (2, 2):
        raise InputError(
            f"PremiumScenario.transition: expected a 2x2 matrix over (normal, stress), got "
            f"shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)) or (arr < 0).any() or (arr > 1).any():
        raise InputError(
            f"PremiumScenario.transition: probabilities must be in [0, 1], got {arr.tolist()}"
        )
    for i, regime in enumerate(REGIMES):
        if abs(arr[i].sum() - 1.0) > 1e-9:
            raise InputError(
                f"PremiumScenario.transition: row {i} ({regime}) sums to {arr[i].sum():g}, "
                "not 1; each row is the distribution of tomorrow's regime"
            )
    return ((float(arr[0, 0]), float(arr[0, 1])), (float(arr[1, 0]), float(arr[1, 1])))


_CALM = PremiumScenario(
    name="calm",
    description=(
        "LQD-like calm market: never leaves the normal regime. Targets (DESIGN.md, LQD "
        "before 2020): premium median about +14 bp, sd about 14 bp, AR(1) half-life about "
        "one day."
    ),
)
_TAPER = PremiumScenario(
    name="taper_2013",
    description=(
        "The May-June 2013 'taper tantrum': the 10-year rose about 100 bp in two months, "
        "IG spreads widened about 20-30 bp and bond funds saw outflows; broad bond ETFs "
        "traded at discounts of about 1-2% in late June. Illustrative, not fitted."
    ),
    calendar=(
        CalendarSegment(10, "normal", spread_drift_bp=0.5, rate_drift_bp=3.0),
        CalendarSegment(12, "stress", spread_drift_bp=2.5, rate_drift_bp=4.0, flow_share=-0.004),
    ),
    transition=((0.995, 0.005), (0.15, 0.85)),
    spread_vol_bp=(1.5, 5.0),
    rate_vol_bp=(5.0, 10.0),
    staleness=(0.6, 0.45),
)
_MARCH_CALENDAR = (
    CalendarSegment(5, "normal", spread_drift_bp=3.0, rate_drift_bp=-5.0),
    CalendarSegment(15, "stress", spread_drift_bp=18.0, rate_drift_bp=-2.0, flow_share=-0.01),
)
_MARCH = PremiumScenario(
    name="march_2020",
    description=(
        "Late February to 20 March 2020: IG OAS from about 100 bp to about 370 bp "
        "(+270 bp in three weeks, about 20 bp a day in the last two), bond dealers pulled "
        "back (costs of immediacy about x5, Kargar et al. 2021; SPIB's basket quoted "
        "68.5 bp against 14.6 bp normal, SSGA), AP capacity fell, persistent selling of "
        "the ETF outran it, evaluated prices went stale and LQD closed about 5% below NAV "
        "(-502 bp on 2020-03-12, -508 bp on 03-19), about 29% of it stale NAV and the rest "
        "the ETF really cheap (etfcore's fit_premium on LQD). Stress continues by the "
        "Markov chain after the calendar."
    ),
    calendar=_MARCH_CALENDAR,
    transition=((0.99, 0.01), (0.05, 0.95)),
    staleness=(0.6, 0.5),
    impact_multiplier=(3.0, 8.0),
    demand_persistence=0.9,
    demand_vol_adv=(0.2, 0.03),
    demand_drift_share=(0.001, -0.002),
    ap_stress_capacity_fraction=0.5,
    ap_balance_sheet_share=0.02,
)
_BACKSTOP = dataclasses.replace(
    _MARCH,
    name="fed_backstop_2020",
    description=(
        "march_2020 up to the Fed's corporate-credit backstop (23 March 2020: the PMCCF/"
        "SMCCF, including purchases of IG ETFs), then the rebound: spreads tightened fast "
        "(IG OAS about -100 bp in two weeks), inflows returned, and the stale NAV lagged a "
        "rising price: LQD went from about -5% to about +5% (2020-03-25). Same parameters "
        "as march_2020; the calendar adds 6 rebound days."
    ),
    calendar=_MARCH_CALENDAR
    + (CalendarSegment(6, "stress", spread_drift_bp=-22.0, rate_drift_bp=0.0, flow_share=0.02),),
    transition=((0.99, 0.01), (0.1, 0.9)),
)

#: The named scenarios (read-only mapping; copy one with :func:`dataclasses.replace`).
SCENARIOS: Mapping[str, PremiumScenario] = MappingProxyType(
    {s.name: s for s in (_CALM, _TAPER, _MARCH, _BACKSTOP)}
)


def check_scenario(scenario: Any) -> PremiumScenario:
    """A scenario name or :class:`PremiumScenario` as a scenario.

    Examples
    --------
    >>> check_scenario("calm").name
    'calm'
    """
    if isinstance(scenario, PremiumScenario):
        return scenario
    if isinstance(scenario, str):
        if scenario not in SCENARIOS:
            raise InputError(
                f"scenario: {show(scenario)} is not one of {sorted(SCENARIOS)}; or give a "
                "PremiumScenario"
            )
        return SCENARIOS[scenario]
    raise InputError(
        f"scenario: give a name ({sorted(SCENARIOS)}) or a PremiumScenario, got "
        f"{type(scenario).__name__}"
    )


__all__ = ["SCENARIOS", "CalendarSegment", "PremiumScenario", "check_scenario", "replace"]

replace = dataclasses.replace
