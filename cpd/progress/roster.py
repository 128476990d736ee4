"""Everyone a CPD scheme applies to today and their current cycle's progress, computed with the
engine for the whole program at once: what the stored standings are made of
(cpd/progress/standings.py), never read by a page.

Seven queries whatever the program's size: the schemes, who was picked for one by hand, the
program's people, their practices, the cycles running today, and those cycles' activities
(cpd.progress.selectors.progress_of_cycles). Each person's scheme is matched in memory by the same
rule as cpd.schemes.cycles.scheme_for, and their cycle is the one under that scheme containing
today, as cycle_for finds it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpd.progress.engine import CycleProgress, Requirement
from cpd.progress.models import NO_PRACTICE, SECTOR_LABELS
from cpd.progress.selectors import progress_of_cycles
from cpd.progress.standing import STANDING_ORDER, Standing, biggest_shortfall, standing_of
from cpd.schemes.cycles import PROGRAM_ROLES, active_schemes, matching_scheme
from cpd.schemes.models import CpdCycle, CpdSchemeMember
from practices.models import PracticeMembership
from psp.tenancy.models import ProgramMembership


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
        return biggest_shortfall(self.result)


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
