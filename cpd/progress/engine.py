"""A cycle's progress under its rules: credits by category and by cycle year, caps applied,
sub-categories rolled into their parents, what is still short and by when, and the pace.

Pure: no database and no clock (`today` is given), so the progress pages, the reminders, the
certificates and carry-over into the next cycle all read one sum.

Counting: only activities in a counted status (self-reported, submitted, verified) that end
inside the cycle. A credit rule's cap per cycle is applied in date order, so the credits that
count towards a year or a category are the ones earned before the cap was reached. Credits
carried in from the previous cycle count towards the total only, not towards a year or a
category.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpd.activities.models import COUNTED
from cpd.schemes.dates import Span, cycle_year_spans
from cpd.schemes.rules import Rules

ZERO = Decimal(0)


@dataclass(frozen=True)
class CategoryProgress:
    key: str
    name: str
    parent: str | None
    minimum: Decimal
    per_year_minimum: Decimal | None
    credits: Decimal  # its own and its sub-categories' credits


@dataclass(frozen=True)
class YearProgress:
    number: int  # 1 for the cycle's first year
    starts_on: date
    ends_on: date
    credits: Decimal
    by_category: dict  # category key -> credits that year (sub-categories rolled up)


@dataclass(frozen=True)
class Requirement:
    kind: str  # "total", "per_year", "category", "category_per_year"
    label: str  # what is required, in words: "Certified in year 2"
    required: Decimal
    have: Decimal
    starts_on: date  # when the period it is counted over begins
    due_on: date
    category: str | None = None
    year: int | None = None

    @property
    def met(self) -> bool:
        return self.have >= self.required

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.have, ZERO)


@dataclass(frozen=True)
class PacePoint:
    on: date
    credits: Decimal | None  # none for dates after today
    required: Decimal  # where steady progress to the total would be by then


@dataclass(frozen=True)
class CycleProgress:
    starts_on: date
    ends_on: date
    unit: str
    required_total: Decimal
    carried_in: Decimal
    earned: Decimal  # in this cycle, caps applied
    total: Decimal  # earned plus carried in
    capped: dict  # activity type -> credits the cap kept from counting
    categories: tuple[CategoryProgress, ...]
    years: tuple[YearProgress, ...]
    requirements: tuple[Requirement, ...]
    shortfalls: tuple[Requirement, ...]  # unmet, in periods already begun, soonest due first
    met_on: date | None  # the day the last requirement was met, if all are
    pace: tuple[PacePoint, ...]

    @property
    def is_met(self) -> bool:
        return self.met_on is not None


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


@dataclass(frozen=True)
class _Counted:
    ended_on: date
    category: str
    credits: Decimal


def counted_credits(rules: Rules, span: Span, activities) -> tuple[list[_Counted], dict]:
    """The activities that count, in date order, each with the credits left after its type's
    cap; and per activity type, what the caps kept out."""
    rows = [
        row
        for row in activities
        if _get(row, "status") in COUNTED and _get(row, "ended_on") in span
    ]
    rows.sort(key=lambda row: _get(row, "ended_on"))
    used: dict[str, Decimal] = defaultdict(Decimal)
    capped: dict[str, Decimal] = {}
    counted = []
    for row in rows:
        activity_type = _get(row, "activity_type")
        credits = Decimal(_get(row, "credits") or 0)
        rule = rules.rule_for(activity_type)
        if rule and rule.cap_per_cycle is not None:
            allowed = max(min(credits, rule.cap_per_cycle - used[activity_type]), ZERO)
            if allowed < credits:
                capped[activity_type] = capped.get(activity_type, ZERO) + credits - allowed
            used[activity_type] += allowed
            credits = allowed
        counted.append(_Counted(_get(row, "ended_on"), _get(row, "category"), credits))
    return counted, capped


def _rolled_up(rules: Rules, own: dict) -> dict:
    """Credits per category with each sub-category's added to its parent."""
    totals = {key: own.get(key, ZERO) for key in rules.category_keys}
    for category in rules.categories:
        if category.parent in totals:
            totals[category.parent] += own.get(category.key, ZERO)
    return totals


def _sums(rules: Rules, years: list[Span], counted: list[_Counted]):
    own_by_year = [defaultdict(Decimal) for _ in years]
    year_totals = [ZERO for _ in years]
    for item in counted:
        index = next(i for i, year in enumerate(years) if item.ended_on in year)
        own_by_year[index][item.category] += item.credits
        year_totals[index] += item.credits
    by_year = [_rolled_up(rules, own) for own in own_by_year]
    own = defaultdict(Decimal)
    for item in counted:
        own[item.category] += item.credits
    return _rolled_up(rules, own), by_year, year_totals


