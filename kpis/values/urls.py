"""Pages of kpis/values."""

urlpatterns: list = []
