"""The compliance app's kinds of evidence subject, found by the evidence app at start-up
(psp/evidence/registry.py): checklist items (compliance/instances/evidence.py)."""

from compliance.instances import evidence  # noqa: F401 - registers the kind
