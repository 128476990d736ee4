"""Logging a visit: a new one, or a planned one completed (the same row). Either way the visit
brings its minutes by activity, attendees, the plan goals worked on and the action items agreed
there, may schedule the next visit in the same step, and asks its attendees for feedback."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching.actions.history import step_line
from coaching.actions.models import ActionStatus, ActionStatusChange, PlanAction
from coaching.feedback.services import feedback_request
from coaching.visits.checks import (
    LOG_FIELDS,
    Errors,
    clean_log,
    clean_new_actions,
    clean_plan,
    clean_submission_key,
    earlier_submission,
    ensure_assigned,
    ensure_own,
    ensure_same_request,
)
from coaching.visits.inputs import VisitInput
from coaching.visits.models import Visit, VisitStatus
from coaching.visits.services.rows import locked_visit, new_visit, replace_details
from practices.models import Practice
from psp.tenancy.base import ensure_in_program


def _create_actions(program, visit: Visit, rows: list[dict], by) -> list[PlanAction]:
    created = []
    for position, row in enumerate(rows):
        goal = row["goal"]
        action = PlanAction.objects.create(
            program=program,
            practice_id=visit.practice_id,
            visit=visit,
            plan_id=goal.plan_id if goal else None,
            goal=goal,
            title=row["title"],
            owner=row["owner"],
            due_on=row["due_on"],
            position=position,
            created_by=by,
        )
        step = ActionStatusChange.objects.create(
            program=program,
            action=action,
            from_status="",
            to_status=ActionStatus.OPEN,
            changed_by=by,
        )
        step_line(step).save()
        created.append(action)
    return created


def _check_log(
    values: dict, *, practice_id, by, new_actions, next_visit, today: date
) -> tuple[dict, list[dict], dict | None]:
    """Everything a logged visit brings, checked together (all errors at once): the visit,
    its new actions and the next visit to plan."""
    errors = Errors()
    cleaned = clean_log(values, practice_id=practice_id, today=today, errors=errors)
    rows = clean_new_actions(
        new_actions,
        practice_id=practice_id,
        by=by,
        visit_date=values.get("visit_date"),
        errors=errors,
    )
    planned = None
    if next_visit:
        planned = clean_plan(next_visit, today=today, errors=errors, prefix="next_")
    errors.raise_if_any()
    return cleaned, rows, planned


def _finish_log(program, visit: Visit, *, by, cleaned: dict, rows, planned) -> None:
    """What follows a visit being logged: its details, the actions agreed, the next visit
    planned, and its attendees asked for feedback."""
    replace_details(program, visit, cleaned)
    _create_actions(program, visit, rows, by)
    if planned is not None:
        Visit.objects.create(
            program=program,
            practice_id=visit.practice_id,
            coach=by,
            status=VisitStatus.PLANNED,
            created_by=by,
            updated_by=by,
            **planned,
        )
    feedback_request(program=program, visit=visit, by=by)


@transaction.atomic
def visit_log(
    *,
    program,
    by,
    practice: Practice,
    visit: VisitInput,
    new_actions=(),
    next_visit: dict | None = None,
    submission_key=None,
    request_fingerprint: str = "",
    today: date | None = None,
) -> Visit:
    """Log a visit the coach (`by`) made to one of their practices: `visit` says when, how,
    how long and on what, who came and the plan goals worked on; the action items agreed
    there come along, and the next visit may be scheduled in the same step. Attendees are then
    asked for feedback.

    `new_actions`: dicts of title, owner, due_on and goal (each optional but the title).
    `next_visit`: a dict of visit_date, start_time, mode, duration_minutes and purpose.
    `submission_key`: the form's one-time key: sending it again returns the visit the first
    submit made instead of logging a second one. `request_fingerprint`: a hash of the API request
    that sent the key; the same key with another request is refused (SubmissionKeyReused)."""
    return _log_new(
        program=program,
        by=by,
        practice=practice,
        values=visit.values(),
        new_actions=new_actions,
        next_visit=next_visit,
        submission_key=submission_key,
        request_fingerprint=request_fingerprint,
        today=today,
    )


def _log_new(
    *,
    program,
    by,
    practice,
    values,
    new_actions,
    next_visit,
    submission_key,
    request_fingerprint,
    today,
) -> Visit:
    """`visit_log` once its visit's own input is gathered in `values`."""
    key = clean_submission_key(submission_key)
    earlier = earlier_submission(key=key, by=by, fingerprint=request_fingerprint)
    if earlier is not None and earlier.status != VisitStatus.LOGGED:
        # The key planned a visit: answering with it would say "logged" when nothing was.
        raise ValidationError(
            {"submission_key": "This key was used to plan a visit. Send a new key to log one."}
        )
    if earlier is not None:
        return earlier
    ensure_in_program(program, practice)
    ensure_assigned(practice=practice, by=by)
    cleaned, rows, planned = _check_log(
        values,
        practice_id=practice.pk,
        by=by,
        new_actions=new_actions,
        next_visit=next_visit,
        today=today or timezone.localdate(),
    )
    visit = new_visit(
        program,
        key=key,
        practice=practice,
        coach=by,
        status=VisitStatus.LOGGED,
        logged_at=timezone.now(),
        created_by=by,
        updated_by=by,
        submission_fingerprint=request_fingerprint,
        **{name: cleaned[name] for name in LOG_FIELDS},
    )
    if visit is None:  # the same key, sent twice at once: the first one won
        return earlier_submission(key=key, by=by, fingerprint=request_fingerprint)
    _finish_log(program, visit, by=by, cleaned=cleaned, rows=rows, planned=planned)
    return visit


