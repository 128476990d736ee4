"""Two scans of one program at the same moment (beat and a cron job, a task delivered twice):
each occasion is recorded once, counted once and emailed once. PostgreSQL only: SQLite runs one
writer at a time, so the race cannot happen there."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from psp.notifications.models import Notification
from psp.notifications.services import notifications_scan
from psp.outbox.models import OutboxMessage
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def test_two_scans_at_once_record_and_send_each_notification_once(world, reminders):
    # Both scans have asked their rules before either inserts anything.
    reminders.barrier = threading.Barrier(2)
    found, errors = [], []

    def scan():
        try:
            with program_scope(world.program):
                found.append(notifications_scan(program=world.program))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(found) == 2 and sum(found) == 4  # however they interleave, 4 new in all
    with program_scope(world.program):
        assert Notification.objects.count() == 4
        assert OutboxMessage.objects.filter(key__startswith="notification-email:").count() == 2
        counts = dict(ProgramMembership.objects.values_list("user_id", "unread_notifications"))
    assert counts[world.lead.pk] == counts[world.staff.pk] == counts[world.coach.pk] == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.lead.email, world.staff.email])
