"""Participant feedback as KPI measures: the mean usefulness (1-5) of the answers about a
practice's visits, and their net promoter score, by the month of the visit answered about.

Both are ratios, so that practices and months combine by their answers, not by a mean of means:
usefulness is sum(usefulness) / answers; the net promoter score is 100 × (promoters − detractors)
/ answers, promoters answering 9-10 and detractors 0-6 to "would you recommend" (as the feedback
results count them, coaching/feedback/selectors.py), unrounded.

Anonymity: as the feedback results hide a group of fewer than MIN_ANSWERS answers, a practice
has no value for a month with fewer answers, so that nobody (the coach, a colleague) can read one
person's answer off the practice's monthly figure. Totals over practices then add up only the
months shown, as the feedback results' totals do.
"""

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from coaching.feedback.models import FeedbackResponse
from coaching.feedback.selectors import DETRACTOR, MIN_ANSWERS, PROMOTER
from coaching.visits.models import VisitStatus
from psp.measures.periods import Months, for_practices, program_compute, ratio
from psp.measures.registry import Aggregation, Direction, Measure, Unit

GROUP = "Participant feedback"
PERCENT = 100


def _answer_counts(months: Months, practice_ids):
    """Per practice and month of the visit, months with enough answers: answers, the sum of
    usefulness, promoters and detractors. One query."""
    responses = FeedbackResponse.objects.filter(
        visit__status=VisitStatus.LOGGED,
        visit__visit_date__gte=months.first_day,
        visit__visit_date__lte=months.last_day,
    )
    rows = (
        for_practices(responses, practice_ids, "visit__practice_id")
        .annotate(month=TruncMonth("visit__visit_date"))
        .values("month", "visit__practice_id")
        .annotate(
            answers=Count("*"),
            useful=Sum("usefulness"),
            promoters=Count("pk", filter=PROMOTER),
            detractors=Count("pk", filter=DETRACTOR),
        )
        .filter(answers__gte=MIN_ANSWERS)
        .order_by()
    )
    return [row for row in rows if row["month"] in months]


@program_compute
def usefulness_compute(program, *, months: Months, practice_ids):
    return [
        ratio(row["visit__practice_id"], row["month"], row["useful"], row["answers"])
        for row in _answer_counts(months, practice_ids)
    ]


@program_compute
def net_promoter_compute(program, *, months: Months, practice_ids):
    return [
        ratio(
            row["visit__practice_id"],
            row["month"],
            PERCENT * (row["promoters"] - row["detractors"]),
            row["answers"],
        )
        for row in _answer_counts(months, practice_ids)
    ]


MEASURES = [
    Measure(
        code="feedback-usefulness",
        name="Usefulness of visits",
        description="Mean usefulness (1 to 5) participants gave the practice's logged visits of "
        f"the month; none for a month of fewer than {MIN_ANSWERS} answers.",
        unit=Unit.SCORE,
        direction=Direction.HIGHER,
        aggregation=Aggregation.RATIO,
        compute=usefulness_compute,
        app="coaching",
        group=GROUP,
        sources=("coaching.FeedbackResponse",),
    ),
    Measure(
        code="net-promoter-score",
        name="Net promoter score",
        description="Percent of participants who would recommend the support (9-10) minus the "
        "percent who would not (0-6), for the practice's logged visits of the month; none for a "
        f"month of fewer than {MIN_ANSWERS} answers.",
        unit=Unit.SCORE,
        direction=Direction.HIGHER,
        aggregation=Aggregation.RATIO,
        compute=net_promoter_compute,
        app="coaching",
        group=GROUP,
        sources=("coaching.FeedbackResponse",),
    ),
]
