"""Pricing and risk of many bonds at once: from a curve, from a yield, from a price.

Every function here follows the same template: validate and coerce at the
boundary, build (or reuse) the flat cash-flow arrays, call a numba kernel from
``_kernels.py``, raise on the kernel's status codes naming the bond, and wrap the
result back into pandas indexed by bond id.

Notes
-----
Conventions (QuantLib 1.44 is the test oracle: prices, accrued and z-spreads match it;
yields match its ``Compounded`` yield with ``yield_convention="compounded"``, and its
``SimpleThenCompounded`` one where that is the convention's form):

* Prices are per 100 face; ``dirty = clean + accrued``. The dirty price is the
  value at settlement: the sum over flows paid after settlement of
  ``amount x DF(pay date) / DF(settlement)``.
* A z-spread ``s`` is continuously compounded and added to the zero rate:
  ``DF_s(t) = DF(t) exp(-s t)`` with ``t`` the curve's ACT/365F time.
* Yields are decimals at the bond's own frequency ``f`` (semiannual for a
  zero-coupon bond) with the bond's own day count. Flow ``k`` is ``t_k`` years
  from settlement (stepwise: ``dt_k`` years after the flow before it; the first
  step is the day-count fraction of the coupon period still to run, QuantLib
  ``BondFunctions::yield``). ``yield_convention`` (see :data:`YIELD_CONVENTIONS`)
  says how the fraction of a period is discounted; with ``rho`` years at simple
  interest, ``dirty = sum(a_k (1 + y/f)^(-f (t_k - rho))) / (1 + y rho)``:

  - ``"street"`` (the default, what Bloomberg and TRACE show for US corporates,
    munis and Treasuries): compounded, ``rho = 0``, except with one coupon
    period or less to redemption (one flow left, ``f t_1 <= 1``), where the
    money-market yield of the SIFMA/SIA standard formulas applies: ``rho = t_1``,
    ``dirty = a_1 / (1 + y t_1)``;
  - ``"compounded"``: ``rho = 0`` always (QuantLib ``Compounded``; the ICMA yield
    of EUR bonds);
  - ``"treasury_auction"`` (31 CFR 356, Appendix B): simple interest over the
    fractional part of the first quasi-coupon period, ``rho = (x - floor(x)) / f``
    with ``x = f t_1``; whole periods compounded. The regulation writes it
    ``P [1 + (r/s)(i/2)] = ...`` (``r/s``: fraction of the quasi-coupon period from
    settlement to the next quasi-coupon date); it differs from street prices by up
    to a few cents per 100.

  Under street convention the default changes only bonds (or, for yield to worst,
  workouts) with one coupon period or less to go; pass ``"compounded"`` for the
  yield QuantLib and the ICMA convention compute.

* ``modified_duration = -(1/P) dP/dy`` and ``convexity = (1/P) d2P/dy2`` (years
  squared) are derivatives of the convention's own price-yield function above;
  ``macaulay_duration = (1/P) sum(t_k PV_k)``, which is ``(1 + y/f) x modified``
  when ``rho = 0``. ``dv01 = modified_duration x dirty / 10,000`` (price fall per
  100 face for a 1 bp rise in yield, first order), ``spread_duration = -(1/P)
  dP/ds`` and ``cs01 = spread_duration x dirty / 10,000``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .._deprecation import renamed_keywords
from .._results import frame_copy, make_summary
from .._validation import as_number, choice, decimals, integer, per_bond, show
from ..errors import ConvergenceError, EtfcoreWarning, InputError
from . import _kernels as K
from . import conventions as cv
from .bondset import BondSet
from .curves import CurveScenarios, exponent_coefficients
from .dates import to_timestamps
from .schedule import Cashflows, holidays_for

YIELD_TOL = 1e-14
SPREAD_TOL = 1e-14
MAX_ITER = 100

#: Yield conventions, by name: ``"street"`` (default), ``"compounded"``, ``"treasury_auction"``.
YIELD_CONVENTIONS = ("street", "compounded", "treasury_auction")
_YIELD_CONVENTION_CODES = {
    "street": K.YIELD_STREET,
    "compounded": K.YIELD_COMPOUNDED,
    "treasury_auction": K.YIELD_TREASURY,
}
#: Largest plausible decimal yield (100%); larger values look like percentages.
YIELD_LIMIT = 1.0
#: Largest plausible decimal z-spread (5,000 bp); larger values look like basis points.
SPREAD_LIMIT = 0.5
#: Key-rate bump range in basis points: ``0 < bump_bp <= MAX_BUMP_BP``.
MAX_BUMP_BP = 100.0

#: The columns of :func:`analytics_from_price`, in order.
ANALYTICS_COLUMNS = [
    "clean_price",
    "dirty_price",
    "accrued_interest",
    "yield_to_maturity",
    "modified_duration",
    "macaulay_duration",
    "convexity",
    "dv01",
]


class DiscountCurve(Protocol):
    """What the pricing functions need of a curve (``ZeroCurve``, ``NSSFit``...).

    A read-only ``reference_date`` (int day number) and ``discount_days(days)``;
    any object with both prices bonds (structural typing, no base class needed).

    Examples
    --------
    >>> from etfcore.bonds.curves import ZeroCurve
    >>> curve: DiscountCurve = ZeroCurve("2026-06-12", [1, 5], [0.04, 0.042])
    >>> round(float(curve.discount_days([curve.reference_date + 365])[0]), 6)
    0.960789
    """

    @property
    def reference_date(self) -> int:  # pragma: no cover - protocol
        """The curve's date as an int day number (days since 1970-01-01)."""
        ...

    def discount_days(self, days: Any) -> Any:  # pragma: no cover - protocol
        """Discount factors at day numbers (1-D for one curve, (S, n) for S curves)."""
        ...


class ConvergenceWarning(EtfcoreWarning):
    """A solver failed for some bonds and ``on_error="warn"`` returned NaN for them.

    Examples
    --------
    >>> import warnings, pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A"], "coupon_rate": [0.05], "maturity_date": ["2031-06-15"]}))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     y = yield_from_price(bonds, [1e-6], "2026-06-15", on_error="warn")
    >>> caught[0].category.__name__, bool(y.isna().iloc[0])
    ('ConvergenceWarning', True)
    """


_STATUS_TEXT = {
    K.STATUS_NO_CONVERGENCE: "the solver did not converge",
    K.STATUS_NO_BRACKET: "no yield between -50% and 1,000% gives this price",
    K.STATUS_BAD_INPUT: "the dirty price is not a positive number",
    K.STATUS_NO_CASHFLOWS: "the bond pays nothing after settlement",
}


