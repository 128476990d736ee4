"""The builder's rules: keys, per-kind question rules, options of choice questions, moving rows,
and objects of another program refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.instruments import builder, services
from assessments.models import (
    Domain,
    Option,
    Question,
)
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import build_draft, structure


def test_domains_and_questions_get_keys_from_their_names_unique_within_the_version(
    world, in_program
):
    _, version = build_draft(world.program, world.admin, domains=1, questions=0)
    twin = builder.domain_create(
        program=world.program, version=version, by=world.admin, name="Domain 1"
    )
    first = builder.question_create(
        program=world.program, domain=twin, by=world.admin, text="Roles are clear", kind="yes_no"
    )
    second = builder.question_create(
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
        builder.question_update(program=world.program, question=question, by=world.admin, data=data)

    assert field in error.value.message_dict, error.value.message_dict
    assert structure(question.version) == before


def test_question_keys_are_unique_within_a_version(world, in_program):
    question = _question_in(world)
    other = Question.objects.filter(version=question.version).exclude(pk=question.pk).first()

    with pytest.raises(ValidationError) as error:
        builder.question_update(
            program=world.program, question=question, by=world.admin, data={"key": other.key}
        )
    assert "key" in error.value.message_dict


def test_text_and_number_questions_are_unscored_unless_asked(world, in_program):
    _, version = build_draft(world.program, world.admin, domains=1, questions=0)
    domain = Domain.objects.get(version=version)

    text = builder.question_create(
        program=world.program, domain=domain, by=world.admin, text="Reflect", kind="text"
    )
    number = builder.question_create(
        program=world.program, domain=domain, by=world.admin, text="How many?", kind="number"
    )

    assert not text.scored and not number.scored


def test_a_question_cannot_move_to_a_domain_of_another_version(world, in_program, published):
    _, version = published
    _, other_draft = build_draft(world.program, world.admin, name="Other")
    question = Question.objects.filter(version=other_draft).first()

    with pytest.raises(ValidationError) as error:
        builder.question_update(
            program=world.program,
            question=question,
            by=world.admin,
            data={"domain": Domain.objects.filter(version=version).first()},
        )
    assert "domain" in error.value.message_dict


def test_changing_a_choice_question_to_a_scale_removes_its_options(world, in_program):
    _, version = build_draft(world.program, world.admin, domains=1, questions=0)
    choice = Question.objects.get(version=version, kind="single")

    builder.question_update(
        program=world.program, question=choice, by=world.admin, data={"kind": "scale"}
    )

    assert not Option.objects.filter(question=choice).exists()


def test_options_belong_to_choice_questions_only(world, in_program):
    question = _question_in(world)
    with pytest.raises(ValidationError, match="Only single- and multiple-choice"):
        builder.option_create(
            program=world.program, question=question, by=world.admin, label="Maybe"
        )


def test_option_values_are_unique_within_their_question(world, in_program):
    _, version = build_draft(world.program, world.admin, domains=1, questions=0)
    choice = Question.objects.get(version=version, kind="single")
    with pytest.raises(ValidationError) as error:
        builder.option_create(
            program=world.program, question=choice, by=world.admin, label="Again", value="text"
        )
    assert "value" in error.value.message_dict


def test_domains_questions_and_options_move_up_and_down(world, in_program):
    _, version = build_draft(world.program, world.admin, domains=3, questions=3)
    domains = list(Domain.objects.filter(version=version).order_by("position"))

    builder.domain_move(program=world.program, domain=domains[2], by=world.admin, direction="up")
    builder.domain_move(program=world.program, domain=domains[0], by=world.admin, direction="up")

    order = list(Domain.objects.filter(version=version).order_by("position"))
    assert [d.name for d in order] == ["Domain 1", "Domain 3", "Domain 2"]

    questions = list(Question.objects.filter(domain=domains[1]).order_by("position"))
    builder.question_move(
        program=world.program, question=questions[0], by=world.admin, direction="down"
    )
    reordered = list(Question.objects.filter(domain=domains[1]).order_by("position"))
    assert [q.pk for q in reordered] == [questions[1].pk, questions[0].pk, questions[2].pk]

    options = list(Option.objects.filter(question__version=version).order_by("position"))
    builder.option_move(program=world.program, option=options[1], by=world.admin, direction="up")
    assert list(
        Option.objects.filter(question__version=version)
        .order_by("position")
        .values_list("label", flat=True)
    ) == ["Text", "Not"]


def test_objects_of_another_program_are_refused(world, other_world, in_program):
    with program_scope(other_world.program):
        _, theirs = build_draft(other_world.program, other_world.admin)

    with pytest.raises(ValidationError, match="belongs to another program"):
        builder.domain_create(program=world.program, version=theirs, by=world.admin, name="X")
    with pytest.raises(ValidationError, match="belongs to another program"):
        services.version_publish(program=world.program, version=theirs, by=world.admin)
