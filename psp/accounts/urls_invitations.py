"""URLs (filled in by the feature work)."""

app_name = "invitations"
urlpatterns: list = []
