"""The notifications in a real browser, on a phone and a laptop: the header's link with its
unread count is in sight without opening the menu, the centre fits the screen, and marking a
notification read takes one tap and counts down."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from psp.notifications.registry import Due, Kind, registry
from psp.notifications.services import notify
from psp.tenancy.scope import program_scope
from tests.browser.axe import AXE_CONTEXT_ARGS, assert_no_serious_findings, require_axe
from tests.browser.signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
READY = Kind(code="browser_report_ready", label="A report is ready", description="When made.")


@pytest.fixture
def screenshots(tmp_path) -> Path:
    # Set PSP_SCREENSHOT_DIR to keep them (e.g. to look at the layout by eye).
    folder = Path(os.environ.get("PSP_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def two_unread(world, monkeypatch):
    monkeypatch.setattr(registry, "kinds", {**registry.kinds, READY.code: READY})
    with program_scope(world.program):
        for n, name in enumerate(("Practice report card", "Program report")):
            notify(
                program=world.program,
                due=Due(
                    kind=READY.code,
                    key=f"browser:{n}",
                    title=f"Your {name} for {world.practice.name} is ready to download",
                    body="It stays available for 90 days.",
                    url=f"/p/{world.program.slug}/practices/{world.practice.pk}/",
                    recipient_id=world.coach.pk,
                    practice_id=world.practice.pk,
                ),
            )


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_unread_count_is_in_sight_and_marking_read_counts_down(
    live_server, page, world, two_unread, screenshots, size
):
    page.set_viewport_size(size)
    sign_in(page, live_server, world.coach)

    link = page.get_by_role("link", name="Notifications, 2 unread")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    link.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshots / f"notifications-{size['width']}.png", full_page=True)

    page.get_by_role("button", name=re.compile(r"Mark read\W+Your Program report")).click()

    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    page.get_by_role("link", name="Notification settings").click()
    expect(page.get_by_role("group", name="A report is ready")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshots / f"notification-settings-{size['width']}.png", full_page=True)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_notification_pages_have_no_serious_accessibility_findings(
    live_server, browser, world, two_unread, size
):
    require_axe()
    # axe is injected as an inline script, which the pages' policy refuses: this context
    # bypasses it (the test above keeps the policy).
    context = browser.new_context(viewport=size, **AXE_CONTEXT_ARGS)
    page = context.new_page()
    try:
        sign_in(page, live_server, world.coach)
        for path in ("", "settings/"):
            page.goto(f"{live_server.url}/p/{world.program.slug}/notifications/{path}")
            assert_no_serious_findings(page, f"notifications/{path} at {size['width']} px")
    finally:
        context.close()
