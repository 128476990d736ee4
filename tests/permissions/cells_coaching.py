"""Targets and bodies for the permission tables' rows of visits, caseloads, the dose, action
follow-up and participant feedback (issue 4).

Each row acts on objects built here, in the world's program, in the state that lets an allowed
request change something:

- visits: `theirs` is a visit to world.practice made by world.coach (its own coach; the lead and
  staff belong to the practice); `someone_elses_visit` one to world.practice made by
  world.other_coach (everyone there sees it, nobody but its coach may change it); `other` one to
  world.other_practice made by world.other_coach. Routes that complete or cancel take a visit
  planned for today, the others a visit logged a week ago with its minutes by activity.
- practices (timeline, dose, a practice's actions): `theirs` / `other` is world.practice /
  world.other_practice, each with a logged visit, a planned one and an action agreed at a visit.
- actions: `theirs` / `other` (pages) and `visit_action` / `other_visit_action` (the API's
  plan-actions rows) are actions agreed at a logged visit with no plan, owned by the practice's
  lead (so they move at any time, and can be removed while they have not moved);
  `plan_action` / `other_plan_action` an action of an active plan of world.practice /
  world.other_practice (moved from the plan page through the same actions:status).
- feedback invitations: `own_invite` is one sent to the requesting person, `someone_elses_invite`
  one sent to someone else, each about a logged visit to world.practice.
- feedback results of one coach: `coach` is world.coach, `other_coach` world.other_coach.
- `-`: lists, program-wide pages and creating; the program gets a few visits first so that the
  pages show rows, and creating bodies log or plan a visit to world.practice.
"""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from coaching.models import Activity, VisitMode, VisitStatus
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.permissions import cells_assessments

PREFIXES = (
    "visits:",
    "caseload:",
    "practice_coaching:",
    "actions:",
    "feedback:",
    "visits-",
    "planned-visits-",
    "caseload-",
    "dose-",
    "feedback-invites-",
    "feedback-summary-",
)
# Targets of this module on routes another module handles (plan-actions-*: visit actions).
TARGETS = ("visit_action", "other_visit_action")

PLANNED_ROUTES = (
    "visits:complete",
    "visits:cancel",
    "visits-complete",
    "visits-cancel",
    "planned-visits-detail",
)


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def _today():
    return timezone.localdate()


def _iso(days: int) -> str:
    return (_today() + timedelta(days=days)).isoformat()


# Objects --------------------------------------------------------------------------------------


def logged_visit(world, practice, coach, *, days_ago: int = 7):
    """A logged on-site hour: 40 minutes of workflow, 20 of team facilitation."""
    program = world.program
    visit = f.VisitFactory(
        program=program,
        practice=practice,
        coach=coach,
        visit_date=_today() - timedelta(days=days_ago),
    )
    f.VisitActivityFactory(program=program, visit=visit, activity=Activity.WORKFLOW, minutes=40)
    f.VisitActivityFactory(program=program, visit=visit, activity=Activity.FACILITATION, minutes=20)
    return visit


def planned_visit(world, practice, coach, *, days_ahead: int = 0):
    return f.VisitFactory(
        program=world.program,
        practice=practice,
        coach=coach,
        status=VisitStatus.PLANNED,
        visit_date=_today() + timedelta(days=days_ahead),
        travel_minutes=0,
        logged_at=None,
        purpose="Review the huddle board",
    )


def visit_action(world, practice, coach, owner):
    """An action agreed at a logged visit, with no plan: it moves at any time."""
    visit = logged_visit(world, practice, coach)
    return f.PlanActionFactory(
        program=world.program,
        practice=practice,
        plan=None,
        goal=None,
        visit=visit,
        owner=owner,
        title="Post the roles chart in the staff room",
        created_by=coach,
    )


