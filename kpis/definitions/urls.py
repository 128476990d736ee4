"""Pages of kpis/definitions."""

urlpatterns: list = []
