"""REST endpoints for participant feedback, under /api/v1/programs/<program>/.

- `feedback-invites`: the caller's own invitations (anyone else's answer 404, the same as a
  missing one). `POST …/feedback-invites/{id}/respond/` answers one, once; `…/decline/` closes
  it without an answer.
- `feedback-summary` (FEEDBACK_RESULTS): the results per coach and for the program, with the
  same anonymity threshold as the results page. Admins and managers read every coach; a coach
  reads their own visits only. `…/feedback-summary/{user_id}/` is one coach's results.

Neither endpoint ever names who answered what.
"""

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from coaching.feedback import selectors, services
from coaching.feedback.models import FeedbackInvite
from coaching.feedback.services import COMMENT_MAX
from psp.api.pagination import KeysetCursorPagination
from psp.api.viewsets import ProgramScopedViewSet, ProgramSummaryViewSet
from psp.tenancy.models import ProgramMembership
from psp.tenancy.permissions import Capability

# Invitations --------------------------------------------------------------------------------


class FeedbackInviteSerializer(serializers.ModelSerializer):
    visit_date = serializers.DateField(source="visit.visit_date", read_only=True)
    coach_name = serializers.SerializerMethodField()
    practice_name = serializers.CharField(source="visit.practice.name", read_only=True)
    status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackInvite
        fields = [
            "id",
            "visit",
            "visit_date",
            "coach_name",
            "practice_name",
            "status",
            "created_at",
            "answered_at",
            "declined_at",
            "url",
        ]
        read_only_fields = fields

    def get_coach_name(self, invite) -> str:
        return invite.visit.coach.get_full_name() if invite.visit.coach else ""

    @extend_schema_field(serializers.ChoiceField(choices=["open", "answered", "declined"]))
    def get_status(self, invite) -> str:
        if invite.answered_at is not None:
            return "answered"
        return "declined" if invite.declined_at is not None else "open"

    def get_url(self, invite) -> str:
        """The feedback page in the browser."""
        return services.feedback_invite_url(invite)


class FeedbackAnswerSerializer(serializers.Serializer):
    usefulness = serializers.IntegerField(
        min_value=1, max_value=5, help_text="How useful was the visit, 1 (not) to 5 (very)."
    )
    would_recommend = serializers.IntegerField(
        min_value=0,
        max_value=10,
        help_text="How likely to recommend this support to a colleague, 0 to 10.",
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=COMMENT_MAX
    )


