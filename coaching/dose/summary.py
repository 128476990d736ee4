"""Keeping the monthly dose summary current: a practice's rows are recomputed from its logged
visits whenever a visit or a visit's activities are written, and a program's are rebuilt on
demand (`manage.py rebuild_dose`) and nightly.

Inline, not through the outbox: the recomputation is a grouped query over the visits of the
practices a transaction wrote (indexed by program, practice and status), so it costs a handful
of queries after the commit of a visit write, whatever the size of the program, and the next
page the person opens already shows the new dose: no reader ever waits for a worker. It runs
as a subscriber of practices/derived.py, so every write path (services, admin, bulk writes of
the demo and imports) reaches it. If it fails, the write stands, the failure is logged and the
practices are queued for another try through the outbox; the nightly rebuild is the last net.
"""

import logging
from itertools import batched

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth

from coaching.dose.models import DoseActivityMonth, DoseMonth
from coaching.visits.models import Visit, VisitActivity, VisitStatus
from practices.models import Practice

logger = logging.getLogger(__name__)

# Practices recomputed per statement: below SQLite's limit on query parameters, and a bounded
# lock set on PostgreSQL.
CHUNK = 500
INSERT_BATCH = 1000


def dose_refresh(*, practice_ids, using: str = DEFAULT_DB_ALIAS) -> int:
    """Recompute the summary rows of these practices (any program) from their logged visits.
    Returns how many rows were written. Safe to run twice, or at once from two connections:
    each chunk locks its practices' rows first, so two recomputations of one practice queue."""
    written = 0
    for chunk in batched(sorted(set(practice_ids)), CHUNK):
        written += _refresh_chunk(list(chunk), using)
    return written


def _refresh_chunk(practice_ids: list[int], using: str) -> int:
    with transaction.atomic(using=using):
        locked = list(
            Practice.all_programs.using(using)
            .select_for_update()
            .filter(pk__in=practice_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        DoseMonth.all_programs.using(using).filter(practice_id__in=practice_ids).delete()
        DoseActivityMonth.all_programs.using(using).filter(practice_id__in=practice_ids).delete()
        if not locked:
            return 0
        months = [DoseMonth(**row) for row in _mode_rows(locked, using)]
        activities = [DoseActivityMonth(**row) for row in _activity_rows(locked, using)]
        DoseMonth.all_programs.using(using).bulk_create(months, batch_size=INSERT_BATCH)
        DoseActivityMonth.all_programs.using(using).bulk_create(activities, batch_size=INSERT_BATCH)
    return len(months) + len(activities)


def _mode_rows(practice_ids: list[int], using: str):
    return (
        Visit.all_programs.using(using)
        .filter(practice_id__in=practice_ids, status=VisitStatus.LOGGED)
        .annotate(month=TruncMonth("visit_date"))
        .values("program_id", "practice_id", "coach_id", "month", "mode")
        .annotate(visits=Count("*"), minutes=Sum("duration_minutes"), travel=Sum("travel_minutes"))
        .order_by()
    )


def _activity_rows(practice_ids: list[int], using: str):
    # One activity row per visit and activity (uniq_visit_activity): counting rows counts the
    # visits that spent time on the activity.
    return (
        VisitActivity.all_programs.using(using)
        .filter(visit__practice_id__in=practice_ids, visit__status=VisitStatus.LOGGED)
        .annotate(
            practice_id=F("visit__practice_id"),
            coach_id=F("visit__coach_id"),
            month=TruncMonth("visit__visit_date"),
        )
        .values("program_id", "practice_id", "coach_id", "month", "activity")
        .annotate(visits=Count("*"), minutes=Sum("minutes"))
        .order_by()
    )


def dose_rebuild(*, program) -> int:
    """Recompute every practice of `program`, a chunk at a time (the nightly safety net and
    `manage.py rebuild_dose`): linear in the program's visits, and no lock held longer than
    one chunk."""
    practice_ids = list(
        Practice.all_programs.filter(program=program).order_by("pk").values_list("pk", flat=True)
    )
    return dose_refresh(practice_ids=practice_ids)


def dose_on_write(*, practices, program_ids) -> None:
    """The practices/derived.py subscriber: visits or activities of `practices` were written.
    Program-wide marks (`program_ids`: the caseload rules, instruments) do not bear on dose."""
    using = practices.db
    practice_ids = list(practices.values_list("pk", flat=True))
    if not practice_ids:
        return
    try:
        with transaction.atomic(using=using):
            dose_refresh(practice_ids=practice_ids, using=using)
    except Exception:
        logger.exception("The dose summary of practices %s was not recomputed", practice_ids)
        _queue_retry(practice_ids, using)


def _queue_retry(practice_ids: list[int], using: str) -> None:
    from coaching.dose.tasks import refresh_practice_dose
    from psp.outbox.services import outbox_enqueue
    from psp.tenancy.models import Program
    from psp.tenancy.scope import program_scope

    try:
        by_program: dict[int, list[int]] = {}
        rows = Practice.all_programs.using(using).filter(pk__in=practice_ids)
        for pk, program_id in rows.values_list("pk", "program_id"):
            by_program.setdefault(program_id, []).append(pk)
        for program_id, ids in by_program.items():
            program = Program.objects.using(using).get(pk=program_id)
            with program_scope(program), transaction.atomic(using=using):
                outbox_enqueue(refresh_practice_dose, program=program, practice_ids=ids)
    except Exception:
        logger.exception("Nor queued: the nightly dose rebuild will put them right")
