"""The cpd app's kinds of evidence subject, found by the evidence app at start-up
(psp/evidence/registry.py): CPD activities (cpd/activities/evidence.py)."""

from cpd.activities import evidence  # noqa: F401 - registers the kind
