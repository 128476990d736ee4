"""Writing the change history. Called by other apps' services inside their own transactions, so
a change and its line of history are saved together or not at all."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Model

from psp.history.models import ChangeRecord
from psp.tenancy.base import ensure_in_program


def json_safe(value):
    """A value as the history stores it: dates as ISO text, decimals as text, rows by name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for each field of `after` whose value differs from `before`,
    JSON-safe. Fields only in `before` count as changed to None."""
    changes = {}
    for field in dict.fromkeys([*before, *after]):
        old, new = json_safe(before.get(field)), json_safe(after.get(field))
        if old != new:
            changes[field] = [old, new]
    return changes


def change_line(
    *,
    program,
    practice,
    subject_type: str,
    subject_id: int,
    what: str,
    summary: str,
    changes: dict | None = None,
    by,
    changed_at: datetime | None = None,
    record_type: str = "",
    record_id: int | None = None,
) -> ChangeRecord:
    """One line of a subject's history, not yet saved (for callers that write many at once
    with bulk_create). `practice` is the practice the change is about (a row or an id); `by`
    the person who made it (None for the system); `record_type`/`record_id` the part of the
    subject the line is about (a plan's goal or action), if it is one."""
    practice_id = practice if isinstance(practice, int) else practice.pk
    if not isinstance(practice, int):
        ensure_in_program(program, practice)
    record = ChangeRecord(
        program=program,
        practice_id=practice_id,
        subject_type=subject_type,
        subject_id=subject_id,
        record_type=record_type,
        record_id=record_id,
        what=what,
        summary=summary[:500],
        changes=json_safe(changes or {}),
        changed_by=by,
    )
    if changed_at is not None:
        record.changed_at = changed_at
    return record


def record_change(**line) -> ChangeRecord:
    """Add one line to a subject's history (the arguments of `change_line`)."""
    record = change_line(**line)
    record.save()
    return record


def _shown(model, field: str, value) -> str:
    """A field's value as a sentence shows it: dates as 12 Mar 2027, choices by label."""
    if value is None or value == "":
        return "none"
    choices = dict(model._meta.get_field(field).flatchoices)
    if value in choices:
        return str(choices[value]).lower()
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    text = str(value)
    return text if len(text) <= 60 else text[:58] + "…"


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def changes_phrase(model, before: dict, after: dict) -> tuple[dict, str]:
    """The field changes between two states of a row ({field: [before, after]}, JSON-safe)
    and the same as words: "target date 12 Mar 2027 → 30 Apr 2027; measurable target ..."."""
    changes = diff(before, after)
    phrase = "; ".join(
        f"{_label(model, f)} {_shown(model, f, before.get(f))} → {_shown(model, f, after.get(f))}"
        for f in changes
    )
    return changes, phrase
