"""GET …/checklist-status/ and …/checklists-due/: the overview's and the due list's figures, with
the same filters, limited to the caller's reach."""

from datetime import timedelta

import pytest
from django.urls import reverse

from compliance.models import InstanceStatus
from tests.compliance.followup.helpers import checklist, template

pytestmark = pytest.mark.django_db


@pytest.fixture
def status(world):
    today = world.program.local_today()
    privacy = template(world.program, name="Privacy review", key="privacy")
    checklist(privacy, world.practice, due_on=today - timedelta(days=4))
    checklist(
        privacy, world.other_practice, due_on=today + timedelta(days=5),
        status=InstanceStatus.COMPLETED,
    )  # fmt: skip
    return privacy


def get(api_client, world, user, route, query=""):
    api_client.force_authenticate(user)
    url = reverse(f"{route}-list", kwargs={"program": world.program.slug})
    return api_client.get(url + query)


def test_the_status_has_the_counts_and_the_latest_checklists(api_client, world, status):
    answer = get(api_client, world, world.manager, "checklist-status").json()
    assert answer["counts"]["overdue"] == 1 and answer["counts"]["awaiting_signoff"] == 1
    found = {(r["practice_name"], r["follow_up"], r["days_overdue"]) for r in answer["results"]}
    assert found == {
        (world.practice.name, "overdue", 4),
        (world.other_practice.name, "awaiting_signoff", 0),
    }


def test_a_coach_reads_only_their_practices(api_client, world, status):
    answer = get(api_client, world, world.coach, "checklists-due").json()
    assert [r["practice"] for r in answer["results"]] == [world.practice.pk]


def test_a_refused_filter_is_a_400_naming_it(api_client, world, status):
    answer = get(api_client, world, world.admin, "checklists-due", "?status=soonish")
    assert answer.status_code == 400
    assert "status" in str(answer.json())


def test_a_template_of_another_program_is_not_found(api_client, world, other_world, status):
    theirs = template(other_world.program, name="Their review", key="theirs")
    answer = get(api_client, world, world.admin, "checklist-status", f"?template={theirs.pk}")
    assert answer.status_code == 400
    assert f"No checklist template with id {theirs.pk}" in str(answer.json())
