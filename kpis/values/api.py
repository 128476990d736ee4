"""REST endpoints for KPI values, under /api/v1/programs/<program>/ (psp/api/urls.py reads
`routes`):

    GET   kpi-values/        the values of the practices in the caller's KPI reach (filters:
                             kpi, practice, period_from, period_to, origin)
    GET   kpi-values/{id}/   one value
    POST  kpi-values/bulk/   upsert many values of many practices and periods in one call:
                             all of them, or (400, every bad item named by index) none

Computed values are read-only: they are written by the refresh job from platform data, and a
computed KPI takes no value here (the checks say so for the item)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kpis.models import KpiValue, ValueOrigin
from kpis.values import selectors
from kpis.values.filters import KpiValueFilter
from kpis.values.periods import period_code
from kpis.values.rows import resolve_rows
from kpis.values.services import EntriesInvalid, kpi_values_check, kpi_values_save
from psp.api.pagination import KeysetCursorPagination
from psp.api.viewsets import ProgramScopedViewSet
from psp.tenancy.permissions import Capability

MAX_ITEMS = 10_000
AMOUNT = {"max_digits": 16, "decimal_places": 4, "coerce_to_string": True}


class KpiValueSerializer(serializers.ModelSerializer):
    kpi = serializers.CharField(source="definition.code", help_text="The KPI's code.")
    kpi_name = serializers.CharField(source="definition.name")
    practice = serializers.IntegerField(source="practice_id", help_text="The practice's id.")
    period = serializers.DateField(help_text="The first day of the month, or of the quarter.")
    period_code = serializers.SerializerMethodField(help_text="2026-03, or 2026-Q1.")
    value = serializers.DecimalField(**AMOUNT)
    numerator = serializers.DecimalField(allow_null=True, **AMOUNT)
    denominator = serializers.DecimalField(allow_null=True, **AMOUNT)
    entered_by = serializers.IntegerField(source="entered_by_id", allow_null=True)

    class Meta:
        model = KpiValue
        fields = [
            "id",
            "kpi",
            "kpi_name",
            "practice",
            "period",
            "period_code",
            "value",
            "numerator",
            "denominator",
            "origin",
            "note",
            "entered_by",
            "updated_at",
            "peer_percentile",
        ]
        read_only_fields = fields

    def get_period_code(self, value) -> str:
        return period_code(value.period, value.definition.frequency)


class KpiValueInputSerializer(serializers.Serializer):
    """One item of a bulk upsert (documentation of its shape: items are checked as a whole by
    the same rules as the entry grid and the CSV import)."""

    practice = serializers.IntegerField(help_text="The id of a practice you may enter for.")
    kpi = serializers.CharField(help_text="The KPI's code; an entered (not computed) KPI.")
    period = serializers.CharField(help_text="2026-03, 2026-Q1 or the period's first day.")
    value = serializers.DecimalField(required=False, allow_null=True, **AMOUNT)
    numerator = serializers.DecimalField(required=False, allow_null=True, **AMOUNT)
    denominator = serializers.DecimalField(required=False, allow_null=True, **AMOUNT)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


def _bad_request(message: str, rows: list[dict]) -> Response:
    """The project's error format (psp/api/errors.py), with `rows`: one item per problem."""
    body = {"status": 400, "code": "invalid", "message": message, "rows": rows}
    return Response({"error": body}, status=status.HTTP_400_BAD_REQUEST)


def _row_error(index: int, field: str, message: str) -> dict:
    return {"index": index, "field": field, "message": message}


class KpiValueViewSet(ProgramScopedViewSet):
    """KPI values: read them, and upsert many at once with POST kpi-values/bulk/."""

    queryset = KpiValue.objects.none()  # for schema introspection only
    serializer_class = KpiValueSerializer
    filterset_class = KpiValueFilter
    pagination_class = KeysetCursorPagination
    ordering_fields = ["period", "updated_at"]
    ordering = ["-period", "-pk"]  # latest period first
    http_method_names = ["get", "post", "head", "options"]
    read_capability = Capability.KPI_VIEW
    write_capability = Capability.KPI_ENTER
    action_capabilities = {"bulk": Capability.KPI_ENTER}

    def scoped_queryset(self):
        return selectors.values_in_reach(access=self.request.access)

    # POST is open for `bulk`; values are never posted one at a time.
    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed(request.method)

    @extend_schema(
        request=KpiValueInputSerializer(many=True),
        responses={
            200: inline_serializer(
                "KpiValuesBulkResult",
                {
                    "new": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                },
            )
        },
        summary="Upsert many KPI values",
        description="A list of at most 10,000 items, each a practice, an entered KPI's code, a "
        "period and its figures (a ratio KPI: numerator and denominator). A value already there "
        "for the practice, KPI and period is replaced. Atomic: on any problem nothing is saved "
        "and the answer is 400 with `error.rows`, one {index, field, message} per problem.",
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request, *args, **kwargs):
        items = request.data
        if not isinstance(items, list) or not items:
            return _bad_request("Send a list of values.", [])
        if len(items) > MAX_ITEMS:
            return _bad_request(f"Send at most {MAX_ITEMS:,} values in one call.", [])
        shaped = [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]
        errors = [
            _row_error(i, "non_field_errors", "Each item is an object.")
            for i, item in enumerate(items)
            if not isinstance(item, dict)
        ]
        entries, positions, problems = resolve_rows(
            request.access, shaped, practice_field="practice"
        )
        errors += [_row_error(*problem) for problem in problems]
        if errors:  # the items that could be read are checked too, so every problem is named
            checked = kpi_values_check(program=request.program, entries=entries)
            errors += [_row_error(positions[p.index], p.field, p.message) for p in checked.problems]
        else:
            try:
                plan = kpi_values_save(
                    program=request.program,
                    entries=entries,
                    by=request.user,
                    origin=ValueOrigin.API,
                )
            except EntriesInvalid as error:
                errors = [
                    _row_error(positions[p.index], p.field, p.message) for p in error.problems
                ]
        if errors:
            errors.sort(key=lambda e: e["index"])
            return _bad_request(
                f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the values sent; "
                "nothing was saved. See `rows`.",
                errors,
            )
        return Response(plan.counts)


routes = [("kpi-values", KpiValueViewSet, "kpi-values")]
