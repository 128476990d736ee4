"""A program's settings, changed by its admins on the settings page and through the API: name,
description, time zone, daily digest hour, date format, report retention, the smallest peer
group KPI comparisons show."""

import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from psp.tenancy.models import Program
from tests.permissions.cells import new_token

pytestmark = pytest.mark.django_db

FORM = {
    "name": "North PSP",
    "description": "Practice support for the northern region",
    "time_zone": "America/Toronto",
    "digest_hour": "6",
    "date_style": "mdy",
    "report_retention_days": "30",
    "peer_group_minimum": "8",
}


def _url(world) -> str:
    return reverse("program_settings:edit", kwargs={"program": world.program.slug})


def _program(world) -> Program:
    return Program.objects.get(pk=world.program.pk)


def test_the_page_shows_the_settings_with_the_hour_as_a_time_and_the_zones_to_choose(client, world):
    client.force_login(world.admin)

    html = client.get(_url(world)).content.decode()

    assert '<option value="7" selected>07:00</option>' in html
    assert '<option value="America/Toronto">' in html  # the datalist of IANA names
    assert 'list="time_zone_zones"' in html
    assert "Reminders say “tomorrow”" in html


def test_an_admin_saves_the_settings_and_the_change_is_logged(client, world, caplog):
    client.force_login(world.admin)

    with caplog.at_level(logging.INFO, logger="psp.security"):
        response = client.post(_url(world), FORM)

    assert response.status_code == 302
    program = _program(world)
    assert program.time_zone == "America/Toronto"
    assert (program.digest_hour, program.date_style) == (6, "mdy")
    assert program.report_retention_days == 30
    assert program.peer_group_minimum == 8
    assert program.description == "Practice support for the northern region"
    line = next(r.getMessage() for r in caplog.records if "Program settings" in r.getMessage())
    assert f"program {world.program.pk} changed by user {world.admin.pk}" in line
    assert "time_zone 'UTC' → 'America/Toronto'" in line
    assert "digest_hour 7 → 6" in line
    assert "'North PSP'" not in line  # the name did not change, so it is not in the line
    page = client.get(response["Location"])
    assert "The program&#x27;s settings are saved." in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus_Mons", "is not a time zone name such as America/Toronto"),
        ("time_zone", "", "This field is required."),
        ("report_retention_days", "0", "greater than or equal to 1"),
        ("digest_hour", "24", "Select a valid choice."),
        ("name", "  ", "This field is required."),
        ("peer_group_minimum", "2", "greater than or equal to 3"),
    ],
)
def test_a_refused_value_is_explained_beside_its_field_and_nothing_changes(
    client, world, field, value, message
):
    client.force_login(world.admin)
    before = _program(world)

    page = client.post(_url(world), FORM | {field: value})

    assert page.status_code == 200
    assert message in str(page.context["form"].errors[field])
    html = page.content.decode()
    assert f'id="id_{field}_error"' in html or "form-field--invalid" in html
    after = _program(world)
    assert (after.time_zone, after.report_retention_days, after.name) == (
        before.time_zone,
        before.report_retention_days,
        before.name,
    )


def test_a_new_time_zone_moves_the_programs_today(client, world):
    client.force_login(world.admin)

    client.post(_url(world), FORM | {"time_zone": "Pacific/Kiritimati"})

    program = _program(world)
    assert str(program.zone) == "Pacific/Kiritimati"
    assert program.local_now().utcoffset().total_seconds() == 14 * 3600


def _api(world, user=None) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, user or world.admin).key}")
    return client


def _api_url(world) -> str:
    return reverse("program-settings-list", kwargs={"program": world.program.slug})


def test_the_api_reads_the_settings(world):
    body = _api(world).get(_api_url(world)).json()

    assert body == {
        "slug": world.program.slug,
        "name": world.program.name,
        "description": world.program.description,
        "time_zone": "UTC",
        "digest_hour": 7,
        "date_style": world.program.date_style,
        "report_retention_days": 90,
        "peer_group_minimum": 5,
    }


def test_the_api_changes_some_settings_and_keeps_the_others(world):
    response = _api(world).patch(
        _api_url(world), {"time_zone": "Europe/Lisbon", "digest_hour": 18}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["time_zone"], response.json()["digest_hour"]) == ("Europe/Lisbon", 18)
    program = _program(world)
    assert (program.time_zone, program.digest_hour, program.name) == (
        "Europe/Lisbon",
        18,
        world.program.name,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"digest_hour": 24}, "digest_hour"),
        ({"report_retention_days": 0}, "report_retention_days"),
        ({"peer_group_minimum": 101}, "peer_group_minimum"),
    ],
)
def test_the_api_refuses_a_bad_value_by_field_and_changes_nothing(world, body, field):
    response = _api(world).patch(_api_url(world), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    program = _program(world)
    assert (program.time_zone, program.digest_hour, program.report_retention_days) == (
        "UTC",
        7,
        90,
    )


def test_the_slug_is_not_changed_through_the_api(world):
    _api(world).patch(_api_url(world), {"slug": "hijacked"}, format="json")

    assert _program(world).slug == world.program.slug
