"""Progress read from the database: a cycle's activities in one query, many cycles' in one more,
run through the engine under the rules version each cycle started under.

Every progress page, reminder, document and KPI measure reads progress through these two
functions, so they agree on what counts.
"""

from collections import defaultdict
from datetime import date

from cpd.activities.models import COUNTED, ActivityStatus, CpdActivity
from cpd.progress.engine import CycleProgress, progress
from cpd.schemes.models import CpdCycle
from cpd.schemes.rules import Rules

# What the engine reads of an activity.
ENGINE_FIELDS = ("cycle_id", "activity_type", "category", "credits", "ended_on", "status")


def rules_of(cycle: CpdCycle) -> Rules:
    """The rules `cycle` runs under (its own version, whatever the scheme says today)."""
    return Rules.parse(cycle.version.rules)


def cycle_progress(cycle: CpdCycle, *, today: date) -> CycleProgress:
    """One cycle's progress on `today`; `cycle.version` should be joined by the caller."""
    return progress_of_cycles([cycle], today=today)[cycle.pk]


def progress_of_cycles(cycles, *, today: date) -> dict[int, CycleProgress]:
    """Progress of each cycle in `cycles` (with `version` joined), keyed by cycle id, in one
    query whatever their number. Rules documents shared by many cycles are parsed once."""
    return {pk: counted for pk, (counted, _) in _both(cycles, today, verified=False).items()}


def counted_and_verified(cycles, *, today: date) -> dict[int, tuple[CycleProgress, CycleProgress]]:
    """For each cycle, its progress (every counted activity) and the same sum over its verified
    activities alone (caps applied to those), from the same one query: a progress page shows
    how much of what counts a verifier has checked."""
    return _both(cycles, today, verified=True)


def _both(cycles, today: date, *, verified: bool) -> dict:
    cycles = list(cycles)
    if not cycles:
        return {}
    rows_by_cycle = defaultdict(list)
    rows = CpdActivity.objects.filter(
        cycle_id__in=[cycle.pk for cycle in cycles], status__in=COUNTED
    ).values(*ENGINE_FIELDS)
    for row in rows:
        rows_by_cycle[row["cycle_id"]].append(row)
    parsed: dict[int, Rules] = {}
    results = {}
    for cycle in cycles:
        if cycle.version_id not in parsed:
            parsed[cycle.version_id] = rules_of(cycle)
        rules, rows = parsed[cycle.version_id], rows_by_cycle[cycle.pk]
        counted = progress(rules=rules, cycle=cycle, activities=rows, today=today)
        checked = None
        if verified:
            only = [row for row in rows if row["status"] == ActivityStatus.VERIFIED]
            checked = progress(rules=rules, cycle=cycle, activities=only, today=today)
        results[cycle.pk] = (counted, checked)
    return results
