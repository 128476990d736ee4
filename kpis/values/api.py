"""API routes of kpis/values: (prefix, viewset, basename)."""

routes: list = []
