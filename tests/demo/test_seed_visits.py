"""The demo's visits, action follow-up, feedback and caseloads: the coaching pages of issue 4 have
two years of real content on first run, and every coach's caseload shows each status."""

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    Activity,
    FeedbackInvite,
    FeedbackResponse,
    PlanAction,
    PlanStatus,
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
    VisitMode,
    VisitStatus,
)
from coaching.visits.selectors import visit_snapshot
from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.demo.programs import LEGAL, NORTHERN
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.models import Program, ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope
from tests.demo.conftest import seed

SLUGS = [NORTHERN, LEGAL]
OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
LIVE = Q(plan__isnull=True) | Q(plan__status=PlanStatus.ACTIVE)


@pytest.fixture(params=SLUGS)
def in_demo(request, seeded):
    """Each demo program in turn, in scope."""
    program = Program.objects.get(slug=request.param)
    with program_scope(program):
        yield program


def _today():
    return timezone.localdate()


def _logged():
    return Visit.objects.filter(status=VisitStatus.LOGGED)


# Visits ----------------------------------------------------------------------------------------


def test_visits_span_two_years_up_to_a_few_days_ago(in_demo):
    today = _today()
    span = _logged().aggregate(first=Min("visit_date"), last=Max("visit_date"), n=Count("pk"))
    assert span["first"] <= today - timedelta(days=700)
    assert today - timedelta(days=14) <= span["last"] < today
    assert 50 <= span["n"] <= 3000  # every practice every few weeks, not a load test


def test_every_coached_practice_is_visited_every_few_weeks_by_its_own_coaches(in_demo):
    today = _today()
    coaches = defaultdict(set)
    taken_on = {}
    for assignment in CoachAssignment.objects.all():
        coaches[assignment.practice_id].add(assignment.coach_id)
        taken_on[assignment.practice_id] = timezone.localdate(assignment.assigned_at)
    days = defaultdict(list)
    for visit in _logged().order_by("visit_date"):
        assert visit.coach_id in coaches[visit.practice_id], visit
        assert visit.visit_date >= taken_on[visit.practice_id], visit
        assert visit.visit_date.weekday() < 5, visit
        days[visit.practice_id].append(visit.visit_date)
    for practice in Practice.objects.all():
        if taken_on[practice.pk] > today - timedelta(days=7):
            continue  # taken on this week: its intake visit is planned
        visited = days[practice.pk]
        assert visited, practice
        gaps = [(after - before).days for before, after in zip(visited, visited[1:], strict=False)]
        assert max(gaps, default=0) <= 37, (practice, gaps)  # 2–5 weeks, moved off weekends
    assert len({coach for ids in coaches.values() for coach in ids}) >= 2


def test_visits_mix_modes_with_travel_only_on_site(in_demo):
    visits = list(_logged())
    modes = Counter(visit.mode for visit in visits)
    assert set(modes) == set(VisitMode.values)
    assert modes[VisitMode.ON_SITE] > len(visits) / 2
    for visit in visits:
        assert 30 <= visit.duration_minutes <= 150
        assert (visit.travel_minutes > 0) == (visit.mode == VisitMode.ON_SITE), visit
        assert visit.purpose and visit.notes and visit.logged_at.date() >= visit.visit_date
        assert visit.logged_at < timezone.now()


def test_minutes_by_activity_add_up_to_every_logged_visits_duration(in_demo):
    totals = dict(
        VisitActivity.objects.values("visit_id")
        .annotate(total=Sum("minutes"))
        .values_list("visit_id", "total")
    )
    for visit_id, duration in _logged().values_list("pk", "duration_minutes"):
        assert totals.get(visit_id) == duration, visit_id
    assert not VisitActivity.objects.exclude(visit__status=VisitStatus.LOGGED).exists()


def test_the_time_goes_where_the_practices_stage_needs_it(in_demo):
    moves = defaultdict(list)
    for change in StageChange.objects.order_by("moved_at"):
        moves[change.practice_id].append((timezone.localdate(change.moved_at), change.to_stage))
    minutes = defaultdict(Counter)  # stage -> activity -> minutes
    for row in VisitActivity.objects.select_related("visit"):
        stage = [s for day, s in moves[row.visit.practice_id] if day <= row.visit.visit_date][-1]
        minutes[stage][row.activity] += row.minutes
    # The stage's own work takes a good share of its visits' time (the rest is spread wide).
    expected = {
        Stage.NEEDS_ASSESSMENT: ({Activity.ASSESSMENT_PLANNING}, 0.4),
        Stage.STAKEHOLDER_ENGAGEMENT: ({Activity.FACILITATION}, 0.35),
        Stage.TRAINING: ({Activity.TECHNOLOGY, Activity.CPD}, 0.5),
        Stage.MONITORING: ({Activity.DATA_REVIEW}, 0.4),
    }
    for stage, (activities, share) in expected.items():
        spent = minutes[stage]
        assert sum(spent[a] for a in activities) >= share * spent.total(), (stage, spent)


