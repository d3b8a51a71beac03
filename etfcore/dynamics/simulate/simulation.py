"""The premium/discount Monte Carlo: :func:`simulate_premium` and its results."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..._results import frame_copy, make_summary
from ..._validation import check_random_state, integer, show
from ...errors import InputError
from ...fund.etf import ETF
from ...state import REGIMES, IdentityCache, MarketState
from .. import _kernels as k
from .scenarios import PremiumScenario, check_scenario

#: Quantiles reported by :meth:`PremiumSimulation.premium_change_quantiles` by default.
DEFAULT_QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
#: Path-days below which the kernel runs on one thread. A small run (the hedging
#: layer's 32 paths x 31 days) takes ~0.1 ms on one thread; spread over numba's
#: threads on a loaded 2-core machine, each call waited for the other thread, 5-50 ms.
#: Paths are independent, so the result does not depend on the thread count.
SERIAL_PATH_DAYS = 50_000


@contextmanager
def _threads_for(path_days: int) -> Iterator[None]:
    """Run the parallel kernel on one thread inside, for runs below :data:`SERIAL_PATH_DAYS`."""
    if path_days >= SERIAL_PATH_DAYS:
        yield
        return
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)


@dataclass(frozen=True)
class _Inputs:
    """Everything the kernel takes, built once in Python from the fund and the market."""

    args: tuple
    band_bp: np.ndarray  # (2 regimes, 2 orders): tightest one-unit thresholds over the APs
    ap_names: tuple[str, ...]


def _rate_duration(etf: ETF, market: MarketState, slope: float) -> tuple[float, float, float]:
    """(rate-factor duration, spread duration, yield) of the fund, once in Python.

    The rate-factor duration is the key-rate durations times the factor's loadings.
    """
    from ...fund.risk import fund_risk

    risk = fund_risk(etf, market)
    # the same fund_risk result serves every run of the fund in this market (cached)
    key = ("rate_duration", id(risk), float(slope))
    hit = _TERMS.get(key, (risk,))
    if hit is not None:
        return hit
    out = _rate_duration_of(risk, slope)
    _TERMS.put(key, (risk,), out)
    return out


def _rate_duration_of(risk: Any, slope: float) -> tuple[float, float, float]:
    krd = risk.key_rate_durations
    tenors = krd.index.to_numpy(dtype=float)
    loadings = 1.0 + slope * (1.0 - tenors / 10.0)
    totals = risk.totals
    return (
        float(np.dot(krd.to_numpy(dtype=float), loadings)),
        _credit_spread_duration(risk.by_bond),
        float(totals["yield_to_maturity"]),
    )


def _credit_spread_duration(by_bond: pd.DataFrame) -> float:
    """Spread duration of the fund's credit bonds (government bonds carry no credit factor).

    Which bonds are government is the fund layer's rule (:func:`etfcore.fund.risk.is_government`);
    the credit spread factor moves only the other bonds, weighted by market value.
    """
    from ...fund.risk import is_government

    treasury = is_government(by_bond)
    weight = by_bond["weight"].to_numpy(dtype=float)
    spread_duration = by_bond["spread_duration"].to_numpy(dtype=float)
    return float(np.sum(np.where(treasury, 0.0, weight * spread_duration)))


def _default_aps(scenario: PremiumScenario, assets_usd: float) -> list:
    from ...primary.participant import AuthorizedParticipant

    return [
        AuthorizedParticipant(
            f"AP{j + 1}",
            capacity_usd_per_day=scenario.ap_capacity_share * assets_usd,
            balance_sheet_limit_usd=scenario.ap_balance_sheet_share * assets_usd,
            stress_capacity_fraction=scenario.ap_stress_capacity_fraction,
        )
        for j in range(scenario.n_aps)
    ]


def _check_bands(bands: Any, etf: ETF) -> dict[str, Any] | None:
    """``bands`` (None, or a mapping regime -> one-unit default-AP ArbitrageBand), checked.

    Each of :data:`etfcore.state.REGIMES` needs a band of ``etf`` for that regime, one
    creation unit, with :data:`etfcore.primary.participant.DEFAULT_AP` and the pro-rata
    baskets (what ``arbitrage_band(etf, market.with_regime(regime))`` returns); the
    caller vouches for the baskets and the market.

    Examples
    --------
    >>> _check_bands(None, None) is None
    True
    """
    if bands is None:
        return None
    from ...primary.band import ArbitrageBand
    from ...primary.participant import DEFAULT_AP

    if not isinstance(bands, dict):
        raise InputError(
            f"bands: expected a dict {{regime: ArbitrageBand}} for {list(REGIMES)}, got "
            f"{type(bands).__name__}"
        )
    missing = [r for r in REGIMES if r not in bands]
    unknown = sorted(str(r) for r in bands if r not in REGIMES)
    if missing or unknown:
        raise InputError(
            f"bands: need exactly the regimes {list(REGIMES)}; missing {missing}, unknown {unknown}"
        )
    out = {}
    for regime in REGIMES:
        b = bands[regime]
        if not isinstance(b, ArbitrageBand):
            raise InputError(
                f"bands[{regime!r}]: expected an ArbitrageBand, got {type(b).__name__}"
            )
        wrong = []
        if b.etf_name != etf.name:
            wrong.append(f"etf {b.etf_name!r} (not {etf.name!r})")
        if b.regime != regime:
            wrong.append(f"regime {b.regime!r}")
        if b.units != 1:
            wrong.append(f"{b.units} units (not 1)")
        if b.ap_name != DEFAULT_AP.name:
            wrong.append(f"AP {b.ap_name!r} (not the default {DEFAULT_AP.name!r})")
        if wrong:
            raise InputError(
                f"bands[{regime!r}]: " + ", ".join(wrong) + "; pass arbitrage_band(etf, "
                f"market.with_regime({regime!r})) or leave bands out"
            )
        out[regime] = b
    return out


def _check_flow(value: Any, n_days: int) -> np.ndarray | None:
    """``dealer_flow_usd`` as ``n_days`` finite floats (None stays None)."""
    if value is None:
        return None
    try:
        flow = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"dealer_flow_usd: expected {n_days} numbers of USD, got {show(value)}"
        ) from None
    if flow.shape != (n_days,):
        raise InputError(
            f"dealer_flow_usd: expected one number per day ({n_days}), got shape {flow.shape}"
        )
    bad = np.flatnonzero(~np.isfinite(flow))
    if bad.size:
        raise InputError(
            f"dealer_flow_usd: day {int(bad[0])} is {show(flow[bad[0]])}; give finite USD"
        )
    return np.ascontiguousarray(flow)


_TERMS = IdentityCache(maxsize=128)
_OWN_COMPONENTS = ("settlement_carry", "balance_sheet", "ap_cost")


def _band_terms(band: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(threshold_terms_bp() as (2 orders, 3 terms), the AP's own costs by order)`` of a band.

    The band is frozen, so the two arrays are computed once per band object (the
    hedging layer passes the same bands to many runs). Read-only arrays.
    """
    key = ("terms", id(band))
    hit = _TERMS.get(key, (band,))
    if hit is not None:
        return hit
    terms = band.threshold_terms_bp().to_numpy(dtype=float)
    own = band.components.loc[list(_OWN_COMPONENTS)].sum().to_numpy(dtype=float)
    terms.setflags(write=False)
    own.setflags(write=False)
    _TERMS.put(key, (band,), (terms, own))
    return terms, own


