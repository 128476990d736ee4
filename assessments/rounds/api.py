"""REST endpoints for assessment rounds: opening, answering, consensus, submission, scores and
comparisons.

Every path is under /api/v1/programs/<program>/ (psp/api/urls.py reads `routes`). Writes go
through the services with the program from the scope; practices, versions and questions named in
the input are looked up inside the program (questions inside the round's own version). The
per-round actions first find the round among those the caller may see (404 otherwise), then
check the capability the action needs on its practice (403), so "not yours" and "missing" read
the same.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments.instruments.models import Question
from assessments.rounds import selectors, services, submission
from assessments.rounds.comparison import comparison as round_comparison
from assessments.rounds.consensus import consensus_grid
from assessments.rounds.filters import AssessmentFilter, DomainScoreFilter
from assessments.rounds.models import Assessment, AssessmentStatus, DomainScore
from assessments.rounds.serializers import (
    AnswersInputSerializer,
    AssessmentSerializer,
    ComparisonSerializer,
    ConsensusGridSerializer,
    ConsensusInputSerializer,
    DomainScoreSerializer,
    MyAnswersSerializer,
    ResponseStatusSerializer,
)
from psp.api.errors import field_errors
from psp.api.pagination import KeysetCursorPagination
from psp.api.viewsets import ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer
from psp.tenancy.permissions import Capability

VIEW = Capability.ASSESSMENT_VIEW
OPEN = Capability.ASSESSMENT_OPEN
ANSWER = Capability.ASSESSMENT_ANSWER
FACILITATE = Capability.ASSESSMENT_FACILITATE


# Viewsets ---------------------------------------------------------------------------------


class AssessmentViewSet(ProgramScopedViewSet):
    """Assessment rounds of the practices the caller may see. Creating one opens a round; the
    actions answer it (as oneself), record consensus, submit it for scoring and compare it."""

    queryset = Assessment.objects.none()  # for schema introspection only
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    # Paged by cursor; only by when an assessment opened (every assessment has that; a score
    # or a submission time may not be there yet).
    pagination_class = KeysetCursorPagination
    ordering_fields = ["opened_at"]
    ordering = ["-opened_at", "-pk"]
    http_method_names = ["get", "post", "head", "options"]
    read_capability = VIEW
    write_capability = OPEN
    # As on every route: a role that holds the action's capability nowhere is refused before
    # the round is looked up (403 whatever the id); others find the round among those they
    # may see (else 404), and the capability is checked on its practice (else 403).
    action_capabilities = {
        "answers": ANSWER,
        "answers_save": ANSWER,
        "submit_response": ANSWER,
        "consensus": VIEW,
        "consensus_record": FACILITATE,
        "submit": FACILITATE,
        "comparison": VIEW,
        "history": VIEW,
    }

    def scoped_queryset(self):
        return selectors.assessment_api_list(access=self.request.access)

    def create_object(self, serializer):
        data = serializer.validated_data
        assessment = services.assessment_open(
            program=self.request.program,
            practice=data["practice"],
            version=data["version"],
            due_on=data.get("due_on"),
            by=self.request.user,
        )
        return self.scoped_queryset().get(pk=assessment.pk)

    def _questions(self, assessment, ids) -> dict[int, Question]:
        return {
            q.pk: q
            for q in Question.objects.filter(
                version_id=assessment.version_id, pk__in=ids
            ).prefetch_related("options")
        }

    def _my_answers(self, assessment) -> dict:
        response, answers = selectors.my_response(
            assessment=assessment, respondent=self.request.user
        )
        keys = dict(Question.objects.filter(pk__in=list(answers)).values_list("pk", "key"))
        rows = [
            {
                "question": qid,
                "question_key": keys.get(qid, ""),
                "value": answer.value,
                "is_na": answer.is_na,
                "updated_at": answer.updated_at,
            }
            for qid, answer in sorted(answers.items())
        ]
        return {
            "response": response.pk if response else None,
            "submitted_at": response.submitted_at if response else None,
            "answers": rows,
        }

    # Answering as oneself ---------------------------------------------------------------------

    @extend_schema(
        responses=MyAnswersSerializer,
        summary="My answers to a round",
        description="The caller's own answers (they answer as themselves).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def answers(self, request, *args, **kwargs):
        assessment = self.get_object()
        return Response(MyAnswersSerializer(self._my_answers(assessment)).data)

    @extend_schema(
        request=AnswersInputSerializer,
        responses=MyAnswersSerializer,
        summary="Save my answers",
        description="Save one or many of the caller's answers, all or none: every answer is "
        "checked against its question's kind first (a scale value out of range, a choice that "
        "is not an option, a number out of bounds, N/A where not allowed), and any error saves "
        "nothing. Errors are reported by position: fields.answers[i].",
    )
    @answers.mapping.post
    def answers_save(self, request, *args, **kwargs):
        assessment = self.get_object()
        body = AnswersInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        items = body.validated_data["answers"]
        questions = self._questions(assessment, [item["question"] for item in items])
        errors = [{} for _ in items]
        for i, item in enumerate(items):
            if item["question"] not in questions:
                errors[i] = {"question": [f"No question with id {item['question']} in this round."]}
        if any(errors):
            raise serializers.ValidationError({"answers": errors})
        try:
            services.answers_save(
                program=request.program,
                assessment=assessment,
                respondent=request.user,
                items=[(questions[i["question"]], i["value"], i["is_na"]) for i in items],
            )
        except DjangoValidationError as error:
            if not hasattr(error, "error_dict"):
                raise serializers.ValidationError({"non_field_errors": error.messages}) from error
            by_question = field_errors(error)
            for i, item in enumerate(items):
                messages = by_question.get(str(item["question"]))
                if messages:
                    errors[i] = {"value": messages}
            raise serializers.ValidationError({"answers": errors}) from error
        return Response(MyAnswersSerializer(self._my_answers(assessment)).data)

    @extend_schema(
        request=None,
        responses=ResponseStatusSerializer,
        summary="Submit my answers",
        description="The caller is done answering. Refused (400, fields.unanswered) while a "
        "required question of theirs has no answer.",
    )
    @action(detail=True, methods=["post"], url_path="submit-response", filter_backends=[])
    def submit_response(self, request, *args, **kwargs):
        assessment = self.get_object()
        try:
            response = services.response_submit(
                program=request.program, assessment=assessment, respondent=request.user
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(field_errors(error)) from error
        return Response(ResponseStatusSerializer(response).data)

    # Consensus and submission -----------------------------------------------------------------

    def _grid(self, assessment) -> dict:
        grid = consensus_grid(assessment=assessment)
        questions = []
        for domain, rows in grid.sections():
            for row in rows:
                consensus = row.consensus
                questions.append(
                    {
                        "question": row.question.pk,
                        "question_key": row.question.key,
                        "domain_key": domain.key,
                        "text": row.question.text,
                        "required": row.question.required,
                        "scored": row.question.is_scored,
                        "answers": [
                            {
                                "response": cell.response.pk,
                                "answered": cell.answered,
                                "value": cell.value,
                                "is_na": cell.is_na,
                            }
                            for cell in row.cells
                        ],
                        "disagreement": row.disagreement,
                        "consensus": None
                        if consensus is None
                        else {
                            "value": consensus.value,
                            "is_na": consensus.is_na,
                            "note": consensus.note,
                            "decided_by": consensus.decided_by_id,
                            "decided_at": consensus.decided_at,
                        },
                        "blocks": row.blocks,
                    }
                )
        return {
            "can_submit": grid.can_submit and assessment.status == AssessmentStatus.OPEN,
            "respondents": [
                {
                    "response": r.pk,
                    "respondent": r.respondent_id,
                    "name": str(r.respondent),
                    "submitted_at": r.submitted_at,
                    "counted": r.submitted_at is not None,
                }
                for r in grid.responses
            ],
            "questions": questions,
        }

    @extend_schema(
        responses=ConsensusGridSerializer,
        summary="Everyone's answers side by side",
        description="Questions × respondents, whether the submitted answers agree, the consensus "
        "recorded so far, and what still blocks submission.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def consensus(self, request, *args, **kwargs):
        assessment = self.get_object()
        return Response(ConsensusGridSerializer(self._grid(assessment)).data)

    @extend_schema(
        request=ConsensusInputSerializer,
        responses=ConsensusGridSerializer,
        summary="Record a consensus answer",
        description="Record (or replace) the agreed answer to one question; it is what gets "
        "scored. Validated like any answer.",
    )
    @consensus.mapping.post
    def consensus_record(self, request, *args, **kwargs):
        assessment = self.get_object()
        body = ConsensusInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        question = self._questions(assessment, [data["question"]]).get(data["question"])
        if question is None:
            raise serializers.ValidationError(
                {"question": [f"No question with id {data['question']} in this round."]}
            )
        try:
            submission.consensus_record(
                program=request.program,
                assessment=assessment,
                question=question,
                value=data["value"],
                is_na=data["is_na"],
                note=data["note"],
                by=request.user,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(field_errors(error)) from error
        return Response(ConsensusGridSerializer(self._grid(assessment)).data)

    @extend_schema(
        request=None,
        responses=AssessmentSerializer,
        summary="Submit and score the round",
        description="Scores the round from the consensus (recorded, else the answer every "
        "submitted respondent gave) and stores the scores with it. Refused (400) while a "
        "required question has no answer (fields.unanswered) or a disagreement without a "
        "recorded consensus (fields.disagreements).",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, *args, **kwargs):
        assessment = self.get_object()
        try:
            submission.assessment_submit(
                program=request.program, assessment=assessment, by=request.user
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(field_errors(error)) from error
        fresh = self.scoped_queryset().get(pk=assessment.pk)
        return Response(AssessmentSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        responses=ComparisonSerializer,
        summary="Compare with the baseline and the previous round",
        description="Domain by domain (matched by domain key), with the change in percentage "
        "points. `baseline` and `previous` are null when there is no such earlier round.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def comparison(self, request, *args, **kwargs):
        assessment = self.get_object()
        return Response(ComparisonSerializer(round_comparison(assessment=assessment)).data)

    @extend_schema(
        responses=ChangeRecordSerializer(many=True),
        summary="A round's change history",
        description="Who changed what in the round, and when, newest first: its opening, each "
        "person's submitted answers, each consensus recorded (answer and note before → after) "
        "and the submission. Autosaved answers are not listed one by one.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        assessment = self.get_object()
        changes = history_of(subject_type=SubjectType.ASSESSMENT, subject_id=assessment.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)


class DomainScoreViewSet(ProgramScopedViewSet):
    """Domain scores of submitted rounds, as stored at submission."""

    queryset = DomainScore.objects.none()  # for schema introspection only
    serializer_class = DomainScoreSerializer
    filterset_class = DomainScoreFilter
    ordering_fields = ["percent", "position"]
    http_method_names = ["get", "head", "options"]
    read_capability = VIEW

    def scoped_queryset(self):
        return selectors.domain_score_list(access=self.request.access)

    def practice_id_of(self, obj) -> int:
        return obj.assessment.practice_id


routes = [
    ("assessments", AssessmentViewSet, "assessments"),
    ("domain-scores", DomainScoreViewSet, "domain-scores"),
]
