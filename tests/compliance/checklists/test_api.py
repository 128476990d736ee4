"""The template, pack and assignment endpoints as an integrator uses them: a template created
from a document (problems named by path), its draft replaced and published, packs loaded
without overwriting, assignments by target and by filter making checklists at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.models import ChecklistAssignment, ChecklistInstance
from psp.tenancy.scope import program_scope
from tests.compliance.checklists.test_document import GOOD
from tests.compliance.helpers import published_checklist
from tests.permissions.cells import new_token


def api(world, user=None) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, user or world.admin).key}")
    return client


def url(world, name, **kwargs):
    return reverse(name, kwargs={"program": world.program.slug, **kwargs})


def test_a_template_from_a_document_is_published_and_read_with_its_items(world):
    client = api(world)
    bad = GOOD | {
        "sections": [{"title": "Drills", "items": [{"key": "x", "text": "", "attester": "cook"}]}]
    }
    refused = client.post(
        url(world, "checklist-templates-list"), bad | {"publish": True}, format="json"
    )
    assert refused.status_code == 400
    fields = refused.json()["error"]["fields"]
    assert {"sections[0].items[0].text", "sections[0].items[0].attester"} <= set(fields)

    made = client.post(
        url(world, "checklist-templates-list"), GOOD | {"publish": True}, format="json"
    )
    assert made.status_code == 201
    body = made.json()
    assert body["schedule"] == "Every year, due at the year's end"
    assert [i["key"] for i in body["current_version"]["sections"][0]["items"]] == [
        "last-drill",
        "exits-blocked",
    ]
    lead_reads = api(world, world.lead).get(url(world, "checklist-templates-detail", pk=body["id"]))
    assert lead_reads.status_code == 200


def test_a_new_version_is_drafted_replaced_and_published(world):
    client = api(world)
    made = client.post(
        url(world, "checklist-templates-list"), GOOD | {"publish": True}, format="json"
    )
    pk = made.json()["id"]
    assert client.get(url(world, "checklist-templates-draft", pk=pk)).status_code == 404
    draft = client.post(url(world, "checklist-templates-new-version", pk=pk), {}, format="json")
    assert draft.status_code == 201 and draft.json()["number"] == 2
    sections = [
        {
            "title": "Exits",
            "items": [
                {
                    "key": "exits-blocked",
                    "text": "Is an exit blocked?",
                    "response_type": "yes_no",
                    "yes_is_compliant": False,
                }
            ],
        }
    ]
    bad = client.put(
        url(world, "checklist-templates-draft", pk=pk),
        {"sections": [{"title": "Exits", "items": [{"key": "Bad Key", "text": "x"}]}]},
        format="json",
    )
    assert bad.status_code == 400 and "sections[0].items[0].key" in bad.json()["error"]["fields"]
    replaced = client.put(
        url(world, "checklist-templates-draft", pk=pk), {"sections": sections}, format="json"
    )
    assert replaced.json()["sections"][0]["title"] == "Exits"
    published = client.post(
        url(world, "checklist-templates-publish", pk=pk), {"change_note": "Exits"}, format="json"
    )
    assert published.status_code == 200
    assert published.json()["current_version"]["number"] == 2
    versions = client.get(url(world, "checklist-templates-versions", pk=pk)).json()
    assert [(v["number"], v["item_count"]) for v in versions] == [(2, 1), (1, 2)]
    history = client.get(url(world, "checklist-templates-history", pk=pk)).json()
    assert any("Version 2 published" in line["summary"] for line in history)


def test_packs_are_listed_and_loaded_once(world):
    client = api(world)
    packs = client.get(url(world, "checklist-packs-list")).json()
    assert len(packs) == 7
    first = client.post(url(world, "checklist-packs-load"), {"packs": ["consent"]}, format="json")
    assert first.status_code == 201
    assert sorted(first.json()["made"]) == ["consent-annual-review", "consent-file-audit"]
    again = client.post(url(world, "checklist-packs-load"), {"packs": ["consent"]}, format="json")
    assert again.status_code == 200 and again.json()["made"] == []
    assert sorted(again.json()["skipped"]) == ["consent-annual-review", "consent-file-audit"]


def test_assignments_make_checklists_at_once_and_twice_makes_nothing(world):
    client = api(world)
    template = published_checklist(world.program, recurrence="annually")
    body = {"template": template.pk, "practice": world.practice.pk, "starts_on": "2026-01-01"}
    made = client.post(url(world, "checklist-assignments-list"), body, format="json")
    assert made.status_code == 201 and made.json()["instance_count"] >= 1
    again = client.post(url(world, "checklist-assignments-list"), body, format="json")
    assert again.status_code == 400 and "Already assigned" in str(again.json())

    matching = {
        "template": template.pk,
        "starts_on": "2026-01-01",
        "filters": {"sector": "primary_care"},
    }
    result = client.post(
        url(world, "checklist-assignments-assign-matching"), matching, format="json"
    )
    assert result.status_code == 201
    assert [a["practice"] for a in result.json()["made"]] == [world.other_practice.pk]
    assert result.json()["already"] == [made.json()["id"]]
    bad = client.post(
        url(world, "checklist-assignments-assign-matching"),
        matching | {"filters": {"sector": "farming"}},
        format="json",
    )
    assert bad.status_code == 400 and "filters.sector" in bad.json()["error"]["fields"]

    pk = made.json()["id"]
    ended = client.post(url(world, "checklist-assignments-deactivate", pk=pk), {}, format="json")
    assert ended.json()["is_active"] is False
    with program_scope(world.program):
        assert ChecklistAssignment.objects.filter(is_active=True).count() == 1
        assert ChecklistInstance.objects.filter(practice=world.practice).exists()


def _count(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url(world, "checklist-templates-list"))
    assert answer.status_code == 200
    return len(queries)


def test_the_template_list_reads_a_fixed_number_of_queries(world):
    client = api(world)
    published_checklist(world.program)
    client.get(url(world, "checklist-templates-list"))
    small = _count(client, world)
    for _ in range(6):
        published_checklist(world.program, items=5)
    assert _count(client, world) == small
