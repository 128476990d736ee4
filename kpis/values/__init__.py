"""KPI values entered by practices and coaches: the entry grid, CSV import, the values API."""
