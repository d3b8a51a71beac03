"""The premium/discount Monte Carlo: APs at work around a stale NAV.

* :func:`simulate_premium` -> :class:`PremiumSimulation` (numba kernel
  :func:`etfcore.dynamics._kernels.simulate_paths_nb`, parallel over paths);
* :data:`SCENARIOS` -- named :class:`PremiumScenario` objects (``calm``, ``taper_2013``,
  ``march_2020``, ``fed_backstop_2020``), frozen dataclasses to copy and change with
  :func:`dataclasses.replace`; :class:`CalendarSegment` describes an episode's days.
"""

from __future__ import annotations

from .scenarios import SCENARIOS, CalendarSegment, PremiumScenario, check_scenario
from .simulation import DEFAULT_QUANTILES, PremiumSimulation, draw_shocks, simulate_premium

__all__ = [
    "DEFAULT_QUANTILES",
    "SCENARIOS",
    "CalendarSegment",
    "PremiumScenario",
    "PremiumSimulation",
    "check_scenario",
    "draw_shocks",
    "simulate_premium",
]
