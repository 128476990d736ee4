"""CPD claims from QI work in the API, under /api/v1/programs/<program>/cpd-claims/:
GET lists the goals, PDSA cycles and audits the caller may claim (with the activity already
drafted from each); POST {source, source_id} drafts a claim (201), or answers with the one
already drafted (200); GET cpd-claims/{id}/ reads one of the caller's claims. Refusals: 404 for
work out of reach, 400 with the reason for work not claimable (not achieved yet, not theirs)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework import status as http_status
from rest_framework.response import Response

from cpd.activities.api.serializers import CpdActivitySerializer
from cpd.activities.models import CpdActivity
from cpd.claims import selectors, services
from psp.api.schema import ErrorSerializer
from psp.api.viewsets import ProgramScopedViewSet
from psp.tenancy.permissions import Capability


class ClaimableSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=selectors.KINDS, help_text="goal, pdsa or audit.")
    id = serializers.IntegerField(source="source_id", help_text="The goal's, cycle's or round's.")
    title = serializers.CharField()
    practice = serializers.CharField(source="practice_name")
    activity = serializers.IntegerField(
        source="activity_id",
        allow_null=True,
        help_text="The CPD activity already drafted from it (null: none yet).",
    )


class ClaimRequestSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=selectors.KINDS)
    source_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class CpdClaimViewSet(ProgramScopedViewSet):
    """CPD claims drafted from one's own quality-improvement work."""

    queryset = CpdActivity.objects.none()  # for schema introspection only
    serializer_class = CpdActivitySerializer
    http_method_names = ["get", "post", "head", "options"]
    read_capability = Capability.CPD_RECORD
    write_capability = Capability.CPD_RECORD

    def scoped_queryset(self):
        return selectors.own_claims(user=self.request.user)

    @extend_schema(
        responses=ClaimableSerializer(many=True),
        summary="The QI work you may claim as CPD",
        description="Achieved plan goals and ended PDSA cycles you took part in (a person of "
        "the practice, or a coach who logged a visit on the goal), and submitted assessment "
        "rounds you answered or submitted; each with the activity already drafted from it.",
    )
    def list(self, request, *args, **kwargs):
        sources = selectors.claim_sources_for(access=request.access)
        page = self.paginate_queryset(sources)
        return self.get_paginated_response(ClaimableSerializer(page, many=True).data)

    @extend_schema(
        request=ClaimRequestSerializer,
        responses={
            201: CpdActivitySerializer,
            200: OpenApiResponse(CpdActivitySerializer, description="Drafted before: that one."),
            400: OpenApiResponse(ErrorSerializer, description="Not claimable, and why."),
            404: OpenApiResponse(ErrorSerializer, description="No such work in your reach."),
        },
        summary="Draft a CPD claim from a goal, PDSA cycle or audit",
        description="A draft activity of yours (a practice audit), to correct and confirm "
        "(cpd-activities/{id}/confirm/); it counts for nothing until then.",
    )
    def create(self, request, *args, **kwargs):
        body = ClaimRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            activity, drafted = services.claim_draft(
                program=request.program, by=request.user, **body.validated_data
            )
        except selectors.SourceOutOfReach:
            raise exceptions.NotFound() from None
        data = CpdActivitySerializer(
            self.scoped_queryset().get(pk=activity.pk), context=self.get_serializer_context()
        ).data
        code = http_status.HTTP_201_CREATED if drafted else http_status.HTTP_200_OK
        return Response(data, status=code)


routes = [("cpd-claims", CpdClaimViewSet, "cpd-claims")]
