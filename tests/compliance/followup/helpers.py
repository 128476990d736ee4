"""Checklists in every follow-up state, made directly (the scheduler and the answering services
have their own tests): a template of the program, a practice, a due date and where it stands."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from compliance.instances.latest import latest_refresh
from compliance.models import Attestation, ChecklistInstance, InstanceStatus
from psp.tenancy.scope import program_scope
from tests.compliance.helpers import published_checklist


def template(program, **fields):
    return published_checklist(program, items=2, **fields)


def checklist(
    template,
    practice,
    *,
    due_on: date,
    status=InstanceStatus.OPEN,
    signed_on: date | None = None,
    signer=None,
    opens_on: date | None = None,
    period: str | None = None,
    supersedes=None,
):
    """A checklist of `practice` from `template`, due on `due_on`; signed (attested) on
    `signed_on` by `signer` when given; a correction of `supersedes` (its next revision)."""
    program = template.program
    with program_scope(program):
        key = period or due_on.isoformat()
        instance = ChecklistInstance.objects.create(
            program=program,
            template=template,
            version_id=template.current_version_id,
            practice=practice,
            period_key=key,
            period_label=f"Period {key}",
            opens_on=opens_on or due_on - timedelta(days=30),
            due_on=due_on,
            status=InstanceStatus.ATTESTED if signed_on else status,
            revision=supersedes.revision + 1 if supersedes else 1,
            supersedes=supersedes,
        )
        if signed_on:
            moment = timezone.make_aware(datetime.combine(signed_on, time(12)), program.zone)
            Attestation.objects.create(
                program=program,
                instance=instance,
                attester="lead",
                user=signer,
                signed_name=signer.full_name,
                statement="I confirm.",
                signed_on=signed_on,
                signed_at=moment,
            )
            instance.completed_at = instance.attested_at = moment
            instance.signed_on = signed_on
            instance.save(update_fields=["completed_at", "attested_at", "signed_on"])
        # Made directly, like the demo's bulk writes: the latest flags are worked out again.
        latest_refresh(practice_ids=[practice.pk])
        instance.refresh_from_db()
        return instance
