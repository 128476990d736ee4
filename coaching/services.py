"""Writes to support plans, their goals and actions: the business rules of plans live here.

Every function takes the program explicitly (keyword-only), refuses any object from another
program with a ValidationError (a stray id is a clear message, never a 500 or a leak) and runs in
one transaction, so a refused change leaves nothing half done.

Lifecycle: a plan is drafted from a submitted assessment (goals for its weak domains, proposed
from the program's change library), edited while it is a draft or active, accepted (draft →
active) once every goal has a measurable target and date and every action an owner and due date,
and completed (active → completed). A practice has one active plan at a time: accepting another
is refused unless the caller asks, explicitly, to complete the current one in the same step.

Actions: most belong to a plan goal; one agreed at a visit may stand alone (no plan). Every
action keeps its status history (ActionStatusChange): its creation (“” → open) and each move
after it, with who, when and the note given.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from assessments.models import AssessmentStatus, ChangeIdea, Domain, DomainScore
from coaching import selectors
from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    GoalStatus,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SupportPlan,
)
from practices.models import Practice
from psp.history.models import SubjectType
from psp.history.services import changes_phrase, diff, record_change
from psp.tenancy.base import ensure_in_program

# How long a drafted goal runs; its actions' due dates are spread over the same period.
DEFAULT_TARGET_DAYS = 90
# When no domain is below the weak threshold, the plan still works on this many of the lowest.
FALLBACK_DOMAINS = 2

PLAN_FIELDS = ("title", "summary")
GOAL_FIELDS = ("title", "measure", "target_date", "kpi_key", "status")
ACTION_FIELDS = ("title", "owner", "due_on")


# The plan's change history ---------------------------------------------------------------------


def _record(*, program, plan, what: str, summary: str, by, changes=None) -> None:
    record_change(
        program=program,
        practice=plan.practice_id,
        subject_type=SubjectType.PLAN,
        subject_id=plan.pk,
        what=what,
        summary=summary,
        changes=changes,
        by=by,
    )


def _values(row, fields, *, skip_empty: bool = False) -> dict:
    values = {field: getattr(row, field) for field in fields}
    if skip_empty:  # what a new or removed row had, without its blank fields
        values = {field: value for field, value in values.items() if value not in (None, "")}
    return values


# Checks shared by every service ------------------------------------------------------------


def _ensure_editable(plan: SupportPlan) -> None:
    if plan.status not in selectors.EDITABLE_PLAN_STATUSES:
        raise ValidationError(
            f"This plan is {plan.get_status_display().lower()}; it can no longer be changed."
        )


def _locked_plan(plan_id: int) -> SupportPlan:
    """The plan's row, locked for the rest of the transaction, so two edits cannot cross. Read
    afresh once the lock is ours: the request that held it may have changed the plan, or
    discarded the draft, which is then a 404 like any plan that does not exist."""
    locked = SupportPlan.objects.select_for_update(of=("self",)).filter(pk=plan_id).first()
    if locked is None:
        raise Http404("This plan no longer exists.")
    return locked


def _current_goal(goal_id: int) -> PlanGoal:
    """The goal as it is now, its plan locked first (see _locked_plan): another request may
    have removed it meanwhile."""
    goal = PlanGoal.objects.filter(pk=goal_id).first()
    if goal is None:
        raise Http404("This goal no longer exists.")
    return goal


def _ensure_owner(*, program, practice_id: int, owner) -> None:
    if owner is None:
        return
    if not selectors.owner_choices(practice=practice_id).filter(pk=owner.pk).exists():
        # The message names nobody: the person may belong to another program entirely.
        raise ValidationError(
            {
                "owner": "Choose someone from this practice, or one of the program's coaches "
                "or admins."
            }
        )


def _clean_text(value, *, field: str, required: bool = False, max_length: int = 300) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: "This field is required."})
    if len(text) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    return text


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


def _add_idea_actions(
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
    ActionStatusChange.objects.bulk_create(
        _first_step(program=program, action=action, by=by) for action in actions
    )
    return actions


def _first_step(*, program, action: PlanAction, by, note: str = "") -> ActionStatusChange:
    """The first line of an action's history: created, open."""
    return ActionStatusChange(
        program=program,
        action=action,
        from_status="",
        to_status=ActionStatus.OPEN,
        note=note,
        changed_at=action.created_at,
        changed_by=by,
    )


