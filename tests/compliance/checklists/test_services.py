"""Templates change only through drafts: editing, publishing and new versions never move a
checklist already made off the version it was made from; every change is in the history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from compliance.checklists import drafting, services
from compliance.models import ChecklistInstance, ChecklistItem, ChecklistVersion
from compliance.schedules.services import schedule_instances
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.compliance.checklists.test_document import GOOD
from tests.compliance.helpers import assign


def _texts(version) -> list[str]:
    return list(
        ChecklistItem.objects.filter(version=version)
        .order_by("position")
        .values_list("text", flat=True)
    )


def test_a_template_written_by_hand_is_a_draft_until_published(world):
    with program_scope(world.program):
        template = services.template_create(
            program=world.program, by=world.admin, document=GOOD | {"sections": []}
        )
        draft = ChecklistVersion.objects.get(template=template)
        assert (draft.number, draft.status, template.current_version) == (1, "draft", None)
        with pytest.raises(ValidationError, match="at least one item"):
            services.version_publish(program=world.program, version=draft, by=world.admin)
        section = drafting.section_add(
            program=world.program, version=draft, by=world.admin, title="Drills"
        )
        empty = drafting.section_add(
            program=world.program, version=draft, by=world.admin, title="Doors"
        )
        drafting.item_add(
            program=world.program,
            section=section,
            by=world.admin,
            text="Date of the last fire drill.",
            response_type="date",
        )
        with pytest.raises(ValidationError, match="“Doors” has no items"):
            services.version_publish(program=world.program, version=draft, by=world.admin)
        drafting.section_remove(program=world.program, section=empty, by=world.admin)
        services.version_publish(program=world.program, version=draft, by=world.admin)
        template.refresh_from_db()
        assert template.current_version_id == draft.pk


def test_a_draft_is_edited_item_by_item_and_positions_follow_sections(world):
    with program_scope(world.program):
        template = services.template_create(program=world.program, by=world.admin, document=GOOD)
        draft = ChecklistVersion.objects.get(template=template)
        doors = drafting.section_add(
            program=world.program, version=draft, by=world.admin, title="Doors"
        )
        new = drafting.item_add(
            program=world.program, section=doors, by=world.admin, text="Doors close by themselves."
        )
        assert new.key == "doors-close-by-themselves" and new.position == 2
        drafting.section_move(program=world.program, section=doors, by=world.admin, direction="up")
        assert _texts(draft)[0] == "Doors close by themselves."
        first = ChecklistItem.objects.get(version=draft, key="last-drill")
        drafting.item_move(program=world.program, item=first, by=world.admin, direction="down")
        assert _texts(draft)[1:] == ["Is any fire exit blocked?", "Date of the last fire drill."]
        drafting.item_edit(
            program=world.program,
            item=first,
            by=world.admin,
            data={"section": doors, "text": "Date of the last drill.", "evidence_required": True},
        )
        assert _texts(draft) == [
            "Doors close by themselves.",
            "Date of the last drill.",
            "Is any fire exit blocked?",
        ]
        with pytest.raises(ValidationError) as refused:
            drafting.item_edit(
                program=world.program,
                item=first,
                by=world.admin,
                data={"key": "exits-blocked", "attester": "janitor"},
            )
        assert set(refused.value.message_dict) == {"attester"}
        with pytest.raises(ValidationError) as refused:
            drafting.item_edit(
                program=world.program, item=first, by=world.admin, data={"key": "exits-blocked"}
            )
        assert set(refused.value.message_dict) == {"key"}
        drafting.item_remove(program=world.program, item=new, by=world.admin)
        assert len(_texts(draft)) == 2
        lines = ChangeRecord.objects.filter(
            subject_type=SubjectType.CHECKLIST_TEMPLATE, subject_id=template.pk
        )
        # Created, a section and an item added, two moves, an edit, a removal: refusals none.
        assert lines.count() == 7
        assert all(line.practice_id == 0 for line in lines)


def test_publishing_a_new_version_leaves_checklists_on_theirs(world):
    with program_scope(world.program):
        template = services.template_create(
            program=world.program, by=world.admin, document=GOOD, publish=True
        )
        first = template.current_version
        assign(template, practice=world.practice, starts_on=date(2025, 6, 1))
        schedule_instances(program=world.program, today=date(2025, 12, 1))
        made = ChecklistInstance.objects.get()
        assert made.version_id == first.pk

        with pytest.raises(ValidationError, match="published"):
            drafting.item_remove(program=world.program, item=first.items.first(), by=world.admin)
        draft = services.version_new_draft(
            program=world.program, template=template, by=world.admin, change_note="Adds doors"
        )
        assert draft.number == 2 and _texts(draft) == _texts(first)
        with pytest.raises(ValidationError, match="already a draft"):
            services.version_new_draft(program=world.program, template=template, by=world.admin)
        drafting.item_add(
            program=world.program, section=draft.sections.get(), by=world.admin, text="Doors close."
        )
        services.version_publish(program=world.program, version=draft, by=world.admin)

        schedule_instances(program=world.program, today=date(2026, 2, 1))
        made.refresh_from_db()
        assert made.version_id == first.pk
        assert len(_texts(first)) == 2
        newest = ChecklistInstance.objects.get(period_key="2026")
        assert newest.version_id == draft.pk


def test_a_draft_can_be_thrown_away_but_not_a_templates_only_version(world):
    with program_scope(world.program):
        template = services.template_create(program=world.program, by=world.admin, document=GOOD)
        only = ChecklistVersion.objects.get(template=template)
        with pytest.raises(ValidationError, match="only version"):
            services.version_discard(program=world.program, version=only, by=world.admin)
        services.version_publish(program=world.program, version=only, by=world.admin)
        draft = services.version_new_draft(program=world.program, template=template, by=world.admin)
        services.version_discard(program=world.program, version=draft, by=world.admin)
        assert list(ChecklistVersion.objects.values_list("number", flat=True)) == [1]


def test_settings_change_the_schedule_by_field_and_say_what_changed(world):
    with program_scope(world.program):
        template = services.template_create(program=world.program, by=world.admin, document=GOOD)
        with pytest.raises(ValidationError) as refused:
            services.template_update(
                program=world.program,
                template=template,
                by=world.admin,
                data={"recurrence": "quarterly", "anchor_month": 0, "due_days": 999},
            )
        assert set(refused.value.message_dict) == {"anchor_month", "due_days"}
        services.template_update(
            program=world.program,
            template=template,
            by=world.admin,
            data={"recurrence": "quarterly", "anchor_month": 4},
        )
        services.template_set_active(
            program=world.program, template=template, by=world.admin, active=False
        )
        template.refresh_from_db()
        assert (template.recurrence, template.anchor_month, template.is_active) == (
            "quarterly",
            4,
            False,
        )
        last = ChangeRecord.objects.filter(subject_id=template.pk).order_by("-pk")
        assert "active" in last[0].summary.lower()
        assert "every quarter" in last[1].summary.lower()


def test_another_programs_version_is_refused(world, other_world):
    with program_scope(other_world.program):
        theirs = services.template_create(
            program=other_world.program, by=other_world.admin, document=GOOD
        )
        version = ChecklistVersion.objects.get(template=theirs)
    with program_scope(world.program), pytest.raises(ValidationError):
        services.version_publish(program=world.program, version=version, by=world.admin)
