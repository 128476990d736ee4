"""Reads for the dose of support: logged visits, their minutes and travel, grouped by practice,
coach, month, quarter, mode or support activity. Planned and cancelled visits never count.

Every report is a fixed handful of grouped queries (totals, then the groups), whatever the
number of visits; months and quarters are filled in, so a period with no visits shows as zero.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from coaching.visits.models import Activity, Visit, VisitActivity, VisitMode, VisitStatus
from psp.charts import ColumnChart, column_chart
from psp.dates import EARLIEST_DATE, LATEST_DATE, OUT_OF_RANGE_MESSAGE
from psp.tenancy.permissions import Capability

VIEW = Capability.VISIT_VIEW

GROUPINGS = {
    "month": "Month",
    "quarter": "Quarter",
    "coach": "Coach",
    "practice": "Practice",
    "mode": "Mode",
    "activity": "Activity",
}


# Periods ------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def months_back(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


# The periods a dose or a timeline may cover: ten years of history (DESIGN 8), within the dates
# anyone may enter (psp/dates.py). Past them the month and quarter rows would run into millions.
MAX_PERIOD_DAYS = 3653


def period_errors(date_from: date | None, date_to: date | None) -> dict[str, str]:
    """What is wrong with a period (field name -> message); empty when it is fine."""
    errors = {}
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            errors[name] = OUT_OF_RANGE_MESSAGE
    if errors or date_from is None or date_to is None:
        return errors
    if date_from > date_to:
        errors["date_to"] = "The end of the period must not be before its start."
    elif (date_to - date_from).days > MAX_PERIOD_DAYS:
        errors["date_to"] = "A period can be at most ten years long."
    return errors


def last_twelve_months(today: date | None = None) -> tuple[date, date]:
    """From the first day of the month eleven months ago to today: twelve calendar months."""
    today = today or timezone.localdate()
    return months_back(today, 11), today


def quarter_label(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _months(first: date, last: date) -> list[date]:
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = months_back(current, -1)
    return months


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


_SUMS = {"visits": Count("pk"), "minutes": Sum("duration_minutes"), "travel": Sum("travel_minutes")}


# Which visits ---------------------------------------------------------------------------------


def logged_visits(
    *,
    access,
    date_from: date,
    date_to: date,
    practice_id=None,
    practice_name=None,
    coach_id=None,
    sector=None,
) -> QuerySet[Visit]:
    """Logged visits of the practices whose visits the person may see, within the period
    (`practice_name`: of the practices whose name contains each of its words)."""
    queryset = Visit.objects.filter(
        access.practice_filter(VIEW, "practice_id"),
        status=VisitStatus.LOGGED,
        visit_date__gte=date_from,
        visit_date__lte=date_to,
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


# Groupings ------------------------------------------------------------------------------------


def _total(visits: QuerySet[Visit]) -> Dose:
    return _dose(visits.aggregate(**_SUMS))


def _by_month(visits, first: date, last: date) -> list[DoseRow]:
    found = {
        row["month"]: _dose(row)
        for row in visits.annotate(month=TruncMonth("visit_date"))
        .values("month")
        .annotate(**_SUMS)
        .order_by()
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


def _by_mode(visits) -> list[DoseRow]:
    found = {row["mode"]: _dose(row) for row in visits.values("mode").annotate(**_SUMS).order_by()}
    return [DoseRow(value, label, found.get(value, Dose())) for value, label in VisitMode.choices]


def _by_activity(visits) -> list[DoseRow]:
    found = {
        row["activity"]: Dose(row["visits"], row["minutes"] or 0, 0)
        for row in VisitActivity.objects.filter(visit__in=visits.values("pk"))
        .values("activity")
        .annotate(visits=Count("visit_id", distinct=True), minutes=Sum("minutes"))
        .order_by()
    }
    return [DoseRow(value, label, found.get(value, Dose())) for value, label in Activity.choices]


def _by_coach(visits) -> list[DoseRow]:
    rows = (
        visits.values("coach_id", "coach__full_name", "coach__email")
        .annotate(**_SUMS)
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
        .annotate(**_SUMS)
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
    """Logged visits in the period, in total and grouped by `group_by` (one of GROUPINGS).
    Two queries."""
    if group_by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {group_by!r}")
    visits = logged_visits(
        access=access,
        date_from=date_from,
        date_to=date_to,
        practice_id=practice_id,
        practice_name=practice_name,
        coach_id=coach_id,
        sector=sector,
    )
    if group_by == "month":
        rows = _by_month(visits, date_from, date_to)
    elif group_by == "quarter":
        rows = _by_quarter(visits, date_from, date_to)
    elif group_by == "mode":
        rows = _by_mode(visits)
    elif group_by == "activity":
        rows = _by_activity(visits)
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
    """A practice's logged visits over the last twelve months (or `period`): in total, by
    quarter, by mode and by support activity. Four queries; the caller has checked VISIT_VIEW
    on the practice."""
    date_from, date_to = period or last_twelve_months(today)
    visits = Visit.objects.filter(
        practice=practice,
        status=VisitStatus.LOGGED,
        visit_date__gte=date_from,
        visit_date__lte=date_to,
    )
    return PracticeDose(
        date_from=date_from,
        date_to=date_to,
        total=_total(visits),
        by_quarter=with_bars(_by_quarter(visits, date_from, date_to)),
        by_mode=with_bars(_by_mode(visits)),
        by_activity=with_bars(_by_activity(visits)),
    )
