"""Pages of the coaching app (filled in by the issue-4 work)."""

app_name = "visits"

urlpatterns = []
