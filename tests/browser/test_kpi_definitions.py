"""A program admin, on a phone, reaches the KPI definitions from the navigation, loads the
primary care pack, opens a KPI and gives one practice its own target, by keyboard-reachable
controls with labels."""

import os
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from playwright.sync_api import expect

from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PracticeFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("PSP_SCREENSHOTS", "")  # a folder to keep screenshots in, when asked


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_an_admin_loads_a_pack_and_sets_a_practices_own_target(live_server, page, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    program = ProgramFactory(slug="north-psp", name="North PSP")
    admin = UserFactory(email="admin@north-psp.example.org", full_name="Ada Admin")
    MembershipFactory(program=program, user=admin, role="admin")
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    PracticeFactory(program=program, name="Riverside Family Health", region="River")
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
    page.get_by_role("link", name="KPIs", exact=True).click()
    page.get_by_role("link", name="Load a KPI pack").click()
    _shot(page, "kpi-packs")
    page.locator("li.pack-card", has_text="Primary care").get_by_role("button", name="Load").click()

    expect(page.get_by_role("status").first).to_contain_text("6 KPIs added from “Primary care”")
    page.get_by_role("link", name="KPI definitions").click()
    _shot(page, "kpi-list")
    page.get_by_role("link", name="Missed appointment rate").click()
    _shot(page, "kpi-detail")
    page.get_by_role("link", name="Practices' targets").click()
    page.get_by_label("Own target of Riverside Family Health").fill("3.5")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Riverside Family Health's own target is now 3.5"
    )
    expect(page.get_by_label("Own target of Riverside Family Health")).to_have_value("3.5")
    _shot(page, "kpi-targets")
