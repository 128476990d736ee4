"""Measures: what a KPI can be computed from. Apps register them; `kpis` turns them into values."""
