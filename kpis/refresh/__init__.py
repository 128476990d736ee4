"""Keeping KPI values and summaries current: computed values from the measures, summaries per
period and breakdown, peer percentiles, and how current they are.

`services.kpis_refresh` runs the lot for a program, one transaction per KPI: `computed` (the
measures' answers written as values), `summaries` (per period over the program, each sector,
region, primary coach and stage), `peers` (each value's percentile in its sector). `periods`
and `stats` are the pure arithmetic both database paths share. `triggers` asks for a refresh
after writes to what measures read (practices/derived.py); `tasks` runs it in the background
(after writes, through the outbox; nightly, per program); `selectors.freshness` tells a
dashboard how current its figures are.
"""
