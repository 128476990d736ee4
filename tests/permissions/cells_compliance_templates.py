"""Targets, bodies and rows for the permission tables of checklist templates, their packs and
assignments (issue 14, compliance/checklists and compliance/schedules).

Templates are the program's, not a practice's: whoever sees checklists (compliance.view: every
role) reads them, only admins (compliance.define) change them, load packs and assign them.
`template` is a published template with two sections of two items and no draft; `drafting` a
template whose draft (version 2) is being changed, `draft_section`/`draft_item` the first of the
draft's; `assignment` an active assignment of `template` to world.practice.
"""

from dataclasses import dataclass, field
from datetime import date

from compliance.checklists.services import version_new_draft
from compliance.models import ChecklistAssignment, ChecklistVersion
from psp.tenancy.scope import program_scope
from tests.factories import (
    ChecklistItemFactory,
    ChecklistSectionFactory,
    ChecklistTemplateFactory,
    ChecklistVersionFactory,
)

PREFIXES = (
    "compliance_templates:",
    "checklist-templates",
    "checklist-packs",
    "checklist-assignments",
)

#  route                                 method target        admin manager coach lead staff
PAGES = """
compliance_templates:list              GET   -             ok    ok      ok    ok   ok
compliance_templates:packs             GET   -             ok    403     403   403  403
compliance_templates:packs             POST  -             ok    403     403   403  403
compliance_templates:new               GET   -             ok    403     403   403  403
compliance_templates:new               POST  -             ok    403     403   403  403
compliance_templates:detail            GET   template      ok    ok      ok    ok   ok
compliance_templates:settings          GET   template      ok    403     403   403  403
compliance_templates:settings          POST  template      ok    403     403   403  403
compliance_templates:active            POST  template      ok    403     403   403  403
compliance_templates:new_version       GET   template      ok    403     403   403  403
compliance_templates:new_version       POST  template      ok    403     403   403  403
compliance_templates:version           GET   template      ok    ok      ok    ok   ok
compliance_templates:version           GET   drafting      ok    ok      ok    ok   ok
compliance_templates:publish           GET   drafting      ok    403     403   403  403
compliance_templates:publish           POST  drafting      ok    403     403   403  403
compliance_templates:discard           GET   drafting      ok    403     403   403  403
compliance_templates:discard           POST  drafting      ok    403     403   403  403
compliance_templates:section_add       GET   drafting      ok    403     403   403  403
compliance_templates:section_add       POST  drafting      ok    403     403   403  403
compliance_templates:section_edit      GET   draft_section ok    403     403   403  403
compliance_templates:section_edit      POST  draft_section ok    403     403   403  403
compliance_templates:section_move      POST  draft_section ok    403     403   403  403
compliance_templates:section_remove    GET   draft_section ok    403     403   403  403
compliance_templates:section_remove    POST  draft_section ok    403     403   403  403
compliance_templates:item_add          GET   draft_section ok    403     403   403  403
compliance_templates:item_add          POST  draft_section ok    403     403   403  403
compliance_templates:item_edit         GET   draft_item    ok    403     403   403  403
compliance_templates:item_edit         POST  draft_item    ok    403     403   403  403
compliance_templates:item_move         POST  draft_item    ok    403     403   403  403
compliance_templates:item_remove       GET   draft_item    ok    403     403   403  403
compliance_templates:item_remove       POST  draft_item    ok    403     403   403  403
compliance_templates:assignments       GET   -             ok    403     403   403  403
compliance_templates:assign            GET   -             ok    403     403   403  403
compliance_templates:assign            POST  -             ok    403     403   403  403
compliance_templates:assignment_end    POST  assignment    ok    403     403   403  403
"""

API = """
checklist-templates-list               GET    -            ok    ok      ok    ok   ok
checklist-templates-list               POST   -            ok    403     403   403  403
checklist-templates-detail             GET    template     ok    ok      ok    ok   ok
checklist-templates-detail             PATCH  template     ok    403     403   403  403
checklist-templates-detail             PUT    template     ok    403     403   403  403
checklist-templates-versions           GET    template     ok    ok      ok    ok   ok
checklist-templates-history            GET    template     ok    403     403   403  403
checklist-templates-new-version        POST   template     ok    403     403   403  403
checklist-templates-draft              GET    drafting     ok    403     403   403  403
checklist-templates-draft              PUT    drafting     ok    403     403   403  403
checklist-templates-publish            POST   drafting     ok    403     403   403  403
checklist-packs-list                   GET    -            ok    403     403   403  403
checklist-packs-load                   POST   -            ok    403     403   403  403
checklist-assignments-list             GET    -            ok    403     403   403  403
checklist-assignments-list             POST   -            ok    403     403   403  403
checklist-assignments-detail           GET    assignment   ok    403     403   403  403
checklist-assignments-deactivate       POST   assignment   ok    403     403   403  403
checklist-assignments-assign-matching  POST   -            ok    403     403   403  403
"""


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def published_template(program, **fields):
    """A template with version 1 published: two sections of two items each."""
    template = ChecklistTemplateFactory(program=program, **fields)
    version = ChecklistVersionFactory(program=program, template=template, number=1)
    position = 0
    for title in ("Accountability", "Breaches"):
        section = ChecklistSectionFactory(program=program, version=version, title=title)
        for _ in range(2):
            ChecklistItemFactory(
                program=program, section=section, version=version, position=position
            )
            position += 1
    template.current_version = version
    template.save(update_fields=["current_version"])
    return template


