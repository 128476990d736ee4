"""API tokens: for the roles that integrate (admins, managers and coaches: `api_tokens.own`);
the page, the key shown once, where a token works, revoking, the command, and the tokens other
roles made before the rule, which keep working until revoked."""

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from psp.accounts import services
from psp.accounts.models import ApiToken
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import MembershipFactory, api_token_for

pytestmark = pytest.mark.django_db


def tokens_url(world):
    return reverse("tokens:list", kwargs={"program": world.program.slug})


def members_api(world):
    return f"/api/v1/programs/{world.program.slug}/members/"


def token_for(world, user, name="Nightly export"):
    with program_scope(world.program):
        return services.api_token_create(program=world.program, user=user, name=name)


def menu(page) -> str:
    return page.text.split('class="account-menu"', 1)[1].split("</details>", 1)[0]


def test_creating_a_token_shows_the_key_once_and_stores_only_its_hash(client, world):
    client.force_login(world.manager)
    response = client.post(tokens_url(world), {"name": "EHR export"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("psp_")
    assert key in response.text
    assert f'curl -H "Authorization: Token {key}" http://testserver/api/v1/programs/' in (
        response.text
    )
    assert 'data-copy-target="new-key"' in response.text
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    token = ApiToken.all_programs.get()
    assert (token.user, token.program, token.name) == (
        world.manager,
        world.program,
        "EHR export",
    )
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.all_programs.values().get().values()]
    assert all(key not in value for value in stored)

    again = client.get(tokens_url(world))
    assert key not in again.text
    assert "EHR export" in again.text


def test_a_token_without_a_name_is_refused_beside_the_field(client, world):
    client.force_login(world.manager)
    response = client.post(tokens_url(world), {"name": "  "})
    assert "name" in response.context["form"].errors
    assert response.context["new_key"] is None
    assert not ApiToken.all_programs.exists()


def test_the_page_lists_only_my_tokens_in_this_program(client, world, other_world):
    MembershipFactory(program=other_world.program, user=world.manager, role=ProgramRole.MANAGER)
    token_for(world, world.manager, name="Mine here")
    token_for(other_world, world.manager, name="Mine there")
    token_for(world, world.admin, name="Someone else's")
    client.force_login(world.manager)
    names = [t.name for t in client.get(tokens_url(world)).context["tokens"]]
    assert names == ["Mine here"]


def test_a_token_works_in_its_own_program_and_is_not_found_in_another(
    api_client, world, other_world
):
    # The admin belongs to both programs, so the 404 comes from the token, not the person.
    MembershipFactory(program=other_world.program, user=world.admin, role=ProgramRole.ADMIN)
    _, key = token_for(world, world.admin)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    own = api_client.get(members_api(world))
    assert own.status_code == 200
    assert world.coach.email in {m["email"] for m in own.json()["results"]}
    other = api_client.get(members_api(other_world))
    assert other.status_code == 404
    assert other.json()["error"]["status"] == 404
    assert ApiToken.all_programs.get().last_used_at is not None


def test_a_revoked_token_is_refused_with_401(client, api_client, world):
    token, key = token_for(world, world.manager)
    client.force_login(world.manager)
    revoke = reverse(
        "tokens:revoke", kwargs={"program": world.program.slug, "apitoken_pk": token.pk}
    )
    assert client.post(revoke).status_code == 302
    assert "Revoked" in client.get(tokens_url(world)).text

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get(f"/api/v1/programs/{world.program.slug}/api-tokens/")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Invalid or revoked token."


def test_nobody_revokes_someone_elses_token(client, world):
    token, _ = token_for(world, world.manager)
    client.force_login(world.admin)
    revoke = reverse(
        "tokens:revoke", kwargs={"program": world.program.slug, "apitoken_pk": token.pk}
    )
    assert client.post(revoke).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    ("role", "holds_tokens"),
    [("admin", True), ("manager", True), ("coach", True), ("lead", False), ("staff", False)],
)
def test_tokens_are_for_the_roles_that_integrate_and_only_they_see_them_in_the_menu(
    client, world, role, holds_tokens
):
    client.force_login(world.user(role))
    home = client.get(reverse("program_home", kwargs={"program": world.program.slug}))

    assert (f'href="{tokens_url(world)}"' in menu(home)) is holds_tokens
    assert client.get(tokens_url(world)).status_code == (200 if holds_tokens else 403)
    made = client.post(tokens_url(world), {"name": "Spreadsheet"})
    assert made.status_code == (200 if holds_tokens else 403)
    assert ApiToken.all_programs.exists() is holds_tokens


