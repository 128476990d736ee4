"""Instrument services: creating instruments and their settings, publishing a draft (and what
publishing refuses), freezing published versions, and new versions as deep copies."""

import pytest
from django.core.exceptions import ValidationError

from assessments.instruments import builder, services
from assessments.models import (
    Assessment,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    VersionStatus,
)
from tests.assessments.helpers import build_draft, structure

# Building and publishing ----------------------------------------------------------------------


def test_a_new_instrument_starts_as_an_empty_draft_version_1(world, in_program):
    instrument = services.instrument_create(
        program=world.program, by=world.admin, name="  Team readiness  "
    )

    version = InstrumentVersion.objects.get(instrument=instrument)
    assert (version.number, version.status, version.created_by) == (1, "draft", world.admin)
    assert instrument.name == "Team readiness"
    assert instrument.key == "team-readiness"


def test_instrument_keys_are_made_unique_and_a_taken_key_is_refused(world, in_program):
    first = services.instrument_create(program=world.program, by=world.admin, name="Readiness")
    second = services.instrument_create(program=world.program, by=world.admin, name="Readiness")
    assert (first.key, second.key) == ("readiness", "readiness-2")

    with pytest.raises(ValidationError) as error:
        services.instrument_create(
            program=world.program, by=world.admin, name="Other", key="readiness"
        )
    assert "key" in error.value.message_dict


@pytest.mark.parametrize(
    "change, field",
    [
        ({"weak_threshold": 0}, "weak_threshold"),
        ({"weak_threshold": 101}, "weak_threshold"),
        ({"cadence_months": 0}, "cadence_months"),
        ({"name": "   "}, "name"),
        ({"key": "new-key"}, "key"),
    ],
)
def test_instrument_settings_refuse_bad_values_and_change_nothing(world, in_program, change, field):
    instrument = services.instrument_create(program=world.program, by=world.admin, name="R")

    with pytest.raises(ValidationError) as error:
        services.instrument_update(
            program=world.program, instrument=instrument, by=world.admin, data=change
        )

    assert field in error.value.message_dict
    fresh = Instrument.objects.get(pk=instrument.pk)
    assert (fresh.name, fresh.key, fresh.weak_threshold, fresh.cadence_months) == ("R", "r", 60, 6)


def test_publishing_a_draft_freezes_it_and_records_who_published_it(world, in_program):
    _, version = build_draft(world.program, world.admin)

    services.version_publish(
        program=world.program, version=version, by=world.admin, change_note="First edition"
    )

    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.is_frozen
    assert version.published_by == world.admin and version.published_at is not None
    assert version.change_note == "First edition"


def test_a_published_version_cannot_be_published_again(world, in_program, published):
    _, version = published
    with pytest.raises(ValidationError, match="already published"):
        services.version_publish(program=world.program, version=version, by=world.admin)


def _make_empty(version, by, program):
    """No domains at all."""
    Domain.objects.filter(version=version).delete()


def _empty_domain(version, by, program):
    builder.domain_create(program=program, version=version, by=by, name="Empty corner")


def _one_option(version, by, program):
    Option.objects.filter(question__version=version, value="text").delete()


def _upside_down_scale(version, by, program):
    Question.objects.filter(version=version, kind="scale").update(scale_min=5, scale_max=1)


def _labels_outside(version, by, program):
    Question.objects.filter(version=version, kind="scale").update(scale_labels={"9": "Nine"})


def _nothing_scored(version, by, program):
    Question.objects.filter(version=version).update(scored=False)


@pytest.mark.parametrize(
    "spoil, message",
    [
        (_make_empty, "at least one domain"),
        (_empty_domain, "“Empty corner” has no questions"),
        (_one_option, "needs at least two options"),
        (_upside_down_scale, "top of the scale must be above its bottom"),
        (_labels_outside, "scale labels outside its range"),
        (_nothing_scored, "No question is scored"),
    ],
    ids=["no-domains", "empty-domain", "one-option", "upside-down-scale", "labels", "unscored"],
)
def test_publishing_refuses_an_incomplete_draft_and_leaves_it_a_draft(
    world, in_program, spoil, message
):
    _, version = build_draft(world.program, world.admin)
    spoil(version, world.admin, world.program)

    with pytest.raises(ValidationError) as error:
        services.version_publish(program=world.program, version=version, by=world.admin)

    assert any(message in text for text in error.value.messages), error.value.messages
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


# Freezing and new versions -------------------------------------------------------------------


