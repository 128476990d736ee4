"""Background work that touches a program's data runs inside that program's scope.

`program_task` makes a Celery task whose first argument is `program_id`; the body runs with that
program in scope. Tasks that must not be lost are written to the outbox with
`psp.outbox.services.outbox_enqueue` in the same transaction as their cause; the relay sends
them, and the task records on its outbox row how it ended (psp/outbox/runner.py): done, to be
retried after a transient error, or failed with the reason (and the task's `on_failure` hook
called, so whoever asked sees it). A task sent without the outbox (a beat job's fan-out) retries
transient errors through Celery instead.
"""

import functools

from celery import shared_task

from psp.outbox.runner import backoff, is_transient, run_from_outbox
from psp.tenancy.scope import program_scope

MAX_RETRIES = 8


def program_task(*task_args, on_failure=None, **task_options):
    """Decorate `fn(*, program_id, **ids)`; it runs inside that program's scope. The task is
    named after the function's module and name unless `name=` says otherwise (a task that moved
    keeps the name the beat schedule and queued messages know it by). `on_failure(*, program_id,
    error, **ids)` runs, in scope, when the task has finally failed."""

    def decorate(fn):
        options = {"acks_late": True, "reject_on_worker_lost": True, **task_options}
        name = options.pop("name", f"{fn.__module__}.{fn.__name__}")
        max_retries = options.pop("max_retries", MAX_RETRIES)

        @shared_task(name=name, bind=True, max_retries=max_retries, **options)
        @functools.wraps(fn)
        def run(self, *, program_id: int, outbox_id: int | None = None, **kwargs):
            program_id = int(program_id)
            with program_scope(program_id):
                if outbox_id is not None:
                    return run_from_outbox(
                        outbox_id=int(outbox_id),
                        call=lambda: fn(program_id=program_id, **kwargs),
                        on_failure=on_failure,
                        kwargs=kwargs,
                    )
                try:
                    return fn(program_id=program_id, **kwargs)
                except Exception as exc:
                    if is_transient(exc) and self.request.retries < self.max_retries:
                        delay = backoff(self.request.retries + 1).total_seconds()
                        raise self.retry(exc=exc, countdown=delay) from exc
                    raise

        return run

    if task_args and callable(task_args[0]):
        return decorate(task_args[0])
    return decorate