def _ap_terms(
    etf: ETF, market: MarketState, aps: list, bands: dict[str, Any] | None = None
) -> np.ndarray:
    """``(2 regimes, n_aps, 2 orders, 3 terms)`` one-unit band terms, bp of official NAV.

    One band per regime with the default AP (:func:`etfcore.arbitrage_band`, or the
    precomputed ``bands[regime]``); each AP with no inventory differs from it only by
    its size-free own costs (settlement carry, balance sheet, own cost), which are
    shifted; an AP holding bonds gets its own band.
    """
    from ...primary.band import arbitrage_band
    from ...primary.participant import DEFAULT_AP

    out = np.empty((2, len(aps), 2, 3))
    for r, regime in enumerate(REGIMES):
        mkt = market if market.regime == regime else market.with_regime(regime)
        if bands is None:
            base = arbitrage_band(etf, mkt, ap=DEFAULT_AP)
        else:
            base = bands[regime]
        base_terms, base_own = _band_terms(base)
        for j, ap in enumerate(aps):
            if len(ap.inventory):
                out[r, j] = arbitrage_band(etf, mkt, ap=ap).threshold_terms_bp().to_numpy()
                continue
            carry = ap.funding_rate(mkt, regime) * ap.settlement_days / 360.0 * 1e4
            sheet = ap.balance_sheet_cost_bp(regime)
            mine = np.array([1.0, -1.0]) * (carry + sheet + ap.cost_bp)
            out[r, j] = base_terms
            out[r, j, :, 0] += mine - base_own
    return out


