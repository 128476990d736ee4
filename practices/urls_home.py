"""URLs (filled in by the feature work)."""

app_name = "home"
urlpatterns: list = []