# Plans -------------------------------------------------------------------------------------


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
    if assessment.status != AssessmentStatus.SUBMITTED:
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

    today = today or timezone.localdate()
    instrument = assessment.version.instrument
    scores = selectors.weak_domain_scores(assessment=assessment)
    if scores:
        note = (
            f"Goals are proposed for the {len(scores)} domain{'s' if len(scores) != 1 else ''} "
            f"scoring below {instrument.weak_threshold}%."
        )
    else:
        scores = selectors.lowest_domain_scores(assessment=assessment, limit=FALLBACK_DOMAINS)
        note = (
            f"No domain scored below {instrument.weak_threshold}%, so goals are proposed for the "
            f"lowest-scoring domains instead."
            if scores
            else "Every domain scored 100%: add goals of the practice's own choosing."
        )
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
    ideas: dict[str, ChangeIdea] = {}
    for idea in selectors.change_ideas_for(instrument_id=instrument.pk):
        ideas.setdefault(idea.domain_key, idea)  # the first is the library's best
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
            _add_idea_actions(program=program, goal=goal, idea=idea, start=today, by=by)
    goals = len(scores)
    _record(
        program=program,
        plan=plan,
        what="plan.drafted",
        summary=f"Plan drafted from the {assessment.get_kind_display().lower()} assessment, "
        f"with {goals} goal{'s' if goals != 1 else ''}.",
        changes={"title": [None, plan.title], "status": [None, plan.status]},
        by=by,
    )
    return plan


@transaction.atomic
def plan_update(*, program, plan: SupportPlan, by, data: dict) -> SupportPlan:
    """Change a plan's title or summary while it is a draft or active."""
    ensure_in_program(program, plan)
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in sorted(unknown)})
    locked = _locked_plan(plan.pk)
    _ensure_editable(locked)
    before = _values(locked, PLAN_FIELDS)
    if "title" in data:
        locked.title = _clean_text(data["title"], field="title", required=True, max_length=200)
    if "summary" in data:
        locked.summary = _clean_text(data["summary"], field="summary", max_length=10_000)
    locked.save(update_fields=["title", "summary", "updated_at"])
    changes, phrase = changes_phrase(SupportPlan, before, _values(locked, PLAN_FIELDS))
    if changes:
        _record(
            program=program,
            plan=locked,
            what="plan.edited",
            summary=f"Plan edited: {phrase}",
            changes=changes,
            by=by,
        )
    return locked


@transaction.atomic
def plan_accept(*, program, plan: SupportPlan, by, complete_active: bool = False) -> SupportPlan:
    """Accept a draft: it becomes the practice's active plan.

    Every goal needs a measurable target and a target date, every action an owner and a due
    date; the error lists each thing missing. If the practice already has an active plan, the
    acceptance is refused unless `complete_active` is true, in which case that plan is completed
    first, in the same transaction."""
    ensure_in_program(program, plan)
    Practice.objects.select_for_update().get(pk=plan.practice_id)  # one acceptance at a time
    locked = _locked_plan(plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be accepted; this plan is {locked.get_status_display().lower()}."
        )
    problems = selectors.plan_acceptance_problems(plan=locked)
    if problems:
        raise ValidationError(problems)
    current = selectors.active_plan_of(practice_id=locked.practice_id, exclude_pk=locked.pk)
    if current is not None:
        if not complete_active:
            raise ValidationError(
                {
                    "complete_active": f"“{current.title}” is the practice's active plan. "
                    "Complete it first, or confirm that accepting this plan completes it."
                }
            )
        plan_complete(program=program, plan=current, by=by)
    now = timezone.now()
    locked.status = PlanStatus.ACTIVE
    locked.accepted_at, locked.accepted_by = now, by
    locked.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    _record(
        program=program,
        plan=locked,
        what="plan.accepted",
        summary="Plan accepted: it is now the practice's active plan.",
        changes={"status": [PlanStatus.DRAFT.value, PlanStatus.ACTIVE.value]},
        by=by,
    )
    return locked


@transaction.atomic
def plan_complete(*, program, plan: SupportPlan, by) -> SupportPlan:
    """Close an active plan. Its goals and actions stay as they are, as the record of it."""
    ensure_in_program(program, plan)
    locked = _locked_plan(plan.pk)
    if locked.status != PlanStatus.ACTIVE:
        raise ValidationError(
            f"Only an active plan can be completed; this plan is "
            f"{locked.get_status_display().lower()}."
        )
    locked.status = PlanStatus.COMPLETED
    locked.completed_at = timezone.now()
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    _record(
        program=program,
        plan=locked,
        what="plan.completed",
        summary="Plan completed.",
        changes={"status": [PlanStatus.ACTIVE.value, PlanStatus.COMPLETED.value]},
        by=by,
    )
    return locked


