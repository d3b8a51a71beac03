"""numba kernels behind :mod:`etfcore.bonds.curves`.

Contract: every kernel takes contiguous ``float64`` / ``int64`` numpy arrays and
scalars, never pandas objects, strings or Python objects. Times are year
fractions, rates are decimals. Output arrays are allocated by the caller and
filled in place, so that a caller can reuse a buffer across calls.

The exponential here is a polynomial one (:func:`exp_inplace_nb`) that LLVM can
vectorise: this numba build has no SVML, so ``math.exp`` runs one value at a
time (about 5 ns) while the polynomial runs at about 2 ns a value on
this machine's AVX2 (1.5 ns of it the reduction and the polynomial). Its error
against ``numpy.exp`` is a few units in the last place (checked in
``tests/test_curves.py``). Inputs below -708 are clamped to -708 (a discount
factor of 3e-308 instead of a smaller one) and above 709 to 709; NaN stays NaN.
"""

from __future__ import annotations

import numpy as np

from .._jit import jit, pjit, prange

# Cody-Waite split of ln 2 (fdlibm's constants): k * _LN2_HI is exact for |k| < 2**11.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
# Adding 1.5 * 2**52 rounds a double of magnitude < 2**51 to an integer and leaves
# that integer in the low bits of the result.
_SHIFTER = 6755399441055744.0
_SHIFTER_BITS = np.int64(0x4338000000000000)
_EXP_BIAS = np.int64(1023)

# Taylor coefficients 1/n! for n = 2..12: on |r| <= ln(2)/2 the truncation error is
# below 2e-16 relative.
_C2 = 1.0 / 2.0
_C3 = 1.0 / 6.0
_C4 = 1.0 / 24.0
_C5 = 1.0 / 120.0
_C6 = 1.0 / 720.0
_C7 = 1.0 / 5040.0
_C8 = 1.0 / 40320.0
_C9 = 1.0 / 362880.0
_C10 = 1.0 / 3628800.0
_C11 = 1.0 / 39916800.0
_C12 = 1.0 / 479001600.0


@jit
def exp_inplace_nb(x, scratch):
    """Replace ``x`` by ``exp(x)``; ``scratch`` is an int64 buffer of the same length."""
    n = x.shape[0]
    kf = scratch.view(np.float64)
    for i in range(n):
        v = x[i]
        # written so that NaN passes through both clamps
        v = -708.0 if v < -708.0 else v
        v = 709.0 if v > 709.0 else v
        shifted = v * _INV_LN2 + _SHIFTER
        k = shifted - _SHIFTER
        r = (v - k * _LN2_HI) - k * _LN2_LO
        # Estrin's scheme: a shorter dependency chain than Horner's, so more values
        # are in flight at once.
        r2 = r * r
        r4 = r2 * r2
        r8 = r4 * r4
        b0 = (1.0 + r) + r2 * (_C2 + _C3 * r)
        b1 = (_C4 + _C5 * r) + r2 * (_C6 + _C7 * r)
        b2 = (_C8 + _C9 * r) + r2 * (_C10 + _C11 * r)
        p = b0 + r4 * b1 + r8 * (b2 + r4 * _C12)
        x[i] = p
        kf[i] = shifted
    for i in range(n):
        scratch[i] = (scratch[i] - _SHIFTER_BITS + _EXP_BIAS) << 52
    for i in range(n):
        x[i] *= kf[i]


@pjit
def scenario_discount_nb(zero_rates, index0, index1, coef0, coef1, out):
    """Discount factors for many curves on one tenor grid.

    ``out[s, u] = exp(coef0[u] * zero_rates[s, index0[u]] + coef1[u] * zero_rates[s, index1[u]])``

    The interpolation (weights, the minus sign and the time) is folded into
    ``coef0``/``coef1`` by the caller, once for all scenarios.
    """
    n_scenarios = zero_rates.shape[0]
    n_points = index0.shape[0]
    for s in prange(n_scenarios):
        z = zero_rates[s]
        row = out[s]
        for u in range(n_points):
            row[u] = coef0[u] * z[index0[u]] + coef1[u] * z[index1[u]]
        scratch = np.empty(n_points, dtype=np.int64)
        exp_inplace_nb(row, scratch)
