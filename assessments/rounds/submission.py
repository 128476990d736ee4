"""Writes that close a round: recording the agreed (consensus) answer to a question, and
submitting the round, which scores it once from the consensus and stores the scores with it.

Like services.py, every function takes the program explicitly (keyword-only) and refuses
objects of another program, or questions of another instrument version, with a ValidationError.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.instruments.models import Question, QuestionKind
from assessments.rounds import scoring
from assessments.rounds.answers import clean_answer
from assessments.rounds.consensus import consensus_grid
from assessments.rounds.models import Assessment, AssessmentStatus, ConsensusAnswer, DomainScore
from assessments.rounds.services import (
    ensure_open,
    ensure_question_of,
    question_name,
    record_change_of,
)
from psp.history.services import diff
from psp.tenancy.base import ensure_in_program

AGREED_NOTE = "Every respondent gave this answer."
SINGLE_NOTE = "The only respondent’s answer."


class SubmissionBlocked(ValidationError):
    """A round that cannot be scored yet: questions nobody answered and required questions the
    respondents disagree on without a recorded consensus."""

    def __init__(self, *, unanswered: list[Question], disagreements: list[Question]):
        self.unanswered, self.disagreements = unanswered, disagreements
        errors = {}
        if disagreements:
            errors["disagreements"] = [question_name(q) for q in disagreements]
        if unanswered:
            errors["unanswered"] = [question_name(q) for q in unanswered]
        super().__init__(errors)


def answer_text(question: Question, value, is_na: bool) -> str | None:
    """An answer as words, for the history: options by label, yes/no, "not applicable"."""
    if is_na:
        return "not applicable"
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        labels = {option.value: option.label for option in question.options.all()}
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in chosen)
    return str(value)


def _consensus_state(question: Question, value, is_na: bool, note: str) -> dict:
    state = {"answer": answer_text(question, value, is_na)}
    if note:
        state["note"] = note
    return state


# Consensus and submission --------------------------------------------------------------------


@transaction.atomic
def consensus_record(
    *, program, assessment, question, value, is_na: bool = False, by, note: str = ""
) -> ConsensusAnswer:
    """Record the agreed answer to one question of the round (it replaces any earlier one);
    the consensus is what gets scored."""
    ensure_in_program(program, assessment, question)
    ensure_open(assessment)
    ensure_question_of(assessment, question)
    try:
        value, is_na = clean_answer(question, value, is_na=is_na)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from error
    if value is None and not is_na:
        raise ValidationError({"value": "Give the agreed answer (or “not applicable”)."})
    earlier = ConsensusAnswer.objects.filter(assessment=assessment, question=question).first()
    before = (
        _consensus_state(question, earlier.value, earlier.is_na, earlier.note)
        if earlier is not None
        else {}
    )
    record, _ = ConsensusAnswer.objects.update_or_create(
        assessment=assessment,
        question=question,
        defaults={
            "program": program,
            "value": value,
            "is_na": is_na,
            "note": (note or "").strip()[:2000],
            "decided_by": by,
            "decided_at": timezone.now(),
        },
    )
    after = _consensus_state(question, record.value, record.is_na, record.note)
    changes = diff(before, after)
    if earlier is None:
        summary = f"Consensus on {question.key}: {after['answer']}."
    elif "answer" in changes:
        summary = f"Consensus on {question.key}: {before['answer']} → {after['answer']}."
    elif changes:
        summary = f"Consensus on {question.key}: the note changed."
    else:
        summary = f"Consensus on {question.key} confirmed: {after['answer']}."
    record_change_of(
        program=program,
        assessment=assessment,
        what="consensus.recorded",
        summary=summary,
        changes=changes,
        by=by,
    )
    return record


SCORE_FIELDS = (
    "status",
    "submitted_at",
    "submitted_by",
    "overall_score",
    "achieved_points",
    "attainable_points",
)


@transaction.atomic
def assessment_submit(*, program, assessment, by) -> Assessment:
    """Close the round and score it.

    The scored answer to each question is its recorded consensus, else the one answer every
    submitted respondent gave (a single respondent's answers are the consensus). A required
    question nobody answered, or a required scored question the respondents disagree on with no
    consensus recorded, blocks submission (SubmissionBlocked names them). Agreed answers are
    stored as consensus answers, then scores are computed from the stored consensus by
    scoring.score_assessment and stored with the assessment, so they never change afterwards."""
    ensure_in_program(program, assessment)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    ensure_open(locked)
    grid = consensus_grid(assessment=locked)
    if not grid.can_submit:
        raise SubmissionBlocked(
            unanswered=[row.question for row in grid.unanswered],
            disagreements=[row.question for row in grid.disagreements],
        )
    _store_agreed_answers(program=program, assessment=locked, grid=grid)
    result = scoring.score_assessment(locked)
    _store_scores(program=program, assessment=locked, result=result, by=by)
    overall = "no score" if result.percent is None else f"overall {result.percent}%"
    record_change_of(
        program=program,
        assessment=locked,
        what="assessment.submitted",
        summary=f"Round submitted and scored: {overall}.",
        changes={
            "status": [AssessmentStatus.OPEN.value, AssessmentStatus.SUBMITTED.value],
            "overall_score": [None, None if result.percent is None else str(result.percent)],
        },
        by=by,
    )
    # Keep the caller's object in step with the row.
    for name in SCORE_FIELDS:
        setattr(assessment, name, getattr(locked, name))
    return locked


def _store_agreed_answers(*, program, assessment: Assessment, grid) -> None:
    """Store each answer the counted respondents agree on, where no consensus is recorded yet,
    as the question's consensus answer."""
    single = len(grid.counted) == 1
    ConsensusAnswer.objects.bulk_create(
        ConsensusAnswer(
            program=program,
            assessment=assessment,
            question=row.question,
            value=row.agreed[0],
            is_na=row.agreed[1],
            note=SINGLE_NOTE if single else AGREED_NOTE,
            decided_by=None,
        )
        for row in grid.all_rows()
        if row.consensus is None and row.agreed is not None
    )


def _store_scores(*, program, assessment: Assessment, result, by) -> None:
    """Store the domain scores and the overall score, and mark the round submitted."""
    DomainScore.objects.filter(assessment=assessment).delete()
    DomainScore.objects.bulk_create(
        DomainScore(
            program=program,
            assessment=assessment,
            domain=row.domain,
            domain_key=row.domain.key,
            domain_name=row.domain.name,
            position=row.domain.position,
            achieved_points=row.achieved,
            attainable_points=row.attainable,
            percent=row.percent,
        )
        for row in result.domains
    )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.overall_score = result.percent
    assessment.achieved_points = result.achieved
    assessment.attainable_points = result.attainable
    assessment.save()
