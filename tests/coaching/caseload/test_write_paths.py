"""The caseload overview is right after every way the app writes what the rules read: bulk
creates of visits, actions and stage moves, bulk updates of action statuses, bulk deletes, the
Django admin, a deleted coach, a rolled-back read, and commits (practices/derived.py marks the
practices; coaching/caseload/standings.py stamps them)."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.caseload import standings
from coaching.caseload.rules import CaseloadStatus
from coaching.models import ActionStatus, CaseloadStanding, PlanAction, Visit
from practices.models import CoachAssignment, Practice, Stage, StageChange
from psp.accounts.models import User
from psp.tenancy.scope import no_program_scope, program_scope
from tests import factories as f
from tests.coaching.caseload.test_pages import (
    active_plan,
    coached_practice,
    days_ago,
    new_coach,
    three_statuses,
    visit,
)
from tests.coaching.caseload.test_standings import not_current, overview, statuses, statuses_seen
from tests.coaching.test_admin import inline_data

__all__ = ["statuses_seen"]  # a fixture

STALLED, ATTENTION, ON_TRACK = (
    CaseloadStatus.STALLED,
    CaseloadStatus.ATTENTION,
    CaseloadStatus.ON_TRACK,
)


@pytest.fixture
def operator(db) -> Client:
    """A platform operator signed in to the Django admin, on a client of their own."""
    person = User.objects.create_superuser("operator@example.org", "an-operator-password-9")
    f.give_totp(person)
    client = Client()
    client.force_login(person)
    return client


def shown(client, world, query: str = "") -> dict[str, str]:
    """practice -> status as the overview counts, filters and orders it: its stored standing,
    which must agree with the status the page computes for the practices it lists."""
    response = overview(client, world, query)
    caseload = response.context["caseload"]
    with program_scope(world.program):
        stored = {
            row.practice.name: row.status for row in caseload.standings.select_related("practice")
        }
    computed = statuses(response)
    assert {name: stored.get(name) for name in computed} == computed
    assert sum(caseload.counts.values()) >= len(stored)
    return stored


def admin_form(operator, url) -> dict:
    page = operator.get(url)
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    return {**data, **inline_data(page)}


# Bulk writes ------------------------------------------------------------------------------------


def test_visits_created_in_bulk(client, world, statuses_seen):
    _, slow, stuck = statuses_seen
    with program_scope(world.program):
        Visit.objects.bulk_create(
            [
                Visit(
                    program=world.program,
                    practice=practice,
                    coach=world.coach,
                    visit_date=days_ago(1),
                )
                for practice in (slow, stuck)
            ]
        )

    seen = shown(client, world)
    assert (seen[slow.name], seen[stuck.name]) == (ON_TRACK, ON_TRACK)


def test_actions_created_in_bulk_then_done_in_one_update(client, world, statuses_seen):
    fine, _, _ = statuses_seen
    plan = active_plan(world, fine)
    with program_scope(world.program):
        PlanAction.objects.bulk_create(
            [
                PlanAction(
                    program=world.program,
                    practice=fine,
                    plan=plan,
                    title=f"Step {n}",
                    due_on=days_ago(3),
                )
                for n in range(5)
            ]
        )
    assert shown(client, world)[fine.name] == STALLED  # five overdue actions

    with program_scope(world.program):
        plan.actions.filter(status=ActionStatus.OPEN).update(
            status=ActionStatus.DONE, completed_at=timezone.now()
        )
    assert shown(client, world)[fine.name] == ON_TRACK


def test_stage_moves_in_bulk(client, world, statuses_seen):
    fine, slow, stuck = statuses_seen
    moved = [slow, stuck]
    with program_scope(world.program):
        Practice.objects.filter(pk__in=[p.pk for p in moved]).update(
            stage=Stage.PILOT, stage_changed_at=timezone.now()
        )
        StageChange.objects.bulk_create(
            [
                StageChange(
                    program=world.program,
                    practice=p,
                    from_stage=Stage.NEEDS_ASSESSMENT,
                    to_stage=Stage.PILOT,
                )
                for p in moved
            ]
        )

    piloting = shown(client, world, "?stage=pilot")
    assert piloting == {slow.name: ATTENTION, stuck.name: STALLED}
    assert fine.name in shown(client, world, f"?stage={Stage.NEEDS_ASSESSMENT}")


def test_a_bulk_delete_and_a_bulk_update_of_dates(client, world, statuses_seen):
    _, slow, stuck = statuses_seen
    with program_scope(world.program):
        Visit.objects.filter(practice=stuck).delete()  # never visited: counted from today
        later = list(Visit.objects.filter(practice=slow))
        for row in later:
            row.visit_date = days_ago(120)
        Visit.objects.bulk_update(later, ["visit_date"])

    seen = shown(client, world)
    assert (seen[slow.name], seen[stuck.name]) == (STALLED, ON_TRACK)


def test_a_visit_moved_to_another_practice_moves_both(client, world, statuses_seen):
    _, slow, stuck = statuses_seen
    with program_scope(world.program):
        Visit.objects.filter(practice=slow).update(practice=stuck)

    seen = shown(client, world)
    assert (seen[slow.name], seen[stuck.name]) == (ON_TRACK, ATTENTION)


# The admin and cascades -------------------------------------------------------------------------


def test_a_visit_redated_in_the_admin(client, operator, world, statuses_seen):
    _, _, stuck = statuses_seen
    row = Visit.all_programs.get(practice=stuck)
    url = reverse("admin:coaching_visit_change", args=[row.pk])

    response = operator.post(url, {**admin_form(operator, url), "visit_date": days_ago(2)})

    assert response.status_code == 302
    assert shown(client, world)[stuck.name] == ON_TRACK


def test_an_action_done_in_the_admin(client, operator, world, statuses_seen):
    fine, _, _ = statuses_seen
    plan = active_plan(world, fine)
    action = f.PlanActionFactory(
        program=world.program, goal__plan=plan, due_on=days_ago(4), status=ActionStatus.OPEN
    )
    assert shown(client, world)[fine.name] == ATTENTION
    url = reverse("admin:coaching_planaction_change", args=[action.pk])

    response = operator.post(url, {**admin_form(operator, url), "status": ActionStatus.DONE})

    assert response.status_code == 302
    assert shown(client, world)[fine.name] == ON_TRACK


def test_visits_deleted_with_the_admins_delete_selected(client, operator, world, statuses_seen):
    _, slow, stuck = statuses_seen
    rows = Visit.all_programs.filter(practice__in=[slow, stuck]).values_list("pk", flat=True)

    with no_program_scope():
        response = operator.post(
            reverse("admin:coaching_visit_changelist"),
            {"action": "delete_selected", "_selected_action": list(rows), "post": "yes"},
        )

    assert response.status_code == 302
    assert not Visit.all_programs.filter(practice__in=[slow, stuck]).exists()
    seen = shown(client, world)
    assert (seen[slow.name], seen[stuck.name]) == (ON_TRACK, ON_TRACK)


def test_a_deleted_coach_takes_their_assignment_and_its_date_with_them(client, world):
    client.force_login(world.manager)
    coach = new_coach(world, "short-lived@example.org", "Short-lived Coach")
    long_enrolled = coached_practice(
        world, "Juniper Clinic", coach=coach, enrolled_on=days_ago(200)
    )
    with program_scope(world.program):
        CoachAssignment.objects.filter(coach=coach).update(
            assigned_at=timezone.now() - timedelta(days=10)
        )
    assert shown(client, world)[long_enrolled.name] == ON_TRACK  # 10 days

    coach.delete()  # as the admin's user deletion does

    assert shown(client, world)[long_enrolled.name] == STALLED  # 200 days


# Transactions -----------------------------------------------------------------------------------


def test_a_read_undone_by_a_savepoint_rollback_is_made_again(client, world, statuses_seen):
    _, _, stuck = statuses_seen
    visit(world, stuck, days=1)

    with pytest.raises(RuntimeError), transaction.atomic():
        assert shown(client, world)[stuck.name] == ON_TRACK
        raise RuntimeError("roll back the stamp and the computed standing")

    assert shown(client, world)[stuck.name] == ON_TRACK


def test_writes_touch_no_standing_until_read_or_committed(world, statuses_seen):
    fine, slow, stuck = statuses_seen
    with CaptureQueriesContext(connection) as writes:
        for practice in (fine, slow, stuck, fine, slow, stuck):
            visit(world, practice, days=1)
    assert not [q for q in writes if "caseloadstanding" in q["sql"]]

    with CaptureQueriesContext(connection) as read:
        assert not_current(world) == {slow.name, stuck.name, fine.name}
    stamps = [q for q in read if "caseloadstanding" in q["sql"] and "INSERT" in q["sql"]]
    assert len(stamps) == 1  # one upsert for the whole transaction


@pytest.mark.django_db(transaction=True)
def test_a_commit_stamps_its_practices_and_a_rollback_stamps_nothing(world):
    fine, slow, stuck = three_statuses(world)
    with program_scope(world.program):
        standings.standings_catch_up(practices=Practice.objects.all(), today=timezone.localdate())
        assert not_current(world) == set()

    with transaction.atomic():
        visit(world, stuck, days=1)
        visit(world, stuck, days=2)
        with CaptureQueriesContext(connection) as inside:
            visit(world, slow, days=2)
        assert not [q for q in inside if "caseloadstanding" in q["sql"]]
    assert not_current(world) == {slow.name, stuck.name}

    with program_scope(world.program):
        standings.standings_catch_up(practices=Practice.objects.all(), today=timezone.localdate())
    with pytest.raises(RuntimeError), transaction.atomic():
        visit(world, fine, days=60)
        raise RuntimeError("roll it back")
    assert not_current(world) == set()
    with program_scope(world.program):
        assert CaseloadStanding.objects.get(practice=fine).status == ON_TRACK