# ---------------------------------------------------------------------- boundary helpers
def _check_bonds(bonds: Any) -> BondSet:
    if not isinstance(bonds, BondSet):
        raise InputError(
            f"bonds: expected an etfcore.BondSet, got {type(bonds).__name__}; "
            "build one with BondSet.from_frame(frame)"
        )
    return bonds


def _yield_convention(value: Any) -> int:
    """The kernel code of a yield convention name (an error lists the names)."""
    return int(_YIELD_CONVENTION_CODES[choice(value, "yield_convention", YIELD_CONVENTIONS)])


def _day_label(day: Any) -> str:
    return f"{to_timestamps(np.int64(day)):%Y-%m-%d}"


def _check_curve_date(curve: Any, cf: Cashflows, name: str = "curve") -> None:
    """Settlement on or after the curve's reference date (no backward extrapolation)."""
    ref = getattr(curve, "reference_date", None)
    if ref is None:
        return
    try:
        ref_day = int(ref)
    except (TypeError, ValueError):
        return
    if int(cf.settlement) < ref_day:
        raise InputError(
            f"settlement_date {_day_label(cf.settlement)} is before the {name}'s reference "
            f"date {_day_label(ref_day)}: the {name} has no discount factors before its own "
            f"date (etfcore does not extrapolate backwards); settle on or after "
            f"{_day_label(ref_day)}, or build the {name} for {_day_label(cf.settlement)} "
            "or earlier"
        )


def _bond_values(values: Any, bonds: BondSet, name: str, *, positive: bool = False) -> np.ndarray:
    """One finite float per bond (:func:`~etfcore._validation.per_bond`, pricing's rules).

    A scalar, an array in bond order or a Series by id (ids of other bonds are
    ignored, so a price Series of a larger universe can be passed); NaN and
    infinities are errors (a price or yield that is not there has no answer), named
    ``row i (id X)`` as the other pricing errors are.
    """
    return per_bond(
        values, bonds.ids, name, positive=positive, unknown_ids="ignore", row_labels=True
    )


def _bond_decimals(values: Any, bonds: BondSet, name: str, limit: float) -> np.ndarray:
    """As :func:`_bond_values`, with the "looks like a percentage or bp" check per bond."""
    out = _bond_values(values, bonds, name)
    if out.size and np.abs(out).max() > limit:  # finite already; name the bonds only if needed
        labels = [f"row {i} (id {b})" for i, b in enumerate(bonds.ids)]
        decimals(out, name, limit=limit, labels=labels)
    return out


def _cashflows(bonds: BondSet, settlement_date: Any, payment_convention: str) -> Cashflows:
    cf = bonds.cashflows(settlement_date, payment_convention)
    dead = np.flatnonzero(cf.counts == 0)
    if dead.size:
        rows = [
            f"row {i} (id {bonds.ids[i]}), column 'maturity_date': "
            f"{to_timestamps(bonds.maturity[i]):%Y-%m-%d}"
            for i in dead[:50]
        ]
        more = f" and {dead.size - 50} more" if dead.size > 50 else ""
        raise InputError.from_problems(
            f"{dead.size} bond(s) pay nothing after settlement "
            f"{to_timestamps(np.int64(cf.settlement)):%Y-%m-%d} (matured){more}; remove them "
            "or use an earlier settlement_date",
            rows,
        )
    return cf


def _yield_frequency(bonds: BondSet) -> np.ndarray:
    f = bonds.frequency.astype(float)
    f[f == 0] = 2.0  # zero-coupon bonds: semiannual bond-equivalent yield
    return f


def _raise_status(
    status: np.ndarray,
    bonds: BondSet,
    what: str,
    prices: np.ndarray,
    on_error: str,
    values: np.ndarray,
) -> np.ndarray:
    bad = np.flatnonzero(status != K.STATUS_OK)
    if bad.size == 0:
        return values
    lines = [
        f"row {i} (id {bonds.ids[i]}), dirty price {prices[i]:.6f}: {_STATUS_TEXT[int(status[i])]}"
        for i in bad[:50]
    ]
    if bad.size > 50:
        lines.append(f"... and {bad.size - 50} more")
    if on_error == "warn":
        warnings.warn(
            f"{what} failed for {bad.size} bond(s), returned NaN:\n  - " + "\n  - ".join(lines),
            ConvergenceWarning,
            stacklevel=3,
        )
        values = values.copy()
        values[bad] = np.nan
        return values
    err = InputError.from_problems(
        f"{what} failed for {bad.size} bond(s); check these prices (clean price per 100 "
        "face) or pass on_error='warn' to get NaN for them",
        lines,
    )
    err.failed = [bonds.ids[int(i)] for i in bad]  # type: ignore[attr-defined]
    raise err


def _check_on_error(on_error: str) -> None:
    if on_error not in ("raise", "warn"):
        raise InputError(f"on_error: {on_error!r} is not 'raise' or 'warn'")


def _curve_discounts(curve: Any, cf: Cashflows) -> np.ndarray:
    """The curve's discount factors at each distinct payment day, then at settlement."""
    if not hasattr(curve, "discount_days") or not hasattr(curve, "reference_date"):
        raise InputError(
            f"curve: expected a ZeroCurve (or an object with discount_days and "
            f"reference_date), got {type(curve).__name__}"
        )
    _check_curve_date(curve, cf)
    days = np.append(cf.unique_days, np.int64(cf.settlement))
    df = np.ascontiguousarray(np.asarray(curve.discount_days(days), dtype=float))
    if df.shape != days.shape:
        raise InputError(
            f"curve: discount_days returned shape {df.shape} for {days.size} days; price_bonds "
            "takes one curve (use reprice_scenarios for many)"
        )
    return df


def _guess(bonds: BondSet, cf: Cashflows, clean: np.ndarray) -> np.ndarray:
    last = cf.offsets[1:] - 1
    t_last = np.maximum(cf.time[last], 0.05)
    return bonds.coupon_rate + (bonds.redemption - clean) / (100.0 * t_last)


