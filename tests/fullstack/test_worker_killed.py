"""Reminders arrive exactly once even when a worker's child process dies mid-task (issue 11).

Against real services: 200 reminders (a hundred planned visits tomorrow, each announced to its
coach and the practice lead) are recorded by the real scan and sent through a redis-server of
the test's own to a real prefork worker. One email task is held mid-way (the test locks its
notification row, so the task waits inside its transaction, before sending), and the worker's
child running it is killed with SIGKILL. With `acks_late` and `task_reject_on_worker_lost` the
task goes back to the queue and a new child runs it; every notification is emailed exactly
once."""

import os
import signal
from contextlib import ExitStack
from datetime import timedelta

import psycopg
from django.db import connection

from coaching.models import VisitStatus
from psp.notifications.models import Notification
from psp.notifications.services import notifications_scan
from psp.outbox.models import OutboxMessage, OutboxState
from psp.tenancy.scope import program_scope
from tests.factories import VisitFactory
from tests.fullstack.stack import (
    broker_of_our_own,
    children_of,
    needs_full_stack,
    require_postgresql,
    wait_until,
    worker,
)

pytestmark = needs_full_stack

VISITS = 100  # each announced to the coach and the lead: 200 reminders


def test_every_reminder_is_emailed_once_though_a_worker_child_is_killed(world, tmp_path):
    require_postgresql()
    program = world.program
    tomorrow = program.local_today() + timedelta(days=1)
    with program_scope(program):
        VisitFactory.create_batch(
            VISITS,
            program=program,
            practice=world.practice,
            coach=world.coach,
            status=VisitStatus.PLANNED,
            visit_date=tomorrow,
        )
    log_path = tmp_path / "worker.log"
    with broker_of_our_own(tmp_path) as broker:
        # Recorded, and their emails queued on the broker; no worker runs yet.
        with program_scope(program):
            notifications_scan(program=program)
        reminders = Notification.all_programs.filter(kind="visit_tomorrow")
        assert reminders.count() == 2 * VISITS
        held = reminders.order_by("pk")[VISITS]  # one in the middle of the queue

        with ExitStack() as held_lock, worker(broker, log_path, concurrency=1) as process:
            held_lock.enter_context(_row_locked(held.pk))
            # The child reaches the held reminder and waits for its row lock inside the task,
            # before anything is sent for it: kill it there, then let the lock go.
            wait_until(_a_task_waits_on_a_lock, timeout=90, what="the held task", log_path=log_path)
            (child,) = children_of(process.pid)
            os.kill(child, signal.SIGKILL)
            held_lock.close()
            # The task, back in the queue, runs in the child the worker starts instead.
            wait_until(
                lambda: not reminders.filter(emailed_at__isnull=True).exists(),
                timeout=120,
                what="every reminder to be emailed",
                log_path=log_path,
            )
    output = log_path.read_text()
    assert "signal 9" in output, output[-4000:]  # the child really died mid-task
    # Each email is marked in the same transaction that sends it, so "all marked" and "as many
    # emails as marked notifications" together mean each was emailed exactly once.
    for person in (world.coach, world.lead):
        emailed = Notification.all_programs.filter(recipient=person, emailed_at__isnull=False)
        assert output.count(f"To: {person.email}") == emailed.count(), output[-4000:]
    sends = OutboxMessage.all_programs.filter(
        task="psp.notifications.tasks.send_notification_email",
        kwargs__notification_id__in=list(reminders.values_list("pk", flat=True)),
    )
    assert sends.count() == 2 * VISITS
    assert set(sends.values_list("state", flat=True)) == {OutboxState.DONE}
    # The killed run and the run after it.
    assert sends.get(kwargs__notification_id=held.pk).attempts == 2


class _row_locked:
    """Hold a row lock on one notification from a second connection until the block ends."""

    def __init__(self, notification_id: int):
        self.notification_id = notification_id

    def __enter__(self):
        db = connection.settings_dict
        self.connection = psycopg.connect(
            dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
            host=db["HOST"] or None, port=db["PORT"] or None,
        )  # fmt: skip
        self.connection.execute(
            "SELECT id FROM notifications_notification WHERE id = %s FOR UPDATE",
            [self.notification_id],
        )
        return self

    def __exit__(self, *exc):
        self.connection.rollback()
        self.connection.close()


def _a_task_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0
