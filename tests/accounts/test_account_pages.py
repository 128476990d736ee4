"""The account menu names the person and their role in the program in view; the account pages
(two-factor authentication, password) keep the header and navigation of the program the person
used last, and speak in sentence case."""

import pytest
from django.urls import reverse

from psp.tenancy.scope import program_scope
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def home_url(world):
    return reverse("program_home", kwargs={"program": world.program.slug})


def menu_summary(page) -> str:
    return page.text.split('class="account-menu"', 1)[1].split("</summary>", 1)[0]


def header(page) -> str:
    return page.text.split('class="site-header"', 1)[1].split("</header>", 1)[0]


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("admin", "Admin"),
        ("manager", "Manager"),
        ("coach", "Coach"),
        ("lead", "Practice lead"),
        ("staff", "Practice staff"),
    ],
)
def test_the_menu_shows_the_full_name_and_the_role_in_the_program(client, world, role, label):
    person = world.user(role)
    person.full_name = f"Dr. {person.full_name}"
    person.save(update_fields=["full_name"])
    client.force_login(person)

    summary = menu_summary(client.get(home_url(world)))

    assert person.full_name in summary
    assert label in summary


@pytest.mark.parametrize("page", ["mfa_index", "account_change_password"])
def test_account_pages_keep_the_last_programs_header_and_navigation(client, world, page):
    client.force_login(world.coach)
    client.get(home_url(world))  # the program the coach used last

    response = client.get(reverse(page))

    assert response.status_code == 200
    top = header(response)
    assert world.program.name in top
    assert f'href="{home_url(world)}"' in top
    assert 'id="site-nav"' in top and "Coach" in menu_summary(response)


def test_a_program_the_person_left_is_not_their_context_any_more(client, world, other_world):
    MembershipFactory(program=other_world.program, user=world.coach, role="coach")
    client.force_login(world.coach)
    client.get(home_url(world))
    with program_scope(world.program):
        world.coach.program_memberships.update(is_active=False)

    top = header(client.get(reverse("mfa_index")))

    # Their only program now is the other one, so its header stands there instead.
    assert f'<span class="brand__name">{other_world.program.name}</span>' in top
    assert f'href="{home_url(world)}"' not in top


def test_without_a_program_the_account_pages_keep_the_plain_header(client, outsider):
    client.force_login(outsider)

    top = header(client.get(reverse("mfa_index")))

    assert "PSP Platform" in top and "Switch program" in top


@pytest.mark.parametrize(
    ("page", "heading", "button"),
    [
        ("mfa_index", "Two-factor authentication", "Turn on"),
        ("account_change_password", "Change password", "Change password"),
    ],
)
def test_account_pages_speak_in_sentence_case(client, world, page, heading, button):
    client.force_login(world.coach)

    text = client.get(reverse(page)).text

    assert f"<h1>{heading}</h1>" in text
    assert f"<title>{heading} · {world.program.name}</title>" in text
    assert button in text
    for title_case in ("Two-Factor", "Change Password", "Authenticator App", "Current Password"):
        assert title_case not in text
