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

Changes are stamped by signal receivers (connected in CoachingConfig.ready) rather than by the
services, so that every write path is covered: the services, the admin, management commands and
the tests' factories. A change is stamped twice: inside the writing transaction, so the writer's
own next read sees it, and after commit, so that a computation which started before the commit
(and so could not see the change) is older than the stamp.
"""

from dataclasses import dataclass
from datetime import date
from itertools import batched

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.db.models.signals import post_delete, post_save
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


def stamp_practices(program_id: int, practice_ids, *, create: bool = True) -> None:
    """Mark these practices' standings as changed now, and again after commit. `create=False`
    (deletions) only touches existing rows: the practice itself may be on its way out."""
    wanted = {pk for pk in practice_ids if pk is not None}
    if not wanted:
        return

    def stamp(practice_ids):
        now = timezone.now()
        if not create:
            CaseloadStanding.all_programs.filter(practice_id__in=wanted).update(changed_at=now)
            return
        CaseloadStanding.all_programs.bulk_create(
            [
                CaseloadStanding(program_id=program_id, practice_id=pk, changed_at=now)
                for pk in sorted(practice_ids)
            ],
            update_conflicts=True,
            unique_fields=["program", "practice"],
            update_fields=["changed_at"],
        )

    def stamp_after_commit():
        # By then the practice may have been deleted later in the same transaction.
        stamp(Practice.all_programs.filter(pk__in=wanted).values_list("pk", flat=True))

    stamp(wanted)  # the row being saved refers to the practice: it exists now
    transaction.on_commit(stamp_after_commit)


def stamp_program(program_id: int) -> None:
    """Mark every standing of the program as changed (its rules or an instrument's cadence)."""

    def stamp():
        CaseloadStanding.all_programs.filter(program_id=program_id).update(
            changed_at=timezone.now()
        )

    stamp()
    transaction.on_commit(stamp)


def _through(relation: str, parent_model):
    """The practice of a row that names it through its parent (a goal's plan, a history step's
    action): read off the parent when the writer had it loaded, as the services do, else
    looked up."""

    def practice_of(row):
        if getattr(type(row), relation).is_cached(row):
            return [getattr(row, relation).practice_id]
        parent_id = getattr(row, f"{relation}_id")
        return parent_model.all_programs.filter(pk=parent_id).values_list("practice_id", flat=True)

    return practice_of


# What the rules read, and how to find the practice of a changed row.
PRACTICE_OF = {
    Visit: lambda row: [row.practice_id],
    # The follow-up due date: the practice's last submitted round (plus its instrument's cadence,
    # a program-wide change below).
    Assessment: lambda row: [row.practice_id],
    PlanAction: lambda row: [row.practice_id],
    SupportPlan: lambda row: [row.practice_id],
    CoachAssignment: lambda row: [row.practice_id],
    Practice: lambda row: [row.pk],
    PlanGoal: _through("plan", SupportPlan),
    ActionStatusChange: _through("action", PlanAction),
}


def _row_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        stamp_practices(instance.program_id, PRACTICE_OF[sender](instance))


def _row_deleted(sender, instance, **kwargs):
    if sender is not Practice:  # a deleted practice's standing goes with it (cascade)
        stamp_practices(instance.program_id, PRACTICE_OF[sender](instance), create=False)


def _rules_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        stamp_program(instance.program_id)


def connect() -> None:
    """Called once from CoachingConfig.ready."""
    for model in PRACTICE_OF:
        name = model.__name__
        post_save.connect(_row_saved, sender=model, dispatch_uid=f"standing-saved-{name}")
        post_delete.connect(_row_deleted, sender=model, dispatch_uid=f"standing-deleted-{name}")
    for model in (CaseloadRules, Instrument):
        post_save.connect(_rules_changed, sender=model, dispatch_uid=f"standing-{model.__name__}")
