"""The program's CPD completion: everyone a scheme applies to, with their current cycle's
standing (met, on pace, behind pace, no cycle yet), credits against what is required and their
biggest shortfall; and the completion rate and the number behind by practice and by sector.

Read for the whole program at once in seven queries whatever its size: the schemes, who was
picked for one by hand, the program's people, their practices, the cycles running today, and
those cycles' activities (cpd.progress.selectors.progress_of_cycles). Each person's scheme is
matched in memory by the same rule as cpd.schemes.cycles.scheme_for, and their cycle is the one
under that scheme containing today, as cycle_for finds it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpd.progress.engine import CycleProgress, Requirement
from cpd.progress.selectors import progress_of_cycles
from cpd.progress.standing import Standing, standing_of
from cpd.schemes.cycles import PROGRAM_ROLES, active_schemes, matching_scheme
from cpd.schemes.models import CpdCycle, CpdSchemeMember
from practices.models import PracticeMembership
from psp.tenancy.models import ProgramMembership, Sector

# The order people are listed in: who needs attention first.
STANDING_ORDER = (Standing.BEHIND, Standing.NO_CYCLE, Standing.ON_PACE, Standing.MET)
SECTOR_LABELS = dict(Sector.choices)
NO_PRACTICE = "No practice (program staff)"


@dataclass(frozen=True)
class CompletionRow:
    person: object
    membership_id: int  # for the link to the person's CPD page
    practice_id: int | None
    practice_name: str
    sector: str
    scheme: object
    cycle: CpdCycle | None
    result: CycleProgress | None
    standing: Standing

    @property
    def sector_label(self) -> str:
        return SECTOR_LABELS.get(self.sector, self.sector)

    @property
    def credits(self) -> Decimal | None:
        return self.result.total if self.result else None

    @property
    def required(self) -> Decimal | None:
        return self.result.required_total if self.result else None

    @property
    def unit(self) -> str:
        return self.result.unit if self.result else ""

    @property
    def biggest_shortfall(self) -> Requirement | None:
        """The unmet requirement missing the most (the sooner due of two alike)."""
        if not self.result or not self.result.shortfalls:
            return None
        return max(self.result.shortfalls, key=lambda r: (r.missing, -r.due_on.toordinal()))


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
    rows: list[CompletionRow]  # those every filter chooses, who needs attention first
    overall: Group  # of those the practice, sector and scheme filters choose (any status)
    by_practice: list[Group]
    by_sector: list[Group]
    today: date


def completion(
    *,
    program,
    today: date,
    practice_id: int | None = None,
    sector: str | None = None,
    scheme_id: int | None = None,
    status: str | None = None,
) -> Completion:
    rows = [
        row
        for row in completion_rows(program=program, today=today)
        if (practice_id is None or row.practice_id == practice_id)
        and (sector is None or row.sector == sector)
        and (scheme_id is None or row.scheme.pk == scheme_id)
    ]
    return Completion(
        rows=[row for row in rows if status is None or row.standing == status],
        overall=_group("all", "Everyone", rows),
        by_practice=_groups(rows, lambda r: (str(r.practice_id or ""), r.practice_name)),
        by_sector=_groups(rows, lambda r: (r.sector, r.sector_label)),
        today=today,
    )


def completion_rows(*, program, today: date) -> list[CompletionRow]:
    """Everyone a scheme applies to today, who needs attention first, then by name."""
    schemes = active_schemes()
    if not schemes:
        return []
    picked = defaultdict(set)
    for user_id, scheme_id in CpdSchemeMember.objects.values_list("user_id", "scheme_id"):
        picked[user_id].add(scheme_id)
    memberships = list(
        ProgramMembership.objects.filter(is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
    practices = _practices()
    under = []
    for membership in memberships:
        first, pairs = practices.get(membership.user_id, (None, set()))
        if membership.role in PROGRAM_ROLES:
            pairs = pairs | {(membership.role, program.sector)}
        chosen = picked[membership.user_id]
        mine = matching_scheme(schemes, chosen, set() if _any_active(schemes, chosen) else pairs)
        if mine is not None:
            under.append((membership, first, mine))
    cycles = _current_cycles(today, {m.user_id: s.pk for m, _, s in under})
    results = progress_of_cycles(cycles.values(), today=today)
    rows = []
    for membership, first, scheme in under:
        cycle = cycles.get(membership.user_id)
        result = results.get(cycle.pk) if cycle else None
        rows.append(
            CompletionRow(
                person=membership.user,
                membership_id=membership.pk,
                practice_id=first["practice_id"] if first else None,
                practice_name=first["practice__name"] if first else NO_PRACTICE,
                sector=first["practice__sector"] if first else program.sector,
                scheme=scheme,
                cycle=cycle,
                result=result,
                standing=standing_of(result, today),
            )
        )
    rows.sort(key=lambda row: STANDING_ORDER.index(row.standing))  # stable: by name within
    return rows


def _any_active(schemes, chosen: set[int]) -> bool:
    return any(scheme.pk in chosen for scheme in schemes)


def _practices() -> dict[int, tuple[dict | None, set]]:
    """{user id: (their first practice, as cpd.activities.selectors.person_practice_id picks
    it; their (practice role, sector) pairs)}, in one query."""
    found: dict[int, tuple[dict | None, set]] = {}
    rows = (
        PracticeMembership.objects.filter(is_active=True)
        .order_by("role", "pk")
        .values("user_id", "role", "practice_id", "practice__name", "practice__sector")
    )
    for row in rows:
        first, pairs = found.get(row["user_id"], (row, set()))
        pairs.add((row["role"], row["practice__sector"]))
        found[row["user_id"]] = (first, pairs)
    return found


def _current_cycles(today: date, scheme_of: dict[int, int]) -> dict[int, CpdCycle]:
    """{user id: their cycle containing today under their scheme}, in one query."""
    running = CpdCycle.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related(
        "version", "scheme"
    )
    return {
        cycle.person_id: cycle
        for cycle in running.order_by("starts_on", "pk")
        if scheme_of.get(cycle.person_id) == cycle.scheme_id
    }


def _group(key: str, label: str, rows: list[CompletionRow]) -> Group:
    return Group(
        key=key,
        label=label,
        people=len(rows),
        met=sum(row.standing == Standing.MET for row in rows),
        behind=sum(row.standing == Standing.BEHIND for row in rows),
    )


def _groups(rows: list[CompletionRow], key_of) -> list[Group]:
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for row in rows:
        grouped[key_of(row)].append(row)
    return sorted(
        (_group(key, label, members) for (key, label), members in grouped.items()),
        key=lambda group: group.label,
    )
