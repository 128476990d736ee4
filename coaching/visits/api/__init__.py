"""REST endpoints for facilitation visits: logged, planned and cancelled visits, their history,
and scheduling.

Every path is under /api/v1/programs/<program>/ (psp/api/urls.py reads `routes`). Writes go
through coaching/visits/services/ with the program from the scope; `program` is never read
from input, and ids of related objects (practice, attendees, goals, action owners) are looked up
inside the program and the caller's reach only, so a foreign id is a field error.

Logging, completing and scheduling take a one-time key, as `submission_key` in the body or as
an `Idempotency-Key` header (psp/api/idempotency.py): sending the same request again returns the
visit the first one made (200 instead of 201) rather than logging a second visit; the same key
with a different request is a 422. The serializers (and the related fields they take) are in
serializers.py, the viewsets and their filters in viewsets.py.
"""

from coaching.visits.api.viewsets import PlannedVisitViewSet, VisitViewSet

routes = [
    ("visits", VisitViewSet, "visits"),
    ("planned-visits", PlannedVisitViewSet, "planned-visits"),
]
