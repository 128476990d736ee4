"""The visit services: logging (and what it brings along), the rules with their messages,
double submits, scheduling, completing, cancelling, and history on edit."""

import uuid
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import (
    ActionStatusChange,
    FeedbackInvite,
    GoalStatus,
    PlanAction,
    PlanStatus,
    Visit,
    VisitActivity,
    VisitStatus,
)
from coaching.visits import services
from coaching.visits.inputs import VisitInput
from practices.models import PracticeMembership
from psp.history.models import ChangeRecord, SubjectType
from tests.coaching.visits.helpers import with_input
from tests.factories import PlanGoalFactory, SupportPlanFactory, VisitFactory

pytestmark = pytest.mark.usefixtures("in_program")

TODAY = timezone.localdate


def active_goal(world, practice=None, **extra):
    plan = SupportPlanFactory(
        program=world.program, practice=practice or world.practice, status=PlanStatus.ACTIVE
    )
    return PlanGoalFactory(program=world.program, plan=plan, **extra)


def log(world, **overrides):
    arguments = {
        "program": world.program,
        "by": world.coach,
        "practice": world.practice,
        "visit_date": TODAY(),
        "duration_minutes": 60,
        "activities": {"workflow": 40, "data_review": 20},
    }
    arguments.update(overrides)
    return services.visit_log(**with_input(arguments))


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# Logging ------------------------------------------------------------------------------------


def test_a_coach_logs_a_visit_with_everything_it_brings(world):
    goal = active_goal(world)
    visit = log(
        world,
        start_time=time(9, 30),
        mode="virtual",
        travel_minutes=0,
        attendees=[world.lead, world.staff],
        other_attendees=2,
        goals=[goal],
        purpose="Huddle routine",
        notes="Agreed a daily huddle.",
        new_actions=[
            {"title": "Print the huddle board", "owner": world.lead, "due_on": None, "goal": goal},
            {"title": "Book the next session", "owner": world.coach, "due_on": TODAY()},
        ],
    )

    visit.refresh_from_db()
    assert visit.status == VisitStatus.LOGGED
    assert visit.coach == world.coach and visit.created_by == world.coach
    assert visit.logged_at is not None
    assert (visit.mode, visit.start_time, visit.other_attendees) == ("virtual", time(9, 30), 2)
    minutes = dict(VisitActivity.objects.filter(visit=visit).values_list("activity", "minutes"))
    assert minutes == {"workflow": 40, "data_review": 20}
    assert {a.person for a in visit.attendees.all()} == {world.lead, world.staff}
    assert [link.goal for link in visit.goal_links.all()] == [goal]
    actions = list(PlanAction.objects.filter(visit=visit).order_by("position"))
    assert [a.title for a in actions] == ["Print the huddle board", "Book the next session"]
    assert (actions[0].plan, actions[0].goal, actions[0].owner) == (goal.plan, goal, world.lead)
    assert (actions[1].plan, actions[1].goal, actions[1].owner) == (None, None, world.coach)
    assert all(a.practice == world.practice and a.created_by == world.coach for a in actions)
    changes = ActionStatusChange.objects.filter(action__in=actions)
    assert [(c.from_status, c.to_status, c.changed_by) for c in changes] == [
        ("", "open", world.coach),
        ("", "open", world.coach),
    ]
    # The attendees are asked for feedback.
    asked = set(FeedbackInvite.objects.filter(visit=visit).values_list("person", flat=True))
    assert asked == {world.lead.pk, world.staff.pk}


def test_a_visit_in_the_future_is_a_planned_one(world):
    with pytest.raises(ValidationError) as excinfo:
        log(world, visit_date=TODAY() + timedelta(days=1))

    assert errors_of(excinfo)["visit_date"] == [
        "A visit in the future is a planned visit: schedule it instead."
    ]
    assert not Visit.objects.exists()


def test_a_date_from_another_century_is_refused_as_a_typo(world):
    with pytest.raises(ValidationError) as old:
        log(world, visit_date=TODAY().replace(year=1))
    with pytest.raises(ValidationError) as far:
        services.visit_plan(
            program=world.program,
            by=world.coach,
            practice=world.practice,
            visit_date=TODAY() + timedelta(days=3 * 365),
        )

    assert errors_of(old)["visit_date"] == [
        "Visits are recorded from 1 January 2000: check the year."
    ]
    assert errors_of(far)["visit_date"] == ["Plan visits at most two years ahead: check the year."]
    assert not Visit.objects.exists()


