"""Assigning a template makes the practices' checklists at once, whichever way it is assigned,
and assigning it again makes nothing; ending an assignment keeps what was made."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from compliance.models import ChecklistAssignment, ChecklistInstance
from compliance.schedules.assignments import assignment_deactivate, checklist_assign
from compliance.schedules.services import schedule_instances
from compliance.schedules.tasks import schedule_all_checklists, schedule_checklists
from practices.services import practice_stage_move
from psp.tenancy.scope import program_scope
from tests.compliance.helpers import published_checklist
from tests.factories import PracticeFactory

START = date(2025, 1, 1)


def _made(program, **filters) -> set[tuple[int, str]]:
    with program_scope(program):
        rows = ChecklistInstance.objects.filter(**filters).values_list("practice_id", "period_key")
        return set(rows)


def _assign(world, template, **target):
    with program_scope(world.program):
        return checklist_assign(
            program=world.program, by=world.admin, template=template, starts_on=START, **target
        )


def test_assigning_to_one_practice_makes_its_checklists_at_once_and_again_makes_nothing(world):
    template = published_checklist(world.program, recurrence="annually")
    result = _assign(world, template, practices=[world.practice])
    this_year = str(world.program.local_today().year)
    assert result.instances >= 2
    assert (world.practice.pk, this_year) in _made(world.program)
    assert {p for p, _ in _made(world.program)} == {world.practice.pk}

    again = _assign(world, template, practices=[world.practice])
    assert (again.made, again.instances) == ([], 0)
    assert [a.pk for a in again.already] == [a.pk for a in result.made]
    with program_scope(world.program):
        assert ChecklistAssignment.objects.count() == 1


def test_a_filters_practices_get_one_assignment_each(world):
    template = published_checklist(world.program, recurrence="quarterly")
    with program_scope(world.program):
        law = PracticeFactory(program=world.program, sector="law", name="Harbour Law")
    result = _assign(world, template, practices=[world.practice, world.other_practice, law])
    assert len(result.made) == 3
    with program_scope(world.program):
        assert set(ChecklistAssignment.objects.values_list("practice_id", flat=True)) == {
            world.practice.pk,
            world.other_practice.pk,
            law.pk,
        }
    assert {p for p, _ in _made(world.program)} == {
        world.practice.pk,
        world.other_practice.pk,
        law.pk,
    }


def test_a_sector_template_goes_only_to_its_sector(world):
    template = published_checklist(world.program, recurrence="monthly", sector="primary_care")
    with program_scope(world.program):
        law = PracticeFactory(program=world.program, sector="law", name="Harbour Law")
    with pytest.raises(ValidationError) as refused:
        _assign(world, template, sector="law")
    assert list(refused.value.message_dict) == ["sector"]
    with pytest.raises(ValidationError) as refused:
        _assign(world, template, every_practice=True)
    assert list(refused.value.message_dict) == ["target"]

    result = _assign(world, template, practices=[world.practice, law])
    assert [p.pk for p in result.other_sector] == [law.pk]
    assert [a.practice_id for a in result.made] == [world.practice.pk]

    _assign(world, template, sector="primary_care")
    covered = {p for p, _ in _made(world.program)}
    assert covered == {world.practice.pk, world.other_practice.pk}


def test_every_practice_includes_those_enrolled_later(world):
    template = published_checklist(world.program, recurrence="annually")
    _assign(world, template, every_practice=True)
    with program_scope(world.program):
        newcomer = PracticeFactory(program=world.program, name="New Clinic")
        schedule_instances(program=world.program)
    assert newcomer.pk in {p for p, _ in _made(world.program)}


def test_a_template_must_be_published_and_active_and_the_target_one_of_a_kind(world):
    draft_only = published_checklist(world.program)
    with program_scope(world.program):
        draft_only.current_version = None
        draft_only.save()
    with pytest.raises(ValidationError, match="publish it first"):
        _assign(world, draft_only, every_practice=True)
    inactive = published_checklist(world.program, is_active=False)
    with pytest.raises(ValidationError, match="inactive"):
        _assign(world, inactive, every_practice=True)
    template = published_checklist(world.program)
    with pytest.raises(ValidationError) as refused:
        _assign(world, template, sector="primary_care", every_practice=True)
    assert list(refused.value.message_dict) == ["target"]
    assert not _made(world.program)


def test_an_ended_assignment_makes_no_more_and_keeps_what_it_made(world):
    template = published_checklist(world.program, recurrence="monthly")
    result = _assign(world, template, practices=[world.practice])
    before = _made(world.program)
    with program_scope(world.program):
        assignment_deactivate(program=world.program, assignment=result.made[0], by=world.admin)
        assert schedule_instances(program=world.program, today=date(2099, 1, 1)) == 0
        with pytest.raises(ValidationError, match="ended already"):
            assignment_deactivate(program=world.program, assignment=result.made[0], by=world.admin)
    assert _made(world.program) == before


@pytest.mark.django_db(transaction=True)
def test_a_stage_move_brings_its_checklist_without_waiting_for_the_job(
    world, django_capture_on_commit_callbacks
):
    template = published_checklist(
        world.program,
        recurrence="after_event",
        event="stage_move",
        event_stage="pilot",
        due_days=14,
    )
    _assign(world, template, every_practice=True)
    assert not _made(world.program)
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        practice_stage_move(
            program=world.program, practice=world.practice, to_stage="pilot", by=world.coach
        )
    made = _made(world.program)
    assert len(made) == 1 and next(iter(made))[0] == world.practice.pk


def test_the_command_the_task_and_send_reminders_make_what_is_due(world):
    template = published_checklist(world.program, recurrence="monthly")
    with program_scope(world.program):
        ChecklistAssignment.objects.create(
            program=world.program, template=template, practice=world.practice, starts_on=START
        )
    out = StringIO()
    call_command("schedule_checklists", program=world.program.slug, stdout=out)
    made = len(_made(world.program))
    assert made > 12 and f"{made} checklists made" in out.getvalue()
    assert schedule_checklists(program_id=world.program.pk) == 0

    # The runs pick up from the last one: a checklist gone from this month comes back.
    this_month = world.program.local_today().strftime("%Y-%m")
    with program_scope(world.program):
        ChecklistInstance.objects.filter(period_key=this_month).delete()
    out = StringIO()
    call_command("send_reminders", program=world.program.slug, stdout=out)
    assert "checklists made: 1" in out.getvalue()
    assert len(_made(world.program)) == made
    assert schedule_all_checklists() >= 1
