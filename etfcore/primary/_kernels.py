"""numba kernels of the primary market: the AP decision.

Contract (every kernel here):

* inputs are contiguous float64 / int64 numpy arrays and Python scalars; no pandas,
  strings or objects; orders are int constants (``CREATE = 0``, ``REDEEM = 1``), and
  what stopped an AP is an int code (:data:`LIMITED_BY` gives the words);
* kernels allocate their outputs and return them with an int status per path
  (:data:`STATUS_OK` ...); the Python caller turns a status into an ``InputError``;
* compiled through :func:`etfcore._jit.jit` (``cache=True``, ``nogil``, numpy error
  model, no fastmath); helpers live in this file so the cache never goes stale;
* the pandas twin is :func:`etfcore.primary.simulate_ap_day` (same decisions: tested on
  seeded random inputs and edge cases in ``tests/test_ap_kernel.py``).
"""

from __future__ import annotations

import math

import numpy as np

from .._jit import jit

#: Order codes (axis 2 of ``terms_bp``).
CREATE = 0
REDEEM = 1
#: ``limited_by`` codes: what stopped an AP from trading more.
LIMIT_NONE = 0  # inside its band: it did not want to trade
LIMIT_CAPACITY = 1
LIMIT_BALANCE_SHEET = 2
LIMIT_SHARES = 3  # a redemption leaves the fund at least one share
LIMIT_IMPACT = 4  # one more unit would not pay (size-scaled band)
#: The words of the ``limited_by`` codes, as :func:`simulate_ap_day` reports them.
LIMITED_BY = ("", "capacity", "balance_sheet", "shares", "impact")
#: Status codes, one per path.
STATUS_OK = 0
STATUS_BAD_INPUT = 1  # a non-finite premium or term, or a unit value <= 0
STATUS_UNBOUNDED = 2  # no capacity, balance-sheet or share limit and no impact: no size


@jit
def _impact_bound_nb(premium: float, a: float, f: float, c: float) -> float:
    """An upper bound on the order sizes that pay, from the square-root term alone.

    For ``premium > a + f / n + c sqrt(n)`` with ``c > 0``: since ``f / n >= min(f, 0)``
    for ``n >= 1``, ``sqrt(n) < (premium - a - min(f, 0)) / c``. ``inf`` for ``c <= 0``.
    """
    if c <= 0.0:
        return math.inf
    d = premium - a - min(f, 0.0)
    if d <= 0.0:
        return 0.0
    return np.floor((d / c) ** 2) + 2.0


@jit
def _largest_units_nb(premium: float, a: float, f: float, c: float, n_top: float) -> float:
    """Largest whole ``n`` in ``[1, n_top]`` with ``premium > a + f / n + c sqrt(n)``, else 0.

    ``a + f / n + c sqrt(n)`` is convex in ``n`` for ``f, c >= 0`` (falling to its
    minimum at ``n* = (2 f / c)^(2/3)``, rising after), so the sizes that pay form one
    interval: scan down from ``n_top`` and stop at the first size that pays, or at
    ``n*`` (everything smaller costs more).
    """
    if n_top < 1.0:
        return 0.0
    if c > 0.0 and f > 0.0:
        n_star = (2.0 * f / c) ** (2.0 / 3.0)
    elif c > 0.0:
        n_star = 0.0  # rising everywhere: scan down until one pays
    else:
        n_star = math.inf  # falling everywhere: only the largest size can pay
    n = n_top
    while n >= 1.0:
        th = a + f / n + c * math.sqrt(n)
        if premium > th:
            return n
        if n <= n_star:
            return 0.0
        n -= 1.0
    return 0.0