def test_a_key_that_planned_a_visit_cannot_log_one(world):
    key = uuid.uuid4()
    planned = services.visit_plan(
        program=world.program,
        by=world.coach,
        practice=world.practice,
        visit_date=TODAY() + timedelta(days=3),
        submission_key=key,
    )

    with pytest.raises(ValidationError) as excinfo:
        log(world, submission_key=key)

    assert errors_of(excinfo)["submission_key"] == [
        "This key was used to plan a visit. Send a new key to log one."
    ]
    assert list(Visit.objects.values_list("pk", flat=True)) == [planned.pk]


@pytest.mark.parametrize(
    ("activities", "message"),
    [
        (
            {"workflow": 30, "cpd": 20},
            "The activities add up to 50 minutes, 10 fewer than the 60-minute duration.",
        ),
        (
            {"workflow": 60, "cpd": 15},
            "The activities add up to 75 minutes, 15 more than the 60-minute duration.",
        ),
        ({}, "The activities add up to 0 minutes, 60 fewer than the 60-minute duration."),
    ],
)
def test_minutes_by_activity_that_do_not_add_up_say_what_is_off(world, activities, message):
    with pytest.raises(ValidationError) as excinfo:
        log(world, activities=activities)

    assert errors_of(excinfo)["activities"] == [message]
    assert not Visit.objects.exists()


def test_an_unknown_activity_or_negative_minutes_are_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        log(world, activities={"gardening": 30, "workflow": -5})

    messages = errors_of(excinfo)["activities"]
    assert "“gardening” is not one of the support activities." in messages
    assert "Minutes by activity cannot be negative." in messages


@pytest.mark.parametrize("duration", [4, 721, 0])
def test_a_duration_outside_5_to_720_minutes_is_refused(world, duration):
    with pytest.raises(ValidationError) as excinfo:
        log(world, duration_minutes=duration, activities={"workflow": duration})

    assert errors_of(excinfo)["duration_minutes"] == ["The duration is between 5 and 720 minutes."]


@pytest.mark.parametrize("duration", [5, 720])
def test_durations_at_the_limits_are_fine(world, duration):
    visit = log(world, duration_minutes=duration, activities={"other": duration})

    assert visit.duration_minutes == duration


def test_attendees_must_be_active_people_of_the_practice(world):
    PracticeMembership.objects.filter(user=world.staff).update(is_active=False)

    for stranger in (world.other_coach, world.staff):
        with pytest.raises(ValidationError) as excinfo:
            log(world, attendees=[world.lead, stranger])
        assert errors_of(excinfo)["attendees"] == [
            "Choose attendees among the practice's active people."
        ]
    assert not Visit.objects.exists()


def test_goals_must_be_open_goals_of_the_practices_plans(world):
    elsewhere = active_goal(world, practice=world.other_practice)
    achieved = active_goal(world, status=GoalStatus.ACHIEVED)

    for goal in (elsewhere, achieved):
        with pytest.raises(ValidationError) as excinfo:
            log(world, goals=[goal])
        assert errors_of(excinfo)["goals"] == [
            "Choose open goals of this practice's support plans."
        ]


def test_new_actions_need_a_title_and_an_owner_of_the_practice_or_the_coach(world):
    with pytest.raises(ValidationError) as excinfo:
        log(
            world,
            new_actions=[
                {"title": "Fine", "owner": world.staff},
                {"title": "", "owner": world.coach},
                {"title": "Someone else's", "owner": world.other_coach},
                {"title": "Too early", "due_on": TODAY() - timedelta(days=1)},
            ],
        )

    assert errors_of(excinfo)["new_actions"] == [
        "Action 2: give it a title.",
        "Action 3: choose its owner among the practice's people or yourself.",
        "Action 4: give a due date on or after the visit.",
    ]
    assert not PlanAction.objects.exists()


def test_a_coach_logs_visits_only_for_practices_assigned_to_them(world):
    with pytest.raises(ValidationError) as excinfo:
        log(world, by=world.other_coach)

    assert "practice" in errors_of(excinfo)
    assert not Visit.objects.exists()


def test_a_practice_of_another_program_is_refused(world, other_world):
    with pytest.raises(ValidationError):
        log(world, practice=other_world.practice)

    assert not Visit.all_programs.exists()


def test_sending_the_same_form_twice_returns_the_first_visit(world):
    key = uuid.uuid4()

    first = log(world, submission_key=key)
    second = log(world, submission_key=str(key), notes="sent again")

    assert second.pk == first.pk
    assert Visit.objects.count() == 1
    assert Visit.objects.get().submission_key == key


def test_another_persons_submission_key_is_refused(world):
    key = uuid.uuid4()
    log(world, submission_key=key)

    with pytest.raises(ValidationError) as excinfo:
        services.visit_plan(
            program=world.program,
            by=world.other_coach,
            practice=world.other_practice,
            visit_date=TODAY(),
            submission_key=key,
        )

    assert "submission_key" in errors_of(excinfo)


