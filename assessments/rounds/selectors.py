"""Reads of assessments for pages, the API and other apps, limited to what the person may see and
joined with what each page shows: a page costs the same few queries however many questions,
domains or respondents the assessment has.

Other apps use: `weak_domains` (support plans), `next_assessment_due` and
`next_assessments_due` (practice pages and lists), `practice_assessment_summary` (the practice
page's panel).
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from assessments.answers import answer_display, answer_key
from assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ConsensusAnswer,
    Domain,
    DomainScore,
    InstrumentVersion,
    Option,
    Question,
    Response,
    VersionStatus,
)
from psp.tenancy.permissions import Capability

VIEW = Capability.ASSESSMENT_VIEW


# Lists and single assessments ----------------------------------------------------------------


def assessment_list(
    *, access, practice_id=None, status=None, kind=None, instrument_id=None
) -> QuerySet[Assessment]:
    """The assessments the person may see, newest first, with practice, instrument and the
    number of people who have answered (`respondent_count`)."""
    queryset = (
        Assessment.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "version__instrument")
        .annotate(respondent_count=Count("responses", distinct=True))
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


def published_versions() -> QuerySet[InstrumentVersion]:
    """Versions a new round can use: published ones, newest of each instrument first."""
    return (
        InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("instrument")
        .order_by("instrument__name", "-number")
    )


# The instrument's content --------------------------------------------------------------------


def version_structure(*, version_id) -> list[Domain]:
    """The version's domains in order, each with its questions and their options prefetched
    (`domain.questions.all()`, `question.options.all()`): three queries whatever the size."""
    questions = Question.objects.order_by("position", "pk").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
    )
    return list(
        Domain.objects.filter(version_id=version_id)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )


def version_question(*, version_id, pk) -> Question:
    """One question of a version with its options; DoesNotExist if it is not in the version."""
    return (
        Question.objects.filter(version_id=version_id)
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "pk")))
        .get(pk=pk)
    )


def questions_of(domains) -> list[Question]:
    return [question for domain in domains for question in domain.questions.all()]


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


# Consensus -----------------------------------------------------------------------------------


@dataclass
class Cell:
    response: Response
    value: object = None
    is_na: bool = False
    answered: bool = False
    text: str = ""
    counted: bool = True  # False for a response not yet submitted


@dataclass
class QuestionRow:
    question: Question
    cells: list[Cell]
    consensus: ConsensusAnswer | None
    agreed: tuple | None  # (value, is_na) every counted respondent gave, if they agree
    disagreement: bool
    answered: bool  # someone counted answered it, or a consensus is recorded

    @property
    def effective(self) -> tuple | None:
        """What would be scored: the recorded consensus, else the agreed answer."""
        if self.consensus is not None:
            return self.consensus.value, self.consensus.is_na
        return self.agreed

    @property
    def effective_text(self) -> str:
        if self.effective is None:
            return ""
        return answer_display(self.question, *self.effective)

    @property
    def blocks(self) -> str:
        """Why this row stops submission ("" when it does not)."""
        if self.consensus is not None or not self.question.required:
            return ""
        if not self.answered:
            return "unanswered"
        if self.disagreement and self.question.is_scored:
            return "disagreement"
        return ""


@dataclass
class ConsensusGrid:
    domains: list[Domain]
    responses: list[Response]
    rows: dict[int, list[QuestionRow]] = field(default_factory=dict)  # domain id -> rows

    @property
    def counted(self) -> list[Response]:
        return [r for r in self.responses if r.submitted_at is not None]

    @property
    def in_progress(self) -> list[Response]:
        return [r for r in self.responses if r.submitted_at is None]

    def all_rows(self) -> list[QuestionRow]:
        return [row for domain in self.domains for row in self.rows[domain.pk]]

    def sections(self) -> list[tuple[Domain, list[QuestionRow]]]:
        return [(domain, self.rows[domain.pk]) for domain in self.domains]

    @property
    def disagreements(self) -> list[QuestionRow]:
        return [row for row in self.all_rows() if row.blocks == "disagreement"]

    @property
    def unanswered(self) -> list[QuestionRow]:
        return [row for row in self.all_rows() if row.blocks == "unanswered"]

    @property
    def can_submit(self) -> bool:
        return not self.disagreements and not self.unanswered


def consensus_grid(*, assessment, domains: list[Domain] | None = None) -> ConsensusGrid:
    """Questions × respondents: each person's answer, whether the submitted ones agree, and the
    consensus recorded so far. Only submitted responses count towards agreement; answers still
    in progress are shown but not counted. Six queries whatever the size."""
    if domains is None:
        domains = version_structure(version_id=assessment.version_id)
    responses = respondents(assessment=assessment)
    answers: dict[tuple[int, int], Answer] = {
        (answer.response_id, answer.question_id): answer
        for answer in Answer.objects.filter(response__assessment=assessment).only(
            "response_id", "question_id", "value", "is_na"
        )
    }
    consensus = {
        row.question_id: row
        for row in ConsensusAnswer.objects.filter(assessment=assessment).select_related(
            "decided_by"
        )
    }
    grid = ConsensusGrid(domains=domains, responses=responses)
    for domain in domains:
        grid.rows[domain.pk] = [
            _question_row(question, responses, answers, consensus.get(question.pk))
            for question in domain.questions.all()
        ]
    return grid


def _question_row(question, responses, answers, consensus) -> QuestionRow:
    cells, given = [], {}
    for response in responses:
        answer = answers.get((response.pk, question.pk))
        cell = Cell(response=response, counted=response.submitted_at is not None)
        if answer is not None:
            cell.value, cell.is_na, cell.answered = answer.value, answer.is_na, True
            cell.text = answer_display(question, answer.value, answer.is_na)
            if cell.counted:
                given.setdefault(
                    answer_key(answer.value, answer.is_na), (answer.value, answer.is_na)
                )
        cells.append(cell)
    agreed = next(iter(given.values())) if len(given) == 1 else None
    return QuestionRow(
        question=question,
        cells=cells,
        consensus=consensus,
        agreed=agreed,
        disagreement=len(given) > 1,
        answered=bool(given) or consensus is not None,
    )


# Results and comparisons ---------------------------------------------------------------------


def domain_scores(*, assessment) -> list[DomainScore]:
    return list(DomainScore.objects.filter(assessment=assessment).order_by("position", "pk"))


def weak_domains(*, assessment) -> QuerySet[DomainScore]:
    """The assessment's domains scoring below its instrument's weak threshold, weakest first
    (domains with nothing attainable are not weak: they have no score). For support plans."""
    return (
        DomainScore.objects.filter(
            assessment=assessment,
            percent__isnull=False,
            percent__lt=F("assessment__version__instrument__weak_threshold"),
        )
        .select_related("domain")
        .order_by("percent", "position", "pk")
    )


@dataclass
class ComparedDomain:
    domain_key: str
    domain_name: str
    percent: Decimal | None
    baseline: Decimal | None = None
    previous: Decimal | None = None

    @property
    def change_from_baseline(self) -> Decimal | None:
        return _change(self.percent, self.baseline)

    @property
    def change_from_previous(self) -> Decimal | None:
        return _change(self.percent, self.previous)


@dataclass
class Comparison:
    assessment: Assessment
    baseline: Assessment | None
    previous: Assessment | None
    domains: list[ComparedDomain]
    overall: ComparedDomain

    @property
    def has_any(self) -> bool:
        return self.baseline is not None or self.previous is not None

    @property
    def previous_is_baseline(self) -> bool:
        return self.previous is not None and self.previous == self.baseline


def comparison(*, assessment) -> Comparison:
    """The assessment beside the practice's baseline and its previous submitted round of the
    same instrument, domain by domain (matched by domain key, so versions compare), with the
    change in percentage points. Two queries."""
    earlier = list(
        Assessment.objects.filter(
            practice_id=assessment.practice_id,
            version__instrument_id=assessment.version.instrument_id,
            status=AssessmentStatus.SUBMITTED,
        )
        .exclude(pk=assessment.pk)
        .filter(_before(assessment))
        .prefetch_related(
            Prefetch("domain_scores", queryset=DomainScore.objects.order_by("position"))
        )
        .order_by("submitted_at", "pk")
    )
    baselines = [a for a in earlier if a.kind == AssessmentKind.BASELINE]
    baseline = baselines[0] if baselines else (earlier[0] if earlier else None)
    previous = earlier[-1] if earlier else None
    mine = domain_scores(assessment=assessment) if assessment.status == "submitted" else []
    base_by_key = _by_key(baseline)
    prev_by_key = _by_key(previous)
    rows = [
        ComparedDomain(
            domain_key=score.domain_key,
            domain_name=score.domain_name,
            percent=score.percent,
            baseline=base_by_key.get(score.domain_key),
            previous=prev_by_key.get(score.domain_key),
        )
        for score in mine
    ]
    overall = ComparedDomain(
        domain_key="",
        domain_name="Overall",
        percent=assessment.overall_score,
        baseline=baseline.overall_score if baseline else None,
        previous=previous.overall_score if previous else None,
    )
    return Comparison(
        assessment=assessment, baseline=baseline, previous=previous, domains=rows, overall=overall
    )


def _before(assessment) -> Q:
    # Rounds submitted before this one; an open round compares with everything submitted.
    if assessment.submitted_at is None:
        return Q()
    return Q(submitted_at__lt=assessment.submitted_at) | Q(
        submitted_at=assessment.submitted_at, pk__lt=assessment.pk
    )


def _by_key(assessment) -> dict[str, Decimal | None]:
    if assessment is None:
        return {}
    return {score.domain_key: score.percent for score in assessment.domain_scores.all()}


def _change(now: Decimal | None, then: Decimal | None) -> Decimal | None:
    if now is None or then is None:
        return None
    return now - then


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
