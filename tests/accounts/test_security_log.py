"""The security event log (`psp.security`): what an operator investigating an account finds."""

import logging

import pytest
from django.urls import reverse

from psp.accounts import services
from psp.tenancy.access import access_for
from tests.accounts.helpers import sign_in
from tests.accounts.test_login_and_mfa import current_code, secret_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="psp.security")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "psp.security"]


def test_failed_and_successful_sign_ins_name_the_account_and_address(client, world, security_log):
    sign_in(client, world.coach, password="wrong-guess", REMOTE_ADDR="198.51.100.7")
    sign_in(client, world.coach, password=PASSWORD, REMOTE_ADDR="198.51.100.7")

    lines = security_log()
    assert f"Failed sign-in for '{world.coach.email}' from 198.51.100.7" in lines
    assert f"Sign-in: user {world.coach.pk} ({world.coach.email}) from 198.51.100.7" in lines
    assert not any("wrong-guess" in line or PASSWORD in line for line in lines)


def test_a_wrong_second_factor_code_is_logged(client, world, security_log):
    sign_in(client, world.admin)
    client.post(reverse("mfa_authenticate"), {"code": "123456"})
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret_of(world.admin))})

    lines = security_log()
    assert any(line.startswith("Wrong second-factor code: user") for line in lines)
    assert any(line.startswith(f"Sign-in: user {world.admin.pk}") for line in lines)


def test_making_and_revoking_a_token_is_logged_without_its_key(world, in_program, security_log):
    token, key = services.api_token_create(program=world.program, user=world.manager, name="EHR")
    access = access_for(program=world.program, user=world.manager)
    services.api_token_revoke(program=world.program, access=access, token=token)

    lines = security_log()
    assert f"API token {token.pk} ('EHR') made for user {world.manager.pk} in program " in lines[0]
    assert lines[1] == f"API token {token.pk} revoked in program {world.program.pk}"
    assert not any(key in line for line in lines)
