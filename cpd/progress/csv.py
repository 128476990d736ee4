"""The completion page's rows as CSV: the same people, columns and order as the page."""

import csv

from django.http import HttpResponse

from cpd.schemes.describe import amount

HEADER = [
    "Name",
    "Email",
    "Practice",
    "Sector",
    "Scheme",
    "Cycle starts",
    "Cycle ends",
    "Status",
    "Credits",
    "Required",
    "Unit",
    "Biggest shortfall",
    "Missing",
    "Due on",
    "Met on",
]


def safe_cell(value):
    """A text cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def completion_csv(name: str, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([safe_cell(value) for value in _cells(row)])
    return response


def _cells(row) -> list:
    """`row` is a stored standing (cpd.progress.models.CpdStanding), `cycle` and `practice`
    joined."""
    cycle, short = row.cycle, row.biggest_shortfall
    return [
        row.person.full_name,
        row.person.email,
        row.practice_name,
        row.sector_label,
        row.scheme.name,
        cycle.starts_on.isoformat() if cycle else "",
        cycle.ends_on.isoformat() if cycle else "",
        row.standing_label,
        amount(row.credits) if row.credits is not None else "",
        amount(row.required) if row.required is not None else "",
        row.unit,
        short.label if short else "",
        amount(short.missing) if short else "",
        short.due_on.isoformat() if short else "",
        row.met_on.isoformat() if row.met_on else "",
    ]
