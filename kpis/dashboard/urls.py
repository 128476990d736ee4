"""Pages of kpis/dashboard."""

urlpatterns: list = []
