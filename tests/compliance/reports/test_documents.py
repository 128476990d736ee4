"""The compliance documents: what a reader finds in a practice's compliance report and in the
program's status, and who may ask for them."""

import pytest
from django.urls import reverse

from compliance.reports.forms import NOT_FOUND, PracticeComplianceForm
from psp.reports.models import Report
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope

pytestmark = pytest.mark.django_db


def words(texts) -> str:
    return " ".join(" ".join(texts).split())


def test_the_report_names_the_practice_and_numbers_its_pages(rendered):
    texts = rendered.texts("compliance_report")
    _, pages, progress = rendered.pdfs["compliance_report"]
    assert rendered.world.practice.name in texts[0] and "Compliance report" in texts[0]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text
    assert progress[0] == (0, 4) and progress[-1] == (4, 4)


def test_the_report_shows_status_due_failed_items_and_sign_offs(rendered):
    text = words(rendered.texts("compliance_report"))
    assert "Infection control audit" in text and "12 days overdue" in text
    assert "Due in 9 days" in text
    assert "Completed, awaiting sign-off" in text
    assert "Replace the sharps bins in both treatment rooms" in text and "No action yet" in text
    assert "6 days late" in text and "Practice lead" in text
    assert rendered.world.lead.full_name in text
    assert rendered.world.other_practice.name not in text and "South PSP" not in text


def test_the_status_counts_each_template_and_practice_and_lists_the_overdue(rendered):
    text = words(rendered.texts("compliance_status"))
    assert "Compliance status" in text and "Every practice and checklist" in text
    assert "By checklist" in text and "By practice" in text
    assert rendered.world.other_practice.name in text  # its privacy review, 3 days overdue
    assert "Overdue checklists" in text and "South PSP" not in text


def test_a_practice_of_another_program_is_not_found(world, other_world):
    with program_scope(world.program):
        form = PracticeComplianceForm({"practice": str(other_world.practice.pk)})
        assert not form.is_valid()
    assert form.errors["practice"] == [NOT_FOUND]


def test_a_coach_may_only_ask_for_the_practices_they_coach(world):
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.coach)
        mine = PracticeComplianceForm({"practice": str(world.practice.pk)}, access=access)
        theirs = PracticeComplianceForm({"practice": str(world.other_practice.pk)}, access=access)
        assert mine.is_valid(), mine.errors
        assert not theirs.is_valid()


def request_page(client, world, user, code, query=""):
    client.force_login(user)
    url = reverse("reports:request", kwargs={"program": world.program.slug, "document_code": code})
    return client.get(url + query)


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("manager", 200), ("coach", 403), ("lead", 403), ("staff", 403)],
)
def test_only_admins_and_managers_ask_for_the_program_status(client, world, role, status):
    assert request_page(client, world, world.user(role), "compliance_status").status_code == status


@pytest.mark.parametrize(
    ("role", "theirs", "other"),
    [("manager", 302, 302), ("coach", 302, 403), ("lead", 302, 403), ("staff", 403, 403)],
)
def test_a_practice_report_is_for_whoever_reports_on_that_practice(
    client, world, role, theirs, other, django_capture_on_commit_callbacks
):
    client.force_login(world.user(role))
    url = reverse(
        "reports:request",
        kwargs={"program": world.program.slug, "document_code": "compliance_report"},
    )
    for practice, expected in ((world.practice, theirs), (world.other_practice, other)):
        with django_capture_on_commit_callbacks(execute=False):
            page = client.post(url, {"practice": practice.pk})
        assert page.status_code == expected, (practice, page.status_code)
    with program_scope(world.program):
        asked = sorted(Report.objects.values_list("params__practice", flat=True))
    assert asked == [p.pk for p, e in ((world.practice, theirs), (world.other_practice, other))
                     if e == 302]  # fmt: skip


def test_another_program_s_members_do_not_find_the_documents(client, world, other_world):
    page = request_page(client, world, other_world.admin, "compliance_status")
    assert page.status_code == 404