def _inputs(
    etf: ETF,
    market: MarketState,
    scenario: PremiumScenario,
    aps: Any,
    n_days: int,
    bands: dict[str, Any] | None = None,
    dealer_flow_usd: np.ndarray | None = None,
) -> _Inputs:
    from ...primary._liquidity import etf_model
    from ...primary.participant import check_aps

    nav_mid = etf.nav(market, "mid")
    assets = nav_mid * etf.shares_outstanding
    aps = _default_aps(scenario, assets) if aps is None else check_aps(aps)
    for i, ap in enumerate(aps):
        if not np.isfinite(ap.capacity_usd_per_day):
            raise InputError(
                f"aps[{i}] ({ap.name}): give a finite capacity_usd_per_day; the simulation "
                "needs a daily limit"
            )
    rate_dur, spread_dur, ytm = _rate_duration(etf, market, scenario.rate_loadings_slope)
    model = etf_model(etf, market)
    params = np.empty((2, k.N_PARAMETERS))
    for r, regime in enumerate(REGIMES):
        mkt = market if market.regime == regime else market.with_regime(regime)
        half = 1.0 - etf.nav(mkt, "bid") / etf.nav(mkt, "mid")
        k_sigma = float(model.impact_bp(model.daily_volume_usd(regime), regime))
        params[r] = (
            scenario.rate_vol_bp[r],
            scenario.spread_vol_bp[r],
            scenario.rate_spread_corr[r],
            scenario.staleness[r],
            half,
            scenario.impact_multiplier[r] * k_sigma,
            float(model.daily_volume_usd(regime)),
            scenario.demand_vol_adv[r] * float(model.daily_volume_usd(regime)),
            scenario.demand_drift_share[r] * assets,
            scenario.liquidation[r],
        )
    terms = _ap_terms(etf, market, aps, bands)
    capacity = np.array([[ap.capacity_usd(regime) for ap in aps] for regime in REGIMES])
    sheet = np.array([ap.balance_sheet_limit_usd for ap in aps], dtype=float)
    cal = scenario.calendar_arrays(n_days, assets)
    s0 = REGIMES.index(scenario.start_regime)
    args = (
        s0,
        np.ascontiguousarray(scenario.transition, dtype=float),
        cal[0],
        cal[1],
        cal[2],
        cal[3],
        params,
        rate_dur,
        spread_dur,
        ytm / 252.0,
        scenario.demand_persistence,
        np.ascontiguousarray(terms),
        np.ascontiguousarray(capacity),
        sheet,
        np.array([ap.inventory_value_usd(market) for ap in aps], dtype=float),
        nav_mid,
        float(etf.shares_outstanding),
        float(etf.creation_unit_size),
        np.zeros(n_days) if dealer_flow_usd is None else dealer_flow_usd,
    )
    one_unit = terms.sum(axis=3)  # (2, n_aps, 2)
    band = np.stack([one_unit[:, :, 0].min(axis=1), one_unit[:, :, 1].max(axis=1)], axis=1)
    return _Inputs(args=args, band_bp=band, ap_names=tuple(ap.name for ap in aps))


def draw_shocks(rng: np.random.Generator, n_paths: int, n_days: int) -> tuple[np.ndarray, ...]:
    """The random inputs of one simulation, drawn up front.

    ``(z_rate, z_spread, e_demand, u_regime)``, each ``(n_paths, n_days)``: three
    standard normal arrays and one uniform, from one Generator.

    Examples
    --------
    >>> [a.shape for a in draw_shocks(np.random.default_rng(0), 2, 3)]
    [(2, 3), (2, 3), (2, 3), (2, 3)]
    """
    z = rng.standard_normal((3, n_paths, n_days))
    u = rng.random((n_paths, n_days))
    return z[0], z[1], z[2], u


