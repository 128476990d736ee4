"""Checklist items take evidence files (a policy, a log, a photo of the notice): the kind
registered with the evidence app, and who may do what with an item's files.

The subject is the item's answer row (ItemResponse), made unanswered when a file comes first.
Whoever may read the checklist reads its files; practice people who complete it add and remove
files while it is not signed off. A signed-off checklist's files stay as they were signed.
"""

from compliance.instances.models import EDITABLE, ItemResponse
from compliance.instances.selectors import EVIDENCE_KIND
from psp.evidence.registry import NO_RIGHTS, EvidenceRights, SubjectKind, register_subject
from psp.history.models import SubjectType
from psp.tenancy.permissions import Capability

LABELS = ("Policy or procedure", "Log or record", "Photo", "Certificate", "Other")


def item_evidence_rights(access, subject_id: int) -> EvidenceRights:
    """One query."""
    row = (
        ItemResponse.objects.filter(
            access.practice_filter(Capability.COMPLIANCE_VIEW, "instance__practice_id"),
            pk=subject_id,
        )
        .values("instance__practice_id", "instance__status")
        .first()
    )
    if row is None:
        return NO_RIGHTS
    return _rights(access, row["instance__practice_id"], row["instance__status"])


def checklist_evidence_rights(access, instance) -> EvidenceRights:
    """The same for every item of a checklist the person may see (no query): its page builds
    one evidence panel per item."""
    return _rights(access, instance.practice_id, instance.status)


def _rights(access, practice_id: int, status: str) -> EvidenceRights:
    may_change = status in EDITABLE and access.can(Capability.COMPLIANCE_COMPLETE, practice_id)
    return EvidenceRights(read=True, attach=may_change, remove=may_change, practice_id=practice_id)


def _settle(*, program, by, subject_id, **files) -> None:
    # Imported when files arrive: the services import the selectors this module uses.
    from compliance.instances.services import settle

    instance = ItemResponse.objects.select_related("instance").get(pk=subject_id).instance
    settle(program=program, instance=instance, by=by)


KIND = register_subject(
    SubjectKind(
        code=EVIDENCE_KIND,
        label="checklist item",
        history_subject=SubjectType.CHECKLIST,
        rights=item_evidence_rights,
        labels=LABELS,
        on_attached=_settle,
        on_removed=_settle,
        history_id=lambda subject_id: ItemResponse.objects.values_list(
            "instance_id", flat=True
        ).get(pk=subject_id),
    )
)
