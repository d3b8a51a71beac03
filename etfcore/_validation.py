"""Boundary checks shared by every layer.

Each check returns the coerced value or raises :class:`~etfcore.InputError` naming the
parameter, the value received and the constraint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import InputError

#: A decimal rate, spread or ratio above this in magnitude is almost surely in percent or bp.
PERCENT_GUARD = 1.0


def show(value: Any) -> str:
    """``repr`` of a value as a user wrote it: ``nan`` and ``4.5``, not ``np.float64(nan)``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    return repr(value)


def as_number(value: Any, name: str) -> float:
    """``value`` as a float, or InputError ``"{name}: {value!r} is not a number"``."""
    if isinstance(value, (bool, np.bool_)):
        raise InputError(f"{name}: {show(value)} is not a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {show(value)} is not a number") from None


def finite(value: Any, name: str) -> float:
    """A finite float."""
    v = as_number(value, name)
    if not np.isfinite(v):
        raise InputError(f"{name}: {show(v)} must be a finite number")
    return v


def non_negative(value: Any, name: str, *, allow_inf: bool = False) -> float:
    """A float >= 0 (finite unless ``allow_inf``: ``inf`` then means "no limit")."""
    v = as_number(value, name)
    if np.isnan(v) or v < 0 or (np.isinf(v) and not allow_inf):
        what = "a number >= 0 (inf for no limit)" if allow_inf else "a finite number >= 0"
        raise InputError(f"{name}: {show(v)} must be {what}")
    return v


def positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """A finite float > 0 (>= 0 with ``allow_zero``)."""
    if allow_zero:
        return non_negative(value, name)
    v = as_number(value, name)
    if not np.isfinite(v) or v <= 0:
        raise InputError(f"{name}: {show(v)} must be a finite number > 0")
    return v


def decimal(
    value: Any,
    name: str,
    *,
    limit: float = PERCENT_GUARD,
    lower: float | None = None,
    upper: float | None = None,
) -> float:
    """A finite decimal rate, spread or ratio, with the "looks like a percentage" check.

    ``|value| > limit`` raises an error that says the value looks like percent or bp
    and how to write it as a decimal (``limit`` is the largest magnitude that is still
    plausible as a decimal for this quantity: 1.0 for yields, 0.05 for an expense
    ratio). ``lower``/``upper`` bound it further (inclusive).
    """
    v = finite(value, name)
    if abs(v) > limit:
        raise InputError(
            f"{name}: {show(v)} looks like a percentage or basis points (the largest "
            f"plausible decimal here is {limit:g}); pass a decimal: 4.5% is 0.045, "
            f"80 bp is 0.008"
        )
    if lower is not None and v < lower:
        raise InputError(f"{name}: {show(v)} must be >= {lower:g}")
    if upper is not None and v > upper:
        raise InputError(f"{name}: {show(v)} must be <= {upper:g}")
    return v


def decimals(
    values: Any,
    name: str,
    *,
    limit: float = PERCENT_GUARD,
    labels: Sequence[Any] | None = None,
    allow_nan: bool = False,
) -> np.ndarray:
    """An array of decimal rates or spreads with the "looks like a percentage" check.

    Errors name the first bad position (or its label, such as a bond id) and how many
    more there are.
    """
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected numbers (decimal rates), got {values!r}") from None
    flat = arr.reshape(-1)
    bad_nan = ~np.isfinite(flat) if not allow_nan else np.isinf(flat)
    bad_big = np.isfinite(flat) & (np.abs(flat) > limit)
    for mask, what in (
        (bad_nan, "must be a finite number"),
        (
            bad_big,
            f"looks like a percentage or basis points (the largest plausible decimal here is "
            f"{limit:g}); pass decimals: 4.5% is 0.045, 80 bp is 0.008",
        ),
    ):
        hits = np.flatnonzero(mask)
        if len(hits):
            i = int(hits[0])
            where = f"{labels[i]}" if labels is not None else f"position {i}"
            more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
            raise InputError(f"{name}: {where} has {show(flat[i])}, which {what}{more}")
    return arr


def choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices`` (strings), else an error listing them."""
    if not isinstance(value, str) or value not in choices:
        raise InputError(f"{name}: {show(value)} is not one of {list(choices)}")
    return value


def check_random_state(rng: Any, name: str = "rng") -> np.random.Generator:
    """A :class:`numpy.random.Generator` from a Generator, an int seed or ``None``.

    ``None`` draws fresh OS entropy (not reproducible); an int seeds a new PCG64
    generator; a Generator is used as it is (and advanced). Anything else, including
    the legacy ``RandomState`` and global ``np.random`` state, is an error.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise InputError(f"{name}: seed {show(rng)} must be >= 0")
        return np.random.default_rng(int(rng))
    raise InputError(
        f"{name}: expected a numpy.random.Generator, an integer seed or None, got {rng!r}; "
        "use np.random.default_rng(seed)"
    )


def integer(value: Any, name: str, *, minimum: int | None = None) -> int:
    """A whole number (``3`` or ``3.0``, not ``3.5`` or ``True``), at least ``minimum``."""
    if isinstance(value, (bool, np.bool_)):
        raise InputError(f"{name}: {show(value)} is not a whole number")
    v = as_number(value, name)
    if not np.isfinite(v) or v != int(v):
        raise InputError(f"{name}: {show(value)} is not a whole number")
    if minimum is not None and v < minimum:
        raise InputError(f"{name}: {int(v)} must be >= {minimum}")
    return int(v)


__all__ = [
    "PERCENT_GUARD",
    "as_number",
    "check_random_state",
    "choice",
    "decimal",
    "decimals",
    "finite",
    "integer",
    "non_negative",
    "positive",
    "show",
]


