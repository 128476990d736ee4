"""The CPD activities API: own activities for everyone and others' within reach, recording and
correcting one's own, the status actions, history in the shared shape, the queue's filters,
and program activities with their attendees."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cpd.models import CpdActivity
from psp.tenancy.scope import program_scope
from tests.cpd.activities.helpers import TODAY, fresh, record

pytestmark = pytest.mark.django_db


def api(world, person) -> APIClient:
    client = APIClient()
    client.force_login(person)
    return client


def path(world, name, **kwargs):
    return reverse(f"cpd-activities-{name}", kwargs={"program": world.program.slug, **kwargs})


BODY = {
    "activity_type": "workshop",
    "title": "Managing chronic pain",
    "provider": "North PSP",
    "started_on": (TODAY - timedelta(days=4)).isoformat(),
    "hours": "2.5",
    "reflection": {"learned": "Set a review date for every taper."},
}


def test_a_person_records_their_own_activity_with_its_credits(world):
    response = api(world, world.staff).post(path(world, "list"), BODY, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["person"]["id"] == world.staff.pk
    assert (data["credits"], data["category"], data["status"]) == (
        "2.50",
        "certified",
        "self_reported",
    )
    assert data["ended_on"] == BODY["started_on"]
    assert data["cycle"] is not None and data["practice"] == world.practice.pk


def test_bad_input_is_named_by_field_and_nothing_is_saved(world):
    body = BODY | {"category": "ethics", "reflection": {"sessions": "Not a workshop's"}}

    response = api(world, world.staff).post(path(world, "list"), body, format="json")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "reflection.sessions" in fields
    with program_scope(world.program):
        assert not CpdActivity.objects.exists()


def test_the_list_is_ones_own_and_others_within_reach(world):
    mine = record(world, world.staff)
    theirs = record(world, world.lead)
    coach = record(world, world.coach)

    def ids(person):
        return {row["id"] for row in api(world, person).get(path(world, "list")).json()["results"]}

    assert ids(world.staff) == {mine.pk}
    assert ids(world.lead) == {mine.pk, theirs.pk}  # their practice's people
    assert ids(world.manager) == {mine.pk, theirs.pk, coach.pk}
    assert ids(world.coach) == {coach.pk}


def test_the_status_actions_move_it_and_the_history_tells_who(world):
    activity = record(world, world.staff)
    staff, admin = api(world, world.staff), api(world, world.admin)

    assert staff.post(path(world, "submit", pk=activity.pk)).json()["status"] == "submitted"
    refused = staff.post(path(world, "verify", pk=activity.pk))
    assert refused.status_code == 403
    rejected = admin.post(path(world, "reject", pk=activity.pk), {"reason": "Which dates?"})
    assert rejected.json()["rejection_reason"] == "Which dates?"
    corrected = staff.patch(path(world, "detail", pk=activity.pk), {"hours": "3", "submit": True})
    assert corrected.json()["status"] == "submitted"
    assert admin.post(path(world, "verify", pk=activity.pk)).json()["status"] == "verified"

    history = staff.get(path(world, "history", pk=activity.pk)).json()
    assert [line["what"] for line in history] == [
        "cpd_activity.verified",
        "cpd_activity.submitted",
        "cpd_activity.edited",
        "cpd_activity.rejected",
        "cpd_activity.submitted",
        "cpd_activity.recorded",
    ]
    assert history[0]["changed_by"]["id"] == world.admin.pk
    assert set(history[0]) == {"id", "what", "summary", "changes", "changed_by", "changed_at"}


def test_only_the_person_changes_their_activity(world):
    activity = record(world, world.staff)
    lead = api(world, world.lead)

    assert lead.patch(path(world, "detail", pk=activity.pk), {"hours": "9"}).status_code == 403
    assert lead.delete(path(world, "detail", pk=activity.pk)).status_code == 403
    assert fresh(world, activity).hours == 3
    assert api(world, world.coach).get(path(world, "detail", pk=activity.pk)).status_code == 404


def test_asking_for_evidence_and_verifying_as_a_named_verifier(world):
    activity = record(world, world.staff, submit=True)
    verifier = api(world, world.other_coach)

    asked = verifier.post(
        path(world, "request-evidence", pk=activity.pk), {"message": "The certificate."}
    )
    assert asked.json()["evidence_requested"] == "The certificate."
    assert verifier.post(path(world, "verify", pk=activity.pk)).json()["verified_by"]["id"] == (
        world.other_coach.pk
    )


def test_a_draft_is_confirmed_and_sent_at_once(world):
    activity = record(world, world.staff)
    with program_scope(world.program):
        CpdActivity.objects.filter(pk=activity.pk).update(status="draft")

    response = api(world, world.staff).post(
        path(world, "confirm", pk=activity.pk), {"submit": True}
    )

    assert response.json()["status"] == "submitted"


def test_the_list_takes_the_queues_filters_and_refuses_a_bad_one(world):
    record(world, world.staff, submit=True)
    record(world, world.lead)
    admin = api(world, world.admin)

    rows = admin.get(path(world, "list"), {"status": "submitted"}).json()["results"]
    assert [row["person"]["id"] for row in rows] == [world.staff.pk]
    refused = admin.get(path(world, "list"), {"practice": 999_999})
    assert refused.status_code == 400
    assert "practice" in refused.json()["error"]["fields"]


def test_the_list_costs_the_same_for_few_and_many_rows(world):
    record(world, world.staff)
    client = api(world, world.manager)
    client.get(path(world, "list"))
    with CaptureQueriesContext(connection) as few:
        client.get(path(world, "list"))
    for n in range(6):
        record(world, world.lead if n % 2 else world.staff, title=f"More {n}", submit=True)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(path(world, "list")).json()["results"]) == 7
    assert len(many) == len(few)


# Program activities -------------------------------------------------------------------------------


def test_an_admin_creates_an_offering_and_adds_attendees_once(world):
    admin = api(world, world.admin)
    offerings = reverse("cpd-offerings-list", kwargs={"program": world.program.slug})
    created = admin.post(
        offerings,
        {
            "title": "PSP workshop: recalls that work",
            "provider": "North PSP",
            "started_on": (TODAY - timedelta(days=2)).isoformat(),
            "hours": "2",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    attendees = reverse(
        "cpd-offerings-attendees",
        kwargs={"program": world.program.slug, "pk": created.json()["id"]},
    )

    first = admin.post(attendees, {"people": [world.staff.pk]}, format="json")
    again = admin.post(attendees, {"people": [world.staff.pk, world.lead.pk]}, format="json")

    assert first.status_code == again.status_code == 201
    assert sorted(row["person"]["id"] for row in again.json()) == sorted(
        [world.staff.pk, world.lead.pk]
    )
    assert {row["status"] for row in again.json()} == {"draft"}
    strangers = admin.post(attendees, {"people": [999_999]}, format="json")
    assert strangers.status_code == 400
    assert api(world, world.staff).get(offerings).status_code == 403
