"""The coaching dose as KPI measures: logged visits and their hours per practice and month, in all,
by support activity and by mode, and the days since a practice's last logged visit.

Counted as the dose pages count it (coaching/caseload/dose.py): only logged visits, by the day of
the visit; planned and cancelled visits never count. Hours are the visit's duration (travel is
not coaching time); an activity's hours are the minutes the visit recorded against it.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coaching.visits.models import Activity, Visit, VisitActivity, VisitMode, VisitStatus
from psp.measures.periods import Months, for_practices, month_last_day, plain, program_compute
from psp.measures.registry import Aggregation, Direction, Measure, Unit

GROUP = "Coaching dose"
SOURCES = ("coaching.Visit", "coaching.VisitActivity")
MINUTES_PER_HOUR = 60


def _logged(months: Months, practice_ids, *, until: date | None = None):
    visits = Visit.objects.filter(
        status=VisitStatus.LOGGED,
        visit_date__gte=months.first_day,
        visit_date__lte=until or months.last_day,
    )
    return for_practices(visits, practice_ids)


def _per_month(rows, months: Months, field: str, scale=1):
    """Values from rows grouped by practice and month, for the months asked for."""
    for row in rows:
        if row["month"] in months and row[field]:
            yield plain(row["practice_id"], row["month"], Decimal(row[field]) / scale)


def _visit_dose(visits, months: Months, field: str, scale=1):
    rows = (
        visits.annotate(month=TruncMonth("visit_date"))
        .values("practice_id", "month")
        .annotate(visits=Count("*"), minutes=Sum("duration_minutes"))
        .order_by()
    )
    return _per_month(rows, months, field, scale)


@program_compute
def visits_compute(program, *, months: Months, practice_ids):
    """Logged visits per practice and month. One query."""
    return _visit_dose(_logged(months, practice_ids), months, "visits")


@program_compute
def hours_compute(program, *, months: Months, practice_ids):
    """Hours of logged visits (their durations) per practice and month. One query."""
    return _visit_dose(_logged(months, practice_ids), months, "minutes", MINUTES_PER_HOUR)


def mode_hours_compute(mode: str):
    @program_compute
    def compute(program, *, months: Months, practice_ids):
        """Hours of logged visits of one mode per practice and month. One query."""
        visits = _logged(months, practice_ids).filter(mode=mode)
        return _visit_dose(visits, months, "minutes", MINUTES_PER_HOUR)

    return compute


def activity_hours_compute(activity: str):
    @program_compute
    def compute(program, *, months: Months, practice_ids):
        """Hours logged visits recorded against one support activity, per practice and month.
        One query."""
        minutes = VisitActivity.objects.filter(
            activity=activity,
            visit__status=VisitStatus.LOGGED,
            visit__visit_date__gte=months.first_day,
            visit__visit_date__lte=months.last_day,
        )
        rows = (
            for_practices(minutes, practice_ids, "visit__practice_id")
            .annotate(month=TruncMonth("visit__visit_date"))
            .values("month", practice_id=F("visit__practice_id"))
            .annotate(minutes=Sum("minutes"))
            .order_by()
        )
        return _per_month(rows, months, "minutes", MINUTES_PER_HOUR)

    return compute


@program_compute
def days_since_visit_compute(program, *, months: Months, practice_ids, today: date | None = None):
    """Days from a practice's last logged visit to the end of each month (to today for the
    current month). No value for a month before the practice's first visit, nor for a month
    that has not begun. Two queries: the last visit before the first month, and the last visit
    in each month."""
    today = today or timezone.localdate()
    months = Months(tuple(month for month in months if month <= today))
    if not months:
        return []
    before = for_practices(
        Visit.objects.filter(status=VisitStatus.LOGGED, visit_date__lt=months.first_day),
        practice_ids,
    )
    last_seen = defaultdict(list)  # practice -> [(month, its last visit)], any order
    for row in before.values("practice_id").annotate(last=Max("visit_date")).order_by():
        last_seen[row["practice_id"]].append((date.min, row["last"]))
    in_range = (
        _logged(months, practice_ids, until=min(months.last_day, today))
        .annotate(month=TruncMonth("visit_date"))
        .values("practice_id", "month")
        .annotate(last=Max("visit_date"))
        .order_by()
    )
    for row in in_range:
        last_seen[row["practice_id"]].append((row["month"], row["last"]))
    return [
        value
        for practice_id, seen in last_seen.items()
        for value in _days_since(practice_id, sorted(seen), months, today)
    ]


def _days_since(practice_id: int, seen: list[tuple[date, date]], months: Months, today: date):
    """`seen`: (month, last visit in it) sorted by month; a month's last visit is the latest
    of its own and the months' before it."""
    last, index = None, 0
    for month in months:
        while index < len(seen) and seen[index][0] <= month:
            last = max(last or seen[index][1], seen[index][1])
            index += 1
        if last is not None:
            yield plain(practice_id, month, (min(month_last_day(month), today) - last).days)


def _slug(value: str) -> str:
    return value.replace("_", "-")


def _dose_measure(code, name, description, compute, unit=Unit.HOURS) -> Measure:
    return Measure(
        code=code,
        name=name,
        description=description,
        unit=unit,
        direction=Direction.HIGHER,
        aggregation=Aggregation.SUM,
        compute=compute,
        app="coaching",
        group=GROUP,
        sources=SOURCES,
    )


MEASURES = [
    _dose_measure(
        "visits",
        "Visits",
        "Logged facilitation visits, by the month of the visit (planned and cancelled ones not).",
        visits_compute,
        unit=Unit.COUNT,
    ),
    _dose_measure(
        "coaching-hours",
        "Coaching hours",
        "Hours of logged visits (their durations, travel not included), by the month of the visit.",
        hours_compute,
    ),
    *(
        _dose_measure(
            f"coaching-hours-activity-{_slug(value)}",
            f"Coaching hours: {label}",
            f"Minutes of logged visits recorded against “{label}”, in hours, by the month of "
            "the visit.",
            activity_hours_compute(value),
        )
        for value, label in Activity.choices
    ),
    *(
        _dose_measure(
            f"coaching-hours-mode-{_slug(value)}",
            f"Coaching hours: {label.lower()} visits",
            f"Hours of logged {label.lower()} visits, by the month of the visit.",
            mode_hours_compute(value),
        )
        for value, label in VisitMode.choices
    ),
    Measure(
        code="days-since-last-visit",
        name="Days since last visit",
        description="Days from the practice's last logged visit to the end of the month (to "
        "today in the current month); none before its first visit.",
        unit=Unit.DAYS,
        direction=Direction.LOWER,
        aggregation=Aggregation.MEAN,
        compute=days_since_visit_compute,
        app="coaching",
        group=GROUP,
        sources=("coaching.Visit",),
    ),
]
