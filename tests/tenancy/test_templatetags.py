"""The `can` filter and `can_on` tag answer from the matrix, as ProgramAccess.can() does."""

import pytest
from django.template import Context, Template

from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope


def _render(source: str, **context) -> str:
    return Template("{% load access %}" + source).render(Context(context)).strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", "yes"), ("manager", "no"), ("coach", "no"), ("lead", "no"), ("staff", "no")],
)
def test_the_filter_asks_the_matrix_for_the_persons_role(world, role, expected):
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.user(role))
        shown = _render(
            '{% if access|can:"instrument.manage" %}yes{% else %}no{% endif %}', access=access
        )
    assert shown == expected


@pytest.mark.django_db
def test_the_tag_answers_for_one_practice(world):
    source = (
        '{% can_on access "plan.edit" theirs as mine %}{% can_on access "plan.edit" other as not %}'
        "{{ mine }} {{ not }}"
    )
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.coach)
        shown = _render(
            source, access=access, theirs=world.practice.pk, other=world.other_practice.pk
        )
    assert shown == "True False"


def test_outside_a_program_nothing_is_allowed():
    assert (
        _render('{% if access|can:"practice.view" %}yes{% else %}no{% endif %}', access=None)
        == "no"
    )


def test_a_misspelt_capability_fails_loudly():
    with pytest.raises(ValueError, match="plans.view"):
        _render('{% if access|can:"plans.view" %}yes{% endif %}', access=object())