def _structure_changes(program, by, version):
    domain = Domain.objects.filter(version=version).first()
    question = Question.objects.filter(version=version, kind="single").first()
    option = Option.objects.filter(question=question).first()
    return {
        "domain_create": lambda: builder.domain_create(
            program=program, version=version, by=by, name="New"
        ),
        "domain_update": lambda: builder.domain_update(
            program=program, domain=domain, by=by, data={"name": "Renamed"}
        ),
        "domain_delete": lambda: builder.domain_delete(program=program, domain=domain, by=by),
        "domain_move": lambda: builder.domain_move(
            program=program, domain=domain, by=by, direction="down"
        ),
        "question_create": lambda: builder.question_create(
            program=program, domain=domain, by=by, text="New?", kind="yes_no"
        ),
        "question_update": lambda: builder.question_update(
            program=program, question=question, by=by, data={"text": "Changed?"}
        ),
        "question_delete": lambda: builder.question_delete(
            program=program, question=question, by=by
        ),
        "question_move": lambda: builder.question_move(
            program=program, question=question, by=by, direction="up"
        ),
        "option_create": lambda: builder.option_create(
            program=program, question=question, by=by, label="New"
        ),
        "option_update": lambda: builder.option_update(
            program=program, option=option, by=by, data={"score": 9}
        ),
        "option_delete": lambda: builder.option_delete(program=program, option=option, by=by),
        "option_move": lambda: builder.option_move(
            program=program, option=option, by=by, direction="down"
        ),
    }


CHANGES = [
    "domain_create",
    "domain_update",
    "domain_delete",
    "domain_move",
    "question_create",
    "question_update",
    "question_delete",
    "question_move",
    "option_create",
    "option_update",
    "option_delete",
    "option_move",
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_published_version_refuses_every_change_to_its_structure(
    world, in_program, published, change
):
    _, version = published
    before = structure(version)

    with pytest.raises(ValidationError, match="cannot change. Start a new version"):
        _structure_changes(world.program, world.admin, version)[change]()

    assert structure(version) == before


@pytest.mark.parametrize("change", ["domain_update", "question_update", "option_update"])
def test_a_retired_version_is_frozen_too(world, in_program, published, change):
    _, version = published
    draft = services.version_new_draft_from(program=world.program, version=version, by=world.admin)
    services.version_publish(program=world.program, version=draft, by=world.admin)
    before = structure(version)

    with pytest.raises(ValidationError, match="retired and cannot change"):
        _structure_changes(world.program, world.admin, version)[change]()

    assert structure(version) == before


def test_a_new_draft_copies_every_domain_question_and_option_into_the_next_number(
    world, in_program, published
):
    instrument, version = published

    draft = services.version_new_draft_from(
        program=world.program, version=version, by=world.admin, change_note="Sharper wording"
    )

    assert (draft.number, draft.status, draft.change_note) == (2, "draft", "Sharper wording")
    assert structure(draft) == structure(version)
    assert not set(Question.objects.filter(version=draft).values_list("pk", flat=True)) & set(
        Question.objects.filter(version=version).values_list("pk", flat=True)
    )
    copied = Question.objects.filter(version=draft).select_related("domain")
    assert all(q.domain.version_id == draft.pk for q in copied)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED


def test_editing_the_new_draft_leaves_the_published_version_as_it_was(world, in_program, published):
    _, version = published
    before = structure(version)
    draft = services.version_new_draft_from(program=world.program, version=version, by=world.admin)

    for question in Question.objects.filter(version=draft):
        builder.question_update(
            program=world.program, question=question, by=world.admin, data={"text": "Reworded"}
        )
    builder.domain_delete(
        program=world.program,
        domain=Domain.objects.filter(version=draft).last(),
        by=world.admin,
    )

    assert structure(version) == before


def test_an_instrument_has_at_most_one_draft(world, in_program, published):
    _, version = published
    services.version_new_draft_from(program=world.program, version=version, by=world.admin)

    with pytest.raises(ValidationError, match="already a draft"):
        services.version_new_draft_from(program=world.program, version=version, by=world.admin)
    assert InstrumentVersion.objects.count() == 2


def test_publishing_a_new_version_retires_the_one_published_before(world, in_program, published):
    instrument, version = published
    draft = services.version_new_draft_from(program=world.program, version=version, by=world.admin)

    services.version_publish(program=world.program, version=draft, by=world.admin)

    statuses = dict(
        InstrumentVersion.objects.filter(instrument=instrument).values_list("number", "status")
    )
    assert statuses == {1: VersionStatus.RETIRED, 2: VersionStatus.PUBLISHED}


def test_an_assessment_keeps_the_version_it_answered_when_a_new_version_is_published(
    world, in_program, published
):
    _, version = published
    assessment = Assessment.objects.create(practice=world.practice, version=version)
    asked = structure(version)

    draft = services.version_new_draft_from(program=world.program, version=version, by=world.admin)
    builder.question_update(
        program=world.program,
        question=Question.objects.filter(version=draft).first(),
        by=world.admin,
        data={"text": "A different question"},
    )
    services.version_publish(program=world.program, version=draft, by=world.admin)

    assessment.refresh_from_db()
    assert assessment.version_id == version.pk
    assert structure(assessment.version) == asked


def test_a_draft_can_be_discarded_but_not_an_instruments_only_version(world, in_program, published):
    instrument, version = published
    draft = services.version_new_draft_from(program=world.program, version=version, by=world.admin)

    services.version_discard(program=world.program, version=draft, by=world.admin)

    assert list(InstrumentVersion.objects.values_list("number", flat=True)) == [1]
    lonely = services.instrument_create(program=world.program, by=world.admin, name="Lonely")
    with pytest.raises(ValidationError, match="only version"):
        services.version_discard(
            program=world.program, version=lonely.versions.get(), by=world.admin
        )