def _yield_analytics(
    bonds: BondSet,
    cf: Cashflows,
    clean: np.ndarray,
    on_error: str,
    with_risk: bool,
    convention: int = K.YIELD_STREET,
) -> dict:
    dirty = clean + cf.accrued
    y, status, mod, mac, cvx = K.yield_analytics_nb(
        cf.offsets,
        cf.amount,
        cf.time,
        cf.step,
        dirty,
        _yield_frequency(bonds),
        _guess(bonds, cf, clean),
        YIELD_TOL,
        MAX_ITER,
        with_risk,
        convention,
    )
    y = _raise_status(status, bonds, "yield from price", dirty, on_error, y)
    return {
        "clean_price": clean,
        "dirty_price": dirty,
        "accrued_interest": np.asarray(cf.accrued),
        "yield_to_maturity": y,
        "modified_duration": mod,
        "macaulay_duration": mac,
        "convexity": cvx,
        "dv01": mod * dirty * 1e-4,
    }


# ---------------------------------------------------------------------- public API
def accrued_interest(
    bonds: BondSet, settlement_date: Any, payment_convention: str = "unadjusted"
) -> pd.Series:
    """Accrued interest per 100 face at settlement.

    Parameters
    ----------
    bonds : BondSet
    settlement_date : date-like
    payment_convention : {"unadjusted", "following", "modified_following"}
        Business-day convention of the payment dates on the US government-bond
        calendar; it matters only when settlement falls between an accrual end and
        its (later) payment date.

    Returns
    -------
    pandas.Series
        Indexed by bond id.

    Notes
    -----
    The coupon paid next after settlement accrues from its accrual start to
    ``min(settlement, accrual end)``: ``rate x 100 x year_fraction``. On a coupon
    date the accrued interest is zero (that coupon is paid to the seller).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
    ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
    >>> accrued_interest(bonds, "2026-07-15").round(6).tolist()  # 30/360: 30 days
    [0.416667, 0.666667]
    """
    bonds = _check_bonds(bonds)
    cf = _cashflows(bonds, settlement_date, payment_convention)
    return pd.Series(np.asarray(cf.accrued), index=bonds.ids, name="accrued_interest")


def price_from_yield(
    bonds: BondSet,
    yields: Any,
    settlement_date: Any,
    payment_convention: str = "unadjusted",
    *,
    yield_convention: str = "street",
) -> pd.DataFrame:
    """Clean and dirty price per 100 face from a yield to maturity.

    Parameters
    ----------
    bonds : BondSet
    yields : float, array-like or pandas.Series
        Decimal yields (0.045 for 4.5%), at each bond's frequency (semiannual for
        zero-coupon bonds) with its own day count; a Series is aligned by id. A
        yield above 1.0 in magnitude is an error (it looks like a percentage).
    settlement_date : date-like
    payment_convention : str, default "unadjusted"
    yield_convention : {"street", "compounded", "treasury_auction"}, default "street"
        How a fraction of a coupon period is discounted. ``"street"``: compounded,
        with the money-market (simple) yield when one coupon period or less is left
        (US corporates, munis, Treasuries, as Bloomberg and TRACE show them);
        ``"compounded"``: compounded throughout (QuantLib, ICMA);
        ``"treasury_auction"``: 31 CFR 356 Appendix B.

    Returns
    -------
    pandas.DataFrame
        Columns ``clean_price``, ``dirty_price``, ``accrued_interest``, by id.

    Notes
    -----
    ``dirty = sum(a_k (1 + y/f)^(-f (t_k - rho))) / (1 + y rho)`` with ``rho``
    the years at simple interest of the convention (the module's Notes): 0 when
    compounded; ``t_1`` (street, one period or less to go: ``dirty = a_1 / (1 + y
    t_1)``); the fractional part of the first quasi-coupon period
    (treasury_auction, 31 CFR 356 App. B: ``P [1 + (r/s)(i/2)] = ...``).

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
    ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
    >>> price_from_yield(bonds, 0.045, "2026-06-15")["clean_price"].round(4).tolist()
    [102.2166, 99.7894]

    Bond B is in its final coupon period: street and compounded prices differ.

    >>> price_from_yield(bonds, 0.045, "2026-06-15",
    ...                  yield_convention="compounded")["clean_price"].round(4).tolist()
    [102.2166, 99.7928]
    """
    bonds = _check_bonds(bonds)
    code = _yield_convention(yield_convention)
    cf = _cashflows(bonds, settlement_date, payment_convention)
    y = _bond_decimals(yields, bonds, "yields", YIELD_LIMIT)
    freq = _yield_frequency(bonds)
    if (bad := np.flatnonzero(y <= -freq)).size:
        raise InputError(
            f"yields: row {bad[0]} (id {bonds.ids[bad[0]]}): {show(float(y[bad[0]]))} is at "
            f"or below -{freq[bad[0]]:g} (minus the compounding frequency), where prices are "
            "undefined"
        )
    dirty = K.price_from_yield_nb(cf.offsets, cf.amount, cf.time, cf.step, y, freq, code)
    return pd.DataFrame(
        {
            "clean_price": dirty - cf.accrued,
            "dirty_price": dirty,
            "accrued_interest": np.asarray(cf.accrued),
        },
        index=bonds.ids,
    )


def yield_from_price(
    bonds: BondSet,
    clean_prices: Any,
    settlement_date: Any,
    payment_convention: str = "unadjusted",
    on_error: str = "raise",
    *,
    yield_convention: str = "street",
) -> pd.Series:
    """Yield to maturity from clean prices (street convention by default).

    Parameters
    ----------
    bonds : BondSet
    clean_prices : float, array-like or pandas.Series
        Clean prices per 100 face; a Series is aligned by bond id.
    settlement_date : date-like
    payment_convention : str, default "unadjusted"
    on_error : {"raise", "warn"}
        A bond whose yield cannot be solved raises :class:`~etfcore.InputError`
        naming it and its price; ``"warn"`` returns NaN for it with a warning that
        names it instead.
    yield_convention : {"street", "compounded", "treasury_auction"}, default "street"
        See :func:`price_from_yield` and the module's Notes. Pass
        ``"compounded"`` to match QuantLib's ``Compounded`` yield.

    Returns
    -------
    pandas.Series
        Decimal yields by id.

    Notes
    -----
    Solves the convention's price-yield function (see :func:`price_from_yield`)
    by Newton's method on the dirty price, safeguarded by a bracket that shrinks at
    every step (bisection when a Newton step leaves it), to ``1e-14`` in yield.
    Street convention in the final period is the SIFMA/SIA money-market formula
    ``y = (a_1 - dirty) / dirty / t_1``, ``t_1`` the years to redemption.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
    ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
    >>> y = yield_from_price(bonds, [102.0, 99.8], "2026-06-15")
    >>> (y * 100).round(4).tolist()
    [4.5483, 4.474]
    >>> y_c = yield_from_price(bonds, [102.0, 99.8], "2026-06-15", yield_convention="compounded")
    >>> round(float(y["B"] - y_c["B"]) * 1e4, 2)  # bp: B is in its final coupon period
    -0.83
    """
    bonds = _check_bonds(bonds)
    _check_on_error(on_error)
    code = _yield_convention(yield_convention)
    cf = _cashflows(bonds, settlement_date, payment_convention)
    clean = _bond_values(clean_prices, bonds, "clean_prices", positive=True)
    y = _yield_analytics(bonds, cf, clean, on_error, False, code)["yield_to_maturity"]
    return pd.Series(y, index=bonds.ids, name="yield_to_maturity")


