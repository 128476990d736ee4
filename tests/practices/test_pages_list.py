"""The practice list page: who sees which practices, filters, search and pagination."""

import pytest
from django.urls import reverse

from practices.models import Stage
from psp.tenancy.models import Sector
from tests.factories import CoachAssignmentFactory, PracticeFactory


def list_url(world, **params):
    url = reverse("practices:list", kwargs={"program": world.program.slug})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def names(response) -> set[str]:
    return {practice.name for practice in response.context["practices"]}


@pytest.fixture
def varied(world):
    """Three more practices in program A, differing in sector, stage, region and coach."""
    law = PracticeFactory(
        program=world.program,
        name="Harbour Legal Aid",
        sector=Sector.LAW,
        stage=Stage.PILOT,
        region="Harbour",
    )
    school = PracticeFactory(
        program=world.program,
        name="Hillcrest Middle School",
        sector=Sector.EDUCATION,
        stage=Stage.PILOT,
        region="Uplands",
    )
    counselling = PracticeFactory(
        program=world.program,
        name="Uplands Counselling",
        sector=Sector.MENTAL_HEALTH,
        stage=Stage.MONITORING,
        region="Uplands",
    )
    CoachAssignmentFactory(program=world.program, practice=law, coach=world.other_coach)
    return {"law": law, "school": school, "counselling": counselling}


def test_an_admin_sees_every_practice_of_the_program_and_none_of_another(
    client, world, other_world, varied
):
    client.force_login(world.admin)

    response = client.get(list_url(world))

    assert response.status_code == 200
    assert names(response) == {
        world.practice.name,
        world.other_practice.name,
        *(p.name for p in varied.values()),
    }
    assert other_world.practice.name not in response.content.decode()


def test_the_list_shows_each_practices_coaches(client, world):
    client.force_login(world.manager)

    response = client.get(list_url(world))

    assert world.coach.full_name in response.content.decode()
    assert world.other_coach.full_name in response.content.decode()


def test_the_list_filters_by_stage(client, world, varied):
    client.force_login(world.admin)

    response = client.get(list_url(world, stage=Stage.PILOT))

    assert names(response) == {"Harbour Legal Aid", "Hillcrest Middle School"}


def test_the_list_filters_by_sector(client, world, varied):
    client.force_login(world.admin)

    response = client.get(list_url(world, sector=Sector.EDUCATION))

    assert names(response) == {"Hillcrest Middle School"}


def test_the_list_filters_by_coach(client, world, varied):
    client.force_login(world.admin)

    response = client.get(list_url(world, coach=world.other_coach.pk))

    assert names(response) == {world.other_practice.name, "Harbour Legal Aid"}


def test_the_list_searches_names_and_regions(client, world, varied):
    client.force_login(world.admin)

    by_region = client.get(list_url(world, q="uplands"))
    by_name = client.get(list_url(world, q="legal"))

    assert names(by_region) == {"Hillcrest Middle School", "Uplands Counselling"}
    assert names(by_name) == {"Harbour Legal Aid"}


def test_filters_combine(client, world, varied):
    client.force_login(world.admin)

    response = client.get(list_url(world, stage=Stage.PILOT, q="uplands"))

    assert names(response) == {"Hillcrest Middle School"}


def test_an_unknown_stage_is_reported_beside_the_filter_and_nothing_is_listed(
    client, world, varied
):
    """As the API refuses it (400), rather than listing rows that do not match what was asked."""
    client.force_login(world.admin)

    response = client.get(list_url(world, stage="retired", sector=Sector.LAW))

    assert response.status_code == 200
    assert "stage" in response.context["filter_form"].errors
    html = response.content.decode()
    assert 'id="id_stage_error"' in html
    assert "Nothing is listed until this filter is fixed" in html
    assert names(response) == set()


def test_the_filter_form_has_a_label_for_every_select(client, world):
    client.force_login(world.admin)

    html = client.get(list_url(world)).content.decode()

    for field in ("search", "sector", "stage", "coach"):
        assert f'<label for="id_{field}">' in html


def test_the_list_is_paginated_by_25(client, world):
    for i in range(28):
        PracticeFactory(program=world.program, name=f"Zeta Clinic {i:02}")
    client.force_login(world.admin)

    first = client.get(list_url(world))
    second = client.get(list_url(world, page=2))

    assert len(first.context["practices"]) == 25
    assert len(second.context["practices"]) == 5
    assert first.context["paginator"].count == 30
    assert names(first).isdisjoint(names(second))
    assert "page=2" in first.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, world):
    client.force_login(world.admin)

    response = client.get(list_url(world, page=99))

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_pagination_links_keep_the_filters(client, world):
    for i in range(27):
        PracticeFactory(program=world.program, name=f"Pilot Clinic {i:02}", stage=Stage.PILOT)
    client.force_login(world.admin)

    html = client.get(list_url(world, stage=Stage.PILOT)).content.decode()

    assert "?stage=pilot&amp;page=2" in html


def test_a_coach_sees_only_their_caseload(client, world, varied):
    client.force_login(world.coach)

    response = client.get(list_url(world))

    assert names(response) == {world.practice.name}
    assert 'name="coach"' not in response.content.decode()  # the coach filter is not offered
    assert response.context["title"] == "My caseload"


def test_a_coach_cannot_widen_their_list_with_another_coachs_filter(client, world, varied):
    client.force_login(world.coach)

    response = client.get(list_url(world, coach=world.other_coach.pk))

    # The filter narrows the coach's own caseload: none of it is the other coach's.
    assert names(response) == set()


def test_practice_staff_see_only_their_own_practice(client, world, varied):
    client.force_login(world.staff)

    response = client.get(list_url(world))

    assert names(response) == {world.practice.name}
    assert response.context["title"] == "My practice"


def test_only_admins_are_offered_the_add_button(client, world):
    add_url = reverse("practices:create", kwargs={"program": world.program.slug})
    client.force_login(world.admin)
    assert add_url in client.get(list_url(world)).content.decode()
    client.force_login(world.manager)
    assert add_url not in client.get(list_url(world)).content.decode()


def test_an_htmx_request_gets_only_the_results(client, world, varied):
    client.force_login(world.admin)

    response = client.get(list_url(world, sector=Sector.LAW), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert '<section id="practice-results"' in html
    assert "<html" not in html
    assert "Harbour Legal Aid" in html
    assert "HX-Request" in response["Vary"]


def test_the_full_page_includes_the_filters_and_the_layout(client, world):
    client.force_login(world.admin)

    html = client.get(list_url(world)).content.decode()

    assert "<html" in html
    assert 'role="search"' in html
    assert '<section id="practice-results"' in html


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
def test_people_outside_the_program_get_404(client, world, other_world, outsider, who):
    client.force_login(outsider if who == "outsider" else other_world.admin)

    assert client.get(list_url(world)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(list_url(world))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
