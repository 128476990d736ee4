"""History kept the old ways becomes lines of the one history (coaching migration 0006): rows are
built as the code before it wrote them (VisitRevision snapshots, ActionStatusChange steps without
lines, plan lines that do not name their action), then Django's MigrationExecutor runs the
migrations between the two states, and the history reads as the services write it now."""

from datetime import date, datetime, timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from psp.history.models import ChangeRecord, RecordType, SubjectType
from psp.history.selectors import history_of
from psp.tenancy.scope import program_scope

pytestmark = pytest.mark.django_db(transaction=True)  # the schema moves between the states

BEFORE = [
    ("coaching", "0005_visit_submission_fingerprint"),
    ("history", "0002_subjects_visit_action_and_parts"),
]
AFTER = [("coaching", "0007_remove_visitrevision")]
T0 = timezone.make_aware(datetime(2026, 3, 2, 10, 0))


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def old_apps(world):
    """The models as they were before the migration (VisitRevision among them), with the
    database migrated back to match; the database goes forward again afterwards."""
    executor = migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def lines(subject_type, subject_id) -> list[ChangeRecord]:
    return list(
        ChangeRecord.all_programs.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )


# Visits -----------------------------------------------------------------------------------------


def snapshot(world, *, duration, activities, attendees, notes) -> dict:
    """A visit as a VisitRevision kept it."""
    return {
        "status": "logged",
        "visit_date": "2026-03-01",
        "start_time": "09:30",
        "mode": "on_site",
        "duration_minutes": duration,
        "travel_minutes": 0,
        "other_attendees": 0,
        "purpose": "",
        "notes": notes,
        "activities": activities,
        "attendees": [{"id": person.pk, "name": person.full_name} for person in attendees],
        "goals": [],
    }


def test_each_visit_revision_becomes_a_line_from_its_snapshot_to_the_next(world, old_apps):
    Visit = old_apps.get_model("coaching", "Visit")
    VisitActivity = old_apps.get_model("coaching", "VisitActivity")
    VisitAttendee = old_apps.get_model("coaching", "VisitAttendee")
    VisitRevision = old_apps.get_model("coaching", "VisitRevision")
    program = world.program.pk
    visit = Visit.objects.create(
        program_id=program,
        practice_id=world.practice.pk,
        coach_id=world.coach.pk,
        status="logged",
        visit_date=date(2026, 3, 1),
        start_time="09:30",
        mode="on_site",
        duration_minutes=90,
        notes="Final notes",
    )
    VisitActivity.objects.create(program_id=program, visit=visit, activity="workflow", minutes=60)
    VisitActivity.objects.create(program_id=program, visit=visit, activity="cpd", minutes=30)
    for person in (world.lead, world.staff):
        VisitAttendee.objects.create(program_id=program, visit=visit, person_id=person.pk)
    # Saved out of order: the migration orders them by time.
    VisitRevision.objects.create(
        program_id=program,
        visit=visit,
        revised_at=at(26),
        revised_by_id=world.lead.pk,
        reason="",
        snapshot=snapshot(
            world,
            duration=90,
            activities={"cpd": 30, "workflow": 60},
            attendees=[world.lead, world.staff],
            notes="Better notes",
        ),
    )
    VisitRevision.objects.create(
        program_id=program,
        visit=visit,
        revised_at=at(24),
        revised_by_id=world.coach.pk,
        reason="Added the staff member",
        snapshot=snapshot(
            world,
            duration=60,
            activities={"workflow": 60},
            attendees=[world.lead],
            notes="First notes",
        ),
    )

    migrate(AFTER)

    first, second = lines(SubjectType.VISIT, visit.pk)
    assert (first.changed_by, first.changed_at, first.practice_id) == (
        world.coach,
        at(24),
        world.practice.pk,
    )
    assert first.what == "visit.edited"
    assert first.changes == {
        "duration_minutes": ["60 min", "90 min"],
        "activities": [
            "Workflow and systems optimization: 60 min",
            "Workflow and systems optimization: 60 min; CPD and education: 30 min",
        ],
        "attendees": [
            world.lead.full_name,
            ", ".join(sorted([world.lead.full_name, world.staff.full_name])),
        ],
        "notes": ["First notes", "Better notes"],
    }
    assert first.summary == (
        "Visit edited after its day: duration, minutes by activity, attendees, notes. "
        "Why: Added the staff member"
    )
    # The last revision's "after" is the visit as it is now.
    assert (second.changed_by, second.changed_at) == (world.lead, at(26))
    assert second.changes == {"notes": ["Better notes", "Final notes"]}
    assert second.summary == "Visit edited after its day: notes."
    with program_scope(world.program):
        assert [line.pk for line in history_of(subject_type="visit", subject_id=visit.pk)] == [
            second.pk,
            first.pk,
        ]


# Actions ----------------------------------------------------------------------------------------


