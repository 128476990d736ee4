"""What the CPD app reads of coaching to draft a CPD claim from a practice's quality-improvement
work: the achieved goals and ended PDSA cycles a person took part in, and one goal's or cycle's
facts (what it aimed at, the actions done, the visits logged against it and their minutes, when it
was achieved; a cycle's plan, do, study and act).

Coaching knows nothing of CPD: cpd reads this module, as coaching reads assessments through
assessments/rounds/for_plans.py. Every read runs in the program in scope.

Who took part in a goal (and its cycles): the people of its practice (lead and staff), and a
coach who logged a visit that worked on it. Everyone else who may see the plan (admins,
managers, the practice's other coaches) reads it, but did not do the work.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from coaching.actions.models import ActionStatus, PlanAction
from coaching.pdsa.models import PdsaCycle, PdsaStage
from coaching.plans.models import GoalStatus, PlanGoal
from coaching.visits.models import VisitGoal, VisitStatus
from psp.history.models import ChangeRecord, RecordType
from psp.tenancy.permissions import Capability

VIEW = Capability.PLAN_VIEW


@dataclass(frozen=True)
class WorkDone:
    """An achieved goal or an ended PDSA cycle someone may claim, as a list shows it."""

    pk: int
    title: str
    practice_id: int
    practice_name: str
    done_on: date | None


@dataclass(frozen=True)
class GoalFacts:
    pk: int
    title: str
    measure: str
    domain_name: str
    baseline_percent: object  # Decimal | None
    kpi_key: str
    practice_id: int
    practice_name: str
    plan_title: str
    plan_started_on: date
    actions_done: list[str]
    visit_dates: list[date]
    visit_minutes: int
    achieved_on: date | None


@dataclass(frozen=True)
class CycleFacts:
    pk: int
    number: int
    goal_title: str
    practice_id: int
    practice_name: str
    change_idea: str
    prediction: str
    kpi_key: str
    started_on: date | None
    what_done: str
    result: str
    decision: str  # its label: "Adopt", "Adapt", "Abandon" ("" if none was recorded)
    act_notes: str
    ended_on: date | None


# Who took part ---------------------------------------------------------------------------------


def _coached_goal_ids(user) -> QuerySet:
    """The goals worked on at visits `user` logged as the coach (a subquery)."""
    links = VisitGoal.objects.filter(visit__coach=user, visit__status=VisitStatus.LOGGED)
    return links.values("goal_id")


def coached_goal_ids(*, user) -> set[int]:
    """The same, read (one query): for pages that ask about many goals."""
    return set(_coached_goal_ids(user).values_list("goal_id", flat=True))


def _goal_taken_part(user, practice_ids: Collection[int]) -> Q:
    """Goals of the person's practices, or worked on at visits they logged."""
    return Q(plan__practice_id__in=sorted(practice_ids)) | Q(pk__in=_coached_goal_ids(user))


def took_part_in_goal(*, goal_id: int, practice_id: int, user, practice_ids) -> bool:
    """Whether `user` (a member of `practice_ids`) took part in the goal."""
    if practice_id in practice_ids:
        return True
    return _coached_goal_ids(user).filter(goal_id=goal_id).exists()


# Lists -------------------------------------------------------------------------------------


def achieved_goals(*, access) -> list[WorkDone]:
    """The achieved goals, of plans the person may see, that they took part in (one query)."""
    goals = (
        PlanGoal.objects.filter(access.practice_filter(VIEW, "plan__practice_id"))
        .filter(_goal_taken_part(access.user, access.practice_roles.keys()))
        .filter(status=GoalStatus.ACHIEVED)
        .select_related("plan__practice")
        .order_by("plan__practice__name", "plan", "position", "pk")
    )
    return [
        WorkDone(g.pk, g.title, g.plan.practice_id, g.plan.practice.name, _day(g.plan.completed_at))
        for g in goals
    ]


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def ended_cycles(*, access) -> list[WorkDone]:
    """The ended PDSA cycles, of plans the person may see, of goals they took part in (one
    query)."""
    goal_ids = PlanGoal.objects.filter(
        _goal_taken_part(access.user, access.practice_roles.keys())
    ).values("pk")
    cycles = (
        PdsaCycle.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .filter(goal_id__in=goal_ids, stage=PdsaStage.ENDED)
        .select_related("practice", "goal")
        .order_by("practice__name", "goal", "number", "pk")
    )
    return [
        WorkDone(c.pk, cycle_title(c), c.practice_id, c.practice.name, c.ended_on) for c in cycles
    ]


