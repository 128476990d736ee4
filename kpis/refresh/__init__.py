"""Keeping KPI values and summaries current: computed values from the measures, summaries per
period and breakdown, peer percentiles, and how current they are."""