def _requirements(rules, span, years, carried_in, counted) -> list[Requirement]:
    by_category, by_year, year_totals = _sums(rules, years, counted)
    earned = sum((item.credits for item in counted), ZERO)
    found = [
        Requirement(
            "total", "Total", rules.total, earned + carried_in, span.starts_on, span.ends_on
        )
    ]
    for number, year in enumerate(years, start=1):
        if rules.per_year:
            found.append(
                Requirement(
                    "per_year",
                    f"Year {number}",
                    rules.per_year,
                    year_totals[number - 1],
                    year.starts_on,
                    year.ends_on,
                    year=number,
                )
            )
    for category in rules.categories:
        if category.minimum:
            found.append(
                Requirement(
                    "category",
                    category.name,
                    category.minimum,
                    by_category[category.key],
                    span.starts_on,
                    span.ends_on,
                    category=category.key,
                )
            )
        for number, year in enumerate(years, start=1):
            if category.per_year_minimum:
                found.append(
                    Requirement(
                        "category_per_year",
                        f"{category.name} in year {number}",
                        category.per_year_minimum,
                        by_year[number - 1][category.key],
                        year.starts_on,
                        year.ends_on,
                        category=category.key,
                        year=number,
                    )
                )
    return found


def _met_on(rules, span, years, carried_in, counted) -> date | None:
    """The first end date by which every requirement was met. Credits only grow as activities
    are added in date order, so a binary search over the dates finds it."""

    def met_by(day):
        prefix = [item for item in counted if item.ended_on <= day]
        return all(r.met for r in _requirements(rules, span, years, carried_in, prefix))

    if not met_by(span.ends_on):
        return None
    dates = sorted({item.ended_on for item in counted}) or [span.starts_on]
    low, high = 0, len(dates) - 1
    while low < high:
        middle = (low + high) // 2
        if met_by(dates[middle]):
            high = middle
        else:
            low = middle + 1
    return dates[low]


def _pace(rules, span, carried_in, counted, today) -> list[PacePoint]:
    """Monthly points from the cycle's start to its end: credits to date (with what was carried
    in) against a steady line from nothing to the total."""
    days = (span.ends_on - span.starts_on).days + 1
    moments = [span.starts_on]
    month = date(span.starts_on.year, span.starts_on.month, 1)
    while True:
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if month > span.ends_on:
            break
        moments.append(month)
    if span.starts_on <= today <= span.ends_on and today not in moments:
        moments.append(today)
    moments = sorted(set(moments) | {span.ends_on})
    points = []
    for moment in moments:
        elapsed = (moment - span.starts_on).days + 1
        required = (rules.total * elapsed / days).quantize(Decimal("0.01"))
        credits = None
        if moment <= today:
            earned = sum((i.credits for i in counted if i.ended_on <= moment), ZERO)
            credits = earned + carried_in
        points.append(PacePoint(moment, credits, required))
    return points


def progress(*, rules: Rules, cycle, activities, today: date) -> CycleProgress:
    """`cycle` has starts_on, ends_on and carried_in; `activities` are rows (objects or dicts)
    with activity_type, category, credits, ended_on and status."""
    if isinstance(rules, dict):
        rules = Rules.parse(rules)
    span = Span(cycle.starts_on, cycle.ends_on)
    carried_in = Decimal(cycle.carried_in or 0)
    years = cycle_year_spans(span.starts_on, span.ends_on)
    counted, capped = counted_credits(rules, span, activities)
    by_category, by_year, year_totals = _sums(rules, years, counted)
    requirements = _requirements(rules, span, years, carried_in, counted)
    earned = sum((item.credits for item in counted), ZERO)
    shortfalls = sorted(
        (r for r in requirements if not r.met and r.starts_on <= today),
        key=lambda r: (r.due_on, r.label),
    )
    return CycleProgress(
        starts_on=span.starts_on,
        ends_on=span.ends_on,
        unit=rules.unit,
        required_total=rules.total,
        carried_in=carried_in,
        earned=earned,
        total=earned + carried_in,
        capped=capped,
        categories=tuple(
            CategoryProgress(
                c.key, c.name, c.parent, c.minimum, c.per_year_minimum, by_category[c.key]
            )
            for c in rules.categories
        ),
        years=tuple(
            YearProgress(n, y.starts_on, y.ends_on, year_totals[n - 1], by_year[n - 1])
            for n, y in enumerate(years, start=1)
        ),
        requirements=tuple(requirements),
        shortfalls=tuple(shortfalls),
        met_on=_met_on(rules, span, years, carried_in, counted),
        pace=tuple(_pace(rules, span, carried_in, counted, today)),
    )


def carry_over(rules: Rules, result: CycleProgress) -> Decimal:
    """What a finished cycle carries into the next under its rules: the credits above the total,
    no more than were earned in the cycle's last years the rule names, up to its maximum."""
    rule = rules.carry_over
    if rule is None:
        return ZERO
    surplus = result.total - rules.total
    recent = sum((y.credits for y in result.years[-rule.from_last_years :]), ZERO)
    return max(min(surplus, recent, rule.max), ZERO)
