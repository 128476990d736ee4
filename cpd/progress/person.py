"""One person's progress, as their progress page, their page for those who read others' CPD and
the API show it: the cycle (current, or an earlier one of theirs), its total against what is
required, by cycle year and by category, each shortfall in words with its due date, what the
caps kept out, how much of what counts is verified, where they stand against the pace, and the
chart. A fixed number of queries whatever the person has recorded.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cpd.activities.models import ActivityType
from cpd.progress.chart import ProgressChart, progress_chart
from cpd.progress.engine import CycleProgress, Requirement
from cpd.progress.selectors import counted_and_verified, rules_of
from cpd.progress.standing import Standing, expected_by, standing_of
from cpd.schemes.cycles import scheme_for
from cpd.schemes.describe import amount, quantity
from cpd.schemes.models import CpdCycle
from cpd.schemes.rules import Rules
from psp.dates import write_date
from psp.tenancy.models import ProgramMembership, ProgramRole

TYPE_LABELS = dict(ActivityType.choices)
ZERO = Decimal(0)


@dataclass(frozen=True)
class CategoryRow:
    key: str
    name: str
    is_sub: bool  # a sub-category, shown under its parent
    credits: Decimal
    minimum: Decimal
    missing: Decimal


@dataclass(frozen=True)
class YearCell:
    name: str  # a category with a minimum each year
    credits: Decimal
    minimum: Decimal


@dataclass(frozen=True)
class YearRow:
    number: int
    starts_on: date
    ends_on: date
    credits: Decimal
    minimum: Decimal | None
    by_category: tuple[YearCell, ...]
    started: bool  # a year not begun yet has nothing to show

    @property
    def missing(self) -> Decimal:
        return max((self.minimum or ZERO) - self.credits, ZERO)


@dataclass(frozen=True)
class Shortfall:
    text: str  # "12 more credits of Certified, by 30 Jun 2030"
    what: str  # "Certified"
    missing: Decimal
    due_on: date
    overdue: bool


@dataclass
class PersonProgress:
    person: object
    today: date
    scheme: object | None  # the scheme they are under today
    cycle: CpdCycle | None  # the cycle shown
    cycles: list[CpdCycle] = field(default_factory=list)  # all of theirs, newest first
    is_current: bool = True
    rules: Rules | None = None
    result: CycleProgress | None = None
    verified: Decimal = ZERO
    admins: list = field(default_factory=list)  # whom to ask, when no scheme applies

    @property
    def unit(self) -> str:
        return self.result.unit if self.result else "credits"

    @property
    def standing(self) -> Standing:
        return standing_of(self.result, self.today)

    @property
    def expected(self) -> Decimal:
        return expected_by(self.result, self.today) if self.result else ZERO

    @property
    def not_verified(self) -> Decimal:
        return self.result.earned - self.verified if self.result else ZERO

    @property
    def percent(self) -> int:
        """The total's share of what is required (at most 100), for the bar."""
        if not self.result or not self.result.required_total:
            return 0
        return min(int(self.result.total * 100 / self.result.required_total), 100)

    @property
    def missing_total(self) -> Decimal:
        return max(self.result.required_total - self.result.total, ZERO) if self.result else ZERO

    @property
    def categories(self) -> list[CategoryRow]:
        return category_rows(self.rules, self.result) if self.result else []

    @property
    def years(self) -> list[YearRow]:
        return year_rows(self.rules, self.result, self.today) if self.result else []

    @property
    def shortfalls(self) -> list[Shortfall]:
        if not self.result:
            return []
        return [shortfall(r, self.rules, self.today) for r in self.result.shortfalls]

    @property
    def caps(self) -> list[str]:
        return cap_sentences(self.rules, self.result) if self.result else []

    @property
    def chart(self) -> ProgressChart | None:
        if not self.result:
            return None
        return progress_chart(self.result, today=self.today, write_day=write_date)


