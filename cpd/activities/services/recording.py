"""A person's writes to their own CPD: record an activity, correct it, confirm a draft, send it
for verification, delete it. Each in one transaction with its line of history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cpd.activities import selectors
from cpd.activities.models import ActivityStatus, CpdActivity
from cpd.activities.reflection import prompts_for
from cpd.activities.services.common import (
    check_activity,
    ensure_own,
    locked,
    record_activity_line,
)
from cpd.activities.services.evidence import activity_evidence_attach
from cpd.progress.services import cycles_status_refresh
from psp.history.services import changes_phrase, diff

EDITED_FIELDS = (
    "activity_type",
    "title",
    "provider",
    "started_on",
    "ended_on",
    "hours",
    "items",
    "category",
    "credits",
    "reflection",
    "cycle",
)
# What the line of a new activity names (its page shows the rest; the reflection is long).
RECORDED_FIELDS = ("activity_type", "ended_on", "hours", "items", "category", "credits")


def _credit_phrase(activity: CpdActivity) -> str:
    if activity.cycle_id is None:
        return "no scheme applies to it, so it earns no credits"
    return f"{activity.credits} credits"


@transaction.atomic
def activity_record(
    *,
    program,
    by,
    data: dict,
    submit: bool = False,
    evidence=(),
    evidence_label: str = "Certificate",
    today: date | None = None,
) -> CpdActivity:
    """Record an activity of `by`'s own: self-reported (it counts at once), or sent for
    verification with `submit`. `data` holds the activity's fields (services/common.py);
    `evidence`, files to attach with it (all or none, as `evidence_label`)."""
    checked = check_activity(
        program=program, person=by, data=data, today=today or timezone.localdate()
    )
    now = timezone.now()
    activity = CpdActivity.objects.create(
        program=program,
        person=by,
        practice_id=selectors.person_practice_id(by),
        cycle=checked.cycle,
        status=ActivityStatus.SUBMITTED if submit else ActivityStatus.SELF_REPORTED,
        submitted_at=now if submit else None,
        created_by=by,
        **checked.fields,
    )
    sent = " and submitted for verification" if submit else " (self-reported)"
    record_activity_line(
        program=program,
        activity=activity,
        what="cpd_activity.recorded",
        summary=f"Recorded{sent}: {activity.title}; {_credit_phrase(activity)}.",
        changes=diff(
            {}, {**{n: checked.fields[n] for n in RECORDED_FIELDS}, "status": activity.status}
        ),
        by=by,
    )
    _attach(program, activity, by, evidence, evidence_label)
    cycles_status_refresh(program=program, cycle_ids=[activity.cycle_id])
    return activity


def _attach(program, activity, by, evidence, label) -> None:
    if evidence:
        try:
            activity_evidence_attach(
                program=program, activity=activity, by=by, uploads=evidence, label=label
            )
        except ValidationError as error:  # named by the form's fields
            raise ValidationError(
                {
                    {"files": "evidence", "label": "evidence_label"}.get(k, k): v
                    for k, v in error.message_dict.items()
                }
            ) from None


@transaction.atomic
def activity_update(
    *,
    program,
    activity: CpdActivity,
    by,
    data: dict,
    submit: bool = False,
    evidence=(),
    evidence_label: str = "Certificate",
    today=None,
) -> CpdActivity:
    """Correct one's own activity while it is self-reported, a draft or rejected. Its cycle and
    credits are worked out again. A rejected activity, once corrected, is the person's to send
    again: a draft until they submit it (`submit` does both at once)."""
    current = locked(program, activity)
    ensure_own(current, by)
    if current.status not in selectors.EDITABLE:
        raise ValidationError(
            f"This activity is {current.get_status_display().lower()}; it can no longer be changed."
        )
    values = {name: getattr(current, name) for name in EDITED_FIELDS if name != "cycle"}
    checked = check_activity(
        program=program,
        person=by,
        data=values | data,
        today=today or timezone.localdate(),
    )
    before = {**values, "cycle": current.cycle, "status": current.status}
    after = {**checked.fields, "cycle": checked.cycle, "status": current.status}
    if current.status == ActivityStatus.REJECTED:
        after["status"] = ActivityStatus.DRAFT
    changed, phrase = _changes(before, after)
    if changed:
        for name, value in after.items():
            setattr(current, name, value)
        current.save()
        record_activity_line(
            program=program,
            activity=current,
            what="cpd_activity.edited",
            summary=f"Edited: {phrase}.",
            changes=changed,
            by=by,
        )
    _attach(program, current, by, evidence, evidence_label)
    if changed:  # its credits, category or cycle may have moved: both cycles' statuses follow
        cycles_status_refresh(
            program=program, cycle_ids=[before["cycle"] and before["cycle"].pk, current.cycle_id]
        )
    if submit:
        return activity_submit(program=program, activity=current, by=by)
    return current


def _changes(before: dict, after: dict) -> tuple[dict, str]:
    """The field changes and their words; the reflection answer by answer, under its question
    (its text is in the changes, too long for the sentence)."""
    fields = [name for name in after if name != "reflection"]
    changed, phrase = changes_phrase(
        CpdActivity, {n: before[n] for n in fields}, {n: after[n] for n in fields}
    )
    questions = {p.key: p.question for p in prompts_for(after["activity_type"])}
    old, new = before["reflection"] or {}, after["reflection"] or {}
    rewritten = {
        f"reflection: {questions.get(key, key)}": [old.get(key), new.get(key)]
        for key in dict.fromkeys([*old, *new])
        if old.get(key) != new.get(key)
    }
    if rewritten:
        changed |= rewritten
        phrase = "; ".join(part for part in (phrase, "reflection rewritten") if part)
    return changed, phrase


@transaction.atomic
def activity_submit(*, program, activity: CpdActivity, by) -> CpdActivity:
    """Send one's activity for verification. Sending it again changes nothing."""
    current = locked(program, activity)
    ensure_own(current, by)
    if current.status == ActivityStatus.SUBMITTED:
        return current
    if current.status not in selectors.SUBMITTABLE:
        raise ValidationError(
            f"This activity is {current.get_status_display().lower()}; it is not sent again."
        )
    ensure_complete(current)
    before = {"status": current.status, "rejection_reason": current.rejection_reason}
    again = current.status == ActivityStatus.REJECTED or bool(current.rejection_reason)
    current.status = ActivityStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.rejection_reason = ""
    current.save(update_fields=["status", "submitted_at", "rejection_reason", "updated_at"])
    record_activity_line(
        program=program,
        activity=current,
        what="cpd_activity.submitted",
        summary="Submitted for verification again." if again else "Submitted for verification.",
        changes=diff(before, {"status": current.status, "rejection_reason": ""}),
        by=by,
    )
    cycles_status_refresh(program=program, cycle_ids=[current.cycle_id])
    return current


