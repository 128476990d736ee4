"""Writes for completing assessments: opening a round, answering, submitting one's answers,
recording consensus, and submitting the round for scoring.

Every function takes the program explicitly (keyword-only) and refuses objects of another
program, or questions of another instrument version, with a ValidationError. Who may call which
is the permission matrix's business (views and API check it); the rules about state live here.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import scoring, selectors
from assessments.answers import clean_answer
from assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ConsensusAnswer,
    DomainScore,
    Question,
    QuestionKind,
    Response,
    VersionStatus,
)
from psp.history.models import SubjectType
from psp.history.services import diff, record_change
from psp.tenancy.base import ensure_in_program

AGREED_NOTE = "Every respondent gave this answer."
SINGLE_NOTE = "The only respondent’s answer."


class MissingAnswers(ValidationError):
    """Required questions without an answer; `questions` lists them (for links to their step)."""

    def __init__(self, questions: list[Question], message: str):
        self.questions = questions
        super().__init__({"unanswered": [_name(q) for q in questions]})
        self.summary = message


class SubmissionBlocked(ValidationError):
    """A round that cannot be scored yet: questions nobody answered and required questions the
    respondents disagree on without a recorded consensus."""

    def __init__(self, *, unanswered: list[Question], disagreements: list[Question]):
        self.unanswered, self.disagreements = unanswered, disagreements
        errors = {}
        if disagreements:
            errors["disagreements"] = [_name(q) for q in disagreements]
        if unanswered:
            errors["unanswered"] = [_name(q) for q in unanswered]
        super().__init__(errors)


def _name(question: Question) -> str:
    text = question.text if len(question.text) <= 90 else question.text[:88] + "…"
    return f"{question.key}: {text}"


def _ensure_open(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.OPEN:
        raise ValidationError(
            "This assessment has been submitted; its answers can no longer change."
        )


def _ensure_question_of(assessment: Assessment, question: Question) -> None:
    if question.version_id != assessment.version_id:
        raise ValidationError({"question": "This question is not part of this assessment."})


# The round's change history (each autosaved answer is not a line of it: submitting is) -------


def _record(*, program, assessment, what: str, summary: str, by, changes=None) -> None:
    record_change(
        program=program,
        practice=assessment.practice_id,
        subject_type=SubjectType.ASSESSMENT,
        subject_id=assessment.pk,
        what=what,
        summary=summary,
        changes=changes,
        by=by,
    )


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


# Opening a round ---------------------------------------------------------------------------


@transaction.atomic
def assessment_open(
    *, program, practice, version, by, due_on=None, kind: str | None = None
) -> Assessment:
    """Open an assessment round of `practice` against a published instrument version.

    It is the baseline when the practice has no submitted assessment of that instrument yet, a
    follow-up otherwise. One open round per practice and instrument at a time."""
    ensure_in_program(program, practice, version)
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError({"version": "Only a published instrument version can be used."})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date cannot be in the past."})
    same_instrument = Assessment.objects.select_for_update().filter(
        practice=practice, version__instrument_id=version.instrument_id
    )
    already_open = same_instrument.filter(status=AssessmentStatus.OPEN).first()
    if already_open is not None:
        raise ValidationError(
            f"{practice} already has an open round of {version.instrument} "
            f"(opened {already_open.opened_at:%d %b %Y}); submit it first."
        )
    derived = (
        AssessmentKind.FOLLOW_UP
        if same_instrument.filter(status=AssessmentStatus.SUBMITTED).exists()
        else AssessmentKind.BASELINE
    )
    if kind is not None and kind != derived:
        raise ValidationError(
            {"kind": f"This round is a {derived.label.lower()}: that follows from earlier rounds."}
        )
    assessment = Assessment.objects.create(
        program=program,
        practice=practice,
        version=version,
        kind=derived,
        opened_by=by,
        due_on=due_on,
    )
    _record(
        program=program,
        assessment=assessment,
        what="assessment.opened",
        summary=f"{derived.label} round of {version} opened"
        + (f", answers due {due_on.day} {due_on:%b %Y}." if due_on else "."),
        changes=diff({}, {"status": assessment.status, "due_on": due_on}) if due_on else None,
        by=by,
    )
    return assessment


# Answering as oneself ----------------------------------------------------------------------


def _response_for(*, program, assessment, respondent, lock: bool = False) -> Response:
    responses = Response.objects.filter(assessment=assessment, respondent=respondent)
    response = (responses.select_for_update() if lock else responses).first()
    if response is None:
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    program=program, assessment=assessment, respondent=respondent
                )
        except IntegrityError:  # a parallel first answer created it
            response = responses.get()
    return response


def answer_save(
    *, program, assessment, respondent, question, value, is_na: bool = False
) -> Answer | None:
    """Save (or, for an empty value, clear) one of the respondent's answers; the autosave.

    Creates the person's response on their first answer. Returns the answer, or None when it
    was cleared. An invalid answer raises ValidationError and saves nothing."""
    saved = answers_save(
        program=program,
        assessment=assessment,
        respondent=respondent,
        items=[(question, value, is_na)],
    )
    return saved[question.pk]


@transaction.atomic
def answers_save(*, program, assessment, respondent, items) -> dict[int, Answer | None]:
    """Save several answers at once, all or none. `items` is [(question, value, is_na)].

    A ValidationError names each failing question by its id as a string ("12": [message]), so
    pages and the API can show the message beside the question."""
    ensure_in_program(program, assessment)
    _ensure_open(assessment)
    cleaned, errors = [], {}
    for question, value, is_na in items:
        ensure_in_program(program, question)
        _ensure_question_of(assessment, question)
        try:
            cleaned.append((question, *clean_answer(question, value, is_na=is_na)))
        except ValidationError as error:
            errors[str(question.pk)] = error.messages
    if errors:
        raise ValidationError(errors)
    response = _response_for(
        program=program, assessment=assessment, respondent=respondent, lock=True
    )
    if response.submitted_at is not None:
        raise ValidationError("You have submitted your answers; they can no longer change.")
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.filter(
            response=response, question_id__in=[q.pk for q, *_ in cleaned]
        )
    }
    saved: dict[int, Answer | None] = {}
    for question, value, is_na in cleaned:
        answer = existing.get(question.pk)
        if value is None and not is_na:
            if answer is not None:
                answer.delete()
            saved[question.pk] = None
            continue
        if answer is None:
            answer = Answer(program=program, response=response, question=question)
        answer.value, answer.is_na = value, is_na
        answer.save()
        saved[question.pk] = answer
    response.save(update_fields=["updated_at"])
    return saved


@transaction.atomic
def response_submit(*, program, assessment, respondent) -> Response:
    """The respondent is done. Every required question must have an answer (N/A counts);
    otherwise MissingAnswers names them and nothing changes."""
    ensure_in_program(program, assessment)
    _ensure_open(assessment)
    response = _response_for(
        program=program, assessment=assessment, respondent=respondent, lock=True
    )
    if response.submitted_at is not None:
        raise ValidationError("You have already submitted your answers.")
    answered = set(response.answers.values_list("question_id", flat=True))
    missing = list(
        Question.objects.filter(version_id=assessment.version_id, required=True)
        .exclude(pk__in=answered)
        .order_by("domain__position", "position", "pk")
    )
    if missing:
        count = len(missing)
        raise MissingAnswers(
            missing,
            f"{count} required question{'s' if count != 1 else ''} still "
            f"{'need' if count != 1 else 'needs'} an answer.",
        )
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at", "updated_at"])
    count = len(answered)
    _record(
        program=program,
        assessment=assessment,
        what="response.submitted",
        summary=f"{respondent} submitted their answers ({count} question"
        f"{'s' if count != 1 else ''} answered).",
        by=respondent,
    )
    return response


# Consensus and submission --------------------------------------------------------------------


@transaction.atomic
def consensus_record(
    *, program, assessment, question, value, is_na: bool = False, by, note: str = ""
) -> ConsensusAnswer:
    """Record the agreed answer to one question of the round (it replaces any earlier one);
    the consensus is what gets scored."""
    ensure_in_program(program, assessment, question)
    _ensure_open(assessment)
    _ensure_question_of(assessment, question)
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
    _record(
        program=program,
        assessment=assessment,
        what="consensus.recorded",
        summary=summary,
        changes=changes,
        by=by,
    )
    return record


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
    _ensure_open(locked)
    grid = selectors.consensus_grid(assessment=locked)
    if not grid.can_submit:
        raise SubmissionBlocked(
            unanswered=[row.question for row in grid.unanswered],
            disagreements=[row.question for row in grid.disagreements],
        )
    single = len(grid.counted) == 1
    agreed = [
        ConsensusAnswer(
            program=program,
            assessment=locked,
            question=row.question,
            value=row.agreed[0],
            is_na=row.agreed[1],
            note=SINGLE_NOTE if single else AGREED_NOTE,
            decided_by=None,
        )
        for row in grid.all_rows()
        if row.consensus is None and row.agreed is not None
    ]
    ConsensusAnswer.objects.bulk_create(agreed)

    result = scoring.score_assessment(locked)
    DomainScore.objects.filter(assessment=locked).delete()
    DomainScore.objects.bulk_create(
        DomainScore(
            program=program,
            assessment=locked,
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
    locked.status = AssessmentStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    locked.overall_score = result.percent
    locked.achieved_points = result.achieved
    locked.attainable_points = result.attainable
    locked.save()
    overall = "no score" if result.percent is None else f"overall {result.percent}%"
    _record(
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
    for name in (
        "status",
        "submitted_at",
        "submitted_by",
        "overall_score",
        "achieved_points",
        "attainable_points",
    ):
        setattr(assessment, name, getattr(locked, name))
    return locked
