"""The one scoring rule: a score is the percentage of the attainable points, by domain and
overall, computed from stored answers.

Each scored question is worth its weight. What an answer earns of it:
- scale: (value − min) / (max − min);
- yes/no: 1 for the positive answer, 0 for the other (`yes_is_positive` says which is which);
- single choice: the option's score / the best option's score;
- multiple choice: the chosen options' scores / the sum of the positive scores, capped at 1.
"Not applicable" and unanswered questions are left out of both sides; number and text questions
are never scored. A domain with nothing attainable has no percentage (None), not 0.

The arithmetic is Decimal throughout and rounded once, at the end, so the same answers always
give the same numbers.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessments.instruments.models import QuestionKind
from assessments.instruments.selectors import version_structure

ONE = Decimal(1)
ZERO = Decimal(0)
POINTS = Decimal("0.001")
PERCENT = Decimal("0.1")


@dataclass(frozen=True)
class DomainResult:
    domain: object  # assessments.Domain
    achieved: Decimal
    attainable: Decimal
    percent: Decimal | None


@dataclass(frozen=True)
class ScoreResult:
    domains: list[DomainResult]
    achieved: Decimal
    attainable: Decimal
    percent: Decimal | None

    def as_numbers(self) -> dict:
        """The numbers that get stored, keyed by domain key (for comparing two scorings)."""
        return {
            "overall": (self.achieved, self.attainable, self.percent),
            "domains": {
                row.domain.key: (row.achieved, row.attainable, row.percent) for row in self.domains
            },
        }


def fraction(question, value, is_na: bool = False) -> Decimal | None:
    """The share (0..1) of the question's weight an answer earns, or None when the question
    does not count (not scored, not applicable, unanswered, or nothing attainable in it)."""
    if is_na or value is None or not question.is_scored:
        return None
    kind = question.kind
    if kind == QuestionKind.SCALE:
        span = question.scale_max - question.scale_min
        if span <= 0:
            return None
        return _clamp(Decimal(int(value) - question.scale_min) / Decimal(span))
    if kind == QuestionKind.YES_NO:
        return ONE if bool(value) == question.yes_is_positive else ZERO
    options = {option.value: Decimal(option.score) for option in question.options.all()}
    if kind == QuestionKind.SINGLE:
        best = max(options.values(), default=ZERO)
        if best <= 0:
            return None
        return _clamp(options.get(value, ZERO) / best)
    if kind == QuestionKind.MULTIPLE:
        attainable = sum((score for score in options.values() if score > 0), ZERO)
        if attainable <= 0:
            return None
        chosen = sum((options.get(v, ZERO) for v in value), ZERO)
        return _clamp(chosen / attainable)
    return None


def score(*, domains: Iterable, answers: Mapping[int, tuple[object, bool]]) -> ScoreResult:
    """Score `answers` ({question id: (value, is_na)}) against `domains` (each with its
    questions and their options prefetched)."""
    rows = []
    total_achieved = total_attainable = ZERO
    for domain in domains:
        achieved = attainable = ZERO
        for question in domain.questions.all():
            value, is_na = answers.get(question.pk, (None, False))
            share = fraction(question, value, is_na)
            weight = Decimal(question.weight)
            if share is None or weight <= 0:
                continue
            achieved += share * weight
            attainable += weight
        rows.append(
            DomainResult(
                domain=domain,
                achieved=achieved.quantize(POINTS, ROUND_HALF_UP),
                attainable=attainable.quantize(POINTS, ROUND_HALF_UP),
                percent=_percent(achieved, attainable),
            )
        )
        total_achieved += achieved
        total_attainable += attainable
    return ScoreResult(
        domains=rows,
        achieved=total_achieved.quantize(POINTS, ROUND_HALF_UP),
        attainable=total_attainable.quantize(POINTS, ROUND_HALF_UP),
        percent=_percent(total_achieved, total_attainable),
    )


def score_assessment(assessment) -> ScoreResult:
    """Score an assessment from its stored consensus answers (what submission stores and what a
    re-score reads). Runs a fixed number of queries."""
    domains = version_structure(version_id=assessment.version_id)
    answers = {
        question_id: (value, is_na)
        for question_id, value, is_na in assessment.consensus_answers.values_list(
            "question_id", "value", "is_na"
        )
    }
    return score(domains=domains, answers=answers)


def _clamp(share: Decimal) -> Decimal:
    return min(max(share, ZERO), ONE)


def _percent(achieved: Decimal, attainable: Decimal) -> Decimal | None:
    if attainable <= 0:
        return None
    return (achieved / attainable * 100).quantize(PERCENT, ROUND_HALF_UP)
