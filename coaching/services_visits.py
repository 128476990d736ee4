"""Writes to facilitation visits: logging one, scheduling the next, editing (with history),
completing a planned visit and cancelling it. The business rules of visits live here.

Every function takes the program explicitly (keyword-only) and the acting person as `by`, refuses
objects of another program, and runs in one transaction: a refused visit leaves nothing behind
(no visit, no attendees, no actions, no planned follow-up). Errors are ValidationErrors keyed by
the input field they are about, so a form shows each beside its field and the API names it:

- `practice`, `visit_date`, `start_time`, `mode`, `duration_minutes`, `travel_minutes`,
  `other_attendees`, `purpose`, `notes`, `attendees`, `goals`, `reason`, `submission_key`;
- `activities` for the minutes by activity (which must add up to the duration);
- `new_actions` for the action items agreed at the visit (each message names its row);
- `next_visit_date`, `next_start_time`, `next_mode`, `next_duration_minutes`, `next_purpose`
  for the planned follow-up visit scheduled from the same form.

Only the coach assigned to a practice logs, plans, edits, completes or cancels its visits, and
only their own. A logged visit is dated today or earlier (later dates are planned visits); a
planned one today or later (the checks are in coaching/visit_checks.py). An edit made on a day
after the visit's date first keeps the version it replaces, with who made the edit and why.
"""

from datetime import date, time
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    PlanAction,
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
    VisitMode,
    VisitRevision,
    VisitStatus,
)
from coaching.selectors_visits import visit_snapshot
from coaching.services_feedback import feedback_request
from coaching.visit_checks import (
    DEFAULT_PLANNED_DURATION,
    LOG_DETAILS,
    LOG_FIELDS,
    PLANNED_FIELDS,
    Errors,
    clean_log,
    clean_new_actions,
    clean_plan,
    clean_submission_key,
    clean_text,
    earlier_submission,
    ensure_assigned,
    ensure_own,
    ensure_same_request,
)
from practices.models import Practice
from psp.tenancy.base import ensure_in_program


def _locked(visit: Visit) -> Visit:
    """The visit's row, locked for the rest of the transaction, so two changes cannot cross."""
    return Visit.objects.select_for_update().select_related("practice").get(pk=visit.pk)


def _replace_details(program, visit: Visit, cleaned: dict) -> None:
    """Make the visit's activities, attendees and goals those of `cleaned` (keeping the rows
    that stay, so their ids and the feedback already asked of attendees stand)."""
    if "activities" in cleaned:
        VisitActivity.objects.filter(visit=visit).delete()
        VisitActivity.objects.bulk_create(
            VisitActivity(program=program, visit=visit, activity=activity, minutes=minutes)
            for activity, minutes in sorted(cleaned["activities"].items())
        )
    if "attendees" in cleaned:
        wanted = {person.pk for person in cleaned["attendees"]}
        current = set(VisitAttendee.objects.filter(visit=visit).values_list("person_id", flat=True))
        VisitAttendee.objects.filter(visit=visit).exclude(person_id__in=wanted).delete()
        VisitAttendee.objects.bulk_create(
            VisitAttendee(program=program, visit=visit, person_id=pk)
            for pk in sorted(wanted - current)
        )
    if "goals" in cleaned:
        wanted = {goal.pk for goal in cleaned["goals"]}
        current = set(VisitGoal.objects.filter(visit=visit).values_list("goal_id", flat=True))
        VisitGoal.objects.filter(visit=visit).exclude(goal_id__in=wanted).delete()
        VisitGoal.objects.bulk_create(
            VisitGoal(program=program, visit=visit, goal_id=pk) for pk in sorted(wanted - current)
        )


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
        ActionStatusChange.objects.create(
            program=program,
            action=action,
            from_status="",
            to_status=ActionStatus.OPEN,
            changed_by=by,
        )
        created.append(action)
    return created