@jit
def decide_ap_orders_nb(
    premium_bp: np.ndarray,
    terms_bp: np.ndarray,
    capacity_usd: np.ndarray,
    room_usd: np.ndarray,
    unit_value_usd: np.ndarray,
    shares_outstanding: np.ndarray,
    creation_unit_size: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How many whole creation units each AP creates (+) or redeems (-), on many paths.

    Parameters
    ----------
    premium_bp : float64 (n_paths, n_aps)
        The ETF's premium to official NAV each AP sees when its turn comes, bp.
    terms_bp : float64 (n_paths, n_aps, 2, 3)
        Each AP's one-unit band by order (``CREATE``, ``REDEEM``) split as
        ``[size_free, fixed, sqrt]`` (:meth:`ArbitrageBand.threshold_terms_bp`):
        the threshold at ``n`` units is ``a + f / n + c sqrt(n)``.
    capacity_usd : float64 (n_paths, n_aps)
        Capacity left today (regime applied), USD; ``inf`` for none.
    room_usd : float64 (n_paths, n_aps)
        Balance-sheet room (limit minus inventory value), USD; ``inf`` for none.
    unit_value_usd : float64 (n_paths, n_aps)
        Official NAV x creation unit size when the AP acts, USD (> 0).
    shares_outstanding : float64 (n_paths,)
        Shares before the first AP acts; updated as the APs act in order.
    creation_unit_size : float
        Shares per creation unit.

    Returns
    -------
    units : int64 (n_paths, n_aps)
        Units created (> 0) or redeemed (< 0), 0 for none.
    limited_by : int64 (n_paths, n_aps)
        ``LIMIT_*`` code: the cap that bound (``LIMIT_NONE`` inside the band).
    status : int64 (n_paths,)
        ``STATUS_OK``, or the first problem met on the path (its APs then do nothing).

    Notes
    -----
    APs act in order. Each creates when its premium beats its one-unit creation
    threshold, redeems when it is below the redemption one, and trades the largest
    ``n <= n_cap`` whose size-scaled threshold still pays, with ``n_cap = min(
    floor(capacity / unit value), floor(max(room, 0) / unit value),
    ceil(shares / unit size) - 1 (redemptions))``, each floor with a 1e-12 guard, the
    first cap in that order that is smallest naming ``limited_by``; ``LIMIT_IMPACT``
    when ``n < n_cap``. Same arithmetic, in the same order, as the pandas twin.
    """
    n_paths, n_aps = premium_bp.shape
    units = np.zeros((n_paths, n_aps), dtype=np.int64)
    limited = np.zeros((n_paths, n_aps), dtype=np.int64)
    status = np.zeros(n_paths, dtype=np.int64)
    cu = creation_unit_size
    for i in range(n_paths):
        shares = shares_outstanding[i]
        for j in range(n_aps):
            p = premium_bp[i, j]
            uv = unit_value_usd[i, j]
            ok = math.isfinite(p) and math.isfinite(uv) and uv > 0.0
            for o in range(2):
                for t in range(3):
                    ok = ok and math.isfinite(terms_bp[i, j, o, t])
            if not ok:
                status[i] = STATUS_BAD_INPUT
                break
            ca, cf, cc = terms_bp[i, j, 0, 0], terms_bp[i, j, 0, 1], terms_bp[i, j, 0, 2]
            ra, rf, rc = terms_bp[i, j, 1, 0], terms_bp[i, j, 1, 1], terms_bp[i, j, 1, 2]
            if p > ca + cf / 1.0 + cc * math.sqrt(1.0):
                order = CREATE
                # work in "create" form: the redemption test p < th is -p > -th, exactly
                q, a, f, c = p, ca, cf, cc
            elif p < ra + rf / 1.0 + rc * math.sqrt(1.0):
                order = REDEEM
                q, a, f, c = -p, -ra, -rf, -rc
            else:
                continue
            n_cap = np.floor(capacity_usd[i, j] / uv + 1e-12)
            lim = LIMIT_CAPACITY
            by_balance = np.floor(max(room_usd[i, j], 0.0) / uv + 1e-12)
            if by_balance < n_cap:
                n_cap, lim = by_balance, LIMIT_BALANCE_SHEET
            if order == REDEEM:
                by_shares = np.ceil(shares / cu) - 1.0
                if by_shares < n_cap:
                    n_cap, lim = by_shares, LIMIT_SHARES
            n_top = min(n_cap, _impact_bound_nb(q, a, f, c))
            if not math.isfinite(n_top):
                status[i] = STATUS_UNBOUNDED
                break
            n = _largest_units_nb(q, a, f, c, n_top)
            limited[i, j] = lim if n == n_cap else LIMIT_IMPACT
            if n >= 1.0:
                if order == CREATE:
                    units[i, j] = np.int64(n)
                    shares += n * cu
                else:
                    units[i, j] = -np.int64(n)
                    shares -= n * cu
    return units, limited, status


__all__ = [
    "CREATE",
    "LIMITED_BY",
    "LIMIT_BALANCE_SHEET",
    "LIMIT_CAPACITY",
    "LIMIT_IMPACT",
    "LIMIT_NONE",
    "LIMIT_SHARES",
    "REDEEM",
    "STATUS_BAD_INPUT",
    "STATUS_OK",
    "STATUS_UNBOUNDED",
    "decide_ap_orders_nb",
]
