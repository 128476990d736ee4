"""Writing a task into the outbox, and giving a failed one another try."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from psp.outbox.models import OutboxMessage, OutboxState


def outbox_enqueue(
    task,
    *,
    program,
    key: str = "",
    requested_by=None,
    not_before: datetime | None = None,
    **kwargs,
) -> OutboxMessage:
    """Write `task(program_id=program.pk, **kwargs)` into the outbox, in the caller's transaction.

    `task` is a `program_task`; `kwargs` are ids and plain values. The row is sent to the broker
    once the transaction commits (and by the relay if the broker is down then). With a `key`,
    asking again for the same work returns the row already there and queues nothing new.
    """
    if key:
        existing = OutboxMessage.objects.filter(key=key).first()
        if existing is not None:
            return existing
    fields = {
        "task": task.name,
        "kwargs": kwargs,
        "key": key,
        "requested_by": requested_by,
        "not_before": not_before or timezone.now(),
    }
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(**fields)
    except IntegrityError:
        # The same key written by a concurrent request that committed first.
        return OutboxMessage.objects.get(key=key)
    if message.not_before <= timezone.now():
        from psp.outbox.relay import dispatch

        transaction.on_commit(lambda: dispatch(message.pk))
    return message


def outbox_enqueue_many(task, *, program, work: list[tuple[str, dict]], requested_by=None) -> int:
    """`outbox_enqueue` for many pieces of work of one task at once, in a fixed number of
    queries however many there are (a reminder scan that finds hundreds of emails to send).

    `work` is a list of (key, kwargs); every key is required and names its work as for
    `outbox_enqueue`: a key already in the outbox is left alone and queues nothing. Returns how
    many rows were written."""
    if not work:
        return 0
    if any(not key for key, _ in work):
        raise ValueError("Every piece of work written together needs its key.")
    now = timezone.now()
    rows = [
        OutboxMessage(
            program=program,
            task=task.name,
            kwargs=kwargs,
            key=key,
            requested_by=requested_by,
            created_at=now,
            not_before=now,
        )
        for key, kwargs in work
    ]
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    # Those written now (a key written before keeps its own row, created earlier).
    new_ids = list(
        OutboxMessage.objects.filter(
            key__in=[key for key, _ in work], created_at=now, state=OutboxState.PENDING
        ).values_list("pk", flat=True)
    )
    if new_ids:
        from psp.outbox.relay import dispatch

        transaction.on_commit(lambda: [dispatch(message_id) for message_id in new_ids])
    return len(new_ids)


def outbox_retry(*, program, message_id: int) -> OutboxMessage:
    """Send a task again now (an admin's "Try again"). A failed task's attempts start over; a
    task waiting after a transient error is sent at once rather than after its backoff. Any
    other task (done, queued, running) is left as it is."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.state == OutboxState.FAILED:
            message.state = OutboxState.PENDING
            message.attempts = 0
        elif message.state != OutboxState.PENDING:
            return message
        message.not_before = timezone.now()
        message.save(update_fields=["state", "attempts", "not_before"])
        from psp.outbox.relay import dispatch

        transaction.on_commit(lambda: dispatch(message.pk))
    return message


def outbox_waiting(task) -> list[int]:
    """The ids of `task`'s rows not started yet (waiting, or queued in the broker), of those
    committed so far: what a run starting now can see the causes of."""
    waiting = OutboxMessage.objects.filter(
        task=task.name, state__in=[OutboxState.PENDING, OutboxState.SENT], started_at__isnull=True
    )
    return list(waiting.values_list("pk", flat=True))


def outbox_covered(message_ids: list[int]) -> int:
    """Close rows whose work another run has just done (a refresh asked for before a full
    refresh started is covered by it): done without running. A row that started meanwhile is
    left to finish; one still queued in the broker is skipped when it arrives (it is done)."""
    if not message_ids:
        return 0
    return OutboxMessage.objects.filter(
        pk__in=message_ids,
        state__in=[OutboxState.PENDING, OutboxState.SENT],
        started_at__isnull=True,
    ).update(state=OutboxState.DONE, finished_at=timezone.now())
