"""Writes to a practice's checklist: answering items (saved one at a time, as people go), the
sign-off that freezes it, and a correction as a new revision.

Every function takes the program and the person (keyword-only), locks the checklist's row so
two people answering at once take turns, records a history line in the same transaction and
refuses changes to a signed-off checklist: its answers stay as they were signed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching.actions import services as action_services
from compliance.checklists.models import Attester, ChecklistItem, ChecklistTemplate
from compliance.instances import selectors
from compliance.instances.answers import read_answer, shown
from compliance.instances.models import (
    EDITABLE,
    Attestation,
    ChecklistInstance,
    InstanceStatus,
    ItemOutcome,
    ItemResponse,
)
from practices.models import Practice
from psp.history.models import RecordType, SubjectType
from psp.history.services import record_change
from psp.tenancy.base import ensure_in_program

STATEMENT = (
    "I confirm that the answers in this checklist are true and complete to the best of my "
    "knowledge, and that each evidence file attached is what it says it is."
)
ANSWER_FIELDS = ("choice", "value_date", "value_number", "value_text", "na_reason", "note")


def checklist_line(*, program, instance, what, summary, by, item=None, changes=None):
    record_change(
        program=program,
        practice=instance.practice_id,
        subject_type=SubjectType.CHECKLIST,
        subject_id=instance.pk,
        record_type=RecordType.CHECKLIST_ITEM if item else "",
        record_id=item.pk if item else None,
        what=what,
        summary=summary,
        changes=changes,
        by=by,
    )


def locked(program, instance: ChecklistInstance) -> ChecklistInstance:
    ensure_in_program(program, instance)
    return ChecklistInstance.objects.select_for_update().get(pk=instance.pk)


def ensure_editable(instance: ChecklistInstance) -> None:
    if instance.status not in EDITABLE:
        raise ValidationError(
            "This checklist was signed off; its answers stay as they were signed. "
            "Start a correction to change them."
        )


def _item_of(instance: ChecklistInstance, item_id) -> ChecklistItem:
    item = ChecklistItem.objects.filter(version_id=instance.version_id, pk=item_id).first()
    if item is None:
        raise ValidationError({"item": "This item is not on this checklist."})
    return item


@transaction.atomic
def response_save(*, program, by, instance, item_id, data: dict) -> ItemResponse:
    """Save the answer to one item (an empty answer clears it) and move the checklist along."""
    instance = locked(program, instance)
    ensure_editable(instance)
    item = _item_of(instance, item_id)
    answer = read_answer(item, data)
    response = ItemResponse.objects.filter(instance=instance, item=item).first()
    before = shown(item, response)
    if response is None:
        response = ItemResponse(program=program, instance=instance, item=item)
    for field in ANSWER_FIELDS:
        setattr(response, field, getattr(answer, field))
    response.outcome = answer.outcome
    response.answered_at = timezone.now()
    response.answered_by = by
    response.save()
    after = shown(item, response)
    if before != after:
        checklist_line(
            program=program,
            instance=instance,
            item=item,
            what="item.answered",
            summary=f"“{item.text[:80]}”: {before} → {after}.",
            changes={"answer": [before, after]},
            by=by,
        )
    settle(program=program, instance=instance, by=by)
    return response


@transaction.atomic
def response_for_evidence(*, program, by, instance, item_id) -> ItemResponse:
    """The item's answer row, made unanswered when missing, for evidence to hang on before the
    item is answered."""
    instance = locked(program, instance)
    ensure_editable(instance)
    item = _item_of(instance, item_id)
    response, _ = ItemResponse.objects.get_or_create(
        program=program,
        instance=instance,
        item=item,
        defaults={"outcome": ItemOutcome.UNANSWERED, "answered_by": by},
    )
    return response


def settle(*, program, instance: ChecklistInstance, by=None) -> ChecklistInstance:
    """Open → in progress with the first answer; completed when every item is answered and has
    the evidence it requires; back to in progress when that stops being true. Called by every
    write to answers and evidence, inside its transaction."""
    if instance.status not in EDITABLE:
        return instance
    states = selectors.item_states(instance)
    complete = all(state.answered and not state.evidence_missing for state in states)
    started = any(state.answered for state in states)
    status = (
        InstanceStatus.COMPLETED
        if complete and states
        else InstanceStatus.IN_PROGRESS
        if started
        else InstanceStatus.OPEN
    )
    if status != instance.status:
        if status == InstanceStatus.COMPLETED:
            instance.completed_at = timezone.now()
            checklist_line(
                program=program,
                instance=instance,
                what="checklist.completed",
                summary="Every item answered: ready to sign off.",
                by=by,
            )
        elif instance.status == InstanceStatus.COMPLETED:
            instance.completed_at = None
        instance.status = status
        instance.save(update_fields=["status", "completed_at"])
    return instance


@transaction.atomic
def instance_attest(*, program, by, instance, attester: str, signed_name: str, agreed: bool):
    """Sign the completed checklist for one attesting role. With the last role's signature it
    is signed off and frozen."""
    instance = locked(program, instance)
    ensure_editable(instance)
    errors = {}
    if instance.status != InstanceStatus.COMPLETED:
        raise ValidationError(
            "Answer every item (with the evidence it asks for) before signing off."
        )
    needed = selectors.attesters_needed(instance)
    if attester not in needed:
        errors["attester"] = "This checklist does not ask for that signature."
    elif not selectors.may_attest(by, instance, attester):
        label = Attester(attester).label.lower()
        errors["attester"] = f"Only the practice's {label} can sign for this."
    elif Attestation.objects.filter(instance=instance, attester=attester).exists():
        errors["attester"] = "This has been signed already."
    name = (signed_name or "").strip()
    if not name:
        errors["signed_name"] = "Type your full name to sign."
    elif len(name) > 200:
        errors["signed_name"] = "At most 200 characters."
    if not agreed:
        errors["agreed"] = "Tick the statement to confirm it."
    if errors:
        raise ValidationError(errors)
    today = program.local_today()
    Attestation.objects.create(
        program=program,
        instance=instance,
        attester=attester,
        user=by,
        signed_name=name,
        statement=STATEMENT,
        signed_on=today,
    )
    signed = set(Attestation.objects.filter(instance=instance).values_list("attester", flat=True))
    checklist_line(
        program=program,
        instance=instance,
        what="checklist.attested",
        summary=f"Signed by {name} as {Attester(attester).label.lower()}.",
        by=by,
    )
    # The follow-up pages read the last signature's date from the checklist (instances/latest).
    instance.signed_on = max(instance.signed_on or today, today)
    if signed >= set(needed):
        instance.status = InstanceStatus.ATTESTED
        instance.attested_at = timezone.now()
    instance.save(update_fields=["signed_on", "status", "attested_at"])
    return instance


@transaction.atomic
def instance_correct(*, program, by, instance, reason: str) -> ChecklistInstance:
    """A new revision of a signed-off checklist, with the reason, its answers copied to be
    corrected and signed again. The signed revision stays as it was, marked corrected; its
    evidence stays with it and still counts for the items of the correction."""
    instance = locked(program, instance)
    reason = (reason or "").strip()
    if instance.status != InstanceStatus.ATTESTED:
        raise ValidationError("Only a signed-off checklist is corrected; edit this one directly.")
    if not reason:
        raise ValidationError({"reason": "Say what is being corrected and why."})
    correction = ChecklistInstance.objects.create(
        program=program,
        template_id=instance.template_id,
        version_id=instance.version_id,
        practice_id=instance.practice_id,
        assignment_id=instance.assignment_id,
        period_key=instance.period_key,
        period_label=instance.period_label,
        opens_on=instance.opens_on,
        due_on=instance.due_on,
        revision=instance.revision + 1,
        supersedes=instance,
        correction_reason=reason,
        status=InstanceStatus.IN_PROGRESS,
        is_latest=instance.is_latest,  # the correction stands for its period from now on
    )
    copies = [
        ItemResponse(
            program=program,
            instance=correction,
            item_id=row.item_id,
            outcome=row.outcome,
            answered_at=row.answered_at,
            answered_by_id=row.answered_by_id,
            **{field: getattr(row, field) for field in ANSWER_FIELDS},
        )
        for row in ItemResponse.objects.filter(instance=instance)
    ]
    ItemResponse.objects.bulk_create(copies)
    instance.status = InstanceStatus.SUPERSEDED
    instance.is_latest = False
    instance.save(update_fields=["status", "is_latest"])
    for subject, summary in (
        (instance, f"Corrected by revision {correction.revision}: {reason}"),
        (correction, f"Revision {correction.revision}, correcting the signed one: {reason}"),
    ):
        checklist_line(
            program=program, instance=subject, what="checklist.corrected", summary=summary, by=by
        )
    return settle(program=program, instance=correction, by=by)


@transaction.atomic
def response_action_create(
    *, program, by, instance, item_id, title: str, owner=None, due_on=None, goal=None
) -> ItemResponse:
    """A failed item made an action of the practice (owner, due date): under `goal`, a goal of
    its current plan (selectors.remediation_goals), or standing alone when the practice has no
    plan to put it in. The item's answer links it; the checklist's history and the action's
    each get a line saying where it came from. Allowed on a signed-off checklist too: fixing
    what failed changes none of its answers."""
    instance = locked(program, instance)
    item = _item_of(instance, item_id)
    if instance.status == InstanceStatus.SUPERSEDED:
        raise ValidationError("This revision was corrected; work from the correcting revision.")
    response = ItemResponse.objects.select_for_update().filter(instance=instance, item=item).first()
    if response is None or response.outcome != ItemOutcome.FAILED:
        raise ValidationError("Only an item answered as not met becomes an action.")
    if response.action_id:
        raise ValidationError("This item is an action already.")
    practice = Practice.objects.get(pk=instance.practice_id)
    fields = {"program": program, "by": by, "title": title, "owner": owner, "due_on": due_on}
    if goal is not None:
        ensure_in_program(program, goal)
        goals = selectors.remediation_goals(practice_id=practice.pk)
        if goal.pk not in {choice.pk for choice in goals}:
            raise ValidationError({"goal": "Choose a goal of this practice's current plan."})
        action = action_services.action_add(goal=goal, **fields)
    elif selectors.remediation_goals(practice_id=practice.pk):
        raise ValidationError({"goal": "Choose the goal of the practice's plan it serves."})
    else:
        action = action_services.action_add_standalone(practice=practice, **fields)
    response.action = action
    response.save(update_fields=["action"])
    template = ChecklistTemplate.objects.values_list("name", flat=True).get(pk=instance.template_id)
    checklist_line(
        program=program,
        instance=instance,
        item=item,
        what="item.action",
        summary=f"“{item.text[:80]}” became the action “{action.title}”.",
        by=by,
    )
    record_change(
        program=program,
        practice=practice.pk,
        subject_type=SubjectType.ACTION,
        subject_id=action.pk,
        what="action.from_checklist",
        summary=f"From the checklist “{template}” ({instance.period_label}, revision "
        f"{instance.revision}): “{item.text[:80]}” was not met.",
        by=by,
    )
    return response
