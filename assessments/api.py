"""API endpoints."""

routes: list = []