def analytics_from_price(
    bonds: BondSet,
    clean_prices: Any,
    settlement_date: Any,
    payment_convention: str = "unadjusted",
    on_error: str = "raise",
    *,
    yield_convention: str = "street",
) -> pd.DataFrame:
    """Yield, durations, convexity and DV01 from market prices (a holdings file's view).

    Parameters
    ----------
    bonds : BondSet
    clean_prices : float, array-like or pandas.Series
        Clean prices per 100 face (a Series is aligned by id).
    settlement_date : date-like
    payment_convention : str, default "unadjusted"
    on_error : {"raise", "warn"}
        See :func:`yield_from_price`.
    yield_convention : {"street", "compounded", "treasury_auction"}, default "street"
        The yield's convention; durations and convexity are derivatives of that
        convention's price-yield function (module Notes).

    Returns
    -------
    pandas.DataFrame
        By id: ``clean_price``, ``dirty_price``, ``accrued_interest``,
        ``yield_to_maturity``, ``modified_duration``, ``macaulay_duration``,
        ``convexity``, ``dv01``. Conventions in the module's Notes.

    Notes
    -----
    In the final period under street convention (``dirty = a / (1 + y t)``):
    ``modified_duration = t / (1 + y t)``, ``macaulay_duration = t`` and
    ``convexity = 2 t^2 / (1 + y t)^2``.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
    ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
    >>> a = analytics_from_price(bonds, [102.0, 99.8], "2026-06-15")
    >>> a[["modified_duration", "macaulay_duration"]].round(4).values.tolist()
    [[4.3917, 4.4916], [0.409, 0.4167]]
    """
    bonds = _check_bonds(bonds)
    _check_on_error(on_error)
    code = _yield_convention(yield_convention)
    cf = _cashflows(bonds, settlement_date, payment_convention)
    clean = _bond_values(clean_prices, bonds, "clean_prices", positive=True)
    return pd.DataFrame(_yield_analytics(bonds, cf, clean, on_error, True, code), index=bonds.ids)


def price_bonds(
    bonds: BondSet,
    curve: DiscountCurve,
    settlement_date: Any,
    spread: Any = 0.0,
    payment_convention: str = "unadjusted",
    *,
    yield_convention: str = "street",
) -> pd.DataFrame:
    """Price bonds from a discount curve plus a z-spread per bond, with their risk.

    Parameters
    ----------
    bonds : BondSet
    curve : ZeroCurve or any object with ``reference_date`` and ``discount_days``
    settlement_date : date-like
        The date the price is for; flows paid on or before it are excluded. It
        may not be before the curve's reference date (an error says so).
    spread : float, array-like or pandas.Series, default 0.0
        Continuously compounded z-spread (decimal: 0.012 for 120 bp) added to the
        curve's zero rate, per bond (a Series is aligned by id); above 0.5 in
        magnitude is an error (it looks like basis points).
    payment_convention : {"unadjusted", "following", "modified_following"}
        Business-day convention of payment dates on the US government-bond calendar.
    yield_convention : {"street", "compounded", "treasury_auction"}, default "street"
        Convention of the reported ``yield_to_maturity`` and of the durations and
        convexity at it (module Notes); prices do not depend on it.

    Returns
    -------
    pandas.DataFrame
        By id: the columns of :func:`analytics_from_price` plus ``z_spread``,
        ``spread_duration`` and ``cs01``.

    Notes
    -----
    ``dirty = sum(amount_k DF(t_k) exp(-s (t_k - t_s))) / DF(t_s)``, with the
    curve evaluated once per distinct payment date. Yield measures are at the
    bond's own yield for that price under ``yield_convention`` (module Notes):
    street by default, so a bond with one coupon period or less to go reports the
    money-market yield ``(a_1 / dirty - 1) / t_1`` and ``modified_duration = t_1 /
    (1 + y t_1)``; ``"compounded"`` gives QuantLib's ``Compounded`` figures.

    Examples
    --------
    >>> import pandas as pd, etfcore
    >>> bonds = etfcore.BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A"], "coupon_rate": [0.05], "maturity_date": ["2031-06-15"]}))
    >>> curve = etfcore.ZeroCurve("2026-06-12", [1, 5, 10], [0.04, 0.042, 0.045])
    >>> etfcore.price_bonds(bonds, curve, "2026-06-15")["clean_price"].round(4).tolist()
    [103.402]
    """
    bonds = _check_bonds(bonds)
    code = _yield_convention(yield_convention)
    cf = _cashflows(bonds, settlement_date, payment_convention)
    s = _bond_decimals(spread, bonds, "spread", SPREAD_LIMIT)
    df = _curve_discounts(curve, cf)
    dirty, sdur, y, status, mod, mac, cvx = K.price_analytics_nb(
        cf.offsets,
        cf.amount,
        cf.time,
        cf.step,
        cf.dtau,
        cf.day_index,
        df,
        df[-1],
        s,
        cf.accrued,
        _yield_frequency(bonds),
        bonds.coupon_rate,
        bonds.redemption,
        YIELD_TOL,
        MAX_ITER,
        code,
        *K.work_buffers(cf.offsets),
    )
    y = _raise_status(status, bonds, "yield from price", dirty, "raise", y)
    out = {
        "clean_price": dirty - cf.accrued,
        "dirty_price": dirty,
        "accrued_interest": np.asarray(cf.accrued),
        "yield_to_maturity": y,
        "modified_duration": mod,
        "macaulay_duration": mac,
        "convexity": cvx,
        "dv01": mod * dirty * 1e-4,
        "z_spread": s,
        "spread_duration": sdur,
        "cs01": sdur * dirty * 1e-4,
    }
    return pd.DataFrame(out, index=bonds.ids)


