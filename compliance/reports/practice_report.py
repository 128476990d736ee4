"""The compliance report of one practice: where each of its checklists stands now, what is
overdue or due soon, the failed items still open and their remediation actions, and every
sign-off in the period (who signed what, when, on time or late). Asked for with report.practice
on that practice. About ten queries, whatever the practice's history."""

from datetime import date

from django.db.models import Q
from django.template.loader import render_to_string

from coaching.actions.models import ActionStatus
from compliance.checklists.models import Attester
from compliance.followup import selectors
from compliance.instances.models import Attestation, InstanceStatus, ItemOutcome, ItemResponse
from compliance.reports.forms import PracticeComplianceForm, practice_params
from practices.models import Practice
from psp.dates import write_date
from psp.reports.registry import Document, Section
from psp.tenancy.permissions import Capability

TEMPLATES = "compliance/reports/practice_{}.html"
OPEN_ACTION = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _period(params: dict) -> tuple[date, date]:
    return date.fromisoformat(params["date_from"]), date.fromisoformat(params["date_to"])


def describe(program, params: dict) -> str:
    name = Practice.objects.filter(pk=params["practice"]).values_list("name", flat=True).first()
    date_from, date_to = _period(params)
    name = name or "A practice no longer in the program"
    return f"{name} · sign-offs {write_date(date_from)} – {write_date(date_to)}"


def _status(practice, period, today) -> dict:
    current = selectors.program_checklists().filter(practice=practice)
    latest = current.filter(is_latest=True).order_by("template__name", "pk")
    rows = selectors.decorate(latest, today)
    return {"rows": rows, "counts": selectors.follow_up_counts(current, today), "today": today}


def _due(practice, period, today) -> dict:
    current = selectors.program_checklists().filter(practice=practice)
    return {"rows": selectors.decorate(selectors.due_checklists(current, today), today)}


def _failed(practice, period, today) -> dict:
    """Failed items of current checklists whose remediation is not done (no action yet, or one
    open or in progress)."""
    failed = (
        ItemResponse.objects.filter(instance__practice=practice, outcome=ItemOutcome.FAILED)
        .exclude(instance__status=InstanceStatus.SUPERSEDED)
        .filter(Q(action__isnull=True) | Q(action__status__in=OPEN_ACTION))
        .select_related("item", "instance__template", "action__owner")
        .order_by("-instance__due_on", "instance__template__name", "item__position")
    )
    return {"rows": list(failed), "today": today}


def _signoffs(practice, period, today) -> dict:
    date_from, date_to = period
    signed = (
        Attestation.objects.filter(
            instance__practice=practice, signed_on__gte=date_from, signed_on__lte=date_to
        )
        .select_related("instance__template")
        .order_by("-signed_on", "-signed_at", "pk")
    )
    rows = list(signed)
    for row in rows:
        row.late_by = max(0, (row.signed_on - row.instance.due_on).days)
        row.role = Attester(row.attester).label if row.attester in Attester.values else ""
    return {"rows": rows, "date_from": date_from, "date_to": date_to}


PARTS = (("status", _status), ("due", _due), ("failed", _failed), ("signoffs", _signoffs))


def build(program, params: dict, *, progress):
    practice = Practice.objects.get(pk=params["practice"])
    period, today = _period(params), program.local_today()
    progress(0, len(PARTS))
    for done, (name, read) in enumerate(PARTS, start=1):
        context = {"practice": practice, **read(practice, period, today)}
        yield Section(html=render_to_string(TEMPLATES.format(name), context))
        progress(done, len(PARTS))


COMPLIANCE_REPORT = Document(
    code="compliance_report",
    title="Compliance report",
    capability=Capability.REPORT_PRACTICE,
    subject="practice",
    form=PracticeComplianceForm,
    params_from=practice_params,
    build=build,
    describe=describe,
    stylesheets=("css/compliance-report.css",),
)
