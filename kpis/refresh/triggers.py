"""Writes to what computed KPIs are made of (visits, plans, actions, assessments, practices,
coach assignments: the sources of practices/derived.py) ask for a KPI refresh.

The derived-data batch is delivered after its transaction commits, outside any transaction
(or, for a read inside a still-open transaction, before it commits). The request is then put
off to the commit with `transaction.on_commit`, which runs it at once outside a transaction:
the refresh is never asked for a write that may still be rolled back, nor twice per commit
needlessly. Each program's request runs in that program's scope and its own transaction, and
a failure is logged by the derived-data machinery (its commit callback is robust), so a saved
write never turns into an error."""

from django.db import transaction

from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


def request_refresh_after_write(*, practices, program_ids: set[int]) -> None:
    """Subscribed to practices.derived in KpisConfig.ready. No query until the commit: a read
    that flushes inside its transaction (a caseload page) pays nothing for it."""
    changed_programs = set(program_ids)
    transaction.on_commit(lambda: _request(practices, changed_programs), robust=True)


def _request(practices, program_ids: set[int]) -> None:
    from kpis.refresh.services import kpis_request_refresh

    wanted = set(program_ids)
    wanted.update(practices.order_by().values_list("program_id", flat=True).distinct())
    if not wanted:
        return
    for program in Program.objects.filter(pk__in=sorted(wanted), is_active=True):
        with program_scope(program):
            kpis_request_refresh(program=program, reason="data changed")
