"""Signing in: the pages, the rate limit, two-factor authentication and the admins' MFA rule."""

import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command
from django.urls import reverse

from psp.tenancy.models import ProgramRole
from tests.accounts.helpers import sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forgiving_clock(settings):
    # A code computed at the end of one 30-second window may be checked in the next.
    settings.MFA_TOTP_TOLERANCE = 1


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def secret_of(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def people_url(world):
    return reverse("people:list", kwargs={"program": world.program.slug})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def open_activation(client):
    """Open the TOTP activation page; allauth asks for the password again first."""
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302 and page.url.startswith(reverse("account_reauthenticate")):
        client.post(page.url, {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    return page


def test_the_login_page_uses_the_site_layout_with_labelled_fields(client, db):
    page = client.get(reverse("account_login")).text
    assert 'class="site-header"' in page
    assert '<label for="id_login">' in page and '<label for="id_password">' in page
    assert "invitation" in page
    assert "sign up" not in page.lower()


@pytest.mark.parametrize(
    "url_name", ["account_change_password", "mfa_index", "account_logout", "mfa_activate_totp"]
)
def test_the_account_pages_share_the_site_layout(client, world, url_name):
    sign_in(client, world.coach)
    page = client.get(reverse(url_name), follow=True)
    assert page.status_code == 200
    assert 'class="site-header"' in page.text and "<h1>" in page.text


def test_a_wrong_password_is_explained_and_does_not_sign_in(client, world):
    response = sign_in(client, world.coach, password="wrong-password")
    assert response.status_code == 200
    assert "not correct" in response.text
    assert signed_in_user_id(client) is None


def test_signing_in_goes_to_the_persons_program(client, world):
    response = sign_in(client, world.coach)
    assert response.status_code == 302
    landing = client.get(response.url)
    assert landing.status_code == 302 and landing.url == world.program.get_absolute_url()


def test_the_sixth_failed_login_for_the_same_email_is_refused(client, world):
    # Five failures from five addresses: the limit is per email, not only per address.
    for n in range(5):
        failed = sign_in(client, world.coach, password="guess", REMOTE_ADDR=f"10.0.0.{n}")
        assert "not correct" in failed.text
    refused = sign_in(client, world.coach, REMOTE_ADDR="10.0.0.99")  # the right password
    assert refused.status_code == 200
    assert "Too many failed login attempts. Try again later." in refused.text
    assert signed_in_user_id(client) is None
    # Someone else is not locked out by it.
    assert sign_in(client, world.manager, REMOTE_ADDR="10.0.0.98").status_code == 302


def test_sign_up_is_closed_and_says_how_people_join(client, db):
    response = client.get(reverse("account_signup"))
    assert "Sign-up is by invitation" in response.text
    assert 'name="password1"' not in response.text


def test_a_password_reset_sends_a_link_to_an_existing_account(client, world, mailoutbox):
    page = client.get(reverse("account_reset_password"))
    assert '<label for="id_email">' in page.text
    response = client.post(reverse("account_reset_password"), {"email": world.coach.email})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[world.coach.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_an_admin_without_totp_must_turn_it_on_before_reaching_program_pages(client, world):
    admin = UserFactory(email="second-admin@example.org")
    MembershipFactory(program=world.program, user=admin, role=ProgramRole.ADMIN)
    assert sign_in(client, admin).status_code == 302

    for url in (people_url(world), world.program.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")

    activate = open_activation(client)
    assert "must turn this on" in activate.text
    assert 'class="site-header"' in activate.text
    secret = client.session["mfa.totp.secret"]
    assert client.post(reverse("mfa_activate_totp"), {"code": "000000"}).status_code == 200
    assert client.get(people_url(world)).status_code == 302

    turned_on = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert turned_on.status_code == 302
    assert secret_of(admin) == secret
    assert client.get(people_url(world)).status_code == 200


def test_the_mfa_rule_is_for_admins_only(client, world):
    coach = world.coach
    assert not Authenticator.objects.filter(user=coach).exists()
    sign_in(client, coach)
    assert client.get(world.program.get_absolute_url()).status_code == 200


def test_signing_in_as_an_admin_with_totp_asks_for_the_code(client, world):
    response = sign_in(client, world.admin)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    assert client.get(people_url(world)).status_code == 302

    page = client.get(reverse("mfa_authenticate"))
    assert "Enter your authentication code" in page.text
    assert 'class="site-header"' in page.text
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert "Incorrect code" in wrong.text
    assert signed_in_user_id(client) is None

    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret_of(world.admin))})
    assert right.status_code == 302
    assert int(signed_in_user_id(client)) == world.admin.pk
    assert client.get(people_url(world)).status_code == 200


def test_the_two_factor_pages_are_styled_and_allow_turning_totp_off(client, world):
    sign_in(client, world.coach)
    index = client.get(reverse("mfa_index"))
    assert index.status_code == 200
    assert 'class="site-header"' in index.text and 'class="card card--narrow"' in index.text
    open_activation(client)
    secret = client.session["mfa.totp.secret"]
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200 and "Unused codes" in codes.text

    deactivate = client.get(reverse("mfa_deactivate_totp"))
    assert deactivate.status_code == 200
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=world.coach, type="totp").exists()


def test_demo_totp_code_refuses_outside_development(world, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_totp_code", world.admin.email, stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize(
    ("debug", "flags"), [(True, []), (False, ["--i-know-this-is-not-production"])]
)
def test_demo_totp_code_prints_a_code_that_signs_the_admin_in(
    client, world, settings, debug, flags
):
    settings.DEBUG = debug
    out = StringIO()
    call_command("demo_totp_code", world.admin.email, *flags, stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    sign_in(client, world.admin)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert int(signed_in_user_id(client)) == world.admin.pk


def test_demo_totp_code_explains_an_account_without_an_authenticator(world, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_totp_code", world.coach.email, stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="No account"):
        call_command("demo_totp_code", "nobody@example.org", stdout=StringIO(), stderr=StringIO())
