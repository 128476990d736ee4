"""The practice report card: one practice over a period, in two to four pages. Its profile and
stage history; domain scores, baseline against latest, as the assessment pages' chart; the
plan's goals and actions; the dose of support per quarter (the dose page's chart), by mode and
by activity; participant feedback; and what comes next."""

from django.template.loader import render_to_string

from assessments.rounds.for_reports import open_rounds, practice_score_change
from assessments.rounds.selectors import next_assessments_due
from coaching.caseload.dose import practice_dose
from coaching.caseload.selectors import with_coaches
from coaching.reports import selectors
from coaching.reports.forms import PracticeCardForm, card_params, period_of
from practices.models import Practice
from practices.selectors import stage_history
from psp.charts import score_rows
from psp.dates import write_date
from psp.reports.registry import Document, Section
from psp.tenancy.permissions import Capability

TEMPLATES = "coaching/reports/card_{}.html"


def _practice(params: dict) -> Practice:
    return with_coaches(Practice.objects.filter(pk=params["practice"])).get()


def describe(program, params: dict) -> str:
    name = Practice.objects.filter(pk=params["practice"]).values_list("name", flat=True).first()
    date_from, date_to = period_of(params)
    name = name or "A practice no longer in the program"
    return f"{name} · {write_date(date_from)} – {write_date(date_to)}"


def _profile(practice, period, today) -> dict:
    return {"stages": list(stage_history(practice=practice).order_by("moved_at", "pk"))}


def _scores(practice, period, today) -> dict:
    change = practice_score_change(practice=practice)
    context = {"change": change}
    if change.latest:
        context["chart"] = score_rows(
            change.latest.score_list, threshold=change.threshold, previous=change.previous
        )
        before = change.previous
        context["rows"] = [
            {
                "name": score.domain_name,
                "before": before.get(score.domain_key),
                "after": score.percent,
                "delta": _delta(before.get(score.domain_key), score.percent),
            }
            for score in change.latest.score_list
        ]
    return context


def _delta(before, after):
    return None if before is None or after is None else after - before


def _plan(practice, period, today) -> dict:
    return {"plan": selectors.current_plan(practice=practice, today=today), "today": today}


def _dose(practice, period, today) -> dict:
    return {"dose": practice_dose(practice=practice, period=period)}


def _feedback(practice, period, today) -> dict:
    visits = selectors.logged_visits([practice.pk], period)
    return {"feedback": selectors.feedback_figures(visits)}


def _next(practice, period, today) -> dict:
    return {
        **selectors.whats_next(practice=practice, today=today),
        "follow_up": next_assessments_due(practice_ids=[practice.pk]).get(practice.pk),
        "open_rounds": list(open_rounds(practice=practice)),
        "today": today,
    }


PARTS = (
    ("profile", _profile),
    ("scores", _scores),
    ("plan", _plan),
    ("dose", _dose),
    ("feedback", _feedback),
    ("next", _next),
)


def build(program, params: dict, *, progress):
    """The card's six sections, in order. About twenty queries whatever the practice's
    history."""
    practice = _practice(params)
    period, today = period_of(params), program.local_today()
    progress(0, len(PARTS))
    for done, (name, read) in enumerate(PARTS, start=1):
        context = {"practice": practice, "period": period, **read(practice, period, today)}
        yield Section(html=render_to_string(TEMPLATES.format(name), context))
        progress(done, len(PARTS))


PRACTICE_CARD = Document(
    code="practice_card",
    title="Practice report card",
    capability=Capability.REPORT_PRACTICE,
    subject="practice",
    form=PracticeCardForm,
    params_from=card_params,
    build=build,
    describe=describe,
)
