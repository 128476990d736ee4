"""The one change history (psp/history ChangeRecord) takes over what coaching kept its own way.

1. The lines of plans' histories about one of the plan's actions (action.added, .edited,
   .removed, written before lines named the row they are about) learn which action, where that
   can be told for sure, so the action's own history finds them.
2. Every VisitRevision (the visit as it stood before an edit made after its day) becomes a line
   of the visit's history: for each visit, revisions in time order, revision i's snapshot is the
   state before edit i, the state after it is revision i+1's snapshot (the visit as it is now for
   the last); their difference is the line's `changes`, as coaching/visits/history.py writes them.
   The next migration removes VisitRevision.
3. Every ActionStatusChange (it stays, as the domain event) gets its line of the action's
   history, as coaching/actions/history.py writes them, except the creation of an action whose
   plan's history already says it was added (step 1 found that line).

The functions below are frozen copies of the code that writes such lines today, so that this
migration does the same whatever that code becomes. They use the historical models (plain
managers: every program's rows, as the `all_programs` manager reads them) and plain ORM calls,
so they run on SQLite and PostgreSQL alike.

Going back is a no-op: the lines are what the history says happened, VisitRevision rows are
recreated (empty) by reversing the next migration, and ActionStatusChange is untouched. Running
forward again adds no second line for a step that already has one.
"""

from datetime import date, timedelta

from django.db import migrations

BATCH = 1000

# Step 1: plan lines about actions ------------------------------------------------------------

# An action's line cannot come before the action was created (allowing for the moment between
# the row's and the line's clocks); this keeps an action deleted with its goal, unrecorded, from
# lending its lines to a later action of the same title.
CLOCK_SLACK = timedelta(minutes=1)
ACTION_WHATS = ("action.added", "action.edited", "action.removed")


def _title_named(line) -> str | None:
    """The title the line names the action by: the one it was added with, or had before the
    edit or removal."""
    title = (line.changes or {}).get("title")
    if title:
        return title[1] if line.what == "action.added" else title[0]
    prefix = "Action “"
    if not line.summary.startswith(prefix):
        return None
    rest = line.summary[len(prefix) :]
    end = rest.find("”: ") if line.what == "action.edited" else rest.find("”")
    return rest[:end] if end >= 0 else None


def link_plan_lines_to_actions(apps):
    """Walk each plan's action lines newest first from its actions' titles as they are now,
    undoing each title change on the way, and name the action of a line when exactly one
    action of the plan had the line's title then (and already existed)."""
    ChangeRecord = apps.get_model("history", "ChangeRecord")
    PlanAction = apps.get_model("coaching", "PlanAction")
    lines = ChangeRecord.objects.filter(
        subject_type="plan", what__in=ACTION_WHATS, record_id__isnull=True
    ).order_by("subject_id", "-changed_at", "-pk")
    by_plan: dict[int, list] = {}
    for line in lines.iterator(chunk_size=BATCH):
        by_plan.setdefault(line.subject_id, []).append(line)
    linked = []
    for plan_id, plan_lines in by_plan.items():
        actions = PlanAction.objects.filter(plan_id=plan_id).values_list(
            "pk", "title", "created_at"
        )
        titles: dict = {pk: title for pk, title, _ in actions}
        created = {pk: created_at for pk, _, created_at in actions}
        for line in plan_lines:
            before = _title_named(line)
            if before is None:
                continue
            if line.what == "action.removed":
                # Gone now, but it was there: its earlier lines share its title with no action.
                titles[("removed", line.pk)] = before
                continue
            change = (line.changes or {}).get("title")
            after = change[1] if line.what == "action.edited" and change else before
            matches = [key for key, title in titles.items() if title == after]
            if len(matches) != 1:
                # Which action is meant cannot be told: an action had `before` then (so older
                # lines naming it stay unsure too), and a renamed one's older title is unknown.
                if line.what == "action.edited":
                    titles[("unsure", line.pk)] = before
                    if change:
                        titles.update(dict.fromkeys(matches))
                continue
            [key] = matches
            if isinstance(key, int) and created[key] <= line.changed_at + CLOCK_SLACK:
                line.record_type, line.record_id = "action", key
                linked.append(line)
            if line.what == "action.added":
                del titles[key]  # before it was added, it was not there
            else:
                titles[key] = before
    ChangeRecord.objects.bulk_update(linked, ["record_type", "record_id"], batch_size=BATCH)


