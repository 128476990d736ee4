"""The facts the caseload rules read, gathered in bulk: one grouped query per kind of fact
(logged visits, the next planned visit, open and overdue actions, the active plan with its
progress) over a set of practices, each keyed by practice id. `ids` is a subquery of the
practices' primary keys, so each stays one query however many practices there are."""

from datetime import date

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Sum

from coaching.actions.models import ActionStatus, ActionStatusChange, PlanAction
from coaching.actions.selectors import OPEN_ACTION_STATUSES
from coaching.caseload.dose import month_start
from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus, SupportPlan
from coaching.visits.models import Visit, VisitStatus
from practices.models import Practice

# Actions that count: those agreed at a visit (no plan) and those of the active plan. A draft's
# actions are proposals; a completed plan's leftovers can no longer move.
LIVE_ACTION = Q(plan__isnull=True) | Q(plan__status=PlanStatus.ACTIVE)


def visit_facts(ids, today: date) -> dict[int, dict]:
    this_month = Q(visit_date__gte=month_start(today))
    rows = (
        Visit.objects.filter(practice__in=ids, status=VisitStatus.LOGGED, visit_date__lte=today)
        .values("practice_id")
        .annotate(
            last=Max("visit_date"),
            month_visits=Count("pk", filter=this_month),
            month_minutes=Sum("duration_minutes", filter=this_month),
        )
        .order_by()
    )
    return {row["practice_id"]: row for row in rows}


def next_planned_visits(ids, today: date) -> dict[int, Visit]:
    """Each practice's next planned visit. Driven from the practices: one index probe each
    (program, practice, status, date) for its first upcoming visit, then those visits by key.
    Starting from the visits instead (every upcoming planned visit of the program, each checked
    against its practice's first) read the whole program's planned visits for any 50
    practices: thousands of rows at 10,000 practices, and the nightly standings job paid that
    for every chunk of practices."""
    first = (
        Visit.objects.filter(
            practice_id=OuterRef("pk"), status=VisitStatus.PLANNED, visit_date__gte=today
        )
        .order_by("visit_date", "start_time", "pk")
        .values("pk")[:1]
    )
    firsts = Practice.objects.filter(pk__in=ids).annotate(next_pk=Subquery(first)).values("next_pk")
    visits = Visit.objects.filter(pk__in=firsts).select_related("coach")
    return {visit.practice_id: visit for visit in visits}


def action_facts(ids, today: date) -> dict[int, dict]:
    overdue = Q(due_on__lt=today)
    rows = (
        PlanAction.objects.filter(LIVE_ACTION, practice__in=ids, status__in=OPEN_ACTION_STATUSES)
        .values("practice_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue),
            oldest=Min("due_on", filter=overdue),
        )
        .order_by()
    )
    return {row["practice_id"]: row for row in rows}


def active_plans(ids) -> dict[int, SupportPlan]:
    """Each practice's active plan with its progress (`n_goals`, `n_goals_achieved`,
    `n_actions`, `n_actions_done`) and when an action of it was last done (`last_done_at` from
    the actions, `last_done_change_at` from their history). Four grouped queries."""
    plans = {
        plan.pk: plan
        for plan in SupportPlan.objects.filter(practice__in=ids, status=PlanStatus.ACTIVE)
        .only("pk", "practice_id", "title", "created_at", "accepted_at")
        .order_by("accepted_at", "pk")
    }
    done, dropped = ActionStatus.DONE, ActionStatus.DROPPED
    actions = {
        row["plan_id"]: row
        for row in PlanAction.objects.filter(practice__in=ids, plan__status=PlanStatus.ACTIVE)
        .values("plan_id")
        .annotate(
            n_actions=Count("pk", filter=~Q(status=dropped)),
            n_actions_done=Count("pk", filter=Q(status=done)),
            last_done_at=Max("completed_at", filter=Q(status=done)),
        )
        .order_by()
    }
    goals = {
        row["plan_id"]: row
        for row in PlanGoal.objects.filter(plan__practice__in=ids, plan__status=PlanStatus.ACTIVE)
        .values("plan_id")
        .annotate(
            n_goals=Count("pk", filter=~Q(status=GoalStatus.DROPPED)),
            n_goals_achieved=Count("pk", filter=Q(status=GoalStatus.ACHIEVED)),
        )
        .order_by()
    }
    changes = dict(
        ActionStatusChange.objects.filter(
            action__practice__in=ids, action__plan__status=PlanStatus.ACTIVE, to_status=done
        )
        .values_list("action__plan_id")
        .annotate(last=Max("changed_at"))
        .order_by()
    )
    by_practice = {}
    for plan in plans.values():
        counted = {**goals.get(plan.pk, {}), **actions.get(plan.pk, {})}
        plan.n_goals = counted.get("n_goals", 0)
        plan.n_goals_achieved = counted.get("n_goals_achieved", 0)
        plan.n_actions = counted.get("n_actions", 0)
        plan.n_actions_done = counted.get("n_actions_done", 0)
        plan.last_done_at = counted.get("last_done_at")
        plan.last_done_change_at = changes.get(plan.pk)
        # One active plan per practice is the rule; should two exist, the latest accepted wins.
        by_practice[plan.practice_id] = plan
    return by_practice
