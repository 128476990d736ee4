"""Reads of support plans for pages and the API: limited to the practices the person may see and
already joined with what each page shows, so a page costs the same few queries however many
goals, actions or domains a plan has."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from assessments.models import Assessment, ChangeIdea, DomainScore
from assessments.rounds import for_plans as assessment_selectors
from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    GoalStatus,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SupportPlan,
)
from practices.models import PracticeMembership
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import Capability

VIEW = Capability.PLAN_VIEW
OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
EDITABLE_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.ACTIVE)


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


def _with_progress(queryset: QuerySet[SupportPlan]) -> QuerySet[SupportPlan]:
    live_goal = ~Q(goals__status=GoalStatus.DROPPED)
    live_action = ~Q(actions__status=ActionStatus.DROPPED)
    return queryset.annotate(
        n_goals=Count("goals", filter=live_goal, distinct=True),
        n_goals_achieved=Count("goals", filter=Q(goals__status=GoalStatus.ACHIEVED), distinct=True),
        n_actions=Count("actions", filter=live_action, distinct=True),
        n_actions_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE), distinct=True),
    )


def plan_progress(*, plan: SupportPlan) -> Progress:
    """A plan's progress: from the list annotations, the prefetched goals and actions of the
    detail page, or (for a bare plan) two small queries."""
    if hasattr(plan, "n_goals"):
        return Progress(plan.n_goals_achieved, plan.n_goals, plan.n_actions_done, plan.n_actions)
    goals = getattr(plan, "goal_list", None)
    if goals is None:
        goals = list(PlanGoal.objects.filter(plan=plan).only("status"))
        actions = list(PlanAction.objects.filter(plan=plan).only("status"))
    else:
        actions = [action for goal in goals for action in goal.action_list]
    live_goals = [g for g in goals if g.status != GoalStatus.DROPPED]
    live_actions = [a for a in actions if a.status != ActionStatus.DROPPED]
    return Progress(
        goals_achieved=sum(g.status == GoalStatus.ACHIEVED for g in live_goals),
        goals_total=len(live_goals),
        actions_done=sum(a.status == ActionStatus.DONE for a in live_actions),
        actions_total=len(live_actions),
    )


# Plans --------------------------------------------------------------------------------------


def plan_list(*, access, practice_id=None, status=None) -> QuerySet[SupportPlan]:
    """The plans of the practices the person may see, newest first, with their progress."""
    queryset = SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))
    if practice_id:
        queryset = queryset.filter(practice_id=practice_id)
    if status:
        queryset = queryset.filter(status=status)
    return _with_progress(
        queryset.select_related("program", "practice__program", "assessment", "created_by")
    ).order_by("-created_at", "-pk")


def plans_in_full(*, access) -> QuerySet[SupportPlan]:
    """The plans the person may see, each with everything its page shows.

    Goals come as `goal_list` (each with its change idea and `action_list`, each action with its
    owner), the assessment with its instrument and `score_list` (domain scores in order)."""
    actions = PlanAction.objects.select_related("owner", "practice").order_by("position", "pk")
    goals = (
        PlanGoal.objects.select_related("change_idea")
        .prefetch_related(Prefetch("actions", queryset=actions, to_attr="action_list"))
        .order_by("position", "pk")
    )
    scores = DomainScore.objects.order_by("position", "pk")
    return (
        SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related(
            "program",
            "practice__program",
            "assessment__program",
            "assessment__version__instrument",
            "created_by",
            "accepted_by",
        )
        .prefetch_related(
            Prefetch("goals", queryset=goals, to_attr="goal_list"),
            Prefetch("assessment__domain_scores", queryset=scores, to_attr="score_list"),
        )
    )


def plan_detail(*, access, pk) -> SupportPlan:
    """One plan the person may see, in full (see `plans_in_full`); else DoesNotExist, the same
    for a plan that is missing and one out of reach."""
    return plans_in_full(access=access).get(pk=pk)


def plan_in_reach(*, access, pk) -> SupportPlan:
    """A plan the person may see, with its practice; for pages that act on it (else
    DoesNotExist, the same for missing and out of reach)."""
    return (
        SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("program", "practice__program", "assessment__version__instrument")
        .get(pk=pk)
    )


def goal_in_reach(*, access, pk) -> PlanGoal:
    return (
        PlanGoal.objects.filter(access.practice_filter(VIEW, "plan__practice_id"))
        .select_related("plan__program", "plan__practice", "plan__assessment", "change_idea")
        .get(pk=pk)
    )


def action_in_reach(*, access, pk) -> PlanAction:
    """An action (of a plan, or agreed at a visit) of a practice whose plans the person may see,
    with its plan, practice, goal, visit and owner; else DoesNotExist."""
    return (
        PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related(
            "program",
            "practice__program",
            "plan__program",
            "plan__practice",
            "goal",
            "visit",
            "owner",
        )
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


# Actions ------------------------------------------------------------------------------------
# An action belongs to a practice; most also to a plan goal, some (agreed at a visit) only to
# the visit. Whoever sees a practice's plans sees its actions, wherever they came from.

ACTION_SOURCES = ("plan", "visit")


def action_list(*, access) -> QuerySet[PlanAction]:
    """Every action of the practices whose plans the person may see (those of draft and
    completed plans too), with its practice, plan, goal, visit and owner."""
    return (
        PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related(
            "program",
            "practice__program",
            "plan__program",
            "plan__practice",
            "goal",
            "visit",
            "owner",
        )
        .order_by("plan", "goal__position", "goal", "position", "pk")
    )


def _in_play() -> Q:
    """Actions being followed up: those agreed at a visit without a plan, and those of the
    practice's active plan. (A draft's actions are proposals; a completed plan's are its
    record, on the plan's page.)"""
    return Q(plan__isnull=True) | Q(plan__status=PlanStatus.ACTIVE)


