"""A visit's one-time key (Idempotency-Key or `submission_key`): the same request sent again
answers with the first visit; the same key with a different request is a 422 naming the key and
changes nothing; and two requests with one key at the same moment still make one visit."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import Visit, VisitStatus
from coaching.visits import services
from coaching.visits.inputs import VisitInput
from psp.tenancy.scope import program_scope
from tests.coaching.concurrency import needs_postgres, run_together
from tests.coaching.visits.test_api import api, assert_error, body, in_scope, planned

TODAY = timezone.localdate


@pytest.fixture
def client(world):
    client = APIClient()
    client.force_authenticate(world.coach)
    return client


def visits(world) -> list[Visit]:
    return in_scope(world, lambda: list(Visit.objects.order_by("pk")))


def test_the_same_key_with_another_body_is_refused_naming_the_key(client, world):
    headers = {"Idempotency-Key": "visit-form-42"}
    first = client.post(api(world, "visits/"), body(world), headers=headers)

    other = client.post(api(world, "visits/"), body(world, notes="Other notes."), headers=headers)

    error = assert_error(other, 422)
    assert error["code"] == "idempotency_key_reused"
    assert 'Idempotency-Key "visit-form-42"' in error["message"]
    [visit] = visits(world)
    assert (visit.pk, visit.notes) == (first.json()["id"], "Went through consent forms.")


def test_a_body_key_with_another_body_is_refused_naming_it(client, world):
    key = str(uuid.uuid4())
    client.post(api(world, "visits/"), body(world, submission_key=key))

    other = client.post(api(world, "visits/"), body(world, duration_minutes=45, submission_key=key))

    error = assert_error(other, 422)
    assert f'submission_key "{key}"' in error["message"]
    assert len(visits(world)) == 1


def test_the_same_body_spelled_differently_is_the_same_request(client, world):
    """Key order and whitespace are not part of the request; the key may move to the body."""
    key = str(uuid.uuid4())
    first = client.post(api(world, "visits/"), body(world), headers={"Idempotency-Key": key})
    data = body(world, submission_key=key)
    reordered = json.dumps(dict(reversed(list(data.items()))), indent=2)

    again = client.post(api(world, "visits/"), reordered, content_type="application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_scheduling_with_a_used_key_and_another_date_is_refused(client, world):
    headers = {"Idempotency-Key": "plan-7"}
    url = api(world, "planned-visits/")
    data = {"practice": world.practice.pk, "visit_date": (TODAY() + timedelta(days=3)).isoformat()}
    first = client.post(url, data, headers=headers)
    again = client.post(url, data, headers=headers)

    later = client.post(
        url, {**data, "visit_date": (TODAY() + timedelta(days=9)).isoformat()}, headers=headers
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert assert_error(later, 422)["code"] == "idempotency_key_reused"
    assert [v.visit_date for v in visits(world)] == [TODAY() + timedelta(days=3)]


def test_completing_again_with_another_body_is_refused(client, world):
    visit = planned(world)
    url = api(world, f"visits/{visit.pk}/complete/")
    data = {"visit_date": TODAY().isoformat(), "duration_minutes": 30, "activities": {"other": 30}}
    headers = {"Idempotency-Key": "complete-1"}
    first = client.post(url, data, headers=headers)
    again = client.post(url, data, headers=headers)

    other = client.post(url, {**data, "notes": "Changed my mind."}, headers=headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert assert_error(other, 422)["code"] == "idempotency_key_reused"
    assert in_scope(world, lambda: Visit.objects.get(pk=visit.pk).notes) != "Changed my mind."


def test_the_pages_double_submit_still_returns_the_first_visit(world):
    """The log form sends no fingerprint: its resend repeats the form as it was."""
    key = uuid.uuid4()
    arguments = {
        "program": world.program,
        "by": world.coach,
        "practice": world.practice,
        "visit": VisitInput(visit_date=TODAY(), duration_minutes=60, activities={"workflow": 60}),
        "submission_key": key,
    }
    with program_scope(world.program):
        first = services.visit_log(**arguments)
        again = services.visit_log(**arguments)
    assert again.pk == first.pk and again.resent


# Two at once (PostgreSQL) -----------------------------------------------------------------


def _post_as(world, data, headers):
    def call():
        client = APIClient()
        client.force_authenticate(world.coach)
        return client.post(api(world, "visits/"), data, format="json", headers=headers)

    return call


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_one_key_sent_twice_at_once_makes_one_visit(world, round_):
    headers = {"Idempotency-Key": f"together-{round_}"}
    call = _post_as(world, body(world), headers)

    answers = run_together(call, call)

    assert sorted(a.status_code for a in answers) == [200, 201], [a.content for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert len(visits(world)) == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_one_key_with_two_bodies_at_once_keeps_one_and_refuses_the_other(world, round_):
    headers = {"Idempotency-Key": f"apart-{round_}"}
    first = _post_as(world, body(world, notes="First."), headers)
    second = _post_as(world, body(world, notes="Second."), headers)

    answers = run_together(first, second)

    assert sorted(a.status_code for a in answers) == [201, 422], [a.content for a in answers]
    [visit] = visits(world)
    created = next(a for a in answers if a.status_code == 201)
    assert (visit.pk, visit.status) == (created.json()["id"], VisitStatus.LOGGED)
    assert visit.notes == created.json()["notes"]
