"""URLs (being built)."""

app_name = "instruments"
urlpatterns: list = []
