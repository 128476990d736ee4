"""The checklist packs we ship: every one reads and validates, says what it serves, and loads
into a program in one action without overwriting a template already there."""

import json

import pytest

from compliance.checklists.models import Attester, ResponseType
from compliance.checklists.packs import PACK_DIR, PackError, available_packs, parse_pack
from compliance.checklists.packs.services import pack_load
from compliance.models import ChecklistTemplate
from psp.tenancy.scope import program_scope

PACKS = available_packs()


def test_every_pack_file_reads_and_the_seven_subjects_are_there():
    assert len(PACKS) == len(list(PACK_DIR.glob("*.json"))) == 7
    assert {pack.key for pack in PACKS} == {
        "privacy-confidentiality",
        "consent",
        "records-documentation",
        "data-security",
        "infection-prevention-control",
        "trust-accounting-conflicts",
        "safeguarding",
    }
    sectors = {pack.key: set(pack.sectors) for pack in PACKS}
    assert sectors["infection-prevention-control"] == {"primary_care"}
    assert sectors["trust-accounting-conflicts"] == {"law"}
    assert sectors["safeguarding"] == {"education", "social_services"}
    assert sectors["privacy-confidentiality"] == set()  # every sector


@pytest.mark.parametrize("pack", PACKS, ids=lambda pack: pack.key)
def test_each_template_is_a_real_checklist(pack):
    assert 1 <= len(pack.templates) <= 3
    for template in pack.templates:
        items = template.items
        assert 6 <= len(items) <= 15, template.key
        assert len(template.sections) >= 2, template.key
        for item in items:
            assert item.guidance and item.reference, (template.key, item.key)
        # Several ways of answering, not a wall of ticks.
        assert len({item.response_type for item in items}) >= 2, template.key


def test_the_packs_use_every_answer_type_role_and_schedule_the_issue_asks_for():
    items = [item for pack in PACKS for t in pack.templates for item in t.items]
    assert {item.response_type for item in items} == set(ResponseType.values)
    assert {item.attester for item in items} == set(Attester.values)
    assert any(item.response_type == "yes_no" and not item.yes_is_compliant for item in items)
    assert any(item.evidence_required for item in items)
    templates = {t.key: t for pack in PACKS for t in pack.templates}
    assert templates["privacy-annual-review"].recurrence == "annually"
    assert templates["trust-monthly-reconciliation"].recurrence == "monthly"
    assert templates["ipc-quarterly-audit"].recurrence == "quarterly"
    onboarding = templates["privacy-onboarding"]
    assert (onboarding.recurrence, onboarding.event, onboarding.due_days) == (
        "after_event",
        "enrolment",
        30,
    )
    pilot = templates["security-before-pilot"]
    assert (pilot.event, pilot.event_stage) == ("stage_move", "pilot")
    fire = templates["safeguarding-annual-review"].items
    assert any("fire" in item.text.lower() and item.response_type == "date" for item in fire)


def test_a_broken_pack_is_refused_naming_every_problem_by_its_path():
    data = json.loads((PACK_DIR / "consent.json").read_text())
    data["format"] = 2
    data["sectors"] = ["farming"]
    first = data["templates"][0]
    first["recurrence"] = "fortnightly"
    first["sections"][1]["items"][0]["attester"] = "janitor"
    first["sections"][0]["items"][1]["key"] = first["sections"][0]["items"][0]["key"]
    data["templates"][1]["sections"][0]["items"][0]["colour"] = "red"
    with pytest.raises(PackError) as refused:
        parse_pack(data, name="consent.json")
    problems = refused.value.problems
    assert "format: must be 1" in problems
    assert any(p.startswith("sectors:") for p in problems)
    assert any(p.startswith("templates[0].recurrence:") for p in problems)
    assert any(p.startswith("templates[0].sections[1].items[0].attester:") for p in problems)
    assert any(p.startswith("templates[0].sections[0].items[1].key:") for p in problems)
    assert any(p.startswith("templates[1].sections[0].items[0].colour:") for p in problems)


def test_loading_makes_published_templates_and_loading_again_skips_them(world):
    program = world.program
    with program_scope(program):
        first = pack_load(program=program, pack_keys=["privacy-confidentiality"], by=world.admin)
        assert sorted(t.key for t in first.made) == ["privacy-annual-review", "privacy-onboarding"]
        annual = ChecklistTemplate.objects.get(key="privacy-annual-review")
        assert annual.current_version.status == "published"
        assert annual.current_version.items.count() == 11
        assert annual.source_pack == "privacy-confidentiality"
        annual.name = "Our privacy review"
        annual.save()

        again = pack_load(
            program=program, pack_keys=["privacy-confidentiality", "consent"], by=world.admin
        )
        assert sorted(t.key for t in again.skipped) == [
            "privacy-annual-review",
            "privacy-onboarding",
        ]
        assert sorted(t.key for t in again.made) == ["consent-annual-review", "consent-file-audit"]
        assert (
            ChecklistTemplate.objects.get(key="privacy-annual-review").name == "Our privacy review"
        )
        assert ChecklistTemplate.objects.count() == 4


def test_an_unknown_pack_loads_nothing(world):
    with program_scope(world.program):
        with pytest.raises(Exception) as refused:
            pack_load(program=world.program, pack_keys=["consent", "astrology"], by=world.admin)
        assert "astrology" in str(refused.value)
        assert not ChecklistTemplate.objects.exists()