@transaction.atomic
def plan_discard(*, program, plan: SupportPlan, by) -> None:
    """Delete a draft nobody accepted (with its goals and actions). Accepted plans are kept."""
    ensure_in_program(program, plan)
    locked = _locked_plan(plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError("Only a draft can be discarded; accepted plans are kept.")
    # The history outlives the draft (it names the plan by id), for the record of who did it.
    _record(
        program=program,
        plan=locked,
        what="plan.discarded",
        summary=f"Draft “{locked.title}” discarded.",
        by=by,
    )
    locked.delete()


# Goals -------------------------------------------------------------------------------------


def _domain_facts(plan: SupportPlan, idea: ChangeIdea) -> tuple[str, object]:
    """The domain's name and the plan's baseline score for it, for a goal taken from the library."""
    if plan.assessment_id is not None:
        score = DomainScore.objects.filter(
            assessment_id=plan.assessment_id, domain_key=idea.domain_key
        ).first()
        if score is not None:
            return score.domain_name, score.percent
    domain = (
        Domain.objects.filter(version__instrument_id=idea.instrument_id, key=idea.domain_key)
        .order_by("-version__number")
        .first()
    )
    return (domain.name if domain else idea.domain_key.replace("-", " ").capitalize()), None


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
    locked = _locked_plan(plan.pk)
    _ensure_editable(locked)
    today = today or timezone.localdate()
    last = PlanGoal.objects.filter(plan=locked).order_by("-position").first()
    goal = PlanGoal(program=program, plan=locked, position=last.position + 1 if last else 0)
    if change_idea is not None:
        _ensure_idea_for_plan(program=program, plan=locked, idea=change_idea)
        goal.change_idea = change_idea
        goal.domain_key = change_idea.domain_key
        goal.domain_name, goal.baseline_percent = _domain_facts(locked, change_idea)
        goal.title = _clean_text(title, field="title") or change_idea.goal
        goal.measure = _clean_text(measure, field="measure") or change_idea.suggested_measure
        goal.kpi_key = kpi_key or change_idea.kpi_key
    else:
        goal.title = _clean_text(title, field="title", required=True)
        goal.measure = _clean_text(measure, field="measure")
        goal.domain_key = (domain_key or "").strip()
        if goal.domain_key and locked.assessment_id is not None:
            score = DomainScore.objects.filter(
                assessment_id=locked.assessment_id, domain_key=goal.domain_key
            ).first()
            if score is None:
                raise ValidationError(
                    {"domain_key": "Choose one of the domains of the plan's assessment."}
                )
            goal.domain_name, goal.baseline_percent = score.domain_name, score.percent
        goal.kpi_key = kpi_key or ""
    goal.target_date = target_date or today + timedelta(days=DEFAULT_TARGET_DAYS)
    goal.full_clean(exclude=["program", "plan", "change_idea"], validate_constraints=False)
    goal.save()
    source = "from the change library" if change_idea is not None else "as the practice's own"
    if change_idea is not None:
        actions = _add_idea_actions(
            program=program, goal=goal, idea=change_idea, start=today, by=by
        )
        if actions:
            source += f", with {len(actions)} suggested action{'s' if len(actions) != 1 else ''}"
    _record(
        program=program,
        plan=locked,
        what="goal.added",
        summary=f"Goal “{goal.title}” added {source}.",
        changes=diff(
            {}, _values(goal, ("title", "measure", "target_date", "kpi_key"), skip_empty=True)
        ),
        by=by,
    )
    return goal


@transaction.atomic
def goal_update(*, program, goal: PlanGoal, by, data: dict) -> PlanGoal:
    """Change a goal's title, measurable target, target date, KPI or status. A goal is marked
    achieved or dropped only once the plan is active."""
    ensure_in_program(program, goal)
    unknown = set(data) - set(GOAL_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in sorted(unknown)})
    plan = _locked_plan(goal.plan_id)
    _ensure_editable(plan)
    updated = _current_goal(goal.pk)
    before = _values(updated, GOAL_FIELDS)
    if "title" in data:
        updated.title = _clean_text(data["title"], field="title", required=True)
    if "measure" in data:
        updated.measure = _clean_text(data["measure"], field="measure")
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
    changes, phrase = changes_phrase(PlanGoal, before, _values(updated, GOAL_FIELDS))
    if changes:
        _record(
            program=program,
            plan=plan,
            what="goal.edited",
            summary=f"Goal “{before['title']}”: {phrase}",
            changes=changes,
            by=by,
        )
    return updated


