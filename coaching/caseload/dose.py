"""Reads for the dose of support: logged visits, their minutes and travel, grouped by practice,
coach, month, quarter, mode or support activity. Planned and cancelled visits never count.

The reads sum the stored monthly summary (coaching/dose/models.py), never the visits: its rows
grow with practices and months, not with visits. The program-wide dose by month, quarter, mode
or coach sums the coaches' rollup instead (a few rows per coach and month), so a program's year
reads thousands of rows at 10,000 practices, not half a million. Periods are whole months, the
summaries' grain: a period asked for in days is counted from the first day of its first month to
the last day of its last month, and the pages and the API say so. Every report is a fixed handful of
grouped queries (totals, then the groups); months and quarters are filled in, so a period with
no visits shows as zero.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse

from coaching.dose.models import DoseActivityMonth, DoseCoachMonth, DoseMonth
from coaching.dose.periods import (  # the periods' rules, where the dose's readers look for them
    MAX_PERIOD_DAYS,
    _months,
    last_twelve_months,
    month_start,
    months_back,
    months_text,
    period_errors,
    quarter_label,
    quarter_start,
    whole_months,
)
from coaching.visits.models import Activity, VisitMode
from practices import derived
from psp.charts import ColumnChart, column_chart
from psp.tenancy.permissions import Capability, Reach

VIEW = Capability.VISIT_VIEW
__all__ = [
    "MAX_PERIOD_DAYS",
    "last_twelve_months",
    "month_start",
    "months_back",
    "period_errors",
    "quarter_label",
    "quarter_start",
]

GROUPINGS = {
    "month": "Month",
    "quarter": "Quarter",
    "coach": "Coach",
    "practice": "Practice",
    "mode": "Mode",
    "activity": "Activity",
}


# Numbers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dose:
    visits: int = 0
    minutes: int = 0
    travel: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def travel_hours(self) -> float:
        return round(self.travel / 60, 1)

    def __add__(self, other: "Dose") -> "Dose":
        return Dose(
            self.visits + other.visits, self.minutes + other.minutes, self.travel + other.travel
        )


@dataclass
class DoseRow:
    key: str
    label: str
    dose: Dose
    pct: int = 0  # the bar's width: minutes against the largest row, in steps of 5
    url: str = ""

    @property
    def visits(self) -> int:
        return self.dose.visits

    @property
    def minutes(self) -> int:
        return self.dose.minutes

    @property
    def travel(self) -> int:
        return self.dose.travel

    @property
    def hours(self) -> float:
        return self.dose.hours


@dataclass
class DoseReport:
    group_by: str
    date_from: date
    date_to: date
    total: Dose
    rows: list[DoseRow] = field(default_factory=list)

    @property
    def group_label(self) -> str:
        return GROUPINGS[self.group_by]

    @property
    def months_text(self) -> str:
        return months_text(self.date_from, self.date_to)

    @property
    def has_travel(self) -> bool:
        """Travel belongs to a visit, not to the activities within it."""
        return self.group_by != "activity"


def with_bars(rows: list[DoseRow]) -> list[DoseRow]:
    largest = max((row.minutes for row in rows), default=0)
    for row in rows:
        pct = round(row.minutes / largest * 20) * 5 if largest else 0
        row.pct = max(pct, 5) if row.minutes else 0
    return rows


def _dose(row: dict) -> Dose:
    return Dose(row.get("visits") or 0, row.get("minutes") or 0, row.get("travel") or 0)


# Over visits (the program report reads them so); the dose pages sum the summary's rows.
_SUMS = {"visits": Count("pk"), "minutes": Sum("duration_minutes"), "travel": Sum("travel_minutes")}
_SUMMARY_SUMS = {"visits": Sum("visits"), "minutes": Sum("minutes"), "travel": Sum("travel")}
_ACTIVITY_SUMS = {"visits": Sum("visits"), "minutes": Sum("minutes")}


# Which summary rows -----------------------------------------------------------------------------


def summary_rows(
    model=DoseMonth,
    *,
    access,
    date_from: date,
    date_to: date,
    practice_id=None,
    practice_name=None,
    coach_id=None,
    sector=None,
) -> QuerySet:
    """Summary rows (`model`: DoseMonth or DoseActivityMonth) of the practices whose visits the
    person may see, for the months of the period (`practice_name`: of the practices whose name
    contains each of its words). Visits written earlier in this transaction are summed in
    first (derived.flush_pending), so a read always sees its own writes."""
    derived.flush_pending()
    queryset = model.objects.filter(
        access.practice_filter(VIEW, "practice_id"),
        month__gte=month_start(date_from),
        month__lte=date_to,
    )
    if practice_id:
        queryset = queryset.filter(practice_id=practice_id)
    for word in (practice_name or "").split():
        queryset = queryset.filter(practice__name__icontains=word)
    if coach_id:
        queryset = queryset.filter(coach_id=coach_id)
    if sector:
        queryset = queryset.filter(practice__sector=sector)
    return queryset


def coach_rows(*, date_from: date, date_to: date, coach_id=None) -> QuerySet:
    """Rows of the coaches' rollup (DoseCoachMonth) for the months of the period: the whole
    program's dose at a few rows per coach and month, whatever the number of practices.
    Only for someone who sees every practice's visits."""
    derived.flush_pending()
    queryset = DoseCoachMonth.objects.filter(month__gte=month_start(date_from), month__lte=date_to)
    if coach_id:
        queryset = queryset.filter(coach_id=coach_id)
    return queryset


