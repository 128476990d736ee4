"""A template document is read whole: every problem named by its path, nothing half-made."""

import pytest
from django.core.exceptions import ValidationError

from compliance.checklists.document import DocumentInvalid, TemplateDoc
from compliance.checklists.services import template_create
from compliance.models import ChecklistTemplate
from psp.tenancy.scope import program_scope

GOOD = {
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
                },
                {
                    "key": "exits-blocked",
                    "text": "Is any fire exit blocked?",
                    "response_type": "yes_no",
                    "yes_is_compliant": False,
                },
            ],
        }
    ],
}


def test_a_good_document_reads_with_its_defaults():
    doc = TemplateDoc.parse(GOOD)
    assert doc.anchor_month == 1 and doc.due_days == 30 and doc.sector == ""
    drill, exits = doc.items
    assert (drill.attester, drill.evidence_required) == ("lead", False)
    assert exits.yes_is_compliant is False


def test_every_problem_is_named_by_its_path():
    bad = {
        **GOOD,
        "key": "Fire Safety!",
        "anchor_month": 13,
        "event": "enrolment",
        "sections": [
            {"title": "", "items": [{"text": "No key", "response_type": "colour"}]},
            {"title": "Doors", "items": [{"key": "a", "text": "x", "yes_is_compliant": False}]},
            "not a section",
        ],
    }
    with pytest.raises(DocumentInvalid) as refused:
        TemplateDoc.parse(bad)
    paths = {path for path, _ in refused.value.problems}
    assert paths == {
        "key",
        "anchor_month",
        "event",
        "sections[0].title",
        "sections[0].items[0].key",
        "sections[0].items[0].response_type",
        "sections[1].items[0].yes_is_compliant",
        "sections[2]",
    }


def test_an_event_template_names_its_event_and_only_a_stage_move_a_stage():
    with pytest.raises(DocumentInvalid) as refused:
        TemplateDoc.parse(
            {**GOOD, "recurrence": "after_event", "event": "enrolment", "event_stage": "pilot"}
        )
    assert [path for path, _ in refused.value.problems] == ["event_stage"]
    doc = TemplateDoc.parse(
        {**GOOD, "recurrence": "after_event", "event": "stage_move", "event_stage": "pilot"}
    )
    assert (doc.event, doc.event_stage) == ("stage_move", "pilot")


def test_a_refused_document_creates_nothing_and_says_where(world):
    bad = {**GOOD, "sections": [{"title": "Drills", "items": [{"key": "x", "text": ""}]}]}
    with program_scope(world.program):
        with pytest.raises(ValidationError) as refused:
            template_create(program=world.program, by=world.admin, document=bad, publish=True)
        assert "sections[0].items[0].text" in refused.value.message_dict
        assert not ChecklistTemplate.objects.exists()


def test_a_key_already_used_is_refused_by_field(world):
    with program_scope(world.program):
        template_create(program=world.program, by=world.admin, document=GOOD)
        with pytest.raises(ValidationError) as refused:
            template_create(program=world.program, by=world.admin, document=GOOD)
        assert list(refused.value.message_dict) == ["key"]
