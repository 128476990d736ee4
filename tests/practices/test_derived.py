"""practices/derived.py: every write to a source model reaches the subscribers, whatever path it
takes (a save, a bulk create, update or delete, a related manager, a cascade), once per
transaction and after it commits; a read inside the transaction sees its own writes; and a
source model that would let a write through unmarked is refused by the system check."""

import pytest
from django.db import connection, models, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Instrument
from coaching.models import ActionStatusChange, CaseloadRules, PlanAction, PlanGoal, Visit
from practices import checks, derived
from practices.models import CoachAssignment, Practice
from psp.tenancy.scope import program_scope
from tests.factories import (
    CoachAssignmentFactory,
    InstrumentFactory,
    PlanActionFactory,
    PracticeFactory,
    UserFactory,
    VisitFactory,
)


class Recorder:
    """A subscriber that keeps what it was handed: (practice ids, program ids) per flush."""

    def __init__(self):
        self.calls: list[tuple[set, set]] = []

    def __call__(self, *, practices, program_ids):
        self.calls.append((set(practices.values_list("pk", flat=True)), set(program_ids)))

    def take(self) -> tuple[set, set]:
        """Flush what the test's transaction changed, and what was handed over since the last
        take, as (practice ids, program ids)."""
        derived.flush_pending()
        practices, programs = set(), set()
        for seen, whole in self.calls:
            practices |= seen
            programs |= whole
        self.calls.clear()
        return practices, programs