def per_bond(
    values: Any,
    ids: Any,
    name: str,
    *,
    lower: float | None = None,
    upper: float | None = None,
    positive: bool = False,
    allow_nan: bool = False,
    unknown_ids: str = "error",
    default: float | None = None,
    row_labels: bool = False,
) -> np.ndarray:
    """One float per bond from a scalar, a Series by bond id or an array in bond order.

    Parameters
    ----------
    values : float, pandas.Series or array-like, or None
        A number (every bond gets it), a Series indexed by bond id (aligned to ``ids``;
        every bond needs a value, no id twice) or one value per bond in the order of
        ``ids``. ``None`` gives ``default`` to every bond, or is an error without one.
    ids : pandas.Index or sequence
        The bond ids (a BondSet's ``ids``, a frame's index, a list), in order.
    name : str
        The parameter, for error messages.
    lower, upper : float, optional
        Inclusive bounds every value must meet.
    positive : bool
        Values must be > 0.
    allow_nan : bool
        NaN passes (infinities never do).
    unknown_ids : {"error", "ignore"}
        What to do with Series entries for ids that are not bonds of ``ids``.
    default : float, optional
        The value of every bond when ``values`` is None.
    row_labels : bool, default False
        Name a bad value by its row in ``ids`` and its id (``row 1 (id B): -3.0``, as
        the bond-pricing errors do, so a user can find it in the frame the bonds came
        from) instead of by the id alone (``B: -3.0``).

    Returns
    -------
    numpy.ndarray
        A new contiguous float64 array of ``len(ids)`` values.

    Raises
    ------
    InputError
        Naming the bonds without a value (and how many), ids given twice or unknown,
        a wrong length, non-numbers, and the first bad values with their bond ids.

    Examples
    --------
    >>> import pandas as pd
    >>> per_bond(pd.Series({"B": 2.0, "A": 1.0}), ["A", "B"], "notional_usd").tolist()
    [1.0, 2.0]
    >>> per_bond(3.0, ["A", "B"], "notional_usd").tolist()
    [3.0, 3.0]
    >>> per_bond([1.0, -1.0], ["A", "B"], "notional_usd", lower=0.0)
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: notional_usd: every value must be a finite number >= 0; got B: -1.0
    >>> per_bond([1.0, -1.0], ["A", "B"], "p", positive=True, row_labels=True)
    Traceback (most recent call last):
    ...
    etfcore.errors.InputError: p: every value must be a finite number > 0; got row 1 (id B): -1.0
    """
    import pandas as pd

    index = pd.Index(list(ids)) if not isinstance(ids, pd.Index) else ids
    n = len(index)
    if unknown_ids not in ("error", "ignore"):
        raise InputError(f"unknown_ids: {show(unknown_ids)} is not one of ['error', 'ignore']")
    raw: np.ndarray
    if values is None:
        if default is None:
            raise InputError(f"{name}: required; give one value per bond ({n} bonds)")
        raw = np.full(n, float(default))
        labels: Any = index
    elif isinstance(values, pd.Series) and values.index.equals(index):
        raw = values.to_numpy()  # already aligned (the common case): no reindexing
        labels = index
    elif isinstance(values, pd.Series):
        if values.index.has_duplicates:
            dups = values.index[values.index.duplicated()].unique().tolist()
            raise InputError(f"{name}: bond id(s) {dups[:20]} are given more than once")
        missing = index.difference(values.index, sort=False)
        extra: Any = values.index.difference(index, sort=False) if unknown_ids == "error" else []
        if len(missing) or len(extra):
            parts = []
            if len(missing):
                more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
                parts.append(
                    f"no value for {len(missing)} bond(s): "
                    + ", ".join(str(i) for i in missing[:20])
                    + more
                )
            if len(extra):
                more = f" and {len(extra) - 20} more" if len(extra) > 20 else ""
                parts.append(
                    f"values for {len(extra)} unknown id(s): "
                    + ", ".join(str(i) for i in extra[:20])
                    + more
                )
            raise InputError(
                f"{name}: does not match the bonds ({'; '.join(parts)}); give one value per "
                f"bond, in a Series indexed by bond id ({n} bonds)"
            )
        raw = values.reindex(index).to_numpy()
        labels = index
    elif np.ndim(values) == 0:
        plain = isinstance(values, (int, float, np.integer, np.floating))
        if plain and not isinstance(values, (bool, np.bool_)):
            raw = np.array([values], dtype=float)  # a plain number: no object-dtype parsing
        else:
            raw = np.array([values], dtype=object)
        labels = None
    else:
        raw = np.asarray(values)
        if raw.ndim != 1 or raw.shape[0] != n:
            raise InputError(
                f"{name}: {raw.size} values (shape {raw.shape}) for {n} bonds; give one per "
                "bond in order, or a Series indexed by bond id"
            )
        labels = index
    if raw.dtype.kind in "fiu":
        out = raw.astype(float)
        not_number = np.zeros(out.shape, dtype=bool)
    else:
        as_objects = pd.Series(raw.astype(object), dtype=object)
        out = pd.to_numeric(as_objects, errors="coerce").to_numpy(dtype=float)
        not_number = (np.isnan(out) & ~as_objects.isna().to_numpy()) | np.array(
            [isinstance(v, (bool, np.bool_)) for v in raw.tolist()], dtype=bool
        )
    if not_number.any():
        i = int(np.flatnonzero(not_number)[0])
        if labels is None:
            where = ""
        else:
            where = f" (row {i}, id {labels[i]})" if row_labels else f" (bond {labels[i]})"
        raise InputError(f"{name}: {show(raw[i])}{where} is not a number")
    bad = np.isinf(out) if allow_nan else ~np.isfinite(out)
    if positive:
        bad |= out <= 0
    if lower is not None:
        bad |= out < lower
    if upper is not None:
        bad |= out > upper
    if bad.any():
        rule = ["a number" if allow_nan else "a finite number"]
        if positive:
            rule.append("> 0")
        if lower is not None and upper is not None:
            rule.append(f"in [{lower:g}, {upper:g}]")
        elif lower is not None:
            rule.append(f">= {lower:g}")
        elif upper is not None:
            rule.append(f"<= {upper:g}")
        what = " ".join(rule[:1]) + (" " + " and ".join(rule[1:]) if rule[1:] else "")
        hits = np.flatnonzero(bad)
        if labels is None:
            raise InputError(f"{name}: {show(out[0])} must be {what}")
        shown = ", ".join(
            f"{_bond_label(labels, i, row_labels)}: {show(out[i])}" for i in hits[:20]
        )
        more = f" and {hits.size - 20} more" if hits.size > 20 else ""
        raise InputError(f"{name}: every value must be {what}; got {shown}{more}")
    if labels is None:
        return np.full(n, out[0])
    return np.ascontiguousarray(out)


__all__ += ["per_bond"]


def _bond_label(labels: Any, i: int, row_labels: bool) -> str:
    """``B`` (the id) or, with ``row_labels``, ``row 1 (id B)``."""
    return f"row {i} (id {labels[i]})" if row_labels else f"{labels[i]}"
