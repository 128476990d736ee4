"""The checklists API: lists filtered as the FilterSet says, one checklist whole, answering an
item (PUT replaces, PATCH changes part, 400 names the field), files on an item before its
answer, signing, correcting, a failed item made an action, the history, and the answer rows'
evidence."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from coaching.models import PlanAction
from psp.tenancy.scope import program_scope
from tests.compliance.instances.helpers import answer, complete, make_checklist, reload, sign
from tests.evidence.subjects import pdf_bytes, upload
from tests.permissions.cells import new_token

pytestmark = pytest.mark.django_db


def client_for(world, role) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, world.user(role)).key}")
    return client


def api(world, name, **kwargs) -> str:
    return reverse(f"checklists-{name}", kwargs={"program": world.program.slug, **kwargs})


@pytest.fixture
def checklist(world):
    return make_checklist(world)


def test_the_list_takes_the_filters(world, checklist):
    instance, items = checklist
    other, _ = make_checklist(world, practice=world.other_practice, name="Records audit")
    complete(world, instance, items)
    client = client_for(world, "admin")

    everything = client.get(api(world, "list")).json()["results"]
    completed = client.get(api(world, "list"), {"status": "completed"}).json()["results"]
    theirs = client.get(api(world, "list"), {"practice": world.other_practice.pk}).json()
    early = client.get(api(world, "list"), {"due_before": "2000-01-01"}).json()["results"]
    refused = client.get(api(world, "list"), {"due_before": "soon"})

    assert {row["id"] for row in everything} == {instance.pk, other.pk}
    assert [row["id"] for row in completed] == [instance.pk]
    assert [row["template_name"] for row in theirs["results"]] == ["Records audit"]
    assert early == []
    assert refused.status_code == 400 and "due_before" in refused.json()["error"]["fields"]


def test_a_lead_lists_their_own_practices_checklists_only(world, checklist):
    make_checklist(world, practice=world.other_practice, name="Records audit")

    rows = client_for(world, "lead").get(api(world, "list")).json()["results"]

    assert [row["id"] for row in rows] == [checklist[0].pk]


def test_one_checklist_comes_whole(world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance)

    data = client_for(world, "coach").get(api(world, "detail", pk=instance.pk)).json()

    assert data["status"] == "attested" and data["progress"] == {
        "items": 5,
        "answered": 5,
        "evidence_missing": 0,
    }
    first = data["items"][0]
    assert (first["answer"]["choice"], first["answer_text"], first["evidence_count"]) == (
        "done",
        "Done",
        1,
    )
    assert first["response_id"] and first["action"] is None
    assert data["attesters_needed"] == ["lead"]
    assert data["attestations"][0]["signed_name"] == world.lead.full_name


def test_put_answers_an_item_and_patch_changes_part_of_it(world, checklist):
    instance, items = checklist
    client = client_for(world, "staff")
    target = api(world, "item", pk=instance.pk, checklistitem_pk=items[3].pk)

    put = client.put(target, {"value_number": "7", "note": "From the log"}, format="json")
    patched = client.patch(target, {"note": "Checked twice"}, format="json")

    assert put.status_code == 200, put.content
    assert put.json()["answer"]["value_number"] == "7.0000"
    assert put.json()["checklist_status"] == "in_progress"
    assert patched.json()["answer"]["value_number"] == "7.0000"
    assert patched.json()["answer"]["note"] == "Checked twice"
    assert patched.json()["progress"]["answered"] == 1


@pytest.mark.parametrize(
    ("index", "body", "field"),
    [
        (0, {"choice": "na"}, "na_reason"),
        (0, {"choice": "yes"}, "choice"),
        (2, {"value_date": "2026-02-31"}, "value_date"),
        (4, {"value_text": "x" * 4001}, "value_text"),
    ],
)
def test_a_bad_answer_is_a_400_naming_the_field(world, checklist, index, body, field):
    instance, items = checklist
    target = api(world, "item", pk=instance.pk, checklistitem_pk=items[index].pk)

    response = client_for(world, "lead").put(target, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert reload(world, instance).status == "open"


def test_an_item_of_another_checklist_is_not_found(world, checklist):
    instance, _ = checklist
    _, others = make_checklist(world, name="Another")
    target = api(world, "item", pk=instance.pk, checklistitem_pk=others[0].pk)

    response = client_for(world, "lead").put(target, {"choice": "done"}, format="json")

    assert response.status_code == 404


def test_a_signed_off_checklist_refuses_an_answer(world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance)
    target = api(world, "item", pk=instance.pk, checklistitem_pk=items[0].pk)

    response = client_for(world, "lead").put(target, {"choice": "not_done"}, format="json")

    assert response.status_code == 400
    assert "signed off" in str(response.json()["error"]["fields"])


def test_a_file_comes_before_the_answer_and_is_read_through_the_answer_row(world, checklist):
    instance, items = checklist
    client = client_for(world, "staff")

    posted = client.post(
        api(world, "item-evidence", pk=instance.pk, checklistitem_pk=items[0].pk),
        {"files": [upload("notice.pdf", pdf_bytes())], "label": "Photo"},
        format="multipart",
    )
    detail = client.get(api(world, "detail", pk=instance.pk)).json()
    response_id = detail["items"][0]["response_id"]
    files = client.get(
        reverse(
            "checklist-responses-evidence",
            kwargs={"program": world.program.slug, "pk": response_id},
        )
    ).json()

    assert posted.status_code == 201, posted.content
    assert detail["items"][0]["answer"]["outcome"] == ""
    assert detail["items"][0]["evidence_missing"] is False
    assert [row["name"] for row in files] == ["notice.pdf"]


def test_staff_may_not_sign_and_the_lead_signs(world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    body = {"attester": "lead", "signed_name": "Lee Lead", "agreed": True}

    refused = client_for(world, "staff").post(api(world, "attest", pk=instance.pk), body)
    unticked = client_for(world, "lead").post(
        api(world, "attest", pk=instance.pk), {**body, "agreed": False}, format="json"
    )
    signed = client_for(world, "lead").post(
        api(world, "attest", pk=instance.pk), body, format="json"
    )

    assert refused.status_code == 403
    assert unticked.status_code == 400 and "agreed" in unticked.json()["error"]["fields"]
    assert signed.status_code == 200 and signed.json()["status"] == "attested"
    assert signed.json()["attestations"][0]["statement"].startswith("I confirm")


def test_a_correction_answers_with_the_new_revision(world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance)
    client = client_for(world, "admin")

    response = client.post(
        api(world, "correct", pk=instance.pk), {"reason": "Wrong date"}, format="json"
    )
    old = client.get(api(world, "detail", pk=instance.pk)).json()

    assert response.status_code == 201
    new = response.json()
    assert (new["revision"], new["supersedes"], new["correction_reason"]) == (
        2,
        instance.pk,
        "Wrong date",
    )
    assert old["status"] == "superseded" and old["corrected_by"] == new["id"]


def test_a_failed_item_becomes_an_action(world, checklist):
    instance, items = checklist
    answer(world, instance, items[0], choice="not_done")
    client = client_for(world, "coach")
    target = api(world, "item-action", pk=instance.pk, checklistitem_pk=items[0].pk)
    body = {"title": "Put the notice up", "owner": world.lead.pk, "due_on": "2026-03-01"}

    made = client.post(target, body, format="json")
    again = client.post(target, body, format="json")
    not_failed = client.post(
        api(world, "item-action", pk=instance.pk, checklistitem_pk=items[1].pk),
        body,
        format="json",
    )

    assert made.status_code == 201, made.content
    with program_scope(world.program):
        action = PlanAction.objects.get()
    assert made.json()["action"]["id"] == action.pk
    assert (action.owner, action.due_on) == (world.lead, date(2026, 3, 1))
    assert again.status_code == 400 and not_failed.status_code == 400


def test_the_history_lists_what_happened(world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance)

    lines = client_for(world, "manager").get(api(world, "history", pk=instance.pk)).json()

    whats = [line["what"] for line in lines]
    assert "checklist.attested" in whats and "item.answered" in whats
    assert "evidence.attached" in whats


def test_checklists_are_made_by_the_schedule_not_posted(world, checklist):
    client = client_for(world, "admin")

    assert client.post(api(world, "list"), {}, format="json").status_code == 405
    assert client.patch(api(world, "detail", pk=checklist[0].pk), {}).status_code == 405
