"""Editing a visit: its coach changes it, and an edit made on a day after the visit's date is a
line of the visit's change history (psp/history): who, when, why, and each field changed from
what to what."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching.feedback.services import feedback_request
from coaching.visits.checks import (
    LOG_DETAILS,
    LOG_FIELDS,
    PLANNED_FIELDS,
    Errors,
    clean_log,
    clean_plan,
    clean_text,
    ensure_assigned,
    ensure_own,
)
from coaching.visits.history import edit_changes, edit_summary
from coaching.visits.models import Visit, VisitAttendee, VisitGoal, VisitStatus
from coaching.visits.selectors import visit_snapshot
from coaching.visits.services.rows import locked_visit, replace_details
from psp.history.models import SubjectType
from psp.history.services import record_change
from psp.tenancy.base import ensure_in_program


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

    An edit made on a day after the visit's date is a line of the visit's history (by `by`,
    with the `reason` given, each field changed from what to what); an edit on the visit's own
    day just overwrites it."""
    ensure_in_program(program, visit)
    locked = locked_visit(visit)
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
    cleaned = _cleaned(
        locked, allowed=allowed, before=before, data=data, today=today, errors=errors
    )
    errors.raise_if_any()

    if _comparable(_after(before, cleaned)) == _comparable(before):
        return locked  # nothing changed: no line of history
    late = today > locked.visit_date
    for name in allowed:
        if name not in LOG_DETAILS:
            setattr(locked, name, cleaned[name])
    locked.updated_by = by
    locked.save()
    replace_details(program, locked, cleaned)
    if late:
        changes = edit_changes(before, visit_snapshot(locked))
        record_change(
            program=program,
            practice=locked.practice_id,
            subject_type=SubjectType.VISIT,
            subject_id=locked.pk,
            what="visit.edited",
            summary=edit_summary(changes, reason),
            changes=changes,
            by=by,
        )
    if locked.status == VisitStatus.LOGGED:
        feedback_request(program=program, visit=locked, by=by)  # attendees added now
    return locked


def _cleaned(locked: Visit, *, allowed, before: dict, data: dict, today: date, errors) -> dict:
    """The visit as it would stand after the edit, checked whole like a new one: the fields
    sent over what the visit has now (for a logged visit, its minutes, attendees and goals)."""
    current = {name: getattr(locked, name) for name in allowed if name not in LOG_DETAILS}
    if locked.status == VisitStatus.PLANNED:
        return clean_plan({**current, **data}, today=today, errors=errors)
    else:
        attendees = list(VisitAttendee.objects.filter(visit=locked).select_related("person"))
        links = list(VisitGoal.objects.filter(visit=locked).select_related("goal"))
        current.update(
            activities=before["activities"],
            attendees=[row.person for row in attendees],
            goals=[row.goal for row in links],
        )
        return clean_log(
            {**current, **data},
            practice_id=locked.practice_id,
            today=today,
            errors=errors,
            kept_attendees=frozenset(row.person_id for row in attendees),
            kept_goals=frozenset(row.goal_id for row in links),
        )