def followup_actions(
    *,
    access,
    practice_id=None,
    owner_id=None,
    statuses=OPEN_ACTION_STATUSES,
    overdue: bool = False,
    source: str | None = None,
    today: date | None = None,
) -> QuerySet[PlanAction]:
    """The actions lists: actions in play (see `_in_play`) of the practices in reach, soonest
    due first (undated last), each with its practice, plan, goal, visit and owner.

    `statuses` empty means any status; `overdue` keeps open or in-progress actions past their
    due date; `source` is "plan" (the plan's own actions) or "visit" (agreed at a visit)."""
    queryset = PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id")).filter(
        _in_play()
    )
    if practice_id is not None:
        queryset = queryset.filter(practice_id=practice_id)
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if overdue:
        queryset = queryset.filter(
            status__in=OPEN_ACTION_STATUSES, due_on__lt=today or timezone.localdate()
        )
    if source == "visit":
        queryset = queryset.filter(visit__isnull=False)
    elif source == "plan":
        queryset = queryset.filter(visit__isnull=True)
    return queryset.select_related(
        "program", "practice__program", "plan__program", "goal", "visit", "owner"
    ).order_by(F("due_on").asc(nulls_last=True), "practice__name", "pk")


def overdue_count(queryset: QuerySet[PlanAction], today: date | None = None) -> int:
    """How many of a list's actions are overdue (one query)."""
    return queryset.filter(
        status__in=OPEN_ACTION_STATUSES, due_on__lt=today or timezone.localdate()
    ).count()


def action_owners(*, access, practice_id=None) -> QuerySet:
    """The people who own actions in play that the person may see (of one practice when
    given): the choices of the lists' "owner" filter."""
    owned = PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id")).filter(
        _in_play(), owner__isnull=False
    )
    if practice_id is not None:
        owned = owned.filter(practice_id=practice_id)
    return (
        get_user_model()
        .objects.filter(pk__in=owned.values("owner_id"))
        .order_by("full_name", "email")
    )


def action_detail(*, access, pk) -> PlanAction:
    """One action in reach with its history as `history` (oldest first, each step with who
    made it); else DoesNotExist, the same for missing and out of reach."""
    steps = ActionStatusChange.objects.select_related("changed_by").order_by("changed_at", "pk")
    return (
        PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related(
            "program",
            "practice__program",
            "plan__program",
            "goal",
            "visit",
            "owner",
            "created_by",
        )
        .prefetch_related(Prefetch("status_changes", queryset=steps, to_attr="history"))
        .get(pk=pk)
    )


def action_history(*, action: PlanAction) -> QuerySet[ActionStatusChange]:
    """An action's history, oldest first, with who made each step."""
    return (
        ActionStatusChange.objects.filter(action=action)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )


