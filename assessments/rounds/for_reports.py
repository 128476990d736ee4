"""What generated reports (coaching/reports) read of assessments: a practice's first and latest
scored rounds with their domain scores, the rounds still open, and the change by domain across
many practices, streamed so that memory does not grow with the number of practices.

Every read runs inside the program in scope.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from assessments.rounds.models import Assessment, AssessmentStatus, DomainScore


@dataclass
class ScoreChange:
    """A practice's baseline (its first scored round) and latest scored round of one
    instrument, each with `score_list` (its domain scores in order)."""

    baseline: Assessment | None
    latest: Assessment | None

    @property
    def threshold(self) -> int:
        round_ = self.latest or self.baseline
        return round_.version.instrument.weak_threshold if round_ else 0

    @property
    def previous(self) -> dict:
        """Domain key -> the baseline's percent, when the latest is a later round."""
        if not self.baseline or not self.latest or self.baseline.pk == self.latest.pk:
            return {}
        return {s.domain_key: s.percent for s in self.baseline.score_list if s.percent is not None}


def practice_score_change(*, practice) -> ScoreChange:
    """The practice's first and latest submitted rounds (of the latest round's instrument),
    with instruments and domain scores. Three queries."""
    rounds = list(
        Assessment.objects.filter(practice=practice, status=AssessmentStatus.SUBMITTED)
        .select_related("version__instrument")
        .order_by("submitted_at", "pk")
    )
    if not rounds:
        return ScoreChange(None, None)
    latest = rounds[-1]
    same = [r for r in rounds if r.version.instrument_id == latest.version.instrument_id]
    baseline = same[0]
    chosen = {baseline.pk: baseline, latest.pk: latest}
    for round_ in chosen.values():
        round_.score_list = []
    for score in DomainScore.objects.filter(assessment_id__in=chosen).order_by("position", "pk"):
        chosen[score.assessment_id].score_list.append(score)
    return ScoreChange(baseline, latest)


def open_rounds(*, practice) -> QuerySet[Assessment]:
    """The practice's rounds still open for answers, soonest due first, instrument joined."""
    return (
        Assessment.objects.filter(practice=practice, status=AssessmentStatus.OPEN)
        .select_related("version__instrument")
        .order_by("due_on", "opened_at")
    )


# Across practices --------------------------------------------------------------------------


@dataclass
class DomainChange:
    name: str
    practices: int = 0  # practices with a baseline and a later round scoring the domain
    baseline_total: Decimal = Decimal(0)
    latest_total: Decimal = Decimal(0)
    scored: int = 0  # practices with at least one score for the domain

    @property
    def baseline(self) -> Decimal | None:
        return round(self.baseline_total / self.practices, 1) if self.practices else None

    @property
    def latest(self) -> Decimal | None:
        return round(self.latest_total / self.practices, 1) if self.practices else None

    @property
    def change(self) -> Decimal | None:
        if not self.practices:
            return None
        return self.latest - self.baseline


@dataclass
class ChangeByDomain:
    domains: dict[str, DomainChange] = field(default_factory=dict)  # domain key -> change
    practices_with_rounds: int = 0
    practices_compared: int = 0  # with a baseline and a later round


def _score_rows(practice_ids) -> Iterator[tuple]:
    """(practice id, round id, domain key, domain name, percent) of every submitted round of
    the practices, a practice's rounds together and in order, read in batches."""
    return (
        DomainScore.objects.filter(
            assessment__practice_id__in=practice_ids,
            assessment__status=AssessmentStatus.SUBMITTED,
        )
        .order_by(
            "assessment__practice_id", "assessment__submitted_at", "assessment_id", "position"
        )
        .values_list(
            "assessment__practice_id", "assessment_id", "domain_key", "domain_name", "percent"
        )
        .iterator(chunk_size=2000)
    )


def change_by_domain(*, practice_ids) -> ChangeByDomain:
    """The average domain scores across the practices (a subquery of ids): each practice's
    first scored round against its latest. One query, read as a stream: memory holds one
    practice's rounds at a time."""
    result = ChangeByDomain()
    current, rounds = None, {}
    for practice_id, round_id, key, name, percent in _score_rows(practice_ids):
        if practice_id != current:
            _add_practice(result, rounds)
            current, rounds = practice_id, {}
        rounds.setdefault(round_id, {})[key] = (name, percent)
    _add_practice(result, rounds)
    return result


def _add_practice(result: ChangeByDomain, rounds: dict) -> None:
    if not rounds:
        return
    result.practices_with_rounds += 1
    ordered = list(rounds.values())  # insertion order is submission order
    first, last = ordered[0], ordered[-1]
    if len(ordered) > 1:
        result.practices_compared += 1
    for key, (name, percent) in last.items():
        change = result.domains.setdefault(key, DomainChange(name=name))
        change.scored += 1
        before = first.get(key, (name, None))[1]
        if len(ordered) > 1 and percent is not None and before is not None:
            change.practices += 1
            change.baseline_total += before
            change.latest_total += percent


def overall_scores(*, practice_ids) -> dict[int, tuple]:
    """practice id -> (first overall score, latest overall score, latest submitted at) of its
    submitted rounds. One query for a chunk of practices (a list of ids)."""
    found: dict[int, tuple] = {}
    rows = (
        Assessment.objects.filter(practice_id__in=practice_ids, status=AssessmentStatus.SUBMITTED)
        .order_by("practice_id", "submitted_at", "pk")
        .values_list("practice_id", "overall_score", "submitted_at")
    )
    for practice_id, score, submitted_at in rows:
        first = found.get(practice_id, (score,))[0]
        found[practice_id] = (first, score, submitted_at)
    return found
