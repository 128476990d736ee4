"""The program-wide caseload, kept in the database as one CaseloadStanding per practice.

A coach's caseload is a few dozen practices and is computed in full on every read
(selectors.caseload). A program's is up to 10,000, and computing a practice's facts
and status costs about 0.3 ms of Python whatever the database does, so a manager's page would
grow with the program. The program-wide reads here (the caseload overview, the managers' home,
the caseload API) instead count, filter, sort and page the stored standings in the database, and
compute in full only the practices on the page they show.

A standing is current when it was computed today and its computation started after the last
change to anything the rules read (`computed_at >= changed_at`). A program-wide read computes
again only the practices changed since their standing was computed, and only up to
INLINE_LIMIT of them (usually the one or two practices just changed). It never does the
program's nightly work: the first read of a new day before the nightly job has run, or one after
a change that touched more practices than that (new rules, an instrument's cadence), shows the
stored standings with the day they were computed (`as_of`) and queues one catch-up in the
background (`catch_up_queue`).

Changes are stamped by the models the rules read, not by the services: each is a
practices.derived.DerivedSource (SOURCES below), whose managers, querysets and save()/delete()
collect the practices every write touches, bulk or not, and hand them to `stamp` once per
transaction, after it commits. So the services, the Django admin, the demo's bulk writes,
imports, management commands and the tests' factories are all covered, and a save costs no
extra write. The stamp comes after the commit so that a computation which started before the
commit (and so could not see the change) is older than it. A read inside the writing
transaction stamps what that transaction changed first (`practices_not_current`), so it reads
its own writes. docs/standings.md has the reasons for this design.
"""

from dataclasses import dataclass
from datetime import date
from itertools import batched

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from assessments.models import Assessment, Instrument
from coaching.actions.models import ActionStatusChange, PlanAction
from coaching.caseload.models import CHANGED_SINCE_COMPUTED, CaseloadRules, CaseloadStanding
from coaching.caseload.rules import CaseloadStatus
from coaching.caseload.selectors import (
    CaseloadEntry,
    StatusCounts,
    caseload_practices,
    caseload_rules,
    entries_of,
)
from coaching.plans.models import PlanGoal, SupportPlan
from coaching.visits.models import Visit
from practices import derived
from practices.models import CoachAssignment, Practice
from psp.tenancy.permissions import Capability, Reach

VIEW = Capability.CASELOAD_VIEW

# Standings written per statement (the stamp's upserts too).
CHUNK = 500
# A read computes the standings of at most this many changed practices itself (a handful of
# grouped queries and about 0.3 ms of Python each); a change to more (new rules, an
# instrument's cadence) is the program's work, done in the background.
INLINE_LIMIT = 50
ORDER = ("rank", Coalesce("days_without_visit", 0).desc(), Lower("practice__name"), "practice_id")


# Reading ---------------------------------------------------------------------------------------


@dataclass
class ProgramCaseload(StatusCounts):
    counts: dict[str, int]  # status -> practices, before the status filter
    standings: QuerySet[CaseloadStanding]  # after the status filter, worst first; page it
    rules: CaseloadRules
    today: date
    # The day the oldest standing counted was computed (None before the first computation).
    as_of: date | None = None
    # Some standings are older than what they count (a new day before the nightly job, or a
    # change to more practices than a read computes): a catch-up is queued in the background.
    catching_up: bool = False

    def entries_for(self, standings) -> list[CaseloadEntry]:
        """The caseload lines of `standings` (a page of `self.standings`), in their order, with
        every fact computed now."""
        order = [standing.practice_id for standing in standings]
        if not order:
            return []
        entries = entries_of(order, today=self.today, rules=self.rules)
        position = {pk: index for index, pk in enumerate(order)}
        return sorted(entries, key=lambda entry: position[entry.practice.pk])


