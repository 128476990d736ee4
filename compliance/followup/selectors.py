"""Reading checklists for follow-up: the current ones in a person's reach with the date they were
signed off, the counts of the overview, the status matrix (each practice's latest checklist of
each template) and the due list. Each read costs a fixed number of queries.

"Current" leaves out a revision a correction replaced: the correction stands for its period.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from compliance.checklists.models import ChecklistTemplate
from compliance.followup.states import (
    DUE_SOON_DAYS,
    FollowUp,
    Standing,
    standing_of,
    state_filter,
)
from compliance.instances.models import EDITABLE, Attestation, ChecklistInstance, InstanceStatus
from compliance.instances.selectors import checklists_in_reach
from practices.models import Practice


def with_signed_on(queryset: QuerySet) -> QuerySet:
    """Each checklist with `signed_on`: the date of its last signature (the program's local
    date, as signed), None while unsigned. A subquery, so counts and filters can use it."""
    last = (
        Attestation.objects.filter(instance=OuterRef("pk"))
        .order_by("-signed_on", "-pk")
        .values("signed_on")[:1]
    )
    return queryset.annotate(signed_on=Subquery(last))


def current_checklists(*, access) -> QuerySet:
    """The checklists `access` may read (compliance.view), without replaced revisions."""
    return with_signed_on(checklists_in_reach(access=access)).exclude(
        status=InstanceStatus.SUPERSEDED
    )


def latest_checklists(*, access, today: date) -> QuerySet:
    """Each practice's latest checklist of each template (the period opened last, by today):
    what the status matrix shows."""
    return latest_among(current_checklists(access=access), today)


def latest_among(current: QuerySet, today: date) -> QuerySet:
    """Of `current` (current checklists, annotated), each practice's latest of each template."""
    latest = (
        ChecklistInstance.objects.filter(
            template_id=OuterRef("template_id"),
            practice_id=OuterRef("practice_id"),
            opens_on__lte=today,
        )
        .exclude(status=InstanceStatus.SUPERSEDED)
        .order_by("-opens_on", "-pk")
        .values("pk")[:1]
    )
    return current.filter(opens_on__lte=today, pk=Subquery(latest))


def program_checklists() -> QuerySet:
    """Every current checklist of the program in scope, annotated: for documents, whose
    capability was checked when they were asked for."""
    return with_signed_on(ChecklistInstance.objects.select_related("template", "practice")).exclude(
        status=InstanceStatus.SUPERSEDED
    )


@dataclass(frozen=True)
class Counts:
    due_soon: int
    overdue: int
    awaiting_signoff: int
    signed_on_time: int  # this calendar year
    signed_late: int  # this calendar year
    year: int

    def tiles(self) -> list[tuple[str, str, int]]:
        """(state, label, count) in the order the overview shows them."""
        return [
            (FollowUp.OVERDUE, "Overdue", self.overdue),
            (FollowUp.DUE_SOON, f"Due in the next {DUE_SOON_DAYS} days", self.due_soon),
            (FollowUp.AWAITING_SIGNOFF, "Completed, awaiting sign-off", self.awaiting_signoff),
            (FollowUp.SIGNED_ON_TIME, f"Signed off on time in {self.year}", self.signed_on_time),
            (FollowUp.SIGNED_LATE, f"Signed off late in {self.year}", self.signed_late),
        ]


def follow_up_counts(queryset: QuerySet, today: date) -> Counts:
    """The overview's counts over `queryset` (current checklists, filtered). One query."""
    this_year = Q(signed_on__gte=date(today.year, 1, 1), signed_on__lte=today)
    found = queryset.aggregate(
        due_soon=Count("pk", filter=state_filter(FollowUp.DUE_SOON, today)),
        overdue=Count("pk", filter=state_filter(FollowUp.OVERDUE, today)),
        awaiting=Count("pk", filter=state_filter(FollowUp.AWAITING_SIGNOFF, today)),
        on_time=Count("pk", filter=state_filter(FollowUp.SIGNED_ON_TIME, today) & this_year),
        late=Count("pk", filter=state_filter(FollowUp.SIGNED_LATE, today) & this_year),
    )
    return Counts(
        due_soon=found["due_soon"],
        overdue=found["overdue"],
        awaiting_signoff=found["awaiting"],
        signed_on_time=found["on_time"],
        signed_late=found["late"],
        year=today.year,
    )


# The status matrix -------------------------------------------------------------------------


@dataclass
class Cell:
    instance: ChecklistInstance
    standing: Standing


@dataclass
class MatrixRow:
    practice: Practice
    cells: list[Cell | None]  # one per template of the matrix, None where it has none


@dataclass
class Matrix:
    templates: list[ChecklistTemplate]
    rows: list[MatrixRow]


def matrix_practices(latest: QuerySet) -> QuerySet:
    """The practices with a checklist among `latest`, by name: the matrix's rows, to page."""
    return Practice.objects.filter(pk__in=latest.values("practice_id")).order_by("name", "pk")


def status_matrix(latest: QuerySet, practices, today: date) -> Matrix:
    """The matrix of `practices` (a page of matrix_practices) over `latest`. Two queries: the
    templates (columns), the cells."""
    templates = list(
        ChecklistTemplate.objects.filter(pk__in=latest.values("template_id")).order_by("name", "pk")
    )
    column = {template.pk: index for index, template in enumerate(templates)}
    practices = list(practices)
    cells: dict[int, list] = {practice.pk: [None] * len(templates) for practice in practices}
    for instance in latest.filter(practice_id__in=list(cells)):
        cells[instance.practice_id][column[instance.template_id]] = Cell(
            instance, standing_of(instance, today)
        )
    return Matrix(templates, [MatrixRow(p, cells[p.pk]) for p in practices])


# The due list ------------------------------------------------------------------------------


def due_checklists(queryset: QuerySet, today: date) -> QuerySet:
    """Of `queryset` (current checklists, filtered), those not signed off and due within
    DUE_SOON_DAYS or overdue, soonest due first."""
    return queryset.filter(
        status__in=EDITABLE, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
    ).order_by("due_on", "practice__name", "template__name", "pk")


def decorate(instances, today: date) -> list:
    """The instances, each with its `standing` for the page."""
    rows = list(instances)
    for instance in rows:
        instance.standing = standing_of(instance, today)
    return rows
