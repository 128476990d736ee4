"""The program report shows the KPI dashboard (tiles and run charts) after its summaries,
through the reports' extension point: coaching does not import kpis."""

import io

from pypdf import PdfReader

from coaching.reports.forms import ProgramReportForm, program_params
from coaching.reports.program_report import build
from psp.tenancy.scope import program_scope
from tests.coaching.reports.conftest import render


def params(figures, **data):
    data = {"date_from": str(figures.months[0]), "date_to": str(figures.months[-1]), **data}
    with program_scope(figures.world.program):
        form = ProgramReportForm(data)
        assert form.is_valid(), form.errors
        return program_params(form)


def test_the_program_report_has_the_kpi_tiles_and_run_charts_after_its_summaries(figures):
    with program_scope(figures.world.program):
        sections = [
            s.html for s in build(figures.world.program, params(figures), progress=lambda *a: None)
        ]
    kpis = next(i for i, html in enumerate(sections) if 'id="program-kpis"' in html)
    charts = next(i for i, html in enumerate(sections) if 'id="program-kpi-charts"' in html)
    at_risk = next(i for i, html in enumerate(sections) if "at-risk" in html or "at_risk" in html)
    assert kpis + 1 == charts < at_risk
    assert "No-show rate" in sections[kpis] and "7 of 12 practices on target" in sections[kpis]
    assert sections[charts].count('class="run-chart__svg"') == 2
    assert "Trend: 6 points falling" in sections[charts]
    # Sector law has three practices: nothing of theirs is shown.
    with program_scope(figures.world.program):
        law = list(build(figures.world.program, params(figures, sector="law"), progress=print))
    shown = " ".join(s.html for s in law if "program-kpi" in s.html)
    assert "fewer than 5 practices" in shown.lower()
    assert 'class="run-chart__svg"' not in shown


def test_the_report_renders_the_dashboard_in_its_pdf(figures, tmp_path):
    pdf, pages, _ = render(figures.world, "program_report", params(figures))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Key performance indicators" in text and "KPI run charts" in text
    (tmp_path / "report.pdf").write_bytes(pdf)
