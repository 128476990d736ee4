"""A submitted round compared with the practice's baseline and its previous round of the same
instrument, domain by domain (matched by domain key, so versions compare)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from assessments.rounds.models import Assessment, AssessmentKind, AssessmentStatus, DomainScore
from assessments.rounds.selectors import domain_scores


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