# Scheduling ---------------------------------------------------------------------------------


def test_logging_can_schedule_the_next_visit_in_the_same_step(world):
    next_day = TODAY() + timedelta(days=14)

    visit = log(world, next_visit={"visit_date": next_day, "mode": "phone", "purpose": "Review"})

    planned = Visit.objects.get(status=VisitStatus.PLANNED)
    assert planned.pk != visit.pk
    assert (planned.visit_date, planned.mode, planned.purpose) == (next_day, "phone", "Review")
    assert (planned.practice, planned.coach) == (world.practice, world.coach)


def test_a_next_visit_in_the_past_refuses_the_whole_log(world):
    with pytest.raises(ValidationError) as excinfo:
        log(world, next_visit={"visit_date": TODAY() - timedelta(days=1)})

    assert errors_of(excinfo)["next_visit_date"] == ["A planned visit's date is today or later."]
    assert not Visit.objects.exists()


def test_a_planned_visit_is_today_or_later(world):
    today = services.visit_plan(
        program=world.program, by=world.coach, practice=world.practice, visit_date=TODAY()
    )
    with pytest.raises(ValidationError) as excinfo:
        services.visit_plan(
            program=world.program,
            by=world.coach,
            practice=world.practice,
            visit_date=TODAY() - timedelta(days=1),
        )

    assert today.status == VisitStatus.PLANNED and today.duration_minutes == 60
    assert errors_of(excinfo)["visit_date"] == ["A planned visit's date is today or later."]
    assert Visit.objects.count() == 1


def plan(world, days=0, **extra):
    return services.visit_plan(
        program=world.program,
        by=world.coach,
        practice=world.practice,
        visit_date=TODAY() + timedelta(days=days),
        **extra,
    )


def test_a_planned_visit_completes_into_the_same_logged_row(world):
    planned = plan(world, purpose="Data review")

    done = services.visit_complete(
        program=world.program,
        by=world.coach,
        planned=planned,
        visit=VisitInput(
            visit_date=TODAY(),
            duration_minutes=45,
            activities={"data_review": 45},
            attendees=[world.lead],
            purpose="Data review",
        ),
    )

    done.refresh_from_db()
    assert done.pk == planned.pk
    assert (done.status, done.duration_minutes) == (VisitStatus.LOGGED, 45)
    assert done.logged_at is not None
    assert FeedbackInvite.objects.filter(visit=done, person=world.lead).exists()
    assert Visit.objects.count() == 1


def test_completing_refuses_a_future_date_and_someone_elses_visit(world):
    planned = plan(world, days=3)

    def visit(day):
        return VisitInput(visit_date=day, duration_minutes=30, activities={"other": 30})

    arguments = {"program": world.program, "planned": planned}

    with pytest.raises(ValidationError) as future:
        later = visit(TODAY() + timedelta(days=3))
        services.visit_complete(by=world.coach, visit=later, **arguments)
    with pytest.raises(ValidationError):
        services.visit_complete(by=world.other_coach, visit=visit(TODAY()), **arguments)

    assert errors_of(future)["visit_date"] == [
        "A visit in the future is a planned visit: schedule it instead."
    ]
    planned.refresh_from_db()
    assert planned.status == VisitStatus.PLANNED


def test_completing_twice_with_the_same_key_returns_the_visit(world):
    planned = plan(world)
    key = uuid.uuid4()
    arguments = {
        "program": world.program,
        "by": world.coach,
        "planned": planned,
        "visit": VisitInput(visit_date=TODAY(), duration_minutes=30, activities={"other": 30}),
        "new_actions": [{"title": "Only once"}],
        "submission_key": key,
    }

    services.visit_complete(**arguments)
    again = services.visit_complete(**arguments)

    assert again.pk == planned.pk
    assert PlanAction.objects.filter(title="Only once").count() == 1


def test_cancelling_needs_a_reason(world):
    planned = plan(world, days=2)

    with pytest.raises(ValidationError) as excinfo:
        services.visit_cancel(program=world.program, by=world.coach, visit=planned, reason="  ")
    cancelled = services.visit_cancel(
        program=world.program, by=world.coach, visit=planned, reason="The practice closed."
    )

    assert errors_of(excinfo)["reason"] == ["Say why the visit is cancelled."]
    cancelled.refresh_from_db()
    assert cancelled.status == VisitStatus.CANCELLED
    assert cancelled.cancel_reason == "The practice closed."
    assert (cancelled.cancelled_by, cancelled.cancelled_at is not None) == (world.coach, True)


