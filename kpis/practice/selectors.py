"""Reads for a practice's KPI dashboard: each active KPI that applies to the practice, with its
values over the last 24 months, its target (the practice's own, else the program's), the
comparison with peers the refresh job wrote, the PDSA cycles and plan activations to mark on
its run chart, and how current the values are.

A fixed handful of queries whatever the number of KPIs and periods; nothing is aggregated over
other practices here (kpis/refresh writes the percentiles)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from coaching.pdsa.selectors import practice_cycle_marks
from coaching.plans.selectors import plan_activations
from kpis.models import KpiDefinition, KpiPracticeTarget, KpiRefresh, KpiValue
from kpis.practice import display
from kpis.practice.periods import (
    period_label,
    period_of,
    periods_shown,
    recent_complete,
)
from kpis.runcharts import Annotation, RunChart, run_chart


@dataclass
class KpiSection:
    definition: KpiDefinition
    latest: KpiValue | None
    latest_text: str
    latest_label: str
    target: Decimal | None
    target_text: str
    target_is_own: bool
    on_target: bool | None
    peers: str
    missing: list[str]
    chart: RunChart
    rows: list[tuple[str, str]] = field(default_factory=list)  # (period, value) newest first

    @property
    def anchor(self) -> str:
        return f"kpi-{self.definition.code}"

    @property
    def median_text(self) -> str:
        return display.value_text(self.chart.median, self.definition.unit)


def _definitions(practice) -> list[KpiDefinition]:
    own = KpiPracticeTarget.objects.filter(practice=practice)
    return list(
        KpiDefinition.objects.filter(is_active=True)
        .filter(Q(sector="") | Q(sector=practice.sector))
        .prefetch_related(Prefetch("practice_targets", queryset=own, to_attr="own_targets"))
        .order_by("position", "name")
    )


def _values(practice, definitions, since: date) -> dict[int, dict[date, KpiValue]]:
    found: dict[int, dict[date, KpiValue]] = {d.pk: {} for d in definitions}
    rows = KpiValue.objects.filter(
        practice=practice, definition__in=[d.pk for d in definitions], period__gte=since
    ).order_by("definition_id", "period")
    for value in rows:
        found[value.definition_id][value.period] = value
    return found


def _annotations(definition, marks, activations) -> list[Annotation]:
    frequency = definition.frequency
    notes = [
        Annotation(period_of(day, frequency), f"Plan activated: {title}", "plan")
        for day, title in activations
    ]
    for mark in marks:
        if mark.kpi_key != definition.code:
            continue
        name = f"PDSA cycle {mark.number} ({mark.change_idea})"
        notes.append(Annotation(period_of(mark.started_on, frequency), f"{name} started", "pdsa"))
        if mark.ended_on is not None:
            ended = f"{name} ended: {mark.decision.lower()}"
            notes.append(Annotation(period_of(mark.ended_on, frequency), ended, "pdsa"))
    return sorted(notes, key=lambda note: note.period)


def _section(definition, values, *, today, practice, minimum, marks, activations) -> KpiSection:
    unit, frequency = definition.unit, definition.frequency
    periods = periods_shown(today, frequency)
    own = definition.own_targets[0].target if definition.own_targets else None
    target = own if own is not None else definition.target
    points = [
        (
            period,
            period_label(period, frequency),
            values[period].value if period in values else None,
            display.value_text(values[period].value, unit) if period in values else "",
        )
        for period in periods
    ]
    latest = values[max(values)] if values else None
    chart = run_chart(
        points,
        target=target,
        annotations=_annotations(definition, marks, activations),
        unit_text=lambda number: display.value_text(Decimal(str(round(number, 2))), unit),
    )
    return KpiSection(
        definition=definition,
        latest=latest,
        latest_text=display.value_text(latest.value, unit) if latest else "",
        latest_label=period_label(latest.period, frequency) if latest else "",
        target=target,
        target_text=display.value_text(target, unit),
        target_is_own=own is not None,
        on_target=display.meets_target(latest and latest.value, target, definition.direction),
        peers=display.peer_text(
            latest, direction=definition.direction, sector=practice.sector, minimum=minimum
        ),
        missing=[
            period_label(period, frequency)
            for period in recent_complete(today, frequency)
            if period not in values
        ],
        chart=chart,
        rows=[(label, text) for _, label, value, text in reversed(points) if value is not None],
    )


def freshness_text(refresh: KpiRefresh | None) -> tuple[str, object]:
    """How current the dashboard is, and the moment it names (for the page to write)."""
    if refresh is None or refresh.refreshed_at is None:
        return "never", None
    if refresh.is_current:
        return "current", refresh.refreshed_at
    return "stale", refresh.refreshed_at


def practice_dashboard(*, practice, program, today: date | None = None) -> dict:
    """Everything the practice's KPI dashboard shows. Six queries."""
    today = today or timezone.localdate()
    definitions = _definitions(practice)
    since = min((periods_shown(today, d.frequency)[0] for d in definitions), default=today)
    values = _values(practice, definitions, since)
    marks = practice_cycle_marks(
        practice_id=practice.pk, kpi_keys=[d.code for d in definitions], since=since
    )
    activations = [
        (timezone.localtime(accepted).date(), title)
        for accepted, title in plan_activations(practice_id=practice.pk)
    ]
    sections = [
        _section(
            definition,
            values[definition.pk],
            today=today,
            practice=practice,
            minimum=program.peer_group_minimum,
            marks=marks,
            activations=activations,
        )
        for definition in definitions
    ]
    state, moment = freshness_text(KpiRefresh.objects.first())
    return {"sections": sections, "freshness": state, "refreshed_at": moment}