@transaction.atomic
def goal_remove(*, program, goal: PlanGoal, by) -> None:
    """Take a goal, and its actions, out of a draft or active plan."""
    ensure_in_program(program, goal)
    plan = _locked_plan(goal.plan_id)
    _ensure_editable(plan)
    goal = _current_goal(goal.pk)
    actions = PlanAction.objects.filter(goal=goal).count()
    with_actions = f" with its {actions} action{'s' if actions != 1 else ''}" if actions else ""
    _record(
        program=program,
        plan=plan,
        what="goal.removed",
        summary=f"Goal “{goal.title}” removed{with_actions}.",
        changes=diff(_values(goal, ("title", "measure", "target_date"), skip_empty=True), {}),
        by=by,
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
    plan = _locked_plan(goal.plan_id)
    _ensure_editable(plan)
    goal = _current_goal(goal.pk)
    _ensure_idea_for_plan(program=program, plan=plan, idea=change_idea)
    if change_idea.domain_key != goal.domain_key:
        raise ValidationError(
            {"change_idea": "Choose a change idea for the same domain as the goal."}
        )
    if change_idea.pk == goal.change_idea_id:
        raise ValidationError({"change_idea": "The goal already follows this change idea."})
    swapped = ("title", "measure", "kpi_key")
    before = _values(goal, swapped)
    goal.change_idea = change_idea
    goal.title = change_idea.goal
    goal.measure = change_idea.suggested_measure
    goal.kpi_key = change_idea.kpi_key
    goal.save(update_fields=["change_idea", "title", "measure", "kpi_key"])
    PlanAction.objects.filter(goal=goal, status=ActionStatus.OPEN).delete()
    kept = PlanAction.objects.filter(goal=goal).order_by("-position").first()
    _add_idea_actions(
        program=program,
        goal=goal,
        idea=change_idea,
        start=today or timezone.localdate(),
        by=by,
        position=kept.position + 1 if kept else 0,
    )
    changes, _ = changes_phrase(PlanGoal, before, _values(goal, swapped))
    _record(
        program=program,
        plan=plan,
        what="goal.swapped",
        summary=f"Goal “{before['title']}” now follows the change idea “{change_idea.goal}”; "
        "its actions not yet started were replaced by the idea's.",
        changes=changes,
        by=by,
    )
    return goal


# Actions -----------------------------------------------------------------------------------
# An action of a plan follows its plan: added, edited and removed while the plan is a draft or
# active, moved along only while it is active. An action agreed at a visit without a plan has no
# plan to wait for: it is edited and moved at any time, and removed only before it has moved.


def _locked_action(action: PlanAction) -> tuple[PlanAction, SupportPlan | None]:
    """The action's row and its plan's (if any), locked for the rest of the transaction, plan
    first (the order every plan service locks in), so two changes cannot cross."""
    plan = _locked_plan(action.plan_id) if action.plan_id else None
    locked = PlanAction.objects.select_for_update(of=("self",)).filter(pk=action.pk).first()
    if locked is None:  # removed, with its goal or plan, while this request waited
        raise Http404("This action no longer exists.")
    return locked, plan


@transaction.atomic
def action_add(
    *, program, goal: PlanGoal, by, title: str, owner=None, due_on: date | None = None
) -> PlanAction:
    """Add an action to a goal of a draft or active plan. The owner, when given, must work with
    the practice (its leads and staff) or for the program (its coaches and admins). The action's
    history starts with its creation (“” → open) by `by`."""
    ensure_in_program(program, goal)
    plan = _locked_plan(goal.plan_id)
    _ensure_editable(plan)
    goal = _current_goal(goal.pk)
    title = _clean_text(title, field="title", required=True)
    _ensure_owner(program=program, practice_id=plan.practice_id, owner=owner)
    last = PlanAction.objects.filter(goal=goal).order_by("-position").first()
    action = PlanAction.objects.create(
        program=program,
        practice_id=plan.practice_id,
        plan=plan,
        goal=goal,
        title=title,
        owner=owner,
        due_on=due_on,
        position=last.position + 1 if last else 0,
        created_by=by,
    )
    _first_step(program=program, action=action, by=by).save()
    _record(
        program=program,
        plan=plan,
        what="action.added",
        summary=f"Action “{title}” added to goal “{goal.title}”.",
        changes=diff({}, _values(action, ACTION_FIELDS, skip_empty=True)),
        by=by,
    )
    return action


@transaction.atomic
def action_update(*, program, action: PlanAction, by, data: dict) -> PlanAction:
    """Change an action's title, owner or due date: while its plan is a draft or active, or at
    any time for an action agreed at a visit without a plan."""
    ensure_in_program(program, action)
    unknown = set(data) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in sorted(unknown)})
    updated, plan = _locked_action(action)
    if plan is not None:
        _ensure_editable(plan)
    before = _values(updated, ACTION_FIELDS)
    if "title" in data:
        updated.title = _clean_text(data["title"], field="title", required=True)
    if "owner" in data:
        _ensure_owner(program=program, practice_id=updated.practice_id, owner=data["owner"])
        updated.owner = data["owner"]
    if "due_on" in data:
        updated.due_on = data["due_on"]
    updated.save(update_fields=["title", "owner", "due_on", "updated_at"])
    changes, phrase = changes_phrase(PlanAction, before, _values(updated, ACTION_FIELDS))
    # An action agreed at a visit without a plan has no plan history to join; its status
    # history (and the visit's own) keeps its record.
    if plan is not None and changes:
        _record(
            program=program,
            plan=plan,
            what="action.edited",
            summary=f"Action “{before['title']}”: {phrase}",
            changes=changes,
            by=by,
        )
    return updated


