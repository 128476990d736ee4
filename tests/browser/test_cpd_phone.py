"""A staff member on a 390 px phone records a CPD activity from the navigation, answers the
workshop's reflection questions (the reading questions replace them when the type changes, and
back), attaches the certificate and sends it for verification; an admin finds it with its
certificate in the verifier's queue and verifies it; the staff member's CPD shows it verified,
and their progress page, which counted it unverified before, shows the credits verified.
The pages fit the phone's width, and axe finds nothing serious on the form or the queue."""

import os
import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.utils import timezone
from playwright.sync_api import expect

from cpd.models import CpdActivity
from psp.tenancy.scope import program_scope
from tests.browser.axe import AXE_CONTEXT_ARGS, assert_no_serious_findings
from tests.browser.signing_in import sign_in
from tests.cpd.rules_examples import family
from tests.cpd.scheme_factories import make_scheme
from tests.evidence.subjects import pdf_bytes
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("PSP_SCREENSHOTS", "")  # a folder to keep screenshots in, when asked


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **AXE_CONTEXT_ARGS}


def fits_the_phone(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def sign_in_admin(page, live_server, admin):
    """Sign the admin in with a TOTP code (admins must use two-factor authentication)."""
    Authenticator.objects.filter(user=admin).delete()
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(admin.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=code]").fill(
        format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def test_a_staff_member_records_on_a_phone_and_an_admin_verifies(
    live_server, page, world, settings
):
    settings.MFA_TOTP_TOLERANCE = 1
    make_scheme(world.program, family(), code="family-medicine", name="Family medicine")
    day = timezone.localdate() - timedelta(days=6)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.staff)

    page.get_by_role("button", name="Open menu").click()
    page.get_by_role("link", name="CPD", exact=True).click()
    expect(page.get_by_role("heading", name="My CPD")).to_be_visible()
    expect(page.get_by_text("Family medicine", exact=True)).to_be_visible()
    page.get_by_role("link", name="Record an activity").click()
    asked = []
    page.on("request", lambda request: asked.append(request.url))

    page.get_by_label("Title").fill("Safer opioid prescribing")
    page.get_by_label("Provider").fill("College of family physicians")
    page.get_by_label("Started on").fill(day.isoformat())
    page.get_by_label("Hours").fill("3.5")
    page.get_by_label("What did I learn?").fill("Taper plans need a review date.")
    # Another type redraws the questions below it; back again, what was typed is kept.
    page.get_by_label("Type of activity").select_option("reading")
    expect(page.get_by_label("Does it apply to my practice?")).to_be_visible()
    expect(page.get_by_label("Items")).to_be_visible()
    page.get_by_label("Type of activity").select_option("workshop")
    expect(page.get_by_label("How will I know it worked?")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Safer opioid prescribing")
    expect(page.get_by_label("Category")).to_be_visible()
    assert any("activity_type=reading" in url for url in asked)
    assert not any("csrfmiddlewaretoken" in url for url in asked), "the CSRF token went in a URL"
    _shot(page, "cpd-record-phone")
    assert fits_the_phone(page), "the record form scrolls sideways on a phone"
    assert_no_serious_findings(page, "the CPD record form on a phone")
    page.get_by_label("What did I learn?").fill("Taper plans need a review date.")
    page.get_by_label("Evidence", exact=True).set_input_files(
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Save and submit for verification").click()

    expect(page.get_by_role("status").first).to_contain_text("sent for verification: 3.50")
    expect(page.get_by_role("heading", name="Safer opioid prescribing")).to_be_visible()
    expect(page.locator(".page-header .badge")).to_have_text("Submitted for verification")
    expect(page.get_by_role("link", name="certificate.pdf")).to_be_visible()
    _shot(page, "cpd-activity-phone")
    assert fits_the_phone(page), "the activity page scrolls sideways on a phone"

    # Submitted credits count at once; none of them is verified yet.
    page.goto(f"{live_server.url}/p/{world.program.slug}/cpd/")
    page.get_by_role("navigation", name="CPD").get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My CPD progress")).to_be_visible()
    figures = page.get_by_role("definition")
    expect(figures.nth(0)).to_contain_text("3.50 credits")  # counted
    expect(figures.nth(1)).to_contain_text("0 credits")  # verified
    expect(page.get_by_role("img", name="Credits over the cycle")).to_be_visible()
    _shot(page, "cpd-progress-phone")
    assert fits_the_phone(page), "the progress page scrolls sideways on a phone"
    assert_no_serious_findings(page, "the CPD progress page on a phone")

    admin = world.admin
    sign_in_admin(page, live_server, admin)
    page.goto(f"{live_server.url}/p/{world.program.slug}/cpd/")
    page.get_by_role("button", name="Open menu").click()
    page.locator("summary", has_text="More").click()
    page.get_by_role("link", name="Verify CPD", exact=True).click()
    item = page.locator("li.cpd-activity", has_text="Safer opioid prescribing")
    expect(item).to_contain_text(world.staff.full_name)
    expect(item.get_by_role("link", name="certificate.pdf")).to_be_visible()
    _shot(page, "cpd-queue-phone")
    assert fits_the_phone(page), "the verifier's queue scrolls sideways on a phone"
    assert_no_serious_findings(page, "the verifier's queue on a phone")
    item.get_by_role("button", name="Verify").click()

    expect(page.get_by_role("status").first).to_contain_text("is verified")
    expect(page.get_by_text("Nothing is waiting for verification.")).to_be_visible()

    sign_in(page, live_server, world.staff)
    page.goto(f"{live_server.url}/p/{world.program.slug}/cpd/")
    mine = page.locator("li.cpd-activity", has_text="Safer opioid prescribing")
    expect(mine.locator(".badge")).to_have_text("Verified")
    expect(page.get_by_text("3.50 credits counted")).to_be_visible()
    _shot(page, "cpd-mine-phone")
    page.get_by_role("link", name="see your progress").click()
    figures = page.get_by_role("definition")
    expect(figures.nth(1)).to_contain_text("3.50 credits")  # verified now
    expect(figures.nth(2)).to_contain_text("0 credits")  # nothing left to verify
    with program_scope(world.program):
        activity = CpdActivity.objects.get()
    assert (activity.status, activity.verified_by) == ("verified", admin)
