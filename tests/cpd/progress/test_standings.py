"""The stored CPD standings the completion page reads stay equal to what the progress engine says:
after the nightly computation, through every activity write (record, submit, verify, reject,
delete) without waiting for it, and again for a new day once the job has run; a page read
before that shows the last computation's time and queues it; the nightly job fans out per
program."""

from datetime import timedelta
from unittest import mock

import pytest

from cpd.models import CpdStanding
from cpd.progress import tasks
from cpd.progress.roster import completion_rows
from cpd.progress.standings import progress_fields, standings_rebuild
from psp.outbox.models import OutboxMessage
from psp.tenancy.scope import program_scope
from tests.cpd.progress.helpers import TODAY, act, record, small_scheme, standings_computed, url
from tests.factories import MembershipFactory, PracticeMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPARED = ("standing", "credits", "required", "met_on", "shortfall_label", "shortfall_missing")


def stored(world) -> dict:
    with program_scope(world.program):
        return {
            row.person_id: (row.cycle_id, *(getattr(row, name) for name in COMPARED))
            for row in CpdStanding.objects.all()
        }


def engine(world, today=TODAY) -> dict:
    with program_scope(world.program):
        found = {}
        for row in completion_rows(program=world.program, today=today):
            fields = progress_fields(row.result, today)
            found[row.person.pk] = (
                row.cycle.pk if row.cycle else None,
                *(fields[name] for name in COMPARED),
            )
        return found


def test_the_stored_standings_follow_every_activity_write_as_the_engine_does(world):
    small_scheme(world)
    record(world, world.lead, days_ago=100, hours="4")
    standings_computed(world)
    assert stored(world) == engine(world)
    assert stored(world)[world.staff.pk][1] == "no_cycle"

    first = record(world, world.staff, days_ago=30, hours="3")  # makes the staff's cycle
    assert stored(world) == engine(world)
    assert stored(world)[world.staff.pk][1] == "on_pace"

    sent = record(world, world.lead, days_ago=10, hours="6", submit=True)
    assert stored(world)[world.lead.pk][1] == "met"
    act(world, "activity_verify", sent, world.admin)
    assert stored(world) == engine(world)

    more = record(world, world.staff, days_ago=5, hours="7", submit=True)
    assert stored(world)[world.staff.pk][1] == "met"
    act(world, "activity_reject", more, world.admin, reason="Wrong hours.")
    assert stored(world) == engine(world)
    assert stored(world)[world.staff.pk][1] == "on_pace"

    act(world, "activity_delete", first, world.staff)
    assert stored(world) == engine(world)


def test_a_new_day_moves_a_person_behind_once_the_nightly_job_has_run(world):
    small_scheme(world)
    record(world, world.staff, days_ago=20, hours="1")
    standings_computed(world)
    assert stored(world)[world.staff.pk][1] == "on_pace"

    later = TODAY + timedelta(days=60)  # the steady pace has passed 1 credit by then
    with program_scope(world.program):
        standings_rebuild(program=world.program, today=later)

    assert stored(world) == engine(world, today=later)
    assert stored(world)[world.staff.pk][1] == "behind"


def test_someone_a_scheme_applies_to_since_the_last_computation_is_listed_after_the_next(
    client, world
):
    small_scheme(world)
    standings_computed(world)
    newcomer = UserFactory(full_name="New Nina")
    MembershipFactory(program=world.program, user=newcomer, role="practice")
    PracticeMembershipFactory(program=world.program, practice=world.practice, user=newcomer)
    client.force_login(world.manager)

    before = client.get(url(world, "completion"))
    standings_computed(world)
    after = client.get(url(world, "completion"))

    names = [row.person.full_name for row in before.context["rows"]]
    assert "New Nina" not in names
    assert "New Nina" in [row.person.full_name for row in after.context["rows"]]


def test_a_page_read_before_the_days_computation_shows_when_it_ran_and_queues_it(client, world):
    small_scheme(world)
    with program_scope(world.program):
        standings_rebuild(program=world.program, today=TODAY - timedelta(days=1))
    client.force_login(world.manager)

    page = client.get(url(world, "completion"))
    client.get(url(world, "completion"))

    assert page.status_code == 200
    assert page.context["report"].is_stale
    assert "They are being computed again for today." in page.content.decode()
    queued = OutboxMessage.all_programs.filter(task="cpd.progress.tasks.rebuild_cpd_standings")
    assert queued.count() == 1  # once a day, however many read it


def test_a_program_never_computed_says_so(client, world):
    small_scheme(world)
    client.force_login(world.manager)

    page = client.get(url(world, "completion"))

    assert "Standings are being computed for the first time" in page.content.decode()


def test_the_nightly_job_rebuilds_each_program_in_its_own_task(world, other_world):
    with mock.patch.object(tasks.rebuild_cpd_standings, "apply_async") as sent:
        assert tasks.rebuild_all_cpd_standings() == 2

    programs = {call.kwargs["kwargs"]["program_id"] for call in sent.call_args_list}
    assert programs == {world.program.pk, other_world.program.pk}


def test_the_task_computes_the_programs_standings(world):
    small_scheme(world)
    record(world, world.staff, days_ago=20, hours="1")

    assert tasks.rebuild_cpd_standings.run(program_id=world.program.pk) == len(engine(world))
    assert stored(world) == engine(world)
