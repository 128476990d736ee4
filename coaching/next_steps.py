"""What a practice lead or staff member has to do next, for the top of their home page: the
assessment rounds waiting for their answers, the feedback asked of them, the actions they own,
in one list by due date (overdue first); and below it the goals of their practice's active
support plan, each with how many of its actions are done.

Read here, in coaching, because coaching already reads assessments (through their selectors) and
the practices app below both does not. A fixed number of queries however many rounds, invites,
actions or goals: four.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from django.db.models import Count, Q
from django.utils import timezone

from assessments.rounds.to_answer import rounds_to_answer
from coaching.actions import selectors as action_selectors
from coaching.actions.models import ActionStatus
from coaching.feedback import selectors as feedback_selectors
from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus
from coaching.plans.selectors import Progress
from psp.tenancy.permissions import Capability

ACTIONS_SHOWN = 5
# The order of kinds on the same day: the quick ones first.
KIND_ORDER = {"feedback": 0, "assessment": 1, "action": 2}


@dataclass(frozen=True)
class NextStep:
    """One thing to do: `kind` is "assessment", "feedback" or "action"; `item` the round (a
    RoundToAnswer), the invitation or the action."""

    kind: str
    item: object
    due_on: date | None
    overdue: bool

    def sort_key(self):
        return (self.due_on is None, self.due_on or date.max, KIND_ORDER[self.kind])


@dataclass
class PlanGoals:
    """The active plan of one of the person's practices, with its live goals in order."""

    plan: object
    goals: list = field(default_factory=list)

    @property
    def progress(self) -> Progress:
        return Progress(
            goals_achieved=sum(goal.status == GoalStatus.ACHIEVED for goal in self.goals),
            goals_total=len(self.goals),
            actions_done=sum(goal.n_actions_done for goal in self.goals),
            actions_total=sum(goal.n_actions for goal in self.goals),
        )


@dataclass
class NextSteps:
    steps: list[NextStep]
    more_actions: bool  # the person owns more open actions than the list shows
    plans: list[PlanGoals]

    @property
    def overdue_count(self) -> int:
        return sum(step.overdue for step in self.steps)


def feedback_asked_until(invite) -> date:
    """The home page asks for feedback on a visit for PROMPT_DAYS after it."""
    return invite.visit.visit_date + timedelta(days=feedback_selectors.PROMPT_DAYS)


def next_steps_for(*, access, user, program_slug: str, today: date | None = None) -> NextSteps:
    """Everything the person's home starts with, soonest due first. Four queries."""
    today = today or timezone.localdate()
    steps = [
        NextStep("assessment", waiting, waiting.due_on, _before(waiting.due_on, today))
        for waiting in rounds_to_answer(access=access, user=user, program_slug=program_slug)
    ]
    steps += [
        NextStep("feedback", invite, feedback_asked_until(invite), False)
        for invite in feedback_selectors.prompt_invites(user=user, today=today)
    ]
    actions = []
    if access.can(Capability.PLAN_VIEW):
        actions = list(
            action_selectors.actions_for_person(access=access, user=user)[: ACTIONS_SHOWN + 1]
        )
    steps += [
        NextStep("action", action, action.due_on, action_selectors.is_overdue(action, today))
        for action in actions[:ACTIONS_SHOWN]
    ]
    steps.sort(key=NextStep.sort_key)
    return NextSteps(
        steps=steps, more_actions=len(actions) > ACTIONS_SHOWN, plans=active_plan_goals(access)
    )


def _before(day: date | None, today: date) -> bool:
    return day is not None and day < today


def active_plan_goals(access) -> list[PlanGoals]:
    """The active plans of the practices whose plans the person sees, by practice name, each
    with its goals (dropped ones left out) and each goal's live and done actions. One query."""
    if not access.can(Capability.PLAN_VIEW):
        return []
    goals = (
        PlanGoal.objects.filter(access.practice_filter(Capability.PLAN_VIEW, "plan__practice_id"))
        .filter(plan__status=PlanStatus.ACTIVE)
        .exclude(status=GoalStatus.DROPPED)
        .select_related("plan__practice")
        .annotate(
            n_actions=Count("actions", filter=~Q(actions__status=ActionStatus.DROPPED)),
            n_actions_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
        .order_by("plan__practice__name", "plan_id", "position", "pk")
    )
    plans = []
    for plan, plan_goals in groupby(goals, key=lambda goal: goal.plan):
        plan_goals = list(plan_goals)
        for goal in plan_goals:
            goal.percent = (
                round(goal.n_actions_done / goal.n_actions * 20) * 5 if goal.n_actions else 0
            )
        plans.append(PlanGoals(plan=plan, goals=plan_goals))
    return plans
