"""Instrument services: building a draft, publishing it (and what publishing refuses), freezing
published versions, new versions as deep copies, and the change library."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments import services_instruments as services
from assessments.models import (
    Assessment,
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    VersionStatus,
)
from psp.tenancy.scope import program_scope


def build_draft(program, by, *, domains=2, questions=2, name="Practice readiness"):
    """An instrument whose draft version 1 has `domains` domains of `questions` scale questions
    each, plus a single-choice question with two options in the first domain."""
    instrument = services.instrument_create(program=program, by=by, name=name)
    version = instrument.versions.get()
    for d in range(domains):
        domain = services.domain_create(
            program=program, version=version, by=by, name=f"Domain {d + 1}"
        )
        for q in range(questions):
            services.question_create(
                program=program,
                domain=domain,
                by=by,
                text=f"Question {d + 1}.{q + 1} is in place",
                kind=QuestionKind.SCALE,
                scale_labels={"1": "Not at all", "5": "Fully"},
                weight=Decimal(2) if q == 0 else Decimal(1),
                allow_na=q == 1,
            )
        if d == 0:
            choice = services.question_create(
                program=program,
                domain=domain,
                by=by,
                text="How are reminders sent?",
                kind=QuestionKind.SINGLE,
            )
            services.option_create(program=program, question=choice, by=by, label="Not", score=0)
            services.option_create(program=program, question=choice, by=by, label="Text", score=2)
    return instrument, version


def structure(version):
    """Everything about a version's structure except row ids, for comparing copies."""
    domains = [
        (d.key, d.name, d.description, d.position)
        for d in Domain.objects.filter(version=version).order_by("position")
    ]
    questions = [
        (
            q.domain.key,
            q.key,
            q.text,
            q.kind,
            q.required,
            q.scored,
            q.weight,
            q.allow_na,
            q.scale_min,
            q.scale_max,
            q.scale_labels,
            q.position,
        )
        for q in Question.objects.filter(version=version).select_related("domain")
    ]
    options = [
        (o.question.key, o.value, o.label, o.score, o.position)
        for o in Option.objects.filter(question__version=version).select_related("question")
    ]
    return domains, questions, options


@pytest.fixture
def published(world, in_program):
    instrument, version = build_draft(world.program, world.admin)
    services.version_publish(program=world.program, version=version, by=world.admin)
    version.refresh_from_db()
    return instrument, version


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
    services.domain_create(program=program, version=version, by=by, name="Empty corner")


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
        "domain_create": lambda: services.domain_create(
            program=program, version=version, by=by, name="New"
        ),
        "domain_update": lambda: services.domain_update(
            program=program, domain=domain, by=by, data={"name": "Renamed"}
        ),
        "domain_delete": lambda: services.domain_delete(program=program, domain=domain, by=by),
        "domain_move": lambda: services.domain_move(
            program=program, domain=domain, by=by, direction="down"
        ),
        "question_create": lambda: services.question_create(
            program=program, domain=domain, by=by, text="New?", kind="yes_no"
        ),
        "question_update": lambda: services.question_update(
            program=program, question=question, by=by, data={"text": "Changed?"}
        ),
        "question_delete": lambda: services.question_delete(
            program=program, question=question, by=by
        ),
        "question_move": lambda: services.question_move(
            program=program, question=question, by=by, direction="up"
        ),
        "option_create": lambda: services.option_create(
            program=program, question=question, by=by, label="New"
        ),
        "option_update": lambda: services.option_update(
            program=program, option=option, by=by, data={"score": 9}
        ),
        "option_delete": lambda: services.option_delete(program=program, option=option, by=by),
        "option_move": lambda: services.option_move(
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
        services.question_update(
            program=world.program, question=question, by=world.admin, data={"text": "Reworded"}
        )
    services.domain_delete(
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
    services.question_update(
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


# The builder's rules -------------------------------------------------------------------------


def test_domains_and_questions_get_keys_from_their_names_unique_within_the_version(
    world, in_program
):
    _, version = build_draft(world.program, world.admin, domains=1, questions=0)
    twin = services.domain_create(
        program=world.program, version=version, by=world.admin, name="Domain 1"
    )
    first = services.question_create(
        program=world.program, domain=twin, by=world.admin, text="Roles are clear", kind="yes_no"
    )
    second = services.question_create(
        program=world.program, domain=twin, by=world.admin, text="Roles are clear", kind="yes_no"
    )

    assert twin.key == "domain-1-2"
    assert (first.key, second.key) == ("roles-are-clear", "roles-are-clear-2")


def _question_in(world):
    _, version = build_draft(world.program, world.admin, domains=1, questions=1)
    return Question.objects.get(version=version, kind="scale")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "text", "scored": True}, "scored"),
        ({"kind": "number", "scored": True}, "scored"),
        ({"weight": Decimal(0)}, "weight"),
        ({"weight": Decimal(-1)}, "weight"),
        ({"scale_min": 5, "scale_max": 5}, "scale_max"),
        ({"scale_min": 0, "scale_max": 20}, "scale_max"),
        ({"scale_labels": {"0": "Zero", "1": "One"}}, "scale_labels"),
        ({"kind": "number", "number_min": Decimal(10), "number_max": Decimal(1)}, "number_max"),
        ({"kind": "essay"}, "kind"),
        ({"text": "  "}, "text"),
    ],
)
def test_a_question_that_breaks_a_rule_is_refused_beside_its_field_and_unchanged(
    world, in_program, data, field
):
    question = _question_in(world)
    before = structure(question.version)

    with pytest.raises(ValidationError) as error:
        services.question_update(
            program=world.program, question=question, by=world.admin, data=data
        )

    assert field in error.value.message_dict, error.value.message_dict
    assert structure(question.version) == before


