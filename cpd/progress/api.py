"""REST endpoints of CPD progress, under /api/v1/programs/<program>/:

    GET  cpd-progress/     the caller's progress in their current cycle; `?cycle=` one of their
                           earlier cycles; `?person=` someone else's, for those who may read
                           their CPD (cpd.view: admins and managers, a lead their practice's
                           people; 404 for anyone else, as for an id that names nobody)
    GET  cpd-completion/   everyone a scheme applies to, with their current cycle's standing:
                           the completion page's rows and filters, paginated

Both answer with figures computed from many rows, so they are built on ProgramReportViewSet.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from cpd.activities.selectors import memberships_in_view
from cpd.progress.completion import chosen_standings, listed
from cpd.progress.filters import CompletionFilter
from cpd.progress.person import person_progress
from cpd.progress.serializers import (
    CompletionRowSerializer,
    CpdProgressSerializer,
    completion_body,
    progress_body,
)
from cpd.progress.standings import is_stale, standings_queue_catch_up, standings_run
from cpd.progress.views import reads_completion
from cpd.schemes.models import CpdCycle
from psp.api.pagination import StandardPagination
from psp.api.viewsets import ProgramReportViewSet
from psp.numbers import MAX_ID, parse_id
from psp.tenancy.permissions import Capability

RECORD, VIEW = Capability.CPD_RECORD, Capability.CPD_VIEW


def _id_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        location=OpenApiParameter.QUERY,
        required=False,
        description=description,
    )


class CpdProgressViewSet(ProgramReportViewSet):
    """A person's CPD progress in one cycle: their own (everyone, cpd.record), or someone else's
    they may read (cpd.view's reach, as the people pages)."""

    read_capability = RECORD

    @extend_schema(
        responses=CpdProgressSerializer,
        summary="CPD progress",
        description="The person's cycle (their current one unless `cycle` names another of "
        "theirs): credits against what is required, by category and cycle year, every "
        "requirement with what is missing and the day it is due, what the caps kept out, the "
        "verified credits among those counted, the monthly pace points and their standing "
        "(met, on_pace, behind, no_cycle). Without a cycle, `cycle` and `progress` are null "
        "and `scheme` says whether one applies.",
        parameters=[
            _id_parameter(
                "person",
                "The user id of someone whose CPD you may read (default: yourself); anyone "
                "else is a 404.",
            ),
            _id_parameter("cycle", "One of the person's cycles (default: the current one)."),
        ],
    )
    def read(self, request, *args, **kwargs):
        person = self._person(request)
        cycle_id = self._id(request, "cycle")
        try:
            shown = person_progress(person=person, today=timezone.localdate(), cycle_id=cycle_id)
        except CpdCycle.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(CpdProgressSerializer(progress_body(shown)).data)

    def _person(self, request):
        pk = self._id(request, "person")
        if pk is None or pk == request.user.pk:
            return request.user
        membership = (
            memberships_in_view(access=request.access).filter(user_id=pk).order_by().first()
        )
        if membership is None:
            raise exceptions.NotFound()
        return membership.user

    @staticmethod
    def _id(request, name: str) -> int | None:
        if name not in request.query_params:
            return None
        pk = parse_id(request.query_params[name])
        if pk is None:
            raise exceptions.ValidationError({name: [f"Give a whole number from 1 to {MAX_ID}."]})
        return pk


class CpdCompletionViewSet(ProgramReportViewSet):
    """The program's CPD completion, for its admins and managers (cpd.view over the whole
    program; a lead, who reads only their practice's people, gets 403)."""

    read_capability = VIEW
    pagination_class = StandardPagination
    filterset_class = CompletionFilter  # the completion page's filters

    @extend_schema(
        responses=CompletionRowSerializer(many=True),
        summary="CPD completion",
        description="Everyone a CPD scheme applies to, with their cycle running today: their "
        "standing (met; on_pace; behind: under the steady pace to the total, or a year's "
        "minimum missed; no_cycle: nothing recorded in a cycle yet), credits against what is "
        "required, and their biggest shortfall with its due date. Behind first, then no cycle, "
        "on pace and met; by name within each.",
    )
    def read(self, request, *args, **kwargs):
        if not reads_completion(request.access):
            raise exceptions.PermissionDenied(
                "The program's CPD completion is for its admins and managers."
            )
        filters = self.filter_values()
        status = filters.pop("status")
        rows = listed(chosen_standings(**filters), status=status)
        today = timezone.localdate()
        if is_stale(standings_run(), today):
            standings_queue_catch_up(program=request.program, today=today)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        rows = [completion_body(row) for row in page]
        return paginator.get_paginated_response(CompletionRowSerializer(rows, many=True).data)


routes = [
    ("cpd-progress", CpdProgressViewSet, "cpd-progress"),
    ("cpd-completion", CpdCompletionViewSet, "cpd-completion"),
]
