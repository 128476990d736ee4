"""The assessment rounds waiting for one person's answers, for their home page: the open rounds of
the practices where they answer, which they have not submitted yet, each with how far they have
come and where their next unanswered question is.

One query whatever the number of rounds, questions or answers: the counts and the next question
are subqueries of the rounds' query.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from assessments.instruments.models import Domain, Question
from assessments.rounds.models import Answer, Assessment, AssessmentStatus, Response
from psp.tenancy.permissions import Capability

ANSWER = Capability.ASSESSMENT_ANSWER


@dataclass(frozen=True)
class RoundToAnswer:
    """One round the person has to start or continue answering."""

    assessment: Assessment
    answered: int
    total: int
    next_url: str  # their next unanswered question (the last step when all are answered)
    next_step: int

    @property
    def instrument_name(self) -> str:
        return self.assessment.version.instrument.name

    @property
    def due_on(self) -> date | None:
        return self.assessment.due_on

    @property
    def started(self) -> bool:
        return self.answered > 0

    @property
    def percent(self) -> int:
        """Answered as a share of all questions, in steps of 5 (the CSS bar widths)."""
        return round(self.answered / self.total * 20) * 5 if self.total else 0

    @property
    def all_answered(self) -> bool:
        return self.total > 0 and self.answered >= self.total


def _count(queryset: QuerySet) -> Subquery:
    """A subquery counting `queryset`'s rows (0 when there are none)."""
    counted = queryset.order_by().values("program").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _rounds(*, access, user) -> QuerySet[Assessment]:
    mine = Answer.objects.filter(response__assessment=OuterRef("pk"), response__respondent=user)
    # The first question of the version, in the order the answer steps show them (domains by
    # position, then questions by position), that the person has not answered.
    unanswered = (
        Question.objects.filter(version=OuterRef("version"))
        .exclude(
            pk__in=Answer.objects.filter(
                response__assessment=OuterRef(OuterRef("pk")), response__respondent=user
            ).values("question_id")
        )
        .order_by("domain__position", "domain_id", "position", "pk")
    )
    submitted = Response.objects.filter(
        assessment=OuterRef("pk"), respondent=user, submitted_at__isnull=False
    )
    return (
        Assessment.objects.filter(access.practice_filter(ANSWER, "practice_id"))
        .filter(status=AssessmentStatus.OPEN)
        .exclude(Exists(submitted))
        .select_related("practice", "version__instrument")
        .annotate(
            answered=_count(mine),
            total=_count(Question.objects.filter(version=OuterRef("version"))),
            domains=_count(Domain.objects.filter(version=OuterRef("version"))),
            next_question_id=Subquery(unanswered.values("pk")[:1]),
            next_domain_position=Subquery(unanswered.values("domain__position")[:1]),
            next_domain_id=Subquery(unanswered.values("domain_id")[:1]),
        )
        .annotate(
            # The step of that question: its domain's place among the version's domains.
            next_step=_count(
                Domain.objects.filter(version=OuterRef("version")).filter(
                    Q(position__lt=OuterRef("next_domain_position"))
                    | Q(
                        position=OuterRef("next_domain_position"),
                        pk__lte=OuterRef("next_domain_id"),
                    )
                )
            )
        )
        .order_by(F("due_on").asc(nulls_last=True), "opened_at", "pk")
    )


def rounds_to_answer(*, access, user, program_slug: str) -> list[RoundToAnswer]:
    """The open rounds `user` answers in (ASSESSMENT_ANSWER on the practice) and has not
    submitted, soonest due first, each with their progress and a link to their next
    unanswered question. One query."""
    if not access.can(ANSWER):
        return []
    rounds = []
    for assessment in _rounds(access=access, user=user):
        answer_url = reverse(
            "assessments:answer", kwargs={"program": program_slug, "pk": assessment.pk}
        )
        if assessment.next_question_id is None:  # all answered: the last step, to submit
            step = max(assessment.domains, 1)
            url = f"{answer_url}?step={step}"
        else:
            step = max(assessment.next_step, 1)
            url = f"{answer_url}?step={step}#question-{assessment.next_question_id}"
        rounds.append(
            RoundToAnswer(
                assessment=assessment,
                answered=assessment.answered,
                total=assessment.total,
                next_url=url,
                next_step=step,
            )
        )
    return rounds
