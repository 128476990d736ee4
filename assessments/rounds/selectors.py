"""Reads of assessment rounds for pages, the API and other apps, limited to what the person may
see and joined with what each page shows: a page costs the same few queries however many
questions, domains or respondents the assessment has. The consensus grid is in consensus.py, the
comparison with earlier rounds in comparison.py, what support plans read in for_plans.py.

Other apps use: `next_assessment_due` and `next_assessments_due` (practice pages, lists and
caseloads), `practice_assessment_summary` (the practice page's panel).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.rounds.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DomainScore,
    Response,
)
from psp.tenancy.permissions import Capability

VIEW = Capability.ASSESSMENT_VIEW


# Lists and single assessments ----------------------------------------------------------------


def _respondent_count():
    """How many people have answered the assessment: a subquery per row, so a list counts them
    for its page only (a join grouped over every assessment counted the whole program's)."""
    answered = Response.objects.filter(assessment=OuterRef("pk")).order_by().values("assessment")
    return Coalesce(Subquery(answered.annotate(n=Count("pk")).values("n")), 0)


def assessment_list(
    *, access, practice_id=None, status=None, kind=None, instrument_id=None
) -> QuerySet[Assessment]:
    """The assessments the person may see, newest first, with practice, instrument and the
    number of people who have answered (`respondent_count`)."""
    queryset = (
        Assessment.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "version__instrument")
        .annotate(respondent_count=_respondent_count())
    )
    if practice_id:
        queryset = queryset.filter(practice_id=practice_id)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if instrument_id:
        queryset = queryset.filter(version__instrument_id=instrument_id)
    return queryset.order_by("-opened_at", "-pk")


def assessments_of_practice(*, practice) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(practice=practice)
        .select_related("version__instrument")
        .order_by("-opened_at", "-pk")
    )


def assessment_for_page(*, access, pk) -> Assessment:
    """One assessment the person may see, with its practice and instrument; else DoesNotExist
    (missing and out of reach alike)."""
    return (
        Assessment.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "version__instrument", "opened_by", "submitted_by")
        .get(pk=pk)
    )


def assessment_api_list(*, access) -> QuerySet[Assessment]:
    """For the API: visible assessments with their domain scores (empty until submitted)."""
    return (
        Assessment.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "version__instrument")
        .prefetch_related(
            Prefetch("domain_scores", queryset=DomainScore.objects.order_by("position"))
        )
        .order_by("-opened_at", "-pk")
    )


def domain_score_list(*, access) -> QuerySet[DomainScore]:
    return (
        DomainScore.objects.filter(access.practice_filter(VIEW, "assessment__practice_id"))
        .select_related("assessment")
        .order_by("-assessment__submitted_at", "assessment_id", "position")
    )


# One person's answers ------------------------------------------------------------------------


def my_response(*, assessment, respondent) -> tuple[Response | None, dict[int, Answer]]:
    """The person's response to the assessment (None before their first answer) and their
    answers by question id."""
    response = Response.objects.filter(assessment=assessment, respondent=respondent).first()
    if response is None:
        return None, {}
    return response, {answer.question_id: answer for answer in response.answers.all()}


def answered_count(*, response) -> int:
    if response is None:
        return 0
    return response.answers.count()


def respondents(*, assessment) -> list[Response]:
    """Everyone who has answered, with how many questions each has answered (`answer_count`)."""
    return list(
        Response.objects.filter(assessment=assessment)
        .select_related("respondent")
        .annotate(answer_count=Count("answers"))
        .order_by("started_at", "pk")
    )


# Results -----------------------------------------------------------------------------------------


def domain_scores(*, assessment) -> list[DomainScore]:
    return list(DomainScore.objects.filter(assessment=assessment).order_by("position", "pk"))


# Follow-ups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpDue:
    due_on: date
    instrument_id: int
    instrument_name: str
    last_submitted_on: date

    @property
    def is_overdue(self) -> bool:
        return self.due_on < timezone.localdate()


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_assessments_due(*, practice_ids) -> dict[int, FollowUpDue]:
    """practice id -> its next follow-up (the earliest over its instruments: the last submitted
    round plus the instrument's cadence). Practices with no submitted round are left out.
    One query for any number of practices."""
    rows = (
        Assessment.objects.filter(practice_id__in=list(practice_ids), status="submitted")
        .values(
            "practice_id",
            "version__instrument_id",
            "version__instrument__name",
            "version__instrument__cadence_months",
        )
        .annotate(last=Max("submitted_at"))
        .order_by()
    )
    due: dict[int, FollowUpDue] = {}
    for row in rows:
        last = timezone.localdate(row["last"])
        candidate = FollowUpDue(
            due_on=add_months(last, row["version__instrument__cadence_months"]),
            instrument_id=row["version__instrument_id"],
            instrument_name=row["version__instrument__name"],
            last_submitted_on=last,
        )
        current = due.get(row["practice_id"])
        if current is None or candidate.due_on < current.due_on:
            due[row["practice_id"]] = candidate
    return due


def next_assessment_due(*, practice) -> FollowUpDue | None:
    """When the practice's next follow-up assessment is due; None before its first submitted
    assessment."""
    return next_assessments_due(practice_ids=[practice.pk]).get(practice.pk)


# The practice page's panel -------------------------------------------------------------------


@dataclass
class PracticeAssessmentSummary:
    latest: Assessment | None  # the latest submitted round
    open_rounds: list[Assessment]
    next_due: FollowUpDue | None
    total: int


def practice_assessment_summary(*, practice) -> PracticeAssessmentSummary:
    """What the practice page shows about assessments: one query (the practice's rounds are few:
    a baseline and a follow-up every few months)."""
    rounds = list(assessments_of_practice(practice=practice))
    submitted = [a for a in rounds if a.status == AssessmentStatus.SUBMITTED]
    submitted.sort(key=lambda a: (a.submitted_at, a.pk), reverse=True)
    next_due = None
    seen = set()
    for assessment in submitted:
        instrument = assessment.version.instrument
        if instrument.pk in seen:
            continue
        seen.add(instrument.pk)
        last = timezone.localdate(assessment.submitted_at)
        candidate = FollowUpDue(
            due_on=add_months(last, instrument.cadence_months),
            instrument_id=instrument.pk,
            instrument_name=instrument.name,
            last_submitted_on=last,
        )
        if next_due is None or candidate.due_on < next_due.due_on:
            next_due = candidate
    return PracticeAssessmentSummary(
        latest=submitted[0] if submitted else None,
        open_rounds=[a for a in rounds if a.status == AssessmentStatus.OPEN],
        next_due=next_due,
        total=len(rounds),
    )