def _program_wide(access, group_by, practice_id, practice_name, sector) -> bool:
    """Whether the rollup answers: every practice counted, and a grouping it keeps."""
    return (
        Reach.PROGRAM in access.reaches(VIEW)
        and group_by in ("month", "quarter", "mode", "coach")
        and not (practice_id or practice_name or sector)
    )


# Groupings ------------------------------------------------------------------------------------


def _total(rows: QuerySet) -> Dose:
    return _dose(rows.aggregate(**_SUMMARY_SUMS))


def _by_month(rows, first: date, last: date) -> list[DoseRow]:
    found = {
        row["month"]: _dose(row)
        for row in rows.values("month").annotate(**_SUMMARY_SUMS).order_by()
    }
    return [
        DoseRow(f"{month:%Y-%m}", f"{month:%b %Y}", found.get(month, Dose()))
        for month in _months(first, last)
    ]


def _by_quarter(visits, first: date, last: date) -> list[DoseRow]:
    rows: dict[str, DoseRow] = {}
    for month in _by_month(visits, first, last):
        day = date.fromisoformat(month.key + "-01")
        label = quarter_label(day)
        if label not in rows:
            rows[label] = DoseRow(label.replace(" ", "-"), label, Dose())
        rows[label].dose = rows[label].dose + month.dose
    return list(rows.values())


def _by_mode(rows) -> list[DoseRow]:
    found = {
        row["mode"]: _dose(row) for row in rows.values("mode").annotate(**_SUMMARY_SUMS).order_by()
    }
    return [DoseRow(value, label, found.get(value, Dose())) for value, label in VisitMode.choices]


def _by_activity(rows) -> list[DoseRow]:
    """`rows`: DoseActivityMonth rows."""
    found = {
        row["activity"]: Dose(row["visits"] or 0, row["minutes"] or 0, 0)
        for row in rows.values("activity").annotate(**_ACTIVITY_SUMS).order_by()
    }
    return [DoseRow(value, label, found.get(value, Dose())) for value, label in Activity.choices]


def _by_coach(visits) -> list[DoseRow]:
    rows = (
        visits.values("coach_id", "coach__full_name", "coach__email")
        .annotate(**_SUMMARY_SUMS)
        .order_by("coach__full_name", "coach__email")
    )
    return [
        DoseRow(
            str(row["coach_id"] or ""),
            row["coach__full_name"] or row["coach__email"] or "No coach recorded",
            _dose(row),
        )
        for row in rows
    ]


