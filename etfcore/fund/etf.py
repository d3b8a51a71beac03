"""The ETF: holdings, cash, liabilities and shares; NAV on the bid, mid and ask side."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import non_negative
from ..bonds import _kernels as bond_kernels
from ..bonds.bondset import BondSet
from ..bonds.curves import CurveScenarios, exponent_coefficients
from ..bonds.dates import to_timestamps
from ..errors import InputError
from ..state import MarketState
from . import _kernels as K

SIDES = ("bid", "mid", "ask")
_SIDE_INDEX = {s: i for i, s in enumerate(SIDES)}


def check_side(side: Any) -> int:
    """Position of ``side`` in (bid, mid, ask); InputError for anything else."""
    if side not in _SIDE_INDEX:
        raise InputError(f"side: unknown side {side!r}; use one of {list(SIDES)}")
    return _SIDE_INDEX[side]


@dataclass(frozen=True)
class CreationFees:
    """What an Authorized Participant pays the fund per creation or redemption order.

    Parameters
    ----------
    fixed_usd : float
        Transaction fee per order, whatever its size (US bond ETFs: a few hundred
        dollars).
    in_kind_bp : float
        Variable charge on the value delivered in kind, bp.
    cash_bp : float
        Variable charge on the value delivered in cash (cash orders and cash-in-lieu),
        covering the fund's own trading costs, bp.
    custom_bp : float
        Extra variable charge on custom-basket orders, bp.

    Notes
    -----
    Issuers publish a fixed fee per order plus variable charges of up to a few percent
    for cash or custom orders (DESIGN.md, "The primary market").
    """

    fixed_usd: float = 500.0
    in_kind_bp: float = 0.0
    cash_bp: float = 10.0
    custom_bp: float = 3.0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, non_negative(getattr(self, f.name), f.name))


@dataclass(frozen=True, eq=False, repr=False)
class ETF:
    """A bond ETF: what it holds, what it owes, and how many shares share it.

    Immutable: operations (creations, redemptions, expense accrual, income) return a
    new ETF.

    Parameters
    ----------
    name : str
    holdings : pandas.Series
        Par (face) amount held of each bond, USD, indexed by bond id.
    shares_outstanding : float
    creation_unit_size : int, default 100,000
        Shares per creation unit.
    cash_usd, receivables_usd, liabilities_usd, accrued_expenses_usd : float
        Cash, amounts receivable (coupons, sales pending settlement), amounts payable
        (purchases pending, declared distributions) and management fees accrued but
        not yet paid.
    expense_ratio : float, default 0.0014
        Annual expense ratio, decimal (14 bp).
    fees : CreationFees
    adv_shares : float
        Average daily secondary-market volume, shares.
    quoted_spread_bp : float
        The ETF's own quoted bid-ask spread on exchange, bp of price.
    description : str
    distributions_payable_usd : float
        The part of ``liabilities_usd`` that is distributions declared (gone ex) but not
        yet paid; see :func:`etfcore.fund.income.declare_distribution`.

    Notes
    -----
    ``NAV per share = (sum(par x (clean + accrued) / 100) + cash + receivables -
    liabilities - accrued expenses) / shares``. The official NAV of US bond ETFs uses
    bid-side evaluated prices (:meth:`official_nav`); :meth:`nav` gives any side.
    """

    name: str
    holdings: pd.Series
    shares_outstanding: float
    creation_unit_size: int = 100_000
    cash_usd: float = 0.0
    receivables_usd: float = 0.0
    liabilities_usd: float = 0.0
    accrued_expenses_usd: float = 0.0
    expense_ratio: float = 0.0014
    fees: CreationFees = field(default_factory=CreationFees)
    adv_shares: float = 0.0
    quoted_spread_bp: float = 1.0
    description: str = ""
    distributions_payable_usd: float = 0.0
    _cache: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        h = self.holdings
        if not isinstance(h, pd.Series):
            raise InputError(
                f"{self.name}: holdings must be a pandas Series of par (USD) by bond id, "
                f"got {type(h).__name__}"
            )
        values = pd.to_numeric(h, errors="coerce").astype(float)
        bad = ~np.isfinite(values.to_numpy()) | (values.to_numpy() < 0)
        if bad.any():
            rows = [f"{h.index[i]}: {h.iloc[i]!r}" for i in np.flatnonzero(bad)[:20]]
            raise InputError.from_problems(
                f"{self.name}: holdings must be finite par amounts >= 0 (USD)", rows
            )
        if h.index.has_duplicates:
            dup = list(h.index[h.index.duplicated()].unique()[:10])
            raise InputError(f"{self.name}: holdings list bonds twice: {dup}; add them up first")
        values.index = pd.Index(h.index.astype(str), name="id")
        object.__setattr__(self, "holdings", values.rename("par_usd"))
        shares = non_negative(self.shares_outstanding, "shares_outstanding")
        if shares <= 0:
            raise InputError(
                f"{self.name}: shares_outstanding is {shares!r}; a fund needs shares "
                "outstanding > 0 to have a NAV per share"
            )
        object.__setattr__(self, "shares_outstanding", shares)
        cu = self.creation_unit_size
        if not float(cu).is_integer() or cu <= 0:
            raise InputError(
                f"{self.name}: creation_unit_size {cu!r} must be a positive whole number of shares"
            )
        object.__setattr__(self, "creation_unit_size", int(cu))
        for name in (
            "receivables_usd",
            "liabilities_usd",
            "accrued_expenses_usd",
            "expense_ratio",
            "adv_shares",
            "quoted_spread_bp",
            "distributions_payable_usd",
        ):
            object.__setattr__(self, name, non_negative(getattr(self, name), name))
        if self.distributions_payable_usd > self.liabilities_usd * (1 + 1e-12):
            raise InputError(
                f"{self.name}: distributions_payable_usd {self.distributions_payable_usd!r} "
                f"exceeds liabilities_usd {self.liabilities_usd!r}; declared distributions "
                "are part of the liabilities"
            )
        cash = float(self.cash_usd)
        if not np.isfinite(cash):
            raise InputError(f"{self.name}: cash_usd {self.cash_usd!r} is not finite")
        object.__setattr__(self, "cash_usd", cash)
        if not isinstance(self.fees, CreationFees):
            raise InputError(f"{self.name}: fees must be a CreationFees")

    def __repr__(self) -> str:
        return (
            f"ETF({self.name!r}: {len(self.holdings):,} bonds, par "
            f"${self.holdings.sum() / 1e9:,.2f} bn, {self.shares_outstanding:,.0f} shares, "
            f"creation unit {self.creation_unit_size:,})"
        )

    def replace(self, **changes: Any) -> ETF:
        """A copy with ``changes`` applied (validated again; caches start empty)."""
        return dataclasses.replace(self, _cache={}, **changes)

    # ------------------------------------------------------------------ bonds
    def bonds(self, market: MarketState) -> BondSet:
        """The BondSet of the fund's holdings, in holdings order.

        Raises
        ------
        InputError
            If a holding is not a bond of the market (naming every such id).
        """
        universe = market.bonds
        hit = self._cache.get("bonds")
        if hit is not None and hit[0] is universe:
            return hit[1]
        pos = universe.ids.get_indexer(self.holdings.index)
        if (pos < 0).any():
            unknown = list(self.holdings.index[pos < 0])
            raise InputError(
                f"{self.name}: {len(unknown)} holding(s) reference bonds the market does not "
                f"have: {unknown[:20]}{' ...' if len(unknown) > 20 else ''}; add them to the "
                "market's BondSet or remove them from the holdings"
            )
        bonds = universe.take(pos)
        self._cache["bonds"] = (universe, bonds)
        return bonds

    # ------------------------------------------------------------------ ladders
    def _ladder(self, market: MarketState, regime: str | None = None):
        """(days, ladder (3 x U), side constants (3,), accrued value) for ``market``.

        Cached on everything it depends on except the curve, so a curve move reprices
        the fund with one dot product per side.
        """
        regime = regime or market.regime
        bonds = self.bonds(market)
        # MarketState re-aligns (copies) its z-spreads whenever it is rebuilt, as
        # with_curve does, so the spreads are matched by value: a curve move then reuses
        # the ladder. One entry per key, so moving curves does not grow the cache.
        key = (
            "ladder",
            market.settlement,
            id(market.liquidity),
            id(market.liquidity_scores),
            regime,
        )
        z = market.z_spread.to_numpy()
        hit = self._cache.get(key)
        if hit is not None and hit[0] is market.bonds and np.array_equal(hit[1], z):
            return hit[2]
        cf = bonds.cashflows(market.settlement)
        dead = np.flatnonzero(cf.counts == 0)
        if dead.size:
            ids = list(bonds.ids[dead[:20]])
            raise InputError(
                f"{self.name}: {dead.size} holding(s) pay nothing after settlement "
                f"{to_timestamps(np.int64(market.settlement)):%Y-%m-%d}: {ids}; a matured bond's "
                "redemption belongs in cash or receivables, not holdings"
            )
        spread = np.ascontiguousarray(market.z_spread.reindex(bonds.ids).to_numpy(dtype=float))
        amounts = bond_kernels.spread_weighted_amounts_nb(
            cf.offsets, cf.amount, cf.dtau, spread, bond_kernels.work_buffers(cf.offsets)[1]
        )
        h = market.half_spread_bp(bonds, regime).to_numpy(dtype=float) * 1e-4
        par = self.holdings.to_numpy() / 100.0
        weights = np.ascontiguousarray(np.column_stack([par * (1 - h), par, par * (1 + h)]))
        ladder = K.ladder_nb(cf.offsets, amounts, cf.day_index, cf.unique_days.size, weights)
        acc = float(np.dot(par, cf.accrued))
        side_const = np.array([1.0, 0.0, -1.0]) * float(np.dot(par * h, cf.accrued))
        days = np.append(cf.unique_days, np.int64(market.settlement))
        value = (days, ladder, side_const, acc)
        self._cache[key] = (market.bonds, z.copy(), value)
        return value

    def _other_assets(self) -> float:
        return (
            self.cash_usd + self.receivables_usd - self.liabilities_usd - self.accrued_expenses_usd
        )

    # ------------------------------------------------------------------ NAV
    def bond_value_usd(self, market: MarketState, side: str = "mid") -> float:
        """Value of the bonds (clean + accrued) on ``side``, USD."""
        s = check_side(side)
        days, ladder, const, _ = self._ladder(market)
        df = np.asarray(market.curve.discount_days(days), dtype=float)
        return float(ladder[s] @ df[:-1] / df[-1] + const[s])

    def net_assets_usd(self, market: MarketState, side: str = "mid") -> float:
        """Net assets on ``side``, USD: bonds + cash + receivables - liabilities - expenses."""
        return self.bond_value_usd(market, side) + self._other_assets()

    def nav(self, market: MarketState, side: str = "mid") -> float:
        """NAV per share on ``side`` ("bid", "mid" or "ask").

        Examples
        --------
        >>> from etfcore.market import synthetic_market
        >>> m = synthetic_market(seed=0)
        >>> etf = m.etfs["IG_BROAD"]
        >>> etf.nav(m, "bid") <= etf.nav(m, "mid") <= etf.nav(m, "ask")
        True
        """
        return self.net_assets_usd(market, side) / self.shares_outstanding

    def navs(self, market: MarketState) -> pd.Series:
        """NAV per share on the three sides."""
        days, ladder, const, _ = self._ladder(market)
        df = np.asarray(market.curve.discount_days(days), dtype=float)
        values = ladder @ df[:-1] / df[-1] + const + self._other_assets()
        return pd.Series(
            values / self.shares_outstanding,
            index=pd.Index(SIDES, name="side"),
            name=f"{self.name} NAV",
        )

    def official_nav(self, market: MarketState) -> float:
        """The official NAV: bid-side evaluated prices, as US bond ETFs strike it."""
        return self.nav(market, "bid")

    def premium_bp(self, price: float, market: MarketState, side: str = "bid") -> float:
        """The ETF price's premium (+) or discount (-) to its NAV on ``side``, bp."""
        p = non_negative(price, "price")
        return (p / self.nav(market, side) - 1.0) * 1e4

    def nav_scenarios(self, market: MarketState, scenarios: Any, side: str = "mid") -> pd.Series:
        """NAV per share under each curve of ``scenarios`` (a CurveScenarios).

        Notes
        -----
        The fund's value is linear in discount factors (its cash-flow ladder): each
        scenario costs one exponential per distinct payment day and one dot product,
        computed together in a parallel kernel for a ``CurveScenarios`` (other scenario
        sets go through their ``(S x U)`` discount matrix).
        """
        s = check_side(side)
        days, ladder, const, _ = self._ladder(market)
        if isinstance(scenarios, CurveScenarios):
            tau = (days - int(scenarios.reference_date)) / 365.0
            i0, i1, c0, c1 = exponent_coefficients(scenarios.tenors, tau, scenarios.interpolation)
            bond_value = bond_kernels.ladder_scenarios_zero_nb(
                np.ascontiguousarray(ladder[s : s + 1]),
                scenarios.zero_rates,
                i0,
                i1,
                c0,
                c1,
                len(days) - 1,
            )[:, 0]
        else:
            df = np.asarray(getattr(scenarios, "discount_days", lambda d: None)(days), dtype=float)
            if df.ndim != 2:
                raise InputError("scenarios: expected a CurveScenarios (many curves)")
            bond_value = df[:, :-1] @ ladder[s] / df[:, -1]
        values = bond_value + const[s] + self._other_assets()
        names = list(getattr(scenarios, "names", range(values.shape[0])))
        return pd.Series(
            values / self.shares_outstanding,
            index=pd.Index(names, name="scenario"),
            name=f"{self.name} NAV ({side})",
        )

    def nav_breakdown(self, market: MarketState) -> NavBreakdown:
        """NAV and its components on the bid, mid and ask side."""
        days, ladder, const, acc = self._ladder(market)
        df = np.asarray(market.curve.discount_days(days), dtype=float)
        dirty = ladder @ df[:-1] / df[-1] + const
        frame = pd.DataFrame(
            {
                "clean_value_usd": dirty - acc,
                "accrued_interest_usd": np.full(3, acc),
                "cash_usd": np.full(3, self.cash_usd),
                "receivables_usd": np.full(3, self.receivables_usd),
                "liabilities_usd": np.full(3, -self.liabilities_usd),
                "accrued_expenses_usd": np.full(3, -self.accrued_expenses_usd),
            },
            index=pd.Index(SIDES, name="side"),
        ).T
        frame.loc["net_assets_usd"] = frame.sum()
        frame.loc["shares_outstanding"] = self.shares_outstanding
        frame.loc["nav_per_share"] = frame.loc["net_assets_usd"] / self.shares_outstanding
        return NavBreakdown(
            name=self.name, settlement=market.settlement, regime=market.regime, frame=frame
        )

    def holdings_frame(self, market: MarketState) -> pd.DataFrame:
        """Per holding: par, mid clean price, accrued, market value, weight, half-spread."""
        from ..bonds.pricing import price_bonds

        bonds = self.bonds(market)
        res = price_bonds(
            bonds, market.curve, market.settlement, spread=market.z_spread.reindex(bonds.ids)
        )
        par = self.holdings.reindex(bonds.ids)
        mv = par * res["dirty_price"] / 100.0
        out = pd.DataFrame(
            {
                "par_usd": par,
                "clean_price": res["clean_price"],
                "accrued_interest": res["accrued_interest"],
                "market_value_usd": mv,
                "weight": mv / mv.sum(),
                "half_spread_bp": market.half_spread_bp(bonds),
                "modified_duration": res["modified_duration"],
                "spread_duration": res["spread_duration"],
                "yield_to_maturity": res["yield_to_maturity"],
                "z_spread": res["z_spread"],
            }
        )
        return pd.concat([out, bonds.attributes], axis=1)

    def accrue_expenses(self, market: MarketState, days: int = 1) -> ETF:
        """A copy with ``days`` of the expense ratio accrued on mid net assets (ACT/365)."""
        d = non_negative(days, "days")
        fee = self.net_assets_usd(market, "mid") * self.expense_ratio * d / 365.0
        return self.replace(accrued_expenses_usd=self.accrued_expenses_usd + fee)


