"""Every model of the compliance app. The models live with their sub-domains
(compliance/checklists, compliance/schedules, compliance/instances); the app label stays
`compliance`."""

from compliance.checklists.models import (
    Attester,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    Recurrence,
    RecurrenceEvent,
    ResponseType,
    VersionStatus,
)
from compliance.instances.models import (
    EDITABLE,
    Attestation,
    ChecklistInstance,
    InstanceStatus,
    ItemOutcome,
    ItemResponse,
    PracticeDesignation,
)
from compliance.schedules.models import ChecklistAssignment

__all__ = [
    "EDITABLE",
    "Attestation",
    "Attester",
    "ChecklistAssignment",
    "ChecklistInstance",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistTemplate",
    "ChecklistVersion",
    "InstanceStatus",
    "ItemOutcome",
    "ItemResponse",
    "PracticeDesignation",
    "Recurrence",
    "RecurrenceEvent",
    "ResponseType",
    "VersionStatus",
]
