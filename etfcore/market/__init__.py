"""Seeded synthetic markets (bonds, curves, spreads) that need no data files."""

from .synthetic import (
    DEFAULT_AS_OF,
    SyntheticUniverse,
    synthetic_treasury_curve,
    synthetic_universe,
)

__all__ = ["DEFAULT_AS_OF", "SyntheticUniverse", "synthetic_treasury_curve", "synthetic_universe"]
