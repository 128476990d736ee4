"""Making checklist instances on schedule: once per period and practice, whoever runs it."""

from datetime import UTC, date, datetime
from unittest import mock

from compliance.models import ChecklistInstance
from compliance.schedules.services import schedule_instances
from practices.models import StageChange
from psp.tenancy.scope import program_scope
from tests.compliance.helpers import assign, published_checklist
from tests.factories import PracticeFactory


def instances(program, **filters):
    with program_scope(program):
        return list(
            ChecklistInstance.objects.filter(**filters)
            .order_by("practice_id", "opens_on")
            .values_list("practice_id", "period_key", "opens_on", "due_on")
        )


def run(program, today):
    with program_scope(program):
        return schedule_instances(program=program, today=today)


def test_a_monthly_checklist_gets_one_instance_per_month_and_a_second_run_makes_nothing(world):
    template = published_checklist(world.program, recurrence="monthly")
    assign(template, practice=world.practice, starts_on=date(2026, 10, 15))
    assert run(world.program, date(2026, 12, 3)) == 3
    assert instances(world.program) == [
        (world.practice.pk, "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        (world.practice.pk, "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        (world.practice.pk, "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
    ]
    assert run(world.program, date(2026, 12, 3)) == 0
    assert run(world.program, date(2026, 12, 31)) == 0
    assert len(instances(world.program)) == 3
    # The next month's run makes the next month's only.
    assert run(world.program, date(2027, 1, 1)) == 1


def test_instances_keep_the_version_they_were_made_from(world):
    template = published_checklist(world.program, recurrence="monthly")
    assign(template, practice=world.practice, starts_on=date(2026, 12, 1))
    run(world.program, date(2026, 12, 3))
    with program_scope(world.program):
        instance = ChecklistInstance.objects.get()
        assert instance.version_id == template.current_version_id
        assert instance.period_label == "December 2026"


def test_a_sector_assignment_covers_that_sector_and_practices_enrolled_later(world):
    template = published_checklist(world.program, recurrence="quarterly")
    assign(template, sector="primary_care", starts_on=date(2026, 1, 1))
    with program_scope(world.program):
        law = PracticeFactory(program=world.program, sector="law", name="Harbour Law")
    run(world.program, date(2026, 5, 1))
    covered = {practice for practice, *_ in instances(world.program)}
    assert law.pk not in covered
    assert {world.practice.pk, world.other_practice.pk} <= covered
    with program_scope(world.program):
        late = PracticeFactory(
            program=world.program, name="Late Joiner Clinic", enrolled_on=date(2026, 8, 20)
        )
    run(world.program, date(2026, 8, 21))
    # The newcomer gets the quarter it joined in, not the ones before.
    assert instances(world.program, practice=late) == [
        (late.pk, "2026-Q3", date(2026, 7, 1), date(2026, 9, 30))
    ]


def test_overlapping_assignments_make_one_instance(world):
    template = published_checklist(world.program, recurrence="annually")
    assign(template, practice=world.practice)
    assign(template)  # every practice
    run(world.program, date(2026, 3, 1))
    assert len(instances(world.program, practice=world.practice)) == 1


def test_a_checklist_after_enrolment_is_due_days_after_it(world):
    template = published_checklist(
        world.program, recurrence="after_event", event="enrolment", due_days=30
    )
    assign(template, starts_on=date(2026, 6, 1))
    with program_scope(world.program):
        newcomer = PracticeFactory(
            program=world.program, name="New Clinic", enrolled_on=date(2026, 6, 10)
        )
    run(world.program, date(2026, 7, 1))
    # Practices enrolled before the assignment began get none.
    assert instances(world.program) == [
        (newcomer.pk, "enrolment", date(2026, 6, 10), date(2026, 7, 10))
    ]


def test_a_stage_move_opens_on_the_programs_local_date(world):
    template = published_checklist(
        world.program,
        recurrence="after_event",
        event="stage_move",
        event_stage="pilot",
        due_days=14,
    )
    assign(template, starts_on=date(2026, 1, 1))
    world.program.time_zone = "Pacific/Auckland"
    with program_scope(world.program):
        # 30 November 20:00 UTC is already 1 December in Auckland.
        StageChange.objects.create(
            practice=world.practice,
            from_stage="training",
            to_stage="pilot",
            moved_at=datetime(2026, 11, 30, 20, 0, tzinfo=UTC),
        )
        StageChange.objects.create(
            practice=world.other_practice,
            from_stage="pilot",
            to_stage="training",
            moved_at=datetime(2026, 11, 30, 20, 0, tzinfo=UTC),
        )
    run(world.program, date(2026, 12, 3))
    [(practice, key, opens, due)] = instances(world.program)
    assert practice == world.practice.pk and key.startswith("stage:")
    assert (opens, due) == (date(2026, 12, 1), date(2026, 12, 15))


def test_today_is_the_programs_own_date(world):
    template = published_checklist(world.program, recurrence="monthly")
    assign(template, practice=world.practice, starts_on=date(2026, 1, 1))
    world.program.time_zone = "Pacific/Auckland"
    # 31 December 12:00 UTC is 1 January in Auckland: January's checklist has opened there.
    moment = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        program_scope(world.program),
    ):
        schedule_instances(program=world.program)
    assert instances(world.program)[-1][1] == "2027-01"


def test_an_inactive_or_unpublished_template_makes_nothing(world):
    paused = published_checklist(world.program, recurrence="monthly", is_active=False)
    assign(paused, practice=world.practice)
    draft = published_checklist(world.program, recurrence="monthly")
    with program_scope(world.program):
        draft.current_version = None
        draft.save(update_fields=["current_version"])
    assign(draft, practice=world.practice)
    assert run(world.program, date(2026, 3, 1)) == 0
