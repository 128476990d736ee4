"""Writes for completing assessments: opening a round, answering as oneself and submitting
one's answers. Recording the consensus and submitting the round for scoring are in
submission.py.

Every function takes the program explicitly (keyword-only) and refuses objects of another
program, or questions of another instrument version, with a ValidationError. Who may call which
is the permission matrix's business (views and API check it); the rules about state live here.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.instruments.models import Question, VersionStatus
from assessments.rounds.answers import clean_answer
from assessments.rounds.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Response,
)
from psp.history.models import SubjectType
from psp.history.services import diff, record_change
from psp.tenancy.base import ensure_in_program


class MissingAnswers(ValidationError):
    """Required questions without an answer; `questions` lists them (for links to their step)."""

    def __init__(self, questions: list[Question], message: str):
        self.questions = questions
        super().__init__({"unanswered": [question_name(q) for q in questions]})
        self.summary = message


def question_name(question: Question) -> str:
    """A question as error messages name it: its key and (shortened) text."""
    text = question.text if len(question.text) <= 90 else question.text[:88] + "…"
    return f"{question.key}: {text}"


def ensure_open(assessment: Assessment) -> None:
    """Refuse a change to a round that has been submitted."""
    if assessment.status != AssessmentStatus.OPEN:
        raise ValidationError(
            "This assessment has been submitted; its answers can no longer change."
        )


def ensure_question_of(assessment: Assessment, question: Question) -> None:
    """Refuse a question of another instrument version than the round's."""
    if question.version_id != assessment.version_id:
        raise ValidationError({"question": "This question is not part of this assessment."})


# The round's change history (each autosaved answer is not a line of it: submitting is) -------


def record_change_of(*, program, assessment, what: str, summary: str, by, changes=None) -> None:
    """One line of the round's change history."""
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
    record_change_of(
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
    ensure_open(assessment)
    cleaned, errors = [], {}
    for question, value, is_na in items:
        ensure_in_program(program, question)
        ensure_question_of(assessment, question)
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
    ensure_open(assessment)
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
    record_change_of(
        program=program,
        assessment=assessment,
        what="response.submitted",
        summary=f"{respondent} submitted their answers ({count} question"
        f"{'s' if count != 1 else ''} answered).",
        by=respondent,
    )
    return response
