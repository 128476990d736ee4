"""A coach signs in through the real login form and finds their caseload on the program home,
on a phone and on a desktop."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from practices.models import CoachAssignment, Practice
from psp.demo.common import DEMO_PASSWORD
from psp.demo.programs import NORTHERN
from psp.demo.seed import demo_seed
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COACH = "aisha.mensah@northern-psp.example.org"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db):
    """The demo installation, committed so the live server's thread sees it."""
    demo_seed()
    program = Program.objects.get(slug=NORTHERN)
    with program_scope(program):
        mine = set(
            CoachAssignment.objects.filter(coach__email=COACH).values_list(
                "practice__name", flat=True
            )
        )
        others = set(Practice.objects.exclude(name__in=mine).values_list("name", flat=True))
    return program, mine, others


@pytest.fixture
def screenshots(tmp_path) -> Path:
    # Set PSP_SCREENSHOT_DIR to keep them (e.g. to look at the layout by eye).
    folder = Path(os.environ.get("PSP_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_coach_signs_in_and_sees_their_caseload(live_server, page, demo, screenshots):
    program, mine, others = demo
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(COACH)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # A coach with one program lands on its home page, which lists their caseload.
    page.wait_for_url(f"{live_server.url}/p/{program.slug}/")
    main = page.locator("main")
    for name in sorted(mine):
        expect(main.get_by_text(name, exact=True).first).to_be_visible()
    for name in sorted(others):
        expect(main.get_by_text(name, exact=True)).to_have_count(0)
    assert _stylesheet_loaded(page), "app.css did not load"
    # Screenshots first, so a failing layout check leaves a picture to look at.
    page.screenshot(path=screenshots / "coach-home-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=screenshots / "coach-home-desktop.png", full_page=True)
    assert _fits_the_width(page), "the desktop layout scrolls sideways"
    page.set_viewport_size(PHONE)
    assert _fits_the_width(page), "the phone layout scrolls sideways: " + _widest(page)


def _stylesheet_loaded(page) -> bool:
    # True when at least one rule of the project's stylesheet reached the browser.
    return page.evaluate(
        """() => [...document.styleSheets].some(
             s => (s.href || '').includes('/static/css/app.css') && s.cssRules.length > 0)"""
    )


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