def test_action_steps_and_plan_lines_become_the_actions_history(world, old_apps):
    SupportPlan = old_apps.get_model("coaching", "SupportPlan")
    PlanGoal = old_apps.get_model("coaching", "PlanGoal")
    PlanAction = old_apps.get_model("coaching", "PlanAction")
    Step = old_apps.get_model("coaching", "ActionStatusChange")
    Line = old_apps.get_model("history", "ChangeRecord")
    program, practice = world.program.pk, world.practice.pk
    plan = SupportPlan.objects.create(
        program_id=program, practice_id=practice, title="Plan", status="active"
    )
    goal = PlanGoal.objects.create(program_id=program, plan=plan, title="Roles", position=0)

    def action(title, **extra):
        return PlanAction.objects.create(
            program_id=program, practice_id=practice, title=title, created_at=T0, **extra
        )

    room = action("Book the big room", plan=plan, goal=goal)
    vendor = action("Call the vendor", plan=plan, goal=goal)
    twins = [action("Print the list", plan=plan, goal=goal) for _ in range(2)]
    loose = action("Print the checklist")  # agreed at a visit, no plan

    def plan_line(hours, what, summary, changes):
        return Line.objects.create(
            program_id=program,
            practice_id=practice,
            subject_type="plan",
            subject_id=plan.pk,
            what=what,
            summary=summary,
            changes=changes,
            changed_by_id=world.coach.pk,
            changed_at=at(hours),
        )

    added = plan_line(
        0,
        "action.added",
        "Action “Book the room” added to goal “Roles”.",
        {"title": [None, "Book the room"]},
    )
    renamed = plan_line(
        1,
        "action.edited",
        "Action “Book the room”: title Book the room → Book the big room",
        {"title": ["Book the room", "Book the big room"]},
    )
    owned = plan_line(
        2, "action.edited", "Action “Call the vendor”: owner none → Lead", {"owner": [None, "L"]}
    )
    removed = plan_line(
        3, "action.removed", "Action “Old idea” removed.", {"title": ["Old idea", None]}
    )
    either = plan_line(
        4,
        "action.edited",
        "Action “Print the list”: due date none → 3 May 2026",
        {"due_on": [None, "2026-05-03"]},
    )

    def step(row, hours, from_status, to_status, note="", by=world.coach):
        Step.objects.create(
            program_id=program,
            action=row,
            from_status=from_status,
            to_status=to_status,
            note=note,
            changed_at=at(hours),
            changed_by_id=by.pk,
        )

    for row in (room, vendor, *twins, loose):
        step(row, 0, "", "open")
    step(room, 5, "open", "in_progress", by=world.staff)
    step(room, 6, "in_progress", "in_progress", "Half the slots are booked.", by=world.lead)
    step(room, 7, "in_progress", "dropped", "No budget this year.")
    step(loose, 8, "open", "done", "Printed.", by=world.staff)

    migrate(AFTER)

    def linked(line):
        fresh = ChangeRecord.all_programs.get(pk=line.pk)
        return fresh.record_type, fresh.record_id

    # The plan's lines name their action where only one action can be meant.
    assert linked(added) == linked(renamed) == (RecordType.ACTION, room.pk)
    assert linked(owned) == (RecordType.ACTION, vendor.pk)
    assert linked(removed) == linked(either) == ("", None)

    # The room's creation is the plan's "added" line; its moves and note are lines of its own.
    moved, noted, dropped = lines(SubjectType.ACTION, room.pk)
    assert (moved.what, moved.changed_by, moved.changes) == (
        "action.moved",
        world.staff,
        {"status": ["open", "in_progress"]},
    )
    assert (noted.what, noted.changes) == (
        "action.noted",
        {"status_note": [None, "Half the slots are booked."]},
    )
    assert dropped.changes == {
        "status": ["in_progress", "dropped"],
        "status_note": ["Half the slots are booked.", "No budget this year."],
    }
    assert dropped.summary == (
        "Action “Book the big room” moved from in progress to dropped. Why: No budget this year."
    )
    with program_scope(world.program):
        history = list(history_of(subject_type="action", subject_id=room.pk))
    assert [line.pk for line in history] == [dropped.pk, noted.pk, moved.pk, renamed.pk, added.pk]

    # Without a line of the plan saying it was added, the creation step is the first line.
    [created] = lines(SubjectType.ACTION, vendor.pk)
    assert (created.what, created.changes) == ("action.added", {"status": [None, "open"]})
    created, done = lines(SubjectType.ACTION, loose.pk)
    assert created.summary == "Action “Print the checklist” added, open."
    assert done.summary == "Action “Print the checklist” moved from open to done. Note: Printed."

    # Run again (after going back, say), it adds no second line for a step.
    before = ChangeRecord.all_programs.count()
    migration = import_module("coaching.migrations.0006_history_lines")
    migration.action_steps_to_lines(MigrationExecutor(connection).loader.project_state(AFTER).apps)
    assert ChangeRecord.all_programs.count() == before