def test_question_keys_are_unique_within_a_version(world, in_program):
    question = _question_in(world)
    other = Question.objects.filter(version=question.version).exclude(pk=question.pk).first()

    with pytest.raises(ValidationError) as error:
        services.question_update(
            program=world.program, question=question, by=world.admin, data={"key": other.key}
        )
    assert "key" in error.value.message_dict


def test_text_and_number_questions_are_unscored_unless_asked(world, in_program):
    _, version = build_draft(world.program, world.admin, domains=1, questions=0)
    domain = Domain.objects.get(version=version)

    text = services.question_create(
        program=world.program, domain=domain, by=world.admin, text="Reflect", kind="text"
    )
    number = services.question_create(
        program=world.program, domain=domain, by=world.admin, text="How many?", kind="number"
    )

    assert not text.scored and not number.scored


def test_a_question_cannot_move_to_a_domain_of_another_version(world, in_program, published):
    _, version = published
    _, other_draft = build_draft(world.program, world.admin, name="Other")
    question = Question.objects.filter(version=other_draft).first()

    with pytest.raises(ValidationError) as error:
        services.question_update(
            program=world.program,
            question=question,
            by=world.admin,
            data={"domain": Domain.objects.filter(version=version).first()},
        )
    assert "domain" in error.value.message_dict


def test_changing_a_choice_question_to_a_scale_removes_its_options(world, in_program):
    _, version = build_draft(world.program, world.admin, domains=1, questions=0)
    choice = Question.objects.get(version=version, kind="single")

    services.question_update(
        program=world.program, question=choice, by=world.admin, data={"kind": "scale"}
    )

    assert not Option.objects.filter(question=choice).exists()


def test_options_belong_to_choice_questions_only(world, in_program):
    question = _question_in(world)
    with pytest.raises(ValidationError, match="Only single- and multiple-choice"):
        services.option_create(
            program=world.program, question=question, by=world.admin, label="Maybe"
        )


def test_option_values_are_unique_within_their_question(world, in_program):
    _, version = build_draft(world.program, world.admin, domains=1, questions=0)
    choice = Question.objects.get(version=version, kind="single")
    with pytest.raises(ValidationError) as error:
        services.option_create(
            program=world.program, question=choice, by=world.admin, label="Again", value="text"
        )
    assert "value" in error.value.message_dict


def test_domains_questions_and_options_move_up_and_down(world, in_program):
    _, version = build_draft(world.program, world.admin, domains=3, questions=3)
    domains = list(Domain.objects.filter(version=version).order_by("position"))

    services.domain_move(program=world.program, domain=domains[2], by=world.admin, direction="up")
    services.domain_move(program=world.program, domain=domains[0], by=world.admin, direction="up")

    order = list(Domain.objects.filter(version=version).order_by("position"))
    assert [d.name for d in order] == ["Domain 1", "Domain 3", "Domain 2"]

    questions = list(Question.objects.filter(domain=domains[1]).order_by("position"))
    services.question_move(
        program=world.program, question=questions[0], by=world.admin, direction="down"
    )
    reordered = list(Question.objects.filter(domain=domains[1]).order_by("position"))
    assert [q.pk for q in reordered] == [questions[1].pk, questions[0].pk, questions[2].pk]

    options = list(Option.objects.filter(question__version=version).order_by("position"))
    services.option_move(program=world.program, option=options[1], by=world.admin, direction="up")
    assert list(
        Option.objects.filter(question__version=version)
        .order_by("position")
        .values_list("label", flat=True)
    ) == ["Text", "Not"]


