"""The fail-closed manager: tenant data cannot be read or written with no program in scope."""

import pytest

from practices.models import Practice
from psp.tenancy.scope import NoProgramInScope, no_program_scope, program_scope


@pytest.mark.django_db
def test_the_default_manager_raises_outside_a_program_scope(world):
    with no_program_scope(), pytest.raises(NoProgramInScope):
        list(Practice.objects.all())


@pytest.mark.django_db
def test_a_scope_sees_only_its_own_programs_practices(world, other_world):
    with program_scope(world.program):
        names = set(Practice.objects.values_list("name", flat=True))
    assert names == {world.practice.name, world.other_practice.name}


@pytest.mark.django_db
def test_a_row_cannot_be_saved_into_another_program(world, other_world):
    from django.core.exceptions import ValidationError

    with program_scope(world.program), pytest.raises(ValidationError):
        other_world.practice.name = "Hijacked"
        other_world.practice.save()
    with program_scope(other_world.program):
        assert Practice.objects.get(pk=other_world.practice.pk).name != "Hijacked"


@pytest.mark.django_db
def test_the_cross_program_manager_is_the_deliberate_way_around(world, other_world):
    with no_program_scope():
        assert Practice.all_programs.count() == 4
