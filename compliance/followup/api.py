"""REST endpoints of compliance follow-up, under /api/v1/programs/<program>/ (psp/api/urls.py
reads `routes`):

    GET  checklist-status/  the counts of the overview and each practice's latest checklist of
                            each template with where it stands (the status matrix, as rows)
    GET  checklists-due/    checklists not signed off, overdue or due within 14 days

Summaries computed from many rows, so built on the sealed ProgramReportViewSet; they read only
the checklists compliance.view reaches for the caller, with the pages' filters
(ChecklistFollowUpFilter): a refused filter is a 400 naming it.
"""

from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from compliance.followup import selectors
from compliance.followup.filters import ChecklistFollowUpFilter
from compliance.followup.states import FollowUp, standing_of
from psp.api.pagination import StandardPagination
from psp.api.viewsets import ProgramReportViewSet
from psp.tenancy.permissions import Capability


class CountsSerializer(serializers.Serializer):
    overdue = serializers.IntegerField(help_text="Not signed off by the due date.")
    due_soon = serializers.IntegerField(help_text="Not signed off, due within 14 days.")
    awaiting_signoff = serializers.IntegerField(help_text="Completed, not yet signed off.")
    signed_on_time = serializers.IntegerField(help_text="Signed off on time this year.")
    signed_late = serializers.IntegerField(help_text="Signed off late this year.")
    year = serializers.IntegerField()


class FollowUpRowSerializer(serializers.Serializer):
    checklist = serializers.IntegerField(source="pk", help_text="The checklist's id.")
    practice = serializers.IntegerField(source="practice_id")
    practice_name = serializers.CharField(source="practice.name")
    template = serializers.IntegerField(source="template_id")
    template_name = serializers.CharField(source="template.name")
    period = serializers.CharField(source="period_label")
    due_on = serializers.DateField()
    status = serializers.CharField(help_text="open, in_progress, completed or attested.")
    follow_up = serializers.ChoiceField(choices=FollowUp.choices, source="standing.state")
    days_overdue = serializers.IntegerField(
        source="standing.days_overdue",
        help_text="Days past the due date unsigned (or, signed late, by how many days).",
    )
    signed_on = serializers.DateField(allow_null=True)


class StatusSerializer(serializers.Serializer):
    counts = CountsSerializer()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = FollowUpRowSerializer(many=True)


class FollowUpViewSet(ProgramReportViewSet):
    read_capability = Capability.COMPLIANCE_VIEW
    filterset_class = ChecklistFollowUpFilter
    pagination_class = StandardPagination

    def filtered(self, queryset):
        filterset = self.filterset_class(self.request.query_params, queryset, request=self.request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs

    def page_of(self, queryset, today):
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(queryset, self.request, view=self)
        for row in rows:
            row.standing = standing_of(row, today)
        return paginator, FollowUpRowSerializer(rows, many=True).data


class ChecklistStatusViewSet(FollowUpViewSet):
    @extend_schema(
        responses=StatusSerializer,
        summary="Where the practices' checklists stand",
        description="The overview's counts over every current checklist the filters choose, and "
        "each practice's latest checklist of each template (the period opened last) with where "
        "it stands today, by practice and template name.",
    )
    def read(self, request, *args, **kwargs):
        today = request.program.local_today()
        access = request.access
        latest = self.filtered(selectors.latest_checklists(access=access))
        counts = selectors.follow_up_counts(
            self.filtered(selectors.current_checklists(access=access)), today
        )
        rows = latest.order_by("practice__name", "practice_id", "template__name", "pk")
        paginator, data = self.page_of(rows, today)
        response = paginator.get_paginated_response(data)
        response.data = {"counts": CountsSerializer(counts).data, **response.data}
        return response


class ChecklistsDueViewSet(FollowUpViewSet):
    @extend_schema(
        responses=FollowUpRowSerializer(many=True),
        summary="Checklists due and overdue",
        description="Checklists not signed off that are overdue or due within 14 days (the "
        "program's date), soonest due first.",
    )
    def read(self, request, *args, **kwargs):
        today = request.program.local_today()
        current = self.filtered(selectors.current_checklists(access=request.access))
        paginator, data = self.page_of(selectors.due_checklists(current, today), today)
        return paginator.get_paginated_response(data)


routes = [
    ("checklist-status", ChecklistStatusViewSet, "checklist-status"),
    ("checklists-due", ChecklistsDueViewSet, "checklists-due"),
]
