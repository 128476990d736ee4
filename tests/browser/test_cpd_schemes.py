"""A program admin, on a phone, reaches the CPD schemes from the navigation, loads the family
medicine template, reads it in plain words and changes its rules through the form (a new
version); the pages have no serious or critical axe findings."""

import os
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from playwright.sync_api import expect

from tests.browser.axe import AXE_CONTEXT_ARGS, assert_no_serious_findings, require_axe
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PracticeFactory,
    PracticeMembershipFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("PSP_SCREENSHOTS", "")  # a folder to keep screenshots in, when asked


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **AXE_CONTEXT_ARGS}


def _check(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert_no_serious_findings(page, name)


def test_an_admin_loads_a_template_and_changes_its_rules_on_a_phone(live_server, page, settings):
    require_axe()
    settings.MFA_TOTP_TOLERANCE = 1
    program = ProgramFactory(slug="north-psp", name="North PSP")
    admin = UserFactory(email="admin@north-psp.example.org", full_name="Ada Admin")
    MembershipFactory(program=program, user=admin, role="admin")
    practice = PracticeFactory(program=program, name="Riverside Family Health")
    staff = UserFactory(email="sol@north-psp.example.org", full_name="Sol Staff")
    MembershipFactory(program=program, user=staff, role="practice")
    PracticeMembershipFactory(program=program, practice=practice, user=staff, role="staff")
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(admin.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=code]").fill(
        format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)

    page.get_by_role("button", name="Open menu").click()
    page.locator("summary", has_text="More").click()
    page.get_by_role("link", name="CPD schemes", exact=True).click()
    _check(page, "cpd-schemes-list")
    page.get_by_role("button", name="Load").first.click()  # the first by name: family medicine

    expect(page.get_by_role("status").first).to_contain_text("is loaded")
    expect(page.locator("main")).to_contain_text(
        "250 credits over 5 years from 1 July, at least 25 each year."
    )
    expect(page.locator("main")).to_contain_text("Sol Staff · Practice staff at Riverside")
    _check(page, "cpd-scheme")

    page.get_by_role("link", name="Change the rules").click()
    _check(page, "cpd-rules-form")
    page.get_by_label("Required in a cycle").fill("200")
    page.get_by_label("What changed and why").fill("The college lowered the total.")
    page.get_by_role("button", name="Save as a new version").click()

    expect(page.get_by_role("status").first).to_contain_text("Version 2 of the rules is saved")
    expect(page.locator("main")).to_contain_text("200 credits over 5 years from 1 July")
    expect(page.locator("main")).to_contain_text("The college lowered the total.")

    page.get_by_role("link", name="Change the rules").click()
    page.get_by_label("Required in a cycle").fill("100")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator(".error-summary")).to_contain_text("more than the 100 required in total")
    _check(page, "cpd-rules-form-errors")
