"""An action's lines in the one change history (psp/history): its creation, each status move and
each note, filed under the action itself, whether or not it belongs to a plan (an action agreed at
a visit may have none). Its edits by the plan's editing (added, edited, removed by hand) are filed
under its plan, about the action; the action's history reads both (psp.history.selectors).

ActionStatusChange stays beside these lines as the domain event people read as one (an action's
status with its reason: the follow-up pages, the timeline and the caseload rules read it). Every
step written there has its line here, made from the step by `step_line`."""

from coaching.actions.models import ActionStatus, ActionStatusChange
from psp.history.models import ChangeRecord, SubjectType
from psp.history.services import change_line

STATUS_LABELS = dict(ActionStatus.choices)


def _status(value: str) -> str:
    return str(STATUS_LABELS.get(value, value)).lower()


def step_line(step: ActionStatusChange, *, note_before: str = "") -> ChangeRecord:
    """The history line of one step of an action's status history, not yet saved: its creation
    (status none → open), a move (status before → after, and the note given), or a note added
    without a move. `step.action` is the action (its title names it in the summary);
    `note_before` the action's status note before the step, when the step gives one."""
    action = step.action
    title = f"Action “{action.title}”"
    changes: dict = {}
    if not step.from_status:
        what, summary = "action.added", f"{title} added, {_status(step.to_status)}."
        changes["status"] = [None, step.to_status]
    elif step.from_status != step.to_status:
        what = "action.moved"
        summary = f"{title} moved from {_status(step.from_status)} to {_status(step.to_status)}."
        changes["status"] = [step.from_status, step.to_status]
        if step.note:
            why = "Why" if step.to_status == ActionStatus.DROPPED else "Note"
            summary += f" {why}: {step.note}"
    else:
        what = "action.noted"
        summary = f"{title}: note added while {_status(step.to_status)}: {step.note}"
    if step.note and step.note != note_before:
        changes["status_note"] = [note_before or None, step.note]
    line = change_line(
        program=step.program,
        practice=action.practice_id,
        subject_type=SubjectType.ACTION,
        subject_id=action.pk,
        what=what,
        summary=summary,
        changes=changes,
        by=None,
        changed_at=step.changed_at,
    )
    line.changed_by_id = step.changed_by_id
    return line


def step_lines(steps) -> list[ChangeRecord]:
    """The lines of several steps (each an action's creation, or a move without a note change
    to compare), for bulk_create."""
    return [step_line(step) for step in steps]
