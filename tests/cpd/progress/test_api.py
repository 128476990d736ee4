"""GET …/cpd-progress/ (one's own, an earlier cycle, someone else's for those who may read it,
404 otherwise) and GET …/cpd-completion/ (the completion page's rows and filters, paginated,
admins and managers only); credits as decimal strings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.cpd.progress.helpers import TODAY, act, record, small_scheme, standings_computed
from tests.cpd.scheme_factories import make_activity, make_cycle

pytestmark = pytest.mark.django_db


def api(world, user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def path(world, name) -> str:
    return reverse(f"{name}-list", kwargs={"program": world.program.slug})


def test_ones_own_progress_in_the_current_cycle(world):
    small_scheme(world)
    sent = record(world, world.staff, days_ago=20, hours="3.5", submit=True)
    act(world, "activity_verify", sent, world.admin)
    record(world, world.staff, days_ago=10, hours="1")

    body = api(world, world.staff).get(path(world, "cpd-progress")).json()

    assert body["person"]["id"] == world.staff.pk
    assert body["scheme"]["name"] == "Small scheme"
    assert body["standing"] == "on_pace"
    assert body["is_current"] is True
    assert body["cycle"]["starts_on"] == (TODAY - timedelta(days=20)).isoformat()
    figures = body["progress"]
    assert (figures["total"], figures["earned"], figures["verified"]) == ("4.50", "4.50", "3.50")
    assert figures["required_total"] == "10.00"
    assert [s["label"] for s in figures["shortfalls"]] == ["Certified", "Total"]
    assert figures["shortfalls"][1]["missing"] == "5.50"
    certified = next(c for c in figures["categories"] if c["key"] == "certified")
    assert certified["credits"] == "4.50"
    assert figures["pace"][0]["on"] == body["cycle"]["starts_on"]
    assert figures["pace"][-1]["credits"] is None


def test_an_earlier_cycle_of_ones_own_and_nobody_elses(world):
    scheme = small_scheme(world)
    start = TODAY - timedelta(days=900)
    earlier = make_cycle(scheme, world.staff, start, start + timedelta(days=364))
    make_activity(earlier, start + timedelta(days=5), 12)
    theirs = make_cycle(scheme, world.lead, start, start + timedelta(days=364))
    client = api(world, world.staff)

    body = client.get(path(world, "cpd-progress"), {"cycle": earlier.pk}).json()
    missing = client.get(path(world, "cpd-progress"), {"cycle": theirs.pk})

    assert (body["cycle"]["id"], body["is_current"], body["standing"]) == (earlier.pk, False, "met")
    assert body["progress"]["met_on"] == (start + timedelta(days=5)).isoformat()
    assert missing.status_code == 404


def test_someone_elses_progress_for_those_who_read_their_cpd_only(world):
    small_scheme(world)
    record(world, world.staff, days_ago=10, hours="2")

    for reader in (world.manager, world.lead, world.admin):
        body = api(world, reader).get(path(world, "cpd-progress"), {"person": world.staff.pk})
        assert body.status_code == 200
        assert body.json()["progress"]["total"] == "2.00"
    for outsider in (world.coach, world.staff):
        answer = api(world, outsider).get(path(world, "cpd-progress"), {"person": world.lead.pk})
        assert answer.status_code == 404
    bad = api(world, world.manager).get(path(world, "cpd-progress"), {"person": "0"})
    assert bad.status_code == 400


def test_without_a_scheme_progress_is_null(world):
    body = api(world, world.coach).get(path(world, "cpd-progress")).json()

    assert (body["scheme"], body["cycle"], body["progress"]) == (None, None, None)
    assert body["standing"] == "no_cycle"


def test_the_completion_list_takes_the_pages_filters_and_pages(world):
    small_scheme(world)
    record(world, world.lead, days_ago=100, hours="10")
    record(world, world.staff, days_ago=200, hours="1")
    standings_computed(world)
    client = api(world, world.manager)

    everyone = client.get(path(world, "cpd-completion")).json()
    behind = client.get(path(world, "cpd-completion"), {"status": "behind"}).json()
    paged = client.get(path(world, "cpd-completion"), {"page_size": 1}).json()
    refused = client.get(path(world, "cpd-completion"), {"status": "late"})

    assert everyone["count"] == 2
    assert [(r["person"]["id"], r["standing"]) for r in everyone["results"]] == [
        (world.staff.pk, "behind"),
        (world.lead.pk, "met"),
    ]
    row = behind["results"][0]
    assert (row["credits"], row["required"], row["unit"]) == ("1.00", "10.00", "credits")
    assert row["practice"] == {"id": world.practice.pk, "name": world.practice.name}
    assert row["biggest_shortfall"]["label"] == "Total"
    assert behind["count"] == 1
    assert (paged["count"], len(paged["results"])) == (2, 1)
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["status"]


@pytest.mark.parametrize("role", ["lead", "coach", "staff"])
def test_only_admins_and_managers_read_the_completion(world, role):
    assert api(world, world.user(role)).get(path(world, "cpd-completion")).status_code == 403
