"""numba kernels of the fund layer.

Contract: contiguous ``float64`` / ``int64`` arrays and scalars only; no pandas,
strings or Python objects. Cash flows come as the bond layer's CSR arrays (bond
``i`` owns flows ``offsets[i]:offsets[i + 1]``; ``day_index`` maps each flow to a
distinct payment day).
"""

from __future__ import annotations

import numpy as np

from .._jit import jit


@jit
def ladder_nb(offsets, amount, day_index, n_days, weights):
    """Aggregate flows into a cash-flow ladder per distinct day: ``(n_sides, n_days)``.

    ``ladder[s, u] = sum over flows k paid on day u of weights[i(k), s] * amount[k]``,
    where ``i(k)`` is the bond that pays flow ``k``. With ``weights`` = par / 100 times
    the side's price factor, the value of a whole portfolio on side ``s`` is
    ``ladder[s] @ DF / DF(settlement)``: one dot product per curve.
    """
    n = offsets.shape[0] - 1
    n_sides = weights.shape[1]
    out = np.zeros((n_sides, n_days))
    for i in range(n):
        for k in range(offsets[i], offsets[i + 1]):
            u = day_index[k]
            a = amount[k]
            for s in range(n_sides):
                out[s, u] += weights[i, s] * a
    return out
