"""The program report: the whole program (or the practices the filters choose) over a period.
Practices by stage, assessment change by domain across practices, the dose by coach and by
sector, participant feedback, the practices at risk with their reasons, then a short block per
practice.

It works for thousands of practices: the summaries are grouped queries or streams, and the
practices are read CHUNK at a time with the same queries per chunk (never per practice); each
section is yielded as soon as it is written, so the renderer can lay out and drop it
(psp/reports/rendering.py), and progress is reported per practice.
"""

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from assessments.rounds.for_reports import change_by_domain
from coaching.caseload.selectors import caseload_rules
from coaching.reports import selectors
from coaching.reports.forms import ProgramReportForm, period_of, program_params
from practices.models import Stage
from psp.dates import write_date
from psp.reports.registry import Document, Section, extra_sections
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability

TEMPLATES = "coaching/reports/program_{}.html"
PROGRAM_REPORT_CODE = "program_report"
SUMMARIES = 5  # overview, scores, dose, feedback, at risk: counted in the progress


def _practices(params: dict):
    return selectors.report_practices(
        sector=params.get("sector") or "",
        region=params.get("region") or "",
        coach_id=params.get("coach"),
        stage=params.get("stage") or "",
    )


def describe(program, params: dict) -> str:
    date_from, date_to = period_of(params)
    parts = [f"{write_date(date_from)} – {write_date(date_to)}"]
    if params.get("sector"):
        parts.append(f"Sector: {Sector(params['sector']).label}")
    if params.get("region"):
        parts.append(f"Region: {params['region']}")
    if params.get("coach"):
        coach = get_user_model().objects.filter(pk=params["coach"]).first()
        parts.append(f"Coach: {(coach.full_name or coach.email) if coach else 'no longer here'}")
    if params.get("stage"):
        parts.append(f"Stage: {Stage(params['stage']).label}")
    if len(parts) == 1:
        parts.append("All practices")
    return " · ".join(parts)


def _section(name: str, context: dict, **kwargs) -> Section:
    return Section(html=render_to_string(TEMPLATES.format(name), context), **kwargs)


def _summaries(practices, period, today):
    """The program-wide sections, one at a time."""
    ids = practices.values("pk")
    visits = selectors.logged_visits(ids, period)
    yield _section("overview", {"stages": selectors.stage_counts(practices), "period": period})
    changes = change_by_domain(practice_ids=ids)
    yield _section("scores", {"changes": changes, "domains": list(changes.domains.values())})
    yield _section(
        "dose",
        {
            "total": selectors.visit_totals(visits),
            "by_coach": selectors.dose_by_coach(visits),
            "by_sector": selectors.dose_by_sector(visits),
            "period": period,
        },
    )
    yield _section("feedback", {"feedback": selectors.feedback_figures(visits)})


def build(program, params: dict, *, progress):
    """The summaries, the practices at risk (a section per chunk of them), then a block per
    practice. Queries: a fixed number for the summaries, and a fixed number per chunk."""
    practices, period, today = _practices(params), period_of(params), program.local_today()
    total = practices.count() + SUMMARIES
    done = 0
    progress(done, total)
    for section in _summaries(practices, period, today):
        yield section
        done += 1
        progress(done, total)
    # What other apps add after the summaries (the KPI dashboard: kpis/documents.py).
    yield from extra_sections(PROGRAM_REPORT_CODE, program, params)
    first = True
    for entries in selectors.at_risk_chunks(practices, today=today):
        yield _section("at_risk", {"entries": entries, "first": first, "today": today})
        first = False
    if first:  # nobody at risk: the section says so
        yield _section("at_risk", {"entries": [], "first": True, "today": today})
    done += 1
    progress(done, total)
    rules = caseload_rules()
    heading = True
    for chunk in selectors.practice_chunks(practices):
        lines = selectors.practice_lines(chunk, period=period, today=today, rules=rules)
        for line in lines:
            yield _section("practice", {"line": line, "heading": heading, "today": today})
            heading = False
            done += 1
        progress(done, total)
    if heading:
        yield _section("practice", {"line": None, "heading": True, "today": today})


PROGRAM_REPORT = Document(
    code=PROGRAM_REPORT_CODE,
    title="Program report",
    capability=Capability.REPORT_PROGRAM,
    subject="program",
    form=ProgramReportForm,
    params_from=program_params,
    build=build,
    describe=describe,
    subscribable=True,
)
