"""The stored monthly dose summary always equals the dose counted live from the visits: after
every kind of write (logged, planned and cancelled visits, a visit moved to another month,
practice or coach, activities edited, visits deleted one by one or in bulk, a coach deleted), on
a real commit as inside the writing transaction, and after `rebuild_dose`."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from coaching.dose import summary
from coaching.dose.models import DoseActivityMonth, DoseCoachMonth, DoseMonth
from coaching.models import Activity, Visit, VisitActivity, VisitMode, VisitStatus
from coaching.visits.services.rows import replace_details
from practices import derived
from psp.outbox.models import OutboxMessage
from psp.tenancy.scope import program_scope
from tests.coaching.caseload.test_pages import (
    coached_practice,
    new_coach,
    visit,
    visit_with_activities,
)
from tests.factories import UserFactory


def live(program) -> tuple[dict, dict]:
    """The dose counted from the visits themselves, at the summary's grain."""
    modes, activities = defaultdict(lambda: [0, 0, 0]), defaultdict(lambda: [0, 0])
    logged = Visit.all_programs.filter(program=program, status=VisitStatus.LOGGED)
    for row in logged:
        key = (row.practice_id, row.coach_id, row.visit_date.replace(day=1), row.mode)
        modes[key][0] += 1
        modes[key][1] += row.duration_minutes
        modes[key][2] += row.travel_minutes
    for row in VisitActivity.all_programs.filter(visit__in=logged).select_related("visit"):
        key = (row.visit.practice_id, row.visit.coach_id, row.visit.visit_date.replace(day=1))
        activities[(*key, row.activity)][0] += 1
        activities[(*key, row.activity)][1] += row.minutes
    return {k: tuple(v) for k, v in modes.items()}, {k: tuple(v) for k, v in activities.items()}


def stored(program) -> tuple[dict, dict]:
    derived.flush_pending()  # as the reads do: this transaction's writes first
    modes, activities = defaultdict(lambda: [0, 0, 0]), defaultdict(lambda: [0, 0])
    for row in DoseMonth.all_programs.filter(program=program):
        key = (row.practice_id, row.coach_id, row.month, row.mode)
        for index, value in enumerate((row.visits, row.minutes, row.travel)):
            modes[key][index] += value
    for row in DoseActivityMonth.all_programs.filter(program=program):
        key = (row.practice_id, row.coach_id, row.month, row.activity)
        activities[key][0] += row.visits
        activities[key][1] += row.minutes
    return {k: tuple(v) for k, v in modes.items()}, {k: tuple(v) for k, v in activities.items()}


def rolled_up(program) -> tuple[dict, dict]:
    """The coaches' rollup, and the detailed summary's sums at its grain (no practice)."""
    derived.flush_pending()
    rollup, detail = defaultdict(lambda: [0, 0, 0]), defaultdict(lambda: [0, 0, 0])
    for rows, sums in ((DoseCoachMonth.all_programs, rollup), (DoseMonth.all_programs, detail)):
        for row in rows.filter(program=program):
            key = (row.coach_id, row.month, row.mode)
            for index, value in enumerate((row.visits, row.minutes, row.travel)):
                sums[key][index] += value
    return {k: tuple(v) for k, v in rollup.items()}, {k: tuple(v) for k, v in detail.items()}


def assert_summary_is_live(program, step: str):
    assert stored(program) == live(program), f"the summary is stale after: {step}"
    rollup, detail = rolled_up(program)
    assert rollup == detail, f"the coaches' rollup is not the summary's sums after: {step}"


@pytest.fixture
def varied(world):
    """Two practices, two coaches, visits over several months in every mode and status."""
    second = coached_practice(world, "Summary Street Clinic", coach=world.other_coach)
    for days, mode in ((2, VisitMode.ON_SITE), (40, VisitMode.PHONE), (75, VisitMode.VIRTUAL)):
        visit_with_activities(
            world, world.practice, {Activity.WORKFLOW: 30, Activity.CPD: 25}, days=days, mode=mode
        )
        visit_with_activities(
            world, second, {Activity.COMPLIANCE: 40}, days=days + 3, coach=world.other_coach
        )
    visit(world, world.practice, days=-5, status=VisitStatus.PLANNED, duration_minutes=500)
    visit(world, world.practice, days=9, status=VisitStatus.CANCELLED, duration_minutes=500)
    return second


def test_the_summary_counts_logged_visits_only(world, varied):
    modes, activities = stored(world.program)

    assert sum(visits for visits, _, _ in modes.values()) == 6
    assert sum(minutes for _, minutes, _ in modes.values()) == 3 * 55 + 3 * 40
    assert sum(minutes for _, minutes in activities.values()) == 3 * 55 + 3 * 40
    assert_summary_is_live(world.program, "creating visits")


