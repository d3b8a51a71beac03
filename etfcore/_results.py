"""What every results object shares: one ``summary()`` type and frames formatted for people.

Convention (one for the whole package): ``summary()`` returns a statsmodels
:class:`~statsmodels.iolib.summary2.Summary`, which prints as aligned text and renders
as an HTML table in Jupyter. Its tables are pre-formatted by column unit, so bp and USD
side by side never push pandas into scientific notation, and ``-0.00`` never shows.
``to_frame()`` methods return copies, so a frozen result cannot be changed through them.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # statsmodels costs ~0.15 s to import: loaded at the first summary()
    from statsmodels.iolib.summary2 import Summary


@functools.cache
def _summary_class() -> type:
    """Statsmodels' ``summary2.Summary`` whose tables keep their own widths in text.

    statsmodels pads every table to the widest one, which spreads a two-column table
    across the page; here each table is printed at its natural width and the rules and
    title span the widest. HTML rendering (Jupyter) is statsmodels' own.
    """
    from statsmodels.iolib import summary2

    class Summary(summary2.Summary):
        __doc__ = _summary_class.__doc__

        def as_text(self) -> str:
            """The summary as aligned text: title, tables, notes."""
            tables = [t.as_text() for t in summary2._simple_tables(self.tables, self.settings)]
            lines = "\n".join(tables).split("\n") if tables else []
            widest = max([len(x) for x in lines] + [len(self.title or ""), 40])
            body = [ln if not set(ln) <= {"=", "-"} else ln[0] * widest for ln in lines if ln]
            # each table's first and last rule becomes a thin rule; the whole gets "=" rules
            body = [("-" * widest if set(ln) <= {"="} else ln) for ln in body]
            title = (self.title or "").center(widest).rstrip()
            notes = "\n".join(textwrap.fill(x, widest) for x in self.extra_txt)
            rule = "=" * widest
            while body and set(body[0]) <= {"-"}:
                body = body[1:]
            while body and set(body[-1]) <= {"-"}:
                body = body[:-1]
            return "\n".join([title, rule, *body, rule, notes]).rstrip()

    Summary.__module__ = __name__
    return Summary


def _fmt_number(x: Any, digits: int, thousands: bool = True) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}" if thousands else str(int(x))
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if not np.isfinite(v):
            return str(v)
        text = f"{v:,.{digits}f}" if thousands else f"{v:.{digits}f}"
        if text.startswith("-") and float(text.replace(",", "")) == 0.0:
            text = text[1:]
        return text
    if isinstance(x, pd.Timestamp):
        return f"{x:%Y-%m-%d}"
    return str(x)


def digits_for(name: str, values: pd.Series) -> int:
    """Decimals to show for a column, from the unit in its name (``_usd``, ``_bp``...)."""
    name = str(name)
    if name.endswith(("_usd", "_shares", "_units")) or name in ("shares", "units", "n_bonds"):
        return 0
    if name.endswith("_bp"):
        return 2
    if name.endswith(("_pct", "_years", "_days")):
        return 2
    finite = values[np.isfinite(pd.to_numeric(values, errors="coerce"))]
    if len(finite) and (finite.abs() >= 1000).all():
        return 0
    return 4


def format_frame(frame: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """A copy of ``frame`` as strings, each column formatted by the unit in its name.

    Columns ending in ``_usd`` show whole dollars with thousands separators, ``_bp`` two
    decimals, integers as integers; other floats four decimals (none if every value is
    1,000 or more). A Series becomes a one-column frame (its name, or ``value``); with a
    non-numeric index per row (a Series of mixed quantities), the unit is read from the
    row label instead of the column.
    """
    if isinstance(frame, pd.Series):
        series = frame
        rows = [
            _fmt_number(v, digits_for(str(k), pd.Series([v], dtype=object).pipe(_numeric)))
            for k, v in series.items()
        ]
        return pd.DataFrame({series.name or "value": rows}, index=series.index.astype(str))
    out = pd.DataFrame(
        index=frame.index.astype(str) if frame.index.dtype == object else frame.index
    )
    for col in frame.columns:
        values = frame[col]
        digits = digits_for(str(col), _numeric(values))
        out[str(col)] = [_fmt_number(v, digits) for v in values.to_numpy()]
    if not isinstance(out.index, pd.RangeIndex):
        out.index = [_fmt_number(v, 0, thousands=False) for v in out.index]
    return out


def _numeric(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float)


def make_summary(
    title: str,
    tables: Iterable[pd.DataFrame | pd.Series | Mapping[str, Any]] = (),
    notes: Iterable[str] = (),
) -> Summary:
    """One statsmodels ``Summary``: a title, tables formatted by unit, and notes.

    Parameters
    ----------
    title : str
        First line of the summary.
    tables : iterable of DataFrame, Series or dict
        Each becomes one table; a dict is a column of ``name: value`` pairs.
    notes : iterable of str
        Lines printed under the tables (conventions, units, sources).

    Examples
    --------
    >>> import pandas as pd
    >>> s = make_summary("Band", [pd.DataFrame({"create_bp": [26.9]}, index=["threshold"])])
    >>> "26.90" in str(s)
    True
    """
    out = _summary_class()()
    out.add_title(title)
    for table in tables:
        if isinstance(table, Mapping):
            table = pd.Series(dict(table), dtype=object)
        out.add_df(format_frame(table), index=True, header=not isinstance(table, pd.Series))
    for note in notes:
        out.add_text(note)
    return out


def frame_copy(frame: pd.DataFrame | pd.Series) -> Any:
    """A deep copy of ``frame``, so a frozen result's tables cannot be changed through it."""
    return frame.copy(deep=True)


__all__ = ["digits_for", "format_frame", "frame_copy", "make_summary"]
