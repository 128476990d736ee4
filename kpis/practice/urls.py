"""Pages of kpis/practice."""

urlpatterns: list = []
