"""Keeping the stored CPD standings (cpd/progress/models.py) equal to what the progress engine
says.

- `standings_rebuild`: a program's every row computed again with the engine
  (cpd.progress.roster.completion_rows), replaced in one transaction so a page reads either
  the old rows or the new ones. The nightly job runs it (cpd/progress/tasks.py), and a page
  that finds the rows from an earlier day queues it (`standings_queue_catch_up`) and shows the
  rows it has with their date meanwhile: on pace and behind move with the calendar, and who a
  scheme applies to moves with roles and memberships, neither with a CPD write.
- `standings_update`: called by cycles_status_refresh, in the transaction of every activity
  write that can change what counts, with the engine's results it has just worked out: the
  person's row follows their current cycle at once (the cycle itself when it was just made).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cpd.progress.engine import CycleProgress
from cpd.progress.models import CpdStanding, CpdStandingsRun
from cpd.progress.roster import CompletionRow, completion_rows
from cpd.progress.standing import STANDING_ORDER, biggest_shortfall, standing_of

BATCH = 1000


def progress_fields(result: CycleProgress | None, today: date) -> dict:
    """What a row stores of its cycle's progress on `today` (None: no cycle)."""
    standing = standing_of(result, today)
    short = biggest_shortfall(result)
    return {
        "standing": standing.value,
        "rank": STANDING_ORDER.index(standing),
        "unit": result.unit if result else "",
        "credits": result.total if result else None,
        "required": result.required_total if result else None,
        "met_on": result.met_on if result else None,
        "shortfall_kind": short.kind if short else "",
        "shortfall_label": short.label if short else "",
        "shortfall_missing": short.missing if short else None,
        "shortfall_due_on": short.due_on if short else None,
        "computed_on": today,
    }


def _row(program, row: CompletionRow, today: date) -> CpdStanding:
    return CpdStanding(
        program=program,
        person=row.person,
        membership_id=row.membership_id,
        person_name=row.person.full_name,
        person_email=row.person.email,
        practice_id=row.practice_id,
        sector=row.sector,
        scheme=row.scheme,
        cycle=row.cycle,
        **progress_fields(row.result, today),
    )


@transaction.atomic
def standings_rebuild(*, program, today: date | None = None) -> int:
    """Compute every standing of `program` (in scope) again; returns how many people."""
    started = timezone.now()
    today = today or timezone.localdate()
    rows = [_row(program, row, today) for row in completion_rows(program=program, today=today)]
    CpdStanding.objects.all().delete()
    CpdStanding.objects.bulk_create(rows, batch_size=BATCH)
    CpdStandingsRun.objects.update_or_create(
        program=program,
        defaults={"computed_on": today, "computed_at": started, "people": len(rows)},
    )
    return len(rows)


def standings_update(*, cycles, results: dict[int, CycleProgress], today: date) -> None:
    """Bring the rows of the people whose `cycles` (running today) changed up to date from the
    engine's `results` for them; one update per such cycle. A person with no row yet (a scheme
    applies to them since the last rebuild) waits for the next one."""
    for cycle in cycles:
        if cycle.starts_on <= today <= cycle.ends_on:
            CpdStanding.objects.filter(person_id=cycle.person_id, scheme_id=cycle.scheme_id).update(
                cycle=cycle, **progress_fields(results[cycle.pk], today)
            )


def standings_run() -> CpdStandingsRun | None:
    """When the program in scope's standings were last computed in full (None: never)."""
    return CpdStandingsRun.objects.first()


def is_stale(run: CpdStandingsRun | None, today: date) -> bool:
    """Whether the standings were last computed before `today` (or never)."""
    return run is None or run.computed_on < today


def standings_queue_catch_up(*, program, today: date) -> None:
    """Queue the program's rebuild for `today`, once a day whoever asks (the outbox's key)."""
    from cpd.progress.tasks import rebuild_cpd_standings
    from psp.outbox.services import outbox_enqueue

    outbox_enqueue(
        rebuild_cpd_standings, program=program, key=f"cpd-standings:{program.pk}:{today}"
    )
