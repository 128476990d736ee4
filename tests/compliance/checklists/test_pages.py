"""The template pages as an admin uses them, without JavaScript: loading packs, writing a draft
item by item, publishing, and assigning to the practices a filter matches. The list reads a
fixed number of queries however many templates and assignments there are."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import ChecklistAssignment, ChecklistInstance, ChecklistTemplate
from psp.tenancy.scope import program_scope
from tests.compliance.helpers import assign, published_checklist
from tests.factories import PracticeFactory


def url(world, name, **kwargs):
    return reverse(f"compliance_templates:{name}", kwargs={"program": world.program.slug, **kwargs})


def _list_queries(client, world) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url(world, "list"))
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_the_list_reads_the_same_number_of_queries_for_more_templates(client, world):
    client.force_login(world.admin)
    first = published_checklist(world.program, recurrence="quarterly", sector="primary_care")
    assign(first, sector="primary_care")
    client.get(url(world, "list"))  # the first visit records the person's last program
    small, _ = _list_queries(client, world)
    with program_scope(world.program):
        for number in range(6):
            PracticeFactory(program=world.program, name=f"Clinic {number}")
    for _ in range(8):
        template = published_checklist(world.program, recurrence="monthly", items=4)
        assign(template, practice=world.practice)
        assign(template)
    large, text = _list_queries(client, world)
    assert small == large
    assert "Every quarter, due at each quarter" in text
    # The sector assignment covers the world's two primary care practices and the six new ones.
    assert '<td data-label="Practices assigned">8</td>' in text


def test_loading_packs_says_what_was_made_and_what_was_skipped(client, world):
    client.force_login(world.admin)
    page = client.get(url(world, "packs"))
    assert "Load every pack for this program" in page.content.decode()
    client.post(url(world, "packs"), {"packs": "consent"})
    answer = client.post(url(world, "packs"), {"packs": ["consent", "data-security"]}, follow=True)
    text = answer.content.decode()
    assert "Loaded 3 templates" in text
    assert "Skipped, as templates with the same key are here already" in text
    assert "Annual consent review" in text


def test_an_admin_writes_a_template_item_by_item_and_publishes_it(client, world):
    client.force_login(world.admin)
    created = client.post(
        url(world, "new"),
        {
            "name": "Fire safety",
            "key": "fire-safety",
            "recurrence": "annually",
            "anchor_month": "1",
            "due_days": "30",
        },
    )
    with program_scope(world.program):
        template = ChecklistTemplate.objects.get(key="fire-safety")
        draft = template.versions.get()
    assert created["Location"] == url(world, "version", pk=draft.pk)
    client.post(url(world, "section_add", checklistversion_pk=draft.pk), {"title": "Drills"})
    with program_scope(world.program):
        section = draft.sections.get()
    refused = client.post(
        url(world, "item_add", checklistsection_pk=section.pk),
        {"section": section.pk, "text": "", "response_type": "date", "attester": "lead"},
    )
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    client.post(
        url(world, "item_add", checklistsection_pk=section.pk),
        {
            "section": section.pk,
            "text": "Date of the last fire drill.",
            "response_type": "date",
            "attester": "lead",
            "evidence_required": "on",
        },
    )
    page = client.get(url(world, "version", pk=draft.pk)).content.decode()
    assert "Date of the last fire drill." in page and "Evidence required" in page
    client.post(url(world, "publish", pk=draft.pk), {"change_note": "First version"})
    with program_scope(world.program):
        template.refresh_from_db()
        assert template.current_version_id == draft.pk
    # A published version offers no editing: the edit page sends back to it.
    with program_scope(world.program):
        item = draft.items.get()
    back = client.get(url(world, "item_edit", pk=item.pk))
    assert back["Location"] == url(world, "version", pk=draft.pk)


def test_assigning_to_the_practices_a_filter_matches(client, world):
    client.force_login(world.admin)
    template = published_checklist(world.program, recurrence="annually")
    with program_scope(world.program):
        PracticeFactory(program=world.program, sector="law", name="Harbour Law")
    matching = url(world, "assign") + "?sector=primary_care"
    preview = client.get(matching).content.decode()
    assert "2 practices match" in preview and "Harbour Law <span" not in preview
    answer = client.post(
        matching,
        {"template": template.pk, "target": "matching", "starts_on": "2026-01-01"},
        follow=True,
    )
    assert "2 assignments made" in answer.content.decode()
    with program_scope(world.program):
        assert set(ChecklistAssignment.objects.values_list("practice_id", flat=True)) == {
            world.practice.pk,
            world.other_practice.pk,
        }
        assert ChecklistInstance.objects.filter(period_key="2026").count() == 2
    again = client.post(
        matching,
        {"template": template.pk, "target": "matching", "starts_on": "2026-01-01"},
        follow=True,
    )
    assert "Already assigned, left as it was: 2 targets" in again.content.decode()


def test_assigning_without_a_filter_or_a_practice_is_refused_beside_the_field(client, world):
    client.force_login(world.admin)
    template = published_checklist(world.program)
    page = client.post(
        url(world, "assign"),
        {"template": template.pk, "target": "practice", "starts_on": "2026-01-01"},
    )
    assert page.status_code == 200 and "Choose the practice." in page.content.decode()
    page = client.post(
        url(world, "assign"),
        {"template": template.pk, "target": "matching", "starts_on": "2026-01-01"},
    )
    assert "Choose filters above" in page.content.decode()
    with program_scope(world.program):
        assert not ChecklistAssignment.objects.exists()


def test_a_practice_lead_reads_templates_but_sees_no_assignments(client, world):
    template = published_checklist(world.program)
    assign(template, practice=world.other_practice, starts_on=date(2026, 1, 1))
    client.force_login(world.lead)
    page = client.get(url(world, "detail", pk=template.pk)).content.decode()
    assert template.name in page
    assert world.other_practice.name not in page
    assert "Assign to practices" not in page
