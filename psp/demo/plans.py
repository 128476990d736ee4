"""Demo support plans, drafted from the demo assessments through the plan services.

By stage: a practice in program design has a draft plan (the coach is drafting it with them);
from stakeholder engagement on, the plan was accepted when the practice moved into that stage,
with owners for every action and the actions as far along as the time since allows (the stalled
practice's actions sit overdue); a practice in sustainability completed its first plan after its
follow-up and works a second one drafted from that follow-up. Dates are moved back after the
service calls, which stamp everything with now.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from assessments.models import Assessment, AssessmentKind, AssessmentStatus
from coaching.actions import services as action_services
from coaching.models import ActionStatus, GoalStatus, PlanAction, PlanGoal, SupportPlan
from coaching.plans import services
from practices.models import Practice, PracticeMembership, Stage, StageChange
from psp.demo.common import DemoProgram
from psp.demo.practices import PRACTICES, PracticeSpec
from psp.history.models import ChangeRecord, SubjectType

PD, SE, SUS = Stage.PROGRAM_DESIGN, Stage.STAKEHOLDER_ENGAGEMENT, Stage.SUSTAINABILITY

# Practices whose plans have stalled: accepted months ago, little done since.
STALLED = {"Marathon Family Medicine Group", "Morrison Law Office"}

DROP_NOTES = (
    "Overtaken by the new EHR upgrade; the vendor now does this.",
    "Not needed after all: the pilot showed the old way works for this.",
    "The staff member who was to do it left; folded into another action.",
)
DONE_NOTES = (
    "Done and shared at the team huddle.",
    "Finished; the checklist is on the shared drive.",
    "",
    "",
)


def build(demo: DemoProgram) -> None:
    for spec in PRACTICES[demo.program.slug]:
        practice = demo.practices[spec.name]
        if SupportPlan.objects.filter(practice=practice).exists():
            continue
        if Stage.position(practice.stage) < Stage.position(PD):
            continue
        rounds = list(
            Assessment.objects.filter(practice=practice, status=AssessmentStatus.SUBMITTED)
            .select_related("version__instrument", "practice")
            .order_by("submitted_at")
        )
        baseline = next((a for a in rounds if a.kind == AssessmentKind.BASELINE), None)
        if baseline is None:
            continue
        _plans_build(demo, spec, practice, baseline, rounds)


def _plans_build(demo, spec: PracticeSpec, practice: Practice, baseline, rounds) -> None:
    rng = random.Random(f"plans:{demo.program.slug}:{spec.name}")
    moved = {
        change.to_stage: change.moved_at
        for change in StageChange.objects.filter(practice=practice).order_by("moved_at")
    }
    coach = demo.people[spec.coaches[0]]
    owners = _owners(practice, coach)
    drafted_at = moved[PD] + timedelta(days=3)
    plan = _draft(demo, baseline, coach, drafted_at)
    if SE not in moved:
        return  # still in program design: the plan is a draft
    accepted_at = moved[SE]
    _accept(demo, plan, coach, owners, rng, accepted_at)
    follow_up = next((a for a in rounds if a.kind == AssessmentKind.FOLLOW_UP), None)
    if practice.stage == SUS and follow_up is not None:
        # The first plan ran until the follow-up; the second comes from the follow-up.
        closed_at = follow_up.submitted_at + timedelta(days=4)
        _work(demo, plan, coach, rng, accepted_at, closed_at, stalled=False, finish=True)
        services.plan_complete(program=demo.program, plan=plan, by=coach)
        SupportPlan.objects.filter(pk=plan.pk).update(completed_at=closed_at, updated_at=closed_at)
        _history_at(plan, closed_at, "plan.completed")
        demo.created["support plans completed"] += 1
        second = _draft(demo, follow_up, coach, closed_at - timedelta(days=1))
        second_accepted_at = closed_at + timedelta(hours=2)
        _accept(demo, second, coach, owners, rng, second_accepted_at)
        # Its actions move only once it is accepted (their history must not precede that).
        _work(demo, second, coach, rng, second_accepted_at, demo.now, stalled=False)
    else:
        _work(demo, plan, coach, rng, accepted_at, demo.now, stalled=spec.name in STALLED)


def _owners(practice: Practice, coach) -> list:
    """Who owns actions: the practice's own people where it has any, with its coach."""
    members = [
        m.user
        for m in PracticeMembership.objects.filter(practice=practice, is_active=True)
        .select_related("user")
        .order_by("role", "pk")
    ]
    return [*members, coach] if members else [coach]


