"""CPD activities take evidence files (certificates, attendance records): the kind registered
with the evidence app, and who may do what with an activity's files.

Whoever may read the activity reads its files (its person; cpd.view's reach; verifiers, once it
has left its draft). Only its person adds files, until it is verified, and removes them while
they may still change the activity (a draft, self-reported or rejected): a file a verifier may
have looked at stays."""

from cpd.activities import selectors
from cpd.activities.models import ActivityStatus
from psp.evidence.registry import NO_RIGHTS, EvidenceRights, SubjectKind, register_subject
from psp.history.models import SubjectType

CODE = "cpd_activity"
LABELS = ("Certificate", "Attendance record", "Other")


def activity_evidence_rights(access, subject_id: int) -> EvidenceRights:
    """One query (two for someone who may be a named verifier)."""
    row = (
        selectors.activities_in_reach(access=access)
        .filter(pk=subject_id)
        .values("person_id", "status", "practice_id")
        .first()
    )
    if row is None:
        return NO_RIGHTS
    own = row["person_id"] == access.user.pk
    return EvidenceRights(
        read=True,
        attach=own and row["status"] != ActivityStatus.VERIFIED,
        remove=own and row["status"] in selectors.EDITABLE,
        practice_id=row["practice_id"] or 0,
    )


KIND = register_subject(
    SubjectKind(
        code=CODE,
        label="CPD activity",
        history_subject=SubjectType.CPD_ACTIVITY,
        rights=activity_evidence_rights,
        labels=LABELS,
        on_attached=lambda **attached: _answer_request(**attached),
    )
)


def _answer_request(**attached) -> None:
    # Imported when files arrive: the services import this module for CODE.
    from cpd.activities.services.evidence import evidence_request_answer

    evidence_request_answer(**attached)