def _new_visit(program, *, key: UUID | None, **fields) -> Visit | None:
    """Insert a visit; None when another request with the same submission key got there first
    (the unique constraint decides, inside a savepoint so the transaction goes on)."""
    try:
        with transaction.atomic():
            return Visit.objects.create(program=program, submission_key=key, **fields)
    except IntegrityError:
        if key is None:
            raise
        return None


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
    _replace_details(program, visit, cleaned)
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
    visit_date: date,
    duration_minutes: int,
    activities: dict[str, int],
    start_time: time | None = None,
    mode: str = VisitMode.ON_SITE,
    travel_minutes: int = 0,
    attendees=(),
    other_attendees: int = 0,
    goals=(),
    purpose: str = "",
    notes: str = "",
    new_actions=(),
    next_visit: dict | None = None,
    submission_key=None,
    request_fingerprint: str = "",
    today: date | None = None,
) -> Visit:
    """Log a visit the coach (`by`) made to one of their practices, with its minutes by
    activity, attendees, plan goals worked on and the action items agreed there; optionally
    schedule the next visit in the same step. Attendees are then asked for feedback.

    `new_actions`: dicts of title, owner, due_on and goal (each optional but the title).
    `next_visit`: a dict of visit_date, start_time, mode, duration_minutes and purpose.
    `submission_key`: the form's one-time key: sending it again returns the visit the first
    submit made instead of logging a second one. `request_fingerprint`: a hash of the API request
    that sent the key; the same key with another request is refused (SubmissionKeyReused)."""
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
        dict(
            visit_date=visit_date,
            start_time=start_time,
            mode=mode,
            duration_minutes=duration_minutes,
            activities=activities,
            travel_minutes=travel_minutes,
            attendees=attendees,
            other_attendees=other_attendees,
            goals=goals,
            purpose=purpose,
            notes=notes,
        ),
        practice_id=practice.pk,
        by=by,
        new_actions=new_actions,
        next_visit=next_visit,
        today=today or timezone.localdate(),
    )
    visit = _new_visit(
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


# Planned visits -----------------------------------------------------------------------------


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
    visit = _new_visit(
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
def visit_complete(
    *,
    program,
    by,
    visit: Visit,
    visit_date: date,
    duration_minutes: int,
    activities: dict[str, int],
    start_time: time | None = None,
    mode: str = VisitMode.ON_SITE,
    travel_minutes: int = 0,
    attendees=(),
    other_attendees: int = 0,
    goals=(),
    purpose: str = "",
    notes: str = "",
    new_actions=(),
    next_visit: dict | None = None,
    submission_key=None,
    request_fingerprint: str = "",
    today: date | None = None,
) -> Visit:
    """Turn a planned visit into a logged one (the same row), with everything a logged visit
    has (see `visit_log`); its date cannot be in the future. Sending the same form twice
    returns the completed visit; the same key with another request is refused."""
    ensure_in_program(program, visit)
    key = clean_submission_key(submission_key)
    locked = _locked(visit)
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
        dict(
            visit_date=visit_date,
            start_time=start_time,
            mode=mode,
            duration_minutes=duration_minutes,
            activities=activities,
            travel_minutes=travel_minutes,
            attendees=attendees,
            other_attendees=other_attendees,
            goals=goals,
            purpose=purpose,
            notes=notes,
        ),
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


@transaction.atomic
def visit_cancel(*, program, by, visit: Visit, reason: str) -> Visit:
    """Cancel a planned visit, saying why. Logged visits are records and stay."""
    ensure_in_program(program, visit)
    locked = _locked(visit)
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


# Editing and history ------------------------------------------------------------------------


def _comparable(snapshot: dict) -> dict:
    """A snapshot without the names and titles, which may change without the visit changing."""
    return {
        **snapshot,
        "attendees": sorted(item["id"] for item in snapshot.get("attendees", [])),
        "goals": sorted(item["id"] for item in snapshot.get("goals", [])),
    }


def _after(before: dict, cleaned: dict) -> dict:
    after = dict(before)
    for name, value in cleaned.items():
        if name == "visit_date":
            after[name] = value.isoformat()
        elif name == "start_time":
            after[name] = value.strftime("%H:%M") if value else None
        elif name == "attendees":
            after[name] = [{"id": person.pk} for person in value]
        elif name == "goals":
            after[name] = [{"id": goal.pk} for goal in value]
        elif name == "activities":
            after[name] = dict(sorted(value.items()))
        else:
            after[name] = value
    return after


@transaction.atomic
def visit_update(
    *, program, by, visit: Visit, data: dict, reason: str = "", today: date | None = None
) -> Visit:
    """Change a visit: its coach only, while still assigned to the practice. `data` holds the
    fields to change (a logged visit: LOG_FIELDS plus activities, attendees and goals; a planned
    one: PLANNED_FIELDS); the rest stay. The result is checked whole, as when it was logged.

    An edit made on a day after the visit's date first keeps the version it replaces (with `by`
    and the `reason` given); an edit on the visit's own day just overwrites it."""
    ensure_in_program(program, visit)
    locked = _locked(visit)
    ensure_own(locked, by)
    if locked.status == VisitStatus.CANCELLED:
        raise ValidationError("A cancelled visit cannot be changed.")
    allowed = PLANNED_FIELDS if locked.status == VisitStatus.PLANNED else LOG_FIELDS + LOG_DETAILS
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in sorted(unknown)})
    ensure_assigned(practice=locked.practice, by=by)
    today = today or timezone.localdate()
    errors = Errors()
    reason = clean_text(reason, field="reason", errors=errors, max_length=300)
    before = visit_snapshot(locked)
    current = {name: getattr(locked, name) for name in allowed if name not in LOG_DETAILS}
    if locked.status == VisitStatus.PLANNED:
        cleaned = clean_plan({**current, **data}, today=today, errors=errors)
    else:
        attendees = list(VisitAttendee.objects.filter(visit=locked).select_related("person"))
        links = list(VisitGoal.objects.filter(visit=locked).select_related("goal"))
        current.update(
            activities=before["activities"],
            attendees=[row.person for row in attendees],
            goals=[row.goal for row in links],
        )
        cleaned = clean_log(
            {**current, **data},
            practice_id=locked.practice_id,
            today=today,
            errors=errors,
            kept_attendees=frozenset(row.person_id for row in attendees),
            kept_goals=frozenset(row.goal_id for row in links),
        )
    errors.raise_if_any()

    if _comparable(_after(before, cleaned)) == _comparable(before):
        return locked  # nothing changed: no new version
    if today > locked.visit_date:
        VisitRevision.objects.create(
            program=program, visit=locked, snapshot=before, revised_by=by, reason=reason
        )
    for name in allowed:
        if name not in LOG_DETAILS:
            setattr(locked, name, cleaned[name])
    locked.updated_by = by
    locked.save()
    _replace_details(program, locked, cleaned)
    if locked.status == VisitStatus.LOGGED:
        feedback_request(program=program, visit=locked, by=by)  # attendees added now
    return locked
