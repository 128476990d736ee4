"""The instrument packs we ship: every pack file is sound, loads into a program whole (one
published version and its change library), and has the shape the issue asks for."""

import json

import pytest
from django.core.exceptions import ValidationError

from assessments.instruments.packs import PackError, available_packs, pack_by_key, read_pack
from assessments.instruments.packs.services import pack_load
from assessments.models import (
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    VersionStatus,
)
from psp.tenancy.models import Sector

PACKS = available_packs()
ALL_KINDS = set(QuestionKind.values)


def test_there_is_a_pack_for_every_sector_the_platform_serves():
    covered = {sector for pack in PACKS for sector in pack.sectors}
    assert covered == set(Sector.values)
    assert len(PACKS) == 4


@pytest.mark.parametrize("pack", PACKS, ids=lambda pack: pack.key)
def test_a_pack_loads_into_a_program_with_its_version_published_and_its_change_library(
    pack, world, in_program
):
    instrument = pack_load(program=world.program, pack_key=pack.key, by=world.admin)

    version = InstrumentVersion.objects.get(instrument=instrument)
    assert (version.number, version.status) == (1, VersionStatus.PUBLISHED)
    assert version.published_by == world.admin
    assert instrument.source_pack == pack.key
    assert (instrument.cadence_months, instrument.weak_threshold) == (
        pack.cadence_months,
        pack.weak_threshold,
    )
    domains = list(Domain.objects.filter(version=version))
    questions = list(Question.objects.filter(version=version))
    assert 5 <= len(domains) <= 8
    assert 20 <= len(questions) <= 40
    assert {q.kind for q in questions} == ALL_KINDS
    assert any(q.allow_na for q in questions)
    assert any(q.weight == 2 for q in questions)
    assert sum(q.kind == QuestionKind.SCALE for q in questions) > len(questions) / 2
    for question in questions:
        if question.kind == QuestionKind.SCALE:
            points = range(question.scale_min, question.scale_max + 1)
            assert set(question.scale_labels) == {str(n) for n in points}, question.key
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            assert Option.objects.filter(question=question).count() >= 2
    ideas = list(ChangeIdea.objects.filter(instrument=instrument))
    for domain in domains:
        own = [idea for idea in ideas if idea.domain_key == domain.key]
        assert 2 <= len(own) <= 4, domain.key
        for idea in own:
            assert idea.goal and idea.rationale and idea.suggested_measure
            assert 2 <= len(idea.suggested_actions) <= 4
    assert any(idea.kpi_key for idea in ideas)


def test_a_pack_takes_the_programs_sector_when_it_serves_it(world, in_program):
    world.program.sector = Sector.SOCIAL_SERVICES
    instrument = pack_load(
        program=world.program,
        pack_key="mental-health-social-services-readiness",
        by=world.admin,
    )
    assert instrument.sector == Sector.SOCIAL_SERVICES


def test_loading_the_same_pack_twice_is_refused_and_changes_nothing(world, in_program):
    pack_load(program=world.program, pack_key="primary-care-readiness", by=world.admin)
    counts = (Instrument.objects.count(), Question.objects.count(), ChangeIdea.objects.count())

    with pytest.raises(ValidationError, match="already loaded"):
        pack_load(program=world.program, pack_key="primary-care-readiness", by=world.admin)

    assert (
        Instrument.objects.count(),
        Question.objects.count(),
        ChangeIdea.objects.count(),
    ) == counts


def test_the_same_pack_can_be_loaded_into_two_programs(world, other_world, in_program):
    pack_load(program=world.program, pack_key="law-practice-review", by=world.admin)
    from psp.tenancy.scope import program_scope

    with program_scope(other_world.program):
        pack_load(program=other_world.program, pack_key="law-practice-review", by=other_world.admin)
        assert Instrument.objects.count() == 1
    assert Instrument.all_programs.filter(key="law-practice-review").count() == 2


def test_an_unknown_pack_is_a_clear_error(world, in_program):
    with pytest.raises(ValidationError) as error:
        pack_load(program=world.program, pack_key="no-such-pack", by=world.admin)
    assert "no-such-pack" in str(error.value.message_dict["pack"])
    assert not Instrument.objects.exists()


def test_a_pack_file_with_faults_is_refused_naming_each_fault(tmp_path):
    good = json.loads(pack_by_key("primary-care-readiness").path.read_text())
    broken = json.loads(json.dumps(good))
    broken["domains"][0]["questions"][0]["kind"] = "essay"
    broken["domains"][1]["change_ideas"] = []
    broken["domains"][2]["questions"][2]["options"] = broken["domains"][2]["questions"][2][
        "options"
    ][:1]
    broken["scales"]["adoption"]["labels"].pop("3")
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))

    with pytest.raises(PackError) as error:
        read_pack(path)

    problems = "\n".join(error.value.problems)
    assert "unknown kind “essay”" in problems
    assert "has no change ideas" in problems
    assert "at least two options" in problems
    assert "needs a label for each point" in problems


def test_a_pack_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "nonsense.json"
    path.write_text("{not json")
    with pytest.raises(PackError, match="cannot be read as JSON"):
        read_pack(path)
