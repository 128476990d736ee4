"""The program's compliance status: the counts of the overview, each template's checklists by
where they stand, each practice's, and every overdue checklist. Asked for with report.program;
optionally one sector or one template. A fixed number of queries, whatever the program's size."""

from collections import Counter, defaultdict

from django.template.loader import render_to_string

from compliance.checklists.models import ChecklistTemplate
from compliance.followup import selectors
from compliance.followup.states import FollowUp
from compliance.reports.forms import ProgramComplianceForm, program_params
from psp.reports.registry import Document, Section
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability

TEMPLATES = "compliance/reports/program_{}.html"
COLUMNS = (
    FollowUp.OVERDUE,
    FollowUp.DUE_SOON,
    FollowUp.AWAITING_SIGNOFF,
    FollowUp.SIGNED_ON_TIME,
    FollowUp.SIGNED_LATE,
    FollowUp.NOT_DUE,
)


# Short, so the table fits a portrait page; the counts above the tables say them in full.
HEADINGS = {
    FollowUp.OVERDUE: "Overdue",
    FollowUp.DUE_SOON: "Due soon",
    FollowUp.AWAITING_SIGNOFF: "To sign",
    FollowUp.SIGNED_ON_TIME: "On time",
    FollowUp.SIGNED_LATE: "Late",
    FollowUp.NOT_DUE: "Not due",
}


def _current(params: dict):
    current = selectors.program_checklists()
    if params.get("sector"):
        current = current.filter(practice__sector=params["sector"])
    if params.get("template"):
        current = current.filter(template_id=params["template"])
    return current


def describe(program, params: dict) -> str:
    parts = []
    if params.get("sector"):
        parts.append(Sector(params["sector"]).label)
    if params.get("template"):
        name = ChecklistTemplate.objects.filter(pk=params["template"]).values_list(
            "name", flat=True
        )
        parts.append(name.first() or "A template no longer in the program")
    return " · ".join(parts) or "Every practice and checklist"


def _grouped(rows, key) -> list[dict]:
    """One line per group (`key(row)` -> (sort key, label)): its checklists by state."""
    groups: dict = defaultdict(Counter)
    labels = {}
    for row in rows:
        sort_key, label = key(row)
        labels[sort_key] = label
        groups[sort_key][row.standing.state] += 1
    return [
        {"label": labels[k], "counts": [groups[k][state] for state in COLUMNS],
         "total": sum(groups[k].values())}
        for k in sorted(groups)
    ]  # fmt: skip


def build(program, params: dict, *, progress):
    today = program.local_today()
    current = _current(params)
    progress(0, 4)
    counts = selectors.follow_up_counts(current, today)
    latest = selectors.decorate(
        current.filter(is_latest=True).order_by("practice__name", "template__name"), today
    )
    headings = [HEADINGS[state] for state in COLUMNS]
    yield Section(
        html=render_to_string(TEMPLATES.format("counts"), {"counts": counts, "today": today})
    )
    progress(1, 4)
    by_template = _grouped(latest, lambda r: ((r.template.name, r.template_id), r.template.name))
    context = {"rows": by_template, "headings": headings, "title": "By checklist"}
    yield Section(html=render_to_string(TEMPLATES.format("table"), context))
    progress(2, 4)
    by_practice = _grouped(latest, lambda r: ((r.practice.name, r.practice_id), r.practice.name))
    context = {"rows": by_practice, "headings": headings, "title": "By practice"}
    yield Section(html=render_to_string(TEMPLATES.format("table"), context))
    progress(3, 4)
    overdue = selectors.decorate(
        selectors.due_checklists(current, today).filter(due_on__lt=today), today
    )
    context = {"rows": overdue, "today": today}
    yield Section(html=render_to_string(TEMPLATES.format("overdue"), context))
    progress(4, 4)


COMPLIANCE_STATUS = Document(
    code="compliance_status",
    title="Compliance status",
    capability=Capability.REPORT_PROGRAM,
    subject="program",
    form=ProgramComplianceForm,
    params_from=program_params,
    build=build,
    describe=describe,
    stylesheets=("css/compliance-report.css",),
)
