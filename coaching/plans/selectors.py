"""Reads of support plans and their goals for pages and the API: limited to the practices the
person may see and already joined with what each page shows, so a page costs the same few
queries however many goals, actions or domains a plan has. The plan's actions are read through
coaching/actions/selectors.py."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from assessments.models import Assessment, ChangeIdea
from assessments.rounds import for_plans
from coaching.actions.models import ActionStatus, PlanAction
from coaching.actions.selectors import OPEN_ACTION_STATUSES, is_overdue
from coaching.pdsa.models import PdsaCycle
from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus, SupportPlan
from psp.tenancy.permissions import Capability

VIEW = Capability.PLAN_VIEW
EDITABLE_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.ACTIVE)
LIVE_GOAL_STATUSES = [s for s in GoalStatus.values if s != GoalStatus.DROPPED]
LIVE_ACTION_STATUSES = [s for s in ActionStatus.values if s != ActionStatus.DROPPED]


# Progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far a plan has come. Dropped goals and actions no longer count either way."""

    goals_achieved: int
    goals_total: int
    actions_done: int
    actions_total: int

    @property
    def percent(self) -> int:
        """Actions done as a share of all live actions, in steps of 5 (the CSS bar widths)."""
        if not self.actions_total:
            return 0
        return round(self.actions_done / self.actions_total * 20) * 5


def _count_of(model, **where):
    """How many `model` rows of the plan match `where`: a subquery per plan, so a list computes
    it for the rows of its page only (a join with every goal and action, grouped, counted the
    whole program's plans before the page was cut)."""
    rows = model.objects.filter(plan=OuterRef("pk"), **where).order_by().values("plan")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def _with_progress(queryset: QuerySet[SupportPlan]) -> QuerySet[SupportPlan]:
    return queryset.annotate(
        n_goals=_count_of(PlanGoal, status__in=LIVE_GOAL_STATUSES),
        n_goals_achieved=_count_of(PlanGoal, status=GoalStatus.ACHIEVED),
        n_actions=_count_of(PlanAction, status__in=LIVE_ACTION_STATUSES),
        n_actions_done=_count_of(PlanAction, status=ActionStatus.DONE),
    )


def plan_progress(*, plan: SupportPlan) -> Progress:
    """A plan's progress, from what its selector read with it: the annotations of `plan_list`
    or the prefetched goals and actions of `plans_in_full`. It never queries: a list that
    asked per row would cost a query per plan, so a bare plan is a mistake of the caller
    (who wants `progress_of`)."""
    if hasattr(plan, "n_goals"):
        return Progress(plan.n_goals_achieved, plan.n_goals, plan.n_actions_done, plan.n_actions)
    goals = getattr(plan, "goal_list", None)
    if goals is None:
        raise ValueError(
            "plan_progress() needs a plan read by plan_list() or plans_in_full(); "
            "for one plan by id use progress_of()."
        )
    actions = [action for goal in goals for action in goal.action_list]
    live_goals = [g for g in goals if g.status != GoalStatus.DROPPED]
    live_actions = [a for a in actions if a.status != ActionStatus.DROPPED]
    return Progress(
        goals_achieved=sum(g.status == GoalStatus.ACHIEVED for g in live_goals),
        goals_total=len(live_goals),
        actions_done=sum(a.status == ActionStatus.DONE for a in live_actions),
        actions_total=len(live_actions),
    )


def progress_of(*, plan_id: int) -> Progress:
    """One plan's progress, in one query (e.g. for a row re-rendered after a status move)."""
    return plan_progress(plan=_with_progress(SupportPlan.objects.filter(pk=plan_id)).get())


# Plans --------------------------------------------------------------------------------------


def plan_list(*, access, practice_id=None, status=None) -> QuerySet[SupportPlan]:
    """The plans of the practices the person may see, newest first, with their progress."""
    queryset = SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))
    if practice_id:
        queryset = queryset.filter(practice_id=practice_id)
    if status:
        queryset = queryset.filter(status=status)
    return _with_progress(queryset.select_related("practice", "assessment", "created_by")).order_by(
        "-created_at", "-pk"
    )


