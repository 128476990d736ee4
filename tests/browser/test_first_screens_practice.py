"""First screens, by role: practice staff find the assessment waiting for them at the top of their
home and reach its next unanswered question in one tap (on a phone); a manager's "Actions" shows
the program's overdue actions, by practice and by coach."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.rounds.models import Assessment
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import answer, build_instrument, open_round, questions_by_key
from tests.browser.signing_in import sign_in
from tests.factories import PlanActionFactory, VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def screenshots(tmp_path) -> Path:
    # Set PSP_SCREENSHOT_DIR to keep them (e.g. to look at the layout by eye).
    folder = Path(os.environ.get("PSP_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def half_answered(world):
    """An open round of the staff member's practice, due in 15 days, whose first domain (4 of
    its 7 questions) the staff member has answered."""
    assessment = open_round(world, build_instrument(world.program))
    with program_scope(world.program):
        Assessment.objects.filter(pk=assessment.pk).update(
            due_on=timezone.localdate() + timedelta(days=15)
        )
    answer(
        world,
        assessment,
        world.staff,
        {"roles-clear": 4, "huddles": True, "lead-time": "some", "team-notes": "Small team."},
    )
    return assessment


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_practice_staff_reach_the_next_question_of_their_assessment_in_one_tap(
    live_server, page, world, half_answered, screenshots, size
):
    next_question = questions_by_key(half_answered.version)["ehr-use"]
    page.set_viewport_size(size)
    sign_in(page, live_server, world.staff)

    page.goto(f"{live_server.url}/p/{world.program.slug}/")
    steps = page.get_by_role("region", name="Your next steps")
    expect(steps).to_be_visible()
    expect(steps).to_contain_text("4 of 7 answered")
    due = (timezone.localdate() + timedelta(days=15)).strftime("%-d %b %Y")
    expect(steps).to_contain_text(f"Due {due}")
    expect(
        page.get_by_text(f"Signed in as practice staff at {world.practice.name}")
    ).to_be_visible()
    # The first thing on the page below its title, without scrolling.
    go = steps.get_by_role("link", name="Continue answering")
    expect(go).to_be_in_viewport()
    assert fits_the_width(page), "the home page scrolls sideways"
    name = "phone" if size == PHONE else "laptop"
    page.screenshot(path=screenshots / f"home-practice-staff-{name}.png", full_page=True)

    go.click()

    expect(page).to_have_url(
        f"{live_server.url}/p/{world.program.slug}/assessments/{half_answered.pk}/answer/?step=2#question-{next_question.pk}"
    )
    expect(page.get_by_text("Domain 2 of 2")).to_be_visible()
    expect(page.locator(f"#question-{next_question.pk}")).to_be_in_viewport()


@pytest.fixture
def overdue_across_the_program(world):
    today = timezone.localdate()
    for practice, title, days in (
        (world.practice, "Book the huddle room", -6),
        (world.other_practice, "Send the registry export", -12),
        (world.practice, "Print the roles chart", 8),
    ):
        visit = VisitFactory(program=world.program, practice=practice, coach=world.coach)
        PlanActionFactory(
            program=world.program,
            practice=practice,
            visit=visit,
            goal=None,
            plan=None,
            title=title,
            owner=world.lead if practice == world.practice else None,
            due_on=today + timedelta(days=days),
        )


def test_a_managers_actions_show_the_programs_overdue_actions_by_practice_and_coach(
    live_server, page, world, overdue_across_the_program, screenshots
):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, world.manager)
    page.goto(f"{live_server.url}/p/{world.program.slug}/")

    page.get_by_role("navigation").get_by_role("link", name="Actions", exact=True).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue actions across the program")
    results = page.locator("#action-results")
    expect(results.get_by_role("heading", name=world.practice.name)).to_be_visible()
    expect(results.get_by_role("heading", name=world.other_practice.name)).to_be_visible()
    expect(results.get_by_role("link", name="Book the huddle room")).to_be_visible()
    expect(results.get_by_role("link", name="Send the registry export")).to_be_visible()
    expect(results.get_by_text("Print the roles chart")).to_have_count(0)
    expect(results).to_contain_text("2 overdue")
    page.screenshot(path=screenshots / "actions-manager-laptop.png", full_page=True)

    results.get_by_role("link", name="Coach", exact=True).click()

    groups = results.locator(".action-group__title")
    expect(groups).to_have_count(2)
    expect(groups.nth(0)).to_contain_text(world.coach.full_name)
    expect(groups.nth(1)).to_contain_text(world.other_coach.full_name)
    page.set_viewport_size(PHONE)
    assert fits_the_width(page), "the manager's actions scroll sideways on a phone"
    page.screenshot(path=screenshots / "actions-manager-by-coach-phone.png", full_page=True)
