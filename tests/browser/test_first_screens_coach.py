"""A coach's first screens on a phone (issue 10): the visit form starts with what every visit
has and keeps the action items folded behind one "Add an action" button, so the save button is
about two screens down; tapping an activity's name ticks it; and the caseload's and the visit
form's tap targets are at least 44x44 CSS px (WCAG 2.2 target size, enhanced), measured in the
browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coaching.models import PlanStatus, Visit
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.browser.signing_in import sign_in
from tests.factories import (
    MembershipFactory,
    PlanGoalFactory,
    PracticeMembershipFactory,
    SupportPlanFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TARGET = 44  # CSS px, both ways
SCREENS_TO_SAVE = 2.7  # phone screens from the top of the log form's page to its save button
PURPOSE = "Huddle board review, logged without scrolling past empty actions"

# What a finger taps on each page: links and buttons, the labels that tick boxes and radio
# buttons, the fields. Text links inside a sentence are exempt (WCAG 2.5.5), so none is listed.
CASELOAD_TARGETS = ".caseload-table a, .caseload-count, .filters select, .filters button"
FORM_TARGETS = (
    ".visit-form input:not([type=hidden]):not([type=checkbox]):not([type=radio]),"
    " .visit-form select, .visit-form textarea, .visit-form button, .visit-form summary,"
    " .visit-form .form-actions a,"
    " .visit-activity__name, .visit-mode__choice, .visit-check label"
)


@pytest.fixture
def practice_with_a_plan(world):
    """world.coach's practice as coaches meet it: five people and a plan with three goals."""
    for number in range(3):
        person = UserFactory(full_name=f"Practice Person {number + 1}")
        MembershipFactory(program=world.program, user=person, role=ProgramRole.PRACTICE)
        PracticeMembershipFactory(program=world.program, practice=world.practice, user=person)
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    for title in ("Daily ten-minute huddles", "Same-day access", "Registry coverage"):
        PlanGoalFactory(program=world.program, plan=plan, title=title)
    return world


def _too_small(page, selector: str) -> list[str]:
    """The visible elements matching `selector` smaller than TARGET px either way."""
    return page.evaluate(
        """([selector, target]) => [...document.querySelectorAll(selector)]
             .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
             .map(e => [e, e.getBoundingClientRect()])
             .filter(([e, box]) => box.width > 1 && (box.width < target || box.height < target))
             .map(([e, box]) => `${e.tagName.toLowerCase()} "${(e.textContent || e.name || '')
                 .trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`)""",
        [selector, TARGET],
    )


def _visible_action_fields(page) -> int:
    return page.locator(".visit-form [name^='actions-'][name$='-title']:visible").count()


def test_a_coach_logs_a_visit_on_a_phone_without_scrolling_past_empty_actions(
    live_server, page, practice_with_a_plan
):
    world = practice_with_a_plan
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.coach)
    log_url = reverse("visits:log", kwargs={"program": world.program.slug})
    page.goto(f"{live_server.url}{log_url}?practice={world.practice.pk}")

    # The fields every visit has come first; no action field is shown, only the button.
    form = page.locator("form[data-visit-form]")
    expect(form.get_by_role("checkbox", name=world.lead.full_name)).to_be_visible()
    assert _visible_action_fields(page) == 0
    add = page.get_by_role("button", name="Add an action", exact=True)
    expect(add).to_be_visible()
    order = page.evaluate(
        """() => ['#id_visit_date', '#visit-activities', '.visit-mode', '#id_attendees_group',
                  '#id_purpose', '#id_notes', '#id_goals_group', '#visit-new-actions',
                  '[data-next-visit]']
             .map(s => Math.round(document.querySelector(s).getBoundingClientRect().top))"""
    )
    assert order == sorted(order), f"the form's parts are out of order: {order}"
    save = page.get_by_role("button", name="Save the visit")
    save_bottom = page.evaluate(
        "() => document.querySelector('.visit-form [type=submit]').getBoundingClientRect().bottom"
        " + window.scrollY"
    )
    # Was 5.5 screens. Eight activity rows of 44 px targets, five people and three goals keep
    # it above two; the demo's practices (one to four people) take 2.4.
    assert save_bottom <= SCREENS_TO_SAVE * PHONE["height"], (
        f"the save button is {save_bottom / PHONE['height']:.1f} phone screens down"
    )

    # Tapping an activity's name ticks its box, which splits the duration.
    page.get_by_text("Workflow and systems optimization", exact=True).click()
    expect(page.get_by_role("checkbox", name="Workflow and systems optimization")).to_be_checked()
    expect(
        page.get_by_role("spinbutton", name="Workflow and systems optimization (minutes)")
    ).to_have_value("60")
    page.get_by_role("checkbox", name=world.lead.full_name).check()
    page.locator("#id_purpose").fill(PURPOSE)

    # One action, added with the button, then saved with the visit.
    add.click()
    expect(page.get_by_role("group", name="Action 1")).to_be_visible()
    title = page.get_by_label("Action", exact=True)
    expect(title).to_have_count(1)
    expect(title).to_be_focused()
    title.fill("Print the huddle board")
    expect(page.get_by_role("button", name="Add another action")).to_be_visible()
    save.click()

    expect(page.get_by_text("The visit is logged.")).to_be_visible()
    with program_scope(world.program):
        visit = Visit.objects.get(purpose=PURPOSE)
        assert list(visit.new_actions.values_list("title", flat=True)) == ["Print the huddle board"]
        assert dict(visit.activities.values_list("activity", "minutes")) == {"workflow": 60}


