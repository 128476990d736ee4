"""Each change to a plan, an assessment round, a visit (edited after its day) or an action leaves
a line of history: who, when, what, and the fields' values before and after."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assessments.rounds import submission
from coaching.actions import services as action_services
from coaching.models import PlanGoal
from coaching.plans import services
from psp.history.models import ChangeRecord, RecordType, SubjectType
from psp.history.services import diff, record_change
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import ANSWERS, answer, questions_by_key, submit_round
from tests.coaching.helpers import make_acceptable
from tests.history.helpers import (
    action_history,
    plan_history,
    round_history,
    visit_days_ago,
    visit_edit,
    visit_history,
)


def test_diff_keeps_only_changed_fields_as_json_safe_pairs():
    before = {"title": "Roles", "target_date": date(2027, 3, 12), "measure": "Same"}
    after = {"title": "Roles", "target_date": date(2027, 4, 30), "measure": "Same"}
    assert diff(before, after) == {"target_date": ["2027-03-12", "2027-04-30"]}
    assert diff({}, {"title": "New"}) == {"title": [None, "New"]}
    assert diff({"title": "Gone"}, {}) == {"title": ["Gone", None]}


def test_record_change_keeps_who_what_and_the_changes(world, in_program):
    record = record_change(
        program=world.program,
        practice=world.practice,
        subject_type=SubjectType.PLAN,
        subject_id=7,
        what="plan.edited",
        summary="Plan edited",
        changes={"due": [date(2027, 1, 1), None]},
        by=world.coach,
    )
    record.refresh_from_db()
    assert record.changed_by == world.coach
    assert record.practice_id == world.practice.pk
    assert record.changes == {"due": ["2027-01-01", None]}


# Plans ----------------------------------------------------------------------------------------


def test_drafting_a_plan_starts_its_history(world, drafted):
    [line] = plan_history(world, drafted.plan)
    assert line.what == "plan.drafted"
    assert line.changed_by == world.coach
    assert "2 goals" in line.summary


def test_editing_a_plan_records_each_field_before_and_after_and_who(world, drafted):
    old_title = drafted.plan.title
    with program_scope(world.program):
        services.plan_update(
            program=world.program,
            plan=drafted.plan,
            by=world.lead,
            data={"title": "Riverside plan, revised", "summary": drafted.plan.summary},
        )
    line = plan_history(world, drafted.plan)[0]
    assert line.what == "plan.edited"
    assert line.changed_by == world.lead
    assert line.changes == {"title": [old_title, "Riverside plan, revised"]}
    assert "Riverside plan, revised" in line.summary


def test_saving_a_plan_unchanged_adds_nothing(world, drafted):
    plan = drafted.plan
    with program_scope(world.program):
        services.plan_update(
            program=world.program, plan=plan, by=world.lead, data={"title": plan.title}
        )
    assert [line.what for line in plan_history(world, plan)] == ["plan.drafted"]


def test_a_goal_edit_names_the_goal_and_the_dates_before_and_after(world, drafted):
    with program_scope(world.program):
        goal = PlanGoal.objects.filter(plan=drafted.plan).first()
        before = goal.target_date
        services.goal_update(
            program=world.program,
            goal=goal,
            by=world.coach,
            data={"target_date": date(2027, 4, 30)},
        )
    line = plan_history(world, drafted.plan)[0]
    assert line.what == "goal.edited"
    assert line.changes == {"target_date": [before.isoformat(), "2027-04-30"]}
    assert line.summary == (
        f"Goal “{goal.title}”: target date {before.day} {before:%b %Y} → 30 Apr 2027"
    )


def test_adding_and_removing_a_goal_are_recorded(world, drafted):
    with program_scope(world.program):
        goal = services.goal_add(
            program=world.program,
            plan=drafted.plan,
            by=world.lead,
            title="Clear team roles",
            measure="Roles chart on the wall",
        )
        services.goal_remove(program=world.program, goal=goal, by=world.coach)
    removed, added = plan_history(world, drafted.plan)[:2]
    assert (added.what, added.changed_by) == ("goal.added", world.lead)
    assert added.changes["title"] == [None, "Clear team roles"]
    assert (removed.what, removed.changed_by) == ("goal.removed", world.coach)
    assert "Clear team roles" in removed.summary
    assert removed.changes["measure"] == ["Roles chart on the wall", None]


def test_action_edits_name_the_owner_before_and_after(world, drafted):
    with program_scope(world.program):
        action = drafted.plan.actions.order_by("pk").first()
        action_services.action_update(
            program=world.program, action=action, by=world.coach, data={"owner": world.lead}
        )
    line = plan_history(world, drafted.plan)[0]
    assert line.what == "action.edited"
    assert line.changes == {"owner": [None, str(world.lead)]}


def test_accepting_and_completing_are_recorded_with_who(world, drafted):
    make_acceptable(world, drafted.plan)
    with program_scope(world.program):
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.lead)
        services.plan_complete(program=world.program, plan=drafted.plan, by=world.coach)
    completed, accepted = plan_history(world, drafted.plan)[:2]
    assert (accepted.what, accepted.changed_by) == ("plan.accepted", world.lead)
    assert accepted.changes == {"status": ["draft", "active"]}
    assert (completed.what, completed.changed_by) == ("plan.completed", world.coach)


def test_a_refused_change_leaves_no_history(world, drafted):
    with program_scope(world.program), pytest.raises(ValidationError):
        services.plan_update(
            program=world.program, plan=drafted.plan, by=world.lead, data={"title": ""}
        )
    assert [line.what for line in plan_history(world, drafted.plan)] == ["plan.drafted"]


def test_action_status_moves_stay_on_the_action_not_the_plan_history(world, drafted):
    make_acceptable(world, drafted.plan)
    with program_scope(world.program):
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)
        action = drafted.plan.actions.order_by("pk").first()
        action_services.action_status_change(
            program=world.program, action=action, status="in_progress", by=world.lead
        )
    assert plan_history(world, drafted.plan)[0].what == "plan.accepted"


def test_goal_lines_name_the_goal_they_are_about(world, drafted):
    with program_scope(world.program):
        goal = PlanGoal.objects.filter(plan=drafted.plan).first()
        services.goal_update(
            program=world.program, goal=goal, by=world.coach, data={"measure": "Weekly"}
        )
    line = plan_history(world, drafted.plan)[0]
    assert (line.record_type, line.record_id) == (RecordType.GOAL, goal.pk)


# Visits -----------------------------------------------------------------------------------------


def test_a_visit_edited_after_its_day_records_each_field_before_and_after(world):
    visit = visit_days_ago(world, attendees=[world.lead], notes="First notes")
    visit_edit(
        world,
        visit,
        reason="Forgot the staff member",
        duration_minutes=90,
        activities={"workflow": 60, "cpd": 30},
        attendees=[world.lead, world.staff],
        notes="Better notes",
    )
    [line] = visit_history(world, visit)
    assert (line.what, line.changed_by, line.practice_id) == (
        "visit.edited",
        world.coach,
        world.practice.pk,
    )
    assert line.changes == {
        "duration_minutes": ["60 min", "90 min"],
        "activities": [
            "Workflow and systems optimization: 60 min",
            "Workflow and systems optimization: 60 min; CPD and education: 30 min",
        ],
        "attendees": [str(world.lead), ", ".join(sorted([str(world.lead), str(world.staff)]))],
        "notes": ["First notes", "Better notes"],
    }
    assert line.summary.endswith("Why: Forgot the staff member")
    assert ("Duration", "60 min", "90 min") in [
        (label.capitalize(), before, after) for label, before, after in line.field_changes()
    ]


def test_a_visit_edited_on_its_day_or_unchanged_has_no_history(world):
    today = visit_days_ago(world, days=0)
    visit_edit(world, today, notes="Added the same day")
    earlier = visit_days_ago(world)
    visit_edit(world, earlier, duration_minutes=60)
    assert visit_history(world, today) == visit_history(world, earlier) == []


def test_each_late_edit_of_a_visit_is_a_line_newest_first(world):
    visit = visit_days_ago(world, notes="One")
    visit_edit(world, visit, notes="Two")
    visit_edit(world, visit, notes="Three", mode="phone")
    newest, oldest = visit_history(world, visit)
    assert oldest.changes == {"notes": ["One", "Two"]}
    assert newest.changes == {"mode": ["On-site", "Phone"], "notes": ["Two", "Three"]}
    assert newest.summary == "Visit edited after its day: mode, notes."


# Actions ----------------------------------------------------------------------------------------


def accepted(world, drafted):
    make_acceptable(world, drafted.plan)
    with program_scope(world.program):
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)
        return drafted.plan.actions.order_by("pk").first()


def test_an_actions_history_has_its_moves_and_its_edits_filed_under_its_plan(world, drafted):
    action = accepted(world, drafted)
    with program_scope(world.program):
        action_services.action_update(
            program=world.program,
            action=action,
            by=world.lead,
            data={"due_on": date(2027, 5, 3)},
        )
        action_services.action_status_change(
            program=world.program, action=action, status="in_progress", by=world.staff
        )
        action_services.action_status_change(
            program=world.program,
            action=action,
            status="dropped",
            by=world.lead,
            note="The practice chose another tool.",
        )
    dropped, started, edited, added = action_history(world, action)
    assert (added.what, added.changes) == ("action.added", {"status": [None, "open"]})
    assert (edited.what, edited.changed_by) == ("action.edited", world.lead)
    assert edited.changes["due_on"][1] == "2027-05-03"
    assert (edited.subject_type, edited.record_type, edited.record_id) == (
        SubjectType.PLAN,
        RecordType.ACTION,
        action.pk,
    )
    assert (started.what, started.changed_by) == ("action.moved", world.staff)
    assert started.changes == {"status": ["open", "in_progress"]}
    assert dropped.changes == {
        "status": ["in_progress", "dropped"],
        "status_note": [None, "The practice chose another tool."],
    }
    assert dropped.summary == (
        f"Action “{action.title}” moved from in progress to dropped. "
        "Why: The practice chose another tool."
    )
    # The plan's history keeps its edits, not the action's own moves.
    assert "action.moved" not in [line.what for line in plan_history(world, drafted.plan)]


def test_a_note_without_a_move_records_the_note_before_and_after(world, drafted):
    action = accepted(world, drafted)
    with program_scope(world.program):
        for note in ("Booked the room.", "Invited the team."):
            action_services.action_status_change(
                program=world.program, action=action, status="in_progress", by=world.lead, note=note
            )
    noted, moved = action_history(world, action)[:2]
    assert moved.changes["status_note"] == [None, "Booked the room."]
    assert noted.what == "action.noted"
    assert noted.changes == {"status_note": ["Booked the room.", "Invited the team."]}


def test_an_action_added_by_hand_starts_its_history_with_the_plans_line(world, drafted):
    with program_scope(world.program):
        goal = drafted.plan.goals.first()
        action = action_services.action_add(
            program=world.program, goal=goal, by=world.lead, title="Book the room"
        )
    [line] = action_history(world, action)
    assert (line.what, line.subject_type, line.changed_by) == (
        "action.added",
        SubjectType.PLAN,
        world.lead,
    )


def test_an_action_agreed_at_a_visit_without_a_plan_has_its_own_history(world):
    visit = visit_days_ago(world, new_actions=[{"title": "Print the checklist", "owner": None}])
    with program_scope(world.program):
        action = visit.new_actions.get()
        action_services.action_update(
            program=world.program, action=action, by=world.coach, data={"owner": world.lead}
        )
    edited, added = action_history(world, action)
    assert (added.what, added.subject_type, added.changed_by) == (
        "action.added",
        SubjectType.ACTION,
        world.coach,
    )
    assert (edited.what, edited.subject_type) == ("action.edited", SubjectType.ACTION)
    assert edited.changes == {"owner": [None, str(world.lead)]}


# Assessment rounds ------------------------------------------------------------------------------


def test_opening_a_round_starts_its_history(world, round_):
    [line] = round_history(world, round_)
    assert (line.what, line.changed_by) == ("assessment.opened", world.lead)
    assert line.practice_id == world.practice.pk


def test_autosaved_answers_are_not_history_but_submitting_them_is(world, round_):
    answer(world, round_, world.staff, {"roles-clear": 2})
    assert [line.what for line in round_history(world, round_)] == ["assessment.opened"]
    answer(world, round_, world.staff, ANSWERS, submit=True)
    line = round_history(world, round_)[0]
    assert (line.what, line.changed_by) == ("response.submitted", world.staff)


def test_a_consensus_records_the_answer_and_note_before_and_after(world, round_):
    question = questions_by_key(round_.version)["lead-time"]
    with program_scope(world.program):
        submission.consensus_record(
            program=world.program,
            assessment=round_,
            question=question,
            value="none",
            by=world.coach,
        )
        submission.consensus_record(
            program=world.program,
            assessment=round_,
            question=question,
            value="lots",
            note="Agreed at the team meeting.",
            by=world.lead,
        )
    second, first = round_history(world, round_)[:2]
    assert first.changes == {"answer": [None, "None"]}
    assert second.changed_by == world.lead
    assert second.changes == {
        "answer": ["None", "A day"],
        "note": [None, "Agreed at the team meeting."],
    }
    assert second.summary == "Consensus on lead-time: None → A day."


def test_submitting_a_round_records_its_score(world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    submitted = submit_round(world, round_, by=world.coach)
    line = round_history(world, round_)[0]
    assert (line.what, line.changed_by) == ("assessment.submitted", world.coach)
    assert line.changes["status"] == ["open", "submitted"]
    assert line.changes["overall_score"] == [None, str(submitted.overall_score)]


def test_history_lines_belong_to_their_program(world, other_world, round_):
    with program_scope(other_world.program):
        assert not ChangeRecord.objects.exists()