def _item_body(section, **changes) -> dict:
    return {
        "section": section.pk,
        "text": "Fire exits are kept clear.",
        "response_type": "done",
        "attester": "lead",
    } | changes


def target(world, user, name: str, route: str) -> Target:
    program = world.program
    if name == "-":
        with program_scope(program):
            return Target({}, create_body(world, route))
    with program_scope(program):
        template = published_template(program)
        if name == "assignment":
            assignment = ChecklistAssignment.objects.create(
                program=program,
                template=template,
                practice=world.practice,
                starts_on=date(2026, 1, 1),
            )
            return Target({"pk": assignment.pk})
        if name == "template":
            return _template_target(template, route)
        draft = version_new_draft(program=program, template=template, by=world.admin)
        section = draft.sections.order_by("position").first()
        item = draft.items.order_by("position").first()
    if name == "drafting":
        return _drafting_target(template, draft, route)
    if name == "draft_section":
        kwarg = "checklistsection_pk" if route.endswith("item_add") else "pk"
        body = {
            "compliance_templates:section_edit": {"title": "Who is accountable"},
            "compliance_templates:section_move": {"direction": "down"},
            "compliance_templates:item_add": _item_body(section),
        }.get(route, {})
        return Target({kwarg: section.pk}, body)
    if name == "draft_item":
        body = {
            "compliance_templates:item_edit": _item_body(section, key=item.key),
            "compliance_templates:item_move": {"direction": "down"},
        }.get(route, {})
        return Target({"pk": item.pk}, body)
    raise AssertionError(f"unknown target {name}")


def _template_target(template, route: str) -> Target:
    if route == "compliance_templates:version":
        return Target({"pk": template.current_version_id})
    details = {
        "name": "Privacy review (renamed)",
        "description": "",
        "sector": "",
        "recurrence": "quarterly",
        "anchor_month": 4,
        "due_days": 30,
        "event": "",
        "event_stage": "",
    }
    body = {
        "compliance_templates:settings": details,
        "compliance_templates:new_version": {"change_note": "Yearly update"},
        "checklist-templates-detail": details | {"key": template.key},
        "checklist-templates-new-version": {"change_note": "Yearly update"},
    }.get(route, {})
    return Target({"pk": template.pk}, body)


def _drafting_target(template, draft: ChecklistVersion, route: str) -> Target:
    if route.startswith("checklist-templates"):
        body = {
            "checklist-templates-publish": {"change_note": "Adds breach drills"},
            "checklist-templates-draft": {"sections": [DOCUMENT["sections"][0]]},
        }.get(route, {})
        return Target({"pk": template.pk}, body)
    kwarg = "checklistversion_pk" if route.endswith("section_add") else "pk"
    body = {
        "compliance_templates:publish": {"change_note": "Adds breach drills"},
        "compliance_templates:section_add": {"title": "Fire safety"},
    }.get(route, {})
    return Target({kwarg: draft.pk}, body)


DOCUMENT = {
    "key": "fire-safety",
    "name": "Fire safety",
    "recurrence": "annually",
    "sections": [
        {
            "title": "Drills",
            "items": [
                {
                    "key": "last-drill",
                    "text": "Date of the last fire drill.",
                    "response_type": "date",
                }
            ],
        }
    ],
}


def create_body(world, route: str) -> dict:
    template = None
    if route.startswith(("compliance_templates:assign", "checklist-assignments")):
        template = published_template(world.program)
    return {
        "compliance_templates:packs": {"packs": "consent"},
        "compliance_templates:new": {
            "name": "Fire safety",
            "key": "fire-safety",
            "recurrence": "annually",
            "anchor_month": "1",
            "due_days": "30",
        },
        "compliance_templates:assign": {
            "template": template and template.pk,
            "target": "practice",
            "practice": world.practice.pk,
            "starts_on": "2026-01-01",
        },
        "checklist-templates-list": DOCUMENT | {"publish": True},
        "checklist-packs-load": {"packs": ["consent"]},
        "checklist-assignments-list": {
            "template": template and template.pk,
            "every_practice": True,
        },
        "checklist-assignments-assign-matching": {
            "template": template and template.pk,
            "filters": {"sector": "primary_care"},
        },
    }.get(route, {})
