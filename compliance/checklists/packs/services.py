"""Loading the shipped checklist packs (read and checked in __init__.py) into a program: each
template with version 1 published, all or nothing, never over a template already here."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance.checklists.document import TemplateDoc
from compliance.checklists.models import ChecklistTemplate
from compliance.checklists.packs import pack_by_key
from compliance.checklists.services import template_create
from psp.tenancy.models import Program


@dataclass
class PackLoad:
    """What loading packs did: the templates made, and those skipped because a template with
    the key was here already (left exactly as it is)."""

    made: list[ChecklistTemplate] = field(default_factory=list)
    skipped: list[ChecklistTemplate] = field(default_factory=list)


def pack_load(*, program, pack_keys, by) -> PackLoad:
    """Load the packs' templates into the program, each with version 1 published, all or
    nothing. A template whose key is here already is skipped and left as it is, however it was
    changed since."""
    packs = []
    for key in dict.fromkeys(pack_keys or ()):
        try:
            packs.append(pack_by_key(key))
        except LookupError as error:
            raise ValidationError({"packs": str(error)}) from error
    if not packs:
        raise ValidationError({"packs": "Choose at least one pack to load."})
    result = PackLoad()
    with transaction.atomic():
        # One load at a time per program, so two admins pressing Load make one template.
        Program.objects.select_for_update().filter(pk=program.pk).first()
        existing = {t.key: t for t in ChecklistTemplate.objects.all()}
        for pack in packs:
            for doc in pack.templates:
                if doc.key in existing:
                    result.skipped.append(existing[doc.key])
                    continue
                existing[doc.key] = template = template_create(
                    program=program,
                    by=by,
                    document=document_from(doc),
                    publish=True,
                    source_pack=pack.key,
                    note=f"Loaded from the “{pack.name}” pack.",
                )
                result.made.append(template)
    return result


def document_from(doc: TemplateDoc) -> dict:
    """A parsed document back as the plain data `template_create` reads."""
    return doc.details() | {
        "sections": [
            {"title": s.title, "items": [vars(item) for item in s.items]} for s in doc.sections
        ]
    }