def test_outsiders_get_not_found(client, world, outsider):
    client.force_login(outsider)
    assert client.get(tokens_url(world)).status_code == 404


def test_the_token_page_links_the_api_documentation_and_the_footer_does_not(client, world):
    client.force_login(world.manager)
    api_docs = reverse("api-docs")

    page = client.get(tokens_url(world)).text
    home = client.get(reverse("program_home", kwargs={"program": world.program.slug})).text

    assert f'href="{api_docs}"' in page
    assert api_docs not in home.split('class="site-footer"', 1)[1]


@pytest.mark.parametrize("role", ["lead", "staff"])
def test_the_service_and_the_api_make_no_token_for_other_roles(api_client, world, role):
    with (
        program_scope(world.program),
        pytest.raises(PermissionDenied, match="admins, managers and coaches"),
    ):
        services.api_token_create(program=world.program, user=world.user(role), name="x")
    api_client.force_authenticate(world.user(role))
    url = f"/api/v1/programs/{world.program.slug}/api-tokens/"

    assert api_client.post(url, {"name": "Warehouse"}, format="json").status_code == 403
    assert api_client.get(url).status_code == 403
    assert not ApiToken.all_programs.exists()


def test_a_token_a_lead_made_before_the_rule_keeps_working_until_revoked(client, api_client, world):
    token, key = api_token_for(world.program, world.lead, name="Old export")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    visits = f"/api/v1/programs/{world.program.slug}/visits/"

    assert api_client.get(visits).status_code == 200
    # The lead cannot list or revoke it themselves any more; leaving the program revokes it.
    client.force_login(world.lead)
    assert client.get(tokens_url(world)).status_code == 403
    client.force_login(world.admin)
    with program_scope(world.program):
        place = world.lead.program_memberships.get()
    client.post(
        reverse(
            "people:member_deactivate",
            kwargs={"program": world.program.slug, "programmembership_pk": place.pk},
        )
    )
    assert api_client.get(visits).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_api_creates_a_token_with_its_key_once_and_delete_revokes_it(api_client, world):
    api_client.force_authenticate(world.manager)
    url = f"/api/v1/programs/{world.program.slug}/api-tokens/"
    created = api_client.post(url, {"name": "Warehouse", "program": 999}, format="json")
    assert created.status_code == 201
    body = created.json()
    key = body["key"]
    token = ApiToken.all_programs.get(pk=body["id"])
    assert token.program == world.program and token.matches(key)

    listed = api_client.get(url).json()["results"]
    assert [t["name"] for t in listed] == ["Warehouse"]
    assert "key" not in listed[0]
    assert "key" not in api_client.get(f"{url}{token.pk}/").json()

    assert api_client.delete(f"{url}{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    api_client.force_authenticate(None)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api_client.get(url).status_code == 401


def test_the_command_prints_a_working_key_once(api_client, world):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token",
        world.manager.email,
        world.program.slug,
        "--name",
        "Funder report",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    token = ApiToken.all_programs.get()
    assert (token.name, token.user, token.program) == (
        "Funder report",
        world.manager,
        world.program,
    )
    assert token.matches(key) and key not in token.key_hash
    assert "not shown again" in err.getvalue()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(members_api(world)).status_code == 200


def test_the_command_refuses_a_person_without_a_role_in_the_program(world, other_world, outsider):
    for email, slug in (
        (outsider.email, world.program.slug),
        (other_world.admin.email, world.program.slug),
        ("nobody@example.org", world.program.slug),
        (world.admin.email, "no-such-program"),
    ):
        with pytest.raises(CommandError):
            call_command("create_api_token", email, slug, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.all_programs.exists()


def test_the_command_refuses_a_role_that_holds_no_tokens(world):
    with pytest.raises(CommandError, match="admins, managers and coaches"):
        call_command(
            "create_api_token",
            world.lead.email,
            world.program.slug,
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert not ApiToken.all_programs.exists()
