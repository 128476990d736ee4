"""The latest checklist of each practice and template, and the date each was signed off, kept on
the row by the writers (compliance.instances.latest): the follow-up pages read them, so they
must stay what the rows say through scheduling, answering, signing and correcting."""

from datetime import date

from compliance.instances import services
from compliance.instances.latest import latest_refresh
from compliance.models import ChecklistInstance, ChecklistItem, InstanceStatus
from compliance.schedules.services import schedule_instances
from psp.tenancy.scope import program_scope
from tests.compliance.helpers import assign, published_checklist


def flagged(program) -> list[tuple[int, str]]:
    with program_scope(program):
        rows = ChecklistInstance.objects.filter(is_latest=True)
        return sorted(rows.values_list("practice_id", "period_key"))


def by_the_rule(program) -> list[tuple[int, str]]:
    """Each practice's latest current checklist of each template, worked out from every row."""
    best = {}
    with program_scope(program):
        rows = ChecklistInstance.objects.exclude(status=InstanceStatus.SUPERSEDED)
        for row in rows.order_by("opens_on", "pk"):
            best[row.template_id, row.practice_id] = (row.practice_id, row.period_key)
    return sorted(best.values())


def run(program, today):
    with program_scope(program):
        return schedule_instances(program=program, today=today)


def signed_off(world, instance):
    """Every item answered by the practice's staff, then signed by its lead."""
    with program_scope(world.program):
        items = ChecklistItem.objects.filter(version_id=instance.version_id)
        for item in items:
            services.response_save(
                program=world.program,
                by=world.staff,
                instance=instance,
                item_id=item.pk,
                data={"choice": "done"},
            )
        instance = ChecklistInstance.objects.get(pk=instance.pk)
        assert instance.status == InstanceStatus.COMPLETED
        assert instance.is_latest == (instance.period_key == "2026-12")
        return services.instance_attest(
            program=world.program,
            by=world.lead,
            instance=instance,
            attester="lead",
            signed_name="Lee Lead",
            agreed=True,
        )


def test_the_newest_period_the_scheduler_makes_is_each_practices_latest(world):
    template = published_checklist(world.program, items=1, recurrence="monthly")
    assign(template, starts_on=date(2026, 10, 1))  # every practice
    run(world.program, date(2026, 11, 20))
    assert flagged(world.program) == by_the_rule(world.program)
    assert {key for _, key in flagged(world.program)} == {"2026-11"}
    # The next month moves the flag to its checklist; a run inside it changes nothing.
    run(world.program, date(2026, 12, 1))
    run(world.program, date(2026, 12, 2))
    assert {key for _, key in flagged(world.program)} == {"2026-12"}
    assert flagged(world.program) == by_the_rule(world.program)
    assert len(flagged(world.program)) == 2  # the world's two practices


def test_signing_keeps_the_date_and_a_correction_takes_the_flag(world):
    template = published_checklist(world.program, items=2, recurrence="monthly")
    assign(template, practice=world.practice, starts_on=date(2026, 11, 1))
    run(world.program, date(2026, 12, 3))
    with program_scope(world.program):
        november, december = ChecklistInstance.objects.order_by("opens_on")
    signed = signed_off(world, december)
    today = world.program.local_today()
    assert (signed.status, signed.signed_on, signed.is_latest) == (
        InstanceStatus.ATTESTED,
        today,
        True,
    )
    assert signed_off(world, november).signed_on == today
    with program_scope(world.program):
        correction = services.instance_correct(
            program=world.program, by=world.lead, instance=signed, reason="Wrong date."
        )
        replaced = ChecklistInstance.objects.get(pk=december.pk)
    assert correction.is_latest and not replaced.is_latest
    assert correction.signed_on is None  # to be signed again
    assert replaced.signed_on == today  # as it was signed
    assert flagged(world.program) == by_the_rule(world.program)


def test_a_refresh_puts_back_flags_a_bulk_write_left_wrong(world):
    template = published_checklist(world.program, items=1, recurrence="quarterly")
    assign(template, starts_on=date(2026, 1, 1))
    run(world.program, date(2026, 8, 1))
    with program_scope(world.program):
        ChecklistInstance.objects.update(is_latest=False)
        ChecklistInstance.objects.filter(period_key="2026-Q1").update(is_latest=True)
        assert latest_refresh() == 4  # two flags off, two on
    assert flagged(world.program) == by_the_rule(world.program)
    assert {key for _, key in flagged(world.program)} == {"2026-Q3"}
