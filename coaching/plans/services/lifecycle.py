"""A plan's life after its draft: edited while it is a draft or active, accepted (draft →
active), completed (active → completed), or discarded while still a draft."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching.plans import selectors
from coaching.plans.models import PlanStatus, SupportPlan
from coaching.plans.services.editing import (
    clean_text,
    ensure_editable,
    field_values,
    locked_plan,
    record_plan_change,
)
from practices.models import Practice
from psp.history.services import changes_phrase
from psp.tenancy.base import ensure_in_program

PLAN_FIELDS = ("title", "summary")


@transaction.atomic
def plan_update(*, program, plan: SupportPlan, by, data: dict) -> SupportPlan:
    """Change a plan's title or summary while it is a draft or active."""
    ensure_in_program(program, plan)
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in sorted(unknown)})
    locked = locked_plan(plan.pk)
    ensure_editable(locked)
    before = field_values(locked, PLAN_FIELDS)
    if "title" in data:
        locked.title = clean_text(data["title"], field="title", required=True, max_length=200)
    if "summary" in data:
        locked.summary = clean_text(data["summary"], field="summary", max_length=10_000)
    locked.save(update_fields=["title", "summary", "updated_at"])
    changes, phrase = changes_phrase(SupportPlan, before, field_values(locked, PLAN_FIELDS))
    if changes:
        record_plan_change(
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
    locked = locked_plan(plan.pk)
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
    record_plan_change(
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
    locked = locked_plan(plan.pk)
    if locked.status != PlanStatus.ACTIVE:
        raise ValidationError(
            f"Only an active plan can be completed; this plan is "
            f"{locked.get_status_display().lower()}."
        )
    locked.status = PlanStatus.COMPLETED
    locked.completed_at = timezone.now()
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    record_plan_change(
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
    locked = locked_plan(plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError("Only a draft can be discarded; accepted plans are kept.")
    # The history outlives the draft (it names the plan by id), for the record of who did it.
    record_plan_change(
        program=program,
        plan=locked,
        what="plan.discarded",
        summary=f"Draft “{locked.title}” discarded.",
        by=by,
    )
    locked.delete()