@transaction.atomic
def visit_complete(
    *,
    program,
    by,
    planned: Visit,
    visit: VisitInput,
    new_actions=(),
    next_visit: dict | None = None,
    submission_key=None,
    request_fingerprint: str = "",
    today: date | None = None,
) -> Visit:
    """Turn a `planned` visit into a logged one (the same row), with everything a logged visit
    has (`visit`, and the rest as for `visit_log`); its date cannot be in the future. Sending
    the same form twice returns the completed visit; the same key with another request is
    refused."""
    return _complete_planned(
        program=program,
        by=by,
        visit=planned,
        values=visit.values(),
        new_actions=new_actions,
        next_visit=next_visit,
        submission_key=submission_key,
        request_fingerprint=request_fingerprint,
        today=today,
    )


def _complete_planned(
    *,
    program,
    by,
    visit,
    values,
    new_actions,
    next_visit,
    submission_key,
    request_fingerprint,
    today,
) -> Visit:
    """`visit_complete` once its visit's own input is gathered in `values`."""
    ensure_in_program(program, visit)
    key = clean_submission_key(submission_key)
    locked = locked_visit(visit)
    if key is not None and locked.submission_key == key and locked.status == VisitStatus.LOGGED:
        ensure_same_request(locked, request_fingerprint)
        return locked  # the same form, sent again
    ensure_own(locked, by)
    if locked.status != VisitStatus.PLANNED:
        raise ValidationError(
            f"Only a planned visit can be completed; this one is "
            f"{locked.get_status_display().lower()}."
        )
    if key is not None and Visit.objects.filter(submission_key=key).exclude(pk=locked.pk).exists():
        raise ValidationError({"submission_key": "This form was already used for another visit."})
    ensure_assigned(practice=locked.practice, by=by)
    cleaned, rows, planned = _check_log(
        values,
        practice_id=locked.practice_id,
        by=by,
        new_actions=new_actions,
        next_visit=next_visit,
        today=today or timezone.localdate(),
    )
    for name in LOG_FIELDS:
        setattr(locked, name, cleaned[name])
    locked.status = VisitStatus.LOGGED
    locked.logged_at = timezone.now()
    locked.updated_by = by
    if key is not None:
        locked.submission_key, locked.submission_fingerprint = key, request_fingerprint
    locked.save()
    _finish_log(program, locked, by=by, cleaned=cleaned, rows=rows, planned=planned)
    return locked
