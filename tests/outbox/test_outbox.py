"""The outbox (psp/outbox): a task is written with its cause, sent after commit or by the relay,
and its ending (done, retried after a passing error, failed with the reason) is on its row."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from psp.outbox import relay
from psp.outbox.models import OutboxMessage, OutboxState
from psp.outbox.runner import BACKOFF_FIRST
from psp.outbox.services import outbox_enqueue
from psp.tenancy.scope import program_scope
from tests.factories import UserFactory, give_totp
from tests.outbox.tasks_for_tests import (
    email_with_flaky_server,
    failures,
    note_visit_summary,
    report_with_a_bug,
    runs,
    transient_failures_left,
)

pytestmark = pytest.mark.django_db


def _row(message) -> OutboxMessage:
    return OutboxMessage.all_programs.get(pk=message.pk)


def _enqueue_and_commit(world, task, **kwargs) -> OutboxMessage:
    """Enqueue as a service would, and let the transaction "commit" (the on-commit send runs;
    in tests the task then runs in-process)."""
    with program_scope(world.program), TestCase.captureOnCommitCallbacks(execute=True):
        message = outbox_enqueue(task, program=world.program, **kwargs)
    return _row(message)


def test_a_task_is_written_in_the_callers_transaction_and_lost_with_it(world):
    with program_scope(world.program):
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox_enqueue(note_visit_summary, program=world.program, note="Roles chart")
            assert OutboxMessage.objects.filter(task=note_visit_summary.name).count() == 1
            raise RuntimeError("the visit could not be saved")

        assert not OutboxMessage.objects.filter(task=note_visit_summary.name).exists()
    assert runs == []


def test_after_commit_the_task_is_sent_runs_in_its_program_and_is_marked_done(
    world, django_capture_on_commit_callbacks
):
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(
            note_visit_summary, program=world.program, requested_by=world.coach, note="Hello"
        )
        assert message.state == OutboxState.PENDING
        assert runs == []  # nothing is sent before the cause is committed

    row = _row(message)
    assert runs == [(world.program.pk, "Hello", world.program.pk)]
    assert (row.state, row.attempts, row.error) == (OutboxState.DONE, 1, "")
    assert row.requested_by == world.coach
    assert row.sent_at is not None and row.finished_at is not None


def test_a_key_makes_a_repeat_return_the_same_row_and_queue_nothing(
    world, django_capture_on_commit_callbacks
):
    with program_scope(world.program), django_capture_on_commit_callbacks() as sends:
        first = outbox_enqueue(
            note_visit_summary, program=world.program, key="summary:visit:7", note="Once"
        )
        again = outbox_enqueue(
            note_visit_summary, program=world.program, key="summary:visit:7", note="Once"
        )
        assert OutboxMessage.objects.filter(key="summary:visit:7").count() == 1

    assert again.pk == first.pk
    assert len(sends) == 1


def test_a_transient_error_puts_the_task_back_with_a_backoff_until_the_relay_sends_it(world):
    transient_failures_left["count"] = 1
    before = timezone.now()

    row = _enqueue_and_commit(world, email_with_flaky_server, note="Reminder")

    assert row.state == OutboxState.PENDING
    assert row.attempts == 1
    assert row.error == "ConnectionError: mail server unreachable"
    assert row.not_before >= before + BACKOFF_FIRST
    assert runs == []

    # Not before its backoff has passed...
    assert relay.relay_due(now=row.not_before - timedelta(seconds=1)) == 0
    assert _row(row).state == OutboxState.PENDING
    # ...and then it is sent, runs, and its error is cleared.
    assert relay.relay_due(now=row.not_before + timedelta(seconds=1)) == 1
    row = _row(row)
    assert (row.state, row.attempts, row.error) == (OutboxState.DONE, 2, "")
    assert runs == [(world.program.pk, "Reminder", world.program.pk)]


def test_a_bug_fails_the_task_at_once_with_the_reason_and_tells_its_failure_hook(world):
    row = _enqueue_and_commit(world, report_with_a_bug, note="dose")

    assert row.state == OutboxState.FAILED
    assert row.attempts == 1
    assert row.error == "ValueError: no section named dose"
    assert row.finished_at is not None
    assert failures == [
        {
            "program_id": world.program.pk,
            "error": "no section named dose",
            "ids": {"note": "dose"},
            "scope": world.program.pk,
        }
    ]
    # Failed is final: the relay does not send it again.
    assert relay.relay_due(now=timezone.now() + timedelta(days=1)) == 0


def test_a_done_task_delivered_again_does_nothing(world):
    row = _enqueue_and_commit(world, note_visit_summary, note="Once only")

    # The broker delivers the same message again (a worker died before acknowledging it).
    note_visit_summary.apply(
        kwargs={"program_id": world.program.pk, "outbox_id": row.pk, "note": "Once only"}
    )

    assert runs == [(world.program.pk, "Once only", world.program.pk)]
    assert _row(row).attempts == 1


def test_the_relay_stops_at_the_first_refused_send_and_loses_nothing(world, monkeypatch):
    refused = []

    def broker_down(message):
        refused.append(message.pk)
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with program_scope(world.program):
        # Written while the broker is down: the on-commit send fails too (never run here).
        rows = [
            outbox_enqueue(note_visit_summary, program=world.program, note=f"Visit {n}")
            for n in range(3)
        ]
    with monkeypatch.context() as patch:
        patch.setattr(relay, "_send", broker_down)
        assert relay.relay_due() == 0

    assert len(refused) == 1  # one refusal: the broker is down for the rest too
    assert {_row(r).state for r in rows} == {OutboxState.PENDING}
    assert {_row(r).sent_at for r in rows} == {None}

    # The broker is back: every task is sent, once.
    assert relay.relay_due() == 3
    assert relay.relay_due() == 0
    assert sorted(note for _, note, _ in runs) == ["Visit 0", "Visit 1", "Visit 2"]
    assert {_row(r).state for r in rows} == {OutboxState.DONE}


def test_a_task_sent_but_never_started_for_half_an_hour_is_sent_again(world):
    now = timezone.now()
    with program_scope(world.program):
        lost = outbox_enqueue(note_visit_summary, program=world.program, note="Lost on the way")
        recent = outbox_enqueue(note_visit_summary, program=world.program, note="Still queued")
    OutboxMessage.all_programs.filter(pk=lost.pk).update(
        state=OutboxState.SENT, sent_at=now - timedelta(minutes=31)
    )
    OutboxMessage.all_programs.filter(pk=recent.pk).update(
        state=OutboxState.SENT, sent_at=now - timedelta(minutes=10)
    )

    assert relay.relay_due() == 1

    assert _row(lost).state == OutboxState.DONE
    assert _row(recent).state == OutboxState.SENT
    assert runs == [(world.program.pk, "Lost on the way", world.program.pk)]


def test_the_admin_action_tries_failed_tasks_of_every_program_again(
    client, world, other_world, django_capture_on_commit_callbacks
):
    operator = UserFactory(email="operator@platform.example.org", is_staff=True, is_superuser=True)
    give_totp(operator)  # operators use two-factor authentication to reach the admin
    client.force_login(operator)
    failed = []
    for w in (world, other_world):
        with program_scope(w.program):
            failed.append(
                OutboxMessage.objects.create(
                    task=note_visit_summary.name,
                    kwargs={"note": f"Again in {w.program.name}"},
                    state=OutboxState.FAILED,
                    attempts=8,
                    error="ConnectionError: mail server unreachable",
                )
            )
    url = reverse("admin:outbox_outboxmessage_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "try_again", "_selected_action": [m.pk for m in failed]},
            follow=True,
        )

    assert response.status_code == 200
    assert "2 failed task(s) sent again." in response.content.decode()
    assert {_row(m).state for m in failed} == {OutboxState.DONE}
    assert sorted(runs) == sorted(
        (w.program.pk, f"Again in {w.program.name}", w.program.pk) for w in (world, other_world)
    )