def test_a_logged_visit_cannot_be_cancelled(world):
    visit = log(world)

    with pytest.raises(ValidationError):
        services.visit_cancel(program=world.program, by=world.coach, visit=visit, reason="No")

    visit.refresh_from_db()
    assert visit.status == VisitStatus.LOGGED


# Editing and history ------------------------------------------------------------------------


def test_an_edit_on_the_visits_own_day_just_overwrites_it(world):
    visit = log(world)

    services.visit_update(
        program=world.program,
        by=world.coach,
        visit=visit,
        data={"notes": "Added later that day", "duration_minutes": 60},
    )

    visit.refresh_from_db()
    assert visit.notes == "Added later that day"
    assert not visit_lines().exists()


def visit_lines():
    """The lines of visits' change history."""
    return ChangeRecord.objects.filter(subject_type=SubjectType.VISIT)


def test_an_edit_after_the_visits_day_is_a_line_of_its_history(world):
    visit = log(
        world,
        visit_date=TODAY() - timedelta(days=2),
        attendees=[world.lead],
        notes="First notes",
    )

    services.visit_update(
        program=world.program,
        by=world.coach,
        visit=visit,
        data={
            "duration_minutes": 90,
            "activities": {"workflow": 60, "data_review": 30},
            "notes": "Better notes",
            "attendees": [world.lead, world.staff],
        },
        reason="Forgot the staff member",
    )

    line = visit_lines().get()
    assert (line.subject_id, line.practice_id) == (visit.pk, world.practice.pk)
    assert line.what == "visit.edited"
    assert line.changed_by == world.coach
    assert line.summary == (
        "Visit edited after its day: duration, minutes by activity, attendees, notes. "
        "Why: Forgot the staff member"
    )
    assert line.changes == {
        "duration_minutes": ["60 min", "90 min"],
        "activities": [
            "Workflow and systems optimization: 40 min; Data and measurement review: 20 min",
            "Workflow and systems optimization: 60 min; Data and measurement review: 30 min",
        ],
        "attendees": [
            world.lead.full_name,
            ", ".join(str(p) for p in sorted([world.lead, world.staff], key=str)),
        ],
        "notes": ["First notes", "Better notes"],
    }
    visit.refresh_from_db()
    assert (visit.duration_minutes, visit.notes, visit.updated_by) == (
        90,
        "Better notes",
        world.coach,
    )
    # The staff member added now is asked for feedback too.
    assert FeedbackInvite.objects.filter(visit=visit, person=world.staff).exists()


def test_an_edit_that_changes_nothing_adds_no_line(world):
    visit = log(world, visit_date=TODAY() - timedelta(days=2))

    services.visit_update(
        program=world.program, by=world.coach, visit=visit, data={"duration_minutes": 60}
    )

    assert not visit_lines().exists()


def test_an_edit_follows_the_same_rules_and_changes_nothing_when_refused(world):
    visit = log(world, visit_date=TODAY() - timedelta(days=2))

    with pytest.raises(ValidationError) as excinfo:
        services.visit_update(
            program=world.program, by=world.coach, visit=visit, data={"duration_minutes": 90}
        )

    assert errors_of(excinfo)["activities"] == [
        "The activities add up to 60 minutes, 30 fewer than the 90-minute duration."
    ]
    visit.refresh_from_db()
    assert visit.duration_minutes == 60
    assert not visit_lines().exists()


def test_only_the_visits_own_coach_edits_it(world):
    visit = VisitFactory(program=world.program, practice=world.practice, coach=world.other_coach)

    with pytest.raises(ValidationError):
        services.visit_update(
            program=world.program, by=world.coach, visit=visit, data={"notes": "Mine now"}
        )

    visit.refresh_from_db()
    assert visit.notes != "Mine now"


def test_a_planned_visit_is_rescheduled_but_not_into_the_past(world):
    planned = plan(world, days=5)

    services.visit_update(
        program=world.program,
        by=world.coach,
        visit=planned,
        data={"visit_date": TODAY() + timedelta(days=6), "mode": "phone"},
    )
    with pytest.raises(ValidationError) as excinfo:
        services.visit_update(
            program=world.program,
            by=world.coach,
            visit=planned,
            data={"visit_date": TODAY() - timedelta(days=1)},
        )
    with pytest.raises(ValidationError) as logged_only:
        services.visit_update(
            program=world.program, by=world.coach, visit=planned, data={"activities": {}}
        )

    planned.refresh_from_db()
    assert (planned.visit_date, planned.mode) == (TODAY() + timedelta(days=6), "phone")
    assert errors_of(excinfo)["visit_date"] == ["A planned visit's date is today or later."]
    assert "activities" in errors_of(logged_only)
