"""Keeping the feedback summary current: what the results page reads per coach and quarter
(FeedbackQuarter), from a ledger per practice, coach and quarter (FeedbackPracticeQuarter).

A write to a visit, an invitation or an answer marks its practice (practices/derived.py); the
subscriber then recomputes that practice's ledger rows from its visits' invitations and answers,
and re-adds the coaches' quarters those rows named before or name now: a visit moved to another
coach or quarter, or deleted with its answers, leaves its old group right too. The same pass
copies each answer's coach and quarter onto it, for the comments' index. A handful of queries
after the commit of a write, bounded by the practices written and their coaches' caseloads, not
by the program. `manage.py rebuild_feedback` and the nightly job rebuild a program as the net.

The coaches' quarters are re-added with the program's row locked (after the practices', always
in that order), so two writes to one coach's practices cannot each add up the ledger without
the other's rows. If the recomputation fails, the write stands, the failure is logged and the
nightly rebuild puts it right.
"""

import logging
from itertools import batched

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncQuarter

from coaching.feedback.models import (
    FeedbackInvite,
    FeedbackPracticeQuarter,
    FeedbackQuarter,
    FeedbackResponse,
)
from coaching.feedback.selectors import DETRACTOR, PROMOTER
from coaching.visits.models import Visit
from practices.models import Practice
from psp.tenancy.models import Program

logger = logging.getLogger(__name__)

CHUNK = 500  # practices per statement: below SQLite's limit on query parameters
INSERT_BATCH = 1000
FIGURES = FeedbackPracticeQuarter.FIGURES


def feedback_refresh(*, practice_ids, using: str = DEFAULT_DB_ALIAS) -> int:
    """Recompute these practices' ledger (any program) and their coaches' quarters. Returns the
    ledger rows written. Safe to run twice, or at once from two connections."""
    with transaction.atomic(using=using):
        keys: set[tuple] = set()
        written = 0
        for chunk in batched(sorted(set(practice_ids)), CHUNK):
            written += _refresh_ledger(list(chunk), using, keys)
        _add_up(keys, using)
    return written


def feedback_rebuild(*, program) -> int:
    """Recompute every practice of `program` a chunk at a time (the nightly net and `manage.py
    rebuild_feedback`), then its coaches' quarters in one pass: linear in the program's
    answers and invitations, and no practice locked longer than its chunk."""
    practice_ids = list(
        Practice.all_programs.filter(program=program).order_by("pk").values_list("pk", flat=True)
    )
    written = 0
    for chunk in batched(practice_ids, CHUNK):
        with transaction.atomic():
            written += _refresh_ledger(list(chunk), DEFAULT_DB_ALIAS, set())
    with transaction.atomic():
        _lock_programs([program.pk], DEFAULT_DB_ALIAS)
        FeedbackQuarter.all_programs.filter(program=program).delete()
        rows = _ledger_sums(FeedbackPracticeQuarter.all_programs.filter(program=program))
        FeedbackQuarter.all_programs.bulk_create(
            (FeedbackQuarter(**row) for row in rows), batch_size=INSERT_BATCH
        )
    return written


def feedback_on_write(*, practices, program_ids) -> None:
    """The practices/derived.py subscriber: visits, invitations or answers of `practices` were
    written. Program-wide marks (`program_ids`) do not bear on feedback."""
    using = practices.db
    practice_ids = list(practices.values_list("pk", flat=True))
    if not practice_ids:
        return
    try:
        feedback_refresh(practice_ids=practice_ids, using=using)
    except Exception:
        logger.exception("The feedback summary of practices %s was not recomputed", practice_ids)


