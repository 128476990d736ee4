"""A visit's edits as lines of the one change history (psp/history): what an edit changed, field
by field, with each value as the visit's page shows it (dates as 12 Mar 2027, minutes by
activity, attendees and goals by name), so the line reads the same however the visit changes
later. Pure functions of two snapshots (coaching.visits.selectors.visit_snapshot): no database,
no clock."""

from datetime import date

from coaching.visits.models import Activity, VisitMode, VisitStatus

# A snapshot's fields in the order an edit's changes are listed, with the words a summary uses.
FIELDS = {
    "status": "status",
    "visit_date": "date",
    "start_time": "start time",
    "mode": "mode",
    "duration_minutes": "duration",
    "activities": "minutes by activity",
    "travel_minutes": "travel",
    "attendees": "attendees",
    "other_attendees": "other attendees",
    "goals": "goals worked on",
    "purpose": "purpose",
    "notes": "notes",
}


def readable(name: str, value) -> str | None:
    """One snapshot value as the visit's page shows it; None for a blank."""
    if value in (None, "", [], {}):
        return None
    if name == "visit_date":
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return str(value)
        return f"{day.day} {day:%b %Y}"
    if name == "mode":
        return dict(VisitMode.choices).get(value, str(value))
    if name == "status":
        return dict(VisitStatus.choices).get(value, str(value))
    if name in ("duration_minutes", "travel_minutes"):
        return f"{value} min"
    if name == "activities" and isinstance(value, dict):
        order = {key: i for i, (key, _) in enumerate(Activity.choices)}
        names = dict(Activity.choices)
        return "; ".join(
            f"{names.get(key, key)}: {minutes} min"
            for key, minutes in sorted(value.items(), key=lambda item: order.get(item[0], 99))
            if minutes
        )
    if name == "attendees" and isinstance(value, list):
        return ", ".join(str(item.get("name") or f"person {item.get('id')}") for item in value)
    if name == "goals" and isinstance(value, list):
        return "; ".join(str(item.get("title") or f"goal {item.get('id')}") for item in value)
    return str(value)


def edit_changes(before: dict, after: dict) -> dict:
    """{field: [before, after]} for each field an edit changed, as readable values, in the
    order of FIELDS. A field one of the snapshots does not hold is left out."""
    changes = {}
    for name in FIELDS:
        if name not in before or name not in after:
            continue
        old, new = readable(name, before[name]), readable(name, after[name])
        if old != new:
            changes[name] = [old, new]
    return changes


def edit_summary(changes: dict, reason: str = "") -> str:
    """The line's sentence: which fields the edit changed, and why (the reason given)."""
    fields = ", ".join(FIELDS.get(name, name) for name in changes)
    summary = f"Visit edited after its day: {fields}." if fields else "Visit edited after its day."
    return f"{summary} Why: {reason}" if reason else summary
