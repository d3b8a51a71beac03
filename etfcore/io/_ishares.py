"""The iShares reader's old home: it now lives in :mod:`etfcore.io.ishares`.

Kept so that ``from etfcore.io._ishares import ...`` keeps working; new code imports
from :mod:`etfcore.io` (the public names) or :mod:`etfcore.io.ishares`.
"""

from __future__ import annotations

from .ishares import *  # noqa: F403
from .ishares import __all__ as __all__  # noqa: PLC0414
