"""REST endpoint of the program dashboard, under /api/v1/programs/<program>/:

    GET  kpi-aggregates/  per active KPI: its monthly series (value, practices, on target),
                          target, median, run-chart signals, and its breakdowns

The dashboard's filters (kpis/dashboard/filters.py) and its rule for small groups: a month or
group of fewer practices than the program's peer-group minimum is left out, whatever asked.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kpis.dashboard import panels, selectors
from kpis.dashboard.filters import DashboardFilter
from kpis.runcharts import find_signals
from psp.api.viewsets import ProgramReportViewSet
from psp.tenancy.permissions import Capability


class PointSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="The month's first day.")
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    practices = serializers.IntegerField(help_text="Practices with a value that month.")
    on_target = serializers.IntegerField(help_text="Of them, those meeting their target.")


class SignalSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="shift, trend or astronomical.")
    start = serializers.DateField(source="start_period")
    end = serializers.DateField(source="end_period")
    description = serializers.CharField()


class KpiGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A sector or stage code, a region, a coach's id.")
    label = serializers.CharField()
    value = serializers.DecimalField(
        source="figure.value", max_digits=20, decimal_places=4, allow_null=True
    )
    practices = serializers.IntegerField(source="figure.practices")
    on_target = serializers.IntegerField(source="figure.on_target")


class BreakdownsSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="The month the breakdowns are of: the latest shown.")
    sector = KpiGroupSerializer(many=True)
    region = KpiGroupSerializer(many=True)
    coach = KpiGroupSerializer(many=True)
    stage = KpiGroupSerializer(many=True)


class KpiAggregateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    target = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    median = serializers.FloatField(allow_null=True, help_text="Of the months shown.")
    series = PointSerializer(many=True, help_text="Months under the minimum are left out.")
    signals = SignalSerializer(many=True)
    breakdowns = BreakdownsSerializer(allow_null=True)


class AggregatesSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    source = serializers.ChoiceField(
        choices=["summaries", "values"],
        help_text="summaries: the refresh job's aggregates (no filter or one); values: the "
        "matching practices' values aggregated now (two or more filters: a median or latest "
        "KPI gives their mean).",
    )
    peer_group_minimum = serializers.IntegerField()
    refreshed_at = serializers.DateTimeField(allow_null=True)
    is_current = serializers.BooleanField()
    kpis = KpiAggregateSerializer(many=True)


EXAMPLE = {
    "date_from": "2026-01-01",
    "date_to": "2026-12-01",
    "source": "summaries",
    "peer_group_minimum": 5,
    "refreshed_at": "2026-12-04T10:15:00Z",
    "is_current": True,
    "kpis": [
        {
            "id": 3,
            "code": "no-show-rate",
            "name": "No-show rate",
            "unit": "percent",
            "direction": "lower",
            "target": "8.0000",
            "median": 11.2,
            "series": [
                {"period": "2026-11-01", "value": "9.4000", "practices": 140, "on_target": 62}
            ],
            "signals": [
                {
                    "kind": "shift",
                    "start": "2026-05-01",
                    "end": "2026-11-01",
                    "description": "Shift: 7 points below the median, May 2026 – Nov 2026",
                }
            ],
            "breakdowns": {
                "period": "2026-11-01",
                "sector": [
                    {
                        "key": "primary_care",
                        "label": "Primary care",
                        "value": "9.1000",
                        "practices": 90,
                        "on_target": 41,
                    }
                ],
                "region": [],
                "coach": [],
                "stage": [],
            },
        }
    ],
}


def kpi_aggregate(reading, definition, period, groups) -> dict:
    figures = reading.figures.get(definition.pk, {})
    months = [month for month in reading.months if month in figures]
    values = [
        float(figures[month].value) if figures[month].value is not None else None
        for month in months
    ]
    signals = find_signals(values, [panels.month_label(month) for month in months])
    present = sorted(value for value in values if value is not None)
    return {
        "id": definition.pk,
        "code": definition.code,
        "name": definition.name,
        "unit": definition.unit,
        "direction": definition.direction,
        "target": definition.target,
        "median": _median(present),
        "series": [figures[month] for month in months],
        "signals": [
            {
                "kind": signal.kind,
                "start_period": months[signal.start],
                "end_period": months[signal.end],
                "description": signal.description,
            }
            for signal in signals
        ],
        "breakdowns": None if groups is None else {"period": period, **groups},
    }


def _median(ordered: list[float]) -> float | None:
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class KpiAggregatesViewSet(ProgramReportViewSet):
    """The program dashboard's figures, for admins and managers."""

    read_capability = Capability.KPI_DASHBOARD
    filterset_class = DashboardFilter  # the dashboard page's filters

    @extend_schema(
        responses=AggregatesSerializer,
        summary="KPI aggregates",
        description="Per active KPI, its value per month of the period over the practices the "
        "filters choose (sector, region, primary coach, stage), its target, the median of the "
        "months and the run-chart signals (shift, trend, astronomical point), and for the KPI "
        "chosen with `kpi` (default: the first) its breakdowns by sector, region, coach and "
        "stage in the latest month. A month or group of fewer practices than the program's "
        "peer-group minimum is never given.",
        examples=[OpenApiExample("Twelve months, no filter", value=EXAMPLE)],
    )
    def read(self, request, *args, **kwargs):
        values = self.filter_values()
        reading = selectors.read(access=request.access, program=request.program, values=values)
        chosen, period = panels.chosen(reading, values["kpi_id"])
        groups = None
        if chosen is not None:
            groups = selectors.breakdowns(reading=reading, definition=chosen, period=period)
        freshness = selectors.freshness()
        body = {
            "date_from": reading.first,
            "date_to": reading.last,
            "source": "summaries" if reading.from_summaries else "values",
            "peer_group_minimum": reading.minimum,
            "refreshed_at": freshness.refreshed_at if freshness else None,
            "is_current": bool(freshness and freshness.is_current),
            "kpis": [
                kpi_aggregate(reading, definition, period, groups if definition == chosen else None)
                for definition in reading.definitions
            ],
        }
        return Response(AggregatesSerializer(body).data)


routes = [("kpi-aggregates", KpiAggregatesViewSet, "kpi-aggregates")]
