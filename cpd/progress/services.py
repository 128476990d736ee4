"""Keeping a cycle's stored status in step with its progress.

`CpdCycle.status` and `met_on` are what lists, reminders and certificates read without running
the engine: MET (with the day the last requirement was met) once every requirement is met, OPEN
again if a change takes that away (an activity rejected, deleted or moved to another cycle). The
CPD activity services call `cycles_status_refresh` in their own transaction after every write
that can change what counts, so no path leaves a status behind; the same call brings the
person's stored standing (cpd/progress/standings.py) up to date from the same results.

A cycle that has ended keeps its status (it was closed, or is read as it stood when it ended);
only its `met_on` follows the activities, since a late correction can still move that day.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cpd.progress.selectors import progress_of_cycles
from cpd.progress.standings import standings_update
from cpd.schemes.models import CpdCycle, CycleStatus


@transaction.atomic
def cycles_status_refresh(*, program, cycle_ids, today: date | None = None) -> list[CpdCycle]:
    """Work out again the status of the cycles `cycle_ids` (Nones are skipped) from their
    progress on `today`, saving those that changed, and the stored standing of those running
    today; returns the cycles changed. Two queries (the locked cycles, their activities), one
    update per changed cycle and one per cycle running today."""
    ids = sorted({pk for pk in cycle_ids if pk is not None})
    if not ids:
        return []
    today = today or timezone.localdate()
    # Locked, so two writes to one person's activities at once settle the status in turn.
    cycles = list(
        CpdCycle.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("version")
    )
    results = progress_of_cycles(cycles, today=today)
    changed = []
    for cycle in cycles:
        status, met_on = _status(cycle, results[cycle.pk].met_on, today)
        if (status, met_on) != (cycle.status, cycle.met_on):
            cycle.status, cycle.met_on = status, met_on
            cycle.save(update_fields=["status", "met_on"])
            changed.append(cycle)
    standings_update(cycles=cycles, results=results, today=today)
    return changed


def _status(cycle: CpdCycle, met_on: date | None, today: date) -> tuple[str, date | None]:
    """The stored status and met day a cycle should have, given the day its requirements were
    all met (None: not all are)."""
    if cycle.status == CycleStatus.CLOSED or cycle.ends_on < today:
        return cycle.status, met_on
    return (CycleStatus.MET if met_on else CycleStatus.OPEN), met_on
