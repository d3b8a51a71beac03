"""The one numba policy of etfcore.

Every kernel in the package is compiled through :func:`jit` (serial) or
:func:`pjit` (``parallel=True``). The flags are fixed here and nowhere else:

* ``cache=True`` so that a second Python process loads the compiled binary
  instead of compiling again;
* ``nogil=True`` so that kernels can run from threads;
* ``error_model="numpy"`` so that a division by zero gives ``inf``/``nan``
  instead of raising, as numpy does;
* **no** ``fastmath``: it lets LLVM assume that no value is NaN, which breaks
  the NaN checks that validation relies on.

``OMP_WAIT_POLICY`` defaults to ``PASSIVE`` (see below) so that idle OpenMP
threads sleep instead of spinning between kernel calls.

No eager signatures: they would compile at import time. Kernels compile
lazily at their first call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba

_POLICY: dict[str, Any] = {"cache": True, "nogil": True, "error_model": "numpy"}


def jit(func: Callable | None = None, **overrides: Any) -> Any:
    """Compile ``func`` with the etfcore policy (serial kernel)."""
    if overrides:
        raise TypeError("etfcore kernels use one numba policy; do not override it")
    if func is None:
        return numba.njit(**_POLICY)
    return numba.njit(**_POLICY)(func)


def pjit(func: Callable | None = None, **overrides: Any) -> Any:
    """Compile ``func`` with the etfcore policy and ``parallel=True``."""
    if overrides:
        raise TypeError("etfcore kernels use one numba policy; do not override it")
    if func is None:
        return numba.njit(parallel=True, **_POLICY)
    return numba.njit(parallel=True, **_POLICY)(func)


prange = numba.prange
