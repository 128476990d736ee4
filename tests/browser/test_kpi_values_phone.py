"""Entering KPI values on a 390×844 phone: the grid scrolls sideways inside its labelled region
with the KPI's name kept in view, each value saves itself when the person leaves its box, and a
value the KPI cannot take stays as typed with the reason beside it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kpis.models import KpiValue
from psp.tenancy.scope import program_scope
from tests.browser.signing_in import sign_in
from tests.browser.test_assessment_flow import PHONE
from tests.factories import KpiDefinitionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_enters_values_on_a_phone(live_server, page, world):
    with program_scope(world.program):
        world.practice.enrolled_on = timezone.localdate() - timedelta(days=400)
        world.practice.save()
        visits = KpiDefinitionFactory(
            program=world.program, code="patient-visits", name="Patient visits",
            unit="count", aggregation="sum", target=40,
        )  # fmt: skip
        KpiDefinitionFactory(
            program=world.program, code="no-show-rate", name="Missed appointment rate",
            unit="percent", aggregation="ratio",
        )  # fmt: skip
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.lead)
    page.goto(f"{live_server.url}/p/{world.program.slug}/")
    page.get_by_role("link", name="Enter KPI values").first.click()

    expect(page.get_by_role("heading", name="Enter KPI values")).to_be_visible()
    expect(page.get_by_text("6 months not entered").first).to_be_visible()
    region = page.get_by_role("region", name="Monthly KPI values")
    region.focus()
    expect(region).to_be_focused()

    boxes = page.get_by_label("Patient visits,", exact=False)
    last = boxes.last
    last.fill("41")
    last.press("Tab")
    expect(page.locator(".kpi-cell--saved").first).to_contain_text("Saved")

    first = boxes.first
    first.fill("4.5")
    first.press("Tab")
    expect(page.get_by_text("A count is a whole number, 0 or more.")).to_be_visible()
    expect(first).to_have_value("4.5")
    # The KPI's name stays on screen while the grid scrolls.
    region.evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    name_box = page.locator("th.kpi-grid__kpi").first.bounding_box()
    assert name_box["x"] >= 0 and name_box["x"] + name_box["width"] <= PHONE["width"]
    # The page itself does not scroll sideways: only the grid does.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/kpi-values-phone.png", full_page=True)

    with program_scope(world.program):
        assert [v.value for v in KpiValue.objects.filter(definition=visits)] == [41]
