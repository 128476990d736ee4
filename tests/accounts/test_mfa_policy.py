"""The MFA policy binds every way in, not only the pages: the API with a session or a token,
making an API token (API, page, service, command), and the Django admin.

An admin who has not set up TOTP is the attacker here: a stolen password must not open the API
or mint a token that skips the second factor."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from psp.accounts import services
from psp.accounts.mfa import MfaRequired
from psp.accounts.models import ApiToken, User
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import PASSWORD, MembershipFactory, UserFactory, give_totp

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32


def api(world, path):
    return f"/api/v1/programs/{world.program.slug}/{path}"


@pytest.fixture
def admin_without_totp(world):
    person = UserFactory(email="new-admin@example.org")
    MembershipFactory(program=world.program, user=person, role=ProgramRole.ADMIN)
    return person


def browser_session(user) -> Client:
    """A signed-in browser as the attack used it: session cookie, CSRF cookie and header."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.cookies["csrftoken"] = CSRF_SECRET
    return browser


def assert_mfa_refusal(response):
    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (403, "mfa_required")
    assert "two-factor authentication" in error["message"]
    assert reverse("mfa_activate_totp") in error["message"]


def token_for(world, user):
    with program_scope(world.program):
        return services.api_token_create(program=world.program, user=user, name="Export")


# The API with the session cookie --------------------------------------------------------------


def test_an_admin_without_totp_cannot_use_the_api_with_the_session(world, admin_without_totp):
    browser = browser_session(admin_without_totp)
    assert_mfa_refusal(browser.get(api(world, "members/")))
    created = browser.post(
        api(world, "api-tokens/"),
        {"name": "Backdoor"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=CSRF_SECRET,
    )
    assert_mfa_refusal(created)
    assert not ApiToken.all_programs.exists()


def test_the_same_admin_uses_the_api_once_totp_is_set_up(world, admin_without_totp):
    give_totp(admin_without_totp)
    browser = browser_session(admin_without_totp)
    assert browser.get(api(world, "members/")).status_code == 200
    created = browser.post(
        api(world, "api-tokens/"),
        {"name": "Export"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=CSRF_SECRET,
    )
    assert created.status_code == 201


def test_other_roles_need_no_totp_for_the_api(api_client, world):
    api_client.force_login(world.manager)
    assert not Authenticator.objects.filter(user=world.manager).exists()
    assert api_client.get(api(world, "members/")).status_code == 200


def test_the_refusal_comes_after_membership_so_outsiders_still_get_404(world, other_world):
    # An admin of another program without TOTP learns nothing about this one.
    Authenticator.objects.filter(user=other_world.admin).delete()
    browser = browser_session(other_world.admin)
    assert browser.get(api(world, "members/")).status_code == 404


# The API with a token ---------------------------------------------------------------------------


def test_an_admins_token_stops_working_when_they_remove_their_authenticator(api_client, world):
    _, key = token_for(world, world.admin)  # made while the admin had TOTP
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(api(world, "members/")).status_code == 200

    Authenticator.objects.filter(user=world.admin).delete()
    assert_mfa_refusal(api_client.get(api(world, "members/")))
    practice = {"name": "Token Practice", "sector": "law", "specialty": "x", "region": "y"}
    assert_mfa_refusal(api_client.post(api(world, "practices/"), practice, format="json"))

    give_totp(world.admin)  # set up again: the same token works again
    assert api_client.get(api(world, "members/")).status_code == 200


def test_a_token_of_someone_made_admin_without_totp_is_refused(api_client, world):
    _, key = token_for(world, world.manager)
    with program_scope(world.program):
        ProgramMembership.objects.filter(user=world.manager).update(role=ProgramRole.ADMIN)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert_mfa_refusal(api_client.get(api(world, "members/")))


# Making a token -------------------------------------------------------------------------------


def test_the_service_makes_no_token_for_an_admin_without_totp(world, admin_without_totp):
    with program_scope(world.program), pytest.raises(MfaRequired, match="two-factor"):
        services.api_token_create(program=world.program, user=admin_without_totp, name="x")
    assert not ApiToken.all_programs.exists()
    give_totp(admin_without_totp)
    token, _ = token_for(world, admin_without_totp)
    assert token.user == admin_without_totp


def test_the_token_page_sends_an_admin_without_totp_to_set_it_up(client, world, admin_without_totp):
    client.force_login(admin_without_totp)
    url = reverse("tokens:list", kwargs={"program": world.program.slug})
    response = client.post(url, {"name": "Backdoor"})
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    assert not ApiToken.all_programs.exists()


def test_the_command_makes_no_token_for_an_admin_without_totp(world, admin_without_totp):
    with pytest.raises(CommandError, match="two-factor"):
        call_command(
            "create_api_token",
            admin_without_totp.email,
            world.program.slug,
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert not ApiToken.all_programs.exists()


# The Django admin -------------------------------------------------------------------------------


@pytest.fixture
def operator(db):
    return User.objects.create_superuser("operator@example.org", PASSWORD)


def where_the_admin_sends(client, path) -> str:
    """Follow the admin's own redirects; the first address outside /admin/."""
    response = client.get(path)
    while response.status_code == 302 and response.url.startswith("/admin/"):
        response = client.get(response.url)
    assert response.status_code == 302, response.status_code
    return response.url


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/admin/accounts/apitoken/"])
def test_an_operator_without_totp_is_sent_to_set_it_up(client, operator, path):
    client.force_login(operator)
    assert where_the_admin_sends(client, path) == reverse("mfa_activate_totp")
    shown = [str(m) for m in get_messages(client.get(reverse("mfa_index")).wsgi_request)]
    assert any("Platform operators must turn on two-factor" in m for m in shown)


def test_staff_without_superuser_rights_need_totp_too(client, db):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    client.force_login(staff)
    assert where_the_admin_sends(client, "/admin/") == reverse("mfa_activate_totp")
    give_totp(staff)
    assert client.get("/admin/").status_code == 200


def test_an_operator_with_totp_uses_the_admin(client, operator):
    give_totp(operator)
    client.force_login(operator)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_admin_is_refused_to_people_who_are_not_operators(client, world):
    client.force_login(world.admin)  # a program admin, with TOTP, but no platform operator
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
