"""URLs (filled in by the feature work)."""

app_name = "tokens"
urlpatterns: list = []
