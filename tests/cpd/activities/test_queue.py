"""The verifier's queue: submitted activities oldest first, never the verifier's own, filtered
by practice, sector, type, status and person; verify, reject and ask for evidence from it; who
may open it; and My CPD and the queue cost the same number of queries for few or many rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpd.models import CpdActivity, CpdVerifier
from psp.tenancy.scope import program_scope
from tests.cpd.activities.helpers import fresh, record
from tests.factories import MembershipFactory, PracticeMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"cpd:{name}", kwargs={"program": world.program.slug, **kwargs})


def listed(page) -> list[str]:
    return [a.title for a in page.context["activities"]]


def submitted(world, person, title, days_ago):
    activity = record(world, person, title=title, submit=True)
    with program_scope(world.program):
        CpdActivity.objects.filter(pk=activity.pk).update(
            submitted_at=timezone.now() - timedelta(days=days_ago)
        )
    return activity


def test_the_queue_lists_submitted_activities_oldest_first(client, world):
    submitted(world, world.staff, "Newer", 1)
    submitted(world, world.lead, "Older", 5)
    record(world, world.staff, title="Self-reported only")
    client.force_login(world.admin)

    page = client.get(url(world, "queue"))

    assert listed(page) == ["Older", "Newer"]


def test_a_verifier_never_sees_their_own_activity_in_the_queue(client, world):
    submitted(world, world.staff, "Mine", 1)
    submitted(world, world.lead, "The lead's", 2)
    with program_scope(world.program):
        CpdVerifier.objects.create(program=world.program, user=world.staff)
    client.force_login(world.staff)

    assert listed(client.get(url(world, "queue"))) == ["The lead's"]


def test_the_filters_choose_type_status_person_and_practice(client, world):
    submitted(world, world.staff, "Staff workshop", 3)
    submitted(world, world.lead, "Lead workshop", 2)
    audit = record(
        world,
        world.lead,
        title="Lead audit",
        activity_type="practice_audit",
        reflection={},
        submit=True,
    )
    client.force_login(world.admin)
    queue = url(world, "queue")

    assert listed(client.get(queue, {"activity_type": "practice_audit"})) == ["Lead audit"]
    assert listed(client.get(queue, {"person": world.staff.pk})) == ["Staff workshop"]
    assert listed(client.get(queue, {"practice": world.other_practice.pk})) == []
    assert len(listed(client.get(queue, {"sector": world.practice.sector}))) == 3
    with program_scope(world.program):
        CpdActivity.objects.filter(pk=audit.pk).update(status="verified")
    assert listed(client.get(queue, {"status": "verified"})) == ["Lead audit"]
    refused = client.get(queue, {"status": "lost"})
    assert listed(refused) == []
    assert "lost" in refused.content.decode()


def test_a_verifier_decides_from_the_queue_and_comes_back_to_it(client, world):
    one = submitted(world, world.staff, "One", 3)
    two = submitted(world, world.staff, "Two", 2)
    three = submitted(world, world.lead, "Three", 1)
    client.force_login(world.other_coach)  # a named verifier
    queue = url(world, "queue")
    page = client.get(queue).content.decode()
    assert url(world, "verify", pk=one.pk) in page

    verified = client.post(url(world, "verify", pk=one.pk), {"next": "queue"})
    rejected = client.post(
        url(world, "reject", pk=two.pk), {"next": "queue", "reason": "No hours on the slip."}
    )
    asked = client.post(
        url(world, "request_evidence", pk=three.pk),
        {"next": "queue", "message": "The certificate, please."},
    )

    assert verified["Location"] == rejected["Location"] == asked["Location"] == queue
    assert fresh(world, one).status == "verified"
    assert fresh(world, two).rejection_reason == "No hours on the slip."
    assert fresh(world, three).evidence_requested == "The certificate, please."
    assert listed(client.get(queue)) == ["Three"]


def test_a_rejection_without_a_reason_is_refused_beside_the_field(client, world):
    activity = submitted(world, world.staff, "One", 3)
    client.force_login(world.admin)

    page = client.post(url(world, "reject", pk=activity.pk), {"reason": " "})

    assert page.status_code == 200
    assert page.context["form"].errors["reason"] == ["This field is required."]
    assert fresh(world, activity).status == "submitted"


@pytest.mark.parametrize("role", ["manager", "coach", "lead", "staff"])
def test_people_who_verify_nothing_cannot_open_the_queue_or_decide(client, world, role):
    activity = submitted(world, world.lead if role == "staff" else world.staff, "One", 3)
    client.force_login(world.user(role))

    assert client.get(url(world, "queue")).status_code == 403
    answer = client.post(url(world, "verify", pk=activity.pk))
    assert answer.status_code in (403, 404)
    assert fresh(world, activity).status == "submitted"


# Query counts -------------------------------------------------------------------------------------


def queries_for(client, path) -> int:
    client.get(path)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def grow(world, people: int, each: int) -> None:
    for n in range(people):
        person = UserFactory(email=f"grown{n}-{each}@north-psp.example.org")
        MembershipFactory(program=world.program, user=person, role="practice")
        PracticeMembershipFactory(
            program=world.program, practice=world.practice, user=person, role="staff"
        )
        for i in range(each):
            record(world, person, title=f"Grown {n}.{i}", submit=True)


def test_the_queue_costs_the_same_for_few_and_many_activities(client, world):
    grow(world, people=1, each=1)
    client.force_login(world.other_coach)
    few = queries_for(client, url(world, "queue"))

    grow(world, people=4, each=3)

    assert queries_for(client, url(world, "queue")) == few


def test_my_cpd_costs_the_same_for_few_and_many_activities(client, world):
    record(world, world.staff, title="First")
    client.force_login(world.staff)
    few = queries_for(client, url(world, "mine"))

    for n in range(8):
        record(world, world.staff, title=f"More {n}", submit=n % 2 == 0)
    old = timezone.localdate() - timedelta(days=6 * 365)  # another cycle
    record(world, world.staff, title="Long ago", started_on=old, ended_on=old)

    assert queries_for(client, url(world, "mine")) == few