def program_caseload(
    *,
    access,
    coach_id=None,
    stage=None,
    sector=None,
    status=None,
    today: date | None = None,
) -> ProgramCaseload:
    """The caseload over the practices the person may see, as stored standings, counted per
    status and ordered worst first as selectors.caseload orders its entries. The practices
    changed since their standing was computed are computed first, up to INLINE_LIMIT; anything
    more (a new day, new rules) is left to one queued catch-up, and the result says as of
    when it counts (`as_of`, `catching_up`). A constant number of queries at any size."""
    today = today or timezone.localdate()
    rules = caseload_rules()
    as_of, catching_up = standings_keep_current(program=access.program, today=today, rules=rules)
    # Standings are the program's (the scoped manager); a manager's unfiltered view needs no
    # join to the practices, which over 10,000 practices costs more than the count itself.
    standings = CaseloadStanding.objects.filter(rank__isnull=False)
    if coach_id or stage or sector or Reach.PROGRAM not in access.reaches(VIEW):
        practices = caseload_practices(access=access, coach_id=coach_id, stage=stage, sector=sector)
        standings = standings.filter(practice__in=practices.values("pk"))
    counts = {s.value: 0 for s in CaseloadStatus}
    for row in standings.values("status").annotate(n=Count("*")).order_by():
        counts[row["status"]] = row["n"]
    if status:
        standings = standings.filter(status=status)
    return ProgramCaseload(
        counts=counts,
        standings=standings.order_by(*ORDER),
        rules=rules,
        today=today,
        as_of=as_of,
        catching_up=catching_up,
    )


def standings_keep_current(*, program, today: date, rules=None) -> tuple[date | None, bool]:
    """What a program-wide read does before it counts: compute the standings of the practices
    changed since theirs was computed, when there are at most INLINE_LIMIT of them, and queue
    the catch-up (once) when anything else is due. Returns the day of the oldest stored
    standing and whether a catch-up is under way. Three or four queries besides the
    computation; none of them reads more than INLINE_LIMIT + 1 standings."""
    derived.flush_pending()
    changed = list(
        # In the partial index's order: PostgreSQL then reads that index rather than scanning
        # every standing in the hope of meeting INLINE_LIMIT changed ones early.
        CaseloadStanding.objects.filter(CHANGED_SINCE_COMPUTED)
        .order_by("practice_id")
        .values_list("practice_id", flat=True)[: INLINE_LIMIT + 1]
    )
    too_many = len(changed) > INLINE_LIMIT
    if changed and not too_many:
        chosen = Practice.objects.filter(pk__in=changed)
        standings_refresh(practices=chosen, today=today, rules=rules)
    oldest = (
        CaseloadStanding.objects.filter(computed_on__isnull=False)
        .order_by("computed_on")
        .values_list("computed_on", flat=True)
        .first()
    )
    catching_up = too_many or (oldest is not None and oldest < today)
    if catching_up:
        catch_up_queue(program=program, today=today, too_many=too_many)
    return oldest, catching_up


def catch_up_queue(*, program, today: date, too_many: bool) -> None:
    """Queue the program's catch-up (the nightly job's task) through the outbox, once: for a
    new day, once that day; for a change to many practices, once per such change (the latest
    change's moment names it), so reads while it waits queue nothing more."""
    from coaching.caseload.tasks import refresh_caseload_standings
    from psp.outbox.services import outbox_enqueue

    reason = today.isoformat()
    if too_many:
        newest = CaseloadStanding.objects.filter(CHANGED_SINCE_COMPUTED).aggregate(
            newest=Max("changed_at")
        )["newest"]
        reason = newest.isoformat() if newest else reason
    outbox_enqueue(refresh_caseload_standings, program=program, key=f"caseload-standings:{reason}")


