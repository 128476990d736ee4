"""The CPD transcript: one person's cycle on paper. Who, under which scheme (and rules
version), the cycle's dates and standing; credits by category and by cycle year against their
minimums; each counted activity (dates, type, title, provider, hours, credits, category, status
with who verified it and when, the names of its evidence files); credits carried in; what is
still short; and, on the first page, the verification code with the public page that
checks it."""

from django.template.loader import render_to_string

from cpd.activities.evidence import CODE as EVIDENCE_KIND
from cpd.activities.models import COUNTED, ActivityType, CpdActivity
from cpd.credentials.common import describe, issue, verification_context
from cpd.credentials.forms import TranscriptForm, cycle_params
from cpd.credentials.models import CredentialKind
from cpd.credentials.selectors import cycles_in_reach
from cpd.progress.selectors import rules_of
from psp.evidence.selectors import files_of_subjects
from psp.reports.registry import Document, Section
from psp.tenancy.permissions import Capability

TEMPLATES = "cpd/reports/transcript_{}.html"
# Activities per table: a cycle of many activities is laid out a few pages at a time.
ROWS_PER_SECTION = 40


def may_ask(access, params) -> bool:
    """The person's own cycle, or one of someone whose CPD they read (cpd/credentials/
    selectors.py). Parameters naming no cycle yet pass: the form asks for one."""
    asked = str((params or {}).get("cycle") or "")
    if not asked.isdigit():
        return True
    return cycles_in_reach(access=access).filter(pk=int(asked)).exists()


def _activities(cycle) -> list[CpdActivity]:
    """The cycle's counted activities, oldest first, each with its category's name and its
    evidence files' names (two queries whatever their number)."""
    names = {category.key: category.name for category in rules_of(cycle).categories}
    activities = list(
        CpdActivity.objects.filter(cycle=cycle, status__in=COUNTED)
        .select_related("verified_by")
        .order_by("ended_on", "started_on", "pk")
    )
    files = files_of_subjects(subject_type=EVIDENCE_KIND, subject_ids=[a.pk for a in activities])
    for activity in activities:
        activity.category_name = names.get(activity.category, activity.category)
        activity.evidence_names = [f.original_name for f in files.get(activity.pk, [])]
    return activities


def _nested(categories) -> list:
    """Categories with each sub-category right under its parent ("of which ...")."""
    ordered = []
    for top in (c for c in categories if not c.parent):
        ordered += [top, *(c for c in categories if c.parent == top.key)]
    return ordered + [c for c in categories if c not in ordered]


def _pages(rows: list, size: int) -> list[list]:
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]


def build(program, params: dict, *, progress, report_id=None):
    """Summary with the verification code, credits, activities (a table every
    ROWS_PER_SECTION)."""
    cycle, found, credential = issue(
        program=program, kind=CredentialKind.TRANSCRIPT, params=params, report_id=report_id
    )
    activities = _activities(cycle)
    tables = _pages(activities, ROWS_PER_SECTION)
    total = 2 + len(tables)
    context = {
        "cycle": cycle,
        "person": cycle.person,
        "standing": found,
        "result": found.progress,
        "credential": credential,
        "activity_count": len(activities),
        "categories": _nested(found.progress.categories),
        "per_year_minimums": any(c.per_year_minimum for c in found.progress.categories),
        **verification_context(credential),
        "years": [
            (year, [r for r in found.progress.requirements if r.year == year.number])
            for year in found.progress.years
        ],
        "capped": [
            (ActivityType(key).label if key in ActivityType.values else key, credits)
            for key, credits in found.progress.capped.items()
        ],
    }
    progress(0, total)
    yield Section(html=render_to_string(TEMPLATES.format("summary"), context))
    progress(1, total)
    yield Section(html=render_to_string(TEMPLATES.format("credits"), context))
    progress(2, total)
    for number, rows in enumerate(tables, start=1):
        part = {**context, "activities": rows, "first": number == 1, "last": number == len(tables)}
        yield Section(html=render_to_string(TEMPLATES.format("activities"), part))
        progress(2 + number, total)


TRANSCRIPT = Document(
    code="cpd_transcript",
    title="CPD transcript",
    capability=Capability.CPD_RECORD,
    subject="person",
    form=TranscriptForm,
    params_from=cycle_params,
    build=build,
    describe=describe,
    stylesheets=("css/cpd-documents.css",),
    may=may_ask,
    per_report=True,
)