def _draft(demo: DemoProgram, assessment, coach, drafted_at: datetime) -> SupportPlan:
    plan = services.plan_draft_from_assessment(
        program=demo.program, assessment=assessment, by=coach, today=drafted_at.date()
    )
    SupportPlan.objects.filter(pk=plan.pk).update(created_at=drafted_at, updated_at=drafted_at)
    PlanAction.objects.filter(plan=plan).update(created_at=drafted_at, updated_at=drafted_at)
    _history_at(plan, drafted_at, "plan.drafted")
    demo.created["support plans"] += 1
    return plan


def _accept(demo, plan: SupportPlan, coach, owners: list, rng, accepted_at: datetime) -> None:
    """Give every action an owner (its due date came with the draft), then accept the plan."""
    actions = PlanAction.objects.filter(plan=plan).order_by("goal__position", "position")
    for number, action in enumerate(actions):
        owner = owners[(number + rng.randrange(len(owners))) % len(owners)]
        action_services.action_update(
            program=demo.program, action=action, by=coach, data={"owner": owner}
        )
    services.plan_accept(program=demo.program, plan=plan, by=coach, complete_active=True)
    SupportPlan.objects.filter(pk=plan.pk).update(accepted_at=accepted_at, updated_at=accepted_at)
    _history_at(plan, accepted_at - timedelta(hours=1), "action.edited")  # owners agreed
    _history_at(plan, accepted_at, "plan.accepted")


def _work(demo, plan, coach, rng, since: datetime, until: datetime, *, stalled, finish=False):
    """Move the plan's actions along as far as the time between `since` and `until` allows:
    past due mostly done (one dropped), due about now in progress, later ones open. A stalled
    plan has done little. `finish` closes everything (the plan is about to be completed)."""
    today = until.date()
    actions = list(PlanAction.objects.filter(plan=plan).order_by("due_on", "pk"))
    dropped = False
    for number, action in enumerate(actions):
        due = action.due_on or today
        status, note = ActionStatus.OPEN, ""
        if finish or due <= today - timedelta(days=7):
            if stalled and number > 0:
                status = ActionStatus.OPEN if number % 2 else ActionStatus.IN_PROGRESS
            elif not dropped and number == 2:
                status, note, dropped = ActionStatus.DROPPED, rng.choice(DROP_NOTES), True
            elif finish or rng.random() < 0.85:
                status, note = ActionStatus.DONE, rng.choice(DONE_NOTES)
            else:
                status = ActionStatus.IN_PROGRESS
        elif due <= today + timedelta(days=21):
            status = ActionStatus.IN_PROGRESS if rng.random() < 0.6 else ActionStatus.OPEN
        elif rng.random() < 0.2:
            status = ActionStatus.IN_PROGRESS
        if status == ActionStatus.OPEN:
            continue
        action_services.action_status_change(
            program=demo.program, action=action, status=status, by=coach, note=note
        )
        when = _at(min(due, today) - timedelta(days=rng.randrange(0, 5)), since, until)
        PlanAction.objects.filter(pk=action.pk).update(
            updated_at=when, **({"completed_at": when} if status == ActionStatus.DONE else {})
        )
    _goals_achieved(demo, plan, coach)
    # Goals are marked achieved when their last action was done.
    last_done = PlanAction.objects.filter(plan=plan, status=ActionStatus.DONE).aggregate(
        last=Max("completed_at")
    )["last"]
    achieved_at = min(last_done, until) if last_done else until - timedelta(hours=1)
    _history_at(plan, max(since, achieved_at), "goal.edited")


def _goals_achieved(demo, plan: SupportPlan, coach) -> None:
    """A goal whose every live action is done is marked achieved."""
    for goal in PlanGoal.objects.filter(plan=plan).prefetch_related("actions"):
        live = [a for a in goal.actions.all() if a.status != ActionStatus.DROPPED]
        if live and all(a.status == ActionStatus.DONE for a in live):
            services.goal_update(
                program=demo.program, goal=goal, by=coach, data={"status": GoalStatus.ACHIEVED}
            )


def _history_at(plan: SupportPlan, when: datetime, what: str) -> None:
    """Date the plan's history lines of `what` (the services stamped them with now)."""
    ChangeRecord.objects.filter(
        subject_type=SubjectType.PLAN, subject_id=plan.pk, what=what
    ).update(changed_at=when)


def _at(day: date, since: datetime, until: datetime) -> datetime:
    """Mid-afternoon of `day`, kept between `since` and `until`."""
    moment = timezone.make_aware(datetime.combine(day, time(15, 0)))
    return max(since + timedelta(hours=1), min(moment, until - timedelta(hours=1)))
