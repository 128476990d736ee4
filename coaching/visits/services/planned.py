"""Planned visits: scheduling one (today or later) and cancelling it, saying why. Completing
one is logging it: see log.py."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching.visits.checks import (
    DEFAULT_PLANNED_DURATION,
    Errors,
    clean_plan,
    clean_submission_key,
    clean_text,
    earlier_submission,
    ensure_assigned,
    ensure_own,
)
from coaching.visits.models import Visit, VisitMode, VisitStatus
from coaching.visits.services.rows import locked_visit, new_visit
from practices.models import Practice
from psp.tenancy.base import ensure_in_program


@transaction.atomic
def visit_plan(
    *,
    program,
    by,
    practice: Practice,
    visit_date: date,
    start_time: time | None = None,
    mode: str = VisitMode.ON_SITE,
    duration_minutes: int = DEFAULT_PLANNED_DURATION,
    purpose: str = "",
    notes: str = "",
    submission_key=None,
    request_fingerprint: str = "",
    today: date | None = None,
) -> Visit:
    """Schedule a visit to one of the coach's practices, today or later. It shows on the
    coach's home and the practice page until it is completed (logged) or cancelled. The key
    and fingerprint as for `visit_log`."""
    key = clean_submission_key(submission_key)
    earlier = earlier_submission(key=key, by=by, fingerprint=request_fingerprint)
    if earlier is not None:
        return earlier
    ensure_in_program(program, practice)
    ensure_assigned(practice=practice, by=by)
    errors = Errors()
    cleaned = clean_plan(
        {
            "visit_date": visit_date,
            "start_time": start_time,
            "mode": mode,
            "duration_minutes": duration_minutes,
            "purpose": purpose,
            "notes": notes,
        },
        today=today or timezone.localdate(),
        errors=errors,
    )
    errors.raise_if_any()
    visit = new_visit(
        program,
        key=key,
        practice=practice,
        coach=by,
        status=VisitStatus.PLANNED,
        created_by=by,
        updated_by=by,
        submission_fingerprint=request_fingerprint,
        **cleaned,
    )
    if visit is None:  # the same key, sent twice at once: the first one won
        return earlier_submission(key=key, by=by, fingerprint=request_fingerprint)
    return visit


@transaction.atomic
def visit_cancel(*, program, by, visit: Visit, reason: str) -> Visit:
    """Cancel a planned visit, saying why. Logged visits are records and stay."""
    ensure_in_program(program, visit)
    locked = locked_visit(visit)
    ensure_own(locked, by)
    if locked.status != VisitStatus.PLANNED:
        raise ValidationError(
            f"Only a planned visit can be cancelled; this one is "
            f"{locked.get_status_display().lower()}."
        )
    errors = Errors()
    reason = clean_text(reason, field="reason", errors=errors, max_length=2000)
    if not reason:
        errors.add("reason", "Say why the visit is cancelled.")
    errors.raise_if_any()
    locked.status = VisitStatus.CANCELLED
    locked.cancel_reason = reason
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = by
    locked.updated_by = by
    locked.save()
    return locked
