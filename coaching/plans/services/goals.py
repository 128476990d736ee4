"""A plan's goals: added from the change library (with its suggested actions) or as the
practice's own, changed, removed, or switched to another change idea of the same domain."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import ChangeIdea
from assessments.rounds import for_plans
from coaching.actions.models import ActionStatus, PlanAction
from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus, SupportPlan
from coaching.plans.services.drafting import DEFAULT_TARGET_DAYS, add_idea_actions
from coaching.plans.services.editing import (
    clean_text,
    current_goal,
    ensure_editable,
    field_values,
    locked_plan,
    record_plan_change,
)
from psp.history.services import changes_phrase, diff
from psp.tenancy.base import ensure_in_program

GOAL_FIELDS = ("title", "measure", "target_date", "kpi_key", "status")


def _domain_facts(plan: SupportPlan, idea: ChangeIdea) -> tuple[str, object]:
    """The domain's name and the plan's baseline score for it, for a goal taken from the library."""
    if plan.assessment_id is not None:
        score = for_plans.domain_score(assessment_id=plan.assessment_id, domain_key=idea.domain_key)
        if score is not None:
            return score.domain_name, score.percent
    name = for_plans.domain_name(instrument_id=idea.instrument_id, domain_key=idea.domain_key)
    return (name or idea.domain_key.replace("-", " ").capitalize()), None


def _ensure_idea_for_plan(*, program, plan: SupportPlan, idea: ChangeIdea) -> None:
    ensure_in_program(program, idea)
    if not idea.is_active:
        raise ValidationError({"change_idea": "This change idea is retired from the library."})
    if plan.assessment_id is not None:
        instrument_id = plan.assessment.version.instrument_id
        if idea.instrument_id != instrument_id:
            raise ValidationError(
                {"change_idea": "Choose a change idea of the instrument this plan came from."}
            )


@transaction.atomic
def goal_add(
    *,
    program,
    plan: SupportPlan,
    by,
    change_idea: ChangeIdea | None = None,
    title: str = "",
    measure: str = "",
    target_date: date | None = None,
    domain_key: str = "",
    kpi_key: str = "",
    today: date | None = None,
) -> PlanGoal:
    """Add a goal to a draft or active plan: from a change-library entry (its goal, measure, KPI
    and suggested actions; `title`, `measure` and `target_date` override them when given) or as
    free text (a title is then required)."""
    ensure_in_program(program, plan)
    locked = locked_plan(plan.pk)
    ensure_editable(locked)
    today = today or timezone.localdate()
    last = PlanGoal.objects.filter(plan=locked).order_by("-position").first()
    goal = PlanGoal(program=program, plan=locked, position=last.position + 1 if last else 0)
    if change_idea is not None:
        _ensure_idea_for_plan(program=program, plan=locked, idea=change_idea)
        _take_idea(goal, locked, change_idea, title=title, measure=measure, kpi_key=kpi_key)
    else:
        _take_own(goal, locked, title=title, measure=measure, domain_key=domain_key)
        goal.kpi_key = kpi_key or ""
    goal.target_date = target_date or today + timedelta(days=DEFAULT_TARGET_DAYS)
    goal.full_clean(exclude=["program", "plan", "change_idea"], validate_constraints=False)
    goal.save()
    source = "from the change library" if change_idea is not None else "as the practice's own"
    if change_idea is not None:
        actions = add_idea_actions(program=program, goal=goal, idea=change_idea, start=today, by=by)
        if actions:
            source += f", with {len(actions)} suggested action{'s' if len(actions) != 1 else ''}"
    record_plan_change(
        program=program,
        plan=locked,
        what="goal.added",
        summary=f"Goal “{goal.title}” added {source}.",
        changes=diff(
            {}, field_values(goal, ("title", "measure", "target_date", "kpi_key"), skip_empty=True)
        ),
        by=by,
        about=goal,
    )
    return goal


def _take_idea(
    goal: PlanGoal, plan: SupportPlan, idea: ChangeIdea, *, title, measure, kpi_key
) -> None:
    """A new goal from a change-library entry: its domain, goal, measure and KPI, unless the
    caller gave their own."""
    goal.change_idea = idea
    goal.domain_key = idea.domain_key
    goal.domain_name, goal.baseline_percent = _domain_facts(plan, idea)
    goal.title = clean_text(title, field="title") or idea.goal
    goal.measure = clean_text(measure, field="measure") or idea.suggested_measure
    goal.kpi_key = kpi_key or idea.kpi_key


def _take_own(goal: PlanGoal, plan: SupportPlan, *, title, measure, domain_key) -> None:
    """A new goal of the practice's own: a title, and a domain of the plan's assessment if any."""
    goal.title = clean_text(title, field="title", required=True)
    goal.measure = clean_text(measure, field="measure")
    goal.domain_key = (domain_key or "").strip()
    if goal.domain_key and plan.assessment_id is not None:
        score = for_plans.domain_score(assessment_id=plan.assessment_id, domain_key=goal.domain_key)
        if score is None:
            raise ValidationError(
                {"domain_key": "Choose one of the domains of the plan's assessment."}
            )
        goal.domain_name, goal.baseline_percent = score.domain_name, score.percent


@transaction.atomic
def goal_update(*, program, goal: PlanGoal, by, data: dict) -> PlanGoal:
    """Change a goal's title, measurable target, target date, KPI or status. A goal is marked
    achieved or dropped only once the plan is active."""
    ensure_in_program(program, goal)
    unknown = set(data) - set(GOAL_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in sorted(unknown)})
    plan = locked_plan(goal.plan_id)
    ensure_editable(plan)
    updated = current_goal(goal.pk)
    before = field_values(updated, GOAL_FIELDS)
    if "title" in data:
        updated.title = clean_text(data["title"], field="title", required=True)
    if "measure" in data:
        updated.measure = clean_text(data["measure"], field="measure")
    if "target_date" in data:
        updated.target_date = data["target_date"]
    if "kpi_key" in data:
        updated.kpi_key = (data["kpi_key"] or "").strip()
    if "status" in data and data["status"] != updated.status:
        if data["status"] not in GoalStatus.values:
            raise ValidationError({"status": "Choose open, achieved or dropped."})
        if plan.status != PlanStatus.ACTIVE:
            raise ValidationError(
                {"status": "A goal is marked achieved or dropped once the plan is accepted."}
            )
        updated.status = data["status"]
    updated.full_clean(exclude=["program", "plan", "change_idea"], validate_constraints=False)
    updated.save()
    changes, phrase = changes_phrase(PlanGoal, before, field_values(updated, GOAL_FIELDS))
    if changes:
        record_plan_change(
            program=program,
            plan=plan,
            what="goal.edited",
            summary=f"Goal “{before['title']}”: {phrase}",
            changes=changes,
            by=by,
            about=updated,
        )
    return updated


@transaction.atomic
def goal_remove(*, program, goal: PlanGoal, by) -> None:
    """Take a goal, and its actions, out of a draft or active plan."""
    ensure_in_program(program, goal)
    plan = locked_plan(goal.plan_id)
    ensure_editable(plan)
    goal = current_goal(goal.pk)
    actions = PlanAction.objects.filter(goal=goal).count()
    with_actions = f" with its {actions} action{'s' if actions != 1 else ''}" if actions else ""
    record_plan_change(
        program=program,
        plan=plan,
        what="goal.removed",
        summary=f"Goal “{goal.title}” removed{with_actions}.",
        changes=diff(field_values(goal, ("title", "measure", "target_date"), skip_empty=True), {}),
        by=by,
        about=goal,
    )
    goal.delete()


@transaction.atomic
def goal_swap_idea(
    *, program, goal: PlanGoal, change_idea: ChangeIdea, by, today: date | None = None
) -> PlanGoal:
    """Replace a goal's proposal with another change-library entry for the same domain: its goal
    text, measure and KPI, and its suggested actions in place of the goal's actions that have not
    started (actions in progress, done or dropped are kept: they are what happened). The target
    date stays."""
    ensure_in_program(program, goal, change_idea)
    plan = locked_plan(goal.plan_id)
    ensure_editable(plan)
    goal = current_goal(goal.pk)
    _ensure_idea_for_plan(program=program, plan=plan, idea=change_idea)
    if change_idea.domain_key != goal.domain_key:
        raise ValidationError(
            {"change_idea": "Choose a change idea for the same domain as the goal."}
        )
    if change_idea.pk == goal.change_idea_id:
        raise ValidationError({"change_idea": "The goal already follows this change idea."})
    swapped = ("title", "measure", "kpi_key")
    before = field_values(goal, swapped)
    goal.change_idea = change_idea
    goal.title = change_idea.goal
    goal.measure = change_idea.suggested_measure
    goal.kpi_key = change_idea.kpi_key
    goal.save(update_fields=["change_idea", "title", "measure", "kpi_key"])
    PlanAction.objects.filter(goal=goal, status=ActionStatus.OPEN).delete()
    kept = PlanAction.objects.filter(goal=goal).order_by("-position").first()
    add_idea_actions(
        program=program,
        goal=goal,
        idea=change_idea,
        start=today or timezone.localdate(),
        by=by,
        position=kept.position + 1 if kept else 0,
    )
    changes, _ = changes_phrase(PlanGoal, before, field_values(goal, swapped))
    record_plan_change(
        program=program,
        plan=plan,
        what="goal.swapped",
        summary=f"Goal “{before['title']}” now follows the change idea “{change_idea.goal}”; "
        "its actions not yet started were replaced by the idea's.",
        changes=changes,
        by=by,
        about=goal,
    )
    return goal
