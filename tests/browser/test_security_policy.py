"""The Content-Security-Policy leaves every page working: the key pages of each kind of person
load, run their scripts and htmx, and show their styles and images with nothing blocked. (Every
other browser test checks the same on its own pages: see the conftest's policy_complaints.)"""

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse
from playwright.sync_api import expect

from coaching.models import PlanStatus
from tests.assessments.helpers import build_instrument, open_round
from tests.factories import PASSWORD, PlanGoalFactory, SupportPlanFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, person, totp_secret=None):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(person.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
        page.locator("input[name=code]").fill(code)
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def visit(page, live_server, path):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")  # htmx and the API docs fetch after the load


def test_the_watcher_sees_a_blocked_inline_style(live_server, page, policy_complaints):
    # Without this, a watcher that heard nothing would pass every page below.
    visit(page, live_server, "/accounts/login/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    expect(page.locator("p", has_text="x").last).to_be_attached()
    page.wait_for_timeout(200)
    assert any("style-src" in complaint for complaint in policy_complaints)
    policy_complaints.clear()


def test_coach_and_practice_pages_run_under_the_policy(live_server, page, world, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    PlanGoalFactory(program=world.program, plan=plan, title="Daily ten-minute huddles")
    assessment = open_round(world, build_instrument(world.program))
    slug = world.program.slug

    visit(page, live_server, "/accounts/login/")
    expect(page.locator(".brand__mark")).to_be_visible()

    sign_in(page, live_server, world.coach)
    visit(page, live_server, f"/p/{slug}/")
    # The visit form: htmx brings in the practice's people and goals.
    visit(page, live_server, reverse("visits:log", kwargs={"program": slug}))
    page.get_by_label("Practice", exact=True).select_option(label=world.practice.name)
    expect(page.get_by_role("checkbox", name="Daily ten-minute huddles")).to_be_visible()
    # Setting up two-factor authentication shows its QR code as a data: image.
    visit(page, live_server, reverse("mfa_activate_totp"))
    if page.get_by_role("button", name="Confirm").is_visible():  # allauth may ask again
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()

    # Answering an assessment: each answer saves itself through htmx.
    sign_in(page, live_server, world.staff)
    answer = reverse("assessments:answer", kwargs={"program": slug, "pk": assessment.pk})
    visit(page, live_server, answer)
    page.get_by_role("radio", name="4", exact=True).first.check()
    expect(page.locator(".question__saved").first).to_have_text("Saved")


def test_the_api_docs_and_the_admin_run_under_the_policy(live_server, page, world, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    operator = UserFactory(email="operator@example.org", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(operator, secret)

    # The API docs: the reference is rendered on the server; its contents link to each part.
    visit(page, live_server, reverse("api-docs"))
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="Errors", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Errors", exact=True)).to_be_in_viewport()

    sign_in(page, live_server, operator, totp_secret=secret)
    visit(page, live_server, "/admin/")
    visit(page, live_server, reverse("admin:practices_practice_changelist"))
    expect(page.locator("#result_list")).to_be_visible()
    visit(page, live_server, reverse("admin:practices_practice_change", args=[world.practice.pk]))
    # A change form with the two-box picker (SelectFilter), built by the admin's scripts.
    visit(page, live_server, reverse("admin:accounts_user_change", args=[world.coach.pk]))
    expect(page.locator("#id_groups_filter")).to_be_visible()
