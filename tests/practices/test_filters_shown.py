"""Filters that cannot narrow anything are not shown (psp/filters.py `unhelpful`): a practice's
lead or staff reach one practice, so the list pages show them no practice, sector or stage
filter; a manager, who reaches every practice, still gets them. A value in the query is still
taken, as a link may carry one."""

import pytest
from django.urls import reverse

LISTS = ["visits:list", "plans:list", "assessments:list", "actions:mine"]


def shown(response) -> list[str]:
    return [field.name for field in response.context["filters"].shown_fields()]


def page(world, name: str) -> str:
    return reverse(name, kwargs={"program": world.program.slug})


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("role", ["lead", "staff"])
def test_people_of_one_practice_get_no_practice_filter(client, world, role, name):
    client.force_login(world.user(role))

    response = client.get(page(world, name))

    assert response.status_code == 200
    assert "practice" not in shown(response)
    assert "All practices" not in response.content.decode()


@pytest.mark.parametrize("name", ["visits:list", "plans:list", "assessments:list"])
def test_a_manager_still_chooses_a_practice(client, world, name):
    client.force_login(world.manager)

    response = client.get(page(world, name))

    assert "practice" in shown(response)
    assert "All practices" in response.content.decode()


def test_a_coach_of_one_practice_gets_no_practice_filter(client, world):
    client.force_login(world.coach)  # assigned to world.practice only

    assert "practice" not in shown(client.get(page(world, "visits:list")))


def test_the_practice_list_shows_sector_and_stage_to_managers_only(client, world):
    client.force_login(world.lead)
    lead = client.get(page(world, "practices:list"))
    client.force_login(world.manager)
    manager = client.get(page(world, "practices:list"))

    assert not {"sector", "stage"} & set(shown(lead))
    assert "All sectors" not in lead.content.decode()
    assert {"sector", "stage"} <= set(shown(manager))
    assert "All sectors" in manager.content.decode()


def test_a_hidden_practice_filter_still_takes_its_value(client, world):
    client.force_login(world.lead)

    mine = client.get(page(world, "visits:list"), {"practice": world.practice.pk})
    other = client.get(page(world, "visits:list"), {"practice": world.other_practice.pk})

    assert mine.context["filters"].is_valid()
    kept = [field.name for field in mine.context["filters"].kept_fields()]
    assert kept == ["practice"]  # kept as a hidden input when another filter changes
    assert f'type="hidden" name="practice" value="{world.practice.pk}"' in mine.content.decode()
    assert not other.context["filters"].is_valid()  # out of reach: refused, not ignored
    assert f"No practice with id {world.other_practice.pk} in this program." in (
        other.content.decode()
    )
