"""Bond analytics core: conventions, calendar, BondSet, schedules, curves, pricing and risk."""
