"""Estimate premium/discount dynamics from ETF prices, NAV and shares outstanding.

statsmodels does the estimation (OLS with HAC errors, ``VECM``, ``coint_johansen``);
each estimator returns a results object in statsmodels' vocabulary (``params``, ``bse``,
``pvalues``, ``conf_int()``, ``summary()``).

* :func:`premium_discount` -- the premium in bp (close or bid/ask midpoint vs NAV).
* :func:`fit_ar1` -- AR(1) / Ornstein-Uhlenbeck persistence and half-life, by period.
* :func:`fit_band_tar` -- the band as a three-regime threshold AR (grid search).
* :func:`fit_flows` -- flows on the lagged premium, HAC errors.
* :func:`fit_vecm` -- cointegration, VECM, Hasbrouck and Gonzalo-Granger shares.
* :func:`fit_nav_staleness` -- NAV staleness and the split of a premium.
* :func:`fit_premium` -- all of them at once (:class:`PremiumFit`).
"""

from ._series import premium_discount
from .cointegration import VECMResults, fit_vecm, information_shares
from .fit import PremiumFit, fit_premium
from .flows import FlowResults, fit_flows
from .persistence import PersistenceResults, fit_ar1
from .staleness import StalenessResults, fit_nav_staleness
from .threshold import BandTARResults, fit_band_tar

__all__ = [
    "BandTARResults",
    "FlowResults",
    "PersistenceResults",
    "PremiumFit",
    "StalenessResults",
    "VECMResults",
    "fit_ar1",
    "fit_band_tar",
    "fit_flows",
    "fit_nav_staleness",
    "fit_premium",
    "fit_vecm",
    "information_shares",
    "premium_discount",
]
