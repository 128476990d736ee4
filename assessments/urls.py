"""URLs (being built)."""

app_name = "assessments"
urlpatterns: list = []
