"""A support plan per assessed practice, drafted from its baseline's weakest domains with the
instrument's change ideas: goals, their actions, and each action's status history."""

from datetime import timedelta

from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    GoalStatus,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SupportPlan,
)
from psp.demo.scale.context import ScaleContext, at
from psp.demo.scale.writer import Table

PLAN_STATUSES = [PlanStatus.ACTIVE, PlanStatus.COMPLETED, PlanStatus.DRAFT]
PLAN_WEIGHTS = [80, 10, 10]


class PlanTables:
    def __init__(self):
        self.plans = Table(
            SupportPlan,
            [
                "practice_id",
                "assessment_id",
                "title",
                "status",
                "created_at",
                "created_by_id",
                "accepted_at",
                "accepted_by_id",
                "completed_at",
            ],
        )
        self.goals = Table(
            PlanGoal,
            [
                "plan_id",
                "change_idea_id",
                "domain_key",
                "domain_name",
                "baseline_percent",
                "title",
                "measure",
                "target_date",
                "kpi_key",
                "status",
                "position",
            ],
        )
        self.actions = Table(
            PlanAction,
            [
                "practice_id",
                "plan_id",
                "goal_id",
                "title",
                "owner_id",
                "due_on",
                "status",
                "completed_at",
                "position",
                "created_at",
                "created_by_id",
            ],
            copy=True,
        )
        self.history = Table(
            ActionStatusChange,
            ["action_id", "from_status", "to_status", "changed_at", "changed_by_id"],
            copy=True,
        )


def plans_build(ctx: ScaleContext, tables: PlanTables, baselines: dict, ideas: dict) -> None:
    """`baselines`: by practice index, (baseline id, weakest domains with percent); `ideas`: the
    change ideas by domain key."""
    plans, goals, actions, history = [], [], [], []
    for i, (assessment_id, weakest) in sorted(baselines.items()):
        rng = ctx.spec.rng("plans", i)
        status = rng.choices(PLAN_STATUSES, PLAN_WEIGHTS)[0]
        drafted = ctx.enrolled[i] + timedelta(days=rng.randint(45, 70))
        accepted = drafted + timedelta(days=7)
        coach = ctx.coach_id(i)
        plans.append(
            (
                ctx.practice_ids[i],
                assessment_id,
                "Support plan",
                status,
                at(drafted),
                coach,
                at(accepted) if status != PlanStatus.DRAFT else None,
                ctx.lead_id(i) if status != PlanStatus.DRAFT else None,
                at(ctx.spec.today - timedelta(days=rng.randint(10, 90)))
                if status == PlanStatus.COMPLETED
                else None,
            )
        )
        for g, (domain, percent) in enumerate(weakest[: rng.choice([2, 3])]):
            idea = ideas.get(domain.key, [None])[0]
            done = status == PlanStatus.COMPLETED
            goals.append(
                [
                    len(plans) - 1,
                    idea.pk if idea else None,
                    domain.key,
                    domain.name,
                    percent,
                    idea.goal if idea else f"Strengthen {domain.name.lower()}",
                    idea.suggested_measure if idea else "",
                    drafted + timedelta(days=365),
                    idea.kpi_key if idea else "",
                    GoalStatus.ACHIEVED if done else GoalStatus.OPEN,
                    g,
                ]
            )
            steps = (idea.suggested_actions if idea else []) or ["Agree the first test of change"]
            for a in range(3):
                _action(
                    ctx,
                    i,
                    rng,
                    (len(plans) - 1, len(goals) - 1),
                    steps[a % len(steps)],
                    a,
                    drafted,
                    done,
                    actions,
                    history,
                )
    _write(ctx, tables, plans, goals, actions, history)


def _action(ctx, i, rng, parents, title, position, drafted, done, actions, history) -> None:
    """One action; its history runs from creation to its present status. Open actions fall due
    around today, so some are overdue, as in any caseload."""
    today = ctx.spec.today
    created = drafted + timedelta(days=7 + position * 30)
    due = today + timedelta(days=rng.randint(-60, 60)) if not done else created + timedelta(days=60)
    status = (
        ActionStatus.DONE
        if done
        else rng.choice(
            [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DONE]
        )
    )
    path = {ActionStatus.OPEN: [], ActionStatus.IN_PROGRESS: [ActionStatus.IN_PROGRESS]}.get(
        status, [ActionStatus.IN_PROGRESS, ActionStatus.DONE]
    )
    finished = min(created + timedelta(days=rng.randint(20, 200)), today)
    lead = ctx.lead_id(i)
    actions.append(
        (
            *parents,
            ctx.practice_ids[i],
            title[:300],
            lead,
            due,
            status,
            at(finished) if status == ActionStatus.DONE else None,
            position,
            at(created),
            ctx.coach_id(i),
        )
    )
    moves, previous = [("", ActionStatus.OPEN, at(created))], ActionStatus.OPEN
    for k, step in enumerate(path):
        moved = created + (finished - created) * (k + 1) / len(path)
        moves.append((previous, step, at(moved, 14)))
        previous = step
    history.extend((len(actions) - 1, *move, lead) for move in moves)


def _write(ctx, tables, plans, goals, actions, history) -> None:
    """Children name their parents by position in these lists until the ids are known."""
    plan_ids = tables.plans.ids(len(plans))
    ctx.counts["plans"] += tables.plans.write(plan_ids, plans)
    goal_ids = tables.goals.ids(len(goals))
    rows = [(plan_ids[goal[0]], *goal[1:]) for goal in goals]
    ctx.counts["plan goals"] += tables.goals.write(goal_ids, rows)
    action_ids = tables.actions.ids(len(actions))
    rows = [(practice, plan_ids[p], goal_ids[g], *rest) for p, g, practice, *rest in actions]
    ctx.counts["actions"] += tables.actions.write(action_ids, rows)
    rows = [(action_ids[a], *rest) for a, *rest in history]
    ctx.counts["action status changes"] += tables.history.write(tables.history.ids(len(rows)), rows)
