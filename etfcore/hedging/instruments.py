"""Hedge instruments beyond the market's own ETFs: a Treasury ETF of any maturity bucket.

The synthetic market's Treasury fund holds 7-10 year notes (like IEF), so a basket of long
bonds has no rates hedge that matches its key rates at 20 and 30 years: at K = 1 the
intermediate Treasury fund ties with the broad IG fund. :func:`treasury_etf` builds a
Treasury ETF from the market's own government bonds in a maturity bucket (by default 20
years and longer, like TLT), an ordinary :class:`~etfcore.ETF` that
:func:`etfcore.hedging.select_hedge`, :func:`etfcore.hedging.hedge_cost_curve` and
:func:`etfcore.hedging.liquidity_backstop` take like any other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import non_negative, positive, show
from ..errors import InputError
from ..fund.etf import ETF, CreationFees, check_market
from ..fund.risk import is_government
from ..state import MarketState

#: Defaults of :func:`treasury_etf`, assumptions loosely after iShares' TLT (20+ year
#: Treasuries): tens of billions of assets, about 5% of its shares traded a day, a
#: quoted spread near 1 bp, creation units of 100,000 shares, an in-kind fee like the
#: synthetic Treasury fund's. They set the ETF's liquidity and AP capacity, not its risk.
DEFAULT_NET_ASSETS_USD = 30e9
DEFAULT_NAV_PER_SHARE = 100.0
DEFAULT_DAILY_TURNOVER = 0.05
DEFAULT_QUOTED_SPREAD_BP = 1.0
DEFAULT_CREATION_UNIT_SIZE = 100_000
DEFAULT_FEES = CreationFees(fixed_usd=100.0, in_kind_bp=0.0, cash_bp=2.0, custom_bp=1.0)


def treasury_etf(
    market: MarketState,
    min_years: float = 20.0,
    max_years: float = np.inf,
    name: str = "TREASURY_LONG",
    net_assets_usd: float = DEFAULT_NET_ASSETS_USD,
    nav_per_share: float = DEFAULT_NAV_PER_SHARE,
    daily_turnover: float = DEFAULT_DAILY_TURNOVER,
    quoted_spread_bp: float = DEFAULT_QUOTED_SPREAD_BP,
    creation_unit_size: int = DEFAULT_CREATION_UNIT_SIZE,
) -> ETF:
    """A Treasury ETF of the market's government bonds with ``min_years..max_years`` left.

    Parameters
    ----------
    market : MarketState
        Its government bonds (``grade`` ``"UST"``, or a government sector:
        :func:`etfcore.fund.risk.is_government`) that have not matured.
    min_years, max_years : float, default 20 and infinity
        Years to maturity from the market's settlement, ``min_years <= t < max_years``.
    name : str, default "TREASURY_LONG"
    net_assets_usd : float, default :data:`DEFAULT_NET_ASSETS_USD`
        The fund's mid net assets, USD, > 0.
    nav_per_share : float, default 100
        Mid NAV per share, USD, > 0 (sets the number of shares).
    daily_turnover : float, default 0.05
        Shares traded a day as a share of the shares outstanding (decimal, >= 0): the
        ETF's ``adv_shares``.
    quoted_spread_bp : float, default 1
        The ETF's quoted bid-ask spread, bp (>= 0).
    creation_unit_size : int, default 100,000

    Returns
    -------
    ETF
        Equal market-value weights at mid, no cash: ``etf.nav(market) == nav_per_share``
        to rounding; ``description`` says the bucket and the number of bonds.

    Raises
    ------
    InputError
        For a market that is not a MarketState, a bucket with ``max_years <=
        min_years`` or no government bond in it (saying how many the market has), or
        a non-positive size or price.

    Notes
    -----
    Each bond's par is ``net_assets / n / (dirty mid / 100)`` with the dirty mid of
    the hedging layer's per-bond table (the market's curve and each bond's
    z-spread), so every bond is ``1 / n`` of the fund's value. The fund has no credit
    spread risk, only rates (a Treasury's spread moves are idiosyncratic in
    :func:`etfcore.hedging.factor_covariance`).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(0)
    >>> tlt = treasury_etf(m)
    >>> tlt.name, len(tlt.holdings) > 10, round(tlt.nav(m), 6)
    ('TREASURY_LONG', True, 100.0)
    """
    from .risk import _universe_table

    market = check_market(market)
    lo = non_negative(min_years, "min_years")
    hi = float(max_years)
    if not hi > lo:
        raise InputError(
            f"max_years: {show(max_years)} must be above min_years {show(min_years)} (years)"
        )
    assets = positive(net_assets_usd, "net_assets_usd")
    nav = positive(nav_per_share, "nav_per_share")
    turnover = non_negative(daily_turnover, "daily_turnover")
    spread = non_negative(quoted_spread_bp, "quoted_spread_bp")
    table = _universe_table(market)
    govt = is_government(table)
    years = table["years_to_maturity"].to_numpy(dtype=float)
    pick = govt & (years >= lo) & (years < hi)
    if not pick.any():
        span = f"{years[govt].min():.1f} to {years[govt].max():.1f} years" if govt.any() else "none"
        raise InputError(
            f"treasury_etf: no government bond of the market has {lo:g} to {hi:g} years left "
            f"(it has {int(govt.sum())} government bonds: {span}); choose another bucket"
        )
    chosen = table.loc[pick]
    par = assets / len(chosen) / (chosen["dirty_price"].to_numpy(dtype=float) / 100.0)
    shares = assets / nav
    bucket = f"{lo:g}+" if not np.isfinite(hi) else f"{lo:g}-{hi:g}"
    return ETF(
        name,
        pd.Series(par, index=chosen.index.copy(), name="par_usd"),
        shares,
        creation_unit_size=creation_unit_size,
        fees=DEFAULT_FEES,
        adv_shares=turnover * shares,
        quoted_spread_bp=spread,
        description=(
            f"Treasuries with {bucket} years left ({len(chosen)} bonds, equal weights), "
            "built by etfcore.hedging.treasury_etf"
        ),
    )


__all__ = [
    "DEFAULT_CREATION_UNIT_SIZE",
    "DEFAULT_DAILY_TURNOVER",
    "DEFAULT_FEES",
    "DEFAULT_NAV_PER_SHARE",
    "DEFAULT_NET_ASSETS_USD",
    "DEFAULT_QUOTED_SPREAD_BP",
    "treasury_etf",
]