def z_spread_from_price(
    bonds: BondSet,
    curve: DiscountCurve,
    clean_prices: Any,
    settlement_date: Any,
    payment_convention: str = "unadjusted",
    on_error: str = "raise",
) -> pd.Series:
    """Continuously compounded z-spread over ``curve`` that reprices each bond.

    Parameters
    ----------
    bonds : BondSet
    curve : ZeroCurve or any object with ``reference_date`` and ``discount_days``
    clean_prices : float, array-like or pandas.Series
        Clean prices per 100 face (a Series is aligned by id).
    settlement_date : date-like
        On or after the curve's reference date.
    payment_convention : str, default "unadjusted"
    on_error : {"raise", "warn"}
        See :func:`yield_from_price`.

    Returns
    -------
    pandas.Series
        Decimal spreads by id (0.0123 = 123 bp).

    Notes
    -----
    Solves ``sum(amount_k DF(t_k) exp(-s (t_k - t_s))) / DF(t_s) = clean + accrued``
    by safeguarded Newton, to ``1e-14``.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
    ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
    >>> from etfcore.bonds.curves import ZeroCurve
    >>> curve = ZeroCurve("2026-06-15", [1, 5, 10], [0.04, 0.042, 0.045])
    >>> (z_spread_from_price(bonds, curve, [100.0, 99.5], "2026-06-15") * 1e4).round(2).tolist()
    [74.55, 112.21]
    """
    bonds = _check_bonds(bonds)
    _check_on_error(on_error)
    cf = _cashflows(bonds, settlement_date, payment_convention)
    clean = _bond_values(clean_prices, bonds, "clean_prices", positive=True)
    dirty = clean + cf.accrued
    df = _curve_discounts(curve, cf)
    s, status = K.solve_z_spread_nb(
        cf.offsets, cf.amount, cf.dtau, cf.day_index, df, df[-1], dirty, SPREAD_TOL, MAX_ITER
    )
    s = _raise_status(status, bonds, "z-spread from price", dirty, on_error, s)
    return pd.Series(s, index=bonds.ids, name="z_spread")


# ---------------------------------------------------------------------- scenarios
def _read_only(values: np.ndarray) -> np.ndarray:
    """A read-only view of ``values`` (the array itself stays as it was)."""
    view = values.view()
    view.setflags(write=False)
    return view