@dataclass(frozen=True, repr=False)
class PremiumSimulation:
    """Simulated premium/discount paths of one ETF with its APs at work.

    Built by :func:`simulate_premium`. Arrays are ``(n_paths, n_days)`` unless said;
    properties hand out copies.

    Attributes
    ----------
    etf_name : str
    scenario : PremiumScenario
    ap_names : tuple of str
    band_bp : pandas.DataFrame
        The tightest one-unit thresholds over the APs by regime (index ``normal``,
        ``stress``; columns ``create``, ``redeem``), bp of official NAV.
    seed : int or None

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, n_paths=4, n_days=5)
    >>> sim.premium_bp.shape, sim.units.shape
    ((4, 5), (4, 5, 3))
    """

    etf_name: str
    scenario: PremiumScenario
    ap_names: tuple[str, ...]
    band: pd.DataFrame
    seed: Any
    _arrays: dict

    def __repr__(self) -> str:
        p = self._arrays["premium_bp"]
        return (
            f"PremiumSimulation({self.etf_name}, {self.scenario.name}: {p.shape[0]:,} paths x "
            f"{p.shape[1]} days, median premium {np.median(p):+.1f} bp, worst {p.min():+.1f} bp)"
        )

    def _get(self, name: str) -> np.ndarray:
        return self._arrays[name].copy()

    @property
    def premium_bp(self) -> np.ndarray:
        """Premium of the price to the official (stale, bid-side) NAV, bp.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> sim.premium_bp.shape
        (2, 8)
        """
        return self._get("premium_bp")

    @property
    def true_nav(self) -> np.ndarray:
        """True (mid, fresh) value of the bonds per share.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> bool((sim.official_nav[:, -1] > sim.true_nav[:, -1]).all())  # stale NAV too high
        True
        """
        return self._get("true_nav")

    @property
    def official_nav(self) -> np.ndarray:
        """Official NAV per share: bid side, stale spreads.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> sim.official_nav.shape
        (2, 8)
        """
        return self._get("official_nav")

    stale_nav = official_nav

    @property
    def price(self) -> np.ndarray:
        """ETF closing price.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> bool((sim.price > 0).all())
        True
        """
        return self._get("price")

    @property
    def shares_outstanding(self) -> np.ndarray:
        """Shares outstanding at the close.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> sim.shares_outstanding.shape
        (2, 8)
        """
        return self._get("shares_outstanding")

    @property
    def regime(self) -> np.ndarray:
        """Regime code each day (0 normal, 1 stress: :data:`etfcore.state.REGIMES`).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> sim.regime[0].tolist()
        [0, 0, 0, 0, 0, 1, 1, 1]
        """
        return self._get("regime")

    @property
    def units(self) -> np.ndarray:
        """Units created (> 0) or redeemed (< 0) per AP, ``(n_paths, n_days, n_aps)``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> sim.units.shape
        (2, 8, 3)
        """
        return self._get("units")

    @property
    def creations(self) -> np.ndarray:
        """Units created per AP, ``(n_paths, n_days, n_aps)``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> int(sim.creations.min())
        0
        """
        return np.maximum(self._arrays["units"], 0)

    @property
    def redemptions(self) -> np.ndarray:
        """Units redeemed per AP (>= 0), ``(n_paths, n_days, n_aps)``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> bool(sim.redemptions.sum() > 0)
        True
        """
        return np.maximum(-self._arrays["units"], 0)

    @property
    def inventory_usd(self) -> np.ndarray:
        """Each AP's bond inventory at the close, USD, ``(n_paths, n_days, n_aps)``.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> bool(sim.inventory_usd.max() > 0)
        True
        """
        return self._get("inventory_usd")

    @property
    def capacity_bound(self) -> np.ndarray:
        """True where some AP's capacity or balance sheet stopped it short of closing the gap.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> sim.capacity_bound.dtype
        dtype('bool')
        """
        return self._arrays["capacity_bound"].astype(bool)

    @property
    def band_bp(self) -> pd.DataFrame:
        """The tightest one-unit band over the APs by regime, bp of official NAV (a copy).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=2, n_days=8)
        >>> list(sim.band_bp.columns)
        ['create', 'redeem']
        """
        return frame_copy(self.band)

    @property
    def outside_band(self) -> np.ndarray:
        """True where the premium is outside the day's regime band (:attr:`band_bp`).

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, n_paths=3, n_days=4)
        >>> sim.outside_band.shape, sim.outside_band.dtype
        ((3, 4), dtype('bool'))
        """
        reg = self._arrays["regime"]
        b = self.band.to_numpy()
        p = self._arrays["premium_bp"]
        return (p > b[reg, 0]) | (p < b[reg, 1])

    def _outside(self) -> np.ndarray:
        return self.outside_band

    # ------------------------------------------------------------------ outputs
    def to_frame(self) -> pd.DataFrame:
        """One row per path-day: premium, NAVs, price, shares, regime, units, inventory.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> f = simulate_premium(m.etfs["IG_BROAD"], m, n_paths=2, n_days=3).to_frame()
        >>> f.shape[0], list(f.index.names)
        (6, ['path', 'day'])
        """
        a = self._arrays
        n_paths, n_days = a["premium_bp"].shape
        idx = pd.MultiIndex.from_product([range(n_paths), range(n_days)], names=["path", "day"])
        out = pd.DataFrame(
            {
                "premium_bp": a["premium_bp"].ravel(),
                "true_nav": a["true_nav"].ravel(),
                "official_nav": a["official_nav"].ravel(),
                "price": a["price"].ravel(),
                "shares_outstanding": a["shares_outstanding"].ravel(),
                "regime": np.asarray(REGIMES)[a["regime"].ravel()],
                "created_units": self.creations.sum(axis=2).ravel(),
                "redeemed_units": self.redemptions.sum(axis=2).ravel(),
                "ap_inventory_usd": a["inventory_usd"].sum(axis=2).ravel(),
                "capacity_bound": a["capacity_bound"].ravel().astype(bool),
            },
            index=idx,
        )
        return out

    def summary(self) -> Any:
        """Premium distribution, days outside the band, worst discount, flows, capacity.

        Returns
        -------
        statsmodels.iolib.summary2.Summary

        Notes
        -----
        ``days_outside_band`` uses the tightest one-unit band over the APs in each day's
        regime; ``capacity_bound_share`` is the share of path-days on which some AP's
        capacity or balance sheet stopped it before the price was back at its band.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> text = str(simulate_premium(m.etfs["IG_BROAD"], m, n_paths=4, n_days=5).summary())
        >>> "worst_discount_bp" in text
        True
        """
        p = self._arrays["premium_bp"]
        q = np.percentile(p, [1, 5, 50, 95, 99])
        facts = {
            "paths": p.shape[0],
            "days": p.shape[1],
            "median_premium_bp": q[2],
            "sd_premium_bp": float(p.std()),
            "premium_p01_bp": q[0],
            "premium_p05_bp": q[1],
            "premium_p95_bp": q[3],
            "premium_p99_bp": q[4],
            "worst_discount_bp": float(p.min()),
            "median_path_worst_bp": float(np.median(p.min(axis=1))),
            "days_outside_band_share": float(self._outside().mean()),
            "stress_days_share": float(self._arrays["regime"].mean()),
            "created_units_per_path": float(self.creations.sum() / p.shape[0]),
            "redeemed_units_per_path": float(self.redemptions.sum() / p.shape[0]),
            "capacity_bound_share": float(self._arrays["capacity_bound"].mean()),
        }
        band = self.band.rename(columns=lambda c: f"{c}_bp")
        return make_summary(
            f"{self.etf_name} premium simulation, {self.scenario.name}",
            [facts, band],
            [
                "Premium of the closing price to the official NAV (bid side, stale "
                "evaluated spreads), bp. Band: tightest one-unit thresholds over the APs.",
            ],
        )

    def premium_change_quantiles(
        self, horizon_days: int = 1, quantiles: Sequence[float] = DEFAULT_QUANTILES
    ) -> pd.DataFrame:
        """Distribution of premium changes over ``horizon_days``, by starting regime, bp.

        Parameters
        ----------
        horizon_days : int, default 1
            Days between the two premiums, >= 1 and < the simulated days.
        quantiles : sequence of float
            Decimals in [0, 1].

        Returns
        -------
        pandas.DataFrame
            Index ``regime`` (``normal``, ``stress``, ``all``): the regime on the starting
            day; columns the quantiles, plus ``n_obs``, ``mean_bp`` and ``sd_bp``. A regime
            never visited has NaN quantiles and ``n_obs`` 0.

        Notes
        -----
        Every path and every starting day ``t`` gives one change ``premium[t + h] -
        premium[t]`` (overlapping windows): the hedging layer's premium risk over a
        horizon.

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, n_paths=20, n_days=10)
        >>> t = sim.premium_change_quantiles(5, quantiles=(0.05, 0.95))
        >>> list(t.index), int(t.loc["normal", "n_obs"])
        (['normal', 'stress', 'all'], 100)
        """
        p = self._arrays["premium_bp"]
        h = integer(horizon_days, "horizon_days", minimum=1)
        if h >= p.shape[1]:
            raise InputError(f"horizon_days: {h} must be less than the {p.shape[1]} simulated days")
        try:
            qs = np.asarray(quantiles, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            raise InputError(
                f"quantiles: expected decimals in [0, 1], got {show(quantiles)}"
            ) from None
        if qs.size == 0 or not np.all((qs >= 0) & (qs <= 1)):
            raise InputError(f"quantiles: expected decimals in [0, 1], got {qs.tolist()}")
        change = (p[:, h:] - p[:, :-h]).ravel()
        start = self._arrays["regime"][:, :-h].ravel()
        rows = {}
        for name, mask in (
            ("normal", start == 0),
            ("stress", start == 1),
            ("all", np.ones_like(start, dtype=bool)),
        ):
            x = change[mask]
            row: dict[str, float] = {
                f"q{q:g}": (float(np.quantile(x, q)) if x.size else np.nan) for q in qs
            }
            row["n_obs"] = int(x.size)
            row["mean_bp"] = float(x.mean()) if x.size else np.nan
            row["sd_bp"] = float(x.std()) if x.size else np.nan
            rows[name] = row
        out = pd.DataFrame(rows).T
        out.index.name = "regime"
        out["n_obs"] = out["n_obs"].astype(int)
        return out

    def plot(self, ax: Any = None, quantiles: Sequence[float] = (0.05, 0.25, 0.75, 0.95)) -> Any:
        """Fan chart of the premium over days, with the normal and stress bands.

        Returns the matplotlib Axes.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(0)
        >>> ax = simulate_premium(m.etfs["IG_BROAD"], m, n_paths=20, n_days=10).plot()
        >>> ax.get_ylabel()
        'premium to official NAV, bp'
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
        p = self._arrays["premium_bp"]
        days = np.arange(p.shape[1])
        qs = sorted(float(q) for q in quantiles)
        bands = np.percentile(p, [q * 100 for q in qs], axis=0)
        for i in range(len(qs) // 2):
            ax.fill_between(
                days,
                bands[i],
                bands[-1 - i],
                color="#4C72B0",
                alpha=0.2 + 0.2 * i,
                lw=0,
                label=f"{qs[i]:.0%}-{qs[-1 - i]:.0%} of paths",
            )
        ax.plot(days, np.median(p, axis=0), color="#4C72B0", lw=1.5, label="median")
        for regime, style in (("normal", "--"), ("stress", ":")):
            b = self.band.loc[regime]
            ax.axhline(b["create"], color="grey", ls=style, lw=1, label=f"{regime} band")
            ax.axhline(b["redeem"], color="grey", ls=style, lw=1)
        ax.set_xlabel("day")
        ax.set_ylabel("premium to official NAV, bp")
        ax.set_title(f"{self.etf_name}, {self.scenario.name}: simulated premium")
        ax.legend(loc="lower left", fontsize=8)
        return ax


#: Positions in ``_Inputs.args`` of the kernel's per-day inputs (the calendar arrays and,
#: last, the dealer flow), each ``n_days`` long: a run of the first ``d`` days slices them.
_PER_DAY_ARGS = (2, 3, 4, 5, -1)


def _simulate_flows(
    etf: ETF,
    market: MarketState,
    scenario: str | PremiumScenario,
    flows: Sequence[np.ndarray],
    n_paths: int,
    n_days: int,
    seed: Any = 0,
    bands: dict[str, Any] | None = None,
    days: Sequence[int] | None = None,
) -> tuple[tuple[np.ndarray, ...], list[tuple[np.ndarray, ...]]]:
    """Kernel outputs of a no-flow run and of one run per dealer flow, same shocks (private).

    What :func:`simulate_premium` returns for ``dealer_flow_usd=None`` and for each
    ``dealer_flow_usd=flows[i]`` with the same ``seed`` (bit-identical arrays), with the
    inputs built and the shocks drawn once: for callers that run many flows through one
    fund (:func:`etfcore.hedging.cost.leg_inputs`). Each output is the kernel's tuple
    without its status (``premium_bp`` first, in the order of :class:`PremiumSimulation`'s
    arrays). ``days[i]`` (<= ``n_days``) runs flow ``i`` over its first ``days[i]`` days
    only: a day depends on the days before it alone, so those days are the same numbers
    as in the full run (tested) at a fraction of the work.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> base, runs = _simulate_flows(m.etfs["HY"], m, "calm", [np.zeros(3)], 2, 3)
    >>> bool((runs[0][0] == base[0]).all())
    True
    """
    sc = check_scenario(scenario)
    rng = check_random_state(seed, "seed")
    checked = _check_bands(bands, etf)
    checked_flows = [
        np.zeros(n_days) if f is None else f for f in (_check_flow(f, n_days) for f in flows)
    ]
    if days is None:
        lengths = [n_days] * len(checked_flows)
    else:
        lengths = [integer(d, "days", minimum=1) for d in days]
        if len(lengths) != len(checked_flows) or max(lengths, default=1) > n_days:
            raise InputError(f"days: give one number of days <= {n_days} per flow")
    inputs = _inputs(etf, market, sc, None, n_days, checked)
    shocks = draw_shocks(rng, n_paths, n_days)
    args = list(inputs.args)
    for i in _PER_DAY_ARGS:
        if np.shape(args[i]) != (n_days,):
            raise AssertionError(f"kernel input {i} is not one number per day")

    cut: dict[int, tuple[list, list]] = {}  # the first d days of the inputs, once per d

    def run(flow: np.ndarray, d: int) -> tuple[np.ndarray, ...]:
        if d not in cut:
            a = list(args)
            if d < n_days:
                for i in _PER_DAY_ARGS:
                    a[i] = np.ascontiguousarray(a[i][:d])
                z = [np.ascontiguousarray(x[:, :d]) for x in shocks]
            else:
                z = list(shocks)
            cut[d] = (a, z)
        a, z = cut[d]
        out = k.simulate_paths_nb(*z, *a[:-1], flow)
        if (out[-1] != k.STATUS_OK).any():
            raise InputError(
                f"simulate_premium: a path stopped with status {int(out[-1].max())}: check "
                "the fund's NAV and the APs' capacities"
            )
        return tuple(out[:-1])

    with _threads_for(n_paths * n_days):
        base = run(np.zeros(n_days), n_days)
        return base, [run(f, d) for f, d in zip(checked_flows, lengths, strict=True)]


def _check_count(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{name}: {show(value)} must be a positive integer")
    if value < 1:
        raise InputError(f"{name}: {show(value)} must be a positive integer (>= 1)")
    return int(value)


def simulate_premium(
    etf: ETF,
    market: MarketState,
    scenario: str | PremiumScenario = "calm",
    n_paths: int = 1000,
    n_days: int = 252,
    aps: Any = None,
    seed: Any = 0,
    *,
    bands: dict[str, Any] | None = None,
    dealer_flow_usd: Any = None,
) -> PremiumSimulation:
    """Simulate the ETF's premium to its official NAV with APs at work (numba, parallel).

    Parameters
    ----------
    etf : ETF
    market : MarketState
        The starting market (its regime's band and liquidity are recomputed for both
        regimes with ``market.with_regime``).
    scenario : str or PremiumScenario, default "calm"
        A name in :data:`SCENARIOS` or a scenario object.
    n_paths, n_days : int
        Positive integers.
    aps : AuthorizedParticipant or sequence, optional
        In the order they act each day; each needs a finite ``capacity_usd_per_day``.
        Default: the scenario's ``n_aps`` APs sized from the fund's assets.
    seed : int, numpy.random.Generator or None, default 0
        Every random number is drawn up front from this, so the result does not depend
        on numba's thread count.
    bands : dict, optional
        Keyword only: precomputed one-unit bands ``{"normal": ArbitrageBand, "stress":
        ArbitrageBand}``, each ``arbitrage_band(etf, market.with_regime(regime))``
        (default AP, pro-rata baskets), used instead of rebuilding them; the result is
        identical. Callers that already hold the bands (the hedging layer) save the
        band builds, most of a cold call's time.
    dealer_flow_usd : array-like of n_days floats, optional
        Keyword only: an exogenous flow of ETF shares, USD a day, added to the demand
        (a dealer's sales < 0, its purchases > 0: :func:`etfcore.hedging.cost.
        dealer_flow_impact`). Default none (zeros: every result unchanged).

    Returns
    -------
    PremiumSimulation

    Raises
    ------
    InputError
        For an unknown scenario, non-positive or non-integer ``n_paths``/``n_days``, bad
        APs, a bad seed, or ``bands`` that are not the fund's one-unit default-AP
        bands for both regimes, or a ``dealer_flow_usd`` that is not ``n_days`` finite
        numbers.

    Notes
    -----
    One path-day, regime ``r`` (Markov chain or the scenario's calendar):

    * factors: ``dy = sigma^rate_r z1 + drift``, ``ds = sigma^spread_r (c z1 + sqrt(1 -
      c^2) z2) + drift``, bp; true value ``log V_t = log V_{t-1} + y / 252 - (D_rate dy
      + D_spread ds) 1e-4`` with ``D_rate`` the fund's key-rate durations times the
      factor's loadings and ``D_spread`` its spread duration (:func:`etfcore.fund_risk`);
    * staleness (the fund layer's partial adjustment on spreads): the evaluated spread
      ``s^M_t = s^M_{t-1} + lambda_r (s_t - s^M_{t-1})`` and the official NAV ``M_t =
      V_t exp(D_spread (s_t - s^M_t) 1e-4) (1 - h_r)``, ``h_r`` the fund's bid-side
      discount to mid in regime ``r``;
    * demand: ``U_t = rho U_{t-1} + mu_r + sigma_r e_t`` USD of shares not yet absorbed;
      price ``P = V (1 + x)``, ``x = sign(U) m_r k sigma_r sqrt(|U| / ADV_r)`` (the ETF
      liquidity model's square-root impact times the scenario's multiplier);
    * APs in turn compare the premium to the **fresh** bid value ``V (1 - h_r)`` -- what
      they can really buy and sell the bonds at -- with their one-unit band
      (:meth:`etfcore.primary.ArbitrageBand.threshold_terms_bp`, per regime) and trade
      whole units (the arithmetic of ``etfcore.primary._kernels.decide_ap_orders_nb``)
      up to capacity, balance-sheet room and the demand that brings the price back to
      their threshold; units absorb demand (``U -= n x unit value``); redeemed bonds are
      inventory, sold down by ``liquidation_r`` a day;
    * the premium is ``P / M - 1``. A stale NAV is not an arbitrage (APs see through
      it), so the premium to official NAV leaves the band when spreads move fast, and
      when outflows exceed the APs' capacity.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> sim = simulate_premium(m.etfs["IG_BROAD"], m, "march_2020", n_paths=50, n_days=30)
    >>> bool(sim.premium_bp.min() < -300)
    True
    """
    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    if not isinstance(market, MarketState):
        raise InputError(f"market: expected a MarketState, got {type(market).__name__}")
    sc = check_scenario(scenario)
    n_paths = _check_count(n_paths, "n_paths")
    n_days = _check_count(n_days, "n_days")
    rng = check_random_state(seed, "seed")
    checked_bands = _check_bands(bands, etf)
    flow = _check_flow(dealer_flow_usd, n_days)
    inputs = _inputs(etf, market, sc, aps, n_days, checked_bands, flow)
    shocks = draw_shocks(rng, n_paths, n_days)
    with _threads_for(n_paths * n_days):
        out = k.simulate_paths_nb(*shocks, *inputs.args)
    status = out[-1]
    if (status != k.STATUS_OK).any():
        path = int(np.flatnonzero(status != k.STATUS_OK)[0])
        raise InputError(
            f"simulate_premium: path {path} stopped with status {int(status[path])} (a "
            "non-finite premium or unit value, or an AP without any limit): check the "
            "fund's NAV and the APs' capacities"
        )
    names = (
        "premium_bp",
        "true_nav",
        "official_nav",
        "price",
        "shares_outstanding",
        "regime",
        "units",
        "inventory_usd",
        "capacity_bound",
    )
    band = pd.DataFrame(
        inputs.band_bp, index=pd.Index(list(REGIMES), name="regime"), columns=["create", "redeem"]
    )
    return PremiumSimulation(
        etf_name=etf.name,
        scenario=sc,
        ap_names=inputs.ap_names,
        band=band,
        seed=seed if not isinstance(seed, np.random.Generator) else None,
        _arrays=dict(zip(names, out[:-1], strict=True)),
    )


__all__ = ["DEFAULT_QUANTILES", "PremiumSimulation", "draw_shocks", "simulate_premium"]