def practices_not_current(practices: QuerySet[Practice], today: date) -> QuerySet[Practice]:
    """Those of `practices` whose standing is not current. Inside a transaction that changed
    something the rules read, that change is stamped first, so the transaction reads its own
    writes (practices.derived.flush_pending)."""
    derived.flush_pending()
    current = CaseloadStanding.objects.filter(computed_on=today, computed_at__isnull=False).filter(
        Q(changed_at__isnull=True) | Q(computed_at__gte=F("changed_at"))
    )
    return practices.exclude(pk__in=current.values("practice_id"))


# Computing -------------------------------------------------------------------------------------


def standings_catch_up(*, practices: QuerySet[Practice], today: date, rules=None) -> int:
    """Compute the standings of those of `practices` that are not current; returns how many."""
    return standings_refresh(
        practices=practices_not_current(practices, today), today=today, rules=rules
    )


def standings_refresh(*, practices: QuerySet[Practice], today: date, rules=None) -> int:
    """Compute and store the standing of `practices` (a queryset inside the program in scope)
    as of `today`; returns how many were computed."""
    rules = rules or caseload_rules()
    started = timezone.now()
    ids = list(practices.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    # One round of grouped queries over all of them, each one pass over its table. Rounds of
    # CHUNK practices made the nightly job grow with the square of the program: for a few
    # hundred of its practices, PostgreSQL's best plan still reads every visit and action of
    # the program (a hash join), so each round read them all again.
    entries = sorted(
        entries_of(ids, today=today, rules=rules, with_next_visit=False),
        key=lambda entry: entry.practice.pk,
    )
    # Written in id order, CHUNK rows per statement: two computations at once then write their
    # rows in the same order, so their upserts wait for each other instead of deadlocking.
    for chunk in batched(entries, CHUNK):
        rows = [
            CaseloadStanding(
                program_id=entry.practice.program_id,
                practice_id=entry.practice.pk,
                status=entry.status,
                rank=entry.verdict.rank,
                days_without_visit=entry.days_without_visit,
                computed_on=today,
                computed_at=started,
            )
            for entry in chunk
        ]
        CaseloadStanding.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["program", "practice"],
            update_fields=["status", "rank", "days_without_visit", "computed_on", "computed_at"],
        )
    return len(ids)


# Stamping changes ------------------------------------------------------------------------------

# What the rules read (coaching/caseload/facts.py, selectors.build_entries and the follow-up due
# dates of assessments/rounds/selectors.py). Each is a practices.derived.DerivedSource, so every
# write to it, bulk or not, reaches `stamp` below once per transaction; tests/coaching/caseload/
# test_sources.py fails on a model the caseload reads that is not listed here, or on one listed
# whose manager would let a write through unmarked.
SOURCES = (
    Practice,  # its enrolment date
    CoachAssignment,  # when its first coach was assigned
    Visit,
    PlanAction,
    ActionStatusChange,  # when an action was last done
    SupportPlan,
    PlanGoal,
    Assessment,  # the last submitted round of each instrument
    Instrument,  # its cadence: every practice of the program
    CaseloadRules,  # every practice of the program
)


def stamp(*, practices: QuerySet[Practice], program_ids: set[int]) -> None:
    """Mark these practices' standings, and every standing of these programs, as changed now
    (subscribed to practices.derived in CoachingConfig.ready). Two queries for the practices
    (which of them exist, then one upsert per CHUNK), one for the programs.

    A practice without a standing gets a row holding only `changed_at`: a read that started
    computing before the change committed, and stores its result after this stamp, then leaves
    a row that is not current, as it must be."""
    now = timezone.now()
    if program_ids:
        CaseloadStanding.all_programs.filter(program_id__in=program_ids).update(changed_at=now)
    for chunk in batched(practices.values_list("pk", "program_id"), CHUNK):
        CaseloadStanding.all_programs.bulk_create(
            [
                CaseloadStanding(program_id=program_id, practice_id=pk, changed_at=now)
                for pk, program_id in chunk
            ],
            update_conflicts=True,
            unique_fields=["program", "practice"],
            update_fields=["changed_at"],
        )
