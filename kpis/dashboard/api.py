"""API routes of kpis/dashboard: (prefix, viewset, basename)."""

routes: list = []