# Step 2: visit revisions ---------------------------------------------------------------------

VISIT_FIELDS = {
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
MODES = {"on_site": "On-site", "virtual": "Virtual", "phone": "Phone", "email": "Email"}
VISIT_STATUSES = {"planned": "Planned", "logged": "Logged", "cancelled": "Cancelled"}
ACTIVITIES = {
    "assessment_planning": "Assessment and planning",
    "workflow": "Workflow and systems optimization",
    "technology": "Technology / EHR training",
    "compliance": "Compliance guidance",
    "cpd": "CPD and education",
    "facilitation": "Team facilitation and mentoring",
    "data_review": "Data and measurement review",
    "other": "Other",
}


def _readable(name: str, value):
    if value in (None, "", [], {}):
        return None
    if name == "visit_date":
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return str(value)
        return f"{day.day} {day:%b %Y}"
    if name == "mode":
        return MODES.get(value, str(value))
    if name == "status":
        return VISIT_STATUSES.get(value, str(value))
    if name in ("duration_minutes", "travel_minutes"):
        return f"{value} min"
    if name == "activities" and isinstance(value, dict):
        order = {key: i for i, key in enumerate(ACTIVITIES)}
        return "; ".join(
            f"{ACTIVITIES.get(key, key)}: {minutes} min"
            for key, minutes in sorted(value.items(), key=lambda item: order.get(item[0], 99))
            if minutes
        )
    if name == "attendees" and isinstance(value, list):
        return ", ".join(str(item.get("name") or f"person {item.get('id')}") for item in value)
    if name == "goals" and isinstance(value, list):
        return "; ".join(str(item.get("title") or f"goal {item.get('id')}") for item in value)
    return str(value)


def visit_edit_changes(before: dict, after: dict) -> dict:
    changes = {}
    for name in VISIT_FIELDS:
        if name not in before or name not in after:
            continue
        old, new = _readable(name, before[name]), _readable(name, after[name])
        if old != new:
            changes[name] = [old, new]
    return changes


def visit_edit_summary(changes: dict, reason: str) -> str:
    fields = ", ".join(VISIT_FIELDS.get(name, name) for name in changes)
    summary = f"Visit edited after its day: {fields}." if fields else "Visit edited after its day."
    return (f"{summary} Why: {reason}" if reason else summary)[:500]


def _visit_now(apps, visit) -> dict:
    """The visit as it stands, in the form the revisions kept it."""
    VisitActivity = apps.get_model("coaching", "VisitActivity")
    VisitAttendee = apps.get_model("coaching", "VisitAttendee")
    VisitGoal = apps.get_model("coaching", "VisitGoal")
    attendees = (
        VisitAttendee.objects.filter(visit_id=visit.pk)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    goals = (
        VisitGoal.objects.filter(visit_id=visit.pk)
        .select_related("goal")
        .order_by("goal__position", "pk")
    )
    return {
        "status": visit.status,
        "visit_date": visit.visit_date.isoformat() if visit.visit_date else None,
        "start_time": visit.start_time.strftime("%H:%M") if visit.start_time else None,
        "mode": visit.mode,
        "duration_minutes": visit.duration_minutes,
        "travel_minutes": visit.travel_minutes,
        "other_attendees": visit.other_attendees,
        "purpose": visit.purpose,
        "notes": visit.notes,
        "activities": dict(
            VisitActivity.objects.filter(visit_id=visit.pk)
            .order_by("activity")
            .values_list("activity", "minutes")
        ),
        "attendees": [
            {"id": row.person_id, "name": row.person.full_name or row.person.email}
            for row in attendees
        ],
        "goals": [{"id": row.goal_id, "title": row.goal.title} for row in goals],
    }


def visit_revisions_to_lines(apps):
    VisitRevision = apps.get_model("coaching", "VisitRevision")
    Visit = apps.get_model("coaching", "Visit")
    ChangeRecord = apps.get_model("history", "ChangeRecord")
    by_visit: dict[int, list] = {}
    for revision in VisitRevision.objects.order_by("visit_id", "revised_at", "pk").iterator(
        chunk_size=BATCH
    ):
        by_visit.setdefault(revision.visit_id, []).append(revision)
    lines = []
    for visit in Visit.objects.filter(pk__in=list(by_visit)).order_by("pk"):
        revisions = by_visit[visit.pk]
        states = [revision.snapshot for revision in revisions[1:]] + [_visit_now(apps, visit)]
        for revision, after in zip(revisions, states, strict=True):
            changes = visit_edit_changes(revision.snapshot, after)
            lines.append(
                ChangeRecord(
                    program_id=revision.program_id,
                    practice_id=visit.practice_id,
                    subject_type="visit",
                    subject_id=visit.pk,
                    what="visit.edited",
                    summary=visit_edit_summary(changes, revision.reason),
                    changes=changes,
                    changed_by_id=revision.revised_by_id,
                    changed_at=revision.revised_at,
                )
            )
    ChangeRecord.objects.bulk_create(lines, batch_size=BATCH)


# Step 3: action status steps -----------------------------------------------------------------

ACTION_STATUSES = {
    "open": "open",
    "in_progress": "in progress",
    "done": "done",
    "dropped": "dropped",
}


def action_step_line(ChangeRecord, step, action, note_before: str):
    title = f"Action “{action.title}”"
    to_label = ACTION_STATUSES.get(step.to_status, step.to_status)
    changes: dict = {}
    if not step.from_status:
        what, summary = "action.added", f"{title} added, {to_label}."
        changes["status"] = [None, step.to_status]
    elif step.from_status != step.to_status:
        from_label = ACTION_STATUSES.get(step.from_status, step.from_status)
        what, summary = "action.moved", f"{title} moved from {from_label} to {to_label}."
        changes["status"] = [step.from_status, step.to_status]
        if step.note:
            why = "Why" if step.to_status == "dropped" else "Note"
            summary += f" {why}: {step.note}"
    else:
        what = "action.noted"
        summary = f"{title}: note added while {to_label}: {step.note}"
    if step.note and step.note != note_before:
        changes["status_note"] = [note_before or None, step.note]
    return ChangeRecord(
        program_id=step.program_id,
        practice_id=action.practice_id,
        subject_type="action",
        subject_id=action.pk,
        what=what,
        summary=summary[:500],
        changes=changes,
        changed_by_id=step.changed_by_id,
        changed_at=step.changed_at,
    )


def action_steps_to_lines(apps):
    ActionStatusChange = apps.get_model("coaching", "ActionStatusChange")
    ChangeRecord = apps.get_model("history", "ChangeRecord")
    # Lines already there: the plan's "added" line about an action stands for its creation,
    # and a step that has its line (this migration run before) gets no second one.
    added_by_plan = set(
        ChangeRecord.objects.filter(
            subject_type="plan", what="action.added", record_type="action"
        ).values_list("record_id", flat=True)
    )
    done = set(
        ChangeRecord.objects.filter(subject_type="action").values_list("subject_id", "changed_at")
    )
    steps = (
        ActionStatusChange.objects.select_related("action")
        .order_by("action_id", "changed_at", "pk")
        .iterator(chunk_size=BATCH)
    )
    lines, action_id, note = [], None, ""
    for step in steps:
        if step.action_id != action_id:
            action_id, note = step.action_id, ""
        if step.from_status or step.action_id not in added_by_plan:
            if (step.action_id, step.changed_at) not in done:
                lines.append(action_step_line(ChangeRecord, step, step.action, note))
        if step.note:
            note = step.note
        if len(lines) >= BATCH:
            ChangeRecord.objects.bulk_create(lines)
            lines = []
    ChangeRecord.objects.bulk_create(lines)


def forwards(apps, schema_editor):
    link_plan_lines_to_actions(apps)
    visit_revisions_to_lines(apps)
    action_steps_to_lines(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0005_visit_submission_fingerprint"),
        ("history", "0002_subjects_visit_action_and_parts"),
    ]

    operations = [
        # Backwards: a no-op (see the module's docstring).
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
