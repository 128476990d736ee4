"""CPD credits as KPI measures: credits per person each month, and the share of them verified.

Credits are those of activities in a counted status (self-reported, submitted, verified) that
ended in the month, as stored on the activity (worked out under its cycle's rules; a per-cycle
cap is the progress engine's business and is not applied to a month's figure). An activity
counts for the practice it is filed under (the person's practice when they recorded it); the
CPD of people who work for the program itself (coaches, program staff: no practice) is in their
progress pages, not in a practice's KPIs.

A practice's figures start with the month of the program's first counted CPD activity: months
before the program recorded CPD here are left empty rather than shown as nobody learning.
"""

from collections import Counter
from datetime import date

from django.db.models import Min, Q, Sum
from django.db.models.functions import TruncMonth

from cpd.activities.models import COUNTED, ActivityStatus, CpdActivity
from cpd.schemes.people import people_under_schemes
from psp.measures.periods import Months, for_practices, program_compute, ratio
from psp.measures.registry import Aggregation, Direction, Measure, Unit

PERCENT = 100


def first_counted_month() -> date | None:
    """The first day of the month of the program's earliest counted CPD activity. One query."""
    first = CpdActivity.objects.filter(status__in=COUNTED).aggregate(first=Min("ended_on"))
    return first["first"].replace(day=1) if first["first"] else None


def _monthly_credits(months: Months, practice_ids):
    """Rows of practice, month, counted credits and verified credits. One query."""
    activities = CpdActivity.objects.filter(
        status__in=COUNTED,
        practice_id__isnull=False,
        ended_on__gte=months.first_day,
        ended_on__lte=months.last_day,
    )
    return (
        for_practices(activities, practice_ids)
        .annotate(month=TruncMonth("ended_on"))
        .values("practice_id", "month")
        .annotate(
            counted=Sum("credits"),
            verified=Sum("credits", filter=Q(status=ActivityStatus.VERIFIED)),
        )
        .order_by()
    )


@program_compute
def credits_per_person_compute(program, *, months: Months, practice_ids):
    """Per practice and month: credits counted / people under a scheme filed at the practice.
    Six queries: the people (four), the first month, the credits."""
    wanted = None if practice_ids is None else set(practice_ids)
    people = Counter(
        person.practice_id
        for person in people_under_schemes()
        if wanted is None or person.practice_id in wanted
    )
    first = first_counted_month()
    if not people or first is None:
        return []
    credits = {
        (row["practice_id"], row["month"]): row["counted"]
        for row in _monthly_credits(months, practice_ids)
    }
    return [
        ratio(practice_id, month, credits.get((practice_id, month), 0), count)
        for practice_id, count in people.items()
        for month in months
        if month >= first
    ]


@program_compute
def verified_share_compute(program, *, months: Months, practice_ids):
    """Per practice and month with credits: 100 × verified credits / counted credits. One
    query."""
    return [
        ratio(row["practice_id"], row["month"], PERCENT * (row["verified"] or 0), row["counted"])
        for row in _monthly_credits(months, practice_ids)
        if row["month"] in months and row["counted"]
    ]


MEASURES = [
    Measure(
        code="cpd-credits-per-person",
        name="CPD credits per person",
        description="Credits (hours, under schemes counted in hours) of the CPD activities that "
        "ended in the month, self-reported, submitted or verified, per person under a CPD "
        "scheme at the practice.",
        unit=Unit.COUNT,
        direction=Direction.HIGHER,
        aggregation=Aggregation.RATIO,
        compute=credits_per_person_compute,
        app="cpd",
        group="CPD",
        sources=("cpd.CpdActivity", "cpd.CpdScheme", "practices.PracticeMembership"),
    ),
    Measure(
        code="cpd-verified-share",
        name="CPD credits verified",
        description="Percent of the credits of the practice's CPD activities that ended in the "
        "month (self-reported, submitted or verified) that a verifier has verified.",
        unit=Unit.PERCENT,
        direction=Direction.HIGHER,
        aggregation=Aggregation.RATIO,
        compute=verified_share_compute,
        app="cpd",
        group="CPD",
        sources=("cpd.CpdActivity",),
    ),
]