def test_objects_of_another_program_are_refused(world, other_world, in_program):
    with program_scope(other_world.program):
        _, theirs = build_draft(other_world.program, other_world.admin)

    with pytest.raises(ValidationError, match="belongs to another program"):
        services.domain_create(program=world.program, version=theirs, by=world.admin, name="X")
    with pytest.raises(ValidationError, match="belongs to another program"):
        services.version_publish(program=world.program, version=theirs, by=world.admin)


# The change library ---------------------------------------------------------------------------


@pytest.fixture
def library(world, in_program, published):
    instrument, version = published
    return instrument, Domain.objects.filter(version=version).order_by("position").first()


def test_a_change_idea_is_added_at_the_end_of_its_domain_with_its_actions_cleaned(world, library):
    instrument, domain = library
    kwargs = {"program": world.program, "instrument": instrument, "by": world.admin}
    first = services.change_idea_create(**kwargs, domain_key=domain.key, goal="Huddle daily")
    second = services.change_idea_create(
        **kwargs,
        domain_key=domain.key,
        goal="  Write roles down ",
        suggested_actions=["List tasks", "   ", "Agree the split "],
        kpi_key="roles-chart",
    )

    assert (first.position, second.position) == (0, 1)
    assert second.goal == "Write roles down"
    assert second.suggested_actions == ["List tasks", "Agree the split"]
    assert second.is_active


@pytest.mark.parametrize(
    "change, field",
    [
        ({"domain_key": "no-such-domain"}, "domain_key"),
        ({"goal": " "}, "goal"),
        ({"kpi_key": "Not A Key"}, "kpi_key"),
        ({"suggested_actions": [f"Step {n}" for n in range(11)]}, "suggested_actions"),
        ({"suggested_actions": [1, 2]}, "suggested_actions"),
    ],
)
def test_a_change_idea_that_breaks_a_rule_is_refused_and_unchanged(world, library, change, field):
    instrument, domain = library
    idea = services.change_idea_create(
        program=world.program,
        instrument=instrument,
        by=world.admin,
        domain_key=domain.key,
        goal="Huddle daily",
    )

    with pytest.raises(ValidationError) as error:
        services.change_idea_update(program=world.program, idea=idea, by=world.admin, data=change)

    assert field in error.value.message_dict
    fresh = ChangeIdea.objects.get(pk=idea.pk)
    assert (fresh.goal, fresh.domain_key, fresh.kpi_key) == ("Huddle daily", domain.key, "")


def test_a_change_idea_is_edited_deactivated_reactivated_and_deleted(world, library):
    instrument, domain = library
    idea = services.change_idea_create(
        program=world.program,
        instrument=instrument,
        by=world.admin,
        domain_key=domain.key,
        goal="Huddle daily",
    )

    services.change_idea_update(
        program=world.program,
        idea=idea,
        by=world.admin,
        data={"goal": "Huddle before every clinic", "suggested_measure": "4 of 5 days"},
    )
    services.change_idea_set_active(program=world.program, idea=idea, by=world.admin, active=False)
    assert not ChangeIdea.objects.get(pk=idea.pk).is_active
    services.change_idea_set_active(program=world.program, idea=idea, by=world.admin, active=True)
    fresh = ChangeIdea.objects.get(pk=idea.pk)
    assert (fresh.goal, fresh.suggested_measure, fresh.is_active) == (
        "Huddle before every clinic",
        "4 of 5 days",
        True,
    )

    services.change_idea_delete(program=world.program, idea=idea, by=world.admin)
    assert not ChangeIdea.objects.filter(pk=idea.pk).exists()


def test_a_change_idea_can_serve_a_domain_only_a_draft_has_so_far(world, library):
    instrument, domain = library
    draft = services.version_new_draft_from(
        program=world.program, version=domain.version, by=world.admin
    )
    services.domain_create(program=world.program, version=draft, by=world.admin, name="Safety")

    idea = services.change_idea_create(
        program=world.program,
        instrument=instrument,
        by=world.admin,
        domain_key="safety",
        goal="Plan for crises",
    )
    assert idea.domain_key == "safety"


def test_a_change_idea_for_another_programs_instrument_is_refused(world, other_world, in_program):
    with program_scope(other_world.program):
        theirs = services.instrument_create(
            program=other_world.program, by=other_world.admin, name="Theirs"
        )
    with pytest.raises(ValidationError, match="belongs to another program"):
        services.change_idea_create(
            program=world.program, instrument=theirs, by=world.admin, domain_key="x", goal="Y"
        )