def actions_for_person(*, access, user, open_only: bool = True) -> QuerySet[PlanAction]:
    """`user`'s actions in play (of active plans, or agreed at visits) they may see, soonest
    due first."""
    return followup_actions(
        access=access, owner_id=user.pk, statuses=OPEN_ACTION_STATUSES if open_only else ()
    )


def goal_list(*, access) -> QuerySet[PlanGoal]:
    """Goals of the plans the person may see, with their plan and change idea."""
    return (
        PlanGoal.objects.filter(access.practice_filter(VIEW, "plan__practice_id"))
        .select_related("plan__practice", "change_idea")
        .order_by("plan", "position", "pk")
    )


def is_overdue(action: PlanAction, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        action.status in OPEN_ACTION_STATUSES
        and action.due_on is not None
        and action.due_on < today
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


def practice_actions_panel(*, access, practice, limit: int = 5) -> dict:
    """What the practice page shows about follow-up: how many actions are open and overdue,
    and the next `limit` due. Nothing for someone who may not see the practice's plans. Two
    queries."""
    if not access.can(VIEW, practice.pk):
        return {"visible": False}
    today = timezone.localdate()
    open_actions = followup_actions(access=access, practice_id=practice.pk)
    counts = open_actions.order_by().aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    upcoming = list(open_actions[:limit])
    for action in upcoming:
        action.overdue = is_overdue(action, today)
    return {
        "visible": True,
        "practice": practice,
        "open_count": counts["open"],
        "overdue_count": counts["overdue"],
        "upcoming": upcoming,
    }


# People -------------------------------------------------------------------------------------


def program_people() -> QuerySet:
    """Everyone with an active role in the program in scope."""
    members = ProgramMembership.objects.filter(is_active=True).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members)


def owner_choices(*, practice) -> QuerySet:
    """Who may own an action of `practice`'s plan: its active leads and staff, and the program's
    admins and coaches (a practice's coaches are among them)."""
    staff = PracticeMembership.objects.filter(practice=practice, is_active=True).values("user_id")
    program_team = ProgramMembership.objects.filter(
        is_active=True, role__in=(ProgramRole.ADMIN, ProgramRole.COACH)
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=staff) | Q(pk__in=program_team), is_active=True)
        .order_by("full_name", "email")
    )


# Assessments and the change library ---------------------------------------------------------


def assessments_in_reach(*, access) -> QuerySet[Assessment]:
    """Assessments of the practices whose plans the person may see."""
    return Assessment.objects.filter(access.practice_filter(VIEW, "practice_id")).select_related(
        "program", "practice", "version__instrument"
    )


def weak_domain_scores(*, assessment) -> list[DomainScore]:
    """The assessment's domains scoring below its instrument's weak threshold, weakest first
    (domains with no score, every question "not applicable", are left out)."""
    return list(assessment_selectors.weak_domains(assessment=assessment))


def lowest_domain_scores(*, assessment, limit: int = 2) -> list[DomainScore]:
    """The `limit` lowest-scoring domains below 100%, weakest first: what a plan works on when
    no domain is below the weak threshold."""
    return list(
        DomainScore.objects.filter(
            assessment=assessment, percent__isnull=False, percent__lt=100
        ).order_by("percent", "position", "pk")[:limit]
    )


def change_ideas_for(*, instrument_id, domain_key=None) -> QuerySet[ChangeIdea]:
    """The active change-library entries of an instrument (for one domain when given), best
    first (the library's own order)."""
    queryset = ChangeIdea.objects.filter(instrument_id=instrument_id, is_active=True)
    if domain_key is not None:
        queryset = queryset.filter(domain_key=domain_key)
    return queryset.order_by("domain_key", "position", "pk")


def change_ideas_for_plan(*, plan: SupportPlan) -> QuerySet[ChangeIdea]:
    """The library entries a goal of this plan can come from: those of the instrument the plan's
    assessment used; every active entry of the program for a plan without an assessment."""
    if plan.assessment_id is not None:
        return change_ideas_for(instrument_id=plan.assessment.version.instrument_id)
    return ChangeIdea.objects.filter(is_active=True).order_by(
        "instrument__name", "domain_key", "position", "pk"
    )