def ensure_complete(activity: CpdActivity) -> None:
    """A draft counts only with its hours (or items): a claim drafted from a PDSA cycle or an
    audit leaves them to the person, who alone knows the time it took."""
    if not activity.hours and not activity.items:
        raise ValidationError(
            {"hours": "Give the hours it took (edit the draft) before confirming it."}
        )


@transaction.atomic
def activity_confirm(*, program, activity: CpdActivity, by, submit: bool = False) -> CpdActivity:
    """Confirm a draft drafted for the person (a program activity they attended, a claim from
    their QI work): it counts as self-reported, or is sent for verification with `submit`.
    Confirming twice changes nothing; a draft without hours (or items) is completed first."""
    current = locked(program, activity)
    ensure_own(current, by)
    if current.status != ActivityStatus.DRAFT:
        return current
    ensure_complete(current)
    if submit:
        return activity_submit(program=program, activity=current, by=by)
    current.status = ActivityStatus.SELF_REPORTED
    current.save(update_fields=["status", "updated_at"])
    record_activity_line(
        program=program,
        activity=current,
        what="cpd_activity.confirmed",
        summary=f"Confirmed (self-reported); {_credit_phrase(current)}.",
        changes=diff({"status": ActivityStatus.DRAFT}, {"status": current.status}),
        by=by,
    )
    cycles_status_refresh(program=program, cycle_ids=[current.cycle_id])
    return current


@transaction.atomic
def activity_delete(*, program, activity: CpdActivity, by) -> None:
    """Delete one's draft or self-reported activity (one sent for verification, or decided, is
    kept as the record of it). Its history keeps a line saying so."""
    current = locked(program, activity)
    ensure_own(current, by)
    if current.status not in selectors.DELETABLE:
        raise ValidationError(
            f"This activity is {current.get_status_display().lower()}; it is kept as the record."
        )
    record_activity_line(
        program=program,
        activity=current,
        what="cpd_activity.deleted",
        summary=f"Deleted: {current.title} ({current.get_status_display().lower()}).",
        changes=diff({"status": current.status}, {"status": None}),
        by=by,
    )
    cycle_id = current.cycle_id
    current.delete()
    cycles_status_refresh(program=program, cycle_ids=[cycle_id])
