"""The program dashboard (managers, admins) and the aggregates API, read from summaries."""
