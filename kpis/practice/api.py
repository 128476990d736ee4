"""API routes of kpis/practice: (prefix, viewset, basename)."""

routes: list = []