def test_the_summary_follows_each_kind_of_visit_write(world, varied):
    program = world.program
    with program_scope(program):
        moved = Visit.objects.filter(practice=world.practice, status=VisitStatus.LOGGED).first()
        moved.visit_date -= timedelta(days=62)
        moved.save()
        assert_summary_is_live(program, "a visit moved to another month")

        moved.coach = world.other_coach
        moved.save()
        assert_summary_is_live(program, "a visit given to another coach")

        planned = Visit.objects.get(status=VisitStatus.PLANNED)
        planned.status = VisitStatus.LOGGED
        planned.save()
        assert_summary_is_live(program, "a planned visit logged")

        planned.status = VisitStatus.CANCELLED
        planned.save()
        assert_summary_is_live(program, "a logged visit cancelled")

        replace_details(program, moved, {"activities": {Activity.DATA_REVIEW: 55}})
        assert_summary_is_live(program, "a visit's activities replaced")

        VisitActivity.objects.filter(visit=moved).update(minutes=50)
        assert_summary_is_live(program, "an activity's minutes changed in bulk")

        Visit.objects.filter(practice=world.practice).update(practice=varied)
        assert_summary_is_live(program, "visits moved to another practice in bulk")

        Visit.objects.bulk_create(
            Visit(
                program=program,
                practice=world.practice,
                coach=world.coach,
                visit_date=day,
                duration_minutes=15,
            )
            for day in (moved.visit_date, moved.visit_date - timedelta(days=200))
        )
        assert_summary_is_live(program, "visits created in bulk")

        moved.refresh_from_db()  # it was moved to the other practice in bulk
        moved.delete()
        assert_summary_is_live(program, "a visit deleted")

        Visit.objects.filter(coach=world.other_coach).delete()
        assert_summary_is_live(program, "visits deleted in bulk")


def test_a_deleted_coach_leaves_the_dose_with_no_coach(world, varied):
    leaving = new_coach(world, "leaving@example.org", "Leaving Coach")
    visit(world, world.practice, days=3, coach=leaving, duration_minutes=45)
    visit(world, world.practice, days=4, coach=None, duration_minutes=30)
    assert_summary_is_live(world.program, "visits with and without a coach")

    leaving.delete()

    assert_summary_is_live(world.program, "their coach deleted")


@pytest.mark.django_db(transaction=True)
def test_a_commit_sums_its_visits_and_a_rollback_nothing(world):
    def minutes() -> int:  # no flush of the reads here: only the commit recomputes
        return sum(row.minutes for row in DoseMonth.all_programs.filter(program=world.program))

    with transaction.atomic():
        visit(world, world.practice, days=1, duration_minutes=33)
        visit(world, world.other_practice, days=2, duration_minutes=12)
        assert minutes() == 0
    assert minutes() == 45

    with pytest.raises(RuntimeError), transaction.atomic():
        visit(world, world.practice, days=3, duration_minutes=100)
        raise RuntimeError("roll it back")
    assert minutes() == 45
    assert_summary_is_live(world.program, "a commit and a rollback")


def test_a_write_to_anything_else_recomputes_no_dose(world, varied):
    stored(world.program)
    with program_scope(world.program):
        world.practice.name = "Renamed Practice"
        world.practice.save()
        with CaptureQueriesContext(connection) as flush:
            derived.flush_pending()

    assert flush.captured_queries  # the caseload standings were stamped
    assert not [q for q in flush.captured_queries if "coaching_dose" in q["sql"]]


def test_a_failed_recomputation_is_queued_and_the_write_stands(world, varied, monkeypatch):
    stored(world.program)

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(summary, "dose_refresh", broken)
    logged = visit(world, world.practice, days=1)
    derived.flush_pending()

    assert Visit.all_programs.filter(pk=logged.pk).exists()
    queued = OutboxMessage.all_programs.get(task="coaching.tasks.refresh_practice_dose")
    assert queued.kwargs == {"practice_ids": [world.practice.pk]}


def test_rebuild_dose_puts_a_damaged_summary_right(world, varied, other_world):
    visit(other_world, other_world.practice, days=1, coach=other_world.coach)
    stored(world.program)
    DoseMonth.all_programs.filter(program=world.program).delete()
    DoseActivityMonth.all_programs.filter(program=world.program).update(minutes=1)
    theirs = DoseMonth.all_programs.filter(program=other_world.program).count()

    DoseCoachMonth.all_programs.filter(program=world.program).update(visits=99)
    call_command("rebuild_dose", "--program", world.program.slug)

    assert_summary_is_live(world.program, "rebuild_dose")
    assert DoseMonth.all_programs.filter(program=other_world.program).count() == theirs
    with pytest.raises(CommandError):
        call_command("rebuild_dose", "--program", "no-such-program")


def test_the_nightly_rebuild_covers_every_program(world, varied, other_world):
    from coaching.tasks import rebuild_all_dose

    stored(world.program)
    DoseMonth.all_programs.all().delete()
    UserFactory()  # not a program: nothing to rebuild for

    assert rebuild_all_dose() >= 2
    assert stored(world.program) == live(world.program)
