"""What every estimate shares: statsmodels' vocabulary over a fitted model.

``params``, ``bse``, ``tvalues``, ``pvalues`` (Series by parameter name), ``conf_int()``
(a DataFrame with ``lower``/``upper``), ``nobs``, the data range, and ``summary()``
built by :func:`etfcore._results.make_summary`. Intervals are normal (large-sample),
as statsmodels reports them for HAC covariances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..._results import frame_copy, make_summary
from ..._validation import as_number, show
from ...errors import ConvergenceError, InputError


def z_value(alpha: float) -> float:
    """Two-sided normal critical value for a ``1 - alpha`` interval."""
    return float(stats.norm.ppf(1.0 - alpha / 2.0))


def check_alpha(alpha: Any) -> float:
    """``alpha`` in (0, 1), else InputError."""
    a = as_number(alpha, "alpha")
    if not 0.0 < a < 1.0:
        raise InputError(f"alpha: {show(alpha)} must be in (0, 1), e.g. 0.05 for 95% intervals")
    return a


def cell(frame: pd.DataFrame, row: Any, column: str) -> float:
    """One number of a frame as a float (typed for mypy)."""
    return float(np.asarray(frame[column].to_numpy())[list(frame.index).index(row)])


def date_text(value: Any) -> str:
    """A date as ``YYYY-MM-DD`` (a position as ``row 5``)."""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return f"row {value}"


def data_range(index: pd.Index) -> str:
    """``"2016-04-28 to 2021-04-27 (1,258 days)"`` for an index of dates."""
    if len(index) == 0:
        return "no data"
    return f"{date_text(index[0])} to {date_text(index[-1])} ({len(index):,} days)"


def need(n: int, minimum: int, what: str, model: str, index: pd.Index) -> None:
    """InputError when ``n`` points are fewer than the ``minimum`` an estimator needs."""
    if n < minimum:
        raise InputError(
            f"{what}: {n} usable observations ({data_range(index)}) are too few for the "
            f"{model}; it needs at least {minimum}"
        )


def converge_error(model: str, index: pd.Index, why: str) -> ConvergenceError:
    """A ConvergenceError naming the model and the data range."""
    return ConvergenceError(f"{model} on {data_range(index)}: {why}")


@dataclass(frozen=True, repr=False, eq=False)
class EstimateResults:
    """Base of the estimate results: statsmodels' names over stored estimates.

    Subclasses fill ``_params`` and ``_bse`` (Series by parameter name) and add their
    own quantities, tables and notes to :meth:`summary`.
    """

    _params: pd.Series
    _bse: pd.Series
    nobs: int
    start: Any
    end: Any
    model_name: str = field(default="", kw_only=True)

    @property
    def params(self) -> pd.Series:
        """The estimated parameters (a copy)."""
        return frame_copy(self._params)

    @property
    def bse(self) -> pd.Series:
        """Standard errors of :attr:`params` (a copy)."""
        return frame_copy(self._bse)

    @property
    def tvalues(self) -> pd.Series:
        """``params / bse``."""
        return self._params / self._bse

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided normal p-values of :attr:`tvalues`."""
        return pd.Series(2 * stats.norm.sf(np.abs(self.tvalues)), index=self._params.index)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Normal ``1 - alpha`` intervals of :attr:`params`: columns ``lower``, ``upper``.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_nav_staleness
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> list(fit_nav_staleness(price, nav).conf_int().columns)
        ['lower', 'upper']
        """
        z = z_value(check_alpha(alpha))
        return pd.DataFrame(
            {"lower": self._params - z * self._bse, "upper": self._params + z * self._bse}
        )

    def _coef_table(self) -> pd.DataFrame:
        ci = self.conf_int()
        return pd.DataFrame(
            {
                "coef": self._params,
                "std_err": self._bse,
                "z": self.tvalues,
                "p_value": self.pvalues,
                "ci_lower": ci["lower"],
                "ci_upper": ci["upper"],
            }
        )

    def _header(self) -> dict[str, Any]:
        return {
            "model": self.model_name,
            "sample": f"{date_text(self.start)} to {date_text(self.end)}",
            "observations": int(self.nobs),
        }

    def _extra_tables(self) -> list[Any]:
        return []

    def _notes(self) -> list[str]:
        return []

    def summary(self) -> Any:
        """A statsmodels ``Summary``: sample, coefficients, the model's own tables, notes.

        Examples
        --------
        >>> from etfcore.dynamics.estimate import fit_vecm
        >>> from etfcore.dynamics.estimate._examples import example_fund
        >>> price, nav, _ = example_fund()
        >>> "alpha[nav]" in str(fit_vecm(price, nav).summary())
        True
        """
        return make_summary(
            self.model_name,
            [self._header(), self._coef_table(), *self._extra_tables()],
            self._notes(),
        )

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: {self.model_name}, {self.nobs:,} obs, "
            f"{date_text(self.start)} to {date_text(self.end)}>"
        )
