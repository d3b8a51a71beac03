"""The fee an Authorized Participant pays the fund for one creation or redemption order."""

from __future__ import annotations

import pandas as pd

from .._validation import non_negative
from ..errors import InputError
from ..fund.etf import ETF, CreationFees
from ..state import MarketState
from .baskets import Basket

#: Rows of :func:`order_fee` (USD), in order.
FEE_ROWS = ("fixed", "in_kind", "custom", "cash", "total")


def order_fee(
    fees: CreationFees | ETF,
    basket: Basket,
    market: MarketState | None = None,
    in_kind_value_usd: float | None = None,
) -> pd.Series:
    """The fee for processing ``basket``, by component, USD.

    Parameters
    ----------
    fees : CreationFees or ETF
        The fee schedule (an ETF's ``fees`` when an ETF is given).
    basket : Basket
    market : MarketState, optional
        Values the in-kind bonds on the official (bid) side; not needed when
        ``in_kind_value_usd`` is given.
    in_kind_value_usd : float, optional
        The in-kind value, if already known.

    Returns
    -------
    pandas.Series
        ``fixed``, ``in_kind``, ``custom``, ``cash`` and ``total``, USD.

    Raises
    ------
    InputError
        For a fee schedule or basket of the wrong type, no market and no in-kind
        value, or a negative or non-finite in-kind value.

    Notes
    -----
    ``fee = fixed_usd + in_kind_bp x in-kind value + custom_bp x in-kind value (custom
    baskets only) + cash_bp x |cash in lieu|``, bp as 1e-4. The cash charge covers
    the fund's cost of buying (creation) or selling (redemption) the bonds the basket
    replaces with cash; a cash order's cash in lieu is its whole bond value. The
    cash component (the fund's own cash share) is not charged. The same schedule
    applies to creations and redemptions.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.fund import CreationFees
    >>> b = Basket("X", 1, 50_000, "create", "custom", pd.Series({"A": 1e6}),
    ...            cash_in_lieu_usd=20_000.0)
    >>> float(order_fee(CreationFees(500, 0, 10, 3), b, in_kind_value_usd=1e6)["total"])
    820.0
    """
    if isinstance(fees, ETF):
        fees = fees.fees
    if not isinstance(fees, CreationFees):
        raise InputError(f"fees: expected CreationFees or an ETF, got {type(fees).__name__}")
    if not isinstance(basket, Basket):
        raise InputError(f"basket: expected a Basket, got {type(basket).__name__}")
    if in_kind_value_usd is None:
        if market is None:
            raise InputError("order_fee: give the market (to value the bonds) or in_kind_value_usd")
        in_kind_value_usd = basket.in_kind_value_usd(market, "bid")
    ik = non_negative(in_kind_value_usd, "in_kind_value_usd")
    parts = {
        "fixed": fees.fixed_usd,
        "in_kind": fees.in_kind_bp * 1e-4 * ik,
        "custom": fees.custom_bp * 1e-4 * ik if basket.kind == "custom" else 0.0,
        "cash": fees.cash_bp * 1e-4 * abs(basket.cash_in_lieu_usd),
    }
    parts["total"] = sum(parts.values())
    return pd.Series(parts, name="fee_usd", dtype=float)


__all__ = ["FEE_ROWS", "order_fee"]
