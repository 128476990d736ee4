"""Drafting a support plan from a submitted assessment: a goal for each weak domain, proposed
from the program's change library with the entry's suggested actions."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import ChangeIdea
from assessments.rounds import for_plans
from coaching.actions.history import step_lines
from coaching.actions.models import ActionStatusChange, PlanAction
from coaching.plans import selectors
from coaching.plans.models import PlanGoal, SupportPlan
from coaching.plans.services.editing import first_step, record_plan_change
from practices.models import Practice
from psp.history.models import ChangeRecord
from psp.tenancy.base import ensure_in_program

# How long a drafted goal runs; its actions' due dates are spread over the same period.
DEFAULT_TARGET_DAYS = 90
# When no domain is below the weak threshold, the plan still works on this many of the lowest.
FALLBACK_DOMAINS = 2


def _spread(start: date, end: date, count: int) -> list[date]:
    """`count` due dates spread evenly over (start, end], the last one on `end`."""
    span = (end - start).days
    return [start + timedelta(days=round(span * (i + 1) / count)) for i in range(count)]


def _action_titles(idea: ChangeIdea) -> list[str]:
    """The change idea's suggested actions as titles (the library stores text, or objects with
    a title)."""
    titles = []
    for item in idea.suggested_actions or []:
        text = item.get("title") or item.get("text") if isinstance(item, dict) else item
        text = str(text or "").strip()
        if text:
            titles.append(text[:300])
    return titles


def add_idea_actions(
    *, program, goal: PlanGoal, idea: ChangeIdea, start: date, by, position: int = 0
) -> list[PlanAction]:
    titles = _action_titles(idea)
    end = goal.target_date or start + timedelta(days=DEFAULT_TARGET_DAYS)
    dues = _spread(start, end, len(titles)) if titles else []
    actions = PlanAction.objects.bulk_create(
        PlanAction(
            program=program,
            practice_id=goal.plan.practice_id,
            plan_id=goal.plan_id,
            goal=goal,
            title=title,
            due_on=due,
            position=position + i,
            created_by=by,
        )
        for i, (title, due) in enumerate(zip(titles, dues, strict=True))
    )
    steps = ActionStatusChange.objects.bulk_create(
        first_step(program=program, action=action, by=by) for action in actions
    )
    ChangeRecord.objects.bulk_create(step_lines(steps))
    return actions


# Drafting ------------------------------------------------------------------------------------


@transaction.atomic
def plan_draft_from_assessment(*, program, assessment, by, today: date | None = None):
    """Draft a support plan for the assessed practice: one goal per weak domain (below the
    instrument's threshold, weakest first), each proposed from the change library's first active
    entry for that domain, with the entry's suggested actions (no owner yet, due dates spread
    over the goal's 90 days). When no domain is weak, the two lowest below 100% are used and the
    plan's summary says so.

    Refused for an assessment that is not submitted, and while a draft or active plan drafted
    from the same assessment exists."""
    ensure_in_program(program, assessment)
    _ensure_draftable(assessment)
    today = today or timezone.localdate()
    instrument = assessment.version.instrument
    scores, note = _proposed_domains(assessment, threshold=instrument.weak_threshold)
    submitted = timezone.localtime(assessment.submitted_at or assessment.opened_at)
    plan = SupportPlan.objects.create(
        program=program,
        practice=assessment.practice,
        assessment=assessment,
        title=f"{assessment.practice.name} support plan, {today:%B %Y}",
        summary=(
            f"Drafted from the {assessment.get_kind_display().lower()} assessment submitted on "
            f"{submitted.day} {submitted:%B %Y}. {note}"
        ),
        created_by=by,
    )
    _add_proposed_goals(
        program=program, plan=plan, scores=scores, instrument=instrument, today=today, by=by
    )
    goals = len(scores)
    record_plan_change(
        program=program,
        plan=plan,
        what="plan.drafted",
        summary=f"Plan drafted from the {assessment.get_kind_display().lower()} assessment, "
        f"with {goals} goal{'s' if goals != 1 else ''}.",
        changes={"title": [None, plan.title], "status": [None, plan.status]},
        by=by,
    )
    return plan


def _ensure_draftable(assessment) -> None:
    """Refuse an assessment that is not submitted, or that a draft or active plan already came
    from. Locks the practice: concurrent drafts from the same assessment go one at a time."""
    if not for_plans.is_scored(assessment):
        raise ValidationError(
            {"assessment": "Only a submitted (scored) assessment can propose a support plan."}
        )
    # Serializes concurrent drafts from the same assessment.
    Practice.objects.select_for_update().get(pk=assessment.practice_id)
    existing = SupportPlan.objects.filter(
        assessment=assessment, status__in=selectors.EDITABLE_PLAN_STATUSES
    ).first()
    if existing is not None:
        raise ValidationError(
            {
                "assessment": f"The {existing.get_status_display().lower()} plan "
                f"“{existing.title}” was already drafted from this assessment. Work on that plan "
                "instead, or complete (or discard) it first."
            }
        )


def _proposed_domains(assessment, *, threshold) -> tuple[list, str]:
    """The domain scores the plan's goals are for, and the sentence of the summary saying why."""
    scores = list(for_plans.weak_domains(assessment=assessment))
    if scores:
        note = (
            f"Goals are proposed for the {len(scores)} domain{'s' if len(scores) != 1 else ''} "
            f"scoring below {threshold}%."
        )
    else:
        scores = for_plans.lowest_domains(assessment=assessment, limit=FALLBACK_DOMAINS)
        note = (
            f"No domain scored below {threshold}%, so goals are proposed for the "
            f"lowest-scoring domains instead."
            if scores
            else "Every domain scored 100%: add goals of the practice's own choosing."
        )
    return scores, note


def _add_proposed_goals(*, program, plan, scores, instrument, today: date, by) -> None:
    """A goal for each domain score, from the library's best entry for its domain (with the
    entry's suggested actions), or a plain one where the library has none."""
    ideas = for_plans.best_change_ideas(instrument_id=instrument.pk)
    target = today + timedelta(days=DEFAULT_TARGET_DAYS)
    for position, score in enumerate(scores):
        idea = ideas.get(score.domain_key)
        goal = PlanGoal.objects.create(
            program=program,
            plan=plan,
            change_idea=idea,
            domain_key=score.domain_key,
            domain_name=score.domain_name,
            baseline_percent=score.percent,
            title=idea.goal if idea else f"Strengthen {score.domain_name.lower()}",
            measure=idea.suggested_measure if idea else "",
            target_date=target,
            kpi_key=idea.kpi_key if idea else "",
            position=position,
        )
        if idea is not None:
            add_idea_actions(program=program, goal=goal, idea=idea, start=today, by=by)