@pytest.fixture
def recorder(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(derived, "_subscribers", [(recorder, None)])
    return recorder


@pytest.fixture
def two(world, recorder):
    """The world's two practices, with what building the world changed already taken."""
    recorder.take()
    return world.practice, world.other_practice


def visit_row(world, practice, **extra) -> Visit:
    return Visit(
        program=world.program,
        practice=practice,
        coach=world.coach,
        visit_date=timezone.localdate(),
        **extra,
    )


# Every write path -----------------------------------------------------------------------------


def test_a_save_and_a_delete_mark_the_rows_practice(world, two, recorder):
    first, _ = two
    visit = VisitFactory(program=world.program, practice=first)
    assert recorder.take() == ({first.pk}, set())

    with program_scope(world.program):
        visit.delete()
    assert recorder.take() == ({first.pk}, set())


def test_bulk_create_update_bulk_update_and_delete_mark_the_practices_they_touch(
    world, two, recorder
):
    first, second = two
    with program_scope(world.program):
        made = Visit.objects.bulk_create([visit_row(world, first), visit_row(world, second)])
        assert recorder.take() == ({first.pk, second.pk}, set())

        Visit.objects.filter(practice=first).update(duration_minutes=F("duration_minutes") + 5)
        assert recorder.take() == ({first.pk}, set())

        made[1].visit_date = timezone.localdate().replace(day=1)
        Visit.objects.bulk_update([made[1]], ["visit_date"])
        assert recorder.take() == ({second.pk}, set())

        Visit.objects.filter(practice=second).delete()
        assert recorder.take() == ({second.pk}, set())

        Visit.objects.filter(pk__in=[]).delete()
        Visit.objects.none().update(duration_minutes=1)
        assert recorder.take() == (set(), set())


def test_an_update_that_moves_rows_to_another_practice_marks_both(world, two, recorder):
    first, second = two
    VisitFactory(program=world.program, practice=first)
    recorder.take()

    with program_scope(world.program):
        Visit.objects.filter(practice=first).update(practice=second)

    assert recorder.take() == ({first.pk, second.pk}, set())


def test_related_managers_and_the_all_programs_manager_mark_too(world, two, recorder):
    first, second = two
    VisitFactory(program=world.program, practice=first)
    VisitFactory(program=world.program, practice=second)
    recorder.take()

    with program_scope(world.program):
        first.visits.update(duration_minutes=30)
    assert recorder.take() == ({first.pk}, set())

    Visit.all_programs.filter(practice=second).delete()
    assert recorder.take() == ({second.pk}, set())


def test_rows_that_name_their_practice_through_a_parent_are_resolved_in_the_flush(
    world, two, recorder
):
    first, _ = two
    action = PlanActionFactory(program=world.program, goal__plan__practice=first)
    recorder.take()

    with program_scope(world.program), CaptureQueriesContext(connection) as writes:
        # By id only, as an import would: nothing is looked up per row.
        ActionStatusChange.objects.bulk_create(
            [
                ActionStatusChange(program=world.program, action_id=action.pk, to_status="done")
                for _ in range(3)
            ]
        )
        PlanGoal.objects.filter(pk=action.goal_id).update(title="Clear roles")
    assert len(writes) == 3  # the insert; the update and the goal's practice read before it
    assert recorder.take() == ({first.pk}, set())

    with program_scope(world.program):
        ActionStatusChange.objects.create(action=action, to_status="open")  # its action loaded
    assert recorder.take() == ({first.pk}, set())


def test_a_deleted_coach_marks_the_practices_of_their_assignments(world, two, recorder):
    _, second = two
    coach = UserFactory()
    CoachAssignmentFactory(program=world.program, practice=second, coach=coach)
    recorder.take()

    coach.delete()

    assert not CoachAssignment.all_programs.filter(coach_id=coach.pk).exists()
    assert recorder.take() == ({second.pk}, set())


def test_a_deleted_practice_hands_over_nothing_to_stamp(world, two, recorder):
    first, _ = two
    VisitFactory(program=world.program, practice=first)
    recorder.take()

    with program_scope(world.program):
        Practice.objects.filter(pk=first.pk).delete()

    assert recorder.take() == (set(), set())  # its derived rows went with it


def test_program_wide_sources_mark_the_program_when_what_is_read_changes(world, two, recorder):
    instrument = InstrumentFactory(program=world.program)
    assert recorder.take() == (set(), {world.program.pk})  # new: conservatively marked

    with program_scope(world.program):
        instrument = Instrument.objects.get(pk=instrument.pk)
        instrument.name = "Readiness, renamed"
        instrument.save()
        Instrument.objects.filter(pk=instrument.pk).update(description="Reworded")
        assert recorder.take() == (set(), set())  # the caseload reads only the cadence

        instrument.cadence_months = 3
        instrument.save()
        assert recorder.take() == (set(), {world.program.pk})
        Instrument.objects.filter(pk=instrument.pk).update(cadence_months=12)
        assert recorder.take() == (set(), {world.program.pk})

        CaseloadRules.objects.create(attention_days_without_visit=30)
    assert recorder.take() == (set(), {world.program.pk})


# Once per transaction --------------------------------------------------------------------------


def test_writes_cost_no_query_and_a_read_hands_them_over_in_one_batch(world, two, recorder):
    first, second = two
    with program_scope(world.program), CaptureQueriesContext(connection) as writes:
        for practice in (first, second, first, second, first):
            Visit.objects.create(
                practice=practice, coach=world.coach, visit_date=timezone.localdate()
            )
        PlanAction.objects.create(practice=first, title="Walk the huddle board")
    assert len(writes) == 6  # the six inserts, nothing more

    derived.flush_pending()
    assert recorder.calls == [({first.pk, second.pk}, set())]
    recorder.calls.clear()
    derived.flush_pending()
    assert recorder.calls == []  # nothing new since


def test_a_read_flush_undone_by_a_savepoint_rollback_is_made_again(world, two, recorder):
    first, _ = two
    VisitFactory(program=world.program, practice=first)

    with pytest.raises(RuntimeError), transaction.atomic():
        assert recorder.take() == ({first.pk}, set())
        raise RuntimeError("undo the stamp")

    assert recorder.take() == ({first.pk}, set())


@pytest.mark.django_db(transaction=True)
def test_a_transaction_is_handed_over_once_after_it_commits(world, recorder):
    recorder.calls.clear()
    practices = [PracticeFactory(program=world.program) for _ in range(3)]
    recorder.calls.clear()  # created outside a transaction: handed over one by one

    with transaction.atomic(), program_scope(world.program):
        for practice in practices:
            Visit.objects.create(
                practice=practice, coach=world.coach, visit_date=timezone.localdate()
            )
            PlanAction.objects.bulk_create(
                [PlanAction(program=world.program, practice=practice, title="Huddle")]
            )
        assert recorder.calls == []

    assert recorder.calls == [({p.pk for p in practices}, set())]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_hands_over_nothing(world, recorder):
    recorder.calls.clear()

    with pytest.raises(RuntimeError), transaction.atomic(), program_scope(world.program):
        Visit.objects.create(
            practice=world.practice, coach=world.coach, visit_date=timezone.localdate()
        )
        raise RuntimeError("roll it back")
    assert recorder.calls == []

    with program_scope(world.program):  # outside a transaction: at once
        Visit.objects.create(
            practice=world.other_practice, coach=world.coach, visit_date=timezone.localdate()
        )
    assert recorder.calls == [({world.other_practice.pk}, set())]


# The check -------------------------------------------------------------------------------------


def test_the_system_check_passes_and_refuses_what_would_skip_the_marking(monkeypatch):
    assert checks.check_sources() == []

    plain = models.Manager()
    plain.name, plain.model = "plain", Visit
    monkeypatch.setattr(Visit._meta, "managers", (*Visit._meta.managers, plain))
    monkeypatch.setattr(Practice, "practice_path", "no_such_field")
    coach = CoachAssignment._meta.get_field("coach").remote_field
    monkeypatch.setattr(coach, "on_delete", models.CASCADE)

    errors = {error.obj._meta.label: error.msg for error in checks.check_sources()}

    assert "Visit.plain (Manager) writes without marking" in errors["coaching.Visit"]
    assert "practice_path 'no_such_field' is not a lookup" in errors["practices.Practice"]
    assert "coach cascades from accounts.User" in errors["practices.CoachAssignment"]
