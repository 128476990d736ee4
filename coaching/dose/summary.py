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
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from coaching.dose.models import DoseActivityMonth, DoseCoachMonth, DoseMonth
from coaching.visits.models import Visit, VisitActivity, VisitStatus
from practices.models import Practice
from psp.tenancy.models import Program

logger = logging.getLogger(__name__)

# Practices recomputed per statement: below SQLite's limit on query parameters, and a bounded
# lock set on PostgreSQL.
CHUNK = 500
INSERT_BATCH = 1000


def dose_refresh(*, practice_ids, using: str = DEFAULT_DB_ALIAS, roll_up: bool = True) -> int:
    """Recompute the summary rows of these practices (any program) from their logged visits,
    and add the change in their sums to the coaches' rollup (DoseCoachMonth) unless `roll_up`
    is off (a rebuild recomputes the rollup whole at its end). Returns how many rows were
    written. Safe to run twice, or at once from two connections: each chunk locks its
    practices' rows first, so two recomputations of one practice queue."""
    written = 0
    for chunk in batched(sorted(set(practice_ids)), CHUNK):
        written += _refresh_chunk(list(chunk), using, roll_up)
    return written


def _refresh_chunk(practice_ids: list[int], using: str, roll_up: bool) -> int:
    with transaction.atomic(using=using):
        locked = list(
            Practice.all_programs.using(using)
            .select_for_update()
            .filter(pk__in=practice_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        old = DoseMonth.all_programs.using(using).filter(practice_id__in=practice_ids)
        change = _coach_sums(old, sign=-1) if roll_up else {}
        old.delete()
        DoseActivityMonth.all_programs.using(using).filter(practice_id__in=practice_ids).delete()
        months = [DoseMonth(**row) for row in _mode_rows(locked, using)] if locked else []
        activities = [DoseActivityMonth(**row) for row in _activity_rows(locked, using)]
        DoseMonth.all_programs.using(using).bulk_create(months, batch_size=INSERT_BATCH)
        DoseActivityMonth.all_programs.using(using).bulk_create(activities, batch_size=INSERT_BATCH)
        if roll_up:
            for row in months:
                _add(change, (row.program_id, row.coach_id, row.month, row.mode), row, 1)
            _roll_up(change, using)
    return len(months) + len(activities)


# The coaches' rollup ------------------------------------------------------------------------------


def _add(sums: dict, key: tuple, row, sign: int) -> None:
    visits, minutes, travel = sums.get(key, (0, 0, 0))
    sums[key] = (
        visits + sign * row.visits,
        minutes + sign * row.minutes,
        travel + sign * row.travel,
    )


def _coach_sums(rows, *, sign: int) -> dict[tuple, tuple[int, int, int]]:
    sums: dict[tuple, tuple[int, int, int]] = {}
    for row in rows.only("program_id", "coach_id", "month", "mode", "visits", "minutes", "travel"):
        _add(sums, (row.program_id, row.coach_id, row.month, row.mode), row, sign)
    return sums


def _merged(change: dict, stored: dict) -> tuple[list, list, list]:
    """The rollup rows to update, create and remove (ids) once `change` is added to `stored`."""
    updated, created, removed = [], [], []
    for key, (visits, minutes, travel) in change.items():
        rows = stored.get(key, [])
        # Rows that share a key (a deleted coach's) are folded into the first.
        for extra in rows[1:]:
            visits, minutes = visits + extra.visits, minutes + extra.minutes
            travel += extra.travel
            removed.append(extra.pk)
        if rows:
            row = rows[0]
            row.visits, row.minutes, row.travel = (
                row.visits + visits,
                row.minutes + minutes,
                row.travel + travel,
            )
            if row.visits or row.minutes or row.travel:
                updated.append(row)
            else:
                removed.append(row.pk)
        elif visits or minutes or travel:
            program_id, coach_id, month, mode = key
            created.append(
                DoseCoachMonth(
                    program_id=program_id,
                    coach_id=coach_id,
                    month=month,
                    mode=mode,
                    visits=visits,
                    minutes=minutes,
                    travel=travel,
                )
            )
    return updated, created, removed


def _roll_up(change: dict[tuple, tuple[int, int, int]], using: str) -> None:
    """Add `change` ((program, coach, month, mode) -> visits, minutes, travel) to the rollup.
    The programs' rows are locked first (FOR NO KEY UPDATE: inserts that reference the program
    are not held up) so that two recomputations of different practices add one after the other;
    a rebuild takes the same lock. Rows that come to nothing are removed."""
    change = {key: sums for key, sums in change.items() if any(sums)}
    if not change:
        return
    program_ids = sorted({key[0] for key in change})
    list(
        Program.objects.using(using)
        .select_for_update(no_key=True)
        .filter(pk__in=program_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    coaches = {key[1] for key in change}
    same_coach = Q(coach_id__in=coaches - {None})
    if None in coaches:
        same_coach |= Q(coach__isnull=True)
    existing = DoseCoachMonth.all_programs.using(using).filter(
        same_coach, program_id__in=program_ids, month__in={key[2] for key in change}
    )
    stored: dict[tuple, list[DoseCoachMonth]] = {}
    for row in existing:
        stored.setdefault((row.program_id, row.coach_id, row.month, row.mode), []).append(row)
    updated, created, removed = _merged(change, stored)
    manager = DoseCoachMonth.all_programs.using(using)
    if removed:
        manager.filter(pk__in=removed).delete()
    if updated:
        manager.bulk_update(updated, ["visits", "minutes", "travel"], batch_size=INSERT_BATCH)
    if created:
        manager.bulk_create(created, batch_size=INSERT_BATCH)


def rollup_rebuild(*, program, using: str = DEFAULT_DB_ALIAS) -> int:
    """Recompute the program's rollup from its DoseMonth rows (one grouped query over them),
    under the lock `_roll_up` takes. Returns how many rows were written."""
    with transaction.atomic(using=using):
        Program.objects.using(using).select_for_update(no_key=True).filter(pk=program.pk).exists()
        DoseCoachMonth.all_programs.using(using).filter(program=program).delete()
        rows = [
            DoseCoachMonth(program=program, **row)
            for row in DoseMonth.all_programs.using(using)
            .filter(program=program)
            .values("coach_id", "month", "mode")
            .annotate(visits=Sum("visits"), minutes=Sum("minutes"), travel=Sum("travel"))
            .order_by()
        ]
        DoseCoachMonth.all_programs.using(using).bulk_create(rows, batch_size=INSERT_BATCH)
    return len(rows)


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
    written = dose_refresh(practice_ids=practice_ids, roll_up=False)
    return written + rollup_rebuild(program=program)


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
