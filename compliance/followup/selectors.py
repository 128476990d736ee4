"""Reading checklists for follow-up: the current ones in a person's reach (each with the date it
was signed off, `signed_on`), the counts of the overview, the status matrix (each practice's
latest checklist of each template) and the due list. Each read costs a fixed number of queries.

"Current" leaves out a revision a correction replaced: the correction stands for its period.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from compliance.checklists.models import ChecklistTemplate
from compliance.followup.states import (
    DUE_SOON_DAYS,
    FollowUp,
    Standing,
    standing_of,
    state_filter,
)
from compliance.instances.models import EDITABLE, ChecklistInstance, InstanceStatus
from compliance.instances.selectors import checklists_in_reach
from practices.models import Practice


def current_checklists(*, access) -> QuerySet:
    """The checklists `access` may read (compliance.view), without replaced revisions."""
    return checklists_in_reach(access=access).exclude(status=InstanceStatus.SUPERSEDED)


def latest_checklists(*, access) -> QuerySet:
    """Each practice's latest checklist of each template (the period opened last): what the
    status matrix shows. A flag the writers keep on the row (compliance.instances.latest), read
    through a partial index, rather than a search over every checklist of the program."""
    return checklists_in_reach(access=access).filter(is_latest=True)


def program_checklists() -> QuerySet:
    """Every current checklist of the program in scope: for documents, whose capability was
    checked when they were asked for."""
    return ChecklistInstance.objects.select_related("template", "practice").exclude(
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
    """The overview's counts over `queryset` (current checklists, filtered). One query, over
    the rows that can count only: those not signed off and due by the end of the "due soon"
    window or completed (through the index on status and due date), and those signed off this
    year (through the index on status and signature date), never the program's every
    checklist."""
    this_year = Q(signed_on__gte=date(today.year, 1, 1), signed_on__lte=today)
    countable = (
        Q(status__in=EDITABLE, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        | Q(status=InstanceStatus.COMPLETED)
        | (Q(status=InstanceStatus.ATTESTED) & this_year)
    )
    found = queryset.filter(countable).aggregate(
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
    return Practice.objects.filter(
        Exists(latest.order_by().filter(practice_id=OuterRef("pk")))
    ).order_by("name", "pk")


def status_matrix(latest: QuerySet, practices, today: date) -> Matrix:
    """The matrix of `practices` (a page of matrix_practices) over `latest`. Two queries: the
    templates (columns), the cells."""
    # A probe per template (a program has tens), not a pass over every practice's latest.
    templates = list(
        ChecklistTemplate.objects.filter(
            Exists(latest.order_by().filter(template_id=OuterRef("pk")))
        ).order_by("name", "pk")
    )
    column = {template.pk: index for index, template in enumerate(templates)}
    practices = list(practices)
    cells: dict[int, list] = {practice.pk: [None] * len(templates) for practice in practices}
    # The page's practices and the columns are at hand: joining them again made the database
    # hash every practice of the program for a page's few hundred cells.
    for instance in latest.select_related(None).filter(practice_id__in=list(cells)):
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
