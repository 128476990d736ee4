"""Query counts do not grow with the number of questions, domains or respondents.

Each test measures a page (or endpoint) for a round of a small instrument (2 domains × 2
questions, two respondents) and of a large one (6 domains × 8 questions, four respondents, more
earlier rounds to compare with), and asserts the same number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.helpers import (
    build_instrument,
    fill_in,
    open_round,
    questions_by_key,
    sized_spec,
    submit_round,
)
from tests.factories import PracticeMembershipFactory, UserFactory

SMALL = {"domains": 2, "questions": 2, "respondents": 2, "earlier": 1}
LARGE = {"domains": 6, "questions": 8, "respondents": 4, "earlier": 3}


def people(world, count: int) -> list:
    found = [world.staff, world.lead, world.coach][:count]
    for i in range(count - len(found)):
        person = UserFactory(email=f"extra-staff-{i}@example.org")
        PracticeMembershipFactory(program=world.program, practice=world.practice, user=person)
        found.append(person)
    return found


def a_round(world, size: dict, *, key: str, submitted: bool):
    """A round of its own instrument, answered by `respondents` people (all of them agree, so
    it can be submitted), after `earlier` submitted rounds of the same instrument."""
    version = build_instrument(
        world.program, sized_spec(size["domains"], size["questions"]), key=key, name=key.title()
    )
    respondents = people(world, size["respondents"])
    for i in range(size["earlier"] + 1):
        assessment = open_round(world, version)
        for person in respondents:
            fill_in(world, assessment, person)
        if submitted or i < size["earlier"]:
            submit_round(world, assessment)
    return assessment


def count(client, path, **extra) -> int:
    client.get(path, **extra)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
        assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def page(world, name, assessment, query=""):
    path = reverse(
        f"assessments:{name}", kwargs={"program": world.program.slug, "pk": assessment.pk}
    )
    return path + query


def pair(world, *, submitted: bool):
    return (
        a_round(world, SMALL, key="small", submitted=submitted),
        a_round(world, LARGE, key="large", submitted=submitted),
    )


def test_the_answer_page_costs_the_same_for_a_small_and_a_large_instrument(client, world):
    # Fresh rounds nobody has submitted a response to yet, half answered by the staff member.
    small = open_round(world, build_instrument(world.program, sized_spec(2, 2), key="s"))
    large = open_round(world, build_instrument(world.program, sized_spec(6, 8), key="l"))
    for assessment in (small, large):
        fill_in(world, assessment, world.staff, submit=False)
    client.force_login(world.staff)
    assert count(client, page(world, "answer", small, "?step=2")) == count(
        client, page(world, "answer", large, "?step=2")
    )


def test_an_autosave_costs_the_same_for_a_small_and_a_large_instrument(client, world):
    small = open_round(world, build_instrument(world.program, sized_spec(2, 2), key="s"))
    large = open_round(world, build_instrument(world.program, sized_spec(6, 8), key="l"))
    counts = []
    client.force_login(world.staff)
    for assessment in (small, large):
        fill_in(world, assessment, world.staff, submit=False)
        question = questions_by_key(assessment.version)["d1-q0"]
        path = page(world, "answer_save", assessment, f"?question={question.pk}")
        client.post(path, {f"q-{question.pk}": "2"}, headers={"HX-Request": "true"})
        with CaptureQueriesContext(connection) as captured:
            client.post(path, {f"q-{question.pk}": "3"}, headers={"HX-Request": "true"})
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["results", "detail", "consensus"])
def test_the_pages_of_a_submitted_round_cost_the_same_for_a_small_and_a_large_instrument(
    client, world, name
):
    small, large = pair(world, submitted=True)
    client.force_login(world.manager)
    assert count(client, page(world, name, small)) == count(client, page(world, name, large))


@pytest.mark.parametrize("name", ["consensus", "detail", "my_answers"])
def test_the_pages_of_an_open_round_cost_the_same_for_a_small_and_a_large_instrument(
    client, world, name
):
    small, large = pair(world, submitted=False)
    client.force_login(world.lead)  # a respondent who facilitates: every control is on the page
    assert count(client, page(world, name, small)) == count(client, page(world, name, large))


def test_the_list_costs_the_same_for_few_and_many_rounds(client, world):
    few = a_round(world, SMALL, key="few", submitted=True)
    client.force_login(world.manager)
    path = reverse("assessments:list", kwargs={"program": world.program.slug})
    before = count(client, path)
    a_round(world, LARGE, key="many", submitted=True)
    assert few and count(client, path) == before


@pytest.mark.parametrize("action", ["", "consensus/", "comparison/", "answers/"])
def test_the_api_costs_the_same_for_a_small_and_a_large_instrument(api_client, world, action):
    small, large = pair(world, submitted=False)
    api_client.force_authenticate(world.lead)
    base = f"/api/v1/programs/{world.program.slug}/assessments/"
    assert count(api_client, f"{base}{small.pk}/{action}") == count(
        api_client, f"{base}{large.pk}/{action}"
    )
