"""The change library: adding, editing, retiring and deleting ideas, and the rules they follow."""

import pytest
from django.core.exceptions import ValidationError

from assessments.instruments import builder, change_ideas, services
from assessments.models import (
    ChangeIdea,
    Domain,
)
from psp.tenancy.scope import program_scope


@pytest.fixture
def library(world, in_program, published):
    instrument, version = published
    return instrument, Domain.objects.filter(version=version).order_by("position").first()


def test_a_change_idea_is_added_at_the_end_of_its_domain_with_its_actions_cleaned(world, library):
    instrument, domain = library
    kwargs = {"program": world.program, "instrument": instrument, "by": world.admin}
    first = change_ideas.change_idea_create(**kwargs, domain_key=domain.key, goal="Huddle daily")
    second = change_ideas.change_idea_create(
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
    idea = change_ideas.change_idea_create(
        program=world.program,
        instrument=instrument,
        by=world.admin,
        domain_key=domain.key,
        goal="Huddle daily",
    )

    with pytest.raises(ValidationError) as error:
        change_ideas.change_idea_update(
            program=world.program, idea=idea, by=world.admin, data=change
        )

    assert field in error.value.message_dict
    fresh = ChangeIdea.objects.get(pk=idea.pk)
    assert (fresh.goal, fresh.domain_key, fresh.kpi_key) == ("Huddle daily", domain.key, "")


def test_a_change_idea_is_edited_deactivated_reactivated_and_deleted(world, library):
    instrument, domain = library
    idea = change_ideas.change_idea_create(
        program=world.program,
        instrument=instrument,
        by=world.admin,
        domain_key=domain.key,
        goal="Huddle daily",
    )

    change_ideas.change_idea_update(
        program=world.program,
        idea=idea,
        by=world.admin,
        data={"goal": "Huddle before every clinic", "suggested_measure": "4 of 5 days"},
    )
    change_ideas.change_idea_set_active(
        program=world.program, idea=idea, by=world.admin, active=False
    )
    assert not ChangeIdea.objects.get(pk=idea.pk).is_active
    change_ideas.change_idea_set_active(
        program=world.program, idea=idea, by=world.admin, active=True
    )
    fresh = ChangeIdea.objects.get(pk=idea.pk)
    assert (fresh.goal, fresh.suggested_measure, fresh.is_active) == (
        "Huddle before every clinic",
        "4 of 5 days",
        True,
    )

    change_ideas.change_idea_delete(program=world.program, idea=idea, by=world.admin)
    assert not ChangeIdea.objects.filter(pk=idea.pk).exists()


def test_a_change_idea_can_serve_a_domain_only_a_draft_has_so_far(world, library):
    instrument, domain = library
    draft = services.version_new_draft_from(
        program=world.program, version=domain.version, by=world.admin
    )
    builder.domain_create(program=world.program, version=draft, by=world.admin, name="Safety")

    idea = change_ideas.change_idea_create(
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
        change_ideas.change_idea_create(
            program=world.program, instrument=theirs, by=world.admin, domain_key="x", goal="Y"
        )
