"""A page filter that chooses a practice is a <select> up to PSP_PRACTICE_CHOICE_LIMIT practices in
reach and a search box above it (psp.widgets.ObjectChoice): a plain text search on the name
without JavaScript, a combobox offering the matches (practices:options) with it."""

import re

import pytest
from django.urls import reverse

from tests.factories import CoachAssignmentFactory, PracticeFactory, VisitFactory

PAGES_WITH_A_PRACTICE_FILTER = ("visits:list", "plans:list", "assessments:list", "caseload:dose")
PRACTICE_SELECT = re.compile(r'<select[^>]* name="practice"')


def page(world, name="visits:list") -> str:
    return reverse(name, kwargs={"program": world.program.slug})


def options(client, world, **query) -> list[str]:
    url = reverse("practices:options", kwargs={"program": world.program.slug})
    response = client.get(url, query)
    assert response.status_code == 200
    return re.findall(r'<li role="option"[^>]*>([^<]*)</li>', response.content.decode())


@pytest.fixture
def visits(world):
    return {
        practice.pk: VisitFactory(program=world.program, practice=practice, coach=world.coach)
        for practice in (world.practice, world.other_practice)
    }


def listed(response) -> set[int]:
    return {visit.practice_id for visit in response.context["visits"]}


# The choice on the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES_WITH_A_PRACTICE_FILTER)
def test_below_the_limit_a_practice_filter_is_a_select_of_every_practice(client, world, name):
    client.force_login(world.admin)

    html = client.get(page(world, name)).content.decode()

    assert PRACTICE_SELECT.search(html)
    assert f'<option value="{world.other_practice.pk}">{world.other_practice.name}' in html
    assert 'role="combobox"' not in html


@pytest.mark.parametrize("name", PAGES_WITH_A_PRACTICE_FILTER)
def test_above_the_limit_it_is_a_search_box_offering_no_options(client, world, settings, name):
    settings.PSP_PRACTICE_CHOICE_LIMIT = 1  # two practices in reach: over it
    client.force_login(world.admin)

    html = client.get(page(world, name)).content.decode()

    assert not PRACTICE_SELECT.search(html)
    assert f'<option value="{world.practice.pk}"' not in html
    assert '<label for="id_practice">Practice</label>' in html
    box = re.search(r'<input type="search" id="id_practice"[^>]*>', html, re.S)[0]
    for attribute in (
        'name="practice_name"',
        'role="combobox"',
        'aria-autocomplete="list"',
        'aria-expanded="false"',
        'aria-controls="id_practice_options"',
        'aria-describedby="id_practice_hint',
    ):
        assert attribute in box, attribute
    assert 'id="id_practice_options" role="listbox"' in html
    assert f'data-options-url="/p/{world.program.slug}/practices/options/"' in html
    assert html.count('name="practice_name"') == 1  # not also kept as a hidden input


def test_a_coach_below_the_limit_keeps_the_select(client, world, settings):
    """The limit counts the practices in the person's reach: two for this coach (with one, no
    practice filter is shown at all: tests/practices/test_filters_shown.py)."""
    second = PracticeFactory(program=world.program, name="Second Street Clinic")
    CoachAssignmentFactory(program=world.program, practice=second, coach=world.coach)
    settings.PSP_PRACTICE_CHOICE_LIMIT = 2
    client.force_login(world.coach)

    html = client.get(page(world)).content.decode()

    assert PRACTICE_SELECT.search(html)
    assert world.other_practice.name not in html


def test_without_javascript_the_search_box_searches_the_practices_by_name(
    client, world, settings, visits
):
    settings.PSP_PRACTICE_CHOICE_LIMIT = 1
    client.force_login(world.admin)

    response = client.get(page(world), {"practice_name": "lakeside"})

    assert listed(response) == {world.other_practice.pk}
    assert 'name="practice_name" value="lakeside"' in response.content.decode()


def test_a_chosen_practice_is_shown_by_name_in_the_search_box(client, world, settings, visits):
    settings.PSP_PRACTICE_CHOICE_LIMIT = 1
    client.force_login(world.admin)

    response = client.get(page(world), {"practice": world.practice.pk})

    html = response.content.decode()
    assert listed(response) == {world.practice.pk}
    assert f'value="{world.practice.name}"' in html
    assert f'<input type="hidden" name="practice" value="{world.practice.pk}"' in html


def test_a_new_name_typed_without_javascript_replaces_the_chosen_practice(
    client, world, settings, visits
):
    settings.PSP_PRACTICE_CHOICE_LIMIT = 1
    client.force_login(world.admin)

    response = client.get(page(world), {"practice": world.practice.pk, "practice_name": "lake"})

    assert listed(response) == {world.other_practice.pk}


# The options offered as one types ------------------------------------------------------------


def test_the_options_are_the_matching_practices_of_the_program_only(client, world, other_world):
    client.force_login(world.admin)

    offered = options(client, world, practice_name="health centre")

    assert offered == [world.practice.name]
    assert other_world.practice.name.endswith("Health Centre")  # matches, yet never offered


def test_a_coach_is_offered_the_practices_of_their_caseload_only(client, world):
    client.force_login(world.coach)

    assert options(client, world, practice_name="psp") == [world.practice.name]


def test_the_options_follow_the_capability_of_the_filter(client, world):
    client.force_login(world.lead)

    for capability in ("visit.view", "plan.view", "no.such.capability"):
        offered = options(client, world, practice_name="psp", capability=capability)
        assert offered == [world.practice.name], capability


def test_at_most_twenty_options_are_offered_by_name(client, world):
    for i in range(25):
        PracticeFactory(program=world.program, name=f"Birch Clinic {24 - i:02}")
    client.force_login(world.admin)

    offered = options(client, world, practice_name="birch")

    assert offered == [f"Birch Clinic {i:02}" for i in range(20)]


def test_no_text_offers_nothing(client, world):
    client.force_login(world.admin)

    assert options(client, world) == []
    assert options(client, world, practice_name="   ") == []


def test_another_programs_options_are_not_found(client, world, other_world):
    client.force_login(world.admin)

    response = client.get(
        reverse("practices:options", kwargs={"program": other_world.program.slug}),
        {"practice_name": "health"},
    )

    assert response.status_code == 404
    assert other_world.practice.name not in response.content.decode()
