"""The program's CPD completion: everyone a scheme applies to with their standing (met, on pace,
behind pace, no cycle yet), credits and biggest shortfall; the completion rate and the number
behind by practice and by sector; filters shared with the API; the CSV of the filtered rows;
admins and managers only; a fixed number of queries at any size."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cpd.progress.helpers import TODAY, record, small_scheme, standings_computed, url
from tests.factories import MembershipFactory, PracticeMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def person_in(world, practice, name):
    person = UserFactory(full_name=name)
    MembershipFactory(program=world.program, user=person, role="practice")
    PracticeMembershipFactory(program=world.program, practice=practice, user=person, role="staff")
    return person


def standings(page) -> dict:
    return {row.person.full_name: row.standing for row in page.context["rows"]}


@pytest.fixture
def people(world):
    """Under the small scheme (10 credits a year from one's own start): the lead has met it,
    the staff member is ahead of the pace, Behind Bea started 200 days ago with 1 credit, and
    Nobody Yet has recorded nothing."""
    small_scheme(world)
    record(world, world.lead, days_ago=100, hours="10")
    record(world, world.staff, days_ago=30, hours="4")
    bea = person_in(world, world.other_practice, "Behind Bea")
    record(world, bea, days_ago=200, hours="1")
    yet = person_in(world, world.other_practice, "Nobody Yet")
    standings_computed(world)
    return {"bea": bea, "yet": yet}


def test_everyone_under_a_scheme_is_listed_with_their_standing_who_needs_attention_first(
    client, world, people
):
    client.force_login(world.manager)

    page = client.get(url(world, "completion"))

    assert page.status_code == 200
    assert standings(page) == {
        "Behind Bea": "behind",
        "Nobody Yet": "no_cycle",
        world.staff.full_name: "on_pace",
        world.lead.full_name: "met",
    }
    assert [row.standing for row in page.context["rows"]] == [
        "behind",
        "no_cycle",
        "on_pace",
        "met",
    ]
    bea = page.context["rows"][0]
    assert (bea.credits, bea.required) == (Decimal("1"), Decimal("10"))
    assert bea.biggest_shortfall.label == "Total"
    assert bea.cycle.starts_on == TODAY - timedelta(days=200)
    assert bea.biggest_shortfall.due_on == bea.cycle.ends_on
    overall = page.context["report"].overall
    assert (overall.people, overall.met, overall.behind, overall.rate) == (4, 1, 1, 25)
    by_practice = {g.label: (g.people, g.met, g.behind) for g in page.context["report"].by_practice}
    assert by_practice == {
        world.practice.name: (2, 1, 0),
        world.other_practice.name: (2, 0, 1),
    }
    assert [(g.label, g.people) for g in page.context["report"].by_sector] == [("Primary care", 4)]


def test_the_filters_narrow_the_rows_and_a_bad_one_is_named(client, world, people):
    client.force_login(world.admin)

    behind = client.get(url(world, "completion"), {"status": "behind"})
    practice = client.get(url(world, "completion"), {"practice": world.practice.pk})
    refused = client.get(url(world, "completion"), {"status": "late"})

    assert list(standings(behind)) == ["Behind Bea"]
    assert set(standings(practice)) == {world.lead.full_name, world.staff.full_name}
    assert refused.context["report"] is None
    assert "Select a valid choice. late is not one of the available choices." in (
        refused.content.decode()
    )


def test_the_csv_has_the_filtered_rows(client, world, people):
    client.force_login(world.manager)

    answer = client.get(url(world, "completion_csv"), {"status": "behind"})

    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:3] == ["Name", "Email", "Practice"]
    assert [row[0] for row in rows[1:]] == ["Behind Bea"]
    assert rows[1][7:11] == ["Behind pace", "1", "10", "credits"]
    assert client.get(url(world, "completion_csv"), {"status": "late"}).status_code == 400


@pytest.mark.parametrize("role", ["lead", "coach", "staff"])
def test_only_admins_and_managers_read_the_programs_completion(client, world, role):
    client.force_login(world.user(role))

    assert client.get(url(world, "completion")).status_code == 403
    assert client.get(url(world, "completion_csv")).status_code == 403


def queries_for(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_completion_costs_the_same_for_few_and_many_people(client, world, people):
    api = reverse("cpd-completion-list", kwargs={"program": world.program.slug})
    client.force_login(world.manager)
    few = queries_for(client, url(world, "completion"))
    few_csv = queries_for(client, url(world, "completion_csv"))
    few_api = queries_for(client, api)

    for n in range(6):
        person = person_in(world, world.other_practice if n % 2 else world.practice, f"P{n}")
        for k in range(n % 3):
            record(world, person, days_ago=100 - 20 * k, hours=str(1 + n))
    standings_computed(world)

    many = client.get(url(world, "completion"))
    assert many.context["report"].overall.people == 10
    assert queries_for(client, url(world, "completion")) == few
    assert queries_for(client, url(world, "completion_csv")) == few_csv
    assert queries_for(client, api) == few_api
