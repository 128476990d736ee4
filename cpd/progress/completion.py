"""The program's CPD completion: everyone a scheme applies to, with their current cycle's
standing (met, on pace, behind pace, no cycle yet), credits against what is required and their
biggest shortfall; and the completion rate and the number behind overall, by sector and for the
practices with the most people behind.

Read from the stored standings (cpd/progress/models.py) in a fixed number of queries whatever
the program's size: when they were computed, the summary (which also gives the list's count), the
sectors, the practices, and the page of rows itself (a queryset the caller pages). The API's list
reads the rows alone (`chosen_standings`, `listed`). Nothing here runs the progress engine.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from cpd.progress.models import NO_PRACTICE, SECTOR_LABELS, CpdStanding, CpdStandingsRun
from cpd.progress.standing import Standing
from cpd.progress.standings import is_stale, standings_run
from practices.models import Practice

# The practices shown in the summary: a program has thousands; these need attention first.
PRACTICES_SHOWN = 25


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    people: int
    met: int
    behind: int

    @property
    def rate(self) -> int:
        """The share who have met their cycle's requirements, in whole percent."""
        return round(self.met * 100 / self.people) if self.people else 0


@dataclass(frozen=True)
class Completion:
    rows: QuerySet  # CpdStanding: those every filter chooses, who needs attention first
    count: int  # how many rows
    overall: Group  # of those the practice, sector and scheme filters choose (any status)
    practices: int  # how many practices those people are filed under
    by_practice: list[Group]  # the PRACTICES_SHOWN with the most people behind
    by_sector: list[Group]
    today: date
    run: CpdStandingsRun | None  # when the standings were computed in full (None: never)

    @property
    def is_stale(self) -> bool:
        """Whether the standings were computed before today (or never)."""
        return is_stale(self.run, self.today)


def completion(*, program, today: date, status: str | None = None, **filters) -> Completion:
    """The page's report: `filters` are chosen_standings's; the summary is of everyone they
    choose, whatever their `status`."""
    chosen = chosen_standings(**filters)
    counts = chosen.order_by().aggregate(
        people=Count("pk"),
        practices=Count("practice_id", distinct=True),
        **{value: Count("pk", filter=Q(standing=value)) for value in Standing.values},
    )
    return Completion(
        rows=listed(chosen, status=status),
        count=counts[status] if status else counts["people"],
        overall=Group("all", "Everyone", counts["people"], counts["met"], counts["behind"]),
        practices=counts["practices"],
        by_practice=_by_practice(chosen),
        by_sector=_by_sector(chosen),
        today=today,
        run=standings_run(),
    )


def chosen_standings(
    *,
    practice_id: int | None = None,
    practice_name: str | None = None,
    sector: str | None = None,
    scheme_id: int | None = None,
) -> QuerySet[CpdStanding]:
    """The stored standings of the people the practice, sector and scheme filters choose."""
    chosen = CpdStanding.objects.all()
    if practice_id is not None:
        chosen = chosen.filter(practice_id=practice_id)
    for word in (practice_name or "").split():
        chosen = chosen.filter(practice__name__icontains=word)
    if sector is not None:
        chosen = chosen.filter(sector=sector)
    if scheme_id is not None:
        chosen = chosen.filter(scheme_id=scheme_id)
    return chosen


def listed(chosen: QuerySet[CpdStanding], *, status: str | None) -> QuerySet[CpdStanding]:
    """The rows as the list shows them: who needs attention first, by name within (an index's
    order, so a page reads its rows only), with what a row shows joined."""
    rows = chosen.filter(standing=status) if status else chosen
    return rows.select_related("person", "scheme", "cycle__scheme", "practice").order_by(
        "rank", "person_name", "person_email", "membership_id"
    )


def _tallies():
    return {
        "people": Count("pk"),
        "met": Count("pk", filter=Q(standing=Standing.MET)),
        "behind": Count("pk", filter=Q(standing=Standing.BEHIND)),
    }


def _by_sector(chosen: QuerySet) -> list[Group]:
    groups = chosen.order_by().values("sector").annotate(**_tallies())
    found = [
        Group(
            g["sector"],
            SECTOR_LABELS.get(g["sector"], g["sector"]),
            g["people"],
            g["met"],
            g["behind"],
        )
        for g in groups
    ]
    return sorted(found, key=lambda group: group.label)


def _by_practice(chosen: QuerySet) -> list[Group]:
    """The practices with the most people behind (then the most people). Grouped on the stored
    rows alone: the names of the few shown are read after, not joined to every row."""
    groups = list(
        chosen.order_by()
        .values("practice_id")
        .annotate(**_tallies())
        .order_by("-behind", "-people", "practice_id")[:PRACTICES_SHOWN]
    )
    ids = [g["practice_id"] for g in groups if g["practice_id"]]
    names = dict(Practice.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    return [
        Group(
            str(g["practice_id"] or ""),
            names.get(g["practice_id"], NO_PRACTICE),
            g["people"],
            g["met"],
            g["behind"],
        )
        for g in groups
    ]
