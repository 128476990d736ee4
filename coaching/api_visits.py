"""REST endpoints of the coaching app (filled in by the issue-4 work)."""

routes = []