def cycle_title(cycle: PdsaCycle) -> str:
    return f"PDSA cycle {cycle.number}: {cycle.change_idea}"


# One goal or cycle -------------------------------------------------------------------------


def goal_in_reach(*, access, pk) -> PlanGoal:
    """A goal of a plan the person may see, with its plan and practice (else DoesNotExist)."""
    goals = PlanGoal.objects.filter(access.practice_filter(VIEW, "plan__practice_id"))
    return goals.select_related("plan__practice").get(pk=pk)


def cycle_in_reach(*, access, pk) -> PdsaCycle:
    """A PDSA cycle of a plan the person may see, with its goal and practice (else
    DoesNotExist)."""
    cycles = PdsaCycle.objects.filter(access.practice_filter(VIEW, "practice_id"))
    return cycles.select_related("goal__plan", "practice").get(pk=pk)


def is_achieved(goal: PlanGoal) -> bool:
    return goal.status == GoalStatus.ACHIEVED


def is_ended(cycle: PdsaCycle) -> bool:
    return cycle.stage == PdsaStage.ENDED


def goal_facts(*, goal: PlanGoal) -> GoalFacts:
    """What a claim from the goal says (four queries: the history line that marked it achieved,
    its actions done, and the visits logged on it up to that day: their dates and minutes)."""
    actions = PlanAction.objects.filter(goal=goal, status=ActionStatus.DONE)
    achieved_on = _achieved_on(goal)
    visits = VisitGoal.objects.filter(goal=goal, visit__status=VisitStatus.LOGGED)
    if achieved_on is not None:  # visits after it were not the work that achieved it
        visits = visits.filter(visit__visit_date__lte=achieved_on)
    dates = sorted(set(visits.values_list("visit__visit_date", flat=True)))
    minutes = visits.aggregate(total=Sum("visit__duration_minutes"))["total"] or 0
    plan = goal.plan
    started = plan.accepted_at or plan.created_at
    return GoalFacts(
        pk=goal.pk,
        title=goal.title,
        measure=goal.measure,
        domain_name=goal.domain_name,
        baseline_percent=goal.baseline_percent,
        kpi_key=goal.kpi_key,
        practice_id=plan.practice_id,
        practice_name=plan.practice.name,
        plan_title=plan.title,
        plan_started_on=_day(started),
        actions_done=list(actions.order_by("position", "pk").values_list("title", flat=True)),
        visit_dates=dates,
        visit_minutes=minutes,
        achieved_on=achieved_on,
    )


def _achieved_on(goal: PlanGoal) -> date | None:
    """The day the goal was last marked achieved (its plan's history), else the day its plan
    was completed; None when neither is known (goals written in bulk, as the demo's are)."""
    lines = ChangeRecord.objects.filter(
        record_type=RecordType.GOAL, record_id=goal.pk, what="goal.edited"
    ).order_by("-changed_at", "-pk")
    for changes, changed_at in lines.values_list("changes", "changed_at"):
        status = (changes or {}).get("status")
        if status and status[1] == GoalStatus.ACHIEVED:
            return _day(changed_at)
    return _day(goal.plan.completed_at)


def cycle_facts(*, cycle: PdsaCycle) -> CycleFacts:
    """What a claim from an ended PDSA cycle says (no query: the cycle comes joined)."""
    return CycleFacts(
        pk=cycle.pk,
        number=cycle.number,
        goal_title=cycle.goal.title,
        practice_id=cycle.practice_id,
        practice_name=cycle.practice.name,
        change_idea=cycle.change_idea,
        prediction=cycle.prediction,
        kpi_key=cycle.kpi_key,
        started_on=cycle.started_on,
        what_done=cycle.what_done,
        result=cycle.result,
        decision=cycle.get_decision_display() if cycle.decision else "",
        act_notes=cycle.act_notes,
        ended_on=cycle.ended_on,
    )
