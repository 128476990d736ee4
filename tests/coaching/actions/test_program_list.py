"""What "Actions" opens: for managers and admins the program's overdue actions, grouped by
practice or by coach; for everyone else their own actions. Same filters as the API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionStatus
from tests.factories import (
    CoachAssignmentFactory,
    PlanActionFactory,
    PracticeFactory,
    UserFactory,
    VisitFactory,
)

TODAY = timezone.localdate


def actions_url(world):
    return reverse("actions:mine", kwargs={"program": world.program.slug})


def action(world, practice, title, *, due_in, owner=None, status=ActionStatus.OPEN):
    """An action agreed at a visit of `practice` (no plan needed to be in play)."""
    visit = VisitFactory(program=world.program, practice=practice, coach=world.coach)
    return PlanActionFactory(
        program=world.program,
        practice=practice,
        visit=visit,
        goal=None,
        plan=None,
        title=title,
        owner=owner,
        due_on=TODAY() + timedelta(days=due_in),
        status=status,
    )


@pytest.fixture
def spread(world):
    """Overdue and upcoming actions in both practices, owned by practice people and coaches."""
    return {
        "late_here": action(world, world.practice, "Late here", due_in=-5, owner=world.lead),
        "later_here": action(world, world.practice, "Later here", due_in=-1, owner=world.staff),
        "late_there": action(
            world, world.other_practice, "Late there", due_in=-9, owner=world.other_coach
        ),
        "upcoming": action(world, world.practice, "Upcoming", due_in=6, owner=world.lead),
        "done_late": action(
            world, world.practice, "Done late", due_in=-4, status=ActionStatus.DONE
        ),
    }


def listed(response) -> list[str]:
    return [a.title for a in response.context["actions"]]


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_a_managers_actions_are_the_programs_overdue_ones_by_practice(client, world, spread, who):
    client.force_login(world.user(who))

    response = client.get(actions_url(world))

    assert response.status_code == 200
    html = text_of(response)
    assert "Overdue actions across the program" in html
    # By practice (by name: "… Health Centre" before "… Lakeside Clinic"), soonest due first.
    assert listed(response) == ["Late here", "Later here", "Late there"]
    assert f"{world.practice.name}" in html and f"Coach: {world.coach.full_name}" in html
    assert "2 actions</span>" in html and "1 action</span>" in html
    assert "3 overdue" in html


def test_grouped_by_coach_each_coachs_practices_come_together(client, world, spread):
    client.force_login(world.manager)

    response = client.get(actions_url(world), {"group": "coach"})

    html = text_of(response)
    assert listed(response) == ["Late here", "Later here", "Late there"]
    assert [a.coach_name for a in response.context["actions"]] == [
        world.coach.full_name,
        world.coach.full_name,
        world.other_coach.full_name,
    ]
    assert 'name="group" value="coach"' in html  # a filter change keeps the grouping
    assert 'aria-current="true">Coach<' in html


def test_a_practice_without_a_coach_is_grouped_apart(client, world):
    lonely = PracticeFactory(program=world.program, name="Aardvark Clinic")
    action(world, lonely, "Nobody's", due_in=-2)
    client.force_login(world.manager)

    response = client.get(actions_url(world), {"group": "coach"})

    assert "No coach assigned" in text_of(response)


def test_a_second_coach_does_not_count_an_action_twice(client, world, spread):
    second = UserFactory(full_name="Zed Second")
    CoachAssignmentFactory(
        program=world.program, practice=world.practice, coach=second, is_primary=False
    )
    client.force_login(world.manager)

    response = client.get(actions_url(world), {"group": "coach"})

    assert listed(response) == ["Late here", "Later here", "Late there"]


def test_once_filtered_the_overdue_default_gives_way_to_the_filters(client, world, spread):
    client.force_login(world.manager)

    # The filter form as sent with "Overdue only" unticked: status boxes, the other fields empty.
    response = client.get(
        actions_url(world), {"status": ["open", "in_progress"], "owner": "", "source": ""}
    )

    assert listed(response) == ["Late here", "Later here", "Upcoming", "Late there"]
    assert "Actions across the program" in text_of(response)


def test_a_manager_reaches_their_own_actions_when_they_own_some(client, world, spread):
    mine = action(world, world.practice, "The manager's own", due_in=3, owner=world.manager)
    client.force_login(world.manager)

    landing = text_of(client.get(actions_url(world)))
    own = client.get(actions_url(world), {"owner": world.manager.pk})

    assert f'href="{actions_url(world)}?owner={world.manager.pk}">My actions<' in landing
    assert listed(own) == [mine.title]
    assert "<h1>My actions</h1>" in text_of(own)


def test_a_manager_owning_nothing_is_not_offered_my_actions(client, world, spread):
    client.force_login(world.manager)

    assert ">My actions<" not in text_of(client.get(actions_url(world)))


def test_nothing_overdue_is_said_with_a_way_to_the_open_ones(client, world):
    action(world, world.practice, "Upcoming", due_in=6)
    client.force_login(world.manager)

    html = text_of(client.get(actions_url(world)))

    assert "Nothing is overdue across the program." in html
    assert "See the open actions" in html


@pytest.mark.parametrize("who", ["coach", "lead", "staff"])
def test_everyone_else_still_opens_their_own_actions(client, world, spread, who):
    client.force_login(world.user(who))

    response = client.get(actions_url(world))

    assert "<h1>My actions</h1>" in text_of(response)
    owned = {"coach": [], "lead": ["Late here", "Upcoming"], "staff": ["Later here"]}[who]
    assert listed(response) == owned


def test_the_programs_list_costs_the_same_for_few_and_many_actions(
    client, world, django_assert_num_queries
):
    for i in range(2):
        action(world, world.practice, f"Few {i}", due_in=-1 - i, owner=world.lead)
    client.force_login(world.manager)
    path = actions_url(world) + "?group=coach"
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    expected = len(captured)

    for i in range(12):
        practice = PracticeFactory(program=world.program, name=f"Growth {i:02}")
        coach = UserFactory(full_name=f"Growth coach {i:02}")
        CoachAssignmentFactory(program=world.program, practice=practice, coach=coach)
        action(world, practice, f"Many {i}", due_in=-2, owner=world.staff)

    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(response.context["actions"]) == 14
