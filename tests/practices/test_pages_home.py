"""The program home page, by role, and the program switcher."""

import pytest
from django.urls import reverse

from practices import services
from practices.models import Stage
from psp.tenancy.models import ProgramRole, Sector
from psp.tenancy.scope import program_scope
from tests.factories import MembershipFactory, PracticeFactory, UserFactory


def home_url(world):
    return reverse("program_home", kwargs={"program": world.program.slug})


@pytest.fixture
def funnel(world):
    """Program A with practices spread over the stages and sectors, and two recent moves."""
    for i in range(3):
        PracticeFactory(program=world.program, name=f"Pilot Site {i}", stage=Stage.PILOT)
    PracticeFactory(
        program=world.program, name="Legal Clinic", sector=Sector.LAW, stage=Stage.SUSTAINABILITY
    )
    with program_scope(world.program):
        services.practice_stage_move(
            program=world.program,
            practice=world.practice,
            to_stage=Stage.PROGRAM_DESIGN,
            by=world.coach,
        )
        services.practice_stage_move(
            program=world.program,
            practice=world.other_practice,
            to_stage=Stage.MONITORING,
            by=world.admin,
        )


def test_the_program_home_is_what_programs_link_to(world):
    assert world.program.get_absolute_url() == f"/p/{world.program.slug}/"


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_admins_and_managers_see_the_stage_funnel(client, world, funnel, who):
    client.force_login(world.user(who))

    response = client.get(home_url(world))

    counts = {row["stage"]: row["count"] for row in response.context["by_stage"]}
    assert list(counts) == list(Stage.values)
    assert counts == {
        Stage.NEEDS_ASSESSMENT: 0,
        Stage.PROGRAM_DESIGN: 1,
        Stage.STAKEHOLDER_ENGAGEMENT: 0,
        Stage.PILOT: 3,
        Stage.TRAINING: 0,
        Stage.MONITORING: 1,
        Stage.SUSTAINABILITY: 1,
    }
    html = response.content.decode()
    list_url = reverse("practices:list", kwargs={"program": world.program.slug})
    assert f'href="{list_url}?stage=pilot"' in html
    assert 'data-pct="100"' in html  # the fullest stage fills its bar


def test_the_funnel_bars_scale_to_the_fullest_stage(client, world, funnel):
    client.force_login(world.admin)

    rows = client.get(home_url(world)).context["by_stage"]

    pct = {row["stage"]: row["pct"] for row in rows}
    assert pct[Stage.PILOT] == 100
    assert pct[Stage.PROGRAM_DESIGN] == 35  # 1 of 3, to the nearest 5
    assert pct[Stage.TRAINING] == 0


def test_the_overview_counts_practices_by_sector(client, world, funnel):
    client.force_login(world.manager)

    rows = client.get(home_url(world)).context["by_sector"]

    assert [(row["sector"], row["count"]) for row in rows] == [
        (Sector.PRIMARY_CARE, 5),
        (Sector.LAW, 1),
    ]


def test_the_overview_lists_recent_moves_newest_first(client, world, funnel):
    client.force_login(world.admin)

    response = client.get(home_url(world))

    moves = list(response.context["recent_moves"])
    assert [m.practice for m in moves] == [world.other_practice, world.practice]
    assert "Continuous monitoring" in response.content.decode()


def test_a_coach_sees_their_caseload_with_stage_and_time_in_stage(client, world, funnel):
    client.force_login(world.coach)

    response = client.get(home_url(world))

    html = response.content.decode()
    assert [p.name for p in response.context["caseload"]] == [world.practice.name]
    assert "by_stage" not in response.context
    assert "Program design" in html
    assert world.other_practice.name not in html


def test_a_coach_without_practices_is_told_so(client, world):
    newcomer = UserFactory(email="new-coach@example.org")
    MembershipFactory(program=world.program, user=newcomer, role=ProgramRole.COACH)
    client.force_login(newcomer)

    html = client.get(home_url(world)).content.decode()

    assert "No practices are assigned to you yet" in html


@pytest.mark.parametrize("who", ["lead", "staff"])
def test_practice_people_see_their_practice_coaches_and_colleagues(client, world, who):
    client.force_login(world.user(who))

    response = client.get(home_url(world))

    html = response.content.decode()
    assert [p.name for p in response.context["my_practices"]] == [world.practice.name]
    for text in (world.coach.full_name, world.lead.full_name, world.staff.full_name):
        assert text in html
    assert world.other_practice.name not in html
    assert html.count('class="stage-progress__step') == 7


def test_a_practice_member_without_a_practice_gets_a_helpful_page(client, world):
    loose = UserFactory(email="loose@example.org")
    MembershipFactory(program=world.program, user=loose, role=ProgramRole.PRACTICE)
    client.force_login(loose)

    response = client.get(home_url(world))

    assert response.status_code == 200
    assert "not a member of any practice" in response.content.decode()


def test_another_programs_member_gets_404_on_the_home_page(client, world, other_world):
    client.force_login(other_world.admin)

    assert client.get(home_url(world)).status_code == 404


def test_the_program_switcher_lists_every_program_of_the_person(client, world, other_world):
    MembershipFactory(program=other_world.program, user=world.coach, role=ProgramRole.MANAGER)
    client.force_login(world.coach)

    html = client.get(reverse("program_switcher")).content.decode()

    assert world.program.name in html
    assert other_world.program.name in html
    assert "Program manager" in html
    assert f'href="{other_world.program.get_absolute_url()}"' in html


def test_the_program_switcher_explains_what_to_do_without_a_program(client, outsider):
    client.force_login(outsider)

    html = client.get(reverse("program_switcher")).content.decode()

    assert "You do not belong to any program yet" in html
