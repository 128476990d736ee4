"""Importing a past CPD transcript from a CSV: checked whole before anything is written, every
bad row named by its line and column; then every row lands in one transaction, or none does.

A row already in the person's record (the same type, title and dates) is left out, so importing
a file twice adds nothing the second time; the same activity twice in one file is a problem of
the file. Imported activities carry `source=import`, count at once (self-reported, or verified by
the importer) and each gets its line of history.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cpd.activities import selectors
from cpd.activities.models import ActivityStatus, ClaimSource, CpdActivity
from cpd.imports.people import People
from cpd.imports.rows import COLUMNS, REQUIRED, CheckedRow, RowChecker
from psp.csv_files import RowError, read_csv
from psp.history.models import ChangeRecord, SubjectType
from psp.history.services import change_line, diff
from psp.tenancy.permissions import Capability

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2_000
MAX_ROW_ERRORS_SHOWN = 500
RECORDED = ("activity_type", "ended_on", "hours", "items", "category", "credits")


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: list[CheckedRow] = field(default_factory=list)  # what lands (or landed)
    already: list[CheckedRow] = field(default_factory=list)  # in the record before: left out
    imported: bool = False

    @property
    def errors_shown(self) -> list[RowError]:
        return self.errors[:MAX_ROW_ERRORS_SHOWN]

    @property
    def people(self) -> int:
        return len({row.person.pk for row in self.rows})

    @property
    def credits(self):
        return sum((row.fields["credits"] for row in self.rows), start=0)


def transcript_import(*, program, access, by, data: bytes, commit: bool, today=None):
    """Check the file (`commit` False: a preview), or check it and import it. Nothing is
    written unless every row is right."""
    read, errors = read_csv(
        data,
        columns=COLUMNS,
        required=REQUIRED,
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        what="activities",
    )
    if errors:
        return ImportResult(errors=errors)
    unknown = [name for name in read.header if name and name not in COLUMNS]
    if unknown:
        message = f"Unknown column(s): {', '.join(unknown)}. The columns: {', '.join(COLUMNS)}."
        return ImportResult(errors=[RowError(1, "", message)])
    people = People(program=program)
    result = _check(people, access, by, read.rows, today or timezone.localdate())
    if commit and not result.errors and result.rows:
        _save(program, by, people, result.rows)
        result.imported = True
    return result


def _check(people, access, by, rows, today) -> ImportResult:
    checker = RowChecker(
        importer=by,
        others=access.can(Capability.CPD_DEFINE),
        verifies=selectors.can_verify(access),
        people=people,
        members=People.members_by_email(row.get("email") or "" for _line, row in rows),
        today=today,
    )
    result = ImportResult()
    seen: dict[tuple, int] = {}
    for line, row in rows:
        checked, problems = checker.check(line, row)
        result.errors += problems
        if checked is None:
            continue
        if checked.key in seen:
            message = f"The same activity as line {seen[checked.key]} (type, title and dates)."
            result.errors.append(RowError(line, "title", message))
            continue
        seen[checked.key] = line
        result.rows.append(checked)
    existing = _already_recorded(result.rows)
    result.already = [row for row in result.rows if row.key in existing]
    result.rows = [row for row in result.rows if row.key not in existing]
    result.errors.sort(key=_order)
    return result


def _order(error: RowError) -> tuple:
    return error.line, COLUMNS.index(error.column) if error.column in COLUMNS else len(COLUMNS)


def _already_recorded(rows: list[CheckedRow]) -> set[tuple]:
    """The keys of rows the people's records already hold (one query)."""
    if not rows:
        return set()
    ends = [row.fields["ended_on"] for row in rows]
    found = CpdActivity.objects.filter(
        person_id__in={row.person.pk for row in rows}, ended_on__range=(min(ends), max(ends))
    ).values_list("person_id", "activity_type", "title", "started_on", "ended_on")
    return {(p, kind, title.lower(), start, end) for p, kind, title, start, end in found}


@transaction.atomic
def _save(program, by, people, rows: list[CheckedRow]) -> None:
    now = timezone.now()
    activities = [_activity(program, by, people, row, now) for row in rows]
    CpdActivity.objects.bulk_create(activities)
    for activity, row in zip(activities, rows, strict=True):
        row.activity_id = activity.pk
    ChangeRecord.objects.bulk_create(
        [_line(program, by, activity, row) for activity, row in zip(activities, rows, strict=True)]
    )


def _activity(program, by, people, row: CheckedRow, now) -> CpdActivity:
    # A cycle made now starts under the scheme's current rules: those the row was checked by.
    cycle = people.cycle_on(row.person, row.fields["ended_on"])
    verified = row.status == ActivityStatus.VERIFIED
    return CpdActivity(
        program=program,
        person=row.person,
        practice_id=people.person(row.person).practice_id,
        cycle=cycle,
        status=row.status,
        verified_at=now if verified else None,
        verified_by=by if verified else None,
        source=ClaimSource.IMPORT,
        created_by=by,
        created_at=now,
        **row.fields,
    )


def _line(program, by, activity: CpdActivity, row: CheckedRow) -> ChangeRecord:
    how = "as verified" if activity.status == ActivityStatus.VERIFIED else "(self-reported)"
    whose = "" if row.person == by else f" for {row.person.full_name or row.person.email}"
    return change_line(
        program=program,
        practice=activity.practice_id or 0,
        subject_type=SubjectType.CPD_ACTIVITY,
        subject_id=activity.pk,
        what="cpd_activity.imported",
        summary=f"Imported from a past transcript{whose} {how}: {activity.title} (line "
        f"{row.line}); {activity.credits} credits.",
        changes=diff(
            {}, {**{n: getattr(activity, n) for n in RECORDED}, "status": activity.status}
        ),
        by=by,
    )


def example_row(today=None) -> list[str]:
    """The template's example: a workshop of last year, the importer's own (email blank)."""
    day = (today or timezone.localdate()).replace(month=3, day=14)
    day = day.replace(year=day.year - 1)
    example = {
        "type": "workshop",
        "title": "Safer opioid prescribing",
        "provider": "College of Family Physicians",
        "started_on": day.isoformat(),
        "ended_on": day.isoformat(),
        "hours": "3",
        "status": "self_reported",
        "reflection": "Taper plans need a review date; we now book it with the prescription.",
    }
    return [example.get(column, "") for column in COLUMNS]