def test_attendees_are_the_practices_people_and_goals_those_of_its_accepted_plan(in_demo):
    members = set(PracticeMembership.objects.values_list("practice_id", "user_id"))
    attendees = VisitAttendee.objects.select_related("visit")
    assert attendees.exists()
    for attendee in attendees:
        assert (attendee.visit.practice_id, attendee.person_id) in members
    links = VisitGoal.objects.select_related("visit", "goal__plan")
    assert links.exists()
    for link in links:
        plan = link.goal.plan
        assert plan.practice_id == link.visit.practice_id
        assert plan.accepted_at is not None
        assert timezone.localdate(plan.accepted_at) <= link.visit.visit_date


def test_visits_are_planned_for_the_coming_weeks_and_some_were_cancelled(in_demo):
    today = _today()
    planned = Visit.objects.filter(status=VisitStatus.PLANNED)
    assert planned.values("practice").distinct().count() >= Practice.objects.count() * 2 / 3
    for visit in planned:
        assert today <= visit.visit_date <= today + timedelta(days=23)
        assert visit.purpose and visit.logged_at is None
    cancelled = Visit.objects.filter(status=VisitStatus.CANCELLED)
    assert cancelled.exists()
    for visit in cancelled:
        assert visit.visit_date < today
        assert visit.cancel_reason and visit.cancelled_at and visit.cancelled_by_id


def test_visits_edited_after_their_day_have_the_edit_in_their_history(in_demo):
    lines = list(ChangeRecord.objects.filter(subject_type=SubjectType.VISIT))
    assert len(lines) >= 2
    visits = Visit.objects.in_bulk([line.subject_id for line in lines])
    for line in lines:
        visit = visits[line.subject_id]
        current = visit_snapshot(visit)
        assert line.what == "visit.edited" and line.practice_id == visit.practice_id
        assert line.changes and "Why: " in line.summary
        # Each change ends at the visit as it is now (the demo edits each visit once).
        assert {"duration_minutes", "notes"} & set(line.changes)
        if "duration_minutes" in line.changes:
            assert line.changes["duration_minutes"][1] == f"{current['duration_minutes']} min"
            assert "activities" in line.changes
        assert timezone.localdate(line.changed_at) > visit.visit_date
        assert line.changed_by_id == visit.coach_id


# Actions and their history ---------------------------------------------------------------------


def _history_matches(action, steps):
    """The action's steps start with its creation and end at its status, in order."""
    assert steps, action
    assert (steps[0].from_status, steps[0].to_status) == ("", ActionStatus.OPEN), action
    assert steps[0].changed_at == action.created_at, action
    assert steps[-1].to_status == action.status, action
    for before, after in zip(steps, steps[1:], strict=False):
        assert after.from_status == before.to_status, action
        assert after.changed_at >= before.changed_at, action
    assert all(step.changed_by_id and step.changed_at <= timezone.now() for step in steps)
    if action.status == ActionStatus.DONE:
        assert steps[-1].changed_at == action.completed_at, action
    if action.status == ActionStatus.DROPPED:
        assert action.status_note and steps[-1].note == action.status_note, action


def _steps_by_action():
    steps = defaultdict(list)
    for step in ActionStatusChange.objects.order_by("changed_at", "pk"):
        steps[step.action_id].append(step)
    return steps


def test_actions_agreed_at_visits_are_in_every_status_with_their_history(in_demo):
    today = _today()
    actions = list(PlanAction.objects.filter(visit__isnull=False).select_related("visit"))
    assert {action.status for action in actions} == set(ActionStatus.values)
    owners = set(PracticeMembership.objects.values_list("practice_id", "user_id"))
    steps = _steps_by_action()
    for action in actions:
        assert action.practice_id == action.visit.practice_id
        assert action.due_on > action.visit.visit_date
        assert (action.practice_id, action.owner_id) in owners or (
            action.owner_id == action.visit.coach_id
        )
        assert action.goal_id is None or action.goal.plan.practice_id == action.practice_id
        _history_matches(action, steps[action.pk])
        if action.status in (ActionStatus.DONE, ActionStatus.DROPPED):
            assert action.due_on <= today + timedelta(days=21)
    assert any(len(steps[action.pk]) > 2 for action in actions)  # started, then done


def test_plan_actions_have_a_history_dated_by_the_plans_story(in_demo):
    actions = list(PlanAction.objects.filter(visit__isnull=True).select_related("plan"))
    assert {action.status for action in actions} == set(ActionStatus.values)
    steps = _steps_by_action()
    for action in actions:
        _history_matches(action, steps[action.pk])
        if len(steps[action.pk]) > 1:
            assert steps[action.pk][1].changed_at > action.plan.accepted_at, action
    # Not all stamped at seeding time: the history spreads over the plans' months.
    months = {step.changed_at.strftime("%Y-%m") for rows in steps.values() for step in rows}
    assert len(months) >= 6