def test_an_action_that_fails_validation_stays_open_with_its_error(
    live_server, page, practice_with_a_plan
):
    world = practice_with_a_plan
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.coach)
    log_url = reverse("visits:log", kwargs={"program": world.program.slug})
    page.goto(f"{live_server.url}{log_url}?practice={world.practice.pk}")

    page.get_by_role("button", name="Add an action", exact=True).click()
    page.get_by_label("Owner").select_option(value=str(world.lead.pk))
    page.get_by_role("button", name="Save the visit").click()  # no title: refused

    expect(page.get_by_role("alert")).to_contain_text("Action 1, action:")
    row = page.get_by_role("group", name="Action 1")
    expect(row).to_be_visible()
    expect(row.get_by_label("Owner")).to_have_value(str(world.lead.pk))
    assert _visible_action_fields(page) == 1


def test_tap_targets_on_the_caseload_and_the_visit_form_are_44_px(
    live_server, page, practice_with_a_plan
):
    world = practice_with_a_plan
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.coach)

    caseload = reverse("caseload:mine", kwargs={"program": world.program.slug})
    page.goto(f"{live_server.url}{caseload}")
    expect(page.get_by_role("link", name=f"Log a visit to {world.practice.name}")).to_be_visible()
    assert page.locator(CASELOAD_TARGETS).count() >= 4
    assert _too_small(page, CASELOAD_TARGETS) == []
    for name in (f"Timeline of {world.practice.name}", f"Log a visit to {world.practice.name}"):
        box = page.get_by_role("link", name=name).bounding_box()
        assert box["width"] >= TARGET and box["height"] >= TARGET, (name, box)

    page.get_by_role("link", name=f"Log a visit to {world.practice.name}").click()
    expect(page.get_by_role("heading", name="Log a visit")).to_be_visible()
    tick = page.get_by_role("checkbox", name="Data and measurement review")
    expect(tick).to_be_visible()
    assert _too_small(page, FORM_TARGETS) == []
    name = page.locator(".visit-activity__name", has=tick).bounding_box()
    assert name["width"] >= TARGET and name["height"] >= TARGET, name
    page.get_by_role("button", name="Add an action", exact=True).click()
    assert _too_small(page, FORM_TARGETS) == []


def test_a_managers_navigation_keeps_to_one_row_with_a_more_menu_for_the_keyboard(
    live_server, page, world
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, world.manager)
    page.goto(f"{live_server.url}/p/{world.program.slug}/")

    nav = page.get_by_role("navigation", name="Main")
    links = nav.locator(":scope > ul > li")
    # One row: every item spans the same line (the account menu, with the name above the
    # role, is taller than the links, so the items' tops differ; their middles do not).
    boxes = [li.bounding_box() for li in links.all()]
    lowest_top = max(box["y"] for box in boxes)
    highest_bottom = min(box["y"] + box["height"] for box in boxes)
    assert lowest_top < highest_bottom, f"the navigation wraps: {boxes}"
    people = nav.get_by_role("link", name="People")
    expect(people).to_be_hidden()

    nav.locator("summary", has_text="More").focus()
    page.keyboard.press("Enter")
    expect(people).to_be_visible()
    page.keyboard.press("Escape")
    expect(people).to_be_hidden()