@dataclass(frozen=True, repr=False)
class NavBreakdown:
    """NAV and its components on the three sides.

    Attributes
    ----------
    frame : pandas.DataFrame
        Rows: clean value, accrued interest, cash, receivables, liabilities (negative),
        accrued expenses (negative), net assets, shares outstanding, NAV per share;
        columns: bid, mid, ask.
    """

    name: str
    settlement: int
    regime: str
    frame: pd.DataFrame

    def __repr__(self) -> str:
        nav = self.frame.loc["nav_per_share"]
        return (
            f"NavBreakdown({self.name}: NAV bid {nav['bid']:.4f} / mid {nav['mid']:.4f} / "
            f"ask {nav['ask']:.4f}, regime {self.regime})"
        )

    @property
    def nav_per_share(self) -> pd.Series:
        """NAV per share by side."""
        return self.frame.loc["nav_per_share"]

    def to_frame(self) -> pd.DataFrame:
        """The components table (rows) by side (columns)."""
        return self.frame

    def summary(self) -> pd.DataFrame:
        """Components in $ millions and the NAV's spread across sides in bp of mid."""
        out = self.frame.drop(index=["shares_outstanding", "nav_per_share"]) / 1e6
        out.index = [i.replace("_usd", " ($mm)") for i in out.index]
        nav = self.frame.loc["nav_per_share"]
        out.loc["NAV per share"] = nav
        out.loc["vs mid (bp)"] = (nav / nav["mid"] - 1.0) * 1e4
        return out

    def plot(self, ax: Any = None):
        """Bar chart of NAV per share by side, with the bid-ask width annotated."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(5, 3.5))[1]
        nav = self.nav_per_share
        ax.bar(nav.index, nav.to_numpy(), color=["#C44E52", "#4C72B0", "#55A868"])
        lo = nav.min()
        ax.set_ylim(lo * 0.995, nav.max() * 1.003)
        ax.set_ylabel("NAV per share")
        width = (nav["ask"] / nav["bid"] - 1) * 1e4
        ax.set_title(f"{self.name}: bid-ask NAV width {width:.1f} bp ({self.regime})")
        return ax


__all__ = ["SIDES", "CreationFees", "ETF", "NavBreakdown", "check_side"]
