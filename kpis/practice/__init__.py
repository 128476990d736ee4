"""A practice's KPI dashboard: its values against target and against its peers."""
