"""Evidence on one's own CPD activity: files attached through the evidence app (checked, stored
privately, each a line of the activity's history), and a verifier's request for evidence
answered by them, in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from cpd.activities.evidence import CODE
from cpd.activities.models import ActivityStatus, CpdActivity
from cpd.activities.services.common import ensure_own, locked, record_activity_line
from psp.evidence.services import evidence_attach_many
from psp.history.services import diff


@transaction.atomic
def activity_evidence_attach(*, program, activity: CpdActivity, by, uploads, label: str) -> list:
    """Attach files to one's activity (all or none; problems keyed `files` and `label`). Once
    it is verified, its evidence stays as the verifier saw it."""
    current = locked(program, activity)
    ensure_own(current, by)
    if current.status == ActivityStatus.VERIFIED:
        raise ValidationError({"files": "This activity is verified: its evidence stays as it is."})
    return evidence_attach_many(
        program=program,
        by=by,
        subject_type=CODE,
        subject_id=current.pk,
        practice_id=current.practice_id or 0,
        uploads=uploads,
        label=label,
    )


def evidence_request_answer(*, program, by, subject_id: int, rows) -> None:
    """The evidence kind's `on_attached` (cpd/activities/evidence.py): files attached to an
    activity, by any page or endpoint, answer a verifier's request for evidence."""
    current = CpdActivity.objects.select_for_update().get(pk=subject_id)
    if not current.evidence_requested:
        return
    asked = current.evidence_requested
    current.evidence_requested = ""
    current.save(update_fields=["evidence_requested", "updated_at"])
    names = ", ".join(row.original_name for row in rows)
    record_activity_line(
        program=program,
        activity=current,
        what="cpd_activity.evidence_answered",
        summary=f"The evidence asked for came: {names}.",
        changes=diff({"evidence_requested": asked}, {"evidence_requested": ""}),
        by=by,
    )
