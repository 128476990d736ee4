"""REST endpoints for caseloads, the dose of support and the caseload rules.

Every path is under /api/v1/programs/<program>/ (psp/api/urls.py reads `routes`):

    GET        caseload/        each practice with its status, the reasons, and its facts
    GET        dose/            logged visits and minutes, grouped by practice, coach, month...
    GET        caseload-rules/  the program's rules
    PUT/PATCH  caseload-rules/  change them (program admins)

These answer with summaries computed from many rows, not with rows of one model, so they are
built on the core's sealed `ProgramReportViewSet` (psp/api/viewsets.py) rather than on
ProgramScopedViewSet; they keep its permission (ProgramMemberPermission: 404 outside the
caller's program, 403 without the capability) and read only through the selectors, which limit
everything to the caller's reach.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from coaching.caseload import dose, selectors, services, standings
from coaching.caseload.filters import CaseloadFilter, DoseFilter
from coaching.caseload.models import CaseloadRules, Severity
from coaching.caseload.rules import CaseloadStatus
from psp.api.fields import ClockTimeField
from psp.api.pagination import StandardPagination
from psp.api.serializers import PersonSerializer
from psp.api.viewsets import ProgramReportViewSet
from psp.tenancy.permissions import Capability

VIEW, RULES = Capability.CASELOAD_VIEW, Capability.CASELOAD_RULES_MANAGE


# Caseload ----------------------------------------------------------------------------------------


class CaseloadFlagSerializer(serializers.Serializer):
    rule = serializers.CharField(
        help_text="no_visit, overdue_actions, no_plan_progress or assessment_overdue."
    )
    status = serializers.CharField(
        help_text="The status this flag alone gives: attention or stalled."
    )
    message = serializers.CharField(help_text="Why, in words, with the numbers.")


class CaseloadNextVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField(source="visit_date")
    start_time = ClockTimeField(allow_null=True)
    mode = serializers.CharField()
    coach = PersonSerializer(allow_null=True)


class CaseloadPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="plan.pk")
    title = serializers.CharField(source="plan.title")
    goals_achieved = serializers.IntegerField(source="progress.goals_achieved")
    goals_total = serializers.IntegerField(source="progress.goals_total")
    actions_done = serializers.IntegerField(source="progress.actions_done")
    actions_total = serializers.IntegerField(source="progress.actions_total")
    percent = serializers.IntegerField(source="progress.percent")
    last_progress_on = serializers.DateField(source="facts.last_progress_on", allow_null=True)


class CaseloadFactsSerializer(serializers.Serializer):
    last_visit_on = serializers.DateField(allow_null=True)
    days_without_visit = serializers.IntegerField(
        allow_null=True,
        help_text="Since the last logged visit, or (never visited) since the coach took the "
        "practice on.",
    )
    next_visit = CaseloadNextVisitSerializer(allow_null=True, help_text="The next planned visit.")
    open_actions = serializers.IntegerField(help_text="Open or in progress.")
    overdue_actions = serializers.IntegerField()
    oldest_overdue_on = serializers.DateField(source="facts.oldest_overdue_on", allow_null=True)
    plan = serializers.SerializerMethodField(help_text="The active support plan, or null.")
    follow_up_due_on = serializers.DateField(source="facts.follow_up_due_on", allow_null=True)
    visits_this_month = serializers.IntegerField()
    minutes_this_month = serializers.IntegerField()

    @extend_schema_field(CaseloadPlanSerializer(allow_null=True))
    def get_plan(self, entry):
        return CaseloadPlanSerializer(entry).data if entry.plan is not None else None


class CaseloadEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="practice.pk", help_text="The practice's id.")
    name = serializers.CharField(source="practice.name")
    stage = serializers.CharField(source="practice.stage")
    sector = serializers.CharField(source="practice.sector")
    coaches = PersonSerializer(many=True)
    status = serializers.ChoiceField(choices=CaseloadStatus.choices)
    reasons = CaseloadFlagSerializer(source="verdict.flags", many=True)
    facts = CaseloadFactsSerializer(source="*")


class CaseloadViewSet(ProgramReportViewSet):
    """The caseload: coaches get their own practices, admins and managers every practice."""

    read_capability = VIEW
    pagination_class = StandardPagination
    filterset_class = CaseloadFilter  # the caseload pages' filters

    @extend_schema(
        responses=CaseloadEntrySerializer(many=True),
        summary="The caseload",
        description="Each practice in the caller's reach with its status (on_track, attention "
        "or stalled) from the program's caseload rules, every reason for it, and the facts the "
        "rules read. Worst status first; within a status, longest without a visit first.",
    )
    def read(self, request, *args, **kwargs):
        result = standings.program_caseload(access=request.access, **self.filter_values())
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(result.standings, request, view=self)
        entries = result.entries_for(page)
        return paginator.get_paginated_response(CaseloadEntrySerializer(entries, many=True).data)


# Dose --------------------------------------------------------------------------------------------


class DoseTotalSerializer(serializers.Serializer):
    visits = serializers.IntegerField()
    minutes = serializers.IntegerField()
    travel_minutes = serializers.IntegerField(source="travel")


class DoseRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="The group: a practice or person id, 2025-03, 2025-Q1, a mode or an activity."
    )
    label = serializers.CharField()
    visits = serializers.IntegerField()
    minutes = serializers.IntegerField()
    travel_minutes = serializers.SerializerMethodField(
        help_text="Null when grouped by activity: travel belongs to a visit, not its activities."
    )

    def get_travel_minutes(self, row) -> int | None:
        return None if self.context.get("group_by") == "activity" else row.travel


class DoseReportSerializer(serializers.Serializer):
    group_by = serializers.CharField()
    date_from = serializers.DateField(
        help_text="The first day of the first whole month counted (the dose is summed by whole "
        "months: a date_from within a month counts that whole month)."
    )
    date_to = serializers.DateField(help_text="The last day of the last whole month counted.")
    counted_months = serializers.CharField(
        source="months_text",
        help_text="The whole months counted, in words: 'Jan 2026 – Dec 2026'.",
    )
    total = DoseTotalSerializer()
    results = DoseRowSerializer(source="rows", many=True)


class DoseViewSet(ProgramReportViewSet):
    """The dose of support: logged visits only, of the practices whose visits the caller may
    see (a practice's lead and staff: their own practice, as on its dose page)."""

    read_capability = Capability.VISIT_VIEW
    filterset_class = DoseFilter  # the dose page's filters

    @extend_schema(
        responses=DoseReportSerializer,
        summary="The dose of support",
        description="Logged visits, their minutes and travel minutes in the period, in total "
        "and grouped by practice, coach, month, quarter, mode or support activity (one row per "
        "group; months and quarters with no visits are included as zero). Counted by whole "
        "months: the period is widened to the months it touches, as date_from and date_to in "
        "the answer say.",
    )
    def read(self, request, *args, **kwargs):
        report = dose.dose_report(access=request.access, **self.filter_values())
        return Response(DoseReportSerializer(report, context={"group_by": report.group_by}).data)


# Rules -------------------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "enum": Severity.values, "description": "off, attention or stalled."},
    component_name="CaseloadSeverity",
)
class SeverityField(serializers.ChoiceField):
    """How a rule flags a practice; one schema component for both rules that take it."""

    def __init__(self, **kwargs):
        super().__init__(choices=Severity.choices, **kwargs)


