"""Cold start of a fresh Python process: ``import etfcore``, then a first ``price_bonds``.

Run by ``bench_bonds.py`` in a subprocess (``python benchmarks/cold_start.py INPUTS.npz``);
prints one JSON object of timings in seconds. ``INPUTS.npz`` holds plain arrays (bond ids,
coupons, dates as day numbers, the curve's knots, z-spreads, the settlement day), written by
``bench_bonds.write_cold_start_inputs``. Whether numba's cache is warm is up to the caller
(``NUMBA_CACHE_DIR`` pointing at a fresh directory makes it cold).

Steps, each timed with ``time.perf_counter``:

1. ``import etfcore`` (must not import numba, compile anything, or take 1 s);
2. load the inputs: numpy and pandas imports, a DataFrame of the bonds;
3. the first call: ``BondSet.from_frame`` + ``ZeroCurve`` + ``price_bonds`` (schedules,
   prices, yields, risk): numba loads every kernel it needs from its cache, or compiles it;
4. the same again on a new BondSet (steady state, for comparison).
"""

from __future__ import annotations

import json
import sys
import time


def main(path: str) -> dict:
    t0 = time.perf_counter()
    import etfcore

    t1 = time.perf_counter()
    modules_after_import = sorted(
        m for m in ("numba", "pandas", "numpy", "scipy") if m in sys.modules
    )
    import numpy as np
    import pandas as pd

    data = np.load(path)
    frame = pd.DataFrame(
        {
            "id": data["ids"].astype(str),
            "coupon_rate": data["coupon_rate"],
            "maturity_date": data["maturity"].astype("datetime64[D]"),
            "issue_date": data["issue"].astype("datetime64[D]"),
        }
    )
    settlement = int(data["settlement"])
    spread = data["spread"]
    t2 = time.perf_counter()

    def first_call():
        bonds = etfcore.BondSet.from_frame(frame)
        curve = etfcore.ZeroCurve(int(data["reference_date"]), data["tenors"], data["zero_rates"])
        return etfcore.price_bonds(bonds, curve, settlement, spread)

    result = first_call()
    t3 = time.perf_counter()
    again = first_call()
    t4 = time.perf_counter()
    if not np.allclose(result.to_numpy(), again.to_numpy(), rtol=0, atol=1e-12):
        raise AssertionError("the second call gave different prices")
    return {
        "import_etfcore": t1 - t0,
        "modules_after_import": modules_after_import,
        "load_inputs": t2 - t1,
        "first_call": t3 - t2,
        "second_call": t4 - t3,
        "n_bonds": len(frame),
        "clean_price_sum": float(result["clean_price"].sum()),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