def plans_in_full(*, access) -> QuerySet[SupportPlan]:
    """The plans the person may see, each with everything its page shows.

    Goals come as `goal_list` (each with its change idea, its PDSA cycles as `cycle_list` and
    `action_list`, each action with its owner), the assessment with its instrument and
    `score_list` (domain scores in order)."""
    actions = PlanAction.objects.select_related("owner", "practice").order_by("position", "pk")
    cycles = PdsaCycle.objects.order_by("number", "pk")
    goals = (
        PlanGoal.objects.select_related("change_idea")
        .prefetch_related(
            Prefetch("actions", queryset=actions, to_attr="action_list"),
            Prefetch("pdsa_cycles", queryset=cycles, to_attr="cycle_list"),
        )
        .order_by("position", "pk")
    )
    return (
        SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "assessment__version__instrument", "created_by", "accepted_by")
        .prefetch_related(
            Prefetch("goals", queryset=goals, to_attr="goal_list"),
            for_plans.domain_scores_prefetch("assessment__domain_scores", to_attr="score_list"),
        )
    )


def plan_detail(*, access, pk) -> SupportPlan:
    """One plan the person may see, in full (see `plans_in_full`); else DoesNotExist, the same
    for a plan that is missing and one out of reach."""
    return plans_in_full(access=access).get(pk=pk)


def plans_in_reach(*, access) -> QuerySet[SupportPlan]:
    """The plans of the practices the person may see, as they are: for looking up one named in
    input (psp.api.fields.ProgramObjectField)."""
    return SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))


def goals_in_reach(*, access, capability: Capability = VIEW) -> QuerySet[PlanGoal]:
    """The goals of the plans of the practices where the person holds `capability` (seeing the
    plans, by default), with their plan: for looking up one named in input."""
    return PlanGoal.objects.filter(
        access.practice_filter(capability, "plan__practice_id")
    ).select_related("plan")


def plan_in_reach(*, access, pk) -> SupportPlan:
    """A plan the person may see, with its practice; for pages that act on it (else
    DoesNotExist, the same for missing and out of reach)."""
    return (
        SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "assessment__version__instrument")
        .get(pk=pk)
    )


def goal_in_reach(*, access, pk) -> PlanGoal:
    return (
        PlanGoal.objects.filter(access.practice_filter(VIEW, "plan__practice_id"))
        .select_related("plan__practice", "plan__assessment", "change_idea")
        .get(pk=pk)
    )


def active_plan_of(*, practice_id, exclude_pk=None) -> SupportPlan | None:
    plans = SupportPlan.objects.filter(practice_id=practice_id, status=PlanStatus.ACTIVE)
    if exclude_pk is not None:
        plans = plans.exclude(pk=exclude_pk)
    return plans.first()


def plan_acceptance_problems(*, plan: SupportPlan) -> list[str]:
    """What a draft plan still lacks before it can be accepted, one sentence each."""
    goals = getattr(plan, "goal_list", None)
    if goals is None:
        goals = list(
            PlanGoal.objects.filter(plan=plan)
            .prefetch_related(
                Prefetch("actions", queryset=PlanAction.objects.all(), to_attr="action_list")
            )
            .order_by("position", "pk")
        )
    live_goals = [goal for goal in goals if goal.status != GoalStatus.DROPPED]
    if not live_goals:
        return ["The plan needs at least one goal."]
    problems = []
    for goal in live_goals:
        missing = []
        if not goal.measure.strip():
            missing.append("a measurable target")
        if goal.target_date is None:
            missing.append("a target date")
        if missing:
            problems.append(f"Goal “{goal.title}” needs {' and '.join(missing)}.")
        for action in goal.action_list:
            if action.status == ActionStatus.DROPPED:
                continue
            missing = []
            if action.owner_id is None:
                missing.append("an owner")
            if action.due_on is None:
                missing.append("a due date")
            if missing:
                problems.append(
                    f"Action “{action.title}” (goal “{goal.title}”) needs {' and '.join(missing)}."
                )
    return problems


