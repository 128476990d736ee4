"""Writing entered KPI values: many at once (a grid, a CSV, an API call), checked whole first and
saved whole or not at all, with a line of history for each value that changed and one request
to refresh the program's KPI summaries per write.

Bulk reads and writes: one read of the values already there, one insert of the new ones, one
update of the changed ones and one insert of their history, however many rows come in."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kpis.models import KpiDefinition, KpiValue
from kpis.refresh.services import kpis_request_refresh
from kpis.values.periods import period_label
from kpis.values.validation import check_value
from psp.history.models import ChangeRecord, SubjectType
from psp.history.services import change_line
from psp.tenancy.base import ensure_in_program

STORED_FIELDS = ("value", "numerator", "denominator", "note")


@dataclass
class Entry:
    """One value to save, as it came in: the numbers are still text (or numbers from JSON)."""

    definition: KpiDefinition
    practice: object
    period: date | None
    value: object = None
    numerator: object = None
    denominator: object = None
    note: str | None = None  # None: keep the note the value has (the grid has no notes)


@dataclass(frozen=True)
class Problem:
    """Why entry `index` (0-based, in the order given) cannot be saved."""

    index: int
    field: str
    message: str


class EntriesInvalid(ValidationError):
    """Some entries cannot be saved (so none is): `problems` says which and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__({p.field: [p.message] for p in reversed(problems)})


@dataclass
class Plan:
    """What saving the entries would do: the rows to insert, to change (with their values
    before) and the number already as given."""

    new: list[KpiValue] = field(default_factory=list)
    changed: list[tuple[KpiValue, dict]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    saved: list[KpiValue] = field(default_factory=list)  # every entry's row, in order

    @property
    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "updated": len(self.changed), "unchanged": self.unchanged}


def _key(definition_id: int, practice_id: int, period: date) -> tuple:
    return (definition_id, practice_id, period)


def _existing(entries: Sequence[Entry]) -> dict[tuple, KpiValue]:
    periods = [e.period for e in entries if e.period is not None]
    if not periods:
        return {}
    rows = KpiValue.objects.filter(
        definition_id__in={e.definition.pk for e in entries},
        practice_id__in={e.practice.pk for e in entries},
        period__gte=min(periods),
        period__lte=max(periods),
    ).only("id", "definition_id", "practice_id", "period", *STORED_FIELDS)
    return {_key(r.definition_id, r.practice_id, r.period): r for r in rows}


def kpi_values_check(*, program, entries: Sequence[Entry], today: date | None = None) -> Plan:
    """Check every entry and work out what saving them would change, writing nothing."""
    today = today or timezone.localdate()
    plan, seen = Plan(), {}
    existing = _existing(entries)
    for index, entry in enumerate(entries):
        ensure_in_program(program, entry.practice, entry.definition)
        checked = check_value(
            entry.definition,
            entry.practice,
            entry.period,
            value=entry.value,
            numerator=entry.numerator,
            denominator=entry.denominator,
            note=entry.note or "",
            today=today,
        )
        if entry.period is None and not any(w == "period" for w, _ in checked.errors):
            checked.add("period", "Give the period, e.g. 2026-03 (or 2026-Q1 for a quarter).")
        key = _key(entry.definition.pk, entry.practice.pk, entry.period)
        if not checked.errors and key in seen:
            shown = period_label(entry.period, entry.definition.frequency)
            checked.add(
                "period",
                f"{entry.definition.name} for {shown} is given twice.",
            )
        plan.problems += [Problem(index, where, message) for where, message in checked.errors]
        if checked.errors:
            continue
        seen[key] = index
        _plan_row(plan, existing.get(key), entry, checked)
    return plan


def _plan_row(plan: Plan, row: KpiValue | None, entry: Entry, checked) -> None:
    after = {name: getattr(checked, name) for name in STORED_FIELDS}
    if entry.note is None:
        after["note"] = row.note if row is not None else ""
    if row is None:
        row = KpiValue(
            definition=entry.definition, practice=entry.practice, period=entry.period, **after
        )
        plan.new.append(row)
    else:
        before = {name: getattr(row, name) for name in STORED_FIELDS}
        if before == after:
            plan.unchanged += 1
        else:
            for name, value in after.items():
                setattr(row, name, value)
            row.definition, row.practice = entry.definition, entry.practice
            plan.changed.append((row, before))
    plan.saved.append(row)


def kpi_values_save(
    *, program, practice=None, entries: Sequence[Entry], by, origin: str, today=None
) -> Plan:
    """Upsert the entries (all of one practice when `practice` is given) in one transaction:
    all of them, or (EntriesInvalid) none. Returns what was done."""
    if practice is not None:
        ensure_in_program(program, practice)
        for entry in entries:
            entry.practice = practice
    with transaction.atomic():
        plan = kpi_values_check(program=program, entries=entries, today=today)
        if plan.problems:
            raise EntriesInvalid(plan.problems)
        if not plan.new and not plan.changed:
            return plan
        now = timezone.now()
        for row in plan.new:
            row.program, row.origin, row.entered_by, row.updated_at = program, origin, by, now
        KpiValue.objects.bulk_create(plan.new, batch_size=1000)
        for row, _ in plan.changed:
            row.origin, row.entered_by, row.updated_at = origin, by, now
        KpiValue.objects.bulk_update(
            [row for row, _ in plan.changed],
            [*STORED_FIELDS, "origin", "entered_by", "updated_at"],
            batch_size=1000,
        )
        ChangeRecord.objects.bulk_create(
            [_history_line(program, row, before, by) for row, before in plan.changed],
            batch_size=1000,
        )
        kpis_request_refresh(program=program, reason=f"{origin} KPI values")
    return plan


def _history_line(program, row: KpiValue, before: dict, by) -> ChangeRecord:
    definition = row.definition
    changes = {name: [before[name], getattr(row, name)] for name in STORED_FIELDS}
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    shown = " → ".join(_plain(v) for v in (before["value"], row.value))
    return change_line(
        program=program,
        practice=row.practice_id,
        subject_type=SubjectType.KPI_VALUE,
        subject_id=row.pk,
        what="kpi_value.changed",
        summary=f"{definition.name}, {period_label(row.period, definition.frequency)}: {shown}",
        changes=changes,
        by=by,
    )


def _plain(number) -> str:
    return "none" if number is None else f"{number.normalize():f}"
