"""URLs (being built)."""

app_name = "plans"
urlpatterns: list = []
