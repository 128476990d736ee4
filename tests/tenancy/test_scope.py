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


@pytest.mark.django_db
def test_anonymous_visitors_cannot_tell_which_program_slugs_exist(client, api_client, world):
    real, made_up = f"/p/{world.program.slug}/", "/p/no-such-program/"
    assert client.get(real).status_code == client.get(made_up).status_code == 302

    real_api = f"/api/v1/programs/{world.program.slug}/practices/"
    made_up_api = "/api/v1/programs/no-such-program/practices/"
    assert api_client.get(real_api).status_code == api_client.get(made_up_api).status_code == 401


@pytest.mark.django_db
def test_the_not_found_page_does_not_name_a_program_the_person_is_not_in(
    client, world, other_world
):
    client.force_login(world.coach)

    response = client.get(f"/p/{other_world.program.slug}/")

    assert response.status_code == 404
    assert other_world.program.name.encode() not in response.content


@pytest.mark.django_db
def test_links_take_the_program_from_the_scope_not_from_each_row(
    world, other_world, django_assert_num_queries
):
    with program_scope(world.program):
        rows = list(Practice.objects.order_by("pk"))
        with django_assert_num_queries(0):
            links = [row.get_absolute_url() for row in rows]
    assert all(link.startswith(f"/p/{world.program.slug}/") for link in links)


@pytest.mark.django_db
def test_a_row_outside_the_scope_links_to_its_own_program(world, other_world):
    # The Django admin lists rows of every program; a task may enter a scope by id alone.
    with no_program_scope():
        theirs = Practice.all_programs.get(pk=other_world.practice.pk)
    with program_scope(world.program):
        assert theirs.get_absolute_url().startswith(f"/p/{other_world.program.slug}/")
    with program_scope(other_world.program.pk):
        assert theirs.get_absolute_url().startswith(f"/p/{other_world.program.slug}/")
