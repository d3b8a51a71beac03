"""Bond analytics core: dates, conventions, calendar, BondSet, schedules, curves, spreads, pricing.

* :mod:`.dates` -- the one date parser (:func:`~etfcore.bonds.dates.to_days`) and day numbers.
* :mod:`.curves` -- zero curves, scenarios, NSS fits and the Treasury bootstrap (a package).
* :mod:`.spreads` -- :class:`~etfcore.bonds.spreads.SpreadCurve`, credit spreads by rating,
  sector and tenor.
"""
