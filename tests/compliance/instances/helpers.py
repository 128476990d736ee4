"""What the checklist page and API tests share: a checklist of world.practice with one item of
every response type, and ways to answer, attach and sign it through the services."""

from compliance.instances import services
from compliance.models import ChecklistInstance, ChecklistItem
from psp.evidence import services as evidence_services
from psp.tenancy.scope import program_scope
from tests.compliance.helpers import published_checklist
from tests.evidence.subjects import pdf_bytes, upload
from tests.factories import ChecklistInstanceFactory

# (response type, text); the first needs evidence, the yes/no is compliant when "no".
ITEMS = [
    ("done", "The privacy notice is displayed in the waiting room."),
    ("yes_no", "Is the records room left unlocked when nobody is in it?"),
    ("date", "When was the last privacy training?"),
    ("number", "How many staff completed the training?"),
    ("text", "Who is the practice's privacy contact?"),
]


def make_checklist(world, *, practice=None, items=ITEMS, name="Privacy and records review"):
    """A published checklist with the items above, and its instance for the practice (due in
    ten days). Returns (instance, items in order)."""
    template = published_checklist(world.program, items=len(items), name=name)
    with program_scope(world.program):
        rows = list(
            ChecklistItem.objects.filter(version=template.current_version).order_by("position")
        )
        for row, (kind, text) in zip(rows, items, strict=True):
            row.response_type, row.text = kind, text
            row.yes_is_compliant = kind != "yes_no"
            row.evidence_required = row.position == 0
            row.save()
        instance = ChecklistInstanceFactory(
            program=world.program,
            version=template.current_version,
            practice=practice or world.practice,
            period_label="2026",
        )
    return instance, rows


def reload(world, instance) -> ChecklistInstance:
    with program_scope(world.program):
        return ChecklistInstance.objects.get(pk=instance.pk)


def answer(world, instance, item, by=None, **data):
    with program_scope(world.program):
        return services.response_save(
            program=world.program, by=by or world.staff, instance=instance, item_id=item.pk,
            data=data,
        )  # fmt: skip


def attach(world, instance, item, by=None, name="privacy-notice.pdf"):
    by = by or world.staff
    with program_scope(world.program):
        response = services.response_for_evidence(
            program=world.program, by=by, instance=instance, item_id=item.pk
        )
        return evidence_services.evidence_attach(
            program=world.program,
            by=by,
            subject_type="checklist_item",
            subject_id=response.pk,
            practice_id=instance.practice_id,
            upload=upload(name, pdf_bytes()),
            label="Photo",
        )


def complete(world, instance, items, *, first="done"):
    """Every item answered (the first as `first`), the first with its file."""
    answer(world, instance, items[0], choice=first)
    answer(world, instance, items[1], choice="no")
    answer(world, instance, items[2], value_date="2026-03-02")
    answer(world, instance, items[3], value_number="7")
    answer(world, instance, items[4], value_text="Dana Reyes")
    attach(world, instance, items[0])
    return reload(world, instance)


def sign(world, instance, by=None):
    by = by or world.lead
    with program_scope(world.program):
        return services.instance_attest(
            program=world.program,
            by=by,
            instance=instance,
            attester="lead",
            signed_name=by.full_name,
            agreed=True,
        )
