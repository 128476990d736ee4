"""Pages of kpis/values: the entry grid (grid.py) and the CSV import (imports.py)."""