@dataclass(frozen=True, repr=False)
class ScenarioPrices:
    """Dirty prices of N bonds under S curve scenarios.

    Attributes
    ----------
    base : pandas.Series
        Dirty prices under the base curve, by id.
    prices : pandas.DataFrame
        ``N x S`` dirty prices per 100 face (rows: bonds; columns: scenarios).

    Notes
    -----
    ``base`` and ``prices`` are the result's own data, read-only (no copy is made:
    writing a value, ``res.prices.iloc[0, 0] = 0`` or into ``res.prices.to_numpy()``,
    raises ``ValueError: assignment destination is read-only``); adding or replacing
    a whole column (``res.prices["x"] = ...``) rebinds the frame's column, which no
    array flag can stop: build on :meth:`to_frame` or :meth:`pnl`, new writable
    frames, instead.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
    ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
    >>> from etfcore.bonds.curves import ZeroCurve
    >>> curve = ZeroCurve("2026-06-15", [1, 5, 10], [0.04, 0.042, 0.045])
    >>> res = reprice_scenarios(bonds, curve.parallel_shocks([-100, 100]), "2026-06-15")
    >>> res
    ScenarioPrices(2 bonds x 2 scenarios)
    >>> res.pnl().round(2).values.tolist()
    [[4.76, -4.54], [0.42, -0.42]]
    """

    base: pd.Series
    prices: pd.DataFrame

    def __post_init__(self) -> None:
        # read-only views of the data (free: no copy), so a frozen result stays as computed
        base = _read_only(self.base.to_numpy(dtype=float))
        prices = _read_only(self.prices.to_numpy(dtype=float))
        object.__setattr__(
            self, "base", pd.Series(base, index=self.base.index, name=self.base.name, copy=False)
        )
        object.__setattr__(
            self,
            "prices",
            pd.DataFrame(prices, index=self.prices.index, columns=self.prices.columns, copy=False),
        )

    def __reduce__(self) -> tuple:
        # through __init__, so an unpickled (or copied) result is read-only too
        return (type(self), (self.base, self.prices))

    def __repr__(self) -> str:
        n, s = self.prices.shape
        return f"ScenarioPrices({n} bonds x {s} scenarios)"

    def pnl(self, par: Any = None) -> pd.DataFrame:
        """Price change per 100 face against the base (or in money for ``par`` per bond).

        Parameters
        ----------
        par : float, array-like or pandas.Series, optional
            Face amount per bond, finite (negative for a short position; a Series is
            aligned by id, ids of other bonds ignored); the change is then ``par x
            (price - base) / 100`` in money.

        Returns
        -------
        pandas.DataFrame
            ``N x S``, a new frame.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.bondset import BondSet
        >>> bonds = BondSet.from_frame(pd.DataFrame({
        ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
        ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
        >>> from etfcore.bonds.curves import ZeroCurve
        >>> curve = ZeroCurve("2026-06-15", [1, 5, 10], [0.04, 0.042, 0.045])
        >>> res = reprice_scenarios(bonds, curve.parallel_shocks([100]), "2026-06-15")
        >>> res.pnl(par=[1e6, 2e6]).round(0).iloc[:, 0].tolist()
        [-45407.0, -8391.0]
        """
        out = self.prices.sub(self.base, axis=0)
        if par is not None:
            p = per_bond(par, self.base.index, "par", unknown_ids="ignore", row_labels=True)
            out = out.mul(p / 100.0, axis=0)
        return out

    def to_frame(self) -> pd.DataFrame:
        """The ``N x S`` dirty price matrix (a copy).

        Returns
        -------
        pandas.DataFrame
            Rows: bond ids; columns: scenario names.

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.bondset import BondSet
        >>> bonds = BondSet.from_frame(pd.DataFrame({
        ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
        ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
        >>> from etfcore.bonds.curves import ZeroCurve
        >>> curve = ZeroCurve("2026-06-15", [1, 5, 10], [0.04, 0.042, 0.045])
        >>> res = reprice_scenarios(bonds, curve.parallel_shocks([100]), "2026-06-15")
        >>> res.to_frame().shape
        (2, 1)
        """
        return frame_copy(self.prices)

    def summary(self) -> Any:
        """Per scenario: mean, worst and best price change per 100 face.

        Returns
        -------
        statsmodels.iolib.summary2.Summary
            Prints as text, renders as HTML in Jupyter (the package convention).

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.bondset import BondSet
        >>> bonds = BondSet.from_frame(pd.DataFrame({
        ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
        ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
        >>> from etfcore.bonds.curves import ZeroCurve
        >>> curve = ZeroCurve("2026-06-15", [1, 5, 10], [0.04, 0.042, 0.045])
        >>> res = reprice_scenarios(bonds, curve.parallel_shocks([100]), "2026-06-15")
        >>> "worst_change" in str(res.summary())
        True
        """
        pnl = self.pnl()
        table = pd.DataFrame(
            {"mean_change": pnl.mean(), "worst_change": pnl.min(), "best_change": pnl.max()}
        )
        n, s = self.prices.shape
        return make_summary(
            f"Scenario repricing: {n} bonds x {s} scenarios",
            [table],
            ["Changes are dirty price per 100 face against the base curve."],
        )

    def plot(self, ax: Any = None, par: Any = None) -> Any:
        """Histogram of the portfolio price change across scenarios.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        par : see :meth:`pnl`

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import pandas as pd
        >>> from etfcore.bonds.bondset import BondSet
        >>> bonds = BondSet.from_frame(pd.DataFrame({
        ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
        ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from etfcore.bonds.curves import ZeroCurve
        >>> curve = ZeroCurve("2026-06-15", [1, 5, 10], [0.04, 0.042, 0.045])
        >>> res = reprice_scenarios(bonds, curve.parallel_shocks([-50, 50]), "2026-06-15")
        >>> res.plot().get_ylabel()
        'scenarios'
        """
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(7, 4), layout="constrained")[1]
        total = self.pnl(par).sum(axis=0)
        ax.hist(total, bins=min(60, max(10, len(total) // 10)), color="#4C72B0")
        ax.set_xlabel("price change" + (" (money)" if par is not None else " (sum per 100 face)"))
        ax.set_ylabel("scenarios")
        ax.set_title(f"{len(self.base)} bonds x {self.prices.shape[1]} scenarios")
        return ax


def reprice_scenarios(
    bonds: BondSet,
    scenarios: Any,
    settlement_date: Any,
    spread: Any = 0.0,
    payment_convention: str = "unadjusted",
) -> ScenarioPrices:
    """Reprice every bond under every curve of a scenario set, in one parallel call.

    Parameters
    ----------
    bonds : BondSet
    scenarios : CurveScenarios
        S curves (``discount_days`` returning an ``(S, n)`` array); its ``base``
        curve gives the base prices. Settlement may not be before its reference
        date.
    settlement_date : date-like
    spread : float, array-like or pandas.Series
        z-spread per bond (decimal), held fixed across scenarios.
    payment_convention : str, default "unadjusted"

    Returns
    -------
    ScenarioPrices

    Notes
    -----
    The z-spread factor ``exp(-s (t_k - t_s))`` does not depend on the scenario, so
    it is folded into each flow once; each scenario's discount factors are computed
    once per distinct payment day. What is left is one gather-multiply-add per flow
    and scenario.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
    ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
    >>> from etfcore.bonds.curves import ZeroCurve
    >>> curve = ZeroCurve("2026-06-15", [1, 5, 10], [0.04, 0.042, 0.045])
    >>> res = reprice_scenarios(bonds, curve.parallel_shocks([-100, 100]), "2026-06-15")
    >>> res.prices.round(3).values.tolist()
    [[108.17, 98.865], [100.725, 99.884]]
    """
    bonds = _check_bonds(bonds)
    cf = _cashflows(bonds, settlement_date, payment_convention)
    s = _bond_decimals(spread, bonds, "spread", SPREAD_LIMIT)
    if not hasattr(scenarios, "discount_days") or not hasattr(scenarios, "base"):
        raise InputError(f"scenarios: expected a CurveScenarios, got {type(scenarios).__name__}")
    _check_curve_date(scenarios, cf, "scenarios' curve")
    _check_curve_date(scenarios.base, cf, "scenarios' base curve")
    days = np.append(cf.unique_days, np.int64(cf.settlement))
    amounts = K.spread_weighted_amounts_nb(
        cf.offsets, cf.amount, cf.dtau, s, K.work_buffers(cf.offsets)[1]
    )
    settle_col = len(days) - 1
    if isinstance(scenarios, CurveScenarios):
        tau = (days - int(scenarios.reference_date)) / 365.0
        i0, i1, c0, c1 = exponent_coefficients(scenarios.tenors, tau, scenarios.interpolation)
        prices = K.price_scenarios_zero_nb(
            cf.offsets, amounts, cf.day_index, scenarios.zero_rates, i0, i1, c0, c1, settle_col
        )
    else:
        df = np.ascontiguousarray(np.asarray(scenarios.discount_days(days), dtype=float))
        if df.ndim != 2:
            raise InputError("scenarios: expected a CurveScenarios (S curves); got one curve")
        prices = K.price_scenarios_nb(cf.offsets, amounts, cf.day_index, df, settle_col)
    base_df = np.asarray(scenarios.base.discount_days(days), dtype=float)[None, :]
    base = K.price_scenarios_nb(cf.offsets, amounts, cf.day_index, base_df, settle_col)[:, 0]
    names = list(getattr(scenarios, "names", range(prices.shape[1])))
    return ScenarioPrices(
        base=pd.Series(base, index=bonds.ids, name="base", copy=False),
        prices=pd.DataFrame(
            prices, index=bonds.ids, columns=pd.Index(names, name="scenario"), copy=False
        ),
    )


@renamed_keywords(bp="bump_bp")
def key_rate_durations(
    bonds: BondSet,
    curve: Any,
    settlement_date: Any,
    spread: Any = 0.0,
    payment_convention: str = "unadjusted",
    bump_bp: float = 1.0,
) -> pd.DataFrame:
    """Key-rate durations at the curve's tenors.

    Parameters
    ----------
    bonds : BondSet
    curve : ZeroCurve
        A curve with knots (``tenors``) and ``key_rate_shocks``; settlement may not
        be before its reference date.
    settlement_date : date-like
    spread : float, array-like or pandas.Series, default 0.0
        z-spread per bond (decimal).
    payment_convention : str, default "unadjusted"
    bump_bp : float, default 1.0
        Size of each knot's bump in basis points, ``0 < bump_bp <= 100`` (formerly
        ``bp``, still accepted with a deprecation warning).

    Returns
    -------
    pandas.DataFrame
        By id, one column per tenor (years): ``-(1/P) dP/dz_j``, the sensitivity
        to the zero rate at knot ``j`` alone; with linear-zero interpolation they
        add up to the effective duration for a parallel zero-rate shift.

    Notes
    -----
    Central differences of ``bump_bp`` basis points at each knot (``2K`` curves,
    priced in one call of the scenario kernel); the truncation error is
    ``O(bump_bp^2)``, the rounding error ``O(1e-16 / bump_bp)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> bonds = BondSet.from_frame(pd.DataFrame({
    ...     "id": ["A", "B"], "coupon_rate": [0.05, 0.04],
    ...     "maturity_date": ["2031-06-15", "2026-11-15"]}))
    >>> from etfcore.bonds.curves import ZeroCurve
    >>> curve = ZeroCurve("2026-06-15", [1, 5, 10], [0.04, 0.042, 0.045])
    >>> key_rate_durations(bonds, curve, "2026-06-15").round(3).values.tolist()
    [[0.224, 4.272, 0.002], [0.419, 0.0, 0.0]]
    """
    bonds = _check_bonds(bonds)
    bump = as_number(bump_bp, "bump_bp")
    if not (np.isfinite(bump) and 0.0 < bump <= MAX_BUMP_BP):
        raise InputError(
            f"bump_bp: {show(bump_bp)} must be a number of basis points with 0 < bump_bp <= "
            f"{MAX_BUMP_BP:g} (1.0 is the usual bump; 0 divides by zero, a huge bump is not "
            "a derivative)"
        )
    if not hasattr(curve, "key_rate_shocks") or not hasattr(curve, "tenors"):
        raise InputError(
            f"curve: expected a ZeroCurve (with tenors and key_rate_shocks), got "
            f"{type(curve).__name__}; for an NSS fit use its zero curve"
        )
    cf = _cashflows(bonds, settlement_date, payment_convention)
    _check_curve_date(curve, cf)
    scen = curve.key_rate_shocks(bump)
    res = reprice_scenarios(bonds, scen, settlement_date, spread, payment_convention)
    p = res.prices.to_numpy()
    k = len(curve.tenors)
    up, down = p[:, :k], p[:, k:]  # key_rate_shocks: K up-shocks, then K down-shocks
    krd = (down - up) / (2.0 * res.base.to_numpy()[:, None] * bump * 1e-4)
    return pd.DataFrame(
        krd, index=bonds.ids, columns=pd.Index(np.asarray(curve.tenors, dtype=float), name="tenor")
    )


# ---------------------------------------------------------------------- callables
#: Default call notice in days: US indentures typically require "not less than 30 nor more
#: than 60 days' notice" of redemption, so a call sooner than 30 days that has not been
#: announced cannot be exercised.
CALL_NOTICE_DAYS = 30


def yield_to_worst(
    bonds: BondSet,
    clean_prices: Any,
    settlement_date: Any,
    payment_convention: str = "unadjusted",
    on_error: str = "raise",
    *,
    yield_convention: str = "street",
    call_notice_days: int = CALL_NOTICE_DAYS,
) -> pd.DataFrame:
    """Yield to worst over each bond's call schedule and its maturity.

    Parameters
    ----------
    bonds : BondSet
        Bonds with call schedules (``calls=`` in :meth:`BondSet.from_frame`); a bond
        without calls has yield to worst = yield to maturity.
    clean_prices : float, array-like or pandas.Series
        Clean prices per 100 face (a Series is aligned by id).
    settlement_date : date-like
    payment_convention : str, default "unadjusted"
    on_error : {"raise", "warn"}
        For the yield to maturity (see :func:`yield_from_price`); a call workout
        whose yield cannot be solved is skipped and reported instead (Notes).
    yield_convention : {"street", "compounded", "treasury_auction"}, default "street"
        Convention of every yield (to maturity and to each call): under
        ``"street"`` a workout one coupon period or less away has the money-market
        yield (see :func:`price_from_yield`).
    call_notice_days : int, default 30
        Days of notice a call needs: call dates before ``settlement_date +
        call_notice_days`` are not workouts. 30 is the usual minimum notice of US
        corporate indentures; 0 makes every call date after settlement a workout.

    Returns
    -------
    pandas.DataFrame
        By id: ``yield_to_worst``, ``workout_date``, ``workout_price``,
        ``yield_to_maturity`` and ``unsolved_workouts`` (the number of call
        workouts skipped because no yield solves their price; 0 normally).

    Notes
    -----
    The workouts of a bond are its maturity (at its redemption price) and each call
    date on or after ``settlement_date + call_notice_days``. A call date inside the
    notice period can no longer be exercised unless it has already been announced,
    and an announced call is a known redemption: give the bond that maturity and
    price instead. At a call workout the bond is treated as redeemed on that date
    at the call price: it keeps the coupons whose accrual ends on or before the call
    date, and a call between coupon dates pays the call price plus the coupon
    accrued since the last coupon date. The yield to each workout uses the same
    convention as the yield to maturity; the worst is the lowest (on a tie the
    maturity, then the earliest call: a call is the workout only if it yields less).

    A call workout whose yield cannot be solved (no yield between -50% and 1,000%
    gives the price; typically a price far above a call price a few weeks away,
    whose yield would be below -50%) is skipped, not fatal: the maturity workout
    always exists, the bond's yield to worst is the lowest over its other
    workouts, and the skip is reported by a :class:`ConvergenceWarning` naming the
    bond, the call date and the price, and in ``unsolved_workouts``. A nonzero count
    means the true worst may be lower than reported. The yield to maturity follows
    ``on_error``: it raises, or with ``"warn"`` gives NaN yields to maturity and to
    worst for that bond.

    Examples
    --------
    >>> import pandas as pd
    >>> from etfcore.bonds.bondset import BondSet
    >>> frame = pd.DataFrame({"id": ["C"], "coupon_rate": [0.06], "maturity_date": ["2034-06-15"]})
    >>> calls = pd.DataFrame({"id": ["C", "C"], "call_date": ["2026-06-25", "2029-06-15"],
    ...                       "call_price": [100.0, 100.0]})
    >>> bonds = BondSet.from_frame(frame, calls=calls)
    >>> w = yield_to_worst(bonds, [104.0], "2026-06-15")  # the 2026-06-25 call is in notice
    >>> f"{w['yield_to_worst'].iloc[0]:.4%} to {w['workout_date'].iloc[0]:%Y-%m-%d}"
    '4.5583% to 2029-06-15'
    """
    bonds = _check_bonds(bonds)
    _check_on_error(on_error)
    code = _yield_convention(yield_convention)
    notice = integer(call_notice_days, "call_notice_days", minimum=0)
    cf = _cashflows(bonds, settlement_date, payment_convention)
    clean = _bond_values(clean_prices, bonds, "clean_prices", positive=True)
    dirty = clean + cf.accrued
    ytm = _yield_analytics(bonds, cf, clean, on_error, False, code)["yield_to_maturity"]
    ytw = ytm.copy()
    w_date = bonds.maturity.copy()
    w_price = bonds.redemption.copy()
    unsolved = np.zeros(len(bonds), dtype=np.int64)
    counts = np.diff(bonds.call_offsets)
    w_bond = np.repeat(np.arange(len(bonds)), counts)
    # a call on or before settlement is past; one inside the notice period cannot be exercised
    keep = bonds.call_dates >= np.int64(cf.settlement) + max(notice, 1)
    w_bond = w_bond[keep]
    if w_bond.size:
        wd = bonds.call_dates[keep]
        wp = bonds.call_prices[keep]
        off, pay, amt, a_s, a_e, r_s, r_e, kind = K.workout_flows_nb(
            cf.offsets,
            bonds.coupon_rate,
            bonds.day_count,
            cf.payment,
            cf.amount,
            cf.accrual_start,
            cf.accrual_end,
            cf.reference_start,
            cf.reference_end,
            cf.kind,
            bonds.redemption,
            w_bond,
            wd,
            wp,
            cf.payment_convention,
            holidays_for(cf.payment_convention),
        )
        dc = bonds.day_count[w_bond]
        t, dt = K.yield_times_nb(off, dc, pay, a_s, r_s, r_e, kind, np.int64(cf.settlement))
        freq = _yield_frequency(bonds)[w_bond]
        y, status, _, _, _ = K.yield_analytics_nb(
            off,
            amt,
            t,
            dt,
            dirty[w_bond],
            freq,
            np.nan_to_num(ytm[w_bond], nan=0.05),
            YIELD_TOL,
            MAX_ITER,
            False,
            code,
        )
        failed = np.flatnonzero(status != K.STATUS_OK)
        if failed.size:
            _report_unsolved_workouts(bonds, w_bond, wd, wp, dirty, status, failed)
            y[failed] = np.nan
            np.add.at(unsolved, w_bond[failed], 1)
        # the lowest call yield per bond (stable sort: the earliest call on a tie; NaN last),
        # the workout if strictly below the yield to maturity
        order = np.lexsort((y, w_bond))
        first = order[np.r_[True, w_bond[order][1:] != w_bond[order][:-1]]]
        better = first[y[first] < ytw[w_bond[first]]]
        ytw[w_bond[better]] = y[better]
        w_date[w_bond[better]] = wd[better]
        w_price[w_bond[better]] = wp[better]
    return pd.DataFrame(
        {
            "yield_to_worst": ytw,
            "workout_date": to_timestamps(w_date),
            "workout_price": w_price,
            "yield_to_maturity": ytm,
            "unsolved_workouts": unsolved,
        },
        index=bonds.ids,
    )


def _report_unsolved_workouts(
    bonds: BondSet,
    w_bond: np.ndarray,
    call_dates: np.ndarray,
    call_prices: np.ndarray,
    dirty: np.ndarray,
    status: np.ndarray,
    failed: np.ndarray,
) -> None:
    """A ConvergenceWarning naming each call workout whose yield has no solution."""
    lines = []
    for j in failed[:50]:
        i = int(w_bond[j])
        lines.append(
            f"row {i} (id {bonds.ids[i]}), call {_day_label(call_dates[j])} at "
            f"{call_prices[j]:g}, dirty price {dirty[i]:.6f}: {_STATUS_TEXT[int(status[j])]}"
        )
    if failed.size > 50:
        lines.append(f"... and {failed.size - 50} more")
    n_bonds = np.unique(w_bond[failed]).size
    warnings.warn(
        f"yield to worst: {failed.size} call workout(s) of {n_bonds} bond(s) have no "
        "solvable yield and were skipped (each bond's yield to worst is over its other "
        "workouts, and counted in 'unsolved_workouts'; a price far above a call price a "
        "few weeks away means a yield to that call below -50%):\n  - " + "\n  - ".join(lines),
        ConvergenceWarning,
        stacklevel=3,
    )


def year_fraction(
    start: Any,
    end: Any,
    day_count: str = "30/360 US",
    reference_start: Any = None,
    reference_end: Any = None,
) -> np.ndarray:
    """Year fractions between dates under a day count (vectorised).

    Parameters
    ----------
    start, end : date-like or array-like of dates
    day_count : str
        A name from :mod:`etfcore.bonds.conventions` (``"ACT/ACT ICMA"``...).
    reference_start, reference_end : date-like, optional
        The coupon period, needed by ACT/ACT ICMA (defaults to ``[start, end]``).

    Returns
    -------
    numpy.ndarray

    Notes
    -----
    Follows QuantLib's day counters (``ActualActual(ISMA)`` for ACT/ACT ICMA,
    ``Thirty360(USA)`` for 30/360 US).

    Examples
    --------
    >>> year_fraction("2026-02-28", "2026-08-31", "30/360 US").round(6).tolist()
    [0.5]
    >>> year_fraction("2026-02-15", "2026-05-15", "ACT/ACT ICMA", "2026-02-15", "2026-08-15")
    array([0.24585635])
    """
    from .dates import to_days

    d1 = np.atleast_1d(to_days(start, "start")).astype(np.int64)
    d2 = np.atleast_1d(to_days(end, "end")).astype(np.int64)
    d1, d2 = np.broadcast_arrays(d1, d2)
    rs = (
        d1
        if reference_start is None
        else np.broadcast_to(np.atleast_1d(to_days(reference_start, "reference_start")), d1.shape)
    )
    re = (
        d2
        if reference_end is None
        else np.broadcast_to(np.atleast_1d(to_days(reference_end, "reference_end")), d1.shape)
    )
    code = np.full(d1.shape, cv.day_count_code(day_count), dtype=np.int64)
    return K.year_fractions_nb(
        np.ascontiguousarray(d1),
        np.ascontiguousarray(d2),
        np.ascontiguousarray(rs, dtype=np.int64),
        np.ascontiguousarray(re, dtype=np.int64),
        code,
    )


__all__ = [
    "ANALYTICS_COLUMNS",
    "CALL_NOTICE_DAYS",
    "YIELD_CONVENTIONS",
    "DiscountCurve",
    "ConvergenceError",
    "ConvergenceWarning",
    "ScenarioPrices",
    "accrued_interest",
    "analytics_from_price",
    "key_rate_durations",
    "price_bonds",
    "price_from_yield",
    "reprice_scenarios",
    "year_fraction",
    "yield_from_price",
    "yield_to_worst",
    "z_spread_from_price",
]
