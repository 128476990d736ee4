"""Writes to actions: adding one to a plan goal, changing it, removing it, and moving it along.

An action of a plan follows its plan: added, edited and removed while the plan is a draft or
active, moved along only while it is active. An action agreed at a visit without a plan has no
plan to wait for: it is edited and moved at any time, and removed only before it has moved.
Every action keeps its status history (ActionStatusChange, the domain event): its creation
(“” → open) and each move after it, with who, when and the note given. Each step is also a line
of the one change history (coaching/actions/history.py), filed under the action; the edits of an
action of a plan are lines of its plan's history, about the action, and those of an action
agreed at a visit without a plan are filed under the action. The action's history reads both.

As for plans, every function takes the program explicitly (keyword-only), refuses objects of
another program with a ValidationError and runs in one transaction.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from coaching.actions import selectors
from coaching.actions.history import step_line
from coaching.actions.models import ActionStatus, ActionStatusChange, PlanAction
from coaching.plans.models import PlanGoal, PlanStatus, SupportPlan
from coaching.plans.services.editing import (
    clean_text,
    current_goal,
    ensure_editable,
    field_values,
    first_step,
    locked_plan,
    record_plan_change,
)
from psp.history.models import SubjectType
from psp.history.services import changes_phrase, diff, record_change
from psp.tenancy.base import ensure_in_program

ACTION_FIELDS = ("title", "owner", "due_on")


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


def _locked_action(action: PlanAction) -> tuple[PlanAction, SupportPlan | None]:
    """The action's row and its plan's (if any), locked for the rest of the transaction, plan
    first (the order every plan service locks in), so two changes cannot cross."""
    plan = locked_plan(action.plan_id) if action.plan_id else None
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
    plan = locked_plan(goal.plan_id)
    ensure_editable(plan)
    goal = current_goal(goal.pk)
    title = clean_text(title, field="title", required=True)
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
    # Its status history starts here; in the change history the plan's line below, about the
    # action, is the first line of the action's own history too.
    first_step(program=program, action=action, by=by).save()
    record_plan_change(
        program=program,
        plan=plan,
        what="action.added",
        summary=f"Action “{title}” added to goal “{goal.title}”.",
        changes=diff({}, field_values(action, ACTION_FIELDS, skip_empty=True)),
        by=by,
        about=action,
    )
    return action


@transaction.atomic
def action_add_standalone(
    *, program, practice, by, title: str, owner=None, due_on: date | None = None
) -> PlanAction:
    """An action of a practice outside any plan (no plan yet to put it in), as an action agreed
    at a visit without a plan is: followed up in the same lists, moved at any time. Another app
    raising one (a failed checklist item) links it and says where it came from in the action's
    history. Its history starts with its creation (“” → open) by `by`."""
    ensure_in_program(program, practice)
    title = clean_text(title, field="title", required=True)
    _ensure_owner(program=program, practice_id=practice.pk, owner=owner)
    action = PlanAction.objects.create(
        program=program,
        practice_id=practice.pk,
        title=title,
        owner=owner,
        due_on=due_on,
        created_by=by,
    )
    step = first_step(program=program, action=action, by=by)
    step.save()
    step_line(step).save()
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
        ensure_editable(plan)
    before = field_values(updated, ACTION_FIELDS)
    if "title" in data:
        updated.title = clean_text(data["title"], field="title", required=True)
    if "owner" in data:
        _ensure_owner(program=program, practice_id=updated.practice_id, owner=data["owner"])
        updated.owner = data["owner"]
    if "due_on" in data:
        updated.due_on = data["due_on"]
    updated.save(update_fields=["title", "owner", "due_on", "updated_at"])
    changes, phrase = changes_phrase(PlanAction, before, field_values(updated, ACTION_FIELDS))
    if plan is not None and changes:
        record_plan_change(
            program=program,
            plan=plan,
            what="action.edited",
            summary=f"Action “{before['title']}”: {phrase}",
            changes=changes,
            by=by,
            about=updated,
        )
    elif changes:  # agreed at a visit without a plan: the action's own history
        record_change(
            program=program,
            practice=updated.practice_id,
            subject_type=SubjectType.ACTION,
            subject_id=updated.pk,
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
        ensure_editable(plan)
    elif (
        locked.status != ActionStatus.OPEN
        or ActionStatusChange.objects.filter(action=locked).exclude(from_status="").exists()
    ):
        raise ValidationError(
            "This action has already moved along; drop it, saying why, instead of removing it."
        )
    if plan is not None:
        record_plan_change(
            program=program,
            plan=plan,
            what="action.removed",
            summary=f"Action “{locked.title}” removed.",
            changes=diff(field_values(locked, ACTION_FIELDS, skip_empty=True), {}),
            by=by,
            about=locked,
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
    note = clean_text(note, field="note", max_length=2000)
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
    previous, note_before = updated.status, updated.status_note
    updated.status = status
    if note:
        updated.status_note = note
    updated.save(update_fields=["status", "status_note", "completed_at", "updated_at"])
    step = ActionStatusChange.objects.create(
        program=program,
        action=updated,
        from_status=previous,
        to_status=status,
        note=note,
        changed_at=now,
        changed_by=by,
    )
    step_line(step, note_before=note_before).save()
    return updated
