"""The completion page and GET …/cpd-completion/ share one FilterSet: the same parameters are
refused with the same message (the API with 400 naming it, the page beside the field, listing
nothing), and a good filter narrows both alike."""

import pytest
from rest_framework.test import APIClient

from psp.filters import ONCE_MESSAGE
from tests.cpd.progress.helpers import record, small_scheme, standings_computed, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(client, world):
    small_scheme(world)
    record(world, world.lead, days_ago=100, hours="10")
    record(world, world.staff, days_ago=200, hours="1")
    standings_computed(world)
    client.force_login(world.manager)
    api = APIClient()
    api.force_authenticate(world.manager)

    def both(query):
        page = client.get(url(world, "completion"), query)
        body = api.get(f"/api/v1/programs/{world.program.slug}/cpd-completion/", query)
        return page, body

    return both


def assert_refused_alike(page, api, name, message):
    assert api.status_code == 400
    assert api.json()["error"]["fields"] == {name: [message]}
    assert page.context["filter_form"].errors == {name: [message]}
    assert list(page.context["rows"]) == []
    assert message in page.content.decode()


def test_another_programs_practice_is_refused_alike(answers, other_world):
    their = other_world.practice.pk

    page, api = answers([("practice", their)])

    assert_refused_alike(page, api, "practice", f"No practice with id {their} in this program.")


def test_a_status_outside_the_choices_and_a_repeated_one_are_refused_alike(answers):
    page, api = answers([("status", "late")])
    assert_refused_alike(
        page, api, "status", "Select a valid choice. late is not one of the available choices."
    )

    page, api = answers([("status", "met"), ("status", "behind")])
    assert_refused_alike(page, api, "status", ONCE_MESSAGE)


@pytest.mark.parametrize(("name", "value"), [("status", "met"), ("sector", "primary_care")])
def test_a_good_filter_narrows_the_page_and_the_api_alike(answers, world, name, value):
    page, api = answers([(name, value)])

    on_page = [row.person.pk for row in page.context["rows"]]
    assert on_page == [row["person"]["id"] for row in api.json()["results"]]
    expected = [world.lead.pk] if name == "status" else [world.staff.pk, world.lead.pk]
    assert on_page == expected


def test_another_programs_scheme_is_refused_alike(answers, other_world):
    theirs = small_scheme(other_world).pk

    page, api = answers([("scheme", theirs)])

    assert_refused_alike(page, api, "scheme", f"No scheme with id {theirs} in this program.")
