"""Fund income: coupons and redemptions collected, distributions declared and paid.

The life of a coupon in an ETF: the bonds pay it into cash (:func:`collect_income`),
and from time to time the fund declares a distribution per share, which on the ex-date
becomes a liability and takes that much off the NAV (:func:`declare_distribution`);
on the payment date cash and the liability fall together and the NAV does not move
(:func:`pay_distribution`). Expenses accrue through :meth:`ETF.accrue_expenses`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import non_negative
from ..bonds.dates import to_day, to_timestamps
from ..errors import InputError
from ..state import MarketState
from .etf import ETF, check_market


def _window(start: Any, end: Any) -> tuple[int, int]:
    s = to_day(start, "start")
    e = to_day(end, "end")
    if e < s:
        raise InputError(
            f"end: {to_timestamps(np.int64(e)):%Y-%m-%d} is before start "
            f"{to_timestamps(np.int64(s)):%Y-%m-%d}; income is for the window (start, end]"
        )
    return s, e


def _income_arrays(etf: ETF, market: MarketState, start: int, end: int):
    """(bonds, coupon, redemption, redeems) per holding, USD, for payments in (start, end]."""
    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    market = check_market(market)
    bonds = etf.bonds(market)
    cf = bonds.cashflows(start)
    counts = cf.counts
    dead = np.flatnonzero(counts == 0)
    if dead.size:
        ids = list(bonds.ids[dead[:20]])
        raise InputError(
            f"{etf.name}: {dead.size} holding(s) paid everything on or before start "
            f"{to_timestamps(np.int64(start)):%Y-%m-%d}: {ids}; collect their redemption "
            "for an earlier window first"
        )
    n = len(bonds)
    owner = np.repeat(np.arange(n), counts)
    paid = cf.payment <= end
    last = cf.offsets[1:] - 1
    redeems = cf.payment[last] <= end
    # the redemption rides on the last flow (with the final coupon, or alone)
    redemption_per_100 = np.where(redeems, bonds.redemption, 0.0)
    per_100 = np.bincount(owner[paid], weights=cf.amount[paid], minlength=n)
    coupon_per_100 = per_100 - redemption_per_100
    par = etf.holdings.reindex(bonds.ids).to_numpy(dtype=float) / 100.0
    return bonds, par * coupon_per_100, par * redemption_per_100, redeems


def coupon_income(etf: ETF, market: MarketState, start: Any, end: Any) -> pd.Series:
    """Cash each holding pays with payment dates in ``(start, end]``: coupons and redemptions.

    Parameters
    ----------
    etf : ETF
    market : MarketState
        Supplies the bonds' reference data.
    start, end : date-like
        The window: payments strictly after ``start`` and on or before ``end``.

    Returns
    -------
    pandas.Series
        USD by bond id (every holding, zero where nothing is paid), named
        ``income_usd``; ``.attrs["coupon_usd"]`` and ``.attrs["redemption_usd"]`` hold
        the two parts as Series.

    Raises
    ------
    InputError
        If ``end`` is before ``start``, or a holding has paid everything by ``start``
        (its redemption belongs to an earlier window).

    Notes
    -----
    Payment dates are unadjusted, as the cash flows of ``bonds.cashflows(start)``; a
    coupon is ``par x rate x year fraction`` and the redemption ``par x redemption /
    100``, paid to whoever holds the bond on the payment date. Callable bonds are taken
    to run to maturity (no call is exercised).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> income = coupon_income(m.etfs["IG_BROAD"], m, m.settlement, m.settlement + 31)
    >>> income.name, bool((income >= 0).all())
    ('income_usd', True)
    """
    s, e = _window(start, end)
    bonds, coupon, redemption, _ = _income_arrays(etf, market, s, e)
    out = pd.Series(coupon + redemption, index=bonds.ids, name="income_usd")
    out.attrs["coupon_usd"] = pd.Series(coupon, index=bonds.ids, name="coupon_usd")
    out.attrs["redemption_usd"] = pd.Series(redemption, index=bonds.ids, name="redemption_usd")
    return out


def collect_income(etf: ETF, market: MarketState, start: Any, end: Any) -> ETF:
    """The fund after collecting the coupons and redemptions paid in ``(start, end]``.

    Cash rises by every coupon and redemption received; holdings whose final payment
    falls in the window are removed (their redemption is now cash).

    Returns
    -------
    ETF
        A new ETF; everything else (shares, liabilities, fees...) is unchanged.

    Notes
    -----
    Net assets are unchanged by collection itself: the coupon leaves the bond's
    dirty price (its accrued interest drops to zero) as it arrives in cash. So for a
    market settling after ``end``, ``net_assets(collected) = net_assets(not collected)
    + income`` (the uncollected fund values only the flows still to come).

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> after = collect_income(etf, m, m.settlement, m.settlement + 31)
    >>> bool(after.cash_usd >= etf.cash_usd)
    True
    """
    s, e = _window(start, end)
    bonds, coupon, redemption, redeems = _income_arrays(etf, market, s, e)
    income = float(coupon.sum() + redemption.sum())
    holdings = etf.holdings.reindex(bonds.ids)
    kept = holdings[~redeems]
    kept.index.name = etf.holdings.index.name
    return etf.replace(holdings=kept, cash_usd=etf.cash_usd + income)


def declare_distribution(etf: ETF, per_share: float) -> ETF:
    """The fund on the ex-date of a distribution of ``per_share`` USD a share.

    The distribution becomes a liability (and a distribution payable) of
    ``per_share x shares outstanding``, so NAV per share drops by exactly
    ``per_share``.

    Raises
    ------
    InputError
        If ``per_share`` is negative or not finite.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> etf = m.etfs["IG_BROAD"]
    >>> ex = declare_distribution(etf, 0.35)
    >>> round(etf.nav(m, "bid") - ex.nav(m, "bid"), 10)
    0.35
    """
    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    d = non_negative(per_share, "per_share")
    amount = d * etf.shares_outstanding
    return etf.replace(
        liabilities_usd=etf.liabilities_usd + amount,
        distributions_payable_usd=etf.distributions_payable_usd + amount,
    )


def pay_distribution(etf: ETF) -> ETF:
    """The fund after paying every declared distribution: cash and liabilities fall together.

    NAV is unchanged (the liability was already deducted on the ex-date). Cash may go
    negative (an overdraft) if the fund had not collected enough; it is not checked.

    Raises
    ------
    InputError
        If no distribution has been declared.

    Examples
    --------
    >>> from etfcore.market import synthetic_market
    >>> m = synthetic_market(seed=0)
    >>> ex = declare_distribution(m.etfs["IG_BROAD"], 0.35)
    >>> paid = pay_distribution(ex)
    >>> round(paid.nav(m, "bid") - ex.nav(m, "bid"), 10), paid.distributions_payable_usd
    (0.0, 0.0)
    """
    if not isinstance(etf, ETF):
        raise InputError(f"etf: expected an ETF, got {type(etf).__name__}")
    amount = etf.distributions_payable_usd
    if amount <= 0:
        raise InputError(
            f"{etf.name}: no distribution is payable; declare one first "
            "(declare_distribution on the ex-date)"
        )
    return etf.replace(
        cash_usd=etf.cash_usd - amount,
        liabilities_usd=max(etf.liabilities_usd - amount, 0.0),
        distributions_payable_usd=0.0,
    )


__all__ = ["collect_income", "coupon_income", "declare_distribution", "pay_distribution"]
