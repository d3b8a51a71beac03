"""Premium/discount dynamics: simulated with APs at work, and estimated from data.

* :mod:`.simulate` -- the numba Monte Carlo (:func:`simulate_premium`,
  :class:`PremiumSimulation`, named :data:`SCENARIOS`).
* :mod:`.estimate` -- estimation with statsmodels (:func:`premium_discount`,
  :func:`fit_premium` and the estimators behind it).

The layer imports bonds, liquidity, fund and primary, never hedging or trading. Importing
it compiles nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> submodule that defines it (filled in as the submodules land)
_LAZY: dict[str, str] = {}
for _module, _names in (
    (
        "etfcore.dynamics.estimate",
        (
            "premium_discount",
            "fit_premium",
            "fit_ar1",
            "fit_band_tar",
            "fit_flows",
            "fit_vecm",
            "fit_nav_staleness",
            "information_shares",
            "PremiumFit",
            "PersistenceResults",
            "BandTARResults",
            "VECMResults",
            "StalenessResults",
            "FlowResults",
        ),
    ),
    (
        "etfcore.dynamics.simulate",
        (
            "SCENARIOS",
            "simulate_premium",
            "PremiumSimulation",
            "PremiumScenario",
            "CalendarSegment",
        ),
    ),
):
    for _name in _names:
        _LAZY[_name] = _module

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'etfcore.dynamics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
