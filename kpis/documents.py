"""What kpis adds to other apps' documents: the program report shows the dashboard's headline
tiles and run charts, for the report's period and filters, after its summaries."""

from datetime import date

from django.template.loader import render_to_string

from kpis.dashboard.filters import month_start
from kpis.dashboard.panels import dashboard
from psp.reports.registry import ExtraSections, Section, register_sections


def program_report_sections(program, params: dict):
    values = {
        "first": month_start(date.fromisoformat(params["date_from"])),
        "last": month_start(date.fromisoformat(params["date_to"])),
        "sector": params.get("sector") or None,
        "region": params.get("region") or None,
        "coach_id": params.get("coach") or None,
        "stage": params.get("stage") or None,
        "kpi_id": None,
    }
    panels = dashboard(access=None, program=program, values=values, sections=("report",))
    context = {"panels": panels}
    yield Section(html=render_to_string("kpis/dashboard/report_tiles.html", context))
    yield Section(html=render_to_string("kpis/dashboard/report_charts.html", context))


register_sections(
    ExtraSections(
        document_code="program_report",
        build=program_report_sections,
        stylesheets=("css/kpis.css",),
    )
)
