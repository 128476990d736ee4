"""A practice lead on a 390 px phone opens the practice's compliance checklists from its page,
answers a checklist item by item (each saved on its own, in place), attaches a PDF to the item
that asks for evidence, and signs it off once the last item is answered; the practice's coach
then finds it signed off on the practice's checklists. The pages fit the phone's width, and axe
finds nothing serious on the checklist."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import ChecklistInstance, ChecklistItem
from compliance.schedules.services import schedule_instances
from psp.tenancy.scope import program_scope
from tests.browser.axe import AXE_CONTEXT_ARGS, assert_no_serious_findings
from tests.browser.signing_in import sign_in
from tests.compliance.helpers import assign, published_checklist
from tests.evidence.subjects import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("PSP_SCREENSHOTS", "")  # a folder to keep screenshots in, when asked
ITEMS = [
    ("done", "The privacy notice is displayed in the waiting room.", True),
    ("yes_no", "Is the records room left unlocked when nobody is in it?", False),
    ("number", "How many staff completed privacy training this year?", False),
]


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **AXE_CONTEXT_ARGS}


def fits_the_phone(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def scheduled_checklist(world) -> ChecklistInstance:
    """A one-off privacy checklist assigned to the world's practice, made by the schedule."""
    template = published_checklist(
        world.program, items=len(ITEMS), name="Privacy and confidentiality", recurrence="once"
    )
    with program_scope(world.program):
        rows = ChecklistItem.objects.filter(version=template.current_version).order_by("position")
        for row, (kind, text, evidence) in zip(rows, ITEMS, strict=True):
            row.response_type, row.text, row.evidence_required = kind, text, evidence
            row.yes_is_compliant = kind != "yes_no"
            row.save()
    assign(template, practice=world.practice, starts_on=timezone.localdate() - timedelta(days=5))
    with program_scope(world.program):
        assert schedule_instances(program=world.program) == 1
        return ChecklistInstance.objects.get()


def item(page, text: str):
    return page.locator("article.checklist-item", has_text=text)


def save(article):
    article.get_by_role("button", name=re.compile("^Save")).click()
    expect(article.locator(".checklist-item__saved")).to_have_text("Saved.")


def test_a_lead_completes_a_checklist_on_a_phone_and_the_coach_sees_it_signed_off(
    live_server, page, world
):
    checklist = scheduled_checklist(world)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.lead)
    page.goto(f"{live_server.url}{world.practice.get_absolute_url()}")
    page.get_by_role("link", name=re.compile("^See the checklists")).click()
    expect(page.get_by_role("heading", name="Compliance checklists")).to_be_visible()
    assert fits_the_phone(page), "a practice's checklists scroll sideways on a phone"
    page.get_by_role("link", name=re.compile("^Privacy and confidentiality")).click()
    expect(page.locator("#checklist-progress")).to_contain_text("0 of 3 answered")

    notice = item(page, ITEMS[0][1])
    notice.get_by_label("Done", exact=True).check()
    save(notice)
    expect(notice.get_by_text("Needs evidence")).to_be_visible()
    notice.get_by_label("Evidence files").set_input_files(
        files=[{"name": "privacy-notice.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    notice.get_by_label("What are they?").select_option("Photo")
    notice.get_by_role("button", name="Upload").click()
    expect(notice.get_by_role("link", name="privacy-notice.pdf")).to_be_visible()
    expect(notice.get_by_text("Needs evidence")).to_have_count(0)

    records = item(page, ITEMS[1][1])
    records.get_by_label("No", exact=True).check()
    save(records)
    _shot(page, "checklist-phone-answering")
    assert fits_the_phone(page), "the checklist scrolls sideways on a phone"
    assert_no_serious_findings(page, "a checklist being answered on a phone")

    training = item(page, ITEMS[2][1])
    training.get_by_label("Number").fill("6")
    save(training)
    expect(page.locator("#checklist-progress")).to_contain_text("3 of 3 answered")

    sign_off = page.locator("#sign-off")
    sign_off.get_by_label("Your full name").fill(world.lead.full_name)
    sign_off.get_by_label(re.compile("^I confirm that the answers")).check()
    sign_off.get_by_role("button", name="Sign off as practice lead").click()
    expect(page.get_by_role("status").first).to_contain_text("the checklist is signed off")
    expect(page.locator(".page-header .badge")).to_have_text("Signed off")
    expect(page.locator(".checklist-signature")).to_contain_text(world.lead.full_name)
    _shot(page, "checklist-phone-signed")
    assert fits_the_phone(page), "the signed checklist scrolls sideways on a phone"

    sign_in(page, live_server, world.coach)
    page.goto(f"{live_server.url}/p/{world.program.slug}/compliance/practices/{world.practice.pk}/")
    done = page.locator("section", has=page.get_by_role("heading", name="Signed off"))
    expect(
        done.get_by_role("link", name=re.compile("^Privacy and confidentiality"))
    ).to_be_visible()
    expect(done).to_contain_text(f"Signed by {world.lead.full_name}")
    _shot(page, "checklist-coach-practice")
    with program_scope(world.program):
        checklist.refresh_from_db()
    assert checklist.status == "attested"
