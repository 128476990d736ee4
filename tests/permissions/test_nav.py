"""The program navigation offers each person the areas their role reaches, and no others."""

import re

import pytest
from django.urls import reverse

from cpd.models import CpdVerifier
from psp.tenancy.scope import program_scope

AREAS = {
    "Practices": "practices:list",
    "Caseload": "caseload:mine",
    "Caseloads": "caseload:overview",
    "Visits": "visits:list",
    "Assessments": "assessments:list",
    "Plans": "plans:list",
    "Actions": "actions:mine",
    "Feedback": "feedback:results",
    "Instruments": "instruments:list",
    "People": "people:list",
    "Settings": "program_settings:edit",
    "Background tasks": "tasks:list",
    "Reports": "reports:list",
    "KPIs": "kpis:definitions",
    "CPD schemes": "cpd_schemes:list",
    "Dashboard": "kpis:dashboard",
    "CPD": "cpd:mine",
    "Verify CPD": "cpd:queue",
    "CPD completion": "cpd:completion",
    "Compliance": "compliance_followup:overview",
}
EVERYONE = {"Visits", "Assessments", "Plans", "Actions", "CPD", "Compliance"}
MORE = {
    "Practices",
    "Caseloads",
    "Dashboard",
    "Feedback",
    "Instruments",
    "People",
    "Reports",
    "CPD completion",
}


def _nav(page) -> str:
    html = page.content.decode()
    return html.split('<nav id="site-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (
            "admin",
            EVERYONE | MORE | {"Settings", "Background tasks", "KPIs", "CPD schemes", "Verify CPD"},
        ),
        ("manager", EVERYONE | MORE),
        ("coach", EVERYONE | {"Caseload", "Feedback", "Reports"}),
        ("lead", EVERYONE | {"Practices", "Reports"}),
        ("staff", EVERYONE | {"Practices"}),
    ],
)
def test_the_navigation_links_the_areas_the_role_reaches(client, world, role, shown):
    client.force_login(world.user(role))
    page = client.get(reverse("program_home", kwargs={"program": world.program.slug}))
    assert page.status_code == 200
    nav = _nav(page)
    linked = {
        area
        for area, name in AREAS.items()
        if f'href="{reverse(name, kwargs={"program": world.program.slug})}"' in nav
    }
    assert linked == shown


@pytest.mark.django_db
def test_the_current_area_is_marked_for_screen_readers(client, world):
    client.force_login(world.coach)
    page = client.get(reverse("plans:list", kwargs={"program": world.program.slug}))
    current = re.findall(
        r'<a href="[^"]*"\s+aria-current="page">([^<]+)</a>', page.content.decode()
    )
    assert current == ["Plans"]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "linked"), [("lead", True), ("staff", False)])
def test_a_lead_reaches_their_practices_people_from_the_navigation(client, world, role, linked):
    client.force_login(world.user(role))
    people = reverse(
        "practices:people", kwargs={"program": world.program.slug, "pk": world.practice.pk}
    )

    home = _nav(client.get(reverse("program_home", kwargs={"program": world.program.slug})))
    on_people = client.get(people) if linked else None

    assert (f'href="{people}"' in home) is linked
    if linked:
        current = re.findall(r'<a href="[^"]*"\s+aria-current="page">([^<]+)</a>', _nav(on_people))
        assert current == ["People"]


@pytest.mark.django_db
def test_a_named_cpd_verifier_finds_verify_cpd_on_the_cpd_pages(client, world):
    with program_scope(world.program):
        CpdVerifier.objects.create(program=world.program, user=world.coach)
    client.force_login(world.coach)
    queue = reverse("cpd:queue", kwargs={"program": world.program.slug})

    page = client.get(reverse("cpd:mine", kwargs={"program": world.program.slug}))

    assert f'href="{queue}"' in _nav(page)
    assert client.get(queue).status_code == 200
