"""Writes of CPD activities and program offerings (one module per kind of write)."""

from cpd.activities.services.evidence import activity_evidence_attach
from cpd.activities.services.offerings import offering_add_attendees, offering_create
from cpd.activities.services.recording import (
    activity_confirm,
    activity_delete,
    activity_record,
    activity_submit,
    activity_update,
)
from cpd.activities.services.verification import (
    activity_reject,
    activity_request_evidence,
    activity_verify,
)

__all__ = [
    "activity_confirm",
    "activity_delete",
    "activity_evidence_attach",
    "activity_record",
    "activity_reject",
    "activity_request_evidence",
    "activity_submit",
    "activity_update",
    "activity_verify",
    "offering_add_attendees",
    "offering_create",
]
