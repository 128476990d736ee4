"""A verifier's decisions on submitted CPD activities: verify, reject with a reason, ask for
evidence (which the person's next upload answers: services/evidence.py). Verifiers are the
program's admins and the people an admin named (CpdVerifier); nobody verifies their own. A
rejection and a request for evidence notify the person in the same transaction
(cpd/activities/reminders.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cpd.activities import selectors
from cpd.activities.models import ActivityStatus, CpdActivity
from cpd.activities.reminders import evidence_requested_notify, rejected_notify
from cpd.activities.services.common import clean_text, locked, record_activity_line
from cpd.progress.services import cycles_status_refresh
from psp.history.services import diff

MAX_REASON = 2000


def _decision_on(program, activity: CpdActivity, by) -> CpdActivity:
    if not selectors.is_verifier(program=program, user=by):
        raise PermissionDenied("Only the program's admins and named verifiers verify CPD.")
    current = locked(program, activity)
    if current.person_id == by.pk:
        raise PermissionDenied("Nobody verifies their own activity: another verifier will.")
    return current


def _ensure_submitted(current: CpdActivity, doing: str) -> None:
    if current.status != ActivityStatus.SUBMITTED:
        raise ValidationError(
            f"This activity is {current.get_status_display().lower()}: only an activity "
            f"submitted for verification can be {doing}."
        )


@transaction.atomic
def activity_verify(*, program, activity: CpdActivity, by) -> CpdActivity:
    """Verify a submitted activity. Verifying it again changes nothing."""
    current = _decision_on(program, activity, by)
    if current.status == ActivityStatus.VERIFIED:
        return current
    _ensure_submitted(current, "verified")
    before = {"status": current.status, "evidence_requested": current.evidence_requested}
    current.status = ActivityStatus.VERIFIED
    current.verified_at = timezone.now()
    current.verified_by = by
    current.evidence_requested = ""
    current.save(
        update_fields=["status", "verified_at", "verified_by", "evidence_requested", "updated_at"]
    )
    record_activity_line(
        program=program,
        activity=current,
        what="cpd_activity.verified",
        summary=f"Verified by {by.full_name or by.email}.",
        changes=diff(before, {"status": current.status, "evidence_requested": ""}),
        by=by,
    )
    # Submitted credits already count; verifying keeps the status current all the same.
    cycles_status_refresh(program=program, cycle_ids=[current.cycle_id])
    return current


@transaction.atomic
def activity_reject(*, program, activity: CpdActivity, by, reason: str) -> CpdActivity:
    """Reject a submitted activity, saying why; the person corrects it and sends it again."""
    reason = clean_text(reason, field="reason", required=True, max_length=MAX_REASON)
    current = _decision_on(program, activity, by)
    if current.status == ActivityStatus.REJECTED and current.rejection_reason == reason:
        return current
    _ensure_submitted(current, "rejected")
    before = {"status": current.status, "rejection_reason": current.rejection_reason}
    current.status = ActivityStatus.REJECTED
    current.rejection_reason = reason
    current.evidence_requested = ""
    current.save(update_fields=["status", "rejection_reason", "evidence_requested", "updated_at"])
    line = record_activity_line(
        program=program,
        activity=current,
        what="cpd_activity.rejected",
        summary=f"Rejected by {by.full_name or by.email}: {reason}",
        changes=diff(before, {"status": current.status, "rejection_reason": reason}),
        by=by,
    )
    cycles_status_refresh(program=program, cycle_ids=[current.cycle_id])
    rejected_notify(program=program, activity=current, by=by, line=line)
    return current


@transaction.atomic
def activity_request_evidence(*, program, activity: CpdActivity, by, message: str) -> CpdActivity:
    """Ask the person for (more) evidence of a submitted activity, saying what. It stays in the
    queue, marked, until evidence arrives or a verifier decides."""
    message = clean_text(message, field="message", required=True, max_length=MAX_REASON)
    current = _decision_on(program, activity, by)
    if current.evidence_requested == message:
        return current
    _ensure_submitted(current, "asked for evidence")
    before = {"evidence_requested": current.evidence_requested}
    current.evidence_requested = message
    current.save(update_fields=["evidence_requested", "updated_at"])
    line = record_activity_line(
        program=program,
        activity=current,
        what="cpd_activity.evidence_requested",
        summary=f"Evidence asked for by {by.full_name or by.email}: {message}",
        changes=diff(before, {"evidence_requested": message}),
        by=by,
    )
    evidence_requested_notify(program=program, activity=current, by=by, line=line)
    return current
