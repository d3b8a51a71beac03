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

etfcore does not touch ``OMP_WAIT_POLICY`` (importing it has no side effects). numba's
threading layer here is OpenMP, whose idle threads spin for a while after a parallel
kernel returns. Measured on this 2-core machine, loaded by other jobs, with a
200,000-element parallel kernel called 300 times between bits of serial Python: unset
(spinning) 0.41 ms a call and 1.75 s of CPU; ``OMP_WAIT_POLICY=PASSIVE`` 0.50 ms a call
and 1.41 s of CPU. Spinning is faster per call and costs CPU that other processes could
use: set ``OMP_WAIT_POLICY=PASSIVE`` in the environment, before the first parallel call,
when many etfcore processes share a machine.

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