def _by_practice(visits, program_slug: str) -> list[DoseRow]:
    rows = (
        visits.values("practice_id", "practice__name")
        .annotate(**_SUMMARY_SUMS)
        .order_by("practice__name", "practice_id")
    )
    return [
        DoseRow(
            str(row["practice_id"]),
            row["practice__name"],
            _dose(row),
            url=reverse(
                "practice_coaching:dose",
                kwargs={"program": program_slug, "practice_pk": row["practice_id"]},
            ),
        )
        for row in rows
    ]


def dose_report(
    *,
    access,
    group_by: str = "month",
    date_from: date,
    date_to: date,
    practice_id=None,
    practice_name=None,
    coach_id=None,
    sector=None,
) -> DoseReport:
    """Logged visits in the whole months of the period, in total and grouped by `group_by`
    (one of GROUPINGS). Two queries."""
    if group_by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {group_by!r}")
    date_from, date_to = whole_months(date_from, date_to)
    filters = {
        "access": access,
        "date_from": date_from,
        "date_to": date_to,
        "practice_id": practice_id,
        "practice_name": practice_name,
        "coach_id": coach_id,
        "sector": sector,
    }
    if _program_wide(access, group_by, practice_id, practice_name, sector):
        visits = coach_rows(date_from=date_from, date_to=date_to, coach_id=coach_id)
    else:
        visits = summary_rows(DoseMonth, **filters)
    if group_by == "month":
        rows = _by_month(visits, date_from, date_to)
    elif group_by == "quarter":
        rows = _by_quarter(visits, date_from, date_to)
    elif group_by == "mode":
        rows = _by_mode(visits)
    elif group_by == "activity":
        rows = _by_activity(summary_rows(DoseActivityMonth, **filters))
    elif group_by == "coach":
        rows = _by_coach(visits)
    else:
        rows = _by_practice(visits, access.program.slug)
    return DoseReport(
        group_by=group_by,
        date_from=date_from,
        date_to=date_to,
        total=_total(visits),
        rows=with_bars(rows),
    )


# One practice ---------------------------------------------------------------------------------


@dataclass
class PracticeDose:
    date_from: date
    date_to: date
    total: Dose
    by_quarter: list[DoseRow]
    by_mode: list[DoseRow]
    by_activity: list[DoseRow]

    @property
    def months_text(self) -> str:
        return months_text(self.date_from, self.date_to)

    @property
    def sections(self) -> list[tuple[str, str, list[DoseRow]]]:
        """(key, heading, rows) of each breakdown, as the page and the CSV show them."""
        return [
            ("quarter", "Quarter", self.by_quarter),
            ("mode", "Mode", self.by_mode),
            ("activity", "Activity", self.by_activity),
        ]

    @property
    def quarter_chart(self) -> ColumnChart:
        return quarter_chart(self.by_quarter)


def hours_text(hours) -> str:
    """A number of hours for a chart: 2.5 -> "2.5 h", 3.0 -> "3 h"."""
    return f"{round(float(hours), 1):g} h"


def quarter_chart(rows: list[DoseRow]) -> ColumnChart:
    """Hours of logged visits per quarter as columns: the chart of the practice's dose page and
    of its report card (one drawing for both)."""
    return column_chart(((row.label, row.minutes / 60) for row in rows), unit_text=hours_text)


def practice_dose(
    *, practice, today: date | None = None, period: tuple[date, date] | None = None
) -> PracticeDose:
    """A practice's logged visits over the last twelve months (or the whole months of
    `period`): in total, by quarter, by mode and by support activity. Four queries; the caller
    has checked VISIT_VIEW on the practice."""
    date_from, date_to = whole_months(*(period or last_twelve_months(today)))
    derived.flush_pending()
    months = {"practice": practice, "month__gte": date_from, "month__lte": date_to}
    rows = DoseMonth.objects.filter(**months)
    return PracticeDose(
        date_from=date_from,
        date_to=date_to,
        total=_total(rows),
        by_quarter=with_bars(_by_quarter(rows, date_from, date_to)),
        by_mode=with_bars(_by_mode(rows)),
        by_activity=with_bars(_by_activity(DoseActivityMonth.objects.filter(**months))),
    )
