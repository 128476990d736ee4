"""A practice's compliance history for the documents' tests: a monthly records check, a
quarterly infection-control audit and an annual privacy review over fourteen months, mostly
signed off on time, two late, one overdue, one due soon, one waiting for its signature, and
failed items (one with its remediation action open, one without an action yet)."""

from datetime import timedelta

from coaching.actions.models import PlanAction
from compliance.models import ChecklistItem, InstanceStatus, ItemResponse
from psp.tenancy.scope import program_scope
from tests.compliance.followup.helpers import checklist, template


def compliance_history(world):
    program, practice, lead = world.program, world.practice, world.lead
    today = program.local_today()
    records = template(program, name="Monthly records check", key="records", recurrence="monthly")
    ipc = template(program, name="Infection control audit", key="ipc", recurrence="quarterly")
    privacy = template(program, name="Annual privacy review", key="privacy")
    made = []
    for months_ago in range(14, 0, -1):
        due = today - timedelta(days=30 * months_ago - 10)
        late = months_ago in (5, 9)
        signed = due + timedelta(days=6) if late else due - timedelta(days=2)
        made.append(checklist(records, practice, due_on=due, signed_on=signed, signer=lead))
    for quarters_ago in range(4, 0, -1):
        due = today - timedelta(days=91 * quarters_ago - 20)
        made.append(checklist(ipc, practice, due_on=due, signed_on=due, signer=lead))
    overdue = checklist(ipc, practice, due_on=today - timedelta(days=12), period="now",
                        status=InstanceStatus.IN_PROGRESS)  # fmt: skip
    checklist(records, practice, due_on=today + timedelta(days=9), period="now")
    checklist(privacy, practice, due_on=today + timedelta(days=25), period="now",
              status=InstanceStatus.COMPLETED)  # fmt: skip
    checklist(privacy, world.other_practice, due_on=today - timedelta(days=3), period="other")
    with program_scope(program):
        items = list(ChecklistItem.objects.filter(version_id=ipc.current_version_id))
        action = PlanAction.objects.create(
            program=program, practice=practice, owner=lead, due_on=today + timedelta(days=20),
            title="Replace the sharps bins in both treatment rooms",
        )  # fmt: skip
        for item, with_action in zip(items, (True, False), strict=False):
            ItemResponse.objects.create(
                program=program, instance=overdue, item=item, choice="not_done",
                outcome="failed", note="Found in the walk-through.",
                action=action if with_action else None,
            )  # fmt: skip
    return made
