"""The program-wide caseload reads stored standings (coaching/caseload/standings.py): they follow
every change to what the rules read, a new day, and new rules; they order and count as the live
caseload does; and bringing them up to date costs the same queries for 2 practices or 14. Each
write path (bulk writes, the admin, the demo, commits and rollbacks) is in test_write_paths.py."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.caseload import services, standings, tasks
from coaching.caseload.rules import CaseloadStatus
from coaching.caseload.selectors import caseload
from coaching.models import ActionStatus, CaseloadStanding, Visit, VisitStatus
from practices import derived
from practices.models import Practice
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.coaching.caseload.test_pages import (
    action,
    active_plan,
    coached_practice,
    three_statuses,
    today,
    url,
    visit,
)

STALLED, ATTENTION, ON_TRACK = (
    CaseloadStatus.STALLED,
    CaseloadStatus.ATTENTION,
    CaseloadStatus.ON_TRACK,
)


def overview(client, world, query: str = ""):
    response = client.get(url("caseload:overview", world) + query)
    assert response.status_code == 200
    return response


def statuses(response) -> dict[str, str]:
    return {entry.practice.name: entry.status for entry in response.context["entries"]}


def program_wide(world, **kwargs):
    with program_scope(world.program):
        return standings.program_caseload(
            access=access_for(program=world.program, user=world.manager), **kwargs
        )


def not_current(world, day=None) -> set[str]:
    with program_scope(world.program):
        stale = standings.practices_not_current(Practice.objects.all(), day or today())
        return set(stale.values_list("name", flat=True))


@pytest.fixture
def statuses_seen(client, world):
    """Three practices, one in each status, read once by the manager (standings now current)."""
    fine, slow, stuck = three_statuses(world)
    client.force_login(world.manager)
    seen = statuses(overview(client, world))
    assert (seen[fine.name], seen[slow.name], seen[stuck.name]) == (ON_TRACK, ATTENTION, STALLED)
    assert not_current(world) == set()
    return fine, slow, stuck


# Following changes ------------------------------------------------------------------------------


def test_a_visit_logged_after_a_read_moves_the_practice_and_its_count(client, world, statuses_seen):
    fine, slow, stuck = statuses_seen
    before = overview(client, world).context["caseload"].counts

    visit(world, stuck, days=1)

    assert not_current(world) == {stuck.name}
    response = overview(client, world)
    assert statuses(response)[stuck.name] == ON_TRACK
    after = response.context["caseload"].counts
    assert after[STALLED] == before[STALLED] - 1
    assert after[ON_TRACK] == before[ON_TRACK] + 1
    # Filtering by status reads the stored standings: the practice has left "stalled".
    assert stuck.name not in statuses(overview(client, world, "?status=stalled"))


def test_overdue_actions_and_their_moves_follow_through(client, world, statuses_seen):
    fine, _, _ = statuses_seen
    plan = active_plan(world, fine)
    late = action(world, plan, due_days_ago=3)
    assert statuses(overview(client, world))[fine.name] == ATTENTION

    with program_scope(world.program):
        late.status = ActionStatus.DONE
        late.completed_at = timezone.now()
        late.save()

    assert fine.name in not_current(world)
    assert statuses(overview(client, world))[fine.name] == ON_TRACK


def test_a_deleted_visit_and_a_deleted_practice_leave_nothing_stale(client, world, statuses_seen):
    fine, _, stuck = statuses_seen
    with program_scope(world.program):
        Visit.objects.filter(practice=fine).delete()
        Practice.objects.filter(pk=stuck.pk).delete()

    assert fine.name in not_current(world)
    entries = {e.practice.name: e for e in overview(client, world).context["entries"]}
    assert stuck.name not in entries
    assert entries[fine.name].last_visit_on is None
    with program_scope(world.program):
        assert not CaseloadStanding.objects.filter(practice_id=stuck.pk).exists()


def test_new_rules_recompute_every_practice(client, world, statuses_seen):
    fine, slow, stuck = statuses_seen
    with program_scope(world.program):
        services.caseload_rules_update(
            program=world.program,
            by=world.admin,
            data={"attention_days_without_visit": 60, "stalled_days_without_visit": 120},
        )

    assert {fine.name, slow.name, stuck.name} <= not_current(world)
    seen = statuses(overview(client, world))
    assert (seen[slow.name], seen[stuck.name]) == (ON_TRACK, ATTENTION)


def test_a_new_day_makes_every_standing_due_and_the_nightly_job_brings_them_up_to_date(
    world, statuses_seen
):
    tomorrow = today() + timedelta(days=1)
    assert len(not_current(world, tomorrow)) == 5  # the three and the world's two practices

    computed = tasks.refresh_caseload_standings.apply(kwargs={"program_id": world.program.pk}).get()
    assert computed == 0  # still today: nothing to do
    assert tasks.refresh_all_caseload_standings.apply().get() >= 1


def test_a_computation_that_started_before_a_change_is_not_current(world, statuses_seen):
    """The race the stamp after commit closes: a read computed the facts, then a change
    committed and was stamped, then the read stored what it had computed."""
    _, _, stuck = statuses_seen
    started = timezone.now() - timedelta(seconds=5)
    derived.mark_stale(practice_ids=[stuck.pk])
    derived.flush_pending()  # as the commit would
    with program_scope(world.program):
        CaseloadStanding.objects.filter(practice=stuck).update(computed_at=started)

    assert not_current(world) == {stuck.name}


# Order and counts -------------------------------------------------------------------------------


def test_the_stored_order_and_counts_are_the_live_caseloads(world):
    three_statuses(world)
    longer = coached_practice(world, "Dogwood Clinic")
    visit(world, longer, days=130)
    never = coached_practice(world, "Elm Street Practice")
    plan = active_plan(world, never)
    action(world, plan, due_days_ago=9)
    with program_scope(world.program):
        live = caseload(access=access_for(program=world.program, user=world.manager))
    stored = program_wide(world)

    assert stored.counts == live.counts
    with program_scope(world.program):
        ordered = [entry.practice.name for entry in stored.entries_for(stored.standings)]
    assert ordered == [entry.practice.name for entry in live.entries]
    assert ordered[:2] == ["Dogwood Clinic", "Cedar Health"]  # stalled, longest unvisited first


def test_the_status_filter_and_a_page_of_entries(world):
    three_statuses(world)
    stalled = program_wide(world, status=STALLED)
    assert stalled.counts[ON_TRACK] >= 1  # counts ignore the status filter
    with program_scope(world.program):
        entries = stalled.entries_for(stalled.standings[:5])
        assert stalled.entries_for(stalled.standings.none()) == []
    assert [entry.status for entry in entries] == [STALLED]
    assert entries[0].practice.name == "Cedar Health"


# Cost -------------------------------------------------------------------------------------------


def catch_up_queries(world) -> int:
    with program_scope(world.program), CaptureQueriesContext(connection) as captured:
        program_wide(world)
    return len(captured)


def test_bringing_the_standings_up_to_date_costs_the_same_for_2_and_14_practices(world):
    for day in (3, 50, 100):
        visit(world, world.practice, days=day)
    # Measured after the writes are stamped, as their commit would (not_current stamps them).
    assert len(not_current(world)) == 2
    cold_small = catch_up_queries(world)
    warm = catch_up_queries(world)
    assert warm < cold_small

    for i in range(12):
        practice = coached_practice(world, f"Growth Practice {i:02}")
        visit(world, practice, days=i * 10)
        visit(world, practice, days=-7, status=VisitStatus.PLANNED)
        action(world, active_plan(world, practice), due_days_ago=i)
    assert len(not_current(world)) == 12

    assert catch_up_queries(world) == cold_small
    assert catch_up_queries(world) == warm


def test_a_read_recomputes_only_what_changed(world, statuses_seen, monkeypatch):
    computed = []
    refresh = standings.standings_refresh

    def counting(**kwargs):
        count = refresh(**kwargs)
        computed.append(count)
        return count

    monkeypatch.setattr(standings, "standings_refresh", counting)
    _, slow, _ = statuses_seen
    visit(world, slow, days=0)
    program_wide(world)
    program_wide(world)
    assert computed == [1]  # the second read finds nothing changed: no computation at all


# A read never does the program's nightly work -----------------------------------------------------


def queued_catch_ups(world) -> list:
    from psp.outbox.models import OutboxMessage

    with program_scope(world.program):
        return list(
            OutboxMessage.objects.filter(task=tasks.refresh_caseload_standings.name).values_list(
                "key", flat=True
            )
        )


def test_a_read_before_the_nightly_job_shows_yesterdays_standings_with_their_date(
    client, world, statuses_seen, monkeypatch
):
    fine, slow, stuck = statuses_seen
    yesterday = today() - timedelta(days=1)
    with program_scope(world.program):
        CaseloadStanding.objects.update(computed_on=yesterday)  # as at midnight: all due
    computed = []
    monkeypatch.setattr(standings, "standings_refresh", lambda **kw: computed.append(kw) or 0)

    first = overview(client, world)
    second = overview(client, world)

    assert computed == []  # nothing computed inline
    caseload = first.context["caseload"]
    assert caseload.catching_up and caseload.as_of == yesterday
    assert caseload.counts[STALLED] >= 1  # yesterday's standings, still counted and listed
    assert stuck.name in statuses(first)
    assert "Counts and order as of" in first.content.decode()
    assert second.context["caseload"].catching_up
    assert queued_catch_ups(world) == [f"caseload-standings:{today().isoformat()}"]  # once


def test_new_rules_for_every_practice_are_left_to_one_queued_catch_up(
    client, world, statuses_seen, monkeypatch
):
    for i in range(standings.INLINE_LIMIT):
        coached_practice(world, f"Many Practice {i:02}")
    tasks.refresh_caseload_standings.apply(kwargs={"program_id": world.program.pk})
    with program_scope(world.program):
        services.caseload_rules_update(
            program=world.program, by=world.admin, data={"attention_days_without_visit": 60}
        )
    computed = []
    monkeypatch.setattr(standings, "standings_refresh", lambda **kw: computed.append(kw) or 0)

    first = overview(client, world)
    overview(client, world)

    assert computed == []
    assert first.context["caseload"].catching_up
    assert first.context["caseload"].total == standings.INLINE_LIMIT + 5
    assert len(queued_catch_ups(world)) == 1


def test_the_nightly_job_stores_what_the_live_caseload_says(world):
    three_statuses(world)
    visit(world, coached_practice(world, "Dogwood Clinic"), days=130)
    with program_scope(world.program):
        CaseloadStanding.objects.all().delete()
    tasks.refresh_caseload_standings.apply(kwargs={"program_id": world.program.pk})

    with program_scope(world.program):
        live = caseload(access=access_for(program=world.program, user=world.manager))
        stored = {
            s.practice_id: (s.status, s.rank, s.days_without_visit)
            for s in CaseloadStanding.objects.all()
        }
    assert stored == {
        e.practice.pk: (e.status, e.verdict.rank, e.days_without_visit) for e in live.entries
    }