def scene(world):
    """Something for the lists and overviews to show: per practice a logged visit, a planned
    one and an action agreed at a visit; feedback on world.coach's visit."""
    for practice, coach, owner in (
        (world.practice, world.coach, world.lead),
        (world.other_practice, world.other_coach, None),
    ):
        action = visit_action(world, practice, coach, owner)
        planned_visit(world, practice, coach, days_ahead=5)
        f.FeedbackResponseFactory(program=world.program, visit=action.visit)


def _practice_of(world, name: str):
    theirs = name in ("theirs", "someone_elses_visit", "visit_action")
    return world.practice if theirs else world.other_practice


def _coach_of(world, name: str):
    return world.coach if name in ("theirs", "visit_action") else world.other_coach


def invite_for(world, user, *, own: bool):
    """An invitation about a logged visit to world.practice: for `user` (own) or else for
    someone who is not `user`. A coach's own invitation is about a colleague's visit."""
    person = user if own else (world.staff if user != world.staff else world.lead)
    coach = world.other_coach if person == world.coach else world.coach
    visit = logged_visit(world, world.practice, coach, days_ago=2)
    f.VisitAttendeeFactory(program=world.program, visit=visit, person=person)
    return f.FeedbackInviteFactory(program=world.program, visit=visit, person=person)


# Bodies ---------------------------------------------------------------------------------------


def _formset(count: int = 0) -> dict:
    return {
        "actions-TOTAL_FORMS": str(count),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
    }


def log_form(world, *, visit_date: str) -> dict:
    """The log (and complete) form: an hour split between two activities, the lead present,
    one action agreed."""
    return {
        "visit_date": visit_date,
        "start_time": "09:30",
        "mode": VisitMode.ON_SITE,
        "duration_minutes": "60",
        "minutes_workflow": "45",
        "minutes_data_review": "15",
        "travel_minutes": "25",
        "attendees": [str(world.lead.pk)],
        "other_attendees": "1",
        "purpose": "Huddle board",
        "notes": "Walked through the huddle board with the lead.",
        "submission_key": str(uuid.uuid4()),
        **_formset(1),
        "actions-0-title": "Book the next huddle",
        "actions-0-owner": str(world.lead.pk),
        "actions-0-due_on": _iso(14),
        "actions-0-goal": "",
    }


def _edit_form(visit) -> dict:
    """The edit form of a logged visit from a week ago, with its notes changed."""
    return {
        "visit_date": visit.visit_date.isoformat(),
        "start_time": "",
        "mode": visit.mode,
        "duration_minutes": str(visit.duration_minutes),
        "minutes_workflow": "40",
        "minutes_facilitation": "20",
        "travel_minutes": str(visit.travel_minutes),
        "other_attendees": "0",
        "purpose": visit.purpose,
        "notes": "Walked through the huddle board; the lead will print it.",
        "reason": "Added what the lead agreed to",
    }


def _api_log(world, *, visit_date: str) -> dict:
    return {
        "visit_date": visit_date,
        "start_time": "09:30",
        "mode": VisitMode.VIRTUAL,
        "duration_minutes": 60,
        "activities": {Activity.WORKFLOW: 40, Activity.TECHNOLOGY: 20},
        "travel_minutes": 0,
        "attendees": [world.lead.pk],
        "purpose": "EHR templates",
        "new_actions": [{"title": "Try the new template", "owner": world.lead.pk}],
    }


RULES_FORM = {
    "attention_days_without_visit": "30",
    "stalled_days_without_visit": "75",
    "attention_overdue_actions": "2",
    "stalled_overdue_actions": "6",
    "days_without_plan_progress": "45",
    "no_plan_progress": "stalled",
    "assessment_overdue": "attention",
}
RULES = {k: int(v) if v.isdigit() else v for k, v in RULES_FORM.items()}  # the API's body
FEEDBACK = {"usefulness": 4, "would_recommend": 9, "comment": "Clear next steps."}


