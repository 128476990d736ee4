"""Assessment pages on a 390×844 phone: the results and consensus tables show every column as
labelled values (none cut off), their regions are reachable by keyboard, and an option whose
text wraps keeps its button and number beside the text."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import QuestionKind
from tests.assessments.helpers import answer, build_instrument, open_round, scored_round
from tests.browser.signing_in import sign_in
from tests.browser.test_assessment_flow import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_START = "Not started: nobody in the practice has looked at how this could work for us yet"
SPEC = [
    (
        "team",
        "Team roles",
        [
            {
                "key": "roles-clear",
                "kind": QuestionKind.SCALE,
                "text": "Everyone knows who does what.",
                "scale_labels": {"1": LONG_START, "5": "Fully in place"},
            },
            {"key": "huddles", "kind": QuestionKind.YES_NO, "text": "The team meets weekly."},
        ],
    ),
    (
        "tech",
        "EHR and technology use",
        [{"key": "portal", "kind": QuestionKind.YES_NO, "text": "Patients use the portal."}],
    ),
]
AGREED = {"huddles": True, "portal": True}


def within_the_screen(page, selector: str) -> list[str]:
    """The texts of the elements matching `selector` that end past the phone's right edge."""
    return page.eval_on_selector_all(
        selector,
        "(cells, width) => cells.filter(c => c.getBoundingClientRect().right > width + 0.5)"
        ".map(c => c.textContent.trim())",
        PHONE["width"],
    )


def test_results_show_baseline_and_change_as_labelled_values_on_a_phone(live_server, page, world):
    version = build_instrument(world.program, SPEC)
    a_year_ago = timezone.now() - timedelta(days=365)
    scored_round(world, version, {"roles-clear": 2, "huddles": False, "portal": False},
                 submitted_at=a_year_ago)  # fmt: skip
    latest = scored_round(world, version, {"roles-clear": 4, "huddles": True, "portal": True})
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.staff)

    page.goto(f"{live_server.url}/p/{world.program.slug}/assessments/{latest.pk}/results/")

    table = page.locator("table.score-table")
    first = table.locator("tbody tr").first
    expect(first.locator("td[data-label='Change']")).to_be_visible()
    expect(first.locator("td[data-label^='Baseline']")).to_be_visible()
    assert within_the_screen(page, "table.score-table th, table.score-table td") == []
    # Each value is labelled by its column, as the header row is hidden on a phone.
    label = first.locator("td[data-label='Change']").evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label == '"Change"'
    region = page.get_by_role("region", name="Table of domain scores")
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    expect(region).to_be_focused()


def test_consensus_rows_show_each_respondent_labelled_on_a_phone(live_server, page, world):
    version = build_instrument(world.program, SPEC)
    assessment = open_round(world, version)
    answer(world, assessment, world.staff, {**AGREED, "roles-clear": 2}, submit=True)
    answer(world, assessment, world.lead, {**AGREED, "roles-clear": 4}, submit=True)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.lead)

    page.goto(f"{live_server.url}/p/{world.program.slug}/assessments/{assessment.pk}/consensus/")

    row = page.locator("tr.consensus-row").first
    expect(row.locator(f"td[data-label='{world.staff.full_name}']")).to_be_visible()
    expect(row.locator("td[data-label='Consensus']")).to_be_visible()
    assert within_the_screen(page, "table.consensus-table th, table.consensus-table td") == []
    region = page.get_by_role("region", name="Team roles: answers and consensus")
    region.focus()
    expect(region).to_be_focused()


def test_a_wrapping_option_keeps_its_button_and_number_beside_its_text(live_server, page, world):
    assessment = open_round(world, build_instrument(world.program, SPEC))
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.staff)

    page.goto(f"{live_server.url}/p/{world.program.slug}/assessments/{assessment.pk}/answer/")

    option = page.locator("label.choice", has_text=LONG_START)
    button = option.locator("input").bounding_box()
    number = option.locator(".choice__number").bounding_box()
    text = option.locator(".choice__label").bounding_box()
    assert text["height"] > 40, "the option's text should wrap on a phone"
    assert number["x"] > button["x"] + button["width"]  # number right of the button
    assert text["x"] > number["x"] + number["width"]  # text right of the number, not under
    assert abs((button["y"] + button["height"] / 2) - (number["y"] + number["height"] / 2)) < 6
    assert abs(number["y"] - text["y"]) < 4  # the number on the text's first line
    assert option.bounding_box()["height"] >= 44
    option.locator(".choice__label").click()  # the text is part of the target
    expect(option.locator("input")).to_be_checked()
    # The answer saves itself: wait for it, so no request is in flight when the test ends.
    question = page.locator(".question", has=option)
    expect(question.locator(".question__saved")).to_have_text("Saved")
