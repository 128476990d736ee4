"""Making checklist instances on schedule: each active assignment's practices get the instance
of every period (or event) that has begun, once.

Idempotent by construction: an instance is unique per (template, practice, period key,
revision), the missing ones are found in one read and inserted in bulk, runs of a program take
turns, and an insert of a row that exists is skipped by the database (`ignore_conflicts`), so
running twice, or in two workers at once, makes nothing new. The read is of each practice's
latest checklist of each template (a flag kept on the row, compliance.instances.latest), not of
every checklist: only periods newer than that are looked up.

Each run looks at the period containing the assignment's last run and every one since, so a
practice enrolled into a sector mid-period gets the current period's instance, and a job that
did not run for a while catches up; it never goes back further than that (a practice joining
today gets no checklists for last year).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from compliance.checklists.models import ChecklistTemplate, Recurrence, RecurrenceEvent
from compliance.instances.latest import flagged, newer
from compliance.instances.models import ChecklistInstance
from compliance.schedules.models import ChecklistAssignment
from compliance.schedules.recurrence import (
    Period,
    calendar_periods,
    event_period,
    once_period,
)
from practices.models import Practice, Stage, StageChange

BATCH = 1000


@dataclass(frozen=True)
class _Target:
    practice_id: int
    sector: str
    enrolled_on: date


def _covered(assignment: ChecklistAssignment, practices: list[_Target]) -> list[_Target]:
    if assignment.practice_id:
        return [p for p in practices if p.practice_id == assignment.practice_id]
    if assignment.sector:
        return [p for p in practices if p.sector == assignment.sector]
    return practices


def _since(assignment: ChecklistAssignment, practice: _Target) -> date:
    """The first day whose period this practice can have under this assignment."""
    start = max(assignment.starts_on, practice.enrolled_on)
    if assignment.scheduled_through:
        start = max(start, assignment.scheduled_through)
    return start


def _periods(
    template: ChecklistTemplate,
    assignment: ChecklistAssignment,
    practice: _Target,
    moves: dict[int, list[tuple[int, date]]],
    today: date,
) -> list[Period]:
    """The periods (or events) of this practice under this assignment that have begun by
    `today`: the ones since the last run for calendar recurrences, every matching event since
    the assignment started for event-driven ones (the missing ones are picked out later)."""
    if template.recurrence == Recurrence.ONCE:
        opens = max(assignment.starts_on, practice.enrolled_on)
        return [once_period(opens, template.due_days)] if opens <= today else []
    if template.recurrence != Recurrence.AFTER_EVENT:
        return calendar_periods(
            template.recurrence,
            anchor_month=template.anchor_month,
            starts_on=_since(assignment, practice),
            today=today,
        )
    if template.event == RecurrenceEvent.ENROLMENT:
        enrolled = practice.enrolled_on
        if assignment.starts_on <= enrolled <= today:
            return [event_period("enrolment", "After enrolment", enrolled, template.due_days)]
        return []
    stage_name = dict(Stage.choices).get(template.event_stage, "a new stage")
    return [
        event_period(
            f"stage:{change_id}", f"After moving to {stage_name}", moved_on, template.due_days
        )
        for change_id, moved_on in moves.get(practice.practice_id, [])
        if assignment.starts_on <= moved_on <= today
    ]


def _stage_moves(program, assignments, earliest: date) -> dict[int, list[tuple[int, date]]]:
    """Stage moves since `earliest` for the stage-move templates, by practice: (id, local date).
    One query, only when a stage-move template is assigned."""
    stages = {
        a.template.event_stage
        for a in assignments
        if a.template.recurrence == Recurrence.AFTER_EVENT
        and a.template.event == RecurrenceEvent.STAGE_MOVE
    }
    if not stages:
        return {}
    zone = program.zone
    found: dict[int, list[tuple[int, date]]] = {}
    rows = StageChange.objects.filter(moved_at__date__gte=earliest - timedelta(days=1)).values_list(
        "pk", "practice_id", "to_stage", "moved_at"
    )
    for pk, practice_id, to_stage, moved_at in rows:
        if "" in stages or to_stage in stages:
            found.setdefault(practice_id, []).append((pk, moved_at.astimezone(zone).date()))
    return found


def schedule_instances(*, program, today: date | None = None, practice_ids=None) -> int:
    """Makes the missing instances of every active assignment up to `today` (the program's local
    date by default); returns how many it made.

    With `practice_ids`, only those practices' (a practice just enrolled or moved to a stage
    gets its checklists without waiting for the daily run); the assignments' last run then
    stays where it was, since the other practices were not looked at."""
    today = today or program.local_today()
    assignments = list(
        ChecklistAssignment.objects.filter(
            is_active=True, template__is_active=True, template__current_version__isnull=False
        ).select_related("template")
    )
    if not assignments:
        return 0
    rows = Practice.objects.values_list("pk", "sector", "enrolled_on")
    if practice_ids is not None:
        rows = rows.filter(pk__in=list(practice_ids))
    practices = [_Target(*row) for row in rows]
    earliest = min(a.scheduled_through or a.starts_on for a in assignments)
    moves = _stage_moves(program, assignments, earliest)
    # (template, practice, period key) -> what to make it from; rows are built for the missing
    # ones only (an hourly run wants every practice's current period and makes next to none).
    wanted: dict[tuple[int, int, str], tuple] = {}
    for assignment in assignments:
        template = assignment.template
        for practice in _covered(assignment, practices):
            for period in _periods(template, assignment, practice, moves, today):
                key = (template.pk, practice.practice_id, period.key)
                wanted.setdefault(key, (assignment, practice, period))
    made = _insert_missing(program, assignments, wanted, practice_ids)
    if practice_ids is None:
        ChecklistAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
            scheduled_through=today
        )
    return made


def _instance(program, assignment, practice: _Target, period: Period) -> ChecklistInstance:
    return ChecklistInstance(
        program=program,
        template_id=assignment.template_id,
        version_id=assignment.template.current_version_id,
        practice_id=practice.practice_id,
        assignment=assignment,
        period_key=period.key,
        period_label=period.label,
        opens_on=period.opens_on,
        due_on=period.due_on,
        created_at=timezone.now(),
    )


def _insert_missing(program, assignments, wanted: dict, practice_ids) -> int:
    """Inserts the wanted instances that do not exist yet, each practice's newest of a template
    flagged as its latest (compliance.instances.latest) in the same transaction.

    Bounded by what it makes rather than by what exists: a practice's periods of a template are
    made in order, so a wanted period that opened before the flagged latest of its practice and
    template (or is that one) exists already; only the newer ones are looked up by their unique
    key. An hourly run inside a period reads one flagged row per practice and template."""
    if not wanted:
        return 0
    with transaction.atomic():
        # Runs of a program take turns (the hourly one, a practice's own after enrolment), so
        # each sees what the other made and the flags stay one per practice and template.
        list(
            ChecklistAssignment.objects.select_for_update()
            .filter(pk__in=[a.pk for a in assignments])
            .values_list("pk", flat=True)
        )
        latest = flagged(template_ids={key[0] for key in wanted}, practice_ids=practice_ids)
        candidates = {
            key: wish for key, wish in wanted.items() if not _made_already(key, wish[2], latest)
        }
        if candidates:
            existing = set(
                ChecklistInstance.objects.filter(
                    template_id__in={key[0] for key in candidates},
                    practice_id__in={key[1] for key in candidates},
                    period_key__in={key[2] for key in candidates},
                    revision=1,
                ).values_list("template_id", "practice_id", "period_key")
            )
            candidates = {k: wish for k, wish in candidates.items() if k not in existing}
        missing = [_instance(program, *wish) for wish in candidates.values()]
        _flag_newest(missing, latest)
        for start in range(0, len(missing), BATCH):
            ChecklistInstance.objects.bulk_create(
                missing[start : start + BATCH], ignore_conflicts=True
            )
    return len(missing)


def _made_already(key, period: Period, latest: dict) -> bool:
    found = latest.get(key[:2])
    if found is None:
        return False
    opens_on, _, period_key = found
    return period.opens_on < opens_on or (period.opens_on == opens_on and period.key == period_key)


def _flag_newest(missing: list[ChecklistInstance], latest: dict) -> None:
    """Flags, of each practice and template, the newest of `missing` when it comes after the
    flagged one (which loses its flag). Rows are inserted in list order: a later one gets the
    higher id, so it comes after an earlier one opening the same day."""
    newest: dict[tuple[int, int], ChecklistInstance] = {}
    for row in missing:
        pair = (row.template_id, row.practice_id)
        if pair in newest:
            before = (newest[pair].opens_on, None)
        elif pair in latest:
            before = latest[pair][:2]
        else:
            before = None
        if before is None or newer(row.opens_on, None, *before):
            newest[pair] = row
    replaced = [latest[pair][1] for pair in newest if pair in latest]
    ChecklistInstance.objects.filter(pk__in=replaced).update(is_latest=False)
    for row in newest.values():
        row.is_latest = True
