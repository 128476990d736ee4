"""URLs (filled in by the feature work)."""

app_name = "practices"
urlpatterns: list = []
