"""A practice staff member completes a needs assessment on a phone, domain by domain, with
answers saving as they go; then the practice lead submits the round and the domain scores show."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.assessments.helpers import build_instrument, open_round, questions_by_key
from tests.browser.signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def screenshots(tmp_path) -> Path:
    # Set PSP_SCREENSHOT_DIR to keep them (e.g. to look at the layout by eye).
    folder = Path(os.environ.get("PSP_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def assessment(world):
    """An open baseline round of the staff member's practice (committed for the live server)."""
    return open_round(world, build_instrument(world.program))


def test_practice_staff_complete_an_assessment_step_by_step_and_see_the_domain_scores(
    live_server, page, world, assessment, screenshots
):
    questions = questions_by_key(assessment.version)
    question = {key: page.locator(f"#question-{q.pk}") for key, q in questions.items()}
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.staff)

    # The assessment list leads to the round, and the round to its first step.
    page.goto(f"{live_server.url}/p/{world.program.slug}/assessments/")
    page.get_by_role("link", name=world.practice.name).click()
    page.get_by_role("link", name="Start answering").click()
    expect(page.get_by_text("Domain 1 of 2")).to_be_visible()
    expect(page.get_by_role("heading", name="Team roles")).to_be_visible()

    # Each answer saves itself as it is given.
    question["roles-clear"].get_by_role("radio", name="4", exact=True).check()
    expect(question["roles-clear"].locator(".question__saved")).to_have_text("Saved")
    question["huddles"].get_by_role("radio", name="Yes").check()
    expect(question["huddles"].locator(".question__saved")).to_have_text("Saved")
    question["lead-time"].get_by_role("radio", name="An hour a week").check()
    expect(question["lead-time"].locator(".question__saved")).to_have_text("Saved")
    expect(page.locator("#answer-progress")).to_contain_text("3 of 7 questions answered")

    # A reload (a dropped connection, a closed tab) loses nothing.
    page.reload()
    expect(question["roles-clear"].get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(question["lead-time"].get_by_role("radio", name="An hour a week")).to_be_checked()
    page.screenshot(path=screenshots / "assessment-step-1-phone.png", full_page=True)
    assert _fits_the_width(page), "the answer page scrolls sideways on a phone"

    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Domain 2 of 2")).to_be_visible()
    expect(page.get_by_role("heading", name="EHR and technology use")).to_be_focused()

    question["ehr-use"].get_by_role("checkbox", name="Recalls").check()
    question["ehr-use"].get_by_role("checkbox", name="Patient portal").check()
    question["paper-charts"].get_by_role("radio", name="No", exact=True).check()
    question["ehr-years"].get_by_label("Your answer").fill("6")
    expect(question["ehr-years"].locator(".question__saved")).to_have_text("Saved")
    page.get_by_role("button", name="Submit my answers").click()

    # Submitted: the person sees how their own answers score, domain by domain.
    expect(page.get_by_role("heading", name="Your answers are in")).to_be_visible()
    chart = page.locator(".score-chart")
    expect(chart).to_contain_text("Team roles")
    expect(chart).to_contain_text("75.0%")
    expect(chart).to_contain_text("87.5%")
    page.screenshot(path=screenshots / "assessment-own-scores-phone.png", full_page=True)

    # The lead (the only other facilitator here) submits the round; its scores are stored.
    sign_in(page, live_server, world.lead)
    page.goto(f"{live_server.url}/p/{world.program.slug}/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Consensus and submit").click()
    page.get_by_role("button", name="Submit and score").click()
    expect(page.get_by_text("Submitted and scored: 80.0% overall.")).to_be_visible()

    # And the staff member finds the practice's domain scores on the results page.
    sign_in(page, live_server, world.staff)
    page.goto(f"{live_server.url}/p/{world.program.slug}/assessments/{assessment.pk}/results/")
    table = page.locator("table.score-table")
    # On a phone each score is labelled by its column (the header row is hidden).
    expect(table.get_by_role("row", name="Team roles This round 75.0%")).to_be_visible()
    expect(table.get_by_role("row", name="EHR and technology use This round 87.5%")).to_be_visible()
    page.screenshot(path=screenshots / "assessment-results-phone.png", full_page=True)
    assert _fits_the_width(page), "the results page scrolls sideways on a phone"


def _fits_the_width(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
