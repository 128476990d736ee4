"""CPD on pace as a KPI measure: of the people under a CPD scheme at the practice, the percent
whose cycle was on pace at the month's end (today, for the month under way).

On pace: the credits of their cycle running at the month's end, earned by that day (with what
was carried in), are at least the steady pace to the cycle's total: the total × the share of the
cycle's days gone by, as the progress pages draw the pace line (engine._pace). Credits are
counted as the engine counts them (counted statuses, inside the cycle, caps in date order). Only
the total sets the pace; per-year and category minimums are the reminders' and progress pages'.
Someone with no cycle running at the month's end had recorded nothing in one yet (a cycle is
made with the first activity in it) and is not on pace. A completion rate of cycles ending in
the month would leave most months empty (cycles last one to five years); the share on pace
answers, every month, how many are on their way to completing.

People are counted at the practice their CPD is filed under (cpd/schemes/people.py), and from
the month of the program's first counted CPD activity, as the credits measures are.
"""

from bisect import bisect_right
from collections import defaultdict
from datetime import date
from decimal import Decimal
from itertools import accumulate

from django.utils import timezone

from cpd.activities.measures import first_counted_month
from cpd.activities.models import COUNTED, CpdActivity
from cpd.progress.engine import counted_credits
from cpd.progress.selectors import ENGINE_FIELDS
from cpd.schemes.dates import Span
from cpd.schemes.models import CpdCycle
from cpd.schemes.people import FiledPerson, people_under_schemes
from cpd.schemes.rules import Rules
from psp.measures.periods import Months, month_last_day, program_compute, ratio
from psp.measures.registry import Aggregation, Direction, Measure, Unit

PERCENT = 100
CENT = Decimal("0.01")


class CycleCredits:
    """One cycle's counted credits by date, to read its total on any day without a query."""

    def __init__(self, cycle: CpdCycle, rules: Rules, activities):
        self.cycle = cycle
        self.total_required = rules.total
        counted, _capped = counted_credits(rules, Span(cycle.starts_on, cycle.ends_on), activities)
        self.days = [item.ended_on for item in counted]
        self.running = list(accumulate((item.credits for item in counted), initial=Decimal(0)))

    def total_on(self, day: date) -> Decimal:
        return self.running[bisect_right(self.days, day)] + Decimal(self.cycle.carried_in)

    def pace_on(self, day: date) -> Decimal:
        cycle = self.cycle
        days = (cycle.ends_on - cycle.starts_on).days + 1
        elapsed = (day - cycle.starts_on).days + 1
        return (self.total_required * elapsed / days).quantize(CENT)

    def on_pace(self, day: date) -> bool:
        return self.total_on(day) >= self.pace_on(day)


def _cycles(people: list[FiledPerson], first: date, last: date) -> dict[int, list[CycleCredits]]:
    """Person id -> their cycles overlapping the days from `first` to `last`, with counted
    credits. Two queries: the cycles, then their activities."""
    cycles = list(
        CpdCycle.objects.filter(
            person_id__in=[person.person_id for person in people],
            starts_on__lte=last,
            ends_on__gte=first,
        )
        .select_related("version")
        .order_by("person_id", "starts_on", "pk")
    )
    rows = defaultdict(list)
    activities = CpdActivity.objects.filter(
        cycle_id__in=[cycle.pk for cycle in cycles], status__in=COUNTED
    ).values(*ENGINE_FIELDS)
    for row in activities:
        rows[row["cycle_id"]].append(row)
    parsed: dict[int, Rules] = {}
    found = defaultdict(list)
    for cycle in cycles:
        if cycle.version_id not in parsed:
            parsed[cycle.version_id] = Rules.parse(cycle.version.rules)
        found[cycle.person_id].append(CycleCredits(cycle, parsed[cycle.version_id], rows[cycle.pk]))
    return found


def _running_on(cycles: list[CycleCredits], day: date, scheme_id: int) -> CycleCredits | None:
    """The person's cycle containing `day`: under their scheme if they have one then, else the
    latest started (a cycle under a scheme they have since left)."""
    containing = [c for c in cycles if c.cycle.starts_on <= day <= c.cycle.ends_on]
    own = [c for c in containing if c.cycle.scheme_id == scheme_id]
    return (own or containing or [None])[-1]


@program_compute
def on_pace_compute(program, *, months: Months, practice_ids, today: date | None = None):
    """Per practice and month: 100 × people on pace / people under a scheme. Seven queries:
    the people (four), the first month, the cycles and their activities."""
    today = today or timezone.localdate()
    wanted = None if practice_ids is None else set(practice_ids)
    people = [p for p in people_under_schemes() if wanted is None or p.practice_id in wanted]
    first = first_counted_month()
    if not people or first is None:
        return []
    ends = {
        month: min(month_last_day(month), today)
        for month in months
        if month >= first and month <= today
    }
    if not ends:
        return []
    cycles = _cycles(people, min(ends.values()), max(ends.values()))
    counts = defaultdict(lambda: [0, 0])  # (practice, month) -> [on pace, people]
    for person in people:
        for month, end in ends.items():
            running = _running_on(cycles[person.person_id], end, person.scheme_id)
            count = counts[person.practice_id, month]
            count[0] += running is not None and running.on_pace(end)
            count[1] += 1
    return [
        ratio(practice_id, month, PERCENT * on_pace, counted)
        for (practice_id, month), (on_pace, counted) in counts.items()
    ]


MEASURES = [
    Measure(
        code="cpd-on-pace",
        name="People on pace with CPD",
        description="Percent of the people under a CPD scheme at the practice whose cycle, at "
        "the month's end, had at least the credits of a steady pace to its total (the share of "
        "the cycle gone by × the total); someone with no cycle under way is not on pace.",
        unit=Unit.PERCENT,
        direction=Direction.HIGHER,
        aggregation=Aggregation.RATIO,
        compute=on_pace_compute,
        app="cpd",
        group="CPD",
        sources=("cpd.CpdActivity", "cpd.CpdCycle", "cpd.CpdScheme"),
    )
]