class FeedbackInviteViewSet(ProgramScopedViewSet):
    """The caller's own feedback invitations, newest visit first."""

    queryset = FeedbackInvite.objects.none()  # for schema introspection only
    serializer_class = FeedbackInviteSerializer
    http_method_names = ["get", "post", "head", "options"]
    pagination_class = KeysetCursorPagination
    ordering_fields = ["created_at", "visit__visit_date"]
    ordering = ["-visit__visit_date", "-pk"]

    def scoped_queryset(self):
        return selectors.invites_of(user=self.request.user)

    def practice_id_of(self, obj):
        return None  # the person's own; no practice role is asked

    # POST is open for `respond`; invitations themselves are made by logging a visit.
    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed(request.method)

    @extend_schema(
        request=FeedbackAnswerSerializer,
        responses={201: FeedbackInviteSerializer},
        summary="Answer a feedback invitation",
        description="Once, by the invitation's own person. The answer is stored without any "
        "link to the person. A second answer, or an answer to a declined invitation, is "
        "refused.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def respond(self, request, *args, **kwargs):
        invite = self.get_object()
        body = FeedbackAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.feedback_respond(
            program=request.program, invite=invite, by=request.user, **body.validated_data
        )
        fresh = self.scoped_queryset().get(pk=invite.pk)
        return Response(FeedbackInviteSerializer(fresh).data, status=201)

    @extend_schema(
        request=None,
        responses=FeedbackInviteSerializer,
        summary="Decline a feedback invitation",
        description="“Not this time”: the invitation closes without an answer.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decline(self, request, *args, **kwargs):
        invite = self.get_object()
        services.feedback_decline(program=request.program, invite=invite, by=request.user)
        fresh = self.scoped_queryset().get(pk=invite.pk)
        return Response(FeedbackInviteSerializer(fresh).data)


# Results ------------------------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(
        help_text="Fewer answers than the threshold: the numbers are null."
    )
    responses = serializers.IntegerField(allow_null=True)
    average_usefulness = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    nps = serializers.IntegerField(allow_null=True, help_text="Net promoter score, −100 to 100.")
    invites = serializers.IntegerField(allow_null=True)
    response_rate = serializers.IntegerField(
        allow_null=True, help_text="Invitations answered, in % of those sent."
    )


class QuarterFiguresSerializer(FiguresSerializer):
    quarter = serializers.CharField(help_text="e.g. Q2 2025 (the quarter of the visits).")
    start = serializers.DateField()


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField()
    quarter = serializers.CharField(
        help_text="YYYY-Qn, the quarter of the visit (never the month or the visit itself)."
    )


class GroupSerializer(serializers.Serializer):
    coach = serializers.IntegerField(allow_null=True, help_text="The coach's person id.")
    coach_name = serializers.CharField()
    quarters = QuarterFiguresSerializer(many=True)
    total = FiguresSerializer(help_text="The quarters shown, added up.")
    comments = CommentSerializer(many=True)


@extend_schema_serializer(many=False)  # the list endpoint answers one summary, not a list
class SummarySerializer(serializers.Serializer):
    threshold = serializers.IntegerField(help_text="The fewest answers a group shows numbers for.")
    program = GroupSerializer(allow_null=True, help_text="Null for a coach.")
    coaches = GroupSerializer(many=True)


def _group(group) -> dict:
    return {
        "coach": group.coach.pk if group.coach is not None else None,
        "coach_name": group.name,
        "quarters": [
            {"quarter": quarter.label, "start": quarter.start, **figures.as_dict()}
            for quarter, figures in group.quarters
        ],
        "total": group.total.as_dict(),
        "comments": [
            {
                "text": comment.text,
                "quarter": f"{comment.quarter.start.year}-Q{comment.quarter.number}",
            }
            for comment in group.comments
        ],
    }


@extend_schema_view(
    retrieve=extend_schema(summary="One coach's feedback results", responses=GroupSerializer)
)
class FeedbackSummaryViewSet(ProgramSummaryViewSet):
    """Participant feedback results by the quarter of the visit, last four quarters."""

    queryset = ProgramMembership.objects.none()  # the id's type, for the schema only
    read_capability = Capability.FEEDBACK_RESULTS
    lookup_field = "user_id"

    @extend_schema(
        summary="Feedback results per coach and for the program",
        responses=SummarySerializer,
        operation_id="feedback_summary_list",
    )
    def read(self, request, *args, **kwargs):
        results = selectors.feedback_results(access=request.access)
        summary = {
            "threshold": results.threshold,
            "program": _group(results.program) if results.program else None,
            "coaches": [_group(group) for group in results.coaches],
        }
        return Response(SummarySerializer(summary).data)

    def read_one(self, request, pk):
        """One coach's results: 404 for someone who is not and never was a coach of the
        program, and for another coach than oneself when one reads only one's own."""
        coach = selectors.coach_in_results(access=request.access, user_id=pk)
        if coach is None:
            raise exceptions.NotFound()
        group = selectors.coach_results(access=request.access, coach_id=coach.pk)
        if group is None:  # no visits with feedback in the quarters shown
            group = selectors.GroupResults(
                coach=coach,
                quarters=[(quarter, selectors.Figures()) for quarter in selectors.last_quarters()],
            )
        return Response(GroupSerializer(_group(group)).data)


routes = [
    ("feedback-invites", FeedbackInviteViewSet, "feedback-invites"),
    ("feedback-summary", FeedbackSummaryViewSet, "feedback-summary"),
]