def person_progress(*, person, today: date, cycle_id: int | None = None) -> PersonProgress:
    """`person`'s progress in the cycle `cycle_id` (one of theirs, else CpdCycle.DoesNotExist)
    or, without it, in their current cycle (none yet: the page says what that means)."""
    cycles = list(
        CpdCycle.objects.filter(person=person)
        .select_related("scheme", "version")
        .order_by("-starts_on", "-pk")
    )
    scheme = scheme_for(person=person, on=today)
    current = _current(cycles, scheme, today)
    if cycle_id is not None:
        cycle = next((c for c in cycles if c.pk == cycle_id), None)
        if cycle is None:
            raise CpdCycle.DoesNotExist("No such cycle of this person.")
    else:
        cycle = current
    shown = PersonProgress(person=person, today=today, scheme=scheme, cycle=cycle, cycles=cycles)
    shown.is_current = cycle is not None and cycle == current
    if cycle is None:
        if scheme is None:
            shown.admins = program_admins()
        return shown
    counted, verified = counted_and_verified([cycle], today=today)[cycle.pk]
    shown.rules, shown.result, shown.verified = rules_of(cycle), counted, verified.earned
    return shown


def _current(cycles: list[CpdCycle], scheme, today: date) -> CpdCycle | None:
    """The cycle containing today, under the person's scheme when they have one (as
    cpd.schemes.cycles.cycle_for finds it, from the cycles already read)."""
    containing = [c for c in cycles if c.starts_on <= today <= c.ends_on]
    if scheme is not None:
        return next((c for c in containing if c.scheme_id == scheme.pk), None)
    return containing[0] if containing else None


def program_admins() -> list:
    """The program's admins, by name: whom to ask for a scheme."""
    memberships = ProgramMembership.objects.filter(role=ProgramRole.ADMIN, is_active=True)
    return [m.user for m in memberships.select_related("user").order_by("user__full_name", "pk")]


# In words and rows ------------------------------------------------------------------------------


def category_rows(rules: Rules, result: CycleProgress) -> list[CategoryRow]:
    """Categories in the rules' order, each sub-category right under its parent."""
    by_key = {c.key: c for c in result.categories}
    tops = [c for c in result.categories if not c.parent or c.parent not in by_key]
    rows = []
    for top in tops:
        for category in (top, *[c for c in result.categories if c.parent == top.key]):
            rows.append(
                CategoryRow(
                    key=category.key,
                    name=category.name,
                    is_sub=category is not top,
                    credits=category.credits,
                    minimum=category.minimum,
                    missing=max(category.minimum - category.credits, ZERO),
                )
            )
    return rows


def year_rows(rules: Rules, result: CycleProgress, today: date) -> list[YearRow]:
    each_year = [c for c in result.categories if c.per_year_minimum]
    return [
        YearRow(
            number=year.number,
            starts_on=year.starts_on,
            ends_on=year.ends_on,
            credits=year.credits,
            minimum=rules.per_year,
            by_category=tuple(
                YearCell(c.name, year.by_category.get(c.key, ZERO), c.per_year_minimum)
                for c in each_year
            ),
            started=year.starts_on <= today,
        )
        for year in result.years
    ]


def shortfall(requirement: Requirement, rules: Rules, today: date) -> Shortfall:
    """A requirement not met yet, in words: how much more of what, by when."""
    what = {
        "total": "in total",
        "per_year": f"in year {requirement.year}",
        "category": f"of {requirement.label}",
    }.get(requirement.kind, f"of {requirement.label}")
    missing = requirement.missing
    unit = rules.unit[:-1] if missing == 1 else rules.unit
    due = write_date(requirement.due_on)
    late = requirement.due_on < today
    text = f"{amount(missing)} more {unit} {what}, {'due' if late else 'by'} {due}"
    if late:
        text += " (that period is over)"
    return Shortfall(
        text=text,
        what=requirement.label,
        missing=missing,
        due_on=requirement.due_on,
        overdue=late,
    )


def cap_sentences(rules: Rules, result: CycleProgress) -> list[str]:
    sentences = []
    for activity_type, kept_out in sorted(result.capped.items()):
        rule = rules.rule_for(activity_type)
        cap = f" of {amount(rule.cap_per_cycle)} a cycle" if rule and rule.cap_per_cycle else ""
        label = TYPE_LABELS.get(activity_type, activity_type)
        sentences.append(
            f"{label}: {quantity(kept_out, rules.unit)} above the cap{cap} did not count."
        )
    return sentences