def _refresh_ledger(practice_ids: list[int], using: str, keys: set) -> int:
    """Replace the ledger rows of these practices; add to `keys` the (program, coach, quarter)
    groups they named before and name now."""
    locked = list(
        Practice.all_programs.using(using)
        .select_for_update()
        .filter(pk__in=practice_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ledger = FeedbackPracticeQuarter.all_programs.using(using).filter(practice_id__in=practice_ids)
    keys.update(ledger.values_list("program_id", "coach_id", "quarter").distinct())
    ledger.delete()
    if not locked:
        return 0
    rows: dict[tuple, dict] = {}
    for row in _answer_rows(locked, using):
        rows.setdefault(_key(row), _empty(row)).update(
            {name: row[name] or 0 for name in FIGURES if name in row}
        )
    for row in _invite_rows(locked, using):
        rows.setdefault(_key(row), _empty(row)).update(invites=row["n"], answered=row["answered"])
    FeedbackPracticeQuarter.all_programs.using(using).bulk_create(
        (FeedbackPracticeQuarter(**row) for row in rows.values()), batch_size=INSERT_BATCH
    )
    keys.update((program, coach, quarter) for program, _, coach, quarter in rows)
    _copy_coach_and_quarter(locked, using)
    return len(rows)


def _key(row) -> tuple:
    return (row["program_id"], row["practice"], row["visit_coach"], row["visit_quarter"])


def _empty(row) -> dict:
    program_id, practice_id, coach_id, quarter = _key(row)
    return {
        "program_id": program_id,
        "practice_id": practice_id,
        "coach_id": coach_id,
        "quarter": quarter,
    }


def _by_visit_group(queryset, practice_ids: list[int], using: str):
    """Rows of `queryset` on these practices' visits, grouped by the visit's practice, coach
    and quarter (names that do not clash with the answer's own copies)."""
    return (
        queryset.using(using)
        .filter(visit__practice_id__in=practice_ids)
        .annotate(
            practice=F("visit__practice_id"),
            visit_coach=F("visit__coach_id"),
            visit_quarter=TruncQuarter("visit__visit_date"),
        )
        .values("program_id", "practice", "visit_coach", "visit_quarter")
        .order_by()
    )


def _answer_rows(practice_ids: list[int], using: str):
    return _by_visit_group(FeedbackResponse.all_programs, practice_ids, using).annotate(
        responses=Count("pk"),
        usefulness_sum=Sum("usefulness"),
        promoters=Count("pk", filter=PROMOTER),
        detractors=Count("pk", filter=DETRACTOR),
        comments=Count("pk", filter=~Q(comment="")),
    )


def _invite_rows(practice_ids: list[int], using: str):
    return _by_visit_group(FeedbackInvite.all_programs, practice_ids, using).annotate(
        n=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )


def _copy_coach_and_quarter(practice_ids: list[int], using: str) -> None:
    """Each answer's visit's coach and quarter, copied onto the answer for the comments' index.
    Through the plain manager: this is derived, and must not mark the practice again."""
    visit = Visit._base_manager.using(using).filter(pk=OuterRef("visit_id"))
    FeedbackResponse._base_manager.using(using).filter(
        visit_id__in=Visit._base_manager.using(using)
        .filter(practice_id__in=practice_ids)
        .values("pk")
    ).update(
        coach_id=Subquery(visit.values("coach_id")[:1]),
        quarter=Subquery(visit.annotate(q=TruncQuarter("visit_date")).values("q")[:1]),
    )


def _lock_programs(program_ids, using: str) -> None:
    list(
        Program.objects.using(using)
        .select_for_update()
        .filter(pk__in=program_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _add_up(keys: set, using: str) -> None:
    """Re-add the coaches' quarters in `keys` from the ledger. The coaches and quarters are
    crossed (a superset of the keys): a group re-added that did not change comes out the same."""
    if not keys:
        return
    program_ids = {program for program, _, _ in keys}
    _lock_programs(program_ids, using)
    coach_ids = {coach for _, coach, _ in keys if coach is not None}
    coaches = Q(coach_id__in=sorted(coach_ids))
    if any(coach is None for _, coach, _ in keys):
        coaches |= Q(coach__isnull=True)
    groups = Q(program_id__in=sorted(program_ids), quarter__in=sorted({q for _, _, q in keys}))
    FeedbackQuarter.all_programs.using(using).filter(groups & coaches).delete()
    ledger = FeedbackPracticeQuarter.all_programs.using(using).filter(groups & coaches)
    FeedbackQuarter.all_programs.using(using).bulk_create(
        (FeedbackQuarter(**row) for row in _ledger_sums(ledger)), batch_size=INSERT_BATCH
    )


def _ledger_sums(ledger):
    return (
        ledger.values("program_id", "coach_id", "quarter")
        .annotate(**{name: Sum(name) for name in FIGURES})
        .order_by()
    )
