"""What every write to a plan shares, its goals' and actions' included: the plan's row lock,
the check that it can still be changed, its change history, and the clean-up of text input.
The first line of an action's history is here too: goals bring actions with them."""

from django.core.exceptions import ValidationError
from django.http import Http404

from coaching.actions.models import ActionStatus, ActionStatusChange, PlanAction
from coaching.pdsa.models import PdsaCycle
from coaching.plans import selectors
from coaching.plans.models import PlanGoal, SupportPlan
from psp.history.models import RecordType, SubjectType
from psp.history.services import record_change

# The plan's change history ---------------------------------------------------------------------


def record_plan_change(
    *, program, plan, what: str, summary: str, by, changes=None, about=None
) -> None:
    """One line of the plan's history; `about` is the goal, action or PDSA cycle it is about,
    if any (so an action's own history finds its edits here)."""
    record_type = ""
    if isinstance(about, PlanGoal):
        record_type = RecordType.GOAL
    elif isinstance(about, PlanAction):
        record_type = RecordType.ACTION
    elif isinstance(about, PdsaCycle):
        record_type = RecordType.PDSA
    record_change(
        program=program,
        practice=plan.practice_id,
        subject_type=SubjectType.PLAN,
        subject_id=plan.pk,
        record_type=record_type,
        record_id=about.pk if about is not None else None,
        what=what,
        summary=summary,
        changes=changes,
        by=by,
    )


def field_values(row, fields, *, skip_empty: bool = False) -> dict:
    values = {field: getattr(row, field) for field in fields}
    if skip_empty:  # what a new or removed row had, without its blank fields
        values = {field: value for field, value in values.items() if value not in (None, "")}
    return values


# Checks shared by every service ------------------------------------------------------------


def ensure_editable(plan: SupportPlan) -> None:
    if plan.status not in selectors.EDITABLE_PLAN_STATUSES:
        raise ValidationError(
            f"This plan is {plan.get_status_display().lower()}; it can no longer be changed."
        )


def locked_plan(plan_id: int) -> SupportPlan:
    """The plan's row, locked for the rest of the transaction, so two edits cannot cross. Read
    afresh once the lock is ours: the request that held it may have changed the plan, or
    discarded the draft, which is then a 404 like any plan that does not exist."""
    locked = SupportPlan.objects.select_for_update(of=("self",)).filter(pk=plan_id).first()
    if locked is None:
        raise Http404("This plan no longer exists.")
    return locked


def current_goal(goal_id: int) -> PlanGoal:
    """The goal as it is now, its plan locked first (see locked_plan): another request may
    have removed it meanwhile."""
    goal = PlanGoal.objects.filter(pk=goal_id).first()
    if goal is None:
        raise Http404("This goal no longer exists.")
    return goal


def clean_text(value, *, field: str, required: bool = False, max_length: int = 300) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: "This field is required."})
    if len(text) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    return text


def first_step(*, program, action: PlanAction, by, note: str = "") -> ActionStatusChange:
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