def create_body(world, route: str) -> dict:
    """Bodies for the rows that create (or, for the caseload rules, replace) something."""
    practice = world.practice.pk
    return {
        "visits:log": {"practice": str(practice), **log_form(world, visit_date=_iso(-1))},
        "visits:plan": {
            "practice": str(practice),
            "visit_date": _iso(7),
            "start_time": "14:00",
            "mode": VisitMode.VIRTUAL,
            "duration_minutes": "45",
            "purpose": "Review the roles chart",
            "notes": "",
            "submission_key": str(uuid.uuid4()),
        },
        "caseload:rules": RULES_FORM,
        "visits-list": {"practice": practice, **_api_log(world, visit_date=_iso(-1))},
        "planned-visits-list": {
            "practice": practice,
            "visit_date": _iso(7),
            "mode": VisitMode.PHONE,
            "duration_minutes": 30,
            "purpose": "Check in on the roles chart",
        },
        "caseload-rules-list": RULES,
    }.get(route, {})


# Targets --------------------------------------------------------------------------------------


def _visit_target(world, name: str, route: str) -> Target:
    practice, coach = _practice_of(world, name), _coach_of(world, name)
    if route in PLANNED_ROUTES:
        visit = planned_visit(world, practice, coach)
    else:
        visit = logged_visit(world, practice, coach)
    body = {
        "visits:edit": _edit_form(visit),
        "visits:complete": {**log_form(world, visit_date=_iso(0))},
        "visits:cancel": {"reason": "The practice closed for a staff day."},
        "visits-detail": {
            "notes": "The lead will print the huddle board.",
            "reason": "Added what the lead agreed to",
        },
        "visits-complete": {
            "visit_date": _iso(0),
            "duration_minutes": 60,
            "activities": {Activity.WORKFLOW: 60},
            "attendees": [world.lead.pk],
        },
        "visits-cancel": {"reason": "The practice closed for a staff day."},
    }.get(route, {})
    return Target({"pk": visit.pk}, body)


def _action_target(world, name: str, route: str) -> Target:
    theirs = name in ("theirs", "visit_action", "plan_action")
    practice = world.practice if theirs else world.other_practice
    coach = world.coach if theirs else world.other_coach
    owner = world.lead if theirs else None
    if name in ("plan_action", "other_plan_action"):
        lib = cells_assessments.library(world)
        _, _, action = cells_assessments.plan_with_goal(world, lib, practice, coach, active=True)
    else:
        action = visit_action(world, practice, coach, owner)
    body = {
        "actions:status": {"status": "in_progress", "note": "Printed, to be laminated"},
        "plan-actions-status": {"status": "done", "note": "On the wall"},
        "plan-actions-detail": {"title": "Post the roles chart at reception", "due_on": _iso(10)},
    }.get(route, {})
    return Target({"pk": action.pk}, body)


def _target(world, user, name: str, route: str) -> Target:
    if name == "-":
        scene(world)
        return Target({}, create_body(world, route))
    if name in ("own_invite", "someone_elses_invite"):
        invite = invite_for(world, user, own=name == "own_invite")
        body = {"feedback:give": {k: str(v) for k, v in FEEDBACK.items()}}.get(route, FEEDBACK)
        return Target({"pk": invite.pk}, {} if route == "feedback-invites-decline" else body)
    if name in ("coach", "other_coach"):
        coach = world.user(name)
        practice = world.practice if name == "coach" else world.other_practice
        visit = logged_visit(world, practice, coach)
        f.FeedbackResponseFactory(program=world.program, visit=visit)
        return Target({"user_id": coach.pk})
    if route.startswith(("visits", "planned-visits")):
        return _visit_target(world, name, route)
    if name in TARGETS or route in ("actions:detail", "actions:status"):
        return _action_target(world, name, route)
    if name in ("theirs", "other"):
        practice = world.practice if name == "theirs" else world.other_practice
        coach = world.coach if name == "theirs" else world.other_coach
        visit_action(world, practice, coach, world.lead if name == "theirs" else None)
        planned_visit(world, practice, coach, days_ahead=5)
        return Target({"practice_pk": practice.pk})
    raise AssertionError(f"unknown coaching target {name} for {route}")


def target(world, user, name: str, route: str) -> Target:
    with program_scope(world.program):
        return _target(world, user, name, route)
