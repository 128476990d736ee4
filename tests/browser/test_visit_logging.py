"""A coach logs a visit on a phone: from their home page's "Log a visit", choosing the practice
(its people and goals load in), splitting the duration across activities, surviving a reload
as a draft, saving; then the visit is on the practice's timeline."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import PlanStatus, Visit
from psp.tenancy.scope import program_scope
from tests.browser.signing_in import sign_in
from tests.factories import (
    CoachAssignmentFactory,
    PlanGoalFactory,
    PracticeFactory,
    SupportPlanFactory,
    VisitFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PURPOSE = "Huddle board review, logged from a phone"
NEXT = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def screenshots(tmp_path) -> Path:
    # Set PSP_SCREENSHOT_DIR to keep them (e.g. to look at the layout by eye).
    folder = Path(os.environ.get("PSP_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def caseload(world):
    """world.coach coaches two practices; world.practice has an active plan with a goal."""
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    PlanGoalFactory(program=world.program, plan=plan, title="Daily ten-minute huddles")
    second = PracticeFactory(program=world.program, name="North PSP Hillside Surgery")
    CoachAssignmentFactory(program=world.program, practice=second, coach=world.coach)
    return world


def test_a_coach_logs_a_visit_on_a_phone_and_finds_it_on_the_practice_timeline(
    live_server, page, caseload, screenshots
):
    world = caseload
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.coach)

    # From the home page's upcoming visits to the log form.
    page.goto(f"{live_server.url}/p/{world.program.slug}/")
    page.get_by_role("region", name="Upcoming visits").get_by_role(
        "link", name="Log a visit"
    ).click()
    expect(page.get_by_role("heading", name="Log a visit")).to_be_visible()

    # Choosing the practice brings in its people and its plan's open goals.
    page.get_by_label("Practice", exact=True).select_option(label=world.practice.name)
    lead = page.get_by_role("checkbox", name=world.lead.full_name)
    expect(lead).to_be_visible()
    expect(page.get_by_role("checkbox", name="Daily ten-minute huddles")).to_be_visible()
    lead.check()

    # Ticking activities splits the duration evenly; typed minutes are left alone.
    workflow = page.get_by_role("spinbutton", name="Workflow and systems optimization (minutes)")
    review = page.get_by_role("spinbutton", name="Data and measurement review (minutes)")
    hint = page.locator("[data-minutes-left]")
    expect(hint).to_have_text("60 minutes left to assign.")
    page.get_by_role("checkbox", name="Workflow and systems optimization").check()
    page.get_by_role("checkbox", name="Data and measurement review").check()
    expect(workflow).to_have_value("30")
    expect(review).to_have_value("30")
    expect(hint).to_have_text("All 60 minutes are assigned.")
    review.fill("20")
    expect(hint).to_have_text("10 minutes left to assign.")
    workflow.fill("40")
    expect(hint).to_have_text("All 60 minutes are assigned.")
    page.get_by_label("Duration (minutes)").fill("75")  # by hand now: no new split
    expect(workflow).to_have_value("40")
    expect(hint).to_have_text("15 minutes left to assign.")
    page.get_by_label("Duration (minutes)").fill("60")

    page.locator("#id_purpose").fill(PURPOSE)
    # The action items wait behind one button.
    expect(page.get_by_label("Action", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Add an action", exact=True).click()
    page.get_by_label("Action", exact=True).first.fill("Print the huddle board")
    page.get_by_role("button", name="Add another action").click()
    expect(page.get_by_role("group", name="Action 2")).to_be_visible()
    expect(page.get_by_label("Action", exact=True).nth(1)).to_be_focused()
    page.get_by_label("Action", exact=True).nth(1).fill("Send the huddle checklist")
    page.get_by_text("Schedule the next visit").click()  # folded until opened
    page.get_by_label("Date of the next visit").fill(NEXT.isoformat())

    # An accidental reload loses nothing: the draft comes back, practice and all.
    page.reload()
    notice = page.locator("[data-draft-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Restored your unsaved draft from")
    expect(page.locator("#id_purpose")).to_have_value(PURPOSE)
    expect(page.get_by_label("Practice", exact=True)).to_have_value(str(world.practice.pk))
    expect(page.get_by_role("checkbox", name=world.lead.full_name)).to_be_checked()
    expect(page.get_by_label("Date of the next visit")).to_be_visible()  # reopened
    expect(page.get_by_label("Date of the next visit")).to_have_value(NEXT.isoformat())
    expect(workflow).to_have_value("40")
    expect(page.get_by_label("Action", exact=True).first).to_have_value("Print the huddle board")
    expect(page.get_by_label("Action", exact=True).nth(1)).to_have_value(
        "Send the huddle checklist"
    )
    page.screenshot(path=screenshots / "visit-log-phone.png", full_page=True)
    assert _fits_the_width(page), "the log form scrolls sideways on a phone: " + _widest(page)

    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_text("The visit is logged.")).to_be_visible()
    with program_scope(world.program):
        visit = Visit.objects.get(purpose=PURPOSE)
    assert page.url == f"{live_server.url}{visit.get_absolute_url()}"
    assert (visit.duration_minutes, visit.practice_id) == (60, world.practice.pk)
    with program_scope(world.program):
        assert sorted(visit.new_actions.values_list("title", flat=True)) == [
            "Print the huddle board",
            "Send the huddle checklist",
        ]
    expect(page.get_by_text("Send the huddle checklist")).to_be_visible()
    page.screenshot(path=screenshots / "visit-detail-phone.png", full_page=True)
    assert _fits_the_width(page), "the visit page scrolls sideways on a phone: " + _widest(page)
    # The server has it: the draft is gone.
    drafts = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('psp:visit-draft:'))"
    )
    assert drafts == []

    # The practice's timeline shows the visit.
    timeline = reverse(
        "practice_coaching:timeline",
        kwargs={"program": world.program.slug, "practice_pk": world.practice.pk},
    )
    page.goto(f"{live_server.url}{timeline}")
    entry = page.locator(".timeline__item", has_text=PURPOSE)
    expect(entry).to_be_visible()
    expect(entry.locator(f'a[href="{visit.get_absolute_url()}"]')).to_be_visible()
    page.screenshot(path=screenshots / "visit-timeline-phone.png", full_page=True)

    # The practice page's panel and the coach's home show it, and the visit planned next.
    page.goto(f"{live_server.url}{world.practice.get_absolute_url()}")
    panel = page.get_by_role("region", name="Visits", exact=True)
    expect(panel.locator(f'a[href="{visit.get_absolute_url()}"]')).to_be_visible()
    page.screenshot(path=screenshots / "visit-practice-panel-phone.png", full_page=True)
    assert _fits_the_width(page), "the practice page scrolls sideways: " + _widest(page)
    page.goto(f"{live_server.url}/p/{world.program.slug}/")
    upcoming = page.get_by_role("region", name="Upcoming visits")
    expect(upcoming.get_by_role("link", name=world.practice.name, exact=True)).to_be_visible()
    expect(
        upcoming.get_by_role("link", name=f"Complete the visit to {world.practice.name}")
    ).to_be_visible()


def _longest_date_before(today: date) -> date:
    """A past Wednesday in September: the widest date the visit page writes out in full."""
    year = today.year if today >= date(today.year, 10, 1) else today.year - 1
    day = date(year, 9, 30)
    while day.weekday() != 2:
        day -= timedelta(days=1)
    return day


def test_the_visit_page_fits_a_phone_with_its_widest_facts(live_server, page, caseload):
    """The logging test's visit is dated today, so its width depends on the day the suite runs;
    this one always shows the widest date, a long coach name and a long purpose."""
    world = caseload
    world.coach.full_name = "Dr. Maximilienne Vandenbroucke-Oyelaran"
    world.coach.save()
    longest = _longest_date_before(timezone.localdate())
    visit = VisitFactory(
        program=world.program,
        practice=world.practice,
        coach=world.coach,
        visit_date=longest,
        purpose="Reconciliationofthediabetesregistryagainsttheelectronicrecordexport",
    )
    assert f"{longest:%A %-d %B %Y}".startswith("Wednesday") and longest.month == 9
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.coach)
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    expect(page.get_by_text(f"{longest:%A %-d %B %Y}", exact=True)).to_be_visible()
    assert _fits_the_width(page), "the visit page scrolls sideways on a phone: " + _widest(page)


def _widest(page) -> str:
    """The elements sticking out past the right edge, to name in a failure."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right
                          > document.documentElement.clientWidth + 1)
             .slice(0, 5)
             .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                       + ' (' + Math.round(e.getBoundingClientRect().right) + 'px)')
             .join(', ')"""
    )


def _fits_the_width(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
