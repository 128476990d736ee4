"""The program's compliance overview: counts, the status matrix of each practice's latest
checklists, its filters and CSV, each person seeing the practices compliance.view reaches."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import InstanceStatus
from tests.compliance.followup.helpers import checklist, template
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklists(world):
    """Privacy: overdue at the health centre, due soon at the lakeside clinic (whose earlier
    one was signed late). Records: signed on time at the health centre, completed and waiting
    for sign-off at the clinic."""
    today = world.program.local_today()
    privacy = template(world.program, name="Privacy review", key="privacy")
    records = template(world.program, name="Records audit", key="records")
    day = lambda n: today + timedelta(days=n)  # noqa: E731
    made = {
        "overdue": checklist(privacy, world.practice, due_on=day(-5)),
        "on_time": checklist(
            records, world.practice, due_on=day(-10), signed_on=day(-12), signer=world.lead
        ),
        "late": checklist(
            privacy,
            world.other_practice,
            due_on=day(-40),
            signed_on=day(-30),
            signer=world.lead,
            opens_on=day(-70),
        ),
        "due_soon": checklist(
            privacy, world.other_practice, due_on=day(3), status=InstanceStatus.IN_PROGRESS
        ),
        "awaiting": checklist(
            records, world.other_practice, due_on=day(20), status=InstanceStatus.COMPLETED
        ),
    }
    return today, privacy, records, made


def overview(client, world, user, query=""):
    client.force_login(user)
    url = reverse("compliance_followup:overview", kwargs={"program": world.program.slug})
    return client.get(url + query)


def this_year(today, *days) -> int:
    return sum(1 for n in days if (today + timedelta(days=n)).year == today.year)


def test_the_overview_counts_what_is_overdue_due_soon_waiting_and_signed(client, world, checklists):
    today = checklists[0]
    page = overview(client, world, world.manager)
    counts = page.context["counts"]
    assert (counts.overdue, counts.due_soon, counts.awaiting_signoff) == (1, 1, 1)
    assert counts.signed_on_time == this_year(today, -12)
    assert counts.signed_late == this_year(today, -30)


def test_each_cell_is_the_practice_s_latest_checklist_in_words(client, world, checklists):
    page = overview(client, world, world.manager)
    matrix = page.context["matrix"]
    assert [t.name for t in matrix.templates] == ["Privacy review", "Records audit"]
    cells = {row.practice.name: [c.standing.short for c in row.cells] for row in matrix.rows}
    assert cells == {
        world.practice.name: ["Overdue 5 d", "Signed on time"],
        world.other_practice.name: ["Due in 3 d", "To sign"],
    }
    html = page.content.decode()
    assert "Overdue 5 d" in html and "To sign" in html
    link = reverse(
        "compliance:checklist",
        kwargs={"program": world.program.slug, "pk": checklists[3]["overdue"].pk},
    )
    assert f'href="{link}"' in html


def test_a_coach_sees_only_the_practices_they_coach(client, world, checklists):
    page = overview(client, world, world.coach)
    assert page.status_code == 200
    assert [row.practice for row in page.context["matrix"].rows] == [world.practice]
    counts = page.context["counts"]
    assert (counts.overdue, counts.due_soon, counts.awaiting_signoff) == (1, 0, 0)
    assert world.other_practice.name not in page.content.decode()


def test_a_practice_lead_sees_their_own_practice(client, world, checklists):
    page = overview(client, world, world.lead)
    assert [row.practice for row in page.context["matrix"].rows] == [world.practice]


def test_the_filters_narrow_the_counts_and_the_matrix(client, world, checklists):
    _, privacy, _, _ = checklists
    page = overview(client, world, world.admin, f"?template={privacy.pk}&status=overdue")
    rows = page.context["matrix"].rows
    assert [row.practice for row in rows] == [world.practice]
    assert [t.name for t in page.context["matrix"].templates] == ["Privacy review"]
    assert page.context["counts"].overdue == 1 and page.context["counts"].due_soon == 0

    by_coach = overview(client, world, world.admin, f"?coach={world.other_coach.pk}")
    assert [row.practice for row in by_coach.context["matrix"].rows] == [world.other_practice]


def test_a_refused_filter_is_named_and_lists_nothing(client, world, checklists):
    page = overview(client, world, world.admin, "?status=late-ish")
    assert page.status_code == 200
    assert page.context["matrix"].rows == []
    assert "late-ish" in page.content.decode()


def test_the_csv_has_every_practice_and_checklist(client, world, checklists):
    client.force_login(world.manager)
    url = reverse("compliance_followup:overview_csv", kwargs={"program": world.program.slug})
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    found = {(r["practice"], r["checklist"]): (r["follow_up"], r["days_overdue"]) for r in rows}
    assert found == {
        (world.practice.name, "Privacy review"): ("Overdue", "5"),
        (world.practice.name, "Records audit"): ("Signed off on time", "0"),
        (world.other_practice.name, "Privacy review"): ("Due soon", "0"),
        (world.other_practice.name, "Records audit"): ("Completed, awaiting sign-off", "0"),
    }


def test_the_overview_reads_a_fixed_number_of_queries(client, world, checklists):
    today, privacy, records, _ = checklists

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert overview(client, world, world.admin).status_code == 200
        return len(captured)

    queries()  # signing in and the session's first reads
    small = queries()
    extra = template(world.program, name="Infection control", key="ipc")
    for number in range(6):
        practice = PracticeFactory(program=world.program, name=f"Practice {number}")
        for kind, days in ((privacy, -3), (records, 4), (extra, 30)):
            checklist(kind, practice, due_on=today + timedelta(days=days))
    big = queries()
    assert big == small
