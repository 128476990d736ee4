"""URLs (filled in by the feature work)."""

app_name = "people"
urlpatterns: list = []