def test_every_step_of_an_actions_status_history_is_a_line_of_its_change_history(in_demo):
    # An action added to a plan through the service (a failed checklist item's) starts with
    # its plan's "action added" line, about it, rather than a status line of its own.
    added_by_plan_line = set(
        ChangeRecord.objects.filter(record_type="action", what="action.added").values_list(
            "record_id", flat=True
        )
    )
    steps = {
        (step.action_id, step.changed_at, step.from_status or None, step.to_status)
        for step in ActionStatusChange.objects.all()
        if step.from_status or step.action_id not in added_by_plan_line
    }
    # Lines that move no status (an action made from a failed checklist item says where it
    # came from) are not steps.
    lines = {
        (line.subject_id, line.changed_at, *line.changes["status"])
        for line in ChangeRecord.objects.filter(subject_type=SubjectType.ACTION)
        if "status" in line.changes
        and (line.changes["status"][0] or line.subject_id not in added_by_plan_line)
    }
    assert steps and lines == steps


# Feedback --------------------------------------------------------------------------------------


def test_attendees_of_the_last_years_visits_were_asked_and_most_answered(in_demo):
    invites = FeedbackInvite.objects.select_related("visit")
    attended = set(VisitAttendee.objects.values_list("visit_id", "person_id"))
    for invite in invites:
        assert (invite.visit_id, invite.person_id) in attended
        assert invite.visit.visit_date >= _today() - timedelta(days=366)
        assert not (invite.answered_at and invite.declined_at)
        replied = invite.answered_at or invite.declined_at
        assert replied is None or invite.visit.logged_at < replied < timezone.now()
    answered = invites.filter(answered_at__isnull=False).count()
    declined = invites.filter(declined_at__isnull=False).count()
    assert answered > invites.count() / 2
    assert declined >= 1
    assert FeedbackResponse.objects.count() == answered


def test_answers_are_mostly_favourable_with_some_detractors(in_demo):
    answers = list(FeedbackResponse.objects.all())
    useful = sum(answer.usefulness >= 4 for answer in answers)
    promoters = sum(answer.would_recommend >= 9 for answer in answers)
    detractors = sum(answer.would_recommend <= 6 for answer in answers)
    assert useful >= len(answers) * 0.7
    assert promoters > detractors >= 1
    assert any(answer.comment for answer in answers)
    assert any(not answer.comment for answer in answers)


def test_practice_people_find_a_feedback_request_waiting(in_demo):
    """The in-app prompt: unanswered, undeclined invitations for a visit in the last 30 days,
    for every practice person who can log in."""
    recent = _today() - timedelta(days=30)
    waiting = set(
        FeedbackInvite.objects.filter(
            answered_at__isnull=True, declined_at__isnull=True, visit__visit_date__gte=recent
        ).values_list("person_id", flat=True)
    )
    people = set(PracticeMembership.objects.values_list("user_id", flat=True))
    assert people and people <= waiting


# Caseloads -------------------------------------------------------------------------------------


def _coaches():
    return ProgramMembership.objects.filter(role=ProgramRole.COACH).select_related("user")


def _caseload_facts(today):
    """practice id -> (days since its last visit, its overdue live actions)."""
    last = dict(
        _logged()
        .values("practice_id")
        .annotate(last=Max("visit_date"))
        .values_list("practice_id", "last")
    )
    overdue = Counter(
        PlanAction.objects.filter(LIVE, status__in=OPEN_STATUSES, due_on__lt=today).values_list(
            "practice_id", flat=True
        )
    )
    return {
        practice.pk: (
            (today - last[practice.pk]).days if practice.pk in last else None,
            overdue[practice.pk],
        )
        for practice in Practice.objects.all()
    }


def test_each_coach_has_practices_visited_lately_and_practices_gone_quiet(in_demo):
    """The facts the default caseload rules read (45/90 days without a visit, 1/5 overdue
    actions): every coach has a practice with neither problem and one past a stalled limit."""
    today = _today()
    facts = _caseload_facts(today)
    for membership in _coaches():
        ids = CoachAssignment.objects.filter(coach=membership.user).values_list(
            "practice_id", flat=True
        )
        mine = [facts[pk] for pk in ids]
        assert any((days is None or days < 45) and overdue == 0 for days, overdue in mine)
        assert any((days or 0) >= 90 or overdue >= 5 for days, overdue in mine), membership


def test_each_coachs_caseload_shows_every_status(in_demo):
    selectors = pytest.importorskip("coaching.caseload.selectors")
    from psp.tenancy.access import ProgramAccess

    for membership in _coaches():
        access = ProgramAccess(program=in_demo, user=membership.user, membership=membership)
        caseload = selectors.caseload(access=access, coach_id=membership.user_id)
        statuses = {entry.status for entry in caseload.entries}
        assert statuses == {"on_track", "attention", "stalled"}, (membership.user, statuses)


# Seeding again -----------------------------------------------------------------------------------


COACHING_MODELS = [
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
    PlanAction,
    ActionStatusChange,
    ChangeRecord,
    FeedbackInvite,
    FeedbackResponse,
]


def test_seeding_again_adds_no_visits_actions_history_or_feedback(seeded):
    before = {model.__name__: model.all_programs.count() for model in COACHING_MODELS}
    seed()
    assert {model.__name__: model.all_programs.count() for model in COACHING_MODELS} == before