def goal_list(*, access) -> QuerySet[PlanGoal]:
    """Goals of the plans the person may see, with their plan and change idea."""
    return (
        PlanGoal.objects.filter(access.practice_filter(VIEW, "plan__practice_id"))
        .select_related("plan__practice", "change_idea")
        .order_by("plan", "position", "pk")
    )


def practice_plan_panel(*, access, practice) -> dict:
    """What the practice page shows about plans: the active plan with its progress and its open
    actions (overdue first), or the latest draft waiting to be accepted. Three queries."""
    if not access.can(VIEW, practice.pk):
        return {"visible": False}
    plans = list(
        plan_list(access=access, practice_id=practice.pk).filter(status__in=EDITABLE_PLAN_STATUSES)
    )
    active = next((p for p in plans if p.status == PlanStatus.ACTIVE), None)
    draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
    today = timezone.localdate()
    open_actions = []
    if active is not None:
        open_actions = list(
            PlanAction.objects.filter(plan=active, status__in=OPEN_ACTION_STATUSES)
            .select_related("owner", "goal")
            .order_by("due_on", "pk")
        )
        for action in open_actions:
            action.overdue = is_overdue(action, today)
    return {
        "visible": True,
        "practice": practice,
        "active": active,
        "progress": plan_progress(plan=active) if active else None,
        "draft": draft,
        "open_actions": open_actions,
        "overdue_count": sum(action.overdue for action in open_actions),
        "can_edit": access.can(Capability.PLAN_EDIT, practice.pk),
    }


# Assessments and the change library ---------------------------------------------------------


def assessments_in_reach(*, access) -> QuerySet[Assessment]:
    """Assessments of the practices whose plans the person may see."""
    return for_plans.assessments_in_reach(access=access, capability=VIEW)


def change_ideas_for_plan(*, plan: SupportPlan) -> QuerySet[ChangeIdea]:
    """The library entries a goal of this plan can come from: those of the instrument the plan's
    assessment used; every active entry of the program for a plan without an assessment."""
    if plan.assessment_id is not None:
        return for_plans.change_ideas_for(instrument_id=plan.assessment.version.instrument_id)
    return for_plans.active_change_ideas()


# For the KPI dashboards -----------------------------------------------------------------------


def plan_activations(*, practice_id: int) -> list[tuple]:
    """When each of the practice's plans was accepted (became active), oldest first, with its
    title: marks on the practice's KPI run charts. One query."""
    return list(
        SupportPlan.objects.filter(practice_id=practice_id, accepted_at__isnull=False)
        .order_by("accepted_at")
        .values_list("accepted_at", "title")
    )


def plans_activated_by_month(*, practices: QuerySet, first, last) -> dict:
    """How many plans of `practices` were accepted (made active) in each month from `first` to
    `last`: month's first day -> count. Read by dashboards to mark where support began."""
    rows = (
        SupportPlan.objects.filter(
            practice__in=practices.values("pk"),
            accepted_at__date__gte=first,
            accepted_at__date__lte=last,
        )
        .annotate(month=TruncMonth("accepted_at"))
        .values_list("month")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {_as_date(month): n for month, n in rows}


def plans_activated_by_practice_month(*, first, last) -> list[tuple]:
    """(practice id, month's first day, plans accepted that month) over every practice of the
    program in scope: what the KPI refresh rolls up into the dashboards' stored marks."""
    rows = (
        SupportPlan.objects.filter(accepted_at__date__gte=first, accepted_at__date__lte=last)
        .annotate(month=TruncMonth("accepted_at"))
        .values_list("practice_id", "month")
        .annotate(n=Count("*"))
        .order_by()
    )
    return [(practice_id, _as_date(month), n) for practice_id, month, n in rows]


def _as_date(moment):
    return moment.date() if hasattr(moment, "date") and callable(moment.date) else moment
