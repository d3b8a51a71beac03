"""The cost of a hedge leg: trading an ETF by size, horizon, side and regime.

A dealer hedges a bond basket by buying or selling an ETF and holding the position over
a horizon. The cost of that leg, in bp of the notional, has two parts:

* **execution**, by the cheaper channel: the secondary market (half the ETF's quoted
  spread plus square-root impact, from the ETF liquidity model) or the primary market
  (the side of the arbitrage band that applies, at the order's size, plus the risk of
  waiting when the notional exceeds a day's AP capacity), or a split of the two;
* **holding** over the horizon: borrow for a short, a charge for the residual (basis)
  risk of the hedge, and a charge for the ETF's own premium/discount risk (from the
  dynamics layer's Monte Carlo).

:func:`hedge_leg_cost` prices one leg; :func:`etfcore.hedging.curve.hedge_cost_curve`
prices a whole surface with the same arrays.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import decimal, integer, non_negative, show
from ..errors import InputError
from ..fund.etf import ETF
from ..primary.band import arbitrage_band  # imported with the layer, not on the first call
from ..state import ORDERS, REGIMES, TRADE_SIDES, IdentityCache, MarketState, check_regime
from ..state import check_trade_side as _check_trade_side

#: Cost components, bp of notional, in the order they appear in tables. They add up
#: to ``cost_bp``. Execution: ``half_spread_bp`` and ``impact_bp`` (secondary market),
#: ``primary_bp`` and ``waiting_risk_bp`` (primary market); holding: ``borrow_bp``,
#: ``basis_risk_bp`` and ``premium_risk_bp``.
COMPONENTS = (
    "half_spread_bp",
    "impact_bp",
    "primary_bp",
    "waiting_risk_bp",
    "borrow_bp",
    "basis_risk_bp",
    "premium_risk_bp",
)
#: Channels of a leg's execution.
CHANNELS = ("secondary", "primary", "split")

#: Charge per standard deviation of a risk held over the horizon (a ratio): the basis,
#: the premium and the waiting risk are charged ``risk_aversion x sd``. 0.5 sd is about
#: a 69% one-sided confidence charge; dealers' risk charges run from 0.5 to 1 sd.
DEFAULT_RISK_AVERSION = 0.5
#: Annual cost of borrowing ETF shares to sell them short, decimal, ACT/360, by regime:
#: 35 bp a year (general collateral for liquid bond ETFs, tens of bp) and 200 bp in
#: stress (borrow tightens when everyone is short the same ETF).
DEFAULT_BORROW_RATE = {"normal": 0.0035, "stress": 0.02}
#: Daily standard deviation of the hedge's residual (basis) return, bp of notional,
#: by regime: a few bp a day for an IG basket hedged with IG ETFs, five times that in
#: stress (the ratio of bond costs of immediacy in March 2020, Kargar et al. 2021).
DEFAULT_BASIS_VOL_BP = {"normal": 3.0, "stress": 15.0}
#: Premium scenario (:data:`etfcore.dynamics.SCENARIOS`) that sets the premium risk
#: of each regime, and the row of its regime used.
DEFAULT_PREMIUM_SCENARIOS = {"normal": "calm", "stress": "march_2020"}
#: Share of the fund's assets each default AP creates or redeems a day, the number of
#: APs and the share of capacity left in stress: the dynamics layer's defaults
#: (``SCENARIOS["calm"]``: 3 APs, 0.3% of assets a day each, half in stress).
DEFAULT_AP_COUNT = 3
DEFAULT_AP_CAPACITY_SHARE = 0.003
DEFAULT_AP_STRESS_CAPACITY_FRACTION = 0.5
#: Days in the borrow rate's year (ACT/360, the money-market convention).
BORROW_DAY_COUNT = 360.0
#: Coarse grid of the dealer-flow simulation behind the premium component: hedge sizes,
#: USD (a decade apart; the push is interpolated linearly in the square root of the size,
#: the shape of square-root impact, and held flat beyond the last point), and unwind
#: horizons, whole days (those up to the longest horizon needed, plus that horizon).
PUSH_NOTIONALS_USD = (1e6, 1e7, 1e8, 1e9, 1e10, 1e11)
PUSH_HORIZONS_DAYS = (1, 2, 3, 5, 10, 20, 50, 100, 250)


@dataclass(frozen=True)
class HedgeCostParameters:
    """The assumptions behind a hedge cost, named and documented.

    Parameters
    ----------
    risk_aversion : float, default :data:`DEFAULT_RISK_AVERSION`
        Charge per standard deviation of basis, premium and waiting risk, >= 0.
    borrow_rate_normal, borrow_rate_stress : float
        Annual borrow cost of a short, decimal (ACT/360), in [0, 1]
        (:data:`DEFAULT_BORROW_RATE`).
    basis_vol_bp_normal, basis_vol_bp_stress : float
        Daily standard deviation of the hedge's residual, bp (:data:`DEFAULT_BASIS_VOL_BP`).
    premium_scenario_normal, premium_scenario_stress : str
        Premium scenarios for each regime (:data:`DEFAULT_PREMIUM_SCENARIOS`).
    premium_n_paths : int, default 100
        Monte Carlo paths of the premium simulation (small: only its spread is used).
    dealer_flow : bool, default True
        Add the premium the hedge's own flow pushes against the dealer to
        ``premium_risk_bp`` (:func:`dealer_flow_impact` on the grid
        :data:`PUSH_NOTIONALS_USD` x :data:`PUSH_HORIZONS_DAYS`); False leaves the
        premium-risk charge alone (the first slice's curves).
    flow_n_paths : int, default 32
        Paths of each dealer-flow run (the push is a difference of two runs with the
        same shocks). Its Monte Carlo noise, sd over 8 seeds, for a $1bn next-day
        unwind of IG_BROAD on the synthetic market: 7.6 +- 1.0 bp normal and 56 +- 8 bp
        stress at 32 paths, 7.4 +- 0.5 and 60 +- 4 bp at 128 (which adds about 0.3 s to
        a cold five-fund surface).
    flow_extra_days : int, default 10
        Days simulated after the longest unwind.
    split_steps : int, default 20
        The split between channels is searched over ``0, 1/split_steps, ..., 1``.
    seed : int, default 0
        Seed of the premium simulation.

    Raises
    ------
    InputError
        For a negative number, a rate given in percent or bp, or an unknown scenario.

    Examples
    --------
    >>> p = HedgeCostParameters(risk_aversion=1.0)
    >>> p.borrow_rate("stress"), p.risk_aversion
    (0.02, 1.0)
    """

    risk_aversion: float = DEFAULT_RISK_AVERSION
    borrow_rate_normal: float = DEFAULT_BORROW_RATE["normal"]
    borrow_rate_stress: float = DEFAULT_BORROW_RATE["stress"]
    basis_vol_bp_normal: float = DEFAULT_BASIS_VOL_BP["normal"]
    basis_vol_bp_stress: float = DEFAULT_BASIS_VOL_BP["stress"]
    premium_scenario_normal: str = DEFAULT_PREMIUM_SCENARIOS["normal"]
    premium_scenario_stress: str = DEFAULT_PREMIUM_SCENARIOS["stress"]
    premium_n_paths: int = 100
    split_steps: int = 20
    seed: int = 0
    dealer_flow: bool = True
    flow_n_paths: int = 32
    flow_extra_days: int = 10

    def __post_init__(self) -> None:
        from ..dynamics.simulate.scenarios import SCENARIOS

        set_ = object.__setattr__
        set_(self, "risk_aversion", non_negative(self.risk_aversion, "risk_aversion"))
        for r in REGIMES:
            f = f"borrow_rate_{r}"
            set_(self, f, decimal(getattr(self, f), f, limit=1.0, lower=0.0))
            f = f"basis_vol_bp_{r}"
            set_(self, f, non_negative(getattr(self, f), f))
            f = f"premium_scenario_{r}"
            if getattr(self, f) not in SCENARIOS:
                raise InputError(f"{f}: {show(getattr(self, f))} is not one of {sorted(SCENARIOS)}")
        set_(self, "premium_n_paths", integer(self.premium_n_paths, "premium_n_paths", minimum=1))
        set_(self, "split_steps", integer(self.split_steps, "split_steps", minimum=1))
        set_(self, "seed", integer(self.seed, "seed", minimum=0))
        if not isinstance(self.dealer_flow, (bool, np.bool_)):
            raise InputError(f"dealer_flow: give True or False, got {show(self.dealer_flow)}")
        set_(self, "dealer_flow", bool(self.dealer_flow))
        set_(self, "flow_n_paths", integer(self.flow_n_paths, "flow_n_paths", minimum=1))
        set_(self, "flow_extra_days", integer(self.flow_extra_days, "flow_extra_days", minimum=0))

    def borrow_rate(self, regime: str) -> float:
        """Annual borrow rate in ``regime``, decimal."""
        return float(getattr(self, f"borrow_rate_{check_regime(regime)}"))

    def basis_vol_bp(self, regime: str) -> float:
        """Daily basis standard deviation in ``regime``, bp."""
        return float(getattr(self, f"basis_vol_bp_{check_regime(regime)}"))

    def premium_scenario(self, regime: str) -> str:
        """Premium scenario name for ``regime``."""
        return str(getattr(self, f"premium_scenario_{check_regime(regime)}"))

    def to_dict(self) -> dict[str, Any]:
        """The parameters as a plain dict (what the curve files store)."""
        return dataclasses.asdict(self)


DEFAULT_PARAMETERS = HedgeCostParameters()


def check_parameters(parameters: Any) -> HedgeCostParameters:
    """``parameters`` (None, a dict of fields, or a :class:`HedgeCostParameters`)."""
    if parameters is None:
        return DEFAULT_PARAMETERS
    if isinstance(parameters, HedgeCostParameters):
        return parameters
    if isinstance(parameters, dict):
        known = {f.name for f in dataclasses.fields(HedgeCostParameters)}
        unknown = sorted(set(parameters) - known)
        if unknown:
            raise InputError(f"parameters: unknown names {unknown}; known: {sorted(known)}")
        return HedgeCostParameters(**parameters)
    raise InputError(
        f"parameters: expected a HedgeCostParameters or a dict, got {type(parameters).__name__}"
    )


def default_ap_panel(etf: ETF, market: MarketState) -> list:
    """The APs assumed when none are given: the dynamics layer's default panel.

    :data:`DEFAULT_AP_COUNT` APs, each creating or redeeming up to
    :data:`DEFAULT_AP_CAPACITY_SHARE` of the fund's assets (mid NAV x shares) a day,
    :data:`DEFAULT_AP_STRESS_CAPACITY_FRACTION` of it in stress; other costs are
    :class:`etfcore.primary.participant.AuthorizedParticipant`'s defaults.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> aps = default_ap_panel(m.etfs["IG_BROAD"], m)
    >>> len(aps), round(aps[0].capacity_usd("stress") / aps[0].capacity_usd("normal"), 2)
    (3, 0.5)
    """
    from ..primary.participant import AuthorizedParticipant

    assets = etf.nav(market, "mid") * etf.shares_outstanding
    return [
        AuthorizedParticipant(
            f"AP{j + 1}",
            capacity_usd_per_day=DEFAULT_AP_CAPACITY_SHARE * assets,
            stress_capacity_fraction=DEFAULT_AP_STRESS_CAPACITY_FRACTION,
        )
        for j in range(DEFAULT_AP_COUNT)
    ]


# ---------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class LegInputs:
    """The numbers of one ETF in one regime that every leg cost is computed from.

    ``band_terms``: for ``"buy"`` (APs create) and ``"sell"`` (APs redeem), the
    size-free, fixed and square-root terms of the one-unit threshold, bp of official
    NAV; ``nav_ratio`` = official (bid) over mid NAV; ``unit_value_usd`` the value of
    one creation unit; ``premium_sd_bp[h]`` the sd of the premium change over ``h``
    whole days (``[0] = 0``); ``push_bp[side]`` the premium the dealer's own unwind
    pays, bp, on the grid ``push_horizons_days`` (rows, from 0) x
    ``push_notionals_usd`` (columns, from 0), non-negative and non-decreasing along
    each row (:func:`premium_pushed_bp` interpolates it); None without the flow.
    """

    etf_name: str
    regime: str
    half_spread_bp: float
    daily_volatility_bp: float
    capacity_usd_per_day: float
    band_terms: dict
    nav_ratio: float
    unit_value_usd: float
    premium_sd_bp: np.ndarray
    model: Any
    push_notionals_usd: np.ndarray | None = None
    push_horizons_days: np.ndarray | None = None
    push_bp: dict | None = None


_CACHE = IdentityCache(maxsize=256)


def _fingerprint(etf: ETF) -> tuple:
    """What a fund's costs depend on in itself: every field but its name, holdings by value.

    ``description`` is left out too; cached per ETF object (ETFs are frozen). The
    market's liquidity model for the fund's name is not in it: callers add it.
    """
    key = ("fingerprint", id(etf))
    hit = _CACHE.get(key, (etf,))
    if hit is not None:
        return hit
    skip = ("name", "description", "holdings")
    fields = tuple(
        (f.name, repr(getattr(etf, f.name)))
        for f in dataclasses.fields(etf)
        if f.name not in skip and not f.name.startswith("_")
    )
    h = etf.holdings
    digest = hashlib.blake2b(h.to_numpy(dtype=float).tobytes(), digest_size=16)
    digest.update("\0".join(map(str, h.index)).encode())
    out = (fields, len(h), digest.hexdigest())
    _CACHE.put(key, (etf,), out)
    return out


def _daily_vol_bp(model: Any, regime: str) -> float:
    fn = getattr(model, "daily_volatility_bp", None)
    if fn is not None:
        return float(fn(regime))
    from ..liquidity import DEFAULT_ETF_MODEL

    return float(DEFAULT_ETF_MODEL.daily_volatility_bp(regime))


def _bands(etf: ETF, market: MarketState) -> dict[str, Any]:
    """One-unit default-AP :func:`etfcore.arbitrage_band` of each regime (cached)."""
    key = ("bands", id(etf), id(market))
    hit = _CACHE.get(key, (etf, market))
    if hit is not None:
        return hit
    out = {
        r: arbitrage_band(etf, market if market.regime == r else market.with_regime(r))
        for r in REGIMES
    }
    _CACHE.put(key, (etf, market), out)
    return out


def _premium_sd(
    etf: ETF, market: MarketState, regime: str, params: HedgeCostParameters, max_days: int
) -> np.ndarray:
    from ..dynamics.simulate.simulation import simulate_premium

    n_days = max_days + 20
    sim = simulate_premium(
        etf,
        market,
        params.premium_scenario(regime),
        n_paths=params.premium_n_paths,
        n_days=n_days,
        seed=params.seed,
        bands=_bands(etf, market),
    )
    return premium_change_sd(sim.premium_bp, sim.regime, regime, max_days)


def _held_scenario(params: HedgeCostParameters, regime: str, n_days: int) -> Any:
    """The regime's premium scenario held in ``regime`` every day (no episode drifts)."""
    from ..dynamics.simulate.scenarios import CalendarSegment, check_scenario

    return dataclasses.replace(
        check_scenario(params.premium_scenario(regime)),
        calendar=(CalendarSegment(n_days, regime),),
    )


def unwind_cost_bp(push_bp: np.ndarray, flow_usd: np.ndarray, notional_usd: float) -> float:
    """Premium the dealer's unwind trades pay against it, bp of the notional (mean over paths).

    ``sum_{t >= 1} flow_t x push_t / notional``: each day after day 0 the dealer
    trades ``flow_t`` USD of the ETF at a premium ``push_t`` (flow run minus no-flow
    run, bp) away from where it would be without the dealer; buying (``flow_t > 0``)
    at a pushed-up premium or selling at a pushed-down one costs. Day 0 is left out:
    its push is the execution's own impact (``impact_bp``, or the primary market),
    charged once there. Negative when the dealer's own pushed discount (or premium)
    lingers and its unwind trades against it: a gain.

    Examples
    --------
    >>> import numpy as np
    >>> push = np.array([[-10.0, 2.0, 1.0], [-12.0, 4.0, 1.0]])
    >>> unwind_cost_bp(push, np.array([-2e6, 1e6, 1e6]), 2e6)
    2.0
    """
    if notional_usd <= 0:
        return 0.0
    paths = push_bp[:, 1:] @ flow_usd[1:] / notional_usd
    return float(paths.mean())


def _flow_push(
    etf: ETF, market: MarketState, regime: str, params: HedgeCostParameters, h_max: int
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The unwind's premium cost on the coarse grid, each side (see :func:`premium_pushed_bp`).

    One no-flow run and one run per (side, horizon, notional) of the regime's held
    scenario (``flow_n_paths`` paths, ``h_max + 1 + flow_extra_days`` days, same
    shocks), the inputs built once. Row 0 (horizon 0) and column 0 (notional 0) are
    zero; values are clipped at 0 (a gain from the dealer's own lingering push is
    not priced in) and made non-decreasing in size (the running maximum: Monte Carlo
    noise cannot make a larger trade cheaper).
    """
    from ..dynamics.simulate.simulation import _simulate_flows

    q_grid = np.asarray(PUSH_NOTIONALS_USD, dtype=float)
    h_list = [h for h in PUSH_HORIZONS_DAYS if h < h_max] + [h_max]
    n_days = h_max + 1 + params.flow_extra_days
    keys = [(side, h, q) for side in TRADE_SIDES for h in h_list for q in q_grid]
    flows = [dealer_flow_schedule(q, side, h, n_days) for side, h, q in keys]
    # each run needs its unwind's days only (day 0..h): the rest cannot change them
    base, runs = _simulate_flows(
        etf,
        market,
        _held_scenario(params, regime, n_days),
        flows,
        params.flow_n_paths,
        n_days,
        params.seed,
        _bands(etf, market),
        days=[h + 1 for _, h, _ in keys],
    )
    cost = {
        key: unwind_cost_bp(run[0] - base[0][:, : key[1] + 1], flow[: key[1] + 1], key[2])
        for key, flow, run in zip(keys, flows, runs, strict=True)
    }
    out = {}
    for side in TRADE_SIDES:
        table = np.zeros((len(h_list) + 1, q_grid.size + 1))
        for i, h in enumerate(h_list):
            row = np.array([cost[(side, h, q)] for q in q_grid])
            table[i + 1, 1:] = np.maximum.accumulate(np.maximum(row, 0.0))
        out[side] = table
    return (
        np.concatenate([[0.0], q_grid]),
        np.asarray([0, *h_list], dtype=float),
        out,
    )


def premium_pushed_bp(
    x: LegInputs, side: str, notional_usd: np.ndarray, horizon_days: np.ndarray
) -> np.ndarray:
    """Premium the hedge's own unwind pushes against the dealer, bp, ``(horizons, notionals)``.

    Interpolates ``x.push_bp[side]`` (see :class:`LegInputs`): linearly in the
    horizon between grid days and linearly in the square root of the notional
    between grid sizes (flat beyond the largest), so it is 0 at zero size or zero
    horizon and never falls as the size grows. Zeros when ``x`` has no flow grid
    (``dealer_flow=False``).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> x = leg_inputs(m.etfs["IG_BROAD"], m, "normal", max_horizon_days=2)
    >>> p = premium_pushed_bp(x, "sell", np.array([0.0, 1e8, 1e9]), np.array([1.0]))
    >>> p.shape, float(p[0, 0]), bool(p[0, 1] <= p[0, 2])
    ((1, 3), 0.0, True)
    """
    q = np.asarray(notional_usd, dtype=float).reshape(-1)
    h = np.asarray(horizon_days, dtype=float).reshape(-1)
    if x.push_bp is None or x.push_notionals_usd is None or x.push_horizons_days is None:
        return np.zeros((h.size, q.size))
    table = x.push_bp[side]
    h_grid = x.push_horizons_days
    if h.size and h.max() > h_grid[-1]:
        raise InputError(
            f"horizon_days: {show(h.max())} is beyond the {int(h_grid[-1])} days the dealer "
            "flow was simulated for; pass a larger max_horizon_days"
        )
    rows = np.stack([np.interp(h, h_grid, table[:, j]) for j in range(table.shape[1])], axis=1)
    root = np.sqrt(x.push_notionals_usd)
    return np.stack([np.interp(np.sqrt(q), root, r) for r in rows]).reshape(h.size, q.size)


def premium_change_sd(
    premium_bp: np.ndarray, regime_codes: np.ndarray, regime: str, max_days: int
) -> np.ndarray:
    """Sd of ``premium[t + h] - premium[t]`` for ``h = 0..max_days``, days starting in ``regime``.

    The statistic of :meth:`etfcore.dynamics.PremiumSimulation.premium_change_quantiles`
    (``sd_bp``: every path, every starting day, overlapping windows, the regime on
    the starting day; all days when the regime is never visited), for every horizon
    at once. ``[0] = 0``.

    Examples
    --------
    >>> import numpy as np
    >>> p = np.array([[0.0, 1.0, 3.0, 6.0]])
    >>> premium_change_sd(p, np.zeros((1, 4), dtype=int), "normal", 2).round(4).tolist()
    [0.0, 0.8165, 1.0]
    """
    code = REGIMES.index(regime)
    out = np.zeros(max_days + 1)
    for h in range(1, max_days + 1):
        change = (premium_bp[:, h:] - premium_bp[:, :-h]).ravel()
        start = regime_codes[:, :-h].ravel() == code
        x = change[start] if start.any() else change
        out[h] = float(x.std())
    return out


def leg_inputs(
    etf: ETF,
    market: MarketState,
    regime: str,
    parameters: Any = None,
    aps: Any = None,
    max_horizon_days: float = 20.0,
) -> LegInputs:
    """The ETF's liquidity, band, AP capacity and premium risk in ``regime`` (cached).

    Parameters
    ----------
    etf : ETF
    market : MarketState
    regime : {"normal", "stress"}
    parameters : HedgeCostParameters or dict, optional
    aps : AuthorizedParticipant or list, optional
        Default :func:`default_ap_panel`.
    max_horizon_days : float, default 20
        Longest horizon the premium risk is needed for.

    Returns
    -------
    LegInputs

    Notes
    -----
    The band is :func:`etfcore.arbitrage_band` for one unit in ``market.with_regime
    (regime)`` with the default AP; the capacity is the sum of the APs'
    ``capacity_usd(regime)``; the premium risk comes from one
    :func:`etfcore.dynamics.simulate_premium` run (``premium_n_paths`` paths) of the
    regime's scenario, ``premium_change_quantiles(h)["sd_bp"]`` on the regime's row;
    the push of the dealer's own flow from :func:`dealer_flow_impact`'s two runs on
    a coarse grid (``push_bp``, see :func:`premium_pushed_bp`).
    Results are cached on the (etf, market, parameters, aps) objects.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> x = leg_inputs(m.etfs["IG_BROAD"], m, "normal", max_horizon_days=2)
    >>> x.half_spread_bp > 0, x.premium_sd_bp.shape
    (True, (3,))
    """
    from ..dynamics.simulate.simulation import _band_terms
    from ..primary._liquidity import etf_model
    from ..primary.participant import check_aps

    regime = check_regime(regime)
    params = check_parameters(parameters)
    h_max = max(1, int(np.ceil(non_negative(max_horizon_days, "max_horizon_days"))))
    key = ("leg", id(etf), id(market), id(params), id(aps), regime, h_max)
    deps = (etf, market, params, aps)
    hit = _CACHE.get(key, deps)
    if hit is not None:
        return hit
    # a longer horizon already computed serves a shorter one
    for h in (20, 50, 100, 250):
        if h > h_max:
            longer = _CACHE.get(("leg", *key[1:6], h), deps)
            if longer is not None:
                return longer
    # a fund with the same content under another name (a renamed copy) shares its inputs,
    # when the market gives both the same ETF liquidity model (it keeps models by name:
    # a copy of one of its funds falls back to a model from the fund's own fields)
    own_model = market.etf_liquidity_model(etf.name)
    twin_key = (
        "twin",
        _fingerprint(etf),
        id(own_model),
        id(market),
        id(params),
        id(aps),
        regime,
        h_max,
    )
    twin_deps = (market, params, aps, own_model)
    twin = _CACHE.get(twin_key, twin_deps)
    if twin is not None:
        out = dataclasses.replace(twin, etf_name=etf.name)
        _CACHE.put(key, deps, out)
        return out
    model = etf_model(etf, market)
    panel = default_ap_panel(etf, market) if aps is None else check_aps(aps)
    capacity = float(sum(ap.capacity_usd(regime) for ap in panel))
    band = _bands(etf, market)[regime]
    terms, _ = _band_terms(band)
    out = LegInputs(
        etf_name=etf.name,
        regime=regime,
        half_spread_bp=float(model.half_spread_bp(regime)),
        daily_volatility_bp=_daily_vol_bp(model, regime),
        capacity_usd_per_day=capacity,
        band_terms={
            "buy": tuple(terms[ORDERS.index("create")].tolist()),
            "sell": tuple(terms[ORDERS.index("redeem")].tolist()),
        },
        nav_ratio=float(band.nav_per_share / band.nav_mid),
        unit_value_usd=float(band.value_usd),
        premium_sd_bp=_premium_sd(etf, market, regime, params, h_max),
        model=model,
    )
    if params.dealer_flow:
        grid_q, grid_h, push = _flow_push(etf, market, regime, params, h_max)
        out = dataclasses.replace(
            out, push_notionals_usd=grid_q, push_horizons_days=grid_h, push_bp=push
        )
    _CACHE.put(key, deps, out)
    _CACHE.put(twin_key, twin_deps, out)
    return out


# ---------------------------------------------------------------------- arrays
def _non_negative(values: Any, name: str, unit: str) -> np.ndarray:
    """``values`` as a float array, each finite and >= 0, else InputError naming ``unit``."""
    try:
        out = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {show(values)} is not a number of {unit}") from None
    bad = ~np.isfinite(out) | (out < 0)
    if bad.any():
        shown = ", ".join(show(v) for v in out.reshape(-1)[bad.reshape(-1)][:5])
        raise InputError(f"{name}: must be finite and >= 0 ({unit}), got {shown}")
    return out


def check_notionals(values: Any, name: str = "notional_usd") -> np.ndarray:
    """Notionals as a float array, each finite and >= 0 (USD), else InputError."""
    return _non_negative(values, name, "USD")


def check_horizons(values: Any, name: str = "horizon_days") -> np.ndarray:
    """Horizons as a float array, each finite and >= 0 (days), else InputError."""
    return _non_negative(values, name, "days")


def _primary_bp(x: LegInputs, side: str, q: np.ndarray, risk_aversion: float) -> tuple:
    """(band, waiting risk) of ``q`` USD through the primary market, bp of ``q``."""
    a, f, c = x.band_terms[side]
    r = np.maximum(q / x.unit_value_usd, 1.0)
    official = a + f + c * np.sqrt(r)  # fixed fee at its one-unit weight: never falls
    vs_mid = ((1.0 + official * 1e-4) * x.nav_ratio - 1.0) * 1e4
    band = np.abs(vs_mid)
    if x.capacity_usd_per_day > 0:
        days = q / x.capacity_usd_per_day
    else:
        days = np.where(q > 0, np.inf, 0.0)
    wait = np.maximum(days - 1.0, 0.0)
    waiting = risk_aversion * x.daily_volatility_bp * np.sqrt(wait / 3.0)
    return band, waiting


def execution_costs(
    x: LegInputs, side: str, notional_usd: np.ndarray, parameters: HedgeCostParameters
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Execution components (bp of notional) and channel code of each notional.

    Returns ``({component: array}, code)`` with code 0 secondary, 1 primary, 2 split.
    The share ``w`` traded in the secondary market is the one of ``0, 1/n, ..., 1``
    (``n = split_steps``) and ``1 - capacity / Q`` (one day's AP capacity through
    the primary market, no waiting) with the least total USD cost; ``w = 1`` is
    ``secondary``, ``w = 0`` ``primary``, anything between ``split``. Ties go to the
    secondary market. The first dollars are cheapest in the secondary market (the
    ETF's half-spread is below the band), so on the synthetic market the primary
    market enters as a split, taking a growing share past the cross-over.
    """
    q = np.asarray(notional_usd, dtype=float).reshape(-1)
    grid = np.linspace(1.0, 0.0, parameters.split_steps + 1)  # secondary share, 1 first
    # plus: exactly one day's AP capacity through the primary market (no waiting)
    cap = x.capacity_usd_per_day
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        w_cap = np.where(q > 0, np.clip(1.0 - cap / q, 0.0, 1.0), 1.0)
    w = np.vstack([np.broadcast_to(grid[:, None], (grid.size, q.size)), w_cap[None, :]])
    qs = q[None, :] * w
    qp = q[None, :] * (1.0 - w)
    impact = np.asarray(x.model.impact_bp(qs.reshape(-1), x.regime), dtype=float).reshape(qs.shape)
    band, wait = _primary_bp(x, side, qp, parameters.risk_aversion)
    parts = {
        "half_spread_bp": w * x.half_spread_bp,
        "impact_bp": w * impact,
        "primary_bp": (1.0 - w) * band,
        "waiting_risk_bp": (1.0 - w) * wait,
    }
    total = sum(parts.values())
    # argmin returns the first minimum: the secondary market (w = 1) on ties
    best = np.argmin(np.round(total, 12), axis=0)
    cols = np.arange(q.size)
    out = {k: v[best, cols] for k, v in parts.items()}
    share = w[best, cols]
    code = np.where(share >= 1.0, 0, np.where(share <= 0.0, 1, 2))
    return out, code


def holding_costs(
    x: LegInputs, side: str, horizon_days: np.ndarray, parameters: HedgeCostParameters
) -> dict[str, np.ndarray]:
    """Borrow, basis-risk and premium-risk components over each horizon, bp."""
    h = np.asarray(horizon_days, dtype=float).reshape(-1)
    rate = parameters.borrow_rate(x.regime) if side == "sell" else 0.0
    sd = x.premium_sd_bp
    if h.size and h.max() > sd.size - 1:
        raise InputError(
            f"horizon_days: {show(h.max())} is beyond the {sd.size - 1} days the premium "
            "risk was simulated for; pass a larger max_horizon_days"
        )
    return {
        "borrow_bp": rate * h / BORROW_DAY_COUNT * 1e4,
        "basis_risk_bp": parameters.risk_aversion * parameters.basis_vol_bp(x.regime) * np.sqrt(h),
        "premium_risk_bp": parameters.risk_aversion * np.interp(h, np.arange(sd.size), sd),
    }


def check_instrument(instrument: Any, market: MarketState) -> ETF:
    """An ETF of ``market`` by name (or an ETF object), else InputError listing them."""
    if isinstance(instrument, ETF):
        return instrument
    etfs = getattr(market, "etfs", None) or {}
    if not isinstance(instrument, str) or instrument not in etfs:
        raise InputError(
            f"instrument: {show(instrument)} is not an ETF of the market; known: {sorted(etfs)}"
        )
    return etfs[instrument]


def check_trade_side(trade_side: Any) -> str:
    """``"buy"`` or ``"sell"`` (the dealer buys or sells the ETF)."""
    return _check_trade_side(trade_side)


def hedge_leg_cost(
    instrument: str | ETF,
    market: MarketState,
    notional_usd: Any,
    horizon_days: float = 1.0,
    regime: str | None = None,
    trade_side: str = "sell",
    parameters: HedgeCostParameters | dict | None = None,
    aps: Any = None,
) -> pd.DataFrame:
    """Cost of buying or selling ``notional_usd`` of an ETF and holding it ``horizon_days``.

    Parameters
    ----------
    instrument : str or ETF
        A name in ``market.etfs`` (or an ETF).
    market : MarketState
    notional_usd : float or array-like
        USD of ETF shares, each finite and >= 0.
    horizon_days : float, default 1
        Days the hedge is held, finite and >= 0.
    regime : {"normal", "stress"}, optional
        Default the market's.
    trade_side : {"buy", "sell"}, default "sell"
        What the dealer does with the ETF; ``"sell"`` is a short and pays borrow.
    parameters : HedgeCostParameters or dict, optional
        Risk aversion, borrow rates, basis volatilities, premium scenarios.
    aps : AuthorizedParticipant or list, optional
        Default :func:`default_ap_panel`.

    Returns
    -------
    pandas.DataFrame
        One row per notional (index ``notional_usd``): the :data:`COMPONENTS` (bp),
        ``cost_bp`` (their sum), ``cost_usd`` and ``channel``.

    Raises
    ------
    InputError
        For an unknown instrument, regime or side, a negative or NaN notional or
        horizon, or bad parameters.

    Notes
    -----
    Execution, by the cheapest of the secondary market, the primary market and a
    split (:func:`execution_costs`):

    * secondary: ``half_spread + k sigma sqrt(Q / ADV)`` (the ETF liquidity model,
      ``etfcore.primary._liquidity.etf_model``), against the ETF's mid, taken to trade
      at mid NAV;
    * primary: the applicable threshold of :func:`etfcore.arbitrage_band` (create for
      a buy, redeem for a sell) measured against mid NAV at the order's size
      (``a + f + c sqrt(Q / unit value)``, the fixed fee at its one-unit weight so the
      cost never falls with size; orders below one unit cost one unit's bp), plus the
      waiting risk of an order beyond a day's AP capacity: with ``T = max(Q /
      capacity - 1, 0)`` days of queue worked down evenly, ``risk_aversion x sigma
      sqrt(T / 3)`` (the sd of a linearly declining position, Almgren-Chriss), sigma
      the ETF's daily volatility.

    Holding over horizon ``h``: ``borrow = rate x h / 360`` (shorts only); ``basis =
    risk_aversion x basis_vol x sqrt(h)``; ``premium = pushed(Q, h) + risk_aversion x
    sd`` of the simulated premium change over ``h`` (linear between whole days).

    ``pushed`` is the premium the hedge flow itself pushes against the dealer, by size
    and regime, from the dealer-flow simulation (:func:`dealer_flow_impact`): the
    dealer trades ``Q`` on day 0 and unwinds ``Q / h`` a day over days ``1..h``; with
    ``push_t`` the premium of the flow run minus the no-flow run (same shocks, the
    regime's scenario held in the regime), ``pushed = mean over paths of sum_{t >= 1}
    flow_t push_t / Q`` (:func:`unwind_cost_bp`), what the unwind trades pay because
    the dealer's own flow moved the premium. Day 0's push is the entry's impact,
    already in the execution components, so it is not counted twice. It is clipped
    at 0 (a gain from the dealer's own lingering discount is not priced in), made
    non-decreasing in size, computed on the coarse grid :data:`PUSH_NOTIONALS_USD`
    x :data:`PUSH_HORIZONS_DAYS` and interpolated (:func:`premium_pushed_bp`);
    ``parameters.dealer_flow=False`` leaves it out.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> t = hedge_leg_cost("IG_BROAD", m, [1e6, 1e8], horizon_days=1)
    >>> list(t["channel"]), bool(t["cost_bp"].is_monotonic_increasing)
    (['secondary', 'secondary'], True)
    >>> float(hedge_leg_cost("IG_BROAD", m, 1e6, trade_side="buy")["borrow_bp"].iloc[0])
    0.0
    """
    etf = check_instrument(instrument, market)
    regime = market.regime if regime is None else check_regime(regime)
    side = check_trade_side(trade_side)
    params = check_parameters(parameters)
    q = check_notionals(notional_usd).reshape(-1)
    h = float(check_horizons(horizon_days))
    x = leg_inputs(etf, market, regime, params, aps, max_horizon_days=max(h, 20.0))
    exe, code = execution_costs(x, side, q, params)
    hold = holding_costs(x, side, np.array([h]), params)
    table = pd.DataFrame({k: exe[k] for k in COMPONENTS[:4]})
    for k, v in hold.items():
        table[k] = np.full(q.size, float(v[0]))
    table["premium_risk_bp"] += premium_pushed_bp(x, side, q, np.array([h]))[0]
    table = table[list(COMPONENTS)]
    table.insert(0, "cost_bp", table.sum(axis=1))
    table["cost_usd"] = table["cost_bp"].to_numpy() * 1e-4 * q
    table["channel"] = np.asarray(CHANNELS, dtype=object)[code]
    table.index = pd.Index(q, name="notional_usd")
    return table


# ---------------------------------------------------------------------- dealer flow
@dataclass(frozen=True, repr=False)
class DealerFlowImpact:
    """What a dealer's hedge flow does to the ETF, day by day (mean over paths).

    Built by :func:`dealer_flow_impact`. ``to_frame()`` has one row per day;
    the attributes are the headline numbers.

    Attributes
    ----------
    etf_name, regime, trade_side : str
    notional_usd : float
    horizon_days : int
    days_of_ap_capacity : float
        Extra AP volume (creations plus redemptions at official NAV, flow run minus
        no-flow run) over all days, in days of the APs' total daily capacity.
    days_of_ap_capacity_gross : float
        All AP volume of the flow run, in days of capacity (the no-flow run's own
        creations and redemptions included).
    worst_premium_pushed_bp : float
        The most negative (a sale) or most positive (a purchase) day of
        ``premium_pushed_bp``.
    unwind_premium_cost_bp : float
        What the dealer's unwind trades (days ``1..horizon_days``) pay because its own
        flow moved the premium, bp of the notional (:func:`unwind_cost_bp`; negative
        is a gain). Clipped at 0 and made monotone in size, it is the pushed part of
        :func:`hedge_leg_cost`'s ``premium_risk_bp``.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> r = dealer_flow_impact("IG_BROAD", m, 1e8, horizon_days=3, n_paths=4)
    >>> r.to_frame().shape[0], r.trade_side
    (14, 'sell')
    """

    etf_name: str
    regime: str
    trade_side: str
    notional_usd: float
    horizon_days: int
    days_of_ap_capacity: float
    days_of_ap_capacity_gross: float
    worst_premium_pushed_bp: float
    unwind_premium_cost_bp: float
    _frame: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"DealerFlowImpact({self.etf_name}, {self.trade_side} {self.notional_usd:,.0f} USD "
            f"over {self.horizon_days} days, {self.regime}: worst push "
            f"{self.worst_premium_pushed_bp:+.1f} bp, {self.days_of_ap_capacity:.2f} days of "
            "AP capacity)"
        )

    def to_frame(self) -> pd.DataFrame:
        """Day by day (index ``day``), means over paths (a copy).

        Columns: ``dealer_flow_usd`` (< 0 the dealer sells), ``dealer_shares``
        (shares at the starting mid NAV), ``created_units``, ``redeemed_units``,
        ``extra_created_units``, ``extra_redeemed_units`` (vs the no-flow run),
        ``ap_inventory_usd``, ``extra_ap_inventory_usd``, ``premium_bp`` (with the
        flow), ``premium_pushed_bp`` (flow run minus no-flow run, same shocks) and
        ``ap_capacity_used_days`` (extra AP volume / the day's total AP capacity) and
        ``gross_ap_capacity_used_days`` (the flow run's AP volume / capacity).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> f = dealer_flow_impact("IG_BROAD", m, 1e8, horizon_days=2, n_paths=4).to_frame()
        >>> f["dealer_flow_usd"].head(3).tolist()
        [-100000000.0, 50000000.0, 50000000.0]
        """
        from .._results import frame_copy

        return frame_copy(self._frame)

    def summary(self) -> Any:
        """Headline numbers and the first days of :meth:`to_frame`.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> r = dealer_flow_impact("IG_BROAD", m, 1e8, horizon_days=2, n_paths=4)
        >>> "days_of_ap_capacity" in str(r.summary())
        True
        """
        from .._results import make_summary

        f = self._frame
        facts = {
            "notional_usd": self.notional_usd,
            "horizon_days": self.horizon_days,
            "worst_premium_pushed_bp": self.worst_premium_pushed_bp,
            "extra_redeemed_units": float(f["extra_redeemed_units"].sum()),
            "extra_created_units": float(f["extra_created_units"].sum()),
            "days_of_ap_capacity": self.days_of_ap_capacity,
            "days_of_ap_capacity_gross": self.days_of_ap_capacity_gross,
            "unwind_premium_cost_bp": self.unwind_premium_cost_bp,
        }
        cols = ["dealer_flow_usd", "premium_pushed_bp", "extra_redeemed_units"]
        cols += ["extra_created_units", "extra_ap_inventory_usd"]
        return make_summary(
            f"{self.etf_name}: dealer {self.trade_side} flow, {self.regime}",
            [facts, f[cols].head(self.horizon_days + 3)],
            [
                "Means over paths; 'pushed' and 'extra' are the flow run minus the "
                "no-flow run with the same random shocks."
            ],
        )


def dealer_flow_schedule(
    notional_usd: float, trade_side: str, horizon_days: int, n_days: int
) -> np.ndarray:
    """The dealer's ETF flow, USD a day: ``notional`` on day 0, unwound evenly after.

    A sale (``trade_side="sell"``) is ``-notional`` on day 0 and ``+notional /
    horizon_days`` on each of days ``1..horizon_days`` (the dealer buys the ETF back
    as it works the bonds out); a purchase is the mirror image. ``horizon_days = 0``
    is a day-0 trade never unwound within ``n_days``.

    Examples
    --------
    >>> dealer_flow_schedule(3e6, "sell", 3, 5).tolist()
    [-3000000.0, 1000000.0, 1000000.0, 1000000.0, 0.0]
    """
    sign = -1.0 if check_trade_side(trade_side) == "sell" else 1.0
    flow = np.zeros(n_days)
    flow[0] = sign * notional_usd
    if horizon_days > 0:
        flow[1 : horizon_days + 1] = -sign * notional_usd / horizon_days
    return flow


def dealer_flow_impact(
    instrument: str | ETF,
    market: MarketState,
    notional_usd: float,
    trade_side: str = "sell",
    horizon_days: int = 5,
    regime: str | None = None,
    parameters: HedgeCostParameters | dict | None = None,
    n_paths: int | None = None,
    extra_days: int = 10,
) -> DealerFlowImpact:
    """Run a dealer's hedge flow through the premium dynamics and measure what it does.

    Parameters
    ----------
    instrument : str or ETF
    market : MarketState
    notional_usd : float
        USD of ETF shares the dealer trades on day 0, finite and >= 0.
    trade_side : {"buy", "sell"}, default "sell"
    horizon_days : int, default 5
        Days over which the dealer unwinds (:func:`dealer_flow_schedule`), >= 0.
    regime : {"normal", "stress"}, optional
        The regime held every simulated day, with the parameters of its premium
        scenario (``parameters.premium_scenario(regime)``); default the market's.
    parameters : HedgeCostParameters or dict, optional
        Scenarios, paths (``premium_n_paths``) and seed.
    n_paths : int, optional
        Default ``parameters.premium_n_paths``.
    extra_days : int, default 10
        Days simulated after the unwind (the APs finish and the premium settles).

    Returns
    -------
    DealerFlowImpact

    Raises
    ------
    InputError
        For an unknown instrument, side or regime, a negative or NaN notional, or a
        negative or fractional horizon.

    Notes
    -----
    Two runs of :func:`etfcore.dynamics.simulate_premium` with the same seed (so
    the same shocks) and the scenario's default APs: one with ``dealer_flow_usd`` =
    the schedule, one without. The flow is added to the ETF's unabsorbed demand, so
    a sale presses the price down (square-root impact) until APs redeem units to
    absorb it, at most their daily capacity; the unwind presses the other way.
    ``days_of_ap_capacity = sum_t |extra units_t| x unit value_t / capacity_t``,
    mean over paths (``days_of_ap_capacity_gross`` the same with the flow run's
    ``|units_t|``), unit value at the official NAV, capacity the APs' total in the
    day's regime; it can be slightly negative for a small flow that offsets demand
    the APs would otherwise have met. Both runs use the regime's scenario with its
    calendar replaced by one segment forcing ``regime`` on every day (no episode
    drifts or outflows), so the numbers measure the dealer's flow in that regime.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> r = dealer_flow_impact("IG_BROAD", m, 2e9, horizon_days=5, n_paths=20)
    >>> bool(r.worst_premium_pushed_bp < 0), bool(r.days_of_ap_capacity > 0)
    (True, True)
    """
    from ..dynamics.simulate.simulation import _default_aps, _simulate_flows

    etf = check_instrument(instrument, market)
    side = check_trade_side(trade_side)
    regime = market.regime if regime is None else check_regime(regime)
    params = check_parameters(parameters)
    q = float(check_notionals(notional_usd))
    h = integer(horizon_days, "horizon_days", minimum=0)
    extra = integer(extra_days, "extra_days", minimum=0)
    paths = params.premium_n_paths if n_paths is None else integer(n_paths, "n_paths", minimum=1)
    n_days = h + 1 + extra
    flow = dealer_flow_schedule(q, side, h, n_days)
    # the regime's scenario, held in that regime every day, without its episode drifts
    sc = _held_scenario(params, regime, n_days)
    raw_base, (raw_run,) = _simulate_flows(
        etf, market, sc, [flow], paths, n_days, params.seed, _bands(etf, market)
    )
    # the kernel's arrays, in PremiumSimulation's order
    names = (
        *("premium_bp", "true_nav", "official_nav", "price", "shares_outstanding"),
        *("regime", "units", "inventory_usd", "capacity_bound"),
    )
    base = dict(zip(names, raw_base, strict=True))
    run = dict(zip(names, raw_run, strict=True))
    nav_mid = etf.nav(market, "mid")
    aps = _default_aps(sc, nav_mid * etf.shares_outstanding)
    cap = np.array([sum(ap.capacity_usd(r) for ap in aps) for r in REGIMES])
    unit_value = run["official_nav"] * etf.creation_unit_size
    extra_units = run["units"].sum(axis=2) - base["units"].sum(axis=2)
    extra_abs = np.abs(run["units"]).sum(axis=2) - np.abs(base["units"]).sum(axis=2)
    used = extra_abs * unit_value / cap[run["regime"]]
    gross = np.abs(run["units"]).sum(axis=2) * unit_value / cap[run["regime"]]
    pushed = (run["premium_bp"] - base["premium_bp"]).mean(axis=0)
    frame = pd.DataFrame(
        {
            "dealer_flow_usd": flow,
            "dealer_shares": flow / nav_mid,
            "created_units": np.maximum(run["units"], 0).sum(axis=2).mean(axis=0),
            "redeemed_units": np.maximum(-run["units"], 0).sum(axis=2).mean(axis=0),
            "extra_created_units": np.maximum(extra_units, 0).mean(axis=0),
            "extra_redeemed_units": np.maximum(-extra_units, 0).mean(axis=0),
            "ap_inventory_usd": run["inventory_usd"].sum(axis=2).mean(axis=0),
            "extra_ap_inventory_usd": (
                run["inventory_usd"].sum(axis=2) - base["inventory_usd"].sum(axis=2)
            ).mean(axis=0),
            "premium_bp": run["premium_bp"].mean(axis=0),
            "premium_pushed_bp": pushed,
            "ap_capacity_used_days": used.mean(axis=0),
            "gross_ap_capacity_used_days": gross.mean(axis=0),
        },
        index=pd.RangeIndex(n_days, name="day"),
    )
    worst = float(pushed.min() if side == "sell" else pushed.max())
    return DealerFlowImpact(
        etf_name=etf.name,
        regime=regime,
        trade_side=side,
        notional_usd=q,
        horizon_days=h,
        days_of_ap_capacity=float(used.sum(axis=1).mean()),
        days_of_ap_capacity_gross=float(gross.sum(axis=1).mean()),
        worst_premium_pushed_bp=worst,
        unwind_premium_cost_bp=unwind_cost_bp(run["premium_bp"] - base["premium_bp"], flow, q),
        _frame=frame,
    )


def _as_list(values: Any, name: str) -> Sequence[Any]:
    if isinstance(values, (str, bytes)):
        return [values]
    try:
        return list(values)
    except TypeError:
        raise InputError(f"{name}: expected a list, got {show(values)}") from None


__all__ = [
    "BORROW_DAY_COUNT",
    "CHANNELS",
    "COMPONENTS",
    "DEFAULT_AP_CAPACITY_SHARE",
    "DEFAULT_AP_COUNT",
    "DEFAULT_AP_STRESS_CAPACITY_FRACTION",
    "DEFAULT_BASIS_VOL_BP",
    "DEFAULT_BORROW_RATE",
    "DEFAULT_PARAMETERS",
    "DEFAULT_PREMIUM_SCENARIOS",
    "DEFAULT_RISK_AVERSION",
    "DealerFlowImpact",
    "TRADE_SIDES",
    "HedgeCostParameters",
    "LegInputs",
    "PUSH_HORIZONS_DAYS",
    "PUSH_NOTIONALS_USD",
    "check_parameters",
    "dealer_flow_impact",
    "dealer_flow_schedule",
    "default_ap_panel",
    "execution_costs",
    "hedge_leg_cost",
    "holding_costs",
    "leg_inputs",
    "premium_change_sd",
    "premium_pushed_bp",
    "unwind_cost_bp",
]
