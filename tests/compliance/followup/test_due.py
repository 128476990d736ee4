"""The due list: checklists not signed off, overdue or due within 14 days, soonest first, for the
program, a coach's practices or one practice."""

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
def due(world):
    today = world.program.local_today()
    privacy = template(world.program, name="Privacy review", key="privacy")
    records = template(world.program, name="Records audit", key="records")
    day = lambda n: today + timedelta(days=n)  # noqa: E731
    checklist(privacy, world.practice, due_on=day(-9))
    checklist(records, world.practice, due_on=day(14), status=InstanceStatus.IN_PROGRESS)
    checklist(records, world.practice, due_on=day(15))  # not due soon yet
    checklist(privacy, world.other_practice, due_on=day(2), status=InstanceStatus.COMPLETED)
    checklist(privacy, world.other_practice, due_on=day(-1), period="old", signed_on=day(-2),
              signer=world.lead)  # fmt: skip
    return today, privacy


def due_list(client, world, user, query=""):
    client.force_login(user)
    url = reverse("compliance_followup:due", kwargs={"program": world.program.slug})
    return client.get(url + query)


def rows(page) -> list[tuple]:
    return [(c.practice.name, c.template.name, c.due_on) for c in page.context["checklists"]]


def test_the_list_is_what_is_unsigned_and_overdue_or_due_within_two_weeks(client, world, due):
    today, _ = due
    page = due_list(client, world, world.manager)
    assert rows(page) == [
        (world.practice.name, "Privacy review", today - timedelta(days=9)),
        (world.other_practice.name, "Privacy review", today + timedelta(days=2)),
        (world.practice.name, "Records audit", today + timedelta(days=14)),
    ]
    html = " ".join(page.content.decode().split())
    assert "9 days overdue" in html
    assert "Due in 2 days" in html and "Completed, awaiting sign-off" in html


def test_a_coach_sees_the_practices_they_coach(client, world, due):
    page = due_list(client, world, world.coach)
    assert {name for name, _, _ in rows(page)} == {world.practice.name}


def test_one_practice_and_one_status(client, world, due):
    page = due_list(client, world, world.admin, f"?practice={world.other_practice.pk}")
    assert {name for name, _, _ in rows(page)} == {world.other_practice.name}
    overdue = due_list(client, world, world.admin, "?status=overdue")
    assert [template for _, template, _ in rows(overdue)] == ["Privacy review"]


def test_a_practice_out_of_reach_is_refused_by_name(client, world, due):
    page = due_list(client, world, world.lead, f"?practice={world.other_practice.pk}")
    assert page.status_code == 200
    assert rows(page) == []
    assert f"No practice with id {world.other_practice.pk} in this program." in (
        page.content.decode()
    )


def test_the_list_reads_a_fixed_number_of_queries(client, world, due):
    today, privacy = due

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert due_list(client, world, world.admin).status_code == 200
        return len(captured)

    queries()
    small = queries()
    for number in range(8):
        practice = PracticeFactory(program=world.program, name=f"Practice {number}")
        checklist(privacy, practice, due_on=today - timedelta(days=number))
    big = queries()
    assert big == small
