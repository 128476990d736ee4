"""A practice enrolled, moved to another stage or moved to another sector gets its checklists
without waiting for the hourly run.

Subscribed to the practices' derived-data marks (practices/derived.py) for writes to practices
only, in ComplianceConfig.ready: practices never import compliance (the dependency points the
other way), and every write to a practice, a stage move included, marks it whatever path it took.
The batch arrives after its transaction commits (or, for a read inside a still-open transaction,
before it does); the scheduling task is then put off to the commit and written to the outbox per
program, with the practices' ids, so it is never asked for a write that may still roll back and
is not lost if the broker is down."""

from django.db import transaction

from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


def schedule_after_practice_write(*, practices, program_ids: set[int]) -> None:
    """No query until the commit: a read that flushes inside its transaction pays nothing."""
    transaction.on_commit(lambda: _queue(practices), robust=True)


def _queue(practices) -> None:
    from compliance.schedules.models import ChecklistAssignment
    from compliance.schedules.tasks import schedule_checklists
    from psp.outbox.services import outbox_enqueue

    by_program: dict[int, list[int]] = {}
    for pk, program_id in practices.order_by().values_list("pk", "program_id"):
        by_program.setdefault(program_id, []).append(pk)
    for program in Program.objects.filter(pk__in=sorted(by_program), is_active=True):
        with program_scope(program):
            # Read before any transaction: most programs have nothing assigned, and then this
            # hook writes nothing and holds no write lock (SQLite takes one per transaction).
            if not ChecklistAssignment.objects.filter(is_active=True).exists():
                continue
            with transaction.atomic():
                outbox_enqueue(
                    schedule_checklists,
                    program=program,
                    practice_ids=sorted(by_program[program.pk]),
                )
