"""The AP-decision kernel against its pandas twin (simulate_ap_day) and a brute-force search."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from etfcore.errors import InputError
from etfcore.market import synthetic_market
from etfcore.primary import DEFAULT_AP, AuthorizedParticipant, simulate_ap_day, simulate_ap_days
from etfcore.primary import _kernels as K
from etfcore.primary.band import TERM_COLUMNS, _one_unit_band

CODE = {word: code for code, word in enumerate(K.LIMITED_BY)}


@pytest.fixture(scope="module")
def market():
    return synthetic_market(seed=0)


def kernel_inputs(etf, market, price, aps, regime, horizon_days=1.0):
    """Step the APs one at a time through the pandas twin, recording what each one saw.

    Returns the pandas rows and the kernel's inputs for one path (n_paths = 1).
    """
    mkt = market.with_regime(regime)
    k = len(aps)
    premium = np.empty((1, k))
    terms = np.empty((1, k, 2, 3))
    capacity = np.empty((1, k))
    room = np.empty((1, k))
    unit_value = np.empty((1, k))
    shares0 = np.array([float(etf.shares_outstanding)])
    rows = []
    for j, ap in enumerate(aps):
        nav = etf.nav(mkt, "bid")
        band = _one_unit_band(etf, mkt, ap, horizon_days)
        premium[0, j] = (price / nav - 1.0) * 1e4
        terms[0, j] = band.threshold_terms_bp().loc[["create", "redeem"], list(TERM_COLUMNS)]
        capacity[0, j] = ap.capacity_usd(regime)
        room[0, j] = ap.balance_sheet_limit_usd - ap.inventory_value_usd(mkt)
        unit_value[0, j] = nav * etf.creation_unit_size
        etf, actions = simulate_ap_day(etf, mkt, price, [ap], regime, horizon_days)
        rows.append(actions.iloc[0])
    inputs = (premium, terms, capacity, room, unit_value, shares0, float(etf.creation_unit_size))
    return rows, inputs


def signed(row) -> int:
    return int(row["units"]) * (-1 if row["action"] == "redeem" else 1)


def test_kernel_matches_pandas_on_seeded_random_days(market):
    rng = np.random.default_rng(20261203)
    funds = ["IG_SHORT", "HY"]
    n_checked = 0
    for case in range(8):
        etf = market.etfs[funds[case % 2]]
        regime = ("normal", "stress")[int(rng.integers(2))]
        aps = []
        for j in range(3):
            cap = float(rng.choice([np.inf, rng.uniform(5e6, 300e6)]))
            bal = float(rng.choice([np.inf, rng.uniform(10e6, 500e6)]))
            if not (np.isfinite(cap) or np.isfinite(bal)) and rng.random() < 0.5:
                cap = float(rng.uniform(5e6, 300e6))
            aps.append(
                AuthorizedParticipant(
                    f"AP{j}",
                    cost_bp=float(rng.uniform(0, 5)),
                    capacity_usd_per_day=cap,
                    balance_sheet_limit_usd=bal,
                )
            )
        nav = etf.nav(market.with_regime(regime), "bid")
        price = nav * (1 + rng.uniform(-250, 250) * 1e-4)
        rows, inputs = kernel_inputs(etf, market, price, aps, regime)
        units, limited, status = K.decide_ap_orders_nb(*inputs)
        assert status[0] == K.STATUS_OK
        assert_array_equal(units[0], [signed(r) for r in rows])
        assert_array_equal(limited[0], [CODE[r["limited_by"]] for r in rows])
        # the one-call pandas day agrees with the step-by-step one
        _, day = simulate_ap_day(etf, market, price, aps, regime)
        assert [signed(r) for _, r in day.iterrows()] == [signed(r) for r in rows]
        n_checked += int((units != 0).sum())
    assert n_checked >= 5  # the random days did trade


@pytest.mark.parametrize(
    "premium_bp, ap, expected",
    [
        (0.0, AuthorizedParticipant("in", capacity_usd_per_day=1e8), ""),
        (80.0, AuthorizedParticipant("cap", capacity_usd_per_day=3.5e7), "capacity"),
        (
            -80.0,
            AuthorizedParticipant("bal", capacity_usd_per_day=1e9, balance_sheet_limit_usd=2.5e7),
            "balance_sheet",
        ),
        (60.0, DEFAULT_AP, "impact"),  # no limits of its own: impact stops it
        (
            80.0,
            AuthorizedParticipant("zero", capacity_usd_per_day=1e8, balance_sheet_limit_usd=0.0),
            "balance_sheet",
        ),
    ],
)
def test_kernel_matches_pandas_on_edge_cases(market, premium_bp, ap, expected):
    etf = market.etfs["IG_SHORT"]
    price = etf.nav(market, "bid") * (1 + premium_bp * 1e-4)
    rows, inputs = kernel_inputs(etf, market, price, [ap], "normal")
    units, limited, status = K.decide_ap_orders_nb(*inputs)
    assert status[0] == K.STATUS_OK
    assert rows[0]["limited_by"] == expected
    assert units[0, 0] == signed(rows[0]) and limited[0, 0] == CODE[expected]


def test_kernel_matches_pandas_when_the_fund_runs_out_of_shares(market):
    etf = market.etfs["IG_SHORT"]
    tiny = etf.replace(
        holdings=etf.holdings * 1.2e5 / etf.shares_outstanding, shares_outstanding=120_000
    )  # 2.4 units of 50,000 shares
    ap = AuthorizedParticipant("A", capacity_usd_per_day=1e9)
    price = tiny.nav(market, "bid") * (1 - 300e-4)
    rows, inputs = kernel_inputs(tiny, market, price, [ap, ap.replace(name="B")], "normal")
    units, limited, _ = K.decide_ap_orders_nb(*inputs)
    assert [signed(r) for r in rows] == [-2, 0]
    assert [r["limited_by"] for r in rows] == ["shares", "shares"]
    assert_array_equal(units[0], [-2, 0])
    assert_array_equal(limited[0], [K.LIMIT_SHARES, K.LIMIT_SHARES])


def test_persistent_discount_stops_at_the_last_unit(market):
    etf = market.etfs["IG_SHORT"]
    ap = AuthorizedParticipant("A", capacity_usd_per_day=1e12)
    sim = simulate_ap_days(etf, market, [ap], premium_bp=[-300.0] * 4)
    a = sim.actions
    assert (a["limited_by"] == "shares").all()
    assert sim.etf.shares_outstanding > 0
    assert sim.etf.shares_outstanding <= etf.creation_unit_size  # one unit is left
    assert a["units"].iloc[1:].sum() == 0  # drained on day 0, nothing left to redeem


def test_default_ap_runs_in_simulate_ap_days(market):
    etf = market.etfs["IG_SHORT"]
    sim = simulate_ap_days(etf, market, premium_bp=[0.0, 60.0])  # aps default: DEFAULT_AP
    assert sim.daily["created_units"].iloc[1] > 0
    assert sim.actions["limited_by"].iloc[1] == "impact"
    # the same AP passed explicitly
    again = simulate_ap_days(etf, market, DEFAULT_AP, premium_bp=[0.0, 60.0])
    assert again.daily["created_units"].tolist() == sim.daily["created_units"].tolist()


# ---------------------------------------------------------------------- kernel alone
def brute_force(premium, terms, capacity, room, unit_value, shares, cu):
    """Plain Python: every size from 1 to the cap, APs in order."""
    n_paths, n_aps = premium.shape
    units = np.zeros((n_paths, n_aps), dtype=np.int64)
    limited = np.zeros((n_paths, n_aps), dtype=np.int64)
    for i in range(n_paths):
        s = shares[i]
        for j in range(n_aps):
            p = premium[i, j]

            def th(o, n, i=i, j=j):
                a, f, c = terms[i, j, o]
                return a + f / n + c * math.sqrt(n)

            if p > th(0, 1.0):
                o = 0
            elif p < th(1, 1.0):
                o = 1
            else:
                continue
            caps = [
                (np.floor(capacity[i, j] / unit_value[i, j] + 1e-12), K.LIMIT_CAPACITY),
                (np.floor(max(room[i, j], 0.0) / unit_value[i, j] + 1e-12), K.LIMIT_BALANCE_SHEET),
            ]
            if o == 1:
                caps.append((np.ceil(s / cu) - 1.0, K.LIMIT_SHARES))
            n_cap, lim = caps[0]
            for value, code in caps[1:]:
                if value < n_cap:
                    n_cap, lim = value, code
            best = 0
            for n in range(1, int(n_cap) + 1):
                pays = p > th(0, float(n)) if o == 0 else p < th(1, float(n))
                if pays:
                    best = n
            limited[i, j] = lim if best == n_cap else K.LIMIT_IMPACT
            units[i, j] = best if o == 0 else -best
            s += best * cu if o == 0 else -best * cu
    return units, limited


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_paths=st.integers(1, 6),
    n_aps=st.integers(1, 4),
    fixed_zero=st.booleans(),
)
def test_kernel_matches_brute_force(seed, n_paths, n_aps, fixed_zero):
    rng = np.random.default_rng(seed)
    shape = (n_paths, n_aps)
    create = np.stack(
        [
            rng.uniform(-5, 40, shape),
            np.zeros(shape) if fixed_zero else rng.uniform(0, 3, shape),
            rng.uniform(0, 4, shape),
        ],
        axis=-1,
    )
    redeem = -np.stack(
        [rng.uniform(-5, 40, shape), rng.uniform(0, 3, shape), rng.uniform(0, 4, shape)], axis=-1
    )
    terms = np.ascontiguousarray(np.stack([create, redeem], axis=2))
    premium = rng.uniform(-120, 120, shape)
    unit_value = rng.uniform(5e6, 1.2e7, shape)
    capacity = unit_value * rng.integers(0, 60, shape) + rng.uniform(0, 1e6, shape)
    room = np.where(rng.random(shape) < 0.3, np.inf, unit_value * rng.uniform(-2, 60, shape))
    cu = 50_000.0
    shares = cu * rng.uniform(0.5, 40, n_paths)
    got = K.decide_ap_orders_nb(premium, terms, capacity, room, unit_value, shares, cu)
    units, limited = brute_force(premium, terms, capacity, room, unit_value, shares, cu)
    assert_array_equal(got[0], units)
    assert_array_equal(got[1], limited)
    assert (got[2] == K.STATUS_OK).all()


def test_kernel_status_codes():
    one = np.ones((1, 1))
    terms = np.zeros((1, 1, 2, 3))
    terms[0, 0, 0] = [10.0, 0.5, 0.0]  # no impact
    terms[0, 0, 1] = [-10.0, -0.5, 0.0]
    inf = np.full((1, 1), np.inf)
    units, _, status = K.decide_ap_orders_nb(
        one * 50.0, terms, inf, inf, one * 1e7, np.array([1e7]), 1e5
    )
    assert status[0] == K.STATUS_UNBOUNDED and units[0, 0] == 0
    _, _, status = K.decide_ap_orders_nb(
        one * np.nan, terms, inf, inf, one * 1e7, np.array([1e7]), 1e5
    )
    assert status[0] == K.STATUS_BAD_INPUT
    _, _, status = K.decide_ap_orders_nb(one, terms, inf, inf, one * 0.0, np.array([1e7]), 1e5)
    assert status[0] == K.STATUS_BAD_INPUT


def test_pandas_twin_refuses_an_order_without_size(market, monkeypatch):
    """The twin raises where the kernel returns STATUS_UNBOUNDED."""
    from etfcore.primary import _liquidity

    etf = market.etfs["IG_SHORT"]
    monkeypatch.setattr(_liquidity, "etf_cost_bp", lambda *a: (1.0, 0.0))
    monkeypatch.setattr(
        _liquidity, "bond_impact_bp", lambda m, b, q, r, positions=None: np.zeros(len(b))
    )
    monkeypatch.setattr(_liquidity, "bond_impact_at", lambda m, pos, q, r: np.zeros(len(pos)))
    price = etf.nav(market, "bid") * 1.01
    with pytest.raises(InputError, match="the order has no size"):
        simulate_ap_day(etf, market, price, DEFAULT_AP)