@transaction.atomic
def action_remove(*, program, action: PlanAction, by) -> None:
    """Take an action out of a draft or active plan. An action agreed at a visit without a plan
    is part of that visit's record: it can be removed only while nothing has happened to it
    (still open, never moved); after that it is dropped, with a reason, instead."""
    ensure_in_program(program, action)
    locked, plan = _locked_action(action)
    if plan is not None:
        _ensure_editable(plan)
    elif (
        locked.status != ActionStatus.OPEN
        or ActionStatusChange.objects.filter(action=locked).exclude(from_status="").exists()
    ):
        raise ValidationError(
            "This action has already moved along; drop it, saying why, instead of removing it."
        )
    if plan is not None:
        _record(
            program=program,
            plan=plan,
            what="action.removed",
            summary=f"Action “{locked.title}” removed.",
            changes=diff(_values(locked, ACTION_FIELDS, skip_empty=True), {}),
            by=by,
        )
    locked.delete()


@transaction.atomic
def action_status_change(
    *, program, action: PlanAction, status: str, by, note: str = ""
) -> PlanAction:
    """Move an action along: open, in progress, done or dropped. An action of a plan moves
    while its plan is active; one agreed at a visit without a plan moves at any time.

    Dropping needs a reason (kept as the status note); done records when. A note given with any
    other status replaces the status note; none leaves it as it was. Each call is one line of
    the action's history (a note added without a move too), with who and when."""
    ensure_in_program(program, action)
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose open, in progress, done or dropped."})
    updated, plan = _locked_action(action)
    if plan is not None and plan.status != PlanStatus.ACTIVE:
        raise ValidationError(
            {"status": "Actions move once the plan is accepted, and until it is completed."}
        )
    note = _clean_text(note, field="note", max_length=2000)
    if status == updated.status and not note:
        raise ValidationError(
            {"status": f"The action is already “{updated.get_status_display().lower()}”."}
        )
    if status == ActionStatus.DROPPED and not note:
        raise ValidationError({"note": "Say why the action is dropped."})
    now = timezone.now()
    if status == ActionStatus.DONE and updated.status != ActionStatus.DONE:
        updated.completed_at = now
    elif status != ActionStatus.DONE:
        updated.completed_at = None
    previous = updated.status
    updated.status = status
    if note:
        updated.status_note = note
    updated.save(update_fields=["status", "status_note", "completed_at", "updated_at"])
    ActionStatusChange.objects.create(
        program=program,
        action=updated,
        from_status=previous,
        to_status=status,
        note=note,
        changed_at=now,
        changed_by=by,
    )
    return updated
