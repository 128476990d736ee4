"""From the outbox to the broker.

`dispatch` sends one row just after the transaction that wrote it commits (the usual path, no
delay); `relay_due` sends every row that is due and was not sent (the broker was down, a retry's
backoff has passed, or a process died between claiming a row and sending it). A row is claimed
with a conditional UPDATE before it is sent, so two relays never both send it; a send that fails
puts it back. Sending a row twice anyway (a claim whose process died) is harmless: tasks are
idempotent (psp/tenancy/tasks.py skips a row that is done).

In the embedded mode (no broker) tasks run in-process: in a background thread when
`PSP_TASKS_IN_THREAD` is on (`make run`, so a page that asks for a report answers at once and
shows progress), or inline (the test suite).
"""

import logging
import threading
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import Q
from django.utils import timezone

from psp.outbox.models import OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

# A row claimed and sent this long ago but never started was lost on its way (a relay or
# broker that died): send it again.
RESEND_AFTER = timedelta(minutes=30)
BATCH = 500
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def dispatch(message_id: int, *, now=None) -> bool:
    """Claim one pending row that is due at `now` and send it. False when another relay had it
    or the broker is down (the row is then pending again, for the next relay)."""
    now = now or timezone.now()
    claimed = OutboxMessage.all_programs.filter(
        pk=message_id, state=OutboxState.PENDING, not_before__lte=now
    ).update(state=OutboxState.SENT, sent_at=now)
    if not claimed:
        return False
    message = OutboxMessage.all_programs.only("task", "kwargs", "program_id").get(pk=message_id)
    try:
        _send(message)
    except Exception:  # noqa: BLE001 - the broker may be down; the page must still work
        logger.warning(
            "Could not queue outbox task %s; the relay will retry", message_id, exc_info=True
        )
        OutboxMessage.all_programs.filter(pk=message_id, state=OutboxState.SENT).update(
            state=OutboxState.PENDING, sent_at=None
        )
        return False
    return True


def relay_due(*, now=None, limit: int = BATCH) -> int:
    """Send every due row (across programs: this is the relay). Stops at the first send that
    fails, since the broker is then down for the rest too. Returns how many were sent."""
    now = now or timezone.now()
    # Claimed long ago and never started: the send was lost. Make it pending again.
    OutboxMessage.all_programs.filter(
        state=OutboxState.SENT, sent_at__lt=now - RESEND_AFTER, started_at__isnull=True
    ).update(state=OutboxState.PENDING)
    due = list(
        OutboxMessage.all_programs.filter(Q(state=OutboxState.PENDING), not_before__lte=now)
        .order_by("not_before", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in due:
        # The relay's `now` for the claim too: a row it found due is due when claimed.
        if dispatch(message_id, now=now):
            sent += 1
        elif OutboxMessage.all_programs.filter(pk=message_id, state=OutboxState.PENDING).exists():
            break  # not taken by another relay, so the broker refused it
    return sent


def _send(message: OutboxMessage) -> None:
    task = current_app.tasks[message.task]
    kwargs = {**message.kwargs, "program_id": message.program_id, "outbox_id": message.pk}
    if not current_app.conf.task_always_eager:
        # The message id is the row's: a resend of the same row is recognisably the same task.
        # A short publish retry: with the broker down the row simply waits for the relay, and
        # the page that caused it must not wait on reconnection attempts.
        task.apply_async(
            kwargs=kwargs,
            task_id=f"outbox-{message.pk}-{message.attempts}",
            retry_policy=PUBLISH_RETRY,
        )
    elif getattr(settings, "PSP_TASKS_IN_THREAD", False):
        # Not a daemon: a command that caused tasks (send_reminders) waits for them to finish
        # before it exits, rather than cutting them off.
        threading.Thread(target=_run_in_thread, args=(task, kwargs), daemon=False).start()
    else:
        task.apply(kwargs=kwargs)


def _run_in_thread(task, kwargs) -> None:
    close_old_connections()
    try:
        task.apply(kwargs=kwargs)
    finally:
        connections.close_all()
