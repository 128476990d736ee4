"""`manage.py send_reminders`: the embedded mode's cron job does what beat does, once."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from psp.notifications.models import Notification
from psp.notifications.tasks import scan_all_programs
from psp.outbox.models import OutboxMessage, OutboxState
from psp.tenancy.scope import program_scope

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def before_the_digest_hour(*programs) -> None:
    """Put the programs where it is about 1 in the morning with the digest at 23, so a run at
    any hour of the day sends the immediate emails only (digests: tests/notifications/
    test_digests.py)."""
    offset = datetime.now(UTC).hour - 1
    offset = offset - 24 if offset > 12 else offset
    for program in programs:
        program.time_zone = f"Etc/GMT{offset:+d}"
        program.digest_hour = 23
        program.save(update_fields=["time_zone", "digest_hour"])


def test_the_command_sends_the_reminders_due_once(world, other_world, reminders, settings):
    settings.PSP_TASKS_IN_THREAD = True  # as in `make run`: the command still runs them inline
    before_the_digest_hour(world.program, other_world.program)

    first = run()
    emails = [m.to[0] for m in mail.outbox]
    second = run()

    assert "north-psp: 4 new notifications" in first
    assert "south-psp: 4 new notifications" in first
    assert "north-psp: 0 new notifications" in second
    assert sorted(emails) == sorted(
        p.email for w in (world, other_world) for p in (w.lead, w.staff)
    )
    assert len(mail.outbox) == 4
    with program_scope(world.program):
        assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
        assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.DONE}


def test_the_command_takes_one_program(world, other_world, reminders):
    out = run("--program", "south-psp")

    assert "south-psp" in out and "north-psp" not in out
    with program_scope(world.program):
        assert not Notification.objects.exists()
    with pytest.raises(CommandError, match="No active program"):
        run("--program", "atlantis")


def test_a_failing_rule_is_reported_and_the_others_still_send(world, reminders):
    reminders.broken = True

    with pytest.raises(CommandError, match="north-psp"):
        run("--program", "north-psp")

    with program_scope(world.program):
        assert set(Notification.objects.values_list("kind", flat=True)) == {"coach_note"}


def test_beat_fans_out_one_scan_per_active_program(world, other_world, reminders):
    other_world.program.is_active = False
    other_world.program.save()

    assert scan_all_programs.apply().get() == 1

    with program_scope(world.program):
        assert Notification.objects.count() == 4
    with program_scope(other_world.program):
        assert not Notification.objects.exists()
