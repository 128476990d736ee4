"""Reading a CSV of KPI values: many practices and periods at once, checked whole before anything
is saved, every bad row named by its line and why.

Columns: practice_id, kpi (the KPI's code), period (2026-03, or 2026-Q1 for a quarterly KPI),
value, numerator, denominator (a ratio KPI's two figures; its value is worked out), note.
Every practice must be one the importer may enter values for. Lookups are bulk: one query for
the practices, one for the KPIs, one for the values already there."""

from dataclasses import dataclass, field

from django.utils import timezone

from kpis.models import ValueOrigin
from kpis.values import selectors
from kpis.values.periods import period_code, recent_periods
from kpis.values.rows import resolve_rows
from kpis.values.services import EntriesInvalid, Plan, kpi_values_check, kpi_values_save
from practices.selectors import practices_in_reach
from psp.csv_files import RowError, read_csv
from psp.tenancy.permissions import Capability

COLUMNS = ["practice_id", "kpi", "period", "value", "numerator", "denominator", "note"]
REQUIRED = {"practice_id", "kpi", "period"}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ROW_ERRORS_SHOWN = 1000


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)  # about the file as a whole: line 0
    rows: int = 0
    plan: Plan | None = None
    imported: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return self.plan.counts if self.plan else {"new": 0, "updated": 0, "unchanged": 0}

    @property
    def errors_shown(self) -> list[RowError]:
        return self.errors[:MAX_ROW_ERRORS_SHOWN]


def read_rows(data: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """(line, row) for each data row, or the reason the file cannot be read at all (the reading
    is the core's, psp/csv_files.py, shared with the CPD transcript import)."""
    read, errors = read_csv(
        data,
        columns=COLUMNS,
        required=REQUIRED,
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        what="rows of values",
    )
    return (read.rows if read else []), errors


def csv_import(*, program, access, by, data: bytes, commit: bool) -> ImportResult:
    """Check the whole file; when `commit`, and nothing is wrong, save every row in one
    transaction. Nothing is saved when any row is wrong."""
    rows, file_errors = read_rows(data)
    result = ImportResult(errors=file_errors, rows=len(rows))
    if file_errors:
        return result
    entries, lines, problems = resolve_rows(access, rows)
    errors = [RowError(line, column, message) for line, column, message in problems]
    if commit and not errors:
        # Saving checks every row first, inside its transaction: no separate pass.
        try:
            result.plan = kpi_values_save(
                program=program, entries=entries, by=by, origin=ValueOrigin.IMPORTED
            )
        except EntriesInvalid as error:
            result.errors = _sorted(
                [RowError(lines[p.index], p.field, p.message) for p in error.problems]
            )
            return result
        result.imported = True
        return result
    result.plan = kpi_values_check(program=program, entries=entries)
    errors += [RowError(lines[p.index], p.field, p.message) for p in result.plan.problems]
    result.errors = _sorted(errors)
    return result


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(
        errors, key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else 9)
    )


def template_rows(*, access) -> list[list[str]]:
    """A template to fill in: the header, then a row per entered KPI for one of the person's
    practices and the last month (or quarter), the figures left blank."""
    practice = (
        practices_in_reach(access=access, capability=Capability.KPI_ENTER).order_by("name").first()
    )
    rows = [COLUMNS]
    if practice is None:
        return rows
    today = timezone.localdate()
    for definition in selectors.entered_definitions(sector=practice.sector):
        period = recent_periods(today, definition.frequency, 1, back=1)[0]
        rows.append(
            [
                str(practice.pk),
                definition.code,
                period_code(period, definition.frequency),
                "",
                "",
                "",
                "",
            ]
        )
    return rows
