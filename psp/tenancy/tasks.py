"""Background work that touches a program's data runs inside that program's scope.

`program_task` makes a Celery task whose first argument is `program_id`; the body runs with that
program in scope. `enqueue_on_commit` sends a task only after the surrounding transaction
commits, so a worker never sees rows that were rolled back, and a broker outage does not turn a
saved form into an error page (the failure is logged; callers keep a visible "not sent" state).
"""

import functools
import logging

from celery import shared_task
from django.db import transaction

from psp.tenancy.scope import program_scope

logger = logging.getLogger(__name__)

DEFAULT_OPTIONS = {
    "autoretry_for": (Exception,),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 8,
}


def program_task(*task_args, **task_options):
    """Decorate `fn(*, program_id, **ids)`; it runs inside that program's scope. The task is
    named after the function's module and name unless `name=` says otherwise (a task that moved
    keeps the name the beat schedule and queued messages know it by)."""

    def decorate(fn):
        options = {**DEFAULT_OPTIONS, **task_options}
        name = options.pop("name", f"{fn.__module__}.{fn.__name__}")

        @shared_task(name=name, **options)
        @functools.wraps(fn)
        def run(*, program_id: int, **kwargs):
            with program_scope(int(program_id)):
                return fn(program_id=int(program_id), **kwargs)

        return run

    if task_args and callable(task_args[0]):
        return decorate(task_args[0])
    return decorate


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue `task.delay(**kwargs)` once the current transaction commits (ids only, please)."""

    def send():
        try:
            task.apply_async(kwargs=kwargs)
        except Exception:  # noqa: BLE001 - the broker may be down; the page must still work
            logger.exception("Could not queue %s with %s", task.name, kwargs)

    transaction.on_commit(send)
