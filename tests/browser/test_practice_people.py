"""A practice lead, on a phone, finds their practice's people from the practice page, sends an
invitation again and reads the answer on a page they can open; the account menu names them and
their role. A manager's people table scrolls sideways inside a region reached with Tab."""

import pytest
from playwright.sync_api import expect

from psp.demo.common import DEMO_PASSWORD
from psp.demo.programs import NORTHERN
from psp.demo.seed import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD = "helen.park@riverside-fht.example.org"
MANAGER = "marcus.bell@northern-psp.example.org"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    demo_seed()


def sign_in(page, live_server, email):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/p/{NORTHERN}/")


def test_a_lead_sends_an_invitation_again_from_their_practices_people_page(live_server, page, demo):
    sign_in(page, live_server, LEAD)
    page.get_by_role("button", name="Open menu").click()
    menu = page.locator("details.account-menu summary")
    expect(menu).to_contain_text("Dr. Helen Park")
    expect(menu).to_contain_text("Practice lead")
    page.get_by_role("link", name="My practice").click()
    page.get_by_role("link", name="Riverside Family Health Team").first.click()

    page.get_by_role("link", name="People and invitations").click()

    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    waiting = page.locator("li", has_text="devon.price@riverside-fht.example.org")
    expect(waiting).to_be_visible()
    expect(page.get_by_role("link", name="Remove Dr. Helen Park")).to_have_count(0)
    waiting.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("status")).to_contain_text(
        "A new link is on its way to devon.price@riverside-fht.example.org"
    )
    assert page.url.endswith("/people/")


def test_the_people_table_scrolls_in_a_region_reached_with_tab(live_server, page, demo):
    sign_in(page, live_server, MANAGER)
    page.goto(f"{live_server.url}/p/{NORTHERN}/people/")
    region = page.get_by_role("region", name="Table of members")

    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # wider than the phone
    page.locator("h1").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if region.evaluate("el => el === document.activeElement"):
            break
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    # The browser may scroll smoothly: wait for it to move.
    page.wait_for_function(
        "() => document.querySelector('[aria-label=\"Table of members\"]').scrollLeft > 0",
        timeout=5000,
    )
