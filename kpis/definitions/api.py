"""API routes of kpis/definitions: (prefix, viewset, basename)."""

routes: list = []
