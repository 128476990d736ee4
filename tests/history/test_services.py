"""Each change to a plan or an assessment round leaves a line of history: who, when, what, and
the fields' values before and after."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assessments.rounds import submission
from coaching.actions import services as action_services
from coaching.models import PlanGoal
from coaching.plans import services
from psp.history.models import ChangeRecord, SubjectType
from psp.history.services import diff, record_change
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import ANSWERS, answer, questions_by_key, submit_round
from tests.coaching.helpers import make_acceptable
from tests.history.helpers import plan_history, round_history


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