class CaseloadRulesSerializer(serializers.ModelSerializer):
    no_plan_progress = SeverityField(
        help_text="What no plan progress for days_without_plan_progress days makes a practice."
    )
    assessment_overdue = SeverityField(
        help_text="What an overdue follow-up assessment makes a practice."
    )
    updated_by = PersonSerializer(read_only=True, allow_null=True)
    is_default = serializers.SerializerMethodField(
        help_text="True until an admin saves the rules: the defaults apply."
    )

    class Meta:
        model = CaseloadRules
        fields = [*services.RULE_FIELDS, "updated_at", "updated_by", "is_default"]
        read_only_fields = ["updated_at", "updated_by", "is_default"]
        # PUT replaces every rule; PATCH (partial) changes some.
        extra_kwargs = {name: {"required": True} for name in services.RULE_FIELDS}

    def get_is_default(self, rules) -> bool:
        return rules.pk is None


class CaseloadRulesViewSet(ProgramReportViewSet):
    """The program's caseload rules. 0 switches a check off; where both thresholds of a check
    are set, "stalled" must be the larger."""

    read_capability = VIEW
    write_capability = RULES

    @extend_schema(responses=CaseloadRulesSerializer, summary="The caseload rules")
    def read(self, request, *args, **kwargs):
        return Response(CaseloadRulesSerializer(selectors.caseload_rules()).data)

    @extend_schema(
        request=CaseloadRulesSerializer,
        responses=CaseloadRulesSerializer,
        summary="Replace the caseload rules",
    )
    def replace(self, request, *args, **kwargs):
        return self._save(request, partial=False)

    @extend_schema(
        request=CaseloadRulesSerializer,
        responses=CaseloadRulesSerializer,
        summary="Change some of the caseload rules",
    )
    def amend(self, request, *args, **kwargs):
        return self._save(request, partial=True)

    def _save(self, request, *, partial: bool):
        body = CaseloadRulesSerializer(
            selectors.caseload_rules(), data=request.data, partial=partial
        )
        body.is_valid(raise_exception=True)
        rules = services.caseload_rules_update(
            program=request.program, by=request.user, data=dict(body.validated_data)
        )
        return Response(CaseloadRulesSerializer(rules).data)


routes = [
    ("caseload", CaseloadViewSet, "caseload"),
    ("dose", DoseViewSet, "dose"),
    ("caseload-rules", CaseloadRulesViewSet, "caseload-rules"),
]
