"""What the compliance tests share: a published template with a few items, assignments."""

from datetime import date

from compliance.models import ChecklistAssignment
from psp.tenancy.scope import program_scope
from tests.factories import (
    ChecklistItemFactory,
    ChecklistSectionFactory,
    ChecklistTemplateFactory,
    ChecklistVersionFactory,
)


def published_checklist(program, *, items=3, **template_fields):
    """A template with one published version of `items` items in one section, current."""
    with program_scope(program):
        template = ChecklistTemplateFactory(program=program, **template_fields)
        version = ChecklistVersionFactory(program=program, template=template, number=1)
        section = ChecklistSectionFactory(program=program, version=version)
        for position in range(items):
            ChecklistItemFactory(
                program=program, section=section, version=version, position=position
            )
        template.current_version = version
        template.save(update_fields=["current_version"])
        return template


def assign(template, *, practice=None, sector="", starts_on=date(2026, 1, 1)):
    with program_scope(template.program):
        return ChecklistAssignment.objects.create(
            program=template.program,
            template=template,
            practice=practice,
            sector=sector,
            starts_on=starts_on,
        )
