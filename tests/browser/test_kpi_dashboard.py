"""A manager opens the program's KPI dashboard, applies a filter, and sees the URL and the
charts change; on a phone the page fits the width, and axe finds nothing serious."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import AXE_CONTEXT_ARGS, assert_no_serious_findings
from tests.browser.signing_in import sign_in
from tests.kpis.dashboard.conftest import build_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **AXE_CONTEXT_ARGS}


@pytest.fixture
def screenshots(tmp_path) -> Path:
    # Set PSP_SCREENSHOT_DIR to keep them (e.g. to look at the layout by eye).
    folder = Path(os.environ.get("PSP_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_manager_filters_the_dashboard_by_sector(
    live_server, page, transactional_db, screenshots
):
    figures = build_figures()
    sign_in(page, live_server, figures.world.manager)
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url(f"{live_server.url}/p/{figures.world.program.slug}/kpis/")
    expect(page.get_by_role("heading", name="KPI dashboard", level=1)).to_be_visible()
    chart = page.locator("#kpi-chart-no-show-rate-caption").locator("xpath=..")
    expect(chart.locator(".run-chart__signals")).to_contain_text("Trend: 6 points falling")
    before = chart.locator(".run-chart__svg").inner_html()
    page.screenshot(path=screenshots / "kpi-dashboard-desktop.png", full_page=True)

    page.get_by_label("Sector", exact=True).select_option("primary_care")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(lambda url: "sector=primary_care" in url)
    expect(page.locator(".kpi-tile").first).to_contain_text("9%")
    assert chart.locator(".run-chart__svg").inner_html() != before

    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / "kpi-dashboard-phone.png", full_page=True)
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the phone layout scrolls sideways"
    assert_no_serious_findings(page, "the KPI dashboard")
