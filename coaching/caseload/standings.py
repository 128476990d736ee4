"""The program-wide caseload, kept in the database as one CaseloadStanding per practice.

A coach's caseload is a few dozen practices and is computed in full on every read
(selectors.caseload). A program's is up to 10,000, and computing a practice's facts
and status costs about 0.3 ms of Python whatever the database does, so a manager's page would
grow with the program. The program-wide reads here (the caseload overview, the managers' home,
the caseload API) instead count, filter, sort and page the stored standings in the database, and
compute in full only the practices on the page they show.

A standing is current when it was computed today and its computation started after the last
change to anything the rules read (`computed_at >= changed_at`). Whatever is not current is
computed again by the next program-wide read (usually the one or two practices just changed),
and the nightly job recomputes every program's standings for the new day.

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

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from assessments.models import Assessment, Instrument
from coaching.actions.models import ActionStatusChange, PlanAction
from coaching.caseload.models import CaseloadRules, CaseloadStanding
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

# Practices computed per round of grouped queries: bounds memory and the size of IN lists.
CHUNK = 500
ORDER = ("rank", Coalesce("days_without_visit", 0).desc(), Lower("practice__name"), "practice_id")


# Reading ---------------------------------------------------------------------------------------


@dataclass
class ProgramCaseload(StatusCounts):
    counts: dict[str, int]  # status -> practices, before the status filter
    standings: QuerySet[CaseloadStanding]  # after the status filter, worst first; page it
    rules: CaseloadRules
    today: date

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
    """The caseload over the practices the person may see, as stored standings (brought up to
    date first), counted per status and ordered worst first as selectors.caseload
    orders its entries. A constant number of queries once the standings are current."""
    today = today or timezone.localdate()
    rules = caseload_rules()
    practices = caseload_practices(access=access, coach_id=coach_id, stage=stage, sector=sector)
    standings_catch_up(practices=practices, today=today, rules=rules)
    standings = CaseloadStanding.objects.filter(
        practice__in=practices.values("pk"), computed_on=today
    )
    counts = {s.value: 0 for s in CaseloadStatus}
    for row in standings.values("status").annotate(n=Count("*")).order_by():
        counts[row["status"]] = row["n"]
    if status:
        standings = standings.filter(status=status)
    return ProgramCaseload(
        counts=counts, standings=standings.order_by(*ORDER), rules=rules, today=today
    )


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
    # In id order: two reads catching up at once then write their rows in the same order, so
    # their upserts wait for each other instead of deadlocking.
    ids = list(practices.order_by("pk").values_list("pk", flat=True))
    for chunk in batched(ids, CHUNK):
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
            for entry in entries_of(chunk, today=today, rules=rules)
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
