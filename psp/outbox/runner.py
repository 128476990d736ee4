"""What a task does with its outbox row: claim it, run, and record how it ended.

A row that is done is never run again, so a task redelivered after it finished (a worker killed
just before acknowledging) finds its work done. A transient error (the network, the broker, a
database lock) puts the row back with a backoff, for the relay to send again; anything else is a
bug or bad data, and retrying would not help: the row is marked failed with the reason, and the
task's `on_failure` hook leaves a visible state for whoever asked (a report marked failed).
"""

import logging
import smtplib
from datetime import timedelta

from django.db import DatabaseError, InterfaceError, OperationalError
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from psp.outbox.models import OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

# Errors that can pass by themselves. Everything else fails the task at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPDataError,
    OperationalError,
    InterfaceError,
    BrokerError,
)
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(minutes=30)


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TRANSIENT_ERRORS):
        return True
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is installed with celery[redis]
        return False
    return isinstance(exc, RedisConnectionError | RedisTimeoutError)


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def run_from_outbox(*, outbox_id: int, call, on_failure=None, kwargs: dict):
    """Run `call()` for the outbox row `outbox_id`, inside the program's scope (the caller's)."""
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=outbox_id)
        .exclude(state__in=[OutboxState.DONE, OutboxState.FAILED])
        .update(state=OutboxState.RUNNING, started_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None  # done (or given up) already: a repeat finds the work done
    try:
        result = call()
    except Exception as exc:  # noqa: BLE001 - every ending is recorded on the row
        _record_failure(outbox_id, exc, on_failure, kwargs)
        return None
    OutboxMessage.objects.filter(pk=outbox_id).update(
        state=OutboxState.DONE, finished_at=timezone.now(), error=""
    )
    return result


def _record_failure(outbox_id: int, exc: Exception, on_failure, kwargs: dict) -> None:
    reason = f"{type(exc).__name__}: {exc}"[:2000]
    try:
        message = OutboxMessage.objects.get(pk=outbox_id)
    except DatabaseError:
        # The database itself is away: leave the row running; the relay's resend finds it.
        logger.exception("Outbox task %s failed and could not be recorded", outbox_id)
        return
    if is_transient(exc) and message.attempts < MAX_ATTEMPTS:
        logger.warning("Outbox task %s (%s) will retry: %s", outbox_id, message.task, reason)
        OutboxMessage.objects.filter(pk=outbox_id).update(
            state=OutboxState.PENDING,
            sent_at=None,
            not_before=timezone.now() + backoff(message.attempts),
            error=reason,
        )
        return
    logger.error("Outbox task %s (%s) failed: %s", outbox_id, message.task, reason, exc_info=exc)
    OutboxMessage.objects.filter(pk=outbox_id).update(
        state=OutboxState.FAILED, finished_at=timezone.now(), error=reason
    )
    if on_failure is not None:
        on_failure(program_id=message.program_id, error=_readable(exc), **kwargs)


def _readable(exc: Exception) -> str:
    """The reason as a person reads it (the hook shows it on a report marked failed)."""
    text = str(exc).strip()
    return text if text else type(exc).__name__
